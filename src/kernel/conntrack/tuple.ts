/**
 * Connection tuples (nf_conntrack_tuple): what identifies one direction of a flow, how a packet
 * yields one, and how it is inverted to get the other direction (nf_ct_invert_tuple).
 *
 * ICMP has no ports; like the kernel, the tuple keeps the echo id in the source half and the
 * message kind in the destination half: `sport` is the id and `dport` is `type << 8 | code` of the
 * message this direction carries (so an echo request tuple has dport 0x0800, its reply 0x0000).
 */

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_GRE = 47;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;

export interface CtTuple {
  src: number;
  dst: number;
  proto: number;
  /** Source port; for ICMP the echo id. */
  sport: number;
  /** Destination port; for ICMP `type << 8 | code`. */
  dport: number;
}

/** What the tracker reads from a packet (the IP and transport headers it looks at). */
export interface CtPacket {
  src: number;
  dst: number;
  proto: number;
  sport?: number;
  dport?: number;
  /** TCP flag bits: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80. */
  tcpFlags?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  /** The IP header and first transport bytes an ICMP error quotes. */
  inner?: CtPacket;
  /** Total IP length in bytes. */
  len: number;
  /** Conntrack zone (the raw table's CT --zone); 0 when absent. */
  zone?: number;
}

/** Protocols whose tuple carries ports (nf_ct_get_tuple_ports; DCCP tracking left the kernel in 6.16). */
export function hasPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_UDPLITE || proto === IPPROTO_SCTP;
}

export function icmpKind(type: number, code: number): number {
  return ((type & 0xff) << 8) | (code & 0xff);
}

export function icmpType(t: CtTuple): number {
  return t.dport >>> 8;
}

export function icmpCode(t: CtTuple): number {
  return t.dport & 0xff;
}

/** The tuple of a packet's own direction (nf_ct_get_tuple). Protocols without ports get zeros. */
export function packetTuple(p: CtPacket): CtTuple {
  if (p.proto === IPPROTO_ICMP) {
    return { src: p.src, dst: p.dst, proto: p.proto, sport: p.icmpId ?? 0, dport: icmpKind(p.icmpType ?? 0, p.icmpCode ?? 0) };
  }
  if (hasPorts(p.proto)) return { src: p.src, dst: p.dst, proto: p.proto, sport: p.sport ?? 0, dport: p.dport ?? 0 };
  return { src: p.src, dst: p.dst, proto: p.proto, sport: 0, dport: 0 };
}

/** ICMP request/reply pairs (invmap in nf_conntrack_proto_icmp.c): only these can be inverted. */
const ICMP_INVERSE: ReadonlyMap<number, number> = new Map([
  [8, 0], [0, 8], // echo
  [13, 14], [14, 13], // timestamp
  [15, 16], [16, 15], // info
  [17, 18], [18, 17], // address mask
]);

/** The tuple seen in the other direction, or undefined when the protocol cannot invert it. */
export function invertTuple(t: CtTuple): CtTuple | undefined {
  if (t.proto === IPPROTO_ICMP) {
    const inv = ICMP_INVERSE.get(icmpType(t));
    if (inv === undefined) return undefined;
    return { src: t.dst, dst: t.src, proto: t.proto, sport: t.sport, dport: icmpKind(inv, icmpCode(t)) };
  }
  return { src: t.dst, dst: t.src, proto: t.proto, sport: t.dport, dport: t.sport };
}

export function tupleEqual(a: CtTuple, b: CtTuple): boolean {
  return a.src === b.src && a.dst === b.dst && a.proto === b.proto && a.sport === b.sport && a.dport === b.dport;
}

/** A string key for hashing a tuple within a zone. */
export function tupleKey(t: CtTuple, zone: number): string {
  return `${zone}/${t.proto}/${t.src >>> 0}:${t.sport}>${t.dst >>> 0}:${t.dport}`;
}
