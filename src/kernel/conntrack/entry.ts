/**
 * A connection tracking entry (struct nf_conn) as data, the events its changes produce
 * (nf_conntrack_ecache) and the small context the protocol trackers act through.
 */
import type { CtTuple } from './tuple.ts';

export type TcpState =
  | 'NONE' | 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE' | 'SYN_SENT2';

/**
 * `IPS_*` status bits by name: EXPECTED SEEN_REPLY ASSURED CONFIRMED SRC_NAT DST_NAT SEQ_ADJUST
 * SRC_NAT_DONE DST_NAT_DONE DYING FIXED_TIMEOUT TEMPLATE NAT_CLASH HELPER OFFLOAD HW_OFFLOAD.
 */
export type CtStatusBit =
  | 'EXPECTED' | 'SEEN_REPLY' | 'ASSURED' | 'CONFIRMED' | 'SRC_NAT' | 'DST_NAT' | 'SEQ_ADJUST' | 'SRC_NAT_DONE'
  | 'DST_NAT_DONE' | 'DYING' | 'FIXED_TIMEOUT' | 'TEMPLATE' | 'NAT_CLASH' | 'HELPER' | 'OFFLOAD' | 'HW_OFFLOAD';

/** Per-connection TCP tracker state (struct ip_ct_tcp, without the window data we do not track). */
export interface TcpTrack {
  /** Index (into the flag classes of tcp.ts) and direction of the last in-window packet. */
  lastIndex: number;
  lastDir: 0 | 1;
  /** IP_CT_TCP_FLAG_CLOSE_INIT per direction: that side sent the first FIN. */
  closeInit: [boolean, boolean];
  /** IP_CT_TCP_SIMULTANEOUS_OPEN. */
  simultaneousOpen: boolean;
  /** IP_CT_EXP_CHALLENGE_ACK: a SYN was ignored in LAST_ACK, the next ACK may be a challenge ACK. */
  challengeAck: boolean;
}

/** What only the tracker reads: kept apart so listings can show entries as plain data. */
export interface CtPrivate {
  /** Timeout in ms relative to confirmation, while the entry is not yet in the table. */
  timeout: number;
  tcp?: TcpTrack;
  /** UDP: when the flow counts as a stream (2 s after it was created). */
  udpStreamTs?: number;
  /** Whether the entry carries an event cache (created while someone listened, or events=1). */
  ecache: boolean;
  /** Events raised by the packet being processed, delivered when it is confirmed. */
  cached: Set<CtEventBit>;
  /** Order of insertion, for stable listings. */
  seq: number;
}

export interface CtEntry {
  /** The 32-bit id `conntrack -o id` shows (random, from the seeded generator). */
  id: number;
  orig: CtTuple;
  reply: CtTuple;
  status: Set<CtStatusBit>;
  mark: number;
  /** Reference count as ctnetlink reports it. */
  use: number;
  zone: number;
  /** When the entry expires, in ms of the environment's clock. */
  expires: number;
  /** TCP only: the tracker's state. */
  tcpState?: TcpState;
  priv: CtPrivate;
}

/** IPCT_* event bits (include/net/netfilter/nf_conntrack_ecache.h). */
export type CtEventBit = 'NEW' | 'RELATED' | 'DESTROY' | 'REPLY' | 'ASSURED' | 'PROTOINFO' | 'HELPER' | 'MARK' | 'SEQADJ' | 'SECMARK' | 'LABEL';

/** What a ctnetlink listener receives: the message type and the entry as it was then. */
export interface CtEvent {
  type: 'NEW' | 'UPDATE' | 'DESTROY';
  entry: CtEntry;
  /** Seconds left, as ctnetlink puts it; absent on DESTROY of an entry that already timed out. */
  timeout?: number;
  /** ms of the environment clock when the event was sent. */
  time: number;
  /** Whether the message carries the mark: ctnetlink adds it when set, when it changed, or for netlink requests. */
  withMark: boolean;
  /** Netlink port of the process that caused it (a `conntrack -D` or `-F`), if one did. */
  portid?: number;
  progname?: string;
}

/** Who asked for a change over netlink: events then carry `[USERSPACE] portid=...`. */
export interface CtRequester {
  portid: number;
  progname?: string;
}

/** The part of the table a protocol tracker may use. */
export interface TrackCtx {
  now(): number;
  /** Milliseconds of `net.netfilter.nf_conntrack_<name>`. */
  timeout(name: string): number;
  /** Value of `net.netfilter.nf_conntrack_<name>`. */
  sysctl(name: string): number;
  /** nf_ct_refresh: the entry now expires `ms` from now (from confirmation if unconfirmed). */
  refresh(e: CtEntry, ms: number): void;
  /** nf_conntrack_event_cache. */
  event(e: CtEntry, bit: CtEventBit): void;
  /** nf_ct_kill: removes a confirmed entry (emits DESTROY). */
  kill(e: CtEntry): void;
}

/** What a tracker decides about a packet: accept, treat as invalid, or drop the entry and look again. */
export type TrackVerdict = 'accept' | 'invalid' | 'repeat';

/** A copy of the entry's visible fields, for events and listings that must not change later. */
export function snapshot(e: CtEntry): CtEntry {
  return {
    id: e.id,
    orig: { ...e.orig },
    reply: { ...e.reply },
    status: new Set(e.status),
    mark: e.mark,
    use: e.use,
    zone: e.zone,
    expires: e.expires,
    tcpState: e.tcpState,
    priv: e.priv,
  };
}

/** Seconds left as the kernel prints them (nf_ct_expires / HZ, never negative). */
export function secondsLeft(e: CtEntry, now: number): number {
  return Math.max(0, Math.floor((e.expires - now) / 1000));
}
