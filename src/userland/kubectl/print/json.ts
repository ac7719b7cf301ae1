/** `kubectl -o json` text: Go's json.MarshalIndent with four spaces, sorted keys and HTML-safe escapes. */

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A JSON string as encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped as \u sequences. */
function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
    else out += ch;
  }
  return `${out}"`;
}

function encode(v: unknown, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // Go picks 'f' or 'e' at the same thresholds (1e-6, 1e21) as JavaScript's shortest form.
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  const inner = `${indent}    `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + encode(x, inner)).join(',\n')}\n${indent}]`;
  }
  const o = v as Record<string, unknown>;
  // Go sorts map keys by their UTF-8 bytes; keys with undefined values do not exist in JSON.
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${goString(k)}: ${encode(o[k], inner)}`).join(',\n')}\n${indent}}`;
}

/** One value as `kubectl -o json` prints it, ending in a newline. */
export function toJson(value: unknown): string {
  return `${encode(value, '')}\n`;
}
