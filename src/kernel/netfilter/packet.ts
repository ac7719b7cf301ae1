/**
 * What netfilter sees of a packet at a hook: the header fields rules match on, the metadata
 * the stack attaches (interfaces, mark, bridge ports) and the connection it belongs to.
 * The network stack builds these; the engine only reads them, except the fields targets change
 * (mark, and the NAT rewrites it returns as requests).
 */

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

/** The conntrack entry a packet belongs to, as far as matches look at it. */
export interface CtInfo {
  state: CtState;
  /** `IPS_*` status bits as names: EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED, SNAT, DNAT. */
  status: Set<string>;
  dir: 'ORIGINAL' | 'REPLY';
  proto: number;
  origSrc: number;
  origDst: number;
  replSrc: number;
  replDst: number;
  origSrcPort?: number;
  origDstPort?: number;
  replSrcPort?: number;
  replDstPort?: number;
  mark: number;
  expires?: number;
}

export interface Packet {
  src: number;
  dst: number;
  /** IP protocol number (6 tcp, 17 udp, 1 icmp, 132 sctp...). */
  proto: number;
  sport?: number;
  dport?: number;
  /** TCP flag bits: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80. */
  tcpFlags?: number;
  /** TCP option kinds present in the header. */
  tcpOptions?: number[];
  icmpType?: number;
  icmpCode?: number;
  /** IP identification and Don't Fragment, TCP sequence/ack/window, ICMP echo id/sequence: what LOG and TRACE lines print. */
  ipId?: number;
  df?: boolean;
  tcpSeq?: number;
  tcpAck?: number;
  tcpWin?: number;
  icmpId?: number;
  icmpSeq?: number;
  /** Destination MAC of the frame the packet arrived in (LOG's MAC= field). */
  macDst?: string;
  /** Total IP length in bytes (what byte counters add). */
  len: number;
  ttl: number;
  tos?: number;
  /** True for a non-first fragment (what `-f` matches). */
  fragment?: boolean;
  inIface?: string;
  outIface?: string;
  /** skb->mark. */
  mark: number;
  macSrc?: string;
  physIn?: string;
  physOut?: string;
  /** Set when the packet is being bridged (br_netfilter). */
  bridged?: boolean;
  pktType?: 'unicast' | 'broadcast' | 'multicast';
  ct?: CtInfo;
  /** skb->nf_trace: set by `-j TRACE`; every rule the packet then traverses is logged. */
  trace?: boolean;
  /** UID of the local socket owner, for `-m owner` in OUTPUT. */
  uid?: number;
  gid?: number;
}
