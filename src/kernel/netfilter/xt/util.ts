/**
 * Parsing and printing helpers the extensions share, after libxtables: unsigned numbers in C's
 * base-0 notation, ports and port ranges with service names, marks, hex formatting.
 */
import { formatIPv4 } from '../../addr.ts';
import { XtError, type Names } from './types.ts';

/** xtables_strtoui(s, base 0): decimal, 0x hex or 0 octal, within [min, max]. */
export function strtoui(s: string, min = 0, max = 0xffffffff): number | undefined {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) v = Number(s);
  else return undefined;
  return v >= min && v <= max ? v : undefined;
}

/** xtables_parse_port: a number or a service name for the protocol. */
export function parsePort(s: string, proto: string | undefined, names: Names): number {
  const n = strtoui(s, 0, 65535);
  if (n !== undefined) return n;
  const p = names.serviceToPort(s, proto);
  if (p !== undefined) return p;
  throw new XtError(`invalid port/service \`${s}' specified`);
}

/** `a`, `a:b`, `a:` or `:b` as iptables' tcp/udp matches parse it. */
export function parsePortRange(s: string, proto: string, names: Names): [number, number] {
  const c = s.indexOf(':');
  if (c < 0) {
    const p = parsePort(s, proto, names);
    return [p, p];
  }
  const lo = c > 0 ? parsePort(s.slice(0, c), proto, names) : 0;
  const hi = c < s.length - 1 ? parsePort(s.slice(c + 1), proto, names) : 0xffff;
  if (lo > hi) throw new XtError('invalid portrange (min > max)');
  return [lo, hi];
}

/** A port for `iptables -L`: the service name unless numeric or unknown. */
export function portName(port: number, proto: string, numeric: boolean, names: Names): string {
  if (numeric) return String(port);
  return names.portToService(port, proto) ?? String(port);
}

/** `0x%x` */
export function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16);
}

/** `value[/mask]` with C numbers, as mark/connmark options take them. */
export function parseValueMask(s: string, what = 'mark'): { value: number; mask: number | undefined } {
  const slash = s.indexOf('/');
  const v = strtoui(slash < 0 ? s : s.slice(0, slash));
  const m = slash < 0 ? undefined : strtoui(s.slice(slash + 1));
  if (v === undefined || (slash >= 0 && m === undefined)) throw new XtError(`Bad ${what} value "${s}"`);
  return { value: v, mask: m };
}

/** The `!` prefix some save forms put before an option. */
export function bang(inv: boolean): string {
  return inv ? ' !' : '';
}

/**
 * A string as xtables_save_string writes it: bare when it is only letters, digits, `_` and `-`;
 * otherwise in double quotes with `"`, `\` and `'` escaped.
 */
export function saveString(s: string): string {
  if (/^[_\-0-9a-zA-Z]+$/.test(s)) return s;
  return '"' + s.replace(/["\\']/g, (c) => '\\' + c) + '"';
}

/**
 * The generic errors of libxtables' option parser (xtoptions.c), which most extensions use.
 * Their texts end in a newline, so iptables prints an empty line after them.
 */
export const x6 = {
  once: (ext: string, opt: string): XtError => new XtError(`${ext}: option "--${opt}" can only be used once.\n`),
  mandatory: (ext: string, opt: string): XtError => new XtError(`${ext}: option "--${opt}" must be specified\n`),
  badValue: (ext: string, opt: string, lo: number | bigint, hi: number | bigint): XtError =>
    new XtError(`${ext}: bad value for option "--${opt}", or out of range (${lo}-${hi}).\n`),
  badInteger: (ext: string, opt: string): XtError => new XtError(`${ext}: bad integer value for option "--${opt}", or out of range.\n`),
  trailingGarbage: (ext: string, opt: string): XtError => new XtError(`${ext}: trailing garbage after value for option "--${opt}".\n`),
  badValueFor: (ext: string, opt: string, value: string): XtError => new XtError(`${ext}: Bad value for "--${opt}" option: "${value}"`),
  excl: (ext: string, a: string, b: string): XtError => new XtError(`${ext}: option "--${a}" cannot be used together with "--${b}".\n`),
};

/**
 * xtables_options_fcheck's exclusion test: the first option (in table order) that is present
 * together with a peer it excludes is reported, with that peer.
 */
export function checkExclusive(ext: string, order: readonly string[], seen: Set<string>, groups: readonly (readonly string[])[]): void {
  for (const opt of order) {
    if (!seen.has(opt)) continue;
    for (const g of groups) {
      if (!g.includes(opt)) continue;
      const peer = order.find((o) => o !== opt && g.includes(o) && seen.has(o));
      if (peer) throw x6.excl(ext, opt, peer);
    }
  }
}

/** xtables_parse_mark_mask under x6 (XTTYPE_MARKMASK32): `value[/mask]`, C numbers. */
export function parseMarkMask(ext: string, opt: string, arg: string): { value: number; mask: number } {
  const num = (text: string): number => {
    const lead = /^(0[xX][0-9a-fA-F]+|\d+)/.exec(text);
    if (!lead) throw x6.badInteger(ext, opt);
    const v = strtoui(lead[1]);
    if (v === undefined) throw x6.badInteger(ext, opt);
    if (lead[1].length !== text.length) throw x6.trailingGarbage(ext, opt);
    return v;
  };
  const slash = arg.indexOf('/');
  if (slash < 0) return { value: num(arg), mask: 0xffffffff };
  return { value: num(arg.slice(0, slash)), mask: num(arg.slice(slash + 1)) };
}

/** Tracks which options an extension has seen, raising x6's "only once" error on repeats. */
export function markSeen(seen: Set<string>, ext: string, opt: string): void {
  if (seen.has(opt)) throw x6.once(ext, opt);
  seen.add(opt);
}

/** xtables_ipmask_to_numeric: "" for /32, "/N" for a prefix, "/a.b.c.d" otherwise. */
export function maskSuffix(mask: number): string {
  if (mask === 0xffffffff) return '';
  for (let len = 31; len >= 0; len--) {
    if (mask === (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0)) return `/${len}`;
  }
  return `/${formatIPv4(mask)}`;
}
