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

/** xtables_ipmask_to_numeric: "" for /32, "/N" for a prefix, "/a.b.c.d" otherwise. */
export function maskSuffix(mask: number): string {
  if (mask === 0xffffffff) return '';
  for (let len = 31; len >= 0; len--) {
    if (mask === (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0)) return `/${len}`;
  }
  return `/${formatIPv4(mask)}`;
}
