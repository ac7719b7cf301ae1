/**
 * Builds the syntax tree from tokens: lists, and-or chains, pipelines, simple commands and
 * redirections here; compound commands (if, loops, case, [[ ]], functions) in compound-parser.ts.
 */
import type { AndOr, CommandNode, List, Pipeline, Redirect, SimpleCommand, Word } from './ast.ts';

export { plain };
import { plain, ShellSyntaxError, tokenize, type Token } from './lexer.ts';
import { WordReader } from './words.ts';
import { compoundCommand, functionBody, functionDefinition, isCompoundStart } from './compound-parser.ts';

export interface Parsed {
  list: List;
  warnings: string[];
}

/** Parses a whole script (or the inside of `$(...)`, whose first line is `baseLine`). */
export function parseScript(src: string, baseLine = 1): Parsed {
  const { tokens, warnings } = tokenize(src, baseLine);
  const p = new Parser(tokens, new WordReader(src, baseLine));
  const list = p.list();
  if (!p.done()) throw p.unexpected();
  return { list, warnings };
}

export function parse(src: string): List {
  return parseScript(src).list;
}

/**
 * A script read one line at a time, as bash reads it: each complete command (which may span lines,
 * like a loop) is parsed only after the previous one ran, so a syntax error stops the script there.
 */
export class Script {
  readonly warnings: string[];
  private readonly parser: Parser;

  /** Throws ShellSyntaxError if the text cannot even be split into tokens. */
  constructor(src: string, baseLine = 1) {
    const { tokens, warnings } = tokenize(src, baseLine);
    this.warnings = warnings;
    this.parser = new Parser(tokens, new WordReader(src, baseLine));
  }

  /** The commands of the next line, or undefined at the end; throws ShellSyntaxError. */
  next(): List | undefined {
    return this.parser.commandLine();
  }
}

/** Reserved words that end a list; anywhere else in command position they are a syntax error. */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);

function describe(t: Token): string {
  if (t.type === 'word') return t.raw;
  if (t.type === 'arith') return `((${t.text}))`;
  return t.op;
}

export class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    readonly reader: WordReader,
  ) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  next(): Token {
    return this.tokens[this.i++];
  }

  /** The token just consumed. */
  prev(): Token {
    return this.tokens[this.i - 1];
  }

  unexpected(): ShellSyntaxError {
    const t = this.peek();
    if (!t) return new ShellSyntaxError('syntax error: unexpected end of file');
    return new ShellSyntaxError(`syntax error near unexpected token \`${describe(t)}'`);
  }

  isOp(op: string): boolean {
    const t = this.peek();
    return t?.type === 'op' && t.op === op;
  }

  /** Whether the next token is the unquoted word `w` (how reserved words are recognised). */
  isWord(w: string): boolean {
    return plain(this.peek()) === w;
  }

  expectWord(w: string): void {
    if (!this.isWord(w)) throw this.unexpected();
    this.i++;
  }

  expectOp(op: string): void {
    if (!this.isOp(op)) throw this.unexpected();
    this.i++;
  }

  skipNewlines(): void {
    while (this.isOp('newline')) this.i++;
  }

  /** The source text from token `from` to the last consumed token. */
  sourceFrom(from: Token): string {
    return this.reader.src.slice(from.start, this.prev().end);
  }

  /** A list: and-or chains up to the end, a `)`, a `;;` or a closing reserved word. */
  list(): List {
    const list: List = [];
    this.skipNewlines();
    while (!this.done()) {
      const t = this.peek()!;
      if (t.type === 'op' && (t.op === ')' || t.op.startsWith(';;') || t.op === ';&')) break;
      if (CLOSERS.has(plain(t) ?? '')) break;
      const item = this.andOr();
      list.push(item);
      const sep = this.peek();
      if (sep?.type === 'op' && (sep.op === ';' || sep.op === '&' || sep.op === 'newline')) {
        item.background = sep.op === '&';
        this.i++;
        this.skipNewlines();
      } else break;
    }
    return list;
  }

  /** The and-or lists up to the end of the next line (a top-level newline), or undefined at the end. */
  commandLine(): List | undefined {
    this.skipNewlines();
    if (this.done()) return undefined;
    const list: List = [];
    while (!this.done()) {
      const item = this.andOr();
      list.push(item);
      const sep = this.peek();
      if (!sep) break;
      if (sep.type === 'op' && sep.op === 'newline') {
        this.i++;
        break;
      }
      if (sep.type !== 'op' || (sep.op !== ';' && sep.op !== '&')) throw this.unexpected();
      item.background = sep.op === '&';
      this.i++;
      if (this.isOp('newline')) {
        this.i++;
        break;
      }
    }
    return list;
  }

  /** A list that must not be empty (`if`, loop and case bodies...). */
  body(): List {
    const list = this.list();
    if (!list.length) throw this.unexpected();
    return list;
  }

  private andOr(): AndOr {
    const node: AndOr = { first: this.pipeline(), rest: [], background: false };
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.next() as { op: '&&' | '||' }).op;
      this.skipNewlines();
      node.rest.push({ op, pipeline: this.pipeline() });
    }
    return node;
  }

  private pipeline(): Pipeline {
    let time: Pipeline['time'];
    if (this.isWord('time')) {
      this.i++;
      time = 'bash';
      if (this.isWord('-p')) {
        this.i++;
        time = 'posix';
      }
    }
    let negate = false;
    while (this.isWord('!')) {
      negate = !negate;
      this.i++;
    }
    const commands = [this.command()];
    const stderrToo: boolean[] = [];
    while (this.isOp('|') || this.isOp('|&')) {
      stderrToo.push((this.next() as { op: string }).op === '|&');
      this.skipNewlines();
      commands.push(this.command());
    }
    return time ? { negate, commands, stderrToo, time } : { negate, commands, stderrToo };
  }

  command(): CommandNode {
    const t = this.peek();
    if (!t) throw this.unexpected();
    if (isCompoundStart(this)) {
      const node = compoundCommand(this);
      node.redirects.push(...this.redirects());
      return node;
    }
    if (CLOSERS.has(plain(t) ?? '')) throw this.unexpected();
    if (this.isWord('function')) return functionDefinition(this);
    return this.simple();
  }

  /** Redirections after a compound command (`done > file`, `} 2>&1`). */
  redirects(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek()?.type === 'redir') out.push(this.redirect());
    return out;
  }

  private redirect(): Redirect {
    const t = this.next() as Extract<Token, { type: 'redir' }>;
    const target = this.peek();
    if (target?.type !== 'word') throw target ? this.unexpected() : new ShellSyntaxError("syntax error near unexpected token `newline'");
    this.i++;
    const input = t.op === '<' || t.op === '<&' || t.op === '<<<' || t.op === '<<' || t.op === '<<-' || t.op === '<>';
    const r: Redirect = { fd: t.fd ?? (input ? 0 : 1), explicitFd: t.fd !== undefined, op: t.op, target: target.word, raw: target.raw };
    if (t.heredoc) r.body = t.heredoc.body;
    return r;
  }

  private simple(): CommandNode {
    const first = this.peek()!;
    const cmd: SimpleCommand = { type: 'simple', line: first.line, assigns: [], words: [], raws: [], redirects: [] };
    while (!this.done()) {
      const t = this.peek()!;
      if (t.type === 'redir') {
        cmd.redirects.push(this.redirect());
        continue;
      }
      if (t.type !== 'word') break;
      const assign = cmd.words.length === 0 ? assignment(t.word) : undefined;
      if (assign) cmd.assigns.push({ ...assign, raw: t.raw });
      else {
        cmd.words.push(t.word);
        cmd.raws.push(t.raw);
      }
      this.i++;
    }
    if (this.isOp('(')) {
      // `name () compound-command` defines a function; `(` anywhere else in a command is an error.
      if (cmd.words.length !== 1 || cmd.assigns.length || cmd.redirects.length) throw this.unexpected();
      this.i++;
      if (!this.isOp(')')) throw this.unexpected();
      this.i++;
      return functionBody(this, cmd.raws[0], first.line);
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirects.length) throw this.unexpected();
    return cmd;
  }
}

/**
 * `NAME=value`, `NAME+=value` or `NAME[index]=value` (NAME unquoted) in command position is an
 * assignment, not a word. The index may hold expansions (`a[$i]=x`), so it is a word too.
 */
export function assignment(word: Word): { name: string; index?: Word; value: Word; append: boolean } | undefined {
  const first = word[0];
  if (!first || first.kind !== 'lit' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.text);
  if (m) {
    const rest = first.text.slice(m[0].length);
    const value: Word = rest ? [{ kind: 'lit', text: rest, quoted: false }, ...word.slice(1)] : word.slice(1);
    return { name: m[1], value, append: m[2] === '+' };
  }
  const b = /^([A-Za-z_][A-Za-z0-9_]*)\[/.exec(first.text);
  if (!b) return undefined;
  const index: Word = [];
  for (let k = 0; k < word.length; k++) {
    const p = k === 0 ? { ...first, text: first.text.slice(b[0].length) } : word[k];
    if (p.kind === 'lit' && !p.quoted) {
      const c = /\](\+?)=/.exec(p.text);
      if (c) {
        if (c.index > 0) index.push({ kind: 'lit', text: p.text.slice(0, c.index), quoted: false });
        const rest = p.text.slice(c.index + c[0].length);
        const value: Word = rest ? [{ kind: 'lit', text: rest, quoted: false }, ...word.slice(k + 1)] : word.slice(k + 1);
        return { name: b[1], index, value, append: c[1] === '+' };
      }
    }
    if (p.kind !== 'lit' || p.text !== '') index.push(p);
  }
  return undefined;
}
