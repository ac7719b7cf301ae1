/** Connection tracking: the table, its entries and events, and what iptables matches see. */
export { Conntrack, type CtCpuStats, type CtCreate, type CtDir, type CtEnv, type CtResult } from './conntrack.ts';
export { resultCtInfo, toCtInfo } from './ctinfo.ts';
export {
  secondsLeft, snapshot, type CtEntry, type CtEvent, type CtEventBit, type CtRequester, type CtStatusBit, type TcpState,
} from './entry.ts';
export { jhash2, type NatManip, type NatRange } from './nat.ts';
export { CT_SYSCTL_DEFAULTS } from './sysctl.ts';
export { TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from './tcp.ts';
export {
  IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE,
  hasPorts, icmpCode, icmpKind, icmpType, invertTuple, packetTuple, tupleEqual, type CtPacket, type CtTuple,
} from './tuple.ts';
