/** `-m iprange`: source and/or destination address within an inclusive range. */
import { formatIPv4 } from '../../addr.ts';
import { strtoui } from './util.ts';
import { XtError, type XtMatch } from './types.ts';
import { badValue, x6Check } from './xtopt.ts';

export interface IprangeData {
  src?: [number, number];
  dst?: [number, number];
  invSrc: boolean;
  invDst: boolean;
  seen: string[];
}

/** xtables_numeric_to_ipaddr: up to four dotted bytes, missing trailing bytes taken as 0. */
function addr(s: string, opt: string): number {
  const parts = s.split('.');
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const b = i < parts.length ? strtoui(parts[i], 0, 255) : 0;
    if (b === undefined || parts.length > 4) throw badValue('iprange', opt, s);
    v = v * 256 + b;
  }
  return v;
}

function parseRange(arg: string, opt: string, warn: (s: string) => void): [number, number] {
  const dash = arg.indexOf('-');
  if (dash < 0) {
    const a = addr(arg, opt);
    return [a, a];
  }
  const from = arg.slice(0, dash);
  const to = arg.slice(dash + 1);
  const r: [number, number] = [addr(from, opt), addr(to, opt)];
  if (r[0] > r[1]) warn(`xt_iprange: range ${from}-${to} is reversed and will never match\n`);
  return r;
}

function rng(r: [number, number]): string {
  return `${formatIPv4(r[0])}-${formatIPv4(r[1])}`;
}

export const iprange: XtMatch<IprangeData> = {
  kind: 'match',
  name: 'iprange',
  options: [{ name: 'src-range', arg: true, invert: true }, { name: 'dst-range', arg: true, invert: true }],
  init: () => ({ invSrc: false, invDst: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'iprange', opt, invert, true);
    // The reversed-range warning goes to stderr; the ParseEnv has no channel for it.
    const r = parseRange(arg!, `--${opt}`, () => undefined);
    if (opt === 'src-range') [d.src, d.invSrc] = [r, invert];
    else [d.dst, d.invDst] = [r, invert];
  },
  final(d) {
    if (!d.src && !d.dst) throw new XtError("iprange match: You must specify `--src-range' or `--dst-range'");
  },
  print(d) {
    let s = '';
    if (d.src) s += ` source IP range${d.invSrc ? ' !' : ''} ${rng(d.src)}`;
    if (d.dst) s += ` destination IP range${d.invDst ? ' !' : ''} ${rng(d.dst)}`;
    return s;
  },
  save(d) {
    let s = '';
    if (d.src) s += `${d.invSrc ? ' !' : ''} --src-range ${rng(d.src)}`;
    if (d.dst) s += `${d.invDst ? ' !' : ''} --dst-range ${rng(d.dst)}`;
    return s;
  },
  match(d, pkt) {
    const within = (a: number, r: [number, number]): boolean => (a >>> 0) >= r[0] && (a >>> 0) <= r[1];
    if (d.src && within(pkt.src, d.src) === d.invSrc) return false;
    if (d.dst && within(pkt.dst, d.dst) === d.invDst) return false;
    return true;
  },
};
