/**
 * getopt(3) option strings (`"c:i:qn"`) for the network tools, on top of the shared GNU parser
 * (glibc's getopt permutes, so `ping 10.0.0.2 -c 1` works as with the real tools), and the C
 * number parsers whose leniency the tools inherit (strtol, strtod prefixes).
 */
import { getopt, type OptDef, type ParsedOpts } from '../text/getopt.ts';

export { UsageError } from '../text/getopt.ts';

/** OptDefs from a getopt option string: a letter followed by `:` takes an argument. */
export function shortOpts(spec: string): OptDef[] {
  const defs: OptDef[] = [];
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === ':') continue;
    defs.push({ key: c, short: c, arg: spec[i + 1] === ':' });
  }
  return defs;
}

export function parseShort(args: string[], spec: string): ParsedOpts {
  return getopt(args, shortOpts(spec));
}

/** strtol over the whole string (what strtol_or_err and strtonum accept), else undefined. */
export function parseLong(s: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|\d+)$/.exec(s);
  if (!m) return undefined;
  // iputils and nc read decimal; a leading 0x is garbage for base 10.
  if (/^0[xX]/.test(m[2])) return undefined;
  const v = Number(m[2]);
  return m[1] === '-' ? -v : v;
}

/** strtod's longest numeric prefix and what follows it (`"0.5x"` → 0.5 and `"x"`). */
export function strtodPrefix(s: string): { value: number; rest: string } {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  if (!m) return { value: 0, rest: s };
  return { value: Number(m[0]), rest: s.slice(m[0].length) };
}
