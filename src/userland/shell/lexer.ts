/**
 * Splits a command line into words and operators, resolving quoting as bash does: the result
 * keeps each word's parts with their quotedness so expansion can split and substitute later.
 */
import type { Word, WordPart, RedirectOp } from './ast.ts';

export type Token =
  | { type: 'word'; word: Word; /** The source text, for error messages and reserved words. */ raw: string }
  | { type: 'op'; op: ';' | '&' | '&&' | '||' | '|' | '(' | ')' | 'newline' }
  | { type: 'redir'; op: RedirectOp; fd?: number };

/** A syntax error; `message` is what bash prints after `bash: `. */
export class ShellSyntaxError extends Error {}

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

const ANSI_C: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = src.length;

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
      tokens.push({ type: 'op', op: 'newline' });
      i++;
      continue;
    }
    const op = readOperator(src, i);
    if (op) {
      tokens.push(op.token);
      i = op.end;
      continue;
    }
    const start = i;
    const w = readWord(src, i);
    i = w.end;
    const raw = src.slice(start, i);
    // `2>file`, `2>&1`: an unquoted all-digit word right before `<`/`>` is the fd it redirects.
    if (/^\d+$/.test(raw) && (src[i] === '<' || src[i] === '>')) {
      const r = readOperator(src, i);
      if (r && r.token.type === 'redir' && !r.token.op.startsWith('&')) {
        tokens.push({ ...r.token, fd: Number(raw) });
        i = r.end;
        continue;
      }
    }
    tokens.push({ type: 'word', word: w.word, raw });
  }
  return tokens;
}

function readOperator(src: string, i: number): { token: Token; end: number } | undefined {
  const three = src.slice(i, i + 3);
  const two = src.slice(i, i + 2);
  const c = src[i];
  if (three === '&>>') return { token: { type: 'redir', op: '&>>' }, end: i + 3 };
  if (three === '<<<') return { token: { type: 'redir', op: '<<<' }, end: i + 3 };
  if (two === '&>') return { token: { type: 'redir', op: '&>' }, end: i + 2 };
  if (two === '>>' || two === '>&' || two === '<&' || two === '>|') return { token: { type: 'redir', op: two }, end: i + 2 };
  if (two === '<<') throw new ShellSyntaxError('here-documents are not supported (use a file or <<<)');
  if (two === '&&' || two === '||') return { token: { type: 'op', op: two }, end: i + 2 };
  if (c === '>' || c === '<') return { token: { type: 'redir', op: c }, end: i + 1 };
  if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') return { token: { type: 'op', op: c }, end: i + 1 };
  return undefined;
}

/** Reads one word starting at `i` (not at a metacharacter). */
function readWord(src: string, i: number): { word: Word; end: number } {
  const parts: WordPart[] = [];
  const lit = (text: string, quoted: boolean) => {
    const prev = parts[parts.length - 1];
    if (prev && prev.kind === 'lit' && prev.quoted === quoted) prev.text += text;
    else parts.push({ kind: 'lit', text, quoted });
  };
  const n = src.length;
  while (i < n && !META.has(src[i])) {
    const c = src[i];
    if (c === '\\') {
      if (i + 1 >= n) {
        lit('\\', false);
        i++;
      } else if (src[i + 1] === '\n') i += 2;
      else {
        lit(src[i + 1], true);
        i += 2;
      }
    } else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      lit(src.slice(i + 1, close), true);
      // An empty '' still makes a (possibly empty) word: mark it with an empty quoted literal.
      i = close + 1;
    } else if (c === '$' && src[i + 1] === "'") {
      const r = readAnsiC(src, i + 2);
      lit(r.text, true);
      i = r.end;
    } else if (c === '"') {
      i = readDoubleQuoted(src, i + 1, parts, lit);
    } else if (c === '$' || c === '`') {
      const r = readDollar(src, i, false);
      if (r.part) parts.push(r.part);
      else lit(c, false);
      i = r.end;
    } else {
      lit(c, false);
      i++;
    }
  }
  return { word: parts, end: i };
}

/** Reads the inside of "..." from `i` (after the opening quote); returns the index after the close. */
function readDoubleQuoted(src: string, i: number, parts: WordPart[], lit: (t: string, q: boolean) => void): number {
  lit('', true);
  while (true) {
    if (i >= src.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
    const c = src[i];
    if (c === '"') return i + 1;
    if (c === '\\') {
      const nx = src[i + 1];
      if (nx === '$' || nx === '`' || nx === '"' || nx === '\\') {
        lit(nx, true);
        i += 2;
      } else if (nx === '\n') i += 2;
      else {
        lit('\\', true);
        i++;
      }
    } else if (c === '$' || c === '`') {
      const r = readDollar(src, i, true);
      if (r.part) parts.push(r.part);
      else lit(c, true);
      i = r.end;
    } else {
      lit(c, true);
      i++;
    }
  }
}

/** Reads `$NAME`, `${...}`, `$(...)` or a backquoted command at `i`; no part if `$` is literal. */
function readDollar(src: string, i: number, quoted: boolean): { part?: WordPart; end: number } {
  if (src[i] === '`') {
    let j = i + 1;
    let script = '';
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\' && (src[j + 1] === '`' || src[j + 1] === '\\' || src[j + 1] === '$')) j++;
      script += src[j++];
    }
    if (j >= src.length) throw new ShellSyntaxError('unexpected EOF while looking for matching ``\'');
    return { part: { kind: 'cmdsub', script, quoted }, end: j + 1 };
  }
  const nx = src[i + 1];
  if (nx === '(') {
    if (src[i + 2] === '(') throw new ShellSyntaxError('arithmetic expansion $((...)) is not supported');
    const close = matchingParen(src, i + 2);
    return { part: { kind: 'cmdsub', script: src.slice(i + 2, close), quoted }, end: close + 1 };
  }
  if (nx === '{') {
    const close = src.indexOf('}', i + 2);
    if (close < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `}'");
    const body = src.slice(i + 2, close);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])(?::-(.*))?$/s.exec(body);
    if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
    const part: WordPart = { kind: 'param', name: m[1], quoted };
    if (m[2] !== undefined) part.fallback = readWord(m[2].replace(/[ \t]/g, '\\$&'), 0).word;
    return { part, end: close + 1 };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(src.slice(i + 1));
  if (!m) return { end: i + 1 };
  return { part: { kind: 'param', name: m[1], quoted }, end: i + 1 + m[1].length };
}

/** Index of the `)` closing a `$(` whose contents start at `i`, skipping quotes and nesting. */
function matchingParen(src: string, i: number): number {
  let depth = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      if (close < 0) break;
      i = close + 1;
    } else if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i++;
    } else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
      i++;
    }
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
}

/** Reads the body of $'...' from `i`, decoding ANSI-C escapes; returns the text and the index after `'`. */
function readAnsiC(src: string, i: number): { text: string; end: number } {
  let text = '';
  while (true) {
    if (i >= src.length) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
    const c = src[i];
    if (c === "'") return { text, end: i + 1 };
    if (c !== '\\') {
      text += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    i += 2;
    if (e in ANSI_C) text += ANSI_C[e];
    else if (e >= '0' && e <= '7') {
      const m = /^[0-7]{1,3}/.exec(src.slice(i - 1))![0];
      text += String.fromCharCode(parseInt(m, 8) & 0xff);
      i += m.length - 1;
    } else if (e === 'x' && /^[0-9a-fA-F]/.test(src[i] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i))![0];
      text += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else if ((e === 'u' || e === 'U') && /^[0-9a-fA-F]/.test(src[i] ?? '')) {
      const m = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(src.slice(i))![0];
      text += String.fromCodePoint(parseInt(m, 16));
      i += m.length;
    } else if (e === 'c' && i < src.length) {
      text += String.fromCharCode(src[i].toUpperCase().charCodeAt(0) ^ 0x40);
      i++;
    } else text += '\\' + (e ?? '');
  }
}
