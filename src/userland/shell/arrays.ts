/**
 * Array variables: indexed (`a=(x y)`, `a[5]=z`, sparse) and associative (`declare -A m`). A name
 * is either a scalar (in the variables) or an array (here); `$a` reads element 0 of an array, and
 * `a=x` sets it, as in bash.
 */

export interface ShellArray {
  assoc: boolean;
  /** Keys are decimal indices for indexed arrays. */
  items: Map<string, string>;
}

/** The holder of arrays (the shell state). */
export interface ArrayHolder {
  env: Record<string, string>;
  arrays: Map<string, ShellArray>;
}

export function newArray(assoc = false): ShellArray {
  return { assoc, items: new Map() };
}

export function copyArrays(arrays: Map<string, ShellArray>): Map<string, ShellArray> {
  return new Map([...arrays].map(([k, a]) => [k, { assoc: a.assoc, items: new Map(a.items) }]));
}

/** Keys in order: ascending indices, or insertion order for associative arrays. */
export function arrayKeys(a: ShellArray): string[] {
  const keys = [...a.items.keys()];
  return a.assoc ? keys : keys.sort((x, y) => Number(x) - Number(y));
}

export function arrayValues(a: ShellArray): string[] {
  return arrayKeys(a).map((k) => a.items.get(k)!);
}

/** An index as bash takes it: negative counts back from one past the highest index. */
export function resolveIndex(a: ShellArray, index: bigint): string | undefined {
  if (index >= 0n) return String(index);
  const keys = arrayKeys(a);
  const top = keys.length ? Number(keys[keys.length - 1]) + 1 : 0;
  const k = top + Number(index);
  return k < 0 ? undefined : String(k);
}

/** Turns `name` into an array (its scalar value, if any, becomes element 0). */
export function asArray(h: ArrayHolder, name: string, assoc = false): ShellArray {
  let a = h.arrays.get(name);
  if (!a) {
    a = newArray(assoc);
    if (h.env[name] !== undefined) a.items.set('0', h.env[name]);
    delete h.env[name];
    h.arrays.set(name, a);
  }
  return a;
}

/** A variable's plain value: an array's element 0. */
export function scalarOf(h: ArrayHolder, name: string): string | undefined {
  const a = h.arrays.get(name);
  return a ? a.items.get('0') : h.env[name];
}

/** `name=value`: element 0 if `name` is an array. */
export function setScalar(h: ArrayHolder, name: string, value: string): void {
  const a = h.arrays.get(name);
  if (a) a.items.set('0', value);
  else h.env[name] = value;
}

export function unsetVar(h: ArrayHolder, name: string): void {
  delete h.env[name];
  h.arrays.delete(name);
}

/** One item of a compound assignment `(a [3]=b)`: a value, with a key when written `[key]=`. */
export interface ArrayItem {
  key?: string;
  value: string;
}

/** `name=(items)` or `name+=(items)`. Indexed keys are evaluated by the caller. */
export function assignArray(h: ArrayHolder, name: string, items: ArrayItem[], append: boolean, assoc?: boolean): void {
  const prev = h.arrays.get(name);
  const a = append && prev ? prev : newArray(assoc ?? prev?.assoc ?? false);
  if (append && !prev && h.env[name] !== undefined) a.items.set('0', h.env[name]);
  delete h.env[name];
  h.arrays.set(name, a);
  const keys = arrayKeys(a);
  let next = a.assoc || !keys.length ? 0 : Number(keys[keys.length - 1]) + 1;
  for (const it of items) {
    const key = it.key ?? String(next);
    if (!a.assoc) next = Number(key) + 1;
    a.items.set(key, it.value);
  }
}

/** Starts the value of a `name=(...)` argument given to a declaration builtin (no shell string holds a NUL). */
export const ARRAY_MARK = '\0';

/** How declaration builtins receive `name=(...)`: each item single-quoted, keys as `[k]=`. */
export function encodeItems(items: ArrayItem[]): string {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return `(${items.map((it) => (it.key !== undefined ? `[${q(it.key)}]=${q(it.value)}` : q(it.value))).join(' ')})`;
}

/** Reads back what encodeItems wrote. */
export function decodeItems(text: string): ArrayItem[] {
  const out: ArrayItem[] = [];
  const re = /(?:\[((?:'(?:[^']|'\\'')*')+)\]=)?((?:'(?:[^']|'\\'')*')+)/g;
  const un = (s: string) => s.slice(1, -1).replace(/'\\''/g, "'");
  for (const m of text.slice(1, -1).matchAll(re)) out.push(m[1] !== undefined ? { key: un(m[1]), value: un(m[2]) } : { value: un(m[2]) });
  return out;
}

/** `declare -p` for an array: `declare -a a=([0]="1" [1]="2")`. */
export function declareArray(name: string, a: ShellArray): string {
  const dq = (s: string) => `"${s.replace(/["\\$`]/g, '\\$&')}"`;
  const body = arrayKeys(a).map((k) => `[${k}]=${dq(a.items.get(k)!)}`).join(' ');
  return `declare -${a.assoc ? 'A' : 'a'} ${name}=(${body}${a.assoc && body ? ' ' : ''})`;
}

/** A variable as `local` saves it, to put back when the function returns. */
export interface SavedVar {
  value?: string;
  array?: ShellArray;
}

export function saveVar(h: ArrayHolder, name: string): SavedVar {
  return { value: h.env[name], array: h.arrays.get(name) };
}

export function restoreVar(h: ArrayHolder, name: string, saved: SavedVar): void {
  unsetVar(h, name);
  if (saved.value !== undefined) h.env[name] = saved.value;
  if (saved.array) h.arrays.set(name, saved.array);
}
