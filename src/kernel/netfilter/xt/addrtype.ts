/**
 * `-m addrtype`: the route type of the source or destination address (LOCAL, UNICAST,
 * BROADCAST, ...), as the routing tables classify it. kube-proxy's NodePort rule and Docker's
 * DNAT rules hinge on `--dst-type LOCAL`.
 */
import { checkExclusive, markSeen } from './xtopt.ts';
import { XtError, type XtMatch } from './types.ts';

/** Route types in kernel order (RTN_*); bit i of a mask is type i. */
export const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE',
  'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'] as const;

export const ADDR_TYPE_BIT = Object.fromEntries(ADDR_TYPES.map((n, i) => [n, 1 << i])) as Record<(typeof ADDR_TYPES)[number], number>;

interface AddrtypeData {
  source: number;
  dest: number;
  invSource: boolean;
  invDest: boolean;
  limitIn: boolean;
  limitOut: boolean;
  seen: Set<string>;
}

function parseTypes(arg: string): number {
  let mask = 0;
  for (const part of arg.split(',')) {
    const i = ADDR_TYPES.findIndex((n) => n.toLowerCase() === part.toLowerCase());
    if (i < 0) throw new XtError(`addrtype: bad type "${part}"`);
    mask |= 1 << i;
  }
  return mask;
}

function typeNames(mask: number): string {
  return ADDR_TYPES.filter((_, i) => mask & (1 << i)).join(',');
}

export const addrtype: XtMatch<AddrtypeData> = {
  kind: 'match',
  name: 'addrtype',
  options: [
    { name: 'src-type', arg: true, invert: true },
    { name: 'dst-type', arg: true, invert: true },
    { name: 'limit-iface-in', arg: false },
    { name: 'limit-iface-out', arg: false },
  ],
  init: () => ({ source: 0, dest: 0, invSource: false, invDest: false, limitIn: false, limitOut: false, seen: new Set() }),
  parse(d, opt, arg, invert) {
    markSeen(d.seen, 'addrtype', opt);
    switch (opt) {
      case 'src-type': d.source = parseTypes(arg!); d.invSource = invert; break;
      case 'dst-type': d.dest = parseTypes(arg!); d.invDest = invert; break;
      case 'limit-iface-in': d.limitIn = true; break;
      case 'limit-iface-out': d.limitOut = true; break;
    }
  },
  final(d) {
    checkExclusive('addrtype', ['src-type', 'dst-type', 'limit-iface-in', 'limit-iface-out'], d.seen, [['limit-iface-in', 'limit-iface-out']]);
    if (!d.seen.has('src-type') && !d.seen.has('dst-type')) throw new XtError('addrtype: you must specify --src-type or --dst-type');
  },
  checkentry(d, r) {
    if (d.limitIn && (r.hook === 'OUTPUT' || r.hook === 'POSTROUTING')) return false;
    if (d.limitOut && (r.hook === 'PREROUTING' || r.hook === 'INPUT')) return false;
    return true;
  },
  print(d) {
    let s = ' ADDRTYPE match';
    if (d.source) s += ` src-type ${d.invSource ? '!' : ''}${typeNames(d.source)}`;
    if (d.dest) s += ` dst-type ${d.invDest ? '!' : ''}${typeNames(d.dest)}`;
    if (d.limitIn) s += ' limit-in';
    if (d.limitOut) s += ' limit-out';
    return s;
  },
  save(d) {
    let s = '';
    if (d.source) s += `${d.invSource ? ' !' : ''} --src-type ${typeNames(d.source)}`;
    if (d.dest) s += `${d.invDest ? ' !' : ''} --dst-type ${typeNames(d.dest)}`;
    if (d.limitIn) s += ' --limit-iface-in';
    if (d.limitOut) s += ' --limit-iface-out';
    return s;
  },
  match(d, pkt, ctx) {
    const iface = d.limitIn ? pkt.inIface : d.limitOut ? pkt.outIface : undefined;
    if (d.source && ((ctx.addrType(pkt.src, iface) & d.source) !== 0) === d.invSource) return false;
    if (d.dest && ((ctx.addrType(pkt.dst, iface) & d.dest) !== 0) === d.invDest) return false;
    return true;
  },
};
