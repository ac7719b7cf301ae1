/**
 * tcpdump's TCP line: flags, sequence numbers made relative per conversation the way tcp_print's
 * hash of conversations does (the first segment with ACK seen for a pair of endpoints fixes the
 * bases), window, options in the order Linux puts them on the wire, and (with -v) the checksum,
 * computed over the segment as it would be serialized.
 */
import type { IpPacket, TcpOptions, TcpSegment } from '../../kernel/wire.ts';

interface Conversation {
  /** Initial sequence numbers of the lower endpoint (`seq`) and of the higher one (`ack`). */
  seq: number;
  ack: number;
}

/** The options bytes Linux sends: SYNs carry mss, sackOK, TS, nop, wscale; other segments nop, nop, TS. */
function optionBytes(o: TcpOptions | undefined): number[] {
  if (!o) return [];
  const b: number[] = [];
  const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  if (o.mss !== undefined) b.push(2, 4, (o.mss >> 8) & 255, o.mss & 255);
  if (o.sackOk && o.ts) b.push(4, 2);
  else if (o.sackOk) b.push(1, 1, 4, 2);
  if (o.ts) b.push(...(o.sackOk ? [] : [1, 1]), 8, 10, ...u32(o.ts[0]), ...u32(o.ts[1]));
  if (o.wscale !== undefined) b.push(1, 3, 3, o.wscale);
  while (b.length % 4) b.push(0);
  return b;
}

/** The option list as tcpdump prints it, in wire order. */
export function optionText(o: TcpOptions | undefined): string {
  if (!o) return '';
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`mss ${o.mss}`);
  if (o.sackOk && o.ts) parts.push('sackOK');
  else if (o.sackOk) parts.push('nop', 'nop', 'sackOK');
  if (o.ts) parts.push(...(o.sackOk ? [] : ['nop', 'nop']), `TS val ${o.ts[0] >>> 0} ecr ${o.ts[1] >>> 0}`);
  if (o.wscale !== undefined) parts.push('nop', `wscale ${o.wscale}`);
  return parts.length ? `, options [${parts.join(',')}]` : '';
}

/** The Internet checksum of the segment with its pseudo-header. */
export function tcpChecksum(ip: IpPacket, t: TcpSegment): number {
  const opts = optionBytes(t.options);
  const hlen = 20 + opts.length;
  const len = hlen + t.data.length;
  const words: number[] = [];
  const b = [
    ...[ip.src, ip.dst].flatMap((a) => [(a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255]),
    0, 6, (len >> 8) & 255, len & 255,
    t.sport >> 8, t.sport & 255, t.dport >> 8, t.dport & 255,
    (t.seq >>> 24) & 255, (t.seq >>> 16) & 255, (t.seq >>> 8) & 255, t.seq & 255,
    (t.ack >>> 24) & 255, (t.ack >>> 16) & 255, (t.ack >>> 8) & 255, t.ack & 255,
    (hlen / 4) << 4, t.flags & 0xff, t.win >> 8, t.win & 255, 0, 0, 0, 0,
    ...opts, ...t.data,
  ];
  for (let i = 0; i < b.length; i += 2) words.push((b[i] << 8) | (b[i + 1] ?? 0));
  let sum = words.reduce((s, w) => s + w, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** tcp_flag_values in tcpdump's order; ACK prints as a dot. */
export function flagText(f: number): string {
  const s = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W'], [0x10, '.']] as const;
  const out = s.filter(([bit]) => f & bit).map(([, c]) => c).join('');
  return out || 'none';
}

/** Relative sequence numbers, per conversation, for one tcpdump process. */
export class SeqTracker {
  private conv = new Map<string, Conversation>();

  /** The seq and ack tcpdump prints for this segment. */
  relative(ip: IpPacket, t: TcpSegment): { seq: number; ack: number } {
    let seq = t.seq >>> 0;
    let ack = t.ack >>> 0;
    if (!(t.flags & 0x10)) return { seq, ack };
    // The conversation key orders the endpoints so both directions find the same entry.
    const rev = ip.src > ip.dst || (ip.src === ip.dst && t.sport > t.dport);
    const key = rev ? `${ip.dst}:${t.dport}-${ip.src}:${t.sport}` : `${ip.src}:${t.sport}-${ip.dst}:${t.dport}`;
    const c = this.conv.get(key);
    if (!c || t.flags & 0x02) {
      this.conv.set(key, rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 });
      return { seq, ack };
    }
    if (rev) {
      seq = (seq - c.ack) >>> 0;
      ack = (ack - c.seq) >>> 0;
    } else {
      seq = (seq - c.seq) >>> 0;
      ack = (ack - c.ack) >>> 0;
    }
    return { seq, ack };
  }
}
