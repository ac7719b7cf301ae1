/**
 * Test support for the differential tests: decodes frames captured on a real namespace's veth
 * into the packets its conntrack saw, and replays them through a model table with the same NAT
 * rules, so the model's `conntrack` output can be compared with the real one's.
 *
 * A frame leaving the namespace was captured after NAT and one arriving before it; the real
 * entries (from `conntrack -E`'s NEW lines) tell which connection each belongs to, so the
 * replay feeds the model the packet as conntrack saw it, with the model's own NAT mapping.
 */
import { parseIPv4 } from '../../kernel/addr.ts';
import type { Conntrack } from '../../kernel/conntrack/conntrack.ts';
import type { NatRange } from '../../kernel/conntrack/nat.ts';
import { invertTuple, packetTuple, tupleEqual, type CtPacket, type CtTuple } from '../../kernel/conntrack/tuple.ts';
import { isIcmpError } from '../../kernel/conntrack/icmp.ts';

export interface Frame {
  /** Capture time, seconds since the epoch. */
  time: number;
  outgoing: boolean;
  packet: CtPacket;
}

/** Decodes an IPv4 packet (header first) into what conntrack reads; undefined if not IPv4. */
export function decodeIp(b: Uint8Array): CtPacket | undefined {
  if (b.length < 20 || b[0] >> 4 !== 4) return undefined;
  const ihl = (b[0] & 15) * 4;
  const len = (b[2] << 8) | b[3];
  const proto = b[9];
  const word = (o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  const p: CtPacket = { src: word(12), dst: word(16), proto, len };
  const l4 = b.subarray(ihl);
  const u16 = (o: number): number => (l4[o] << 8) | l4[o + 1];
  if (proto === 6 || proto === 17) {
    p.sport = u16(0);
    p.dport = u16(2);
    if (proto === 6 && l4.length > 13) p.tcpFlags = l4[13];
  } else if (proto === 1) {
    p.icmpType = l4[0];
    p.icmpCode = l4[1];
    if (isIcmpError(l4[0])) p.inner = decodeIp(l4.subarray(8));
    else p.icmpId = u16(4);
  }
  return p;
}

/** Parses the capture script's lines: `<time> <pkttype> <hex frame>` (pkttype 4 = outgoing). */
export function parseCapture(text: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of text.split('\n')) {
    const [time, type, hex] = line.split(' ');
    if (!hex) continue;
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    // Ethernet II carrying IPv4 only (ARP and the like are not for conntrack).
    if (((bytes[12] << 8) | bytes[13]) !== 0x0800) continue;
    const packet = decodeIp(bytes.subarray(14));
    if (packet) frames.push({ time: Number(time), outgoing: type === '4', packet });
  }
  return frames;
}

/** The tuples of a line `conntrack -E` or `-L` printed (original and reply). */
export function lineTuples(line: string): { orig: CtTuple; reply: CtTuple } | undefined {
  const m = /\s(\w+)\s+(\d+)\s.*?(src=\S+ dst=\S+ \S+ \S+(?: id=\d+)?).*?(src=\S+ dst=\S+ \S+ \S+(?: id=\d+)?)/.exec(line);
  if (!m) return undefined;
  const proto = Number(m[2]);
  const tuple = (s: string): CtTuple => {
    const kv = Object.fromEntries(s.split(' ').map((x) => x.split('=')));
    if (proto === 1) return { src: parseIPv4(kv.src)!, dst: parseIPv4(kv.dst)!, proto, sport: Number(kv.id), dport: (Number(kv.type) << 8) | Number(kv.code) };
    return { src: parseIPv4(kv.src)!, dst: parseIPv4(kv.dst)!, proto, sport: Number(kv.sport ?? 0), dport: Number(kv.dport ?? 0) };
  };
  return { orig: tuple(m[3]), reply: tuple(m[4]) };
}

function withTuple(p: CtPacket, t: CtTuple): CtPacket {
  const q: CtPacket = { ...p, src: t.src, dst: t.dst };
  if (p.proto === 1 && !p.inner) q.icmpId = t.sport;
  else if (p.sport !== undefined) [q.sport, q.dport] = [t.sport, t.dport];
  return q;
}

export interface ReplayRules {
  /** The NAT target (if any) the nat table's rules choose for a connection's first packet. */
  nat(first: CtPacket, manip: 'SRC' | 'DST'): NatRange | null;
}

/**
 * Replays captured frames through `table`: outgoing frames take OUTPUT then POSTROUTING,
 * incoming ones PREROUTING then INPUT, with the model's clock following the capture.
 * `real` are the real kernel's entries, which map captured tuples to connections.
 */
export function replay(table: Conntrack, frames: Frame[], real: { orig: CtTuple; reply: CtTuple }[], rules: ReplayRules, setTime: (s: number) => void): void {
  const realOf = (t: CtTuple, dir: 'ORIGINAL' | 'REPLY') => real.find((e) => tupleEqual(dir === 'ORIGINAL' ? invertTuple(e.reply)! : e.reply, t));
  /** The model's tuple for a captured one: what the model's entry for that connection expects. */
  const translate = (t: CtTuple): { tuple: CtTuple; dir: 'ORIGINAL' | 'REPLY' } | undefined => {
    const out = realOf(t, 'ORIGINAL');
    if (out) return { tuple: out.orig, dir: 'ORIGINAL' };
    const back = realOf(t, 'REPLY');
    const model = back && table.find(back.orig);
    return model ? { tuple: model.entry.reply, dir: 'REPLY' } : undefined;
  };
  for (const f of frames) {
    setTime(f.time);
    let p = f.packet;
    if (p.inner) {
      const inner = translate(packetTuple(p.inner));
      // The quoted packet went the other way: quote it as the model would have sent it.
      if (inner) p = { ...p, inner: withTuple(p.inner, inner.dir === 'ORIGINAL' ? invertTuple(table.find(inner.tuple)!.entry.reply)! : inner.tuple) };
    } else {
      const t = translate(packetTuple(p));
      if (t) p = withTuple(p, t.tuple);
    }
    const r = table.in(p);
    if (r.kind !== 'tracked') continue;
    if (r.isNew) {
      table.setupNat(r.entry, 'DST', rules.nat(p, 'DST'));
      table.setupNat(r.entry, 'SRC', rules.nat(p, 'SRC'));
    }
    table.confirm(r.entry);
  }
}
