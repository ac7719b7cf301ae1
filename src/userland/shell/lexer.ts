/**
 * Splits a script into tokens (words, operators, redirections, `((...))`) as bash's lexer does,
 * and reads here-document bodies from the lines after the one that asked for them.
 */
import type { RedirectOp, Word } from './ast.ts';
import { arithEnd } from './scan.ts';
import { WordReader } from './words.ts';

export { ShellSyntaxError } from './syntax.ts';

export type Op = ';' | '&' | '&&' | '||' | '|' | '|&' | '(' | ')' | ';;' | ';&' | ';;&' | 'newline';

/** Where a token is in the source: offsets for slicing, the line for messages. */
interface At {
  start: number;
  end: number;
  line: number;
}

/** A here-document's body, filled in once the lexer reaches the lines after the command. */
export interface HereDoc {
  body: Word;
}

export type Token =
  | ({ type: 'word'; word: Word; /** The source text, for messages, reserved words and printing. */ raw: string } & At)
  | ({ type: 'op'; op: Op } & At)
  | ({ type: 'redir'; op: RedirectOp; fd?: number; heredoc?: HereDoc } & At)
  /** `((...))` where a command may start: the expression between the parentheses. */
  | ({ type: 'arith'; expr: Word; text: string } & At);

export interface Lexed {
  tokens: Token[];
  /** Warnings bash prints while reading (a here-document cut short by the end of the script). */
  warnings: string[];
}

/** Words after which a command starts (so `((` there is arithmetic, not two subshells). */
const BEFORE_COMMAND = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'for', 'time']);

const OPERATORS: [string, Op | RedirectOp, 'op' | 'redir'][] = [
  [';;&', ';;&', 'op'],
  ['&>>', '&>>', 'redir'],
  ['<<<', '<<<', 'redir'],
  ['<<-', '<<-', 'redir'],
  [';;', ';;', 'op'],
  [';&', ';&', 'op'],
  ['|&', '|&', 'op'],
  ['&&', '&&', 'op'],
  ['||', '||', 'op'],
  ['&>', '&>', 'redir'],
  ['>>', '>>', 'redir'],
  ['>&', '>&', 'redir'],
  ['<&', '<&', 'redir'],
  ['>|', '>|', 'redir'],
  ['<>', '<>', 'redir'],
  ['<<', '<<', 'redir'],
  [';', ';', 'op'],
  ['&', '&', 'op'],
  ['|', '|', 'op'],
  ['(', '(', 'op'],
  [')', ')', 'op'],
  ['<', '<', 'redir'],
  ['>', '>', 'redir'],
];

function operatorAt(src: string, i: number): [string, Op | RedirectOp, 'op' | 'redir'] | undefined {
  return OPERATORS.find(([text]) => src.startsWith(text, i));
}

export function tokenize(src: string, baseLine = 1): Lexed {
  const reader = new WordReader(src, baseLine);
  const tokens: Token[] = [];
  const warnings: string[] = [];
  const pending: { doc: HereDoc; delim: string; quoted: boolean; strip: boolean; line: number }[] = [];
  let wantDelim: { doc: HereDoc; strip: boolean } | undefined;
  let i = 0;
  const n = src.length;
  const at = (start: number, end: number): At => ({ start, end, line: reader.line(start) });

  /** Reads the bodies of the here-documents of the line just ended, starting at `i`. */
  const readBodies = (i: number): number => {
    for (const p of pending.splice(0)) {
      const bodyLine = reader.line(i);
      let body = '';
      let found = false;
      while (i < n) {
        let nl = src.indexOf('\n', i);
        if (nl < 0) nl = n;
        let line = src.slice(i, nl);
        i = nl + 1;
        if (p.strip) line = line.replace(/^\t+/, '');
        if (line === p.delim) {
          found = true;
          break;
        }
        body += line + '\n';
      }
      if (!found) warnings.push(`line ${reader.line(n)}: warning: here-document at line ${p.line} delimited by end-of-file (wanted \`${p.delim}')`);
      p.doc.body = p.quoted ? [{ kind: 'lit', text: body, quoted: true }] : new WordReader(body, bodyLine).heredoc();
    }
    return Math.min(i, n);
  };

  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ type: 'op', op: 'newline', ...at(i, i + 1) });
      i = pending.length ? readBodies(i + 1) : i + 1;
      continue;
    }
    if (c === '(' && src[i + 1] === '(' && atCommandStart(tokens)) {
      const end = arithEnd(src, i + 2);
      if (end !== undefined) {
        tokens.push({ type: 'arith', expr: reader.arith(i + 2, end), text: src.slice(i + 2, end), ...at(i, end + 2) });
        i = end + 2;
        continue;
      }
    }
    const op = operatorAt(src, i);
    if (op) {
      const [text, name, type] = op;
      const token: Token = type === 'op' ? { type, op: name as Op, ...at(i, i + text.length) } : { type, op: name as RedirectOp, ...at(i, i + text.length) };
      tokens.push(token);
      if (token.type === 'redir' && (token.op === '<<' || token.op === '<<-')) wantDelim = { doc: (token.heredoc = { body: [] }), strip: token.op === '<<-' };
      i += text.length;
      continue;
    }
    const start = i;
    const w = reader.word(i);
    i = w.end;
    const raw = src.slice(start, i);
    // `2>file`, `2>&1`: an unquoted all-digit word right before `<`/`>` is the fd it redirects.
    if (/^\d+$/.test(raw) && (src[i] === '<' || src[i] === '>')) {
      const r = operatorAt(src, i);
      if (r && r[2] === 'redir' && !r[0].startsWith('&')) {
        const token: Token = { type: 'redir', op: r[1] as RedirectOp, fd: Number(raw), ...at(start, i + r[0].length) };
        tokens.push(token);
        if (token.op === '<<' || token.op === '<<-') wantDelim = { doc: (token.heredoc = { body: [] }), strip: token.op === '<<-' };
        i += r[0].length;
        continue;
      }
    }
    // `name=(a b c)`: an array assignment; its items are words, the whole is one token.
    if (src[i] === '(' && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(raw)) {
      const r = reader.arrayItems(i + 1);
      i = r.end;
      const word: Word = [...w.word, { kind: 'array', items: r.items.map((it) => it.word), quoted: false }];
      tokens.push({ type: 'word', word, raw: src.slice(start, i), ...at(start, i) });
      continue;
    }
    tokens.push({ type: 'word', word: w.word, raw, ...at(start, i) });
    if (wantDelim) {
      pending.push({ doc: wantDelim.doc, delim: raw.replace(/["'\\]/g, ''), quoted: /["'\\]/.test(raw), strip: wantDelim.strip, line: reader.line(start) });
      wantDelim = undefined;
    }
  }
  if (pending.length) readBodies(n);
  return { tokens, warnings };
}

function atCommandStart(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return true;
  if (last.type === 'op') return last.op !== ')';
  return last.type === 'word' && BEFORE_COMMAND.has(last.raw);
}


/** The literal text of a word token if it has no expansions and no quoting (for reserved words). */
export function plain(t: Token | undefined): string | undefined {
  if (!t || t.type !== 'word') return undefined;
  return t.word.length === 1 && t.word[0].kind === 'lit' && !t.word[0].quoted ? t.word[0].text : undefined;
}
