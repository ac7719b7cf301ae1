/**
 * C's lenient number parsing as conntrack calls it: atoi and atol (decimal, stop at the first
 * non-digit, 0 when there is none) and strtoul with base 0 (0x hex, leading 0 octal).
 */

/** atoi: an int, wrapping like the 32-bit conversion does in practice. */
export function atoi(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d*)/.exec(s)!;
  const n = m[2] === '' ? 0n : BigInt(m[2]);
  return Number(BigInt.asIntN(32, m[1] === '-' ? -n : n));
}

/** atol: a 64-bit long, as a number (callers truncate to the field they fill). */
export function atol(s: string): bigint {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d*)/.exec(s)!;
  const n = m[2] === '' ? 0n : BigInt(m[2]);
  return BigInt.asIntN(64, m[1] === '-' ? -n : n);
}

/** strtoul(s, &end, 0): the value (saturating at ULONG_MAX) and the unparsed rest. */
export function strtoul(s: string): { value: bigint; rest: string; parsed: boolean } {
  const m = /^[\t\n\v\f\r ]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)?/.exec(s)!;
  if (m[2] === undefined) return { value: 0n, rest: s, parsed: false };
  const digits = m[2];
  let v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const max = (1n << 64n) - 1n;
  if (v > max) v = max;
  else if (m[1] === '-') v = BigInt.asUintN(64, -v);
  return { value: v, rest: s.slice(m[0].length), parsed: true };
}

/** The low `bits` of a parsed value, as assigning it to a narrower C field does. */
export function truncate(v: bigint, bits: number): number {
  return Number(BigInt.asUintN(bits, v));
}
