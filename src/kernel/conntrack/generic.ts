/**
 * The generic tracker (generic_packet): protocols without a tracker of their own (and, here,
 * SCTP and GRE, whose trackers are not modelled) keep one entry per address pair and protocol.
 */
import type { CtEntry, TrackCtx, TrackVerdict } from './entry.ts';

export function genericPacket(e: CtEntry, ctx: TrackCtx): TrackVerdict {
  ctx.refresh(e, ctx.timeout('generic_timeout'));
  return 'accept';
}
