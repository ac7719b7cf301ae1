/**
 * The ICMP tracker (nf_conntrack_proto_icmp.c): queries (echo, timestamp, info, address mask)
 * open entries their replies match; errors (unreachable, time exceeded, ...) are RELATED to
 * the entry of the packet they quote, or invalid when there is none.
 */
import type { CtEntry, TrackCtx, TrackVerdict } from './entry.ts';
import { icmpType } from './tuple.ts';

/** Message types that may open an entry (valid_new). */
const VALID_NEW = new Set([8, 13, 15, 17]);

/** icmp_is_err: destination unreachable, source quench, redirect, time exceeded, parameter problem. */
export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** NR_ICMP_TYPES: anything above is not ICMP the kernel knows. */
export const NR_ICMP_TYPES = 18;

export function icmpPacket(e: CtEntry, ctx: TrackCtx): TrackVerdict {
  if (!VALID_NEW.has(icmpType(e.orig))) return 'invalid';
  ctx.refresh(e, ctx.timeout('icmp_timeout'));
  return 'accept';
}
