/**
 * Packets on the wire, as parsed views: Ethernet frames carrying ARP or IPv4, and IPv4 carrying
 * TCP, UDP (possibly a VXLAN-encapsulated frame) or ICMP. Sizes follow what Linux puts on the
 * wire (TCP with timestamps, SYNs with the usual four options), so byte counters and tcpdump's
 * lengths come out as on a real host.
 */
import type { Mac } from './mac.ts';

export const ETH_HLEN = 14;
export const VXLAN_HLEN = 8;
/** Outer IP + UDP + VXLAN + inner Ethernet: what a VXLAN device takes off the underlay MTU. */
export const VXLAN_OVERHEAD = 20 + 8 + VXLAN_HLEN + ETH_HLEN;

export interface ArpMsg {
  op: 1 | 2;
  sha: Mac;
  spa: number;
  tha: Mac;
  tpa: number;
}

export interface TcpOptions {
  mss?: number;
  sackOk?: boolean;
  ts?: [number, number];
  wscale?: number;
}

export interface TcpSegment {
  kind: 'tcp';
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  /** FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10. */
  flags: number;
  win: number;
  options?: TcpOptions;
  data: Uint8Array;
}

export interface UdpDatagram {
  kind: 'udp';
  sport: number;
  dport: number;
  data: Uint8Array;
  /** A VXLAN payload: the header's VNI and the encapsulated frame. */
  vxlan?: { vni: number; frame: Frame };
}

export interface IcmpMsg {
  kind: 'icmp';
  type: number;
  code: number;
  /** Echo identifier and sequence. */
  id?: number;
  seq?: number;
  data: Uint8Array;
  /** For errors: the offending packet's header (the first bytes of its payload travel with it). */
  orig?: IpPacket;
  /** Next-hop MTU of "fragmentation needed". */
  mtu?: number;
  /** Gateway of a redirect. */
  gateway?: number;
}

export type L4 = TcpSegment | UdpDatagram | IcmpMsg;

export interface IpPacket {
  src: number;
  dst: number;
  /** IP protocol number: 1 icmp, 6 tcp, 17 udp. */
  proto: number;
  ttl: number;
  id: number;
  df: boolean;
  tos: number;
  l4: L4;
}

export interface Frame {
  src: Mac;
  dst: Mac;
  arp?: ArpMsg;
  ip?: IpPacket;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** Codes of ICMP destination unreachable. */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_NET_PROHIBITED = 9;
export const ICMP_HOST_PROHIBITED = 10;
export const ICMP_PKT_FILTERED = 13;

export function tcpHeaderLen(opts: TcpOptions | undefined): number {
  if (!opts) return 20;
  let n = 0;
  if (opts.mss !== undefined) n += 4;
  if (opts.sackOk) n += 2;
  if (opts.ts) n += 10;
  if (opts.wscale !== undefined) n += 3;
  return 20 + Math.ceil(n / 4) * 4;
}

export function l4Length(l4: L4): number {
  switch (l4.kind) {
    case 'tcp':
      return tcpHeaderLen(l4.options) + l4.data.length;
    case 'udp':
      return 8 + (l4.vxlan ? VXLAN_HLEN + frameLength(l4.vxlan.frame) : l4.data.length);
    case 'icmp':
      // An error quotes the offending packet, as much of it as fits in 576 bytes (icmp_send).
      return 8 + (l4.orig ? Math.min(ipLength(l4.orig), 576 - 28) : l4.data.length);
  }
}

/** Total length of the IP packet (what iptables byte counters and `length` in tcpdump's IP line count). */
export function ipLength(p: IpPacket): number {
  return 20 + l4Length(p.l4);
}

/** Bytes of the frame on the wire without FCS (what tcpdump -e prints as `length`). */
export function frameLength(f: Frame): number {
  return ETH_HLEN + (f.arp ? 28 : f.ip ? ipLength(f.ip) : 0);
}

export function portsOf(l4: L4): { sport?: number; dport?: number } {
  return l4.kind === 'icmp' ? {} : { sport: l4.sport, dport: l4.dport };
}

/** A copy deep enough that rewriting addresses or ports of one leaves the other alone. */
export function clonePacket(p: IpPacket): IpPacket {
  return { ...p, l4: { ...p.l4 } as L4 };
}

export function textBytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
