/**
 * Parameter expansion: `$NAME`, the special parameters, `"$@"`, and the `${NAME...}` operators
 * (defaults, assignment, errors, alternatives, length, pattern removal and replacement, case
 * changes, substrings, indirection). Produces segments for the field splitter in expand.ts.
 */
import type { Word, WordPart } from './ast.ts';
import { arrayKeys, arrayValues, resolveIndex, setScalar } from './arrays.ts';
import { getVar, ifsOf, type ShellState } from './state.ts';
import { removePrefix, removeSuffix, replacePattern, matchPattern } from './pattern.ts';

/** A run of expanded text; `split` runs are subject to field splitting; `brk` separates "$@" fields. */
export type Seg = { text: string; quoted: boolean; split: boolean; /** An empty "" or '' */ marker?: boolean } | { brk: true; quoted: boolean };

/** An expansion failure bash treats as fatal in a script (`${x:?}`, `set -u`, bad arithmetic). */
export class ExpansionError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The word-level expansions the operators need for their argument words. */
export interface ArgExpander {
  segments(word: Word, inArg: boolean): Promise<Seg[]>;
  string(word: Word): Promise<string>;
  pattern(word: Word): Promise<string>;
  arith(word: Word): Promise<bigint>;
  arithText(expr: string): Promise<bigint>;
  /** `name[index]=value` (for `${a[1]:=x}`). */
  assignElement(name: string, index: Word, value: string): Promise<void>;
}

type ParamPart = Extract<WordPart, { kind: 'param' }>;

const SPECIAL = /^(?:[0-9]+|[?$!#@*-])$/;

/** What a parameter names: one value (undefined if unset) or a list (`$@`, `${a[@]}`); `star` for the `*` forms. */
interface Found {
  value?: string;
  list?: string[];
  star: boolean;
  /** For `${a[@]}`-style lists: whether offsets count from $0 (positional parameters) or 0 (arrays). */
  positional?: boolean;
}

async function lookup(name: string, index: Word | undefined, state: ShellState, ex: ArgExpander): Promise<Found> {
  if (name === '@' || name === '*') return { list: [...state.positional], star: name === '*', positional: true };
  if (!index) return { value: getVar(state, name), star: false };
  const sub = await ex.string(index);
  const arr = state.arrays.get(name);
  if (sub === '@' || sub === '*') {
    const scalar = getVar(state, name);
    return { list: arr ? arrayValues(arr) : scalar !== undefined ? [scalar] : [], star: sub === '*' };
  }
  if (arr?.assoc) return { value: arr.items.get(sub), star: false };
  const i = await ex.arithText(sub);
  if (!arr) return { value: i === 0n ? getVar(state, name) : undefined, star: false };
  const key = resolveIndex(arr, i);
  return { value: key === undefined ? undefined : arr.items.get(key), star: false };
}

/** The keys of `${!a[@]}`. */
function keysOf(name: string, state: ShellState): string[] {
  const arr = state.arrays.get(name);
  if (arr) return arrayKeys(arr);
  return state.env[name] !== undefined ? ['0'] : [];
}

export async function expandParam(part: ParamPart, state: ShellState, ex: ArgExpander): Promise<Seg[]> {
  const { name, op, quoted } = part;
  const str = (text: string): Seg[] => [{ text, quoted, split: !quoted }];
  const allIndex = part.index !== undefined && /^[@*]$/.test(await ex.string(part.index));

  if (op === 'len') {
    const f = await lookup(name, part.index, state, ex);
    if (f.list) return str(String(f.list.length));
    if (f.value === undefined) unbound(state, name);
    return str(String([...(f.value ?? '')].length));
  }

  let found: Found;
  if (op === 'indirect' && allIndex) found = { list: keysOf(name, state), star: false };
  else if (op === 'indirect') {
    const ref = (await lookup(name, part.index, state, ex)).value ?? '';
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$!#@*-])(?:\[(.*)\])?$/s.exec(ref);
    if (!m) throw new ExpansionError(`${ref}: invalid indirect expansion`, 1);
    found = await lookup(m[1], m[2] === undefined ? undefined : [{ kind: 'lit', text: m[2], quoted: true }], state, ex);
  } else found = await lookup(name, part.index, state, ex);
  let { value, list } = found;
  const isList = list !== undefined;

  const isSet = list ? list.length > 0 : value !== undefined;
  const nonNull = list ? list.join('') !== '' : !!value;
  const arg = part.arg ?? [];

  switch (op) {
    case '-':
    case ':-':
      if (op === '-' ? !isSet : !nonNull) return ex.segments(arg, true);
      break;
    case '+':
    case ':+':
      return (op === '+' ? isSet : nonNull) ? ex.segments(arg, true) : [];
    case '=':
    case ':=':
      if (op === '=' ? !isSet : !nonNull) {
        if (SPECIAL.test(name) || allIndex) throw new ExpansionError(`$${name}: cannot assign in this way`, 1);
        value = await ex.string(arg);
        if (part.index) await ex.assignElement(name, part.index, value);
        else setScalar(state, name, value);
        list = undefined;
      }
      break;
    case '?':
    case ':?':
      if (op === '?' ? !isSet : !nonNull) {
        const msg = arg.length ? await ex.string(arg) : op === '?' ? 'parameter not set' : 'parameter null or not set';
        throw new ExpansionError(`${name}: ${msg}`, 127);
      }
      break;
    default:
      if (!isSet && !isList) unbound(state, name);
  }

  let map: ((v: string) => string) | undefined;
  switch (op) {
    case '#':
    case '##': {
      const p = await ex.pattern(arg);
      map = (v) => removePrefix(v, p, op === '##');
      break;
    }
    case '%':
    case '%%': {
      const p = await ex.pattern(arg);
      map = (v) => removeSuffix(v, p, op === '%%');
      break;
    }
    case '/':
    case '//':
    case '/#':
    case '/%': {
      const p = await ex.pattern(arg);
      const rep = part.arg2 ? await ex.string(part.arg2) : '';
      map = (v) => replacePattern(v, p, rep, op);
      break;
    }
    case '^':
    case '^^':
    case ',':
    case ',,': {
      const p = (await ex.pattern(arg)) || '?';
      const up = op.startsWith('^');
      const all = op.length === 2;
      map = (v) => [...v].map((c, k) => ((all || k === 0) && matchPattern(p, c) ? (up ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
      break;
    }
    case '@': {
      const t = await ex.string(arg);
      if (!/^[QEPAaULuK]?$/.test(t)) throw new ExpansionError(`\${${name}@${t}}: bad substitution`, 1);
      if (!isSet && !list) return t === 'a' || t === 'A' ? [] : str('');
      map = (v) => transform(v, t, name);
      break;
    }
    case 'sub': {
      const off = Number(await ex.arith(arg));
      const len = part.arg2 ? Number(await ex.arith(part.arg2)) : undefined;
      if (list) list = sliceList(found.positional ? [state.arg0, ...list] : list, off, len);
      else value = sliceString(value ?? '', off, len);
      break;
    }
  }

  if (list) {
    if (map) list = list.map(map);
    return listSegs(list, found.star, quoted, state);
  }
  const v = value ?? '';
  return str(map ? map(v) : v);
}

/** `set -u`: an unset variable (or positional parameter) is an error; `$?` and friends always exist. */
/** `${x@Q}` and the other `@` transformations. */
function transform(v: string, op: string, name: string): string {
  switch (op) {
    case 'Q':
      return `'${v.replace(/'/g, "'\\''")}'`;
    case 'U':
      return v.toUpperCase();
    case 'L':
      return v.toLowerCase();
    case 'u':
      return v.charAt(0).toUpperCase() + v.slice(1);
    case 'E':
      return v.replace(/\\([abefnrtv\\'"?]|x[0-9a-fA-F]{1,2}|[0-7]{1,3})/g, (_m, e: string) => {
        const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
        if (e in simple) return simple[e];
        return String.fromCharCode(e[0] === 'x' ? parseInt(e.slice(1), 16) : parseInt(e, 8));
      });
    case 'A':
      return `${name}='${v.replace(/'/g, "'\\''")}'`;
    case 'a':
      return '';
    default:
      return v;
  }
}

function unbound(state: ShellState, name: string): void {
  if (state.flags.nounset && (!SPECIAL.test(name) || /^[1-9][0-9]*$/.test(name))) throw new ExpansionError(`${name}: unbound variable`, 127);
}

/** `$@`/`$*` (or a slice of them) as segments: separate fields, or joined by $IFS's first character for "$*". */
function listSegs(list: string[], star: boolean, quoted: boolean, state: ShellState): Seg[] {
  if (quoted && star) {
    const ifs = ifsOf(state);
    return [{ text: list.join(ifs.slice(0, 1)), quoted: true, split: false }];
  }
  const out: Seg[] = [];
  list.forEach((v, k) => {
    if (k > 0) out.push({ brk: true, quoted });
    out.push({ text: v, quoted, split: !quoted });
  });
  return out;
}

function sliceString(v: string, off: number, len: number | undefined): string {
  const chars = [...v];
  let start = off < 0 ? chars.length + off : off;
  if (start < 0 || start > chars.length) return '';
  start = Math.max(0, start);
  let end = len === undefined ? chars.length : len < 0 ? chars.length + len : start + len;
  if (end < start) {
    if (len !== undefined && len < 0) throw new ExpansionError(`${len}: substring expression < 0`, 1);
    end = start;
  }
  return chars.slice(start, end).join('');
}

/** `${@:off:len}`: `all` starts at $0 (index 0), so `${@:1}` is every positional parameter. */
function sliceList(all: string[], off: number, len: number | undefined): string[] {
  let start = off < 0 ? all.length + off : off;
  if (start < 0) return [];
  start = Math.min(start, all.length);
  if (len !== undefined && len < 0) throw new ExpansionError(`${len}: substring expression < 0`, 1);
  return all.slice(start, len === undefined ? undefined : start + len);
}
