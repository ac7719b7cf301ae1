/**
 * What dig and nslookup share: building a query as BIND's tools send it (random id, RD, AD,
 * EDNS0 with a 1232-byte buffer and a client COOKIE), sending it with retries over UDP or TCP
 * (TC falls back to TCP), and the "communications error" lines they print on the way.
 */
import * as packet from 'dns-packet';
import type { DecodedPacket, OptAnswer, Question } from 'dns-packet';
import { formatIPv4 } from '../../kernel/addr.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { tcpExchange, udpExchange } from './transport.ts';

export interface QueryOpts {
  port: number;
  tcp: boolean;
  timeoutMs: number;
  tries: number;
  recurse: boolean;
  adflag: boolean;
  edns: boolean;
  cookie: boolean;
}

export const DIG_DEFAULTS: QueryOpts = { port: 53, tcp: false, timeoutMs: 5000, tries: 3, recurse: true, adflag: true, edns: true, cookie: true };

export interface Answered {
  reply: DecodedPacket;
  size: number;
  ms: number;
  tcp: boolean;
  /** The client cookie sent, to tell an echo from a server cookie. */
  cookie?: Buffer;
}

const WORDS: Record<string, string> = { ECONNREFUSED: 'connection refused', ENETUNREACH: 'network unreachable', EHOSTUNREACH: 'host unreachable', ECONNRESET: 'connection reset' };

export function buildQuery(ns: NetNs, q: Question, o: QueryOpts): { msg: Buffer; cookie?: Buffer } {
  const rng = ns.kernel.rng;
  const cookie = o.edns && o.cookie ? Buffer.from(Array.from({ length: 8 }, () => rng.int(256))) : undefined;
  const flags = (o.recurse ? packet.RECURSION_DESIRED : 0) | (o.adflag ? packet.AUTHENTIC_DATA : 0);
  const opt = { name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: cookie ? [{ code: 10, data: cookie }] : [] } as unknown as OptAnswer;
  const msg = packet.encode({ type: 'query', id: rng.int(0x10000), flags, questions: [q], additionals: o.edns ? [opt] : [] });
  return { msg, cookie };
}

/**
 * Asks `server` up to `tries` times; `say` gets each failure line as dig prints it. Undefined
 * when no try got an answer; `setup-failed` when no try could even send (no route: 9.18 then
 * says so per try and prints no banner).
 */
export async function ask(ns: NetNs, server: number, q: Question, o: QueryOpts, say: (line: string) => void): Promise<Answered | 'setup-failed' | undefined> {
  let sent = false;
  const where = `${formatIPv4(server)}#${o.port}`;
  let tcp = o.tcp;
  for (let t = 0; t < o.tries; t++) {
    const { msg, cookie } = buildQuery(ns, q, o);
    const start = ns.kernel.clock.now;
    const r = tcp ? await tcpExchange(ns, server, o.port, msg, o.timeoutMs) : await udpExchange(ns, server, o.port, [msg], o.timeoutMs);
    if (r.kind === 'error' && r.errno === 'ENETUNREACH' && !tcp) {
      say(`;; UDP setup with ${where}(${formatIPv4(server)}) for ${q.name} failed: network unreachable.`);
      say(';; no servers could be reached');
      continue;
    }
    sent = true;
    if (r.kind === 'error') {
      say(`;; communications error to ${where}: ${WORDS[r.errno] ?? r.errno.toLowerCase()}`);
      continue;
    }
    if (r.kind === 'timeout' || !r.msgs.length) {
      say(`;; communications error to ${where}: timed out`);
      continue;
    }
    const reply = packet.decode(r.msgs[0]);
    if (reply.flag_tc && !tcp) {
      say(';; Truncated, retrying in TCP mode.');
      tcp = true;
      t--;
      continue;
    }
    return { reply, size: r.msgs[0].length, ms: ns.kernel.clock.now - start, tcp, cookie };
  }
  return sent ? undefined : 'setup-failed';
}

export const rcodeOf = (m: DecodedPacket): string => (m as { rcode?: string }).rcode ?? 'NOERROR';
