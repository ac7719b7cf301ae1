/** Builds the syntax tree (lists, and-or chains, pipelines, simple commands, groups) from tokens. */
import type { AndOr, CommandNode, List, Pipeline, Redirect, SimpleCommand, Word } from './ast.ts';
import { ShellSyntaxError, tokenize, type Token } from './lexer.ts';

export function parse(src: string): List {
  const p = new Parser(tokenize(src));
  const list = p.list([]);
  if (!p.done()) throw p.unexpected();
  return list;
}

/** The literal text of a word if it has no expansions and no quoting (for reserved words). */
function plain(t: Token | undefined): string | undefined {
  if (!t || t.type !== 'word') return undefined;
  return t.word.length === 1 && t.word[0].kind === 'lit' && !t.word[0].quoted ? t.word[0].text : undefined;
}

function describe(t: Token | undefined): string {
  if (!t) return 'newline';
  if (t.type === 'word') return t.raw;
  if (t.type === 'redir') return t.op;
  return t.op === 'newline' ? 'newline' : t.op;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  unexpected(): ShellSyntaxError {
    return new ShellSyntaxError(`syntax error near unexpected token \`${describe(this.tokens[this.i])}'`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.type === 'op' && t.op === op;
  }

  private skipNewlines(): void {
    while (this.isOp('newline')) this.i++;
  }

  /** A list, up to the end of input or a closing token (`)` or the reserved word `}`). */
  list(closers: string[]): List {
    const list: List = [];
    this.skipNewlines();
    while (!this.done()) {
      const t = this.peek()!;
      if (t.type === 'op' && closers.includes(t.op)) break;
      if (closers.includes(plain(t) ?? '\0')) break;
      list.push(this.andOr());
      const sep = this.peek();
      if (sep?.type === 'op' && (sep.op === ';' || sep.op === '&' || sep.op === 'newline')) {
        this.i++;
        this.skipNewlines();
      } else break;
    }
    return list;
  }

  private andOr(): AndOr {
    const node: AndOr = { first: this.pipeline(), rest: [] };
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.tokens[this.i++] as { op: '&&' | '||' }).op;
      this.skipNewlines();
      node.rest.push({ op, pipeline: this.pipeline() });
    }
    return node;
  }

  private pipeline(): Pipeline {
    let negate = false;
    while (plain(this.peek()) === '!') {
      negate = !negate;
      this.i++;
    }
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.i++;
      this.skipNewlines();
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): CommandNode {
    const t = this.peek();
    if (t?.type === 'op' && t.op === '(') {
      this.i++;
      const body = this.list([')']);
      if (!this.isOp(')')) throw this.done() ? new ShellSyntaxError("unexpected EOF while looking for matching `)'") : this.unexpected();
      this.i++;
      if (!body.length) throw this.unexpected();
      return { type: 'subshell', body, redirects: this.trailingRedirects() };
    }
    if (plain(t) === '{') {
      this.i++;
      const body = this.list(['}']);
      if (plain(this.peek()) !== '}') throw this.done() ? new ShellSyntaxError('syntax error: unexpected end of file') : this.unexpected();
      this.i++;
      if (!body.length) throw this.unexpected();
      return { type: 'group', body, redirects: this.trailingRedirects() };
    }
    return this.simple();
  }

  private trailingRedirects(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek()?.type === 'redir') out.push(this.redirect());
    return out;
  }

  private redirect(): Redirect {
    const t = this.tokens[this.i++] as Extract<Token, { type: 'redir' }>;
    const target = this.peek();
    if (target?.type !== 'word') throw this.unexpected();
    this.i++;
    const defaultFd = t.op === '<' || t.op === '<&' || t.op === '<<<' ? 0 : 1;
    return { fd: t.fd ?? defaultFd, op: t.op, target: target.word };
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [] };
    while (!this.done()) {
      const t = this.peek()!;
      if (t.type === 'redir') {
        cmd.redirects.push(this.redirect());
        continue;
      }
      if (t.type !== 'word') break;
      const assign = cmd.words.length === 0 ? assignment(t.word) : undefined;
      if (assign) cmd.assigns.push(assign);
      else cmd.words.push(t.word);
      this.i++;
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirects.length) throw this.unexpected();
    return cmd;
  }
}

/** `NAME=value` (NAME unquoted) in command position is an assignment, not a word. */
function assignment(word: Word): { name: string; value: Word } | undefined {
  const first = word[0];
  if (!first || first.kind !== 'lit' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!m) return undefined;
  const rest = first.text.slice(m[0].length);
  const value: Word = rest ? [{ kind: 'lit', text: rest, quoted: false }, ...word.slice(1)] : word.slice(1);
  return { name: m[1], value };
}
