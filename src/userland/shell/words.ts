/**
 * Reads words as bash's lexer does: quoting (`\`, '...', "...", $'...') and the expansions inside a
 * word ($NAME, ${...} with its operators, $(...), backquotes, $((...))). The result keeps each
 * part's quotedness so expansion can split, glob and substitute later.
 */
import type { ParamOp, Word, WordPart } from './ast.ts';
import { arithEnd, matchingParen } from './scan.ts';
import { META, ShellSyntaxError } from './syntax.ts';

const ANSI_C: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Operators after `${NAME`, longest first so `##` wins over `#`. */
const PARAM_OPS: ParamOp[] = [':-', ':=', ':+', ':?', '-', '=', '+', '?', '##', '#', '%%', '%', '//', '/#', '/%', '/', '^^', '^', ',,', ',', '@'];

const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!0-9-])/;

/** Maps an offset of a source text to its line number. */
export function lineCounter(src: string, base: number): (offset: number) => number {
  const newlines: number[] = [];
  for (let k = 0; k < src.length; k++) if (src[k] === '\n') newlines.push(k);
  return (off) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < off) lo = mid + 1;
      else hi = mid;
    }
    return base + lo;
  };
}

/** Collects parts, merging neighbouring literals of the same quotedness. */
class Parts {
  readonly list: WordPart[] = [];
  lit(text: string, quoted: boolean): void {
    const prev = this.list[this.list.length - 1];
    if (prev && prev.kind === 'lit' && prev.quoted === quoted) prev.text += text;
    else this.list.push({ kind: 'lit', text, quoted });
  }
  push(part: WordPart): void {
    this.list.push(part);
  }
}

export class WordReader {
  private readonly lineAt: (offset: number) => number;

  constructor(
    readonly src: string,
    baseLine = 1,
  ) {
    this.lineAt = lineCounter(src, baseLine);
  }

  line(offset: number): number {
    return this.lineAt(offset);
  }

  /** A command-line word from `i` up to the next unquoted metacharacter. */
  word(i: number): { word: Word; end: number } {
    return this.unquoted(i, (k) => META.has(this.src[k]));
  }

  /** The whole text from `i` as one word whose metacharacters are literal (the regex of `=~`). */
  literalWord(i: number, end: number): Word {
    return this.unquoted(i, (k) => k >= end).word;
  }

  /** The text as a here-document body: only `$`, backquotes and `\` before `$ \` \\ newline` are special. */
  heredoc(): Word {
    const parts = new Parts();
    parts.lit('', true);
    this.doubleQuoted(0, parts, { stop: () => false, escapable: '$`\\\n', quoteChar: 'literal' });
    return parts.list;
  }

  /** The inside of `$((...))` or `((...))`: expansions are done, double quotes are removed. */
  arith(i: number, end: number): Word {
    const parts = new Parts();
    parts.lit('', true);
    this.doubleQuoted(i, parts, { stop: (k) => k >= end, escapable: '$`\\"\n', quoteChar: 'skip' });
    return parts.list;
  }

  /** Reads unquoted text until `stop`: quotes, escapes and expansions as on a command line. */
  private unquoted(i: number, stop: (k: number) => boolean): { word: Word; end: number } {
    const parts = new Parts();
    const src = this.src;
    const n = src.length;
    while (i < n && !stop(i)) {
      const c = src[i];
      if (c === '\\') {
        if (i + 1 >= n) {
          parts.lit('\\', false);
          i++;
        } else if (src[i + 1] === '\n') i += 2;
        else {
          parts.lit(src[i + 1], true);
          i += 2;
        }
      } else if (c === "'") {
        const close = src.indexOf("'", i + 1);
        if (close < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
        // An empty '' still makes a (possibly empty) word: it is an empty quoted literal.
        parts.lit(src.slice(i + 1, close), true);
        i = close + 1;
      } else if (c === '$' && src[i + 1] === '"') {
        i++; // $"..." (a translatable string) is "..." in the C locale
      } else if (c === '$' && src[i + 1] === "'") {
        const r = this.ansiC(i + 2);
        parts.lit(r.text, true);
        i = r.end;
      } else if (c === '"') {
        parts.lit('', true);
        i = this.doubleQuoted(i + 1, parts, { stop: (k) => src[k] === '"', escapable: '$`"\\\n', quoteChar: 'end' });
        if (i >= n) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
        i++;
      } else if (c === '$' || c === '`') {
        const r = this.dollar(i, false);
        if (r.part) parts.push(r.part);
        else parts.lit(c, false);
        i = r.end;
      } else {
        parts.lit(c, false);
        i++;
      }
    }
    return { word: parts.list, end: i };
  }

  /**
   * Reads double-quote-like text from `i` until `opts.stop` (or the end); every part is quoted.
   * `quoteChar` says what a `"` is there: the end ("..."), a literal (here-documents) or a quote
   * to remove (`$((...))`, `"${x:-"a"}"`).
   */
  private doubleQuoted(i: number, parts: Parts, opts: { stop: (k: number) => boolean; escapable: string; quoteChar: 'end' | 'literal' | 'skip' }): number {
    const src = this.src;
    while (i < src.length && !opts.stop(i)) {
      const c = src[i];
      if (c === '\\') {
        const nx = src[i + 1];
        if (nx === '\n' && opts.escapable.includes('\n')) i += 2;
        else if (nx !== undefined && opts.escapable.includes(nx)) {
          parts.lit(nx, true);
          i += 2;
        } else {
          parts.lit('\\', true);
          i++;
        }
      } else if (c === '$' || c === '`') {
        const r = this.dollar(i, true);
        if (r.part) parts.push(r.part);
        else parts.lit(c, true);
        i = r.end;
      } else if (c === '"' && opts.quoteChar === 'skip') i++;
      else {
        parts.lit(c, true);
        i++;
      }
    }
    return i;
  }

  /** Reads `$NAME`, `${...}`, `$(...)`, `$((...))` or a backquoted command at `i`; no part if `$` is literal. */
  private dollar(i: number, quoted: boolean): { part?: WordPart; end: number } {
    const src = this.src;
    if (src[i] === '`') {
      let j = i + 1;
      let script = '';
      while (j < src.length && src[j] !== '`') {
        if (src[j] === '\\' && (src[j + 1] === '`' || src[j + 1] === '\\' || src[j + 1] === '$' || (quoted && src[j + 1] === '"'))) j++;
        script += src[j++];
      }
      if (j >= src.length) throw new ShellSyntaxError('unexpected EOF while looking for matching ``\'');
      return { part: { kind: 'cmdsub', script, quoted, line: this.lineAt(i) }, end: j + 1 };
    }
    const nx = src[i + 1];
    if (nx === '(') {
      if (src[i + 2] === '(') {
        const end = arithEnd(src, i + 3);
        if (end !== undefined) return { part: { kind: 'arith', expr: this.arith(i + 3, end), quoted }, end: end + 2 };
      }
      const close = matchingParen(src, i + 2);
      return { part: { kind: 'cmdsub', script: src.slice(i + 2, close), quoted, line: this.lineAt(i) }, end: close + 1 };
    }
    if (nx === '{') return this.braced(i, quoted);
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(src.slice(i + 1, i + 200));
    if (!m) return { end: i + 1 };
    return { part: { kind: 'param', name: m[0], quoted }, end: i + 1 + m[0].length };
  }

  /** `${...}` starting at the `$`. */
  private braced(i: number, quoted: boolean): { part: WordPart; end: number } {
    const src = this.src;
    let j = i + 2;
    const nameAt = (k: number) => NAME.exec(src.slice(k, k + 200))?.[0];
    if ((src[j] === '#' || src[j] === '!') && src[j + 1] !== '}') {
      const name = nameAt(j + 1);
      if (name !== undefined) {
        const sub = this.subscript(j + 1 + name.length, name);
        if (src[sub.end] === '}') {
          const part: WordPart = { kind: 'param', name, quoted, op: src[j] === '#' ? 'len' : 'indirect' };
          if (sub.index) part.index = sub.index;
          return { part, end: sub.end + 1 };
        }
      }
    }
    const name = nameAt(j);
    if (name === undefined) return this.bad(i, quoted);
    const sub = this.subscript(j + name.length, name);
    j = sub.end;
    const index = sub.index ? { index: sub.index } : {};
    if (src[j] === '}') return { part: { kind: 'param', name, quoted, ...index }, end: j + 1 };
    let op = PARAM_OPS.find((o) => src.startsWith(o, j));
    if (!op && src[j] === ':') op = 'sub';
    if (!op) return this.bad(i, quoted);
    j += op === 'sub' ? 1 : op.length;
    const part: WordPart = { kind: 'param', name, quoted, op, ...index };
    const split = op === 'sub' ? ':' : op.startsWith('/') ? '/' : '';
    // A pattern is read as if unquoted even inside "...": only its own quotes make it literal.
    const pattern = /^[#%/^,]/.test(op);
    let r = this.paramArg(j, quoted && !pattern, split);
    part.arg = r.word;
    if (split && src[r.end] === split) {
      r = this.paramArg(r.end + 1, quoted, '');
      part.arg2 = r.word;
    }
    if (src[r.end] !== '}') throw new ShellSyntaxError("unexpected EOF while looking for matching `}'");
    return { part, end: r.end + 1 };
  }

  /** `[...]` after an array name in `${...}`: the subscript as a word (`@` and `*` as themselves). */
  private subscript(j: number, name: string): { index?: Word; end: number } {
    if (this.src[j] !== '[' || !/^[A-Za-z_]/.test(name)) return { end: j };
    const r = this.unquoted(j + 1, (k) => this.src[k] === ']' || this.src[k] === '}');
    if (this.src[r.end] !== ']') return { end: j };
    return { index: r.word, end: r.end + 1 };
  }

  /** The items of `name=(...)` from `i` (after the `(`): words over any number of lines. */
  arrayItems(i: number): { items: { word: Word; raw: string }[]; end: number } {
    const src = this.src;
    const items: { word: Word; raw: string }[] = [];
    while (i < src.length) {
      const c = src[i];
      if (c === ' ' || c === '\t' || c === '\n') i++;
      else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
      else if (c === ')') return { items, end: i + 1 };
      else if (META.has(c)) throw new ShellSyntaxError(`syntax error near unexpected token \`${c}'`);
      else {
        const w = this.word(i);
        items.push({ word: w.word, raw: src.slice(i, w.end) });
        i = w.end;
      }
    }
    throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
  }

  /** The word after a `${NAME` operator, up to `}` (or the `split` character, for `/` and `:`). */
  private paramArg(i: number, quoted: boolean, split: string): { word: Word; end: number } {
    const stop = (k: number) => this.src[k] === '}' || (split !== '' && this.src[k] === split);
    if (!quoted) return this.unquoted(i, stop);
    const parts = new Parts();
    parts.lit('', true);
    const end = this.doubleQuoted(i, parts, { stop, escapable: '$`"\\}\n', quoteChar: 'skip' });
    return { word: parts.list, end };
  }

  /** A `${...}` that is not valid: it parses, and fails when expanded (`bad substitution`). */
  private bad(i: number, quoted: boolean): { part: WordPart; end: number } {
    let depth = 0;
    for (let k = i + 2; k < this.src.length; k++) {
      if (this.src[k] === '{') depth++;
      else if (this.src[k] === '}' && depth-- === 0) return { part: { kind: 'bad', text: this.src.slice(i, k + 1), quoted }, end: k + 1 };
    }
    throw new ShellSyntaxError("unexpected EOF while looking for matching `}'");
  }

  /** Reads the body of $'...' from `i`, decoding ANSI-C escapes; returns the text and the index after `'`. */
  private ansiC(i: number): { text: string; end: number } {
    const src = this.src;
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
}
