/**
 * A packet inside the stack (the kernel's sk_buff): the IP packet plus what the stack knows
 * about it — devices, mark, its conntrack entry, the trace flag, the frame it arrived in — and
 * the netfilter view built from it for each hook.
 */
import { toCtInfo } from '../conntrack/ctinfo.ts';
import type { CtEntry } from '../conntrack/entry.ts';
import type { Link } from '../link.ts';
import type { Mac } from '../mac.ts';
import type { CtInfo, CtState, Packet } from '../netfilter/packet.ts';
import { ipLength, type IpPacket } from '../wire.ts';

export interface SkbCt {
  entry: CtEntry;
  dir: 'ORIGINAL' | 'REPLY';
  state: Exclude<CtState, 'INVALID' | 'UNTRACKED'>;
}

export interface Skb {
  ip: IpPacket;
  indev?: Link;
  outdev?: Link;
  /** Bridge ports the frame came in on / goes out of (br_netfilter, -m physdev). */
  physIn?: Link;
  physOut?: Link;
  bridged?: boolean;
  /** PREROUTING already ran (in the bridge, under br_netfilter); the IP layer skips it. */
  prerouted?: boolean;
  mark: number;
  /** The connection, `untracked` (NOTRACK) or `invalid`; unset until conntrack has seen it. */
  ct?: SkbCt | 'untracked' | 'invalid';
  trace: boolean;
  macSrc?: Mac;
  macDst?: Mac;
  pktType?: 'unicast' | 'broadcast' | 'multicast';
  /** Owner of the sending socket (for -m owner). */
  uid?: number;
}

export function newSkb(ip: IpPacket, fields: Partial<Skb> = {}): Skb {
  return { ip, mark: 0, trace: false, ...fields };
}

/** The CtInfo iptables matches read: the entry's, or an INVALID/UNTRACKED placeholder. */
export function ctInfoOf(ct: Skb['ct'], proto: number, now: number): CtInfo | undefined {
  if (ct === undefined) return undefined;
  if (ct === 'invalid' || ct === 'untracked') {
    return { state: ct === 'invalid' ? 'INVALID' : 'UNTRACKED', status: new Set(), dir: 'ORIGINAL', proto, origSrc: 0, origDst: 0, replSrc: 0, replDst: 0, mark: 0 };
  }
  return toCtInfo(ct.entry, ct.dir, ct.state, now);
}

/** The netfilter view of the packet at a hook. */
export function nfView(skb: Skb, now: number): Packet {
  const ip = skb.ip;
  const l4 = ip.l4;
  const p: Packet = {
    src: ip.src,
    dst: ip.dst,
    proto: ip.proto,
    len: ipLength(ip),
    ttl: ip.ttl,
    tos: ip.tos,
    ipId: ip.id,
    df: ip.df,
    inIface: skb.indev?.name,
    outIface: skb.outdev?.name,
    mark: skb.mark,
    macSrc: skb.macSrc,
    macDst: skb.macDst,
    physIn: skb.physIn?.name,
    physOut: skb.physOut?.name,
    bridged: skb.bridged,
    pktType: skb.pktType ?? 'unicast',
    ct: ctInfoOf(skb.ct, ip.proto, now),
    trace: skb.trace,
    uid: skb.uid,
    gid: skb.uid,
  };
  if (l4.kind === 'tcp') {
    Object.assign(p, { sport: l4.sport, dport: l4.dport, tcpFlags: l4.flags, tcpSeq: l4.seq, tcpAck: l4.ack, tcpWin: l4.win });
    p.tcpOptions = l4.options ? [...(l4.options.mss !== undefined ? [2] : []), ...(l4.options.sackOk ? [4] : []), ...(l4.options.ts ? [8] : []), ...(l4.options.wscale !== undefined ? [3] : [])] : [];
  } else if (l4.kind === 'udp') Object.assign(p, { sport: l4.sport, dport: l4.dport });
  else Object.assign(p, { icmpType: l4.type, icmpCode: l4.code, icmpId: l4.id, icmpSeq: l4.seq });
  return p;
}
