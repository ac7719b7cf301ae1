/**
 * Test support for the conntrack table: an environment with a hand-driven clock and sysctls,
 * and packet builders for the flows the tests replay.
 */
import { parseIPv4 } from '../addr.ts';
import { Rng } from '../rng.ts';
import { Conntrack, type CtEnv, type CtResult } from './conntrack.ts';
import type { CtEntry, CtEvent } from './entry.ts';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './tcp.ts';
import type { CtPacket } from './tuple.ts';

export interface TestTable {
  ct: Conntrack;
  env: CtEnv & { time: number; sysctls: Record<string, number>; logs: string[] };
  events: CtEvent[];
  /** Runs a packet through in() and, unless it was refused, confirm(). */
  pass(p: CtPacket): CtResult;
  advance(ms: number): void;
}

export function testTable(opts: { seed?: number; sysctls?: Record<string, number>; listen?: boolean; netnsInum?: number } = {}): TestTable {
  const env = {
    time: 1_700_000_000_000,
    sysctls: { ...opts.sysctls } as Record<string, number>,
    logs: [] as string[],
    now: () => env.time,
    sysctl: (k: string) => env.sysctls[k] ?? NaN,
    rng: new Rng(opts.seed ?? 1),
    log: (l: string) => void env.logs.push(l),
    netnsInum: opts.netnsInum,
  };
  const ct = new Conntrack(env);
  const events: CtEvent[] = [];
  if (opts.listen !== false) ct.subscribe((e) => events.push(e));
  return {
    ct,
    env,
    events,
    pass(p) {
      const r = ct.in(p);
      if (r.kind === 'tracked') ct.confirm(r.entry);
      return r;
    },
    advance(ms) {
      env.time += ms;
    },
  };
}

export const ip = (s: string): number => parseIPv4(s)!;

export function tcp(src: string, sport: number, dst: string, dport: number, flags: number): CtPacket {
  return { src: ip(src), dst: ip(dst), proto: 6, sport, dport, tcpFlags: flags, len: 60 };
}

export function udp(src: string, sport: number, dst: string, dport: number): CtPacket {
  return { src: ip(src), dst: ip(dst), proto: 17, sport, dport, len: 31 };
}

export function icmp(src: string, dst: string, type: number, id: number, inner?: CtPacket, code = 0): CtPacket {
  return { src: ip(src), dst: ip(dst), proto: 1, icmpType: type, icmpCode: code, icmpId: id, inner, len: 84 };
}

export { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN };

/** Seconds left on an entry, as conntrack -L prints them. */
export function left(t: TestTable, e: CtEntry): number {
  return Math.floor((e.expires - t.env.time) / 1000);
}
