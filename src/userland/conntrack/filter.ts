/**
 * Which entries a conntrack command applies to (nfct_filter in src/conntrack.c): NAT, mark,
 * address-mask filters, then libnetfilter_conntrack's nfct_cmp of every attribute the command
 * line set (NFCT_CMP_ALL | NFCT_CMP_MASK).
 */
import { secondsLeft, type CtEntry } from '../../kernel/conntrack/entry.ts';
import { hasPorts, icmpCode, icmpType, IPPROTO_ICMP, IPPROTO_ICMPV6 } from '../../kernel/conntrack/tuple.ts';
import type { CtCommand } from './parse.ts';
import { TCP_STATES } from './protos.ts';
import { optBit, statusBits, type Addr } from './template.ts';

/** Options whose presence makes the template's attributes count (CT_COMPARISON). */
export const COMPARISON = (
  ['protonum', 'src', 'dst', 'reply-src', 'reply-dst', 'mark', 'secmark', 'status', 'id', 'zone', 'label', 'orig-zone', 'reply-zone'] as const
).reduce((m, n) => m | optBit(n), 0);

/**
 * NFCT_GOPT_IS_SNAT and friends: the binding changed the address or port. The port tests
 * compare the raw 16-bit halves of the tuples, so for ICMP they compare the id with the type
 * and code, and an ICMP entry with a NAT binding counts as port-translated (as `-L -n` shows).
 */
export function natFacts(e: CtEntry): { snat: boolean; dnat: boolean; spat: boolean; dpat: boolean } {
  const src = e.status.has('SRC_NAT_DONE');
  const dst = e.status.has('DST_NAT_DONE');
  return {
    snat: src && e.reply.dst !== e.orig.src,
    dnat: dst && e.reply.src !== e.orig.dst,
    spat: src && e.reply.dport !== e.orig.sport,
    dpat: dst && e.reply.sport !== e.orig.dport,
  };
}

function natSide(check: boolean, ip: Addr | undefined, port: number | undefined, isAddr: boolean, isPort: boolean, addr: number, p: number): boolean {
  if (!check) return false;
  let has = false;
  if (ip) has = isAddr && ip.family === 4 && ip.v4 === addr;
  if (port !== undefined) {
    const ok = isPort && port === p;
    if (ip && has && !ok) has = false;
    if (!ip && ok) has = true;
  }
  if (!ip && port === undefined && (isAddr || isPort)) has = true;
  return has;
}

/** filter_nat: true when the entry does not pass --src-nat / --dst-nat / --any-nat. */
function filterNat(cmd: CtCommand, e: CtEntry): boolean {
  const any = !!(cmd.options & optBit('any-nat'));
  const wantSrc = any || !!(cmd.options & optBit('src-nat'));
  const wantDst = any || !!(cmd.options & optBit('dst-nat'));
  const f = natFacts(e);
  const t = cmd.tmpl;
  const src = natSide(wantSrc, t.snatIp, t.snatPort, f.snat, f.spat, e.reply.dst, e.reply.dport);
  const dst = natSide(wantDst, t.dnatIp, t.dnatPort, f.dnat, f.dpat, e.reply.src, e.reply.sport);
  if (any) return !(src || dst);
  if (cmd.options & optBit('src-nat') && cmd.options & optBit('dst-nat')) return !(src && dst);
  if (cmd.options & optBit('src-nat')) return !src;
  if (cmd.options & optBit('dst-nat')) return !dst;
  return false;
}

function sameAddr(a: Addr | undefined, v: number): boolean {
  return a === undefined || (a.family === 4 && a.v4 >>> 0 === v >>> 0);
}

function same<T>(want: T | undefined, have: T): boolean {
  return want === undefined || want === have;
}

/** nfct_cmp(template, entry, NFCT_CMP_ALL | NFCT_CMP_MASK): every attribute set must agree. */
function compare(cmd: CtCommand, e: CtEntry, now: number): boolean {
  const t = cmd.tmpl;
  const o = e.orig;
  const r = e.reply;
  const ports = hasPorts(o.proto) || o.proto === 47;
  const icmp = o.proto === IPPROTO_ICMP || o.proto === IPPROTO_ICMPV6;
  // Entries are IPv4; an IPv6 address or family never matches.
  if ((t.origL3 ?? 4) !== 4 || (t.replL3 ?? 4) !== 4) return false;
  const maskedSrc = cmd.options & optBit('mask-src');
  const maskedDst = cmd.options & optBit('mask-dst');
  if (!maskedSrc && !sameAddr(t.origSrc, o.src)) return false;
  if (!maskedDst && !sameAddr(t.origDst, o.dst)) return false;
  if (!sameAddr(t.replSrc, r.src) || !sameAddr(t.replDst, r.dst)) return false;
  if (!same(t.l4proto, o.proto)) return false;
  if (ports) {
    if (!same(t.origSport, o.sport) || !same(t.origDport, o.dport) || !same(t.replSport, r.sport) || !same(t.replDport, r.dport)) return false;
  } else if (t.origSport !== undefined || t.origDport !== undefined || t.replSport !== undefined || t.replDport !== undefined) {
    return false;
  }
  if (icmp) {
    if (!same(t.icmpType, icmpType(o)) || !same(t.icmpCode, icmpCode(o)) || !same(t.icmpId, o.sport)) return false;
  } else if (t.icmpType !== undefined || t.icmpCode !== undefined || t.icmpId !== undefined) {
    return false;
  }
  if (t.tcpState !== undefined && (e.tcpState === undefined || TCP_STATES.indexOf(e.tcpState) !== t.tcpState)) return false;
  if (t.sctpState !== undefined || t.dccpState !== undefined) return false;
  if (t.status !== undefined && ((t.status & statusBits(e.status)) >>> 0) !== t.status) return false;
  if (!same(t.zone, e.zone) || !same(t.origZone, 0) || !same(t.replZone, 0)) return false;
  if (!same(t.secmark, 0) || !same(t.id, e.id)) return false;
  if (!same(t.timeout, secondsLeft(e, now))) return false;
  return true;
}

/** filter_network: --mask-src / --mask-dst (or -s/-d with a prefix length). */
function filterNetwork(cmd: CtCommand, e: CtEntry): boolean {
  const dirs: ['src' | 'dst', number, Addr | undefined][] = [
    ['src', e.orig.src, cmd.tmpl.origSrc],
    ['dst', e.orig.dst, cmd.tmpl.origDst],
  ];
  for (const [dir, addr, want] of dirs) {
    if (!(cmd.options & optBit(dir === 'src' ? 'mask-src' : 'mask-dst'))) continue;
    const mask = cmd.mask[dir];
    if (cmd.family !== 4 || !mask || mask.family !== 4) return true;
    const net = ((want?.v4 ?? 0) & mask.v4) >>> 0;
    if (((addr & mask.v4) >>> 0) !== net) return true;
  }
  return false;
}

/** True when the command leaves the entry out. */
export function filtered(cmd: CtCommand, e: CtEntry, now: number): boolean {
  if (filterNat(cmd, e)) return true;
  if (cmd.options & optBit('mark') && ((e.mark & cmd.mark.mask) >>> 0) !== cmd.mark.value) return true;
  if (filterNetwork(cmd, e)) return true;
  if (cmd.options & COMPARISON && !compare(cmd, e, now)) return true;
  return false;
}

/** The kernel's own dump filters (CTA_FILTER): family, mark and, for -L, status. */
export function kernelFiltered(cmd: CtCommand, e: CtEntry, withStatus: boolean): boolean {
  if (cmd.family === 6) return true;
  if (cmd.options & optBit('mark') && ((e.mark & cmd.mark.mask) >>> 0) !== cmd.mark.value) return true;
  const sf = cmd.statusFilter;
  if (withStatus && sf && ((statusBits(e.status) & sf.mask) >>> 0) !== sf.value) return true;
  return false;
}
