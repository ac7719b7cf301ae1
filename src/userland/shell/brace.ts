/**
 * Brace expansion, the first expansion bash does: `a{b,c}d` is `abd acd`, `{1..5}`, `{a..e}`,
 * `{1..10..3}`, `{01..03}`, nested braces too. Only unquoted braces count; `${` is a parameter.
 */
import type { Word, WordPart } from './ast.ts';

/** A word as a sequence of unquoted characters (which may be braces) and other parts (which may not). */
type Atom = string | WordPart;

function atoms(word: Word): Atom[] {
  const out: Atom[] = [];
  for (const p of word) {
    if (p.kind === 'lit' && !p.quoted) out.push(...p.text);
    else out.push(p);
  }
  return out;
}

function toWord(as: Atom[]): Word {
  const out: Word = [];
  for (const a of as) {
    if (typeof a !== 'string') {
      out.push(a);
      continue;
    }
    const prev = out[out.length - 1];
    if (prev && prev.kind === 'lit' && !prev.quoted) prev.text += a;
    else out.push({ kind: 'lit', text: a, quoted: false });
  }
  return out;
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function closing(as: Atom[], open: number): number {
  let depth = 0;
  for (let k = open; k < as.length; k++) {
    if (as[k] === '{') depth++;
    else if (as[k] === '}' && --depth === 0) return k;
  }
  return -1;
}

/** Splits the inside of a brace at its top-level commas; undefined if there is none. */
function alternatives(inner: Atom[]): Atom[][] | undefined {
  const out: Atom[][] = [[]];
  let depth = 0;
  for (const a of inner) {
    if (a === '{') depth++;
    else if (a === '}') depth--;
    if (a === ',' && depth === 0) out.push([]);
    else out[out.length - 1].push(a);
  }
  return out.length > 1 ? out : undefined;
}

/** `{x..y[..step]}` over integers (zero-padded if an end is) or single letters; undefined if not one. */
function sequence(inner: Atom[]): string[] | undefined {
  if (!inner.every((a) => typeof a === 'string')) return undefined;
  const text = inner.join('');
  const num = /^([+-]?[0-9]+)\.\.([+-]?[0-9]+)(?:\.\.([+-]?[0-9]+))?$/.exec(text);
  const chr = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.([+-]?[0-9]+))?$/.exec(text);
  const m = num ?? chr;
  if (!m) return undefined;
  const from = num ? Number(m[1]) : m[1].charCodeAt(0);
  const to = num ? Number(m[2]) : m[2].charCodeAt(0);
  const step = Math.abs(Number(m[3] ?? 1)) || 1;
  const pad = num && (/^[+-]?0[0-9]/.test(m[1]) || /^[+-]?0[0-9]/.test(m[2])) ? Math.max(m[1].length, m[2].length) : 0;
  const out: string[] = [];
  for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
    if (!num) out.push(String.fromCharCode(v));
    else out.push(v < 0 ? '-' + String(-v).padStart(pad - 1, '0') : String(v).padStart(pad, '0'));
    if (out.length > 1_000_000) break;
  }
  return out;
}

function expand(as: Atom[]): Atom[][] {
  for (let open = 0; open < as.length; open++) {
    if (as[open] !== '{') continue;
    const close = closing(as, open);
    if (close < 0) return [as];
    const inner = as.slice(open + 1, close);
    const alts = alternatives(inner) ?? sequence(inner)?.map((s) => [...s]);
    if (!alts) continue;
    const pre = as.slice(0, open);
    const post = as.slice(close + 1);
    return alts.flatMap((alt) => expand([...pre, ...alt, ...post]));
  }
  return [as];
}

/** The words a word becomes by brace expansion (itself when it has no braces to expand). */
export function braceExpand(word: Word): Word[] {
  if (!word.some((p) => p.kind === 'lit' && !p.quoted && p.text.includes('{'))) return [word];
  return expand(atoms(word)).map(toWord);
}
