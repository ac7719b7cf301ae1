/**
 * The TCP tracker (nf_conntrack_proto_tcp.c): the tcp_conntracks state table, new-connection
 * checks, the special cases of nf_conntrack_tcp_packet and its timeout choice.
 *
 * Window tracking (tcp_in_window) is not modelled: packets carry no sequence numbers here, so
 * every packet counts as in window, as with nf_conntrack_tcp_be_liberal=1. What that leaves out:
 * out-of-window packets are never INVALID, the RST sequence checks are skipped, and the timeout
 * is never shortened for retransmissions or unacknowledged data (TCP_CONNTRACK_RETRANS/UNACK).
 */
import type { CtEntry, TcpState, TcpTrack, TrackCtx, TrackVerdict } from './entry.ts';
import type { CtPacket } from './tuple.ts';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

/** Flag classes, in the kernel's order (enum tcp_bit_set). */
const SYN_SET = 0;
const SYNACK_SET = 1;
const FIN_SET = 2;
const ACK_SET = 3;
const RST_SET = 4;
const NONE_SET = 5;

/** get_conntrack_index: which row of the table a packet's flags select. */
export function flagIndex(flags: number): number {
  if (flags & TCP_RST) return RST_SET;
  if (flags & TCP_SYN) return flags & TCP_ACK ? SYNACK_SET : SYN_SET;
  if (flags & TCP_FIN) return FIN_SET;
  if (flags & TCP_ACK) return ACK_SET;
  return NONE_SET;
}

/** The states in table order (tcp_conntrack_names); IV and IG are the two pseudo-states. */
const STATES: readonly TcpState[] = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];
type Next = TcpState | 'IV' | 'IG';

const [, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2] = STATES;
const sIV = 'IV';
const sIG = 'IG';

/**
 * tcp_conntracks[dir][index][state]: the state after a packet of each flag class, per direction.
 * Columns: sNO sSS sSR sES sFW sCW sLA sTW sCL sS2. The kernel source comments every cell.
 */
const TABLE: readonly (readonly (readonly Next[])[])[] = [
  [
    /* ORIGINAL */
    /* syn    */ [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    /* synack */ [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    /* REPLY */
    /* syn    */ [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    /* synack */ [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];

/** The next state for a packet of direction `dir` (0 original, 1 reply) in state `state`. */
export function nextState(dir: 0 | 1, flags: number, state: TcpState): Next {
  return TABLE[dir][flagIndex(flags)][STATES.indexOf(state)];
}

/** tcp_valid_flags: the combinations of FIN SYN RST ACK URG a segment may carry. */
const VALID_FLAGS = new Set([
  TCP_SYN, TCP_SYN | TCP_URG, TCP_SYN | TCP_ACK, TCP_RST, TCP_RST | TCP_ACK,
  TCP_FIN | TCP_ACK, TCP_FIN | TCP_ACK | TCP_URG, TCP_ACK, TCP_ACK | TCP_URG,
]);

/** tcp_error's flag check (PSH, ECE and CWR never matter). */
export function validFlags(flags: number): boolean {
  return VALID_FLAGS.has(flags & ~(TCP_ECE | TCP_CWR | TCP_PSH) & 0xff);
}

/** Sysctl suffix of each state's timeout; SYN_SENT2 has none and keeps the built-in 2 minutes. */
const TIMEOUT_SYSCTL: Partial<Record<TcpState, string>> = {
  SYN_SENT: 'tcp_timeout_syn_sent',
  SYN_RECV: 'tcp_timeout_syn_recv',
  ESTABLISHED: 'tcp_timeout_established',
  FIN_WAIT: 'tcp_timeout_fin_wait',
  CLOSE_WAIT: 'tcp_timeout_close_wait',
  LAST_ACK: 'tcp_timeout_last_ack',
  TIME_WAIT: 'tcp_timeout_time_wait',
  CLOSE: 'tcp_timeout_close',
};

function stateTimeout(ctx: TrackCtx, s: TcpState): number {
  const name = TIMEOUT_SYSCTL[s];
  return name ? ctx.timeout(name) : 120_000;
}

/** tcp_can_early_drop: states in which an entry may be evicted even when assured. */
export function tcpCanEarlyDrop(s: TcpState | undefined): boolean {
  return s === 'FIN_WAIT' || s === 'LAST_ACK' || s === 'TIME_WAIT' || s === 'CLOSE' || s === 'CLOSE_WAIT';
}

/**
 * tcp_new: whether the first packet may open an entry. A SYN starts SYN_SENT; with
 * nf_conntrack_tcp_loose (the default) an ACK picks up a connection already under way.
 */
export function tcpNew(e: CtEntry, p: CtPacket, ctx: TrackCtx): boolean {
  const next = nextState(0, p.tcpFlags ?? 0, 'NONE');
  if (next === sIV || next === sIG) return false;
  if (next !== 'SYN_SENT' && ctx.sysctl('tcp_loose') === 0) return false;
  e.tcpState = 'NONE';
  e.priv.tcp = { lastIndex: NONE_SET, lastDir: 0, closeInit: [false, false], simultaneousOpen: false, challengeAck: false };
  return true;
}

/** nf_conntrack_tcp_packet for a packet of direction `dir` on entry `e`. */
export function tcpPacket(e: CtEntry, dir: 0 | 1, p: CtPacket, ctx: TrackCtx): TrackVerdict {
  const flags = p.tcpFlags ?? 0;
  if (!validFlags(flags)) return 'invalid';
  if (!e.status.has('CONFIRMED') && !e.priv.tcp && !tcpNew(e, p, ctx)) return 'invalid';
  const t = e.priv.tcp!;
  const index = flagIndex(flags);
  let old = e.tcpState ?? 'NONE';
  let next = TABLE[dir][index][STATES.indexOf(old)];

  switch (next) {
    case sSS:
      if (STATES.indexOf(old) < STATES.indexOf('TIME_WAIT')) break;
      // RFC 1122: a SYN may reopen a connection from TIME_WAIT. If either side started the
      // close, or this side just reset it, drop the old entry and look the packet up again.
      if (t.closeInit[0] || t.closeInit[1] || (t.lastDir === dir && t.lastIndex === RST_SET)) return 'repeat';
      return ignore(t, dir, index, old);
    case sIG:
      // A SYN/ACK answering a SYN we ignored: client and server are in sync, we are not.
      // (The kernel also checks that it acknowledges that SYN's sequence number.)
      if (index === SYNACK_SET && t.lastIndex === SYN_SET && t.lastDir !== dir) {
        old = 'SYN_SENT';
        next = 'SYN_RECV';
        t.challengeAck = false;
        break;
      }
      return ignore(t, dir, index, old);
    case sIV:
      return 'invalid';
    case 'TIME_WAIT':
      // RFC 5961: an ACK answering a SYN we let through in LAST_ACK is a challenge ACK, not
      // the ACK of the last FIN.
      if (old === 'LAST_ACK' && index === ACK_SET && t.lastDir !== dir && t.lastIndex === SYN_SET && t.challengeAck) {
        t.challengeAck = false;
        return 'accept';
      }
      break;
    case 'SYN_SENT2':
      t.simultaneousOpen = true;
      break;
    case 'SYN_RECV':
      if (dir === 1 && index === ACK_SET && t.simultaneousOpen) next = 'ESTABLISHED';
      break;
    case 'CLOSE':
      // The kernel checks a RST's sequence number against what it has seen; without sequence
      // numbers every RST is taken as valid.
      break;
  }

  // In window from here on.
  t.lastIndex = index;
  t.lastDir = dir;
  e.tcpState = next;
  if (old !== next && next === 'FIN_WAIT') t.closeInit[dir] = true;

  let timeout = index === RST_SET ? stateTimeout(ctx, 'CLOSE') : stateTimeout(ctx, next);
  if (old !== next) ctx.event(e, 'PROTOINFO');

  if (!e.status.has('SEEN_REPLY')) {
    // A RST as the only answer: no connection was ever established, forget it at once.
    if (flags & TCP_RST) {
      ctx.kill(e);
      return 'accept';
    }
    // A retransmitted SYN does not renew the timeout, so a reused port cannot keep it alive.
    if (index === SYN_SET && old === 'SYN_SENT') return 'accept';
    // Picked up mid-connection: do not grant the long ESTABLISHED timeout before a reply.
    if (next === 'ESTABLISHED') timeout = Math.min(timeout, ctx.timeout('tcp_timeout_unacknowledged'));
  } else if (!e.status.has('ASSURED') && (old === 'SYN_RECV' || old === 'ESTABLISHED') && next === 'ESTABLISHED') {
    e.status.add('ASSURED');
    ctx.event(e, 'ASSURED');
  }
  ctx.refresh(e, timeout);
  return 'accept';
}

/** The IGNORE case: remember the packet so a later SYN/ACK or RST can be matched to it. */
function ignore(t: TcpTrack, dir: 0 | 1, index: number, old: TcpState): TrackVerdict {
  t.lastIndex = index;
  t.lastDir = dir;
  if (index === SYN_SET && dir === 0) t.challengeAck = old === 'LAST_ACK';
  return 'accept';
}
