/**
 * What iptables matches see of a tracked packet (CtInfo in netfilter/packet.ts): the entry,
 * the packet's direction and ctstate, with the status names xt_conntrack uses.
 */
import type { CtInfo, CtState } from '../netfilter/packet.ts';
import type { CtEntry } from './entry.ts';
import type { CtResult } from './conntrack.ts';
import { hasPorts } from './tuple.ts';

/** IPS_* bits -m conntrack --ctstatus and --ctstate SNAT/DNAT test, by their names there. */
const STATUS_NAMES: Readonly<Record<string, string>> = {
  EXPECTED: 'EXPECTED',
  SEEN_REPLY: 'SEEN_REPLY',
  ASSURED: 'ASSURED',
  CONFIRMED: 'CONFIRMED',
  SRC_NAT: 'SNAT',
  DST_NAT: 'DNAT',
};

export function toCtInfo(e: CtEntry, dir: 'ORIGINAL' | 'REPLY', state: CtState, now: number): CtInfo {
  const status = new Set<string>();
  for (const s of e.status) if (STATUS_NAMES[s]) status.add(STATUS_NAMES[s]);
  const ports = hasPorts(e.orig.proto);
  return {
    state,
    status,
    dir,
    proto: e.orig.proto,
    origSrc: e.orig.src,
    origDst: e.orig.dst,
    replSrc: e.reply.src,
    replDst: e.reply.dst,
    origSrcPort: ports ? e.orig.sport : undefined,
    origDstPort: ports ? e.orig.dport : undefined,
    replSrcPort: ports ? e.reply.sport : undefined,
    replDstPort: ports ? e.reply.dport : undefined,
    mark: e.mark,
    // --ctexpire compares whole seconds left (nf_ct_expires / HZ).
    expires: Math.max(0, Math.floor((e.expires - now) / 1000)),
  };
}

/** The CtInfo for a packet's conntrack result: INVALID when the tracker refused it. */
export function resultCtInfo(r: CtResult, now: number): CtInfo | undefined {
  if (r.kind !== 'tracked') return undefined;
  return toCtInfo(r.entry, r.dir, r.state, now);
}
