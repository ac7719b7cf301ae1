/**
 * Go's renderings of decoded JSON values (`%v`, reflect type names, encoding/json strings), so that
 * patch errors and field paths read exactly as the API server prints them.
 */

/** fmt's `%v` of a value decoded from JSON: `map[a:1 b:[x y]]`, `<nil>`, strings bare. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    // fmt prints map keys sorted.
    const keys = Object.keys(v).sort(compareStrings);
    return `map[${keys.map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/**
 * `%v` of a float64. Go's shortest 'g' formatting and JS's agree on the integers and plain decimals
 * of API objects (and both switch to `1e+21` at 1e21); they differ only for tiny magnitudes.
 */
function goNumber(n: number): string {
  return String(n);
}

/**
 * reflect.TypeOf(v).String() of a value the API server decoded (integers are int64 there, as the
 * server decodes with UnmarshalCaseSensitivePreserveInts).
 */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** encoding/json's string encoding: like JSON.stringify, plus `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** encoding/json's encoding of a JSON value: object members sorted by key, Go string escaping. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(compareStrings);
    return `{${keys.map((k) => `${goJsonString(k)}:${goJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Go's string ordering (bytewise; the same as code-unit order for the ASCII keys of API objects). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
