/**
 * Word expansion in bash's order: tilde, parameters, command substitution and arithmetic, then
 * field splitting on $IFS (only of unquoted expansion results), then pathname expansion (only of
 * unquoted `*?[`), then quote removal.
 */
import type { Word } from './ast.ts';
import { ArithError, evaluate, type ArithVars } from './arith.ts';
import { asArray, resolveIndex, setScalar, type ArrayItem, type ShellArray } from './arrays.ts';
import { braceExpand } from './brace.ts';
import { expandPathname } from './glob.ts';
import { escapePattern } from './pattern.ts';
import { expandParam, ExpansionError, type ArgExpander, type Seg } from './params.ts';
import { getVar, ifsOf, type ShellState } from './state.ts';

export { ExpansionError } from './params.ts';

export interface Expander {
  state: ShellState;
  /** Runs the script of a `$(...)` (starting on `line`) and returns its output. */
  substitute(script: string, line: number): Promise<string>;
}

/** One field before globbing: its text, the same as a pattern (quoted characters escaped), and whether to glob it. */
interface Field {
  text: string;
  pattern: string;
  glob: boolean;
}

function argExpander(ex: Expander): ArgExpander {
  return {
    segments: (w, inArg) => segments(w, ex, inArg),
    string: (w) => expandString(w, ex),
    pattern: (w) => expandPattern(w, ex),
    arith: (w) => arithValue(w, ex),
    arithText: (t) => arithText(t, ex.state),
    assignElement: (name, index, value) => assignElement(name, index, value, false, ex),
  };
}

/** Evaluates arithmetic text; errors are fatal expansion errors. */
function arithText(text: string, state: ShellState): Promise<bigint> {
  try {
    return Promise.resolve(evaluate(text, arithVars(state)));
  } catch (e) {
    if (e instanceof ArithError) throw new ExpansionError(e.message, 1);
    throw e;
  }
}

/** `name[index]=value` (or `+=`): the index is a string for associative arrays, arithmetic otherwise. */
export async function assignElement(name: string, index: Word, value: string, append: boolean, ex: Expander): Promise<void> {
  const state = ex.state;
  const arr = asArray(state, name);
  const sub = await expandString(index, ex);
  let key: string | undefined = sub;
  if (!arr.assoc) {
    key = resolveIndex(arr, await arithText(sub, state));
    if (key === undefined) throw new ExpansionError(`${name}[${sub}]: bad array subscript`, 1);
  }
  arr.items.set(key, append ? (arr.items.get(key) ?? '') + value : value);
}

/** `~`, `~/x`, `~root`, `~+`, `~-` at the start of an unquoted word; undefined if not a known home. */
function tilde(text: string, state: ShellState): { home: string; rest: string } | undefined {
  const m = /^~([^/]*)/.exec(text);
  if (!m) return undefined;
  const user = m[1];
  const home = user === '' ? (state.env.HOME ?? '/root') : user === 'root' ? '/root' : user === '+' ? state.cwd : user === '-' ? state.env.OLDPWD : undefined;
  return home === undefined ? undefined : { home, rest: text.slice(m[0].length) };
}

/** Whether a subscript is `[@]` (each element its own word when quoted, like "$@"). */
function isAllSubscript(index: Word | undefined): boolean {
  return index?.length === 1 && index[0].kind === 'lit' && index[0].text === '@';
}

async function segments(word: Word, ex: Expander, inArg = false): Promise<Seg[]> {
  const out: Seg[] = [];
  let quotedAt = false;
  for (let k = 0; k < word.length; k++) {
    const part = word[k];
    switch (part.kind) {
      case 'lit': {
        let text = part.text;
        if (k === 0 && !part.quoted && text.startsWith('~')) {
          const t = tilde(text, ex.state);
          if (t) {
            out.push({ text: t.home, quoted: true, split: false });
            text = t.rest;
            if (text === '') break;
          }
        }
        if (text === '' && part.quoted) out.push({ text: '', quoted: true, split: false, marker: true });
        // Literal text inside `${x:-a b}` is part of an expansion's result, so it is split too.
        else out.push({ text, quoted: part.quoted, split: inArg && !part.quoted });
        break;
      }
      case 'param':
        if (part.quoted && (part.name === '@' || (part.op === 'indirect' && getVar(ex.state, part.name) === '@') || isAllSubscript(part.index))) quotedAt = true;
        out.push(...(await expandParam(part, ex.state, argExpander(ex))));
        break;
      case 'cmdsub': {
        const text = (await ex.substitute(part.script, part.line)).replace(/\n+$/, '');
        out.push({ text, quoted: part.quoted, split: !part.quoted });
        break;
      }
      case 'arith': {
        const text = String(await arithValue(part.expr, ex));
        out.push({ text, quoted: part.quoted, split: !part.quoted });
        break;
      }
      case 'bad':
        throw new ExpansionError(`${part.text}: bad substitution`, 1);
      case 'array':
        // Only an assignment gives `(...)` a meaning; anywhere else it is its text.
        out.push({ text: '(', quoted: false, split: false });
        for (const item of part.items) out.push(...(await segments(item, ex)), { text: ' ', quoted: true, split: false });
        out.push({ text: ')', quoted: false, split: false });
        break;
    }
  }
  // "$@" with no parameters makes no field at all, even though it was written in quotes.
  return quotedAt ? out.filter((s) => !('marker' in s && s.marker)) : out;
}

/** Splits segments into fields on $IFS (only `split` segments are split). */
function fields(segs: Seg[], ifs: string): Field[] {
  const out: Field[] = [];
  let cur: Field = { text: '', pattern: '', glob: false };
  let have = false;
  let afterWs = false;
  const finish = () => {
    out.push(cur);
    cur = { text: '', pattern: '', glob: false };
    have = false;
  };
  const add = (text: string, quoted: boolean) => {
    cur.text += text;
    cur.pattern += quoted ? escapePattern(text) : text;
    if (!quoted && /[*?[]/.test(text)) cur.glob = true;
  };
  const ws = [...ifs].filter((c) => c === ' ' || c === '\t' || c === '\n').join('');
  const other = [...ifs].filter((c) => !ws.includes(c)).join('');
  const esc = (s: string) => s.replace(/[\]\\^-]/g, '\\$&');
  const pieces = ifs === '' ? undefined : new RegExp(`[^${esc(ifs)}]+|[${esc(ifs)}]`, 'g');
  for (const s of segs) {
    if ('brk' in s) {
      if (have || s.quoted) finish();
      afterWs = false;
      continue;
    }
    if (!s.split || !pieces) {
      add(s.text, s.quoted);
      if (s.quoted || s.text !== '') have = true;
      afterWs = false;
      continue;
    }
    for (const [piece] of s.text.matchAll(pieces)) {
      if (piece.length === 1 && ws.includes(piece)) {
        if (have) {
          finish();
          afterWs = true;
        }
      } else if (piece.length === 1 && other.includes(piece)) {
        if (have) finish();
        else if (!afterWs) out.push({ text: '', pattern: '', glob: false });
        afterWs = false;
      } else {
        add(piece, false);
        have = true;
        afterWs = false;
      }
    }
  }
  if (have) finish();
  return out;
}

/** Expands command words: each may become zero, one or several fields (splitting and globbing). */
export async function expandWords(words: Word[], ex: Expander): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) for (const b of braceExpand(w)) out.push(...(await expandFields(b, ex)));
  return out;
}

export async function expandFields(word: Word, ex: Expander): Promise<string[]> {
  const state = ex.state;
  const out: string[] = [];
  for (const f of fields(await segments(word, ex), ifsOf(state))) {
    if (f.glob && !state.flags.noglob) {
      const matches = expandPathname(f.pattern, state.cwd, state.fs);
      if (matches.length || state.flags.nullglob) {
        out.push(...matches);
        continue;
      }
    }
    out.push(f.text);
  }
  return out;
}

/** Expands a word that stays one string (assignments, here-documents, `case` words): no splitting or globbing. */
export async function expandString(word: Word, ex: Expander): Promise<string> {
  let s = '';
  for (const seg of await segments(word, ex)) s += 'brk' in seg ? ' ' : seg.text;
  return s;
}

/** Expands a word into a pattern: quoted characters are escaped so they match only themselves. */
export async function expandPattern(word: Word, ex: Expander): Promise<string> {
  let s = '';
  for (const seg of await segments(word, ex)) s += 'brk' in seg ? ' ' : seg.quoted ? escapePattern(seg.text) : seg.text;
  return s;
}

/** Evaluates an arithmetic expression word; errors are fatal expansion errors. */
export async function arithValue(expr: Word, ex: Expander): Promise<bigint> {
  return arithText(await expandString(expr, ex), ex.state);
}

/** How arithmetic reads and assigns the shell's variables, array elements (`a[2]`, `m[key]`) included. */
export function arithVars(state: ShellState): ArithVars {
  const element = (ref: string): { arr: ShellArray; key?: string } | undefined => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(ref);
    if (!m) return undefined;
    const arr = asArray(state, m[1]);
    return { arr, key: arr.assoc ? m[2] : resolveIndex(arr, evaluate(m[2], arithVars(state))) };
  };
  return {
    get: (name) => {
      const el = element(name);
      return el ? (el.key === undefined ? undefined : el.arr.items.get(el.key)) : getVar(state, name);
    },
    set: (name, value) => {
      const el = element(name);
      if (!el) setScalar(state, name, value);
      else if (el.key !== undefined) el.arr.items.set(el.key, value);
    },
  };
}

/** Expands the right side of `=~` into an ERE: quoted characters are escaped so they match literally. */
export async function expandRegex(word: Word, ex: Expander): Promise<string> {
  let s = '';
  for (const seg of await segments(word, ex)) s += 'brk' in seg ? ' ' : seg.quoted ? seg.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : seg.text;
  return s;
}

/**
 * The items of `name=(...)`: `[key]=value` items keep their key (a string for an associative
 * array, arithmetic otherwise); others are expanded like command words (split, globbed).
 */
export async function expandArrayItems(items: Word[], assoc: boolean, ex: Expander): Promise<ArrayItem[]> {
  const out: ArrayItem[] = [];
  for (const item of items) {
    const keyed = assignmentLike(item);
    if (keyed) {
      const k = await expandString(keyed.key, ex);
      out.push({ key: assoc ? k : String(await arithText(k, ex.state)), value: await expandString(keyed.value, ex) });
    } else for (const b of braceExpand(item)) for (const v of await expandFields(b, ex)) out.push({ value: v });
  }
  return out;
}

/** `[key]=value` at the start of an array item. */
function assignmentLike(word: Word): { key: Word; value: Word } | undefined {
  const first = word[0];
  if (first?.kind !== 'lit' || first.quoted || !first.text.startsWith('[')) return undefined;
  const key: Word = [];
  for (let k = 0; k < word.length; k++) {
    const p = k === 0 ? { ...first, text: first.text.slice(1) } : word[k];
    if (p.kind === 'lit' && !p.quoted && p.text.includes(']=')) {
      const at = p.text.indexOf(']=');
      if (at > 0) key.push({ kind: 'lit', text: p.text.slice(0, at), quoted: false });
      const rest = p.text.slice(at + 2);
      return { key, value: rest ? [{ kind: 'lit', text: rest, quoted: false }, ...word.slice(k + 1)] : word.slice(k + 1) };
    }
    key.push(p);
  }
  return undefined;
}
