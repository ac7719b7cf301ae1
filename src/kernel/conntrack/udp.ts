/**
 * The UDP tracker (nf_conntrack_proto_udp.c): 30 s until a reply is seen, then the stream
 * timeout and ASSURED once the flow is still active two seconds after it started.
 */
import type { CtEntry, TrackCtx, TrackVerdict } from './entry.ts';

/** How long after creation a replied flow counts as a stream (stream_ts = 2 * HZ). */
const STREAM_AFTER_MS = 2000;

export function udpPacket(e: CtEntry, ctx: TrackCtx): TrackVerdict {
  if (!e.status.has('CONFIRMED')) e.priv.udpStreamTs = ctx.now() + STREAM_AFTER_MS;
  if (!e.status.has('SEEN_REPLY')) {
    ctx.refresh(e, ctx.timeout('udp_timeout'));
    return 'accept';
  }
  // Still active after two seconds? Then it is a stream: extend, and assure it once.
  const stream = ctx.now() > (e.priv.udpStreamTs ?? 0);
  ctx.refresh(e, stream ? ctx.timeout('udp_timeout_stream') : ctx.timeout('udp_timeout'));
  // Entries that lost a NAT clash are never assured: they are meant to time out soon.
  if (stream && !e.status.has('NAT_CLASH') && !e.status.has('ASSURED')) {
    e.status.add('ASSURED');
    ctx.event(e, 'ASSURED');
  }
  return 'accept';
}
