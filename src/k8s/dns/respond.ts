/**
 * One DNS message in, one out, as CoreDNS's server wraps its plugins: the reply mirrors the
 * query (id, opcode, RD, CD, the question), the request's EDNS0 OPT is echoed with the options
 * CoreDNS keeps (NSID, COOKIE, ECS: so dig sees its cookie "echoed"), a query no plugin answers
 * gets SERVFAIL (NextOrFailure with no next plugin), and a UDP reply that does not fit the
 * client's buffer is truncated with TC set (request.Scrub). Pure bytes, so the same code answers
 * on the simulated stack and on a real socket.
 */
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, RecordType } from 'dns-packet';
import type { KubernetesPlugin, Rcode } from './lookup.ts';

const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
const OPCODES: Record<string, number> = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 };
/** EDNS0 options CoreDNS passes back (supportedOptions). */
const KEPT_OPTIONS = new Set([3, 8, 10]);
const AA = 1 << 10;
const TC = 1 << 9;
const RD = 1 << 8;
const RA = 1 << 7;
const CD = 1 << 4;
const DO = 1 << 15;

/** The reply to `query`, or undefined for what a server drops (garbage, a response). */
export function respond(plugin: KubernetesPlugin, query: Buffer, opts: { tcp: boolean }): Buffer | undefined {
  let q: DecodedPacket;
  try {
    q = packet.decode(query);
  } catch {
    return undefined;
  }
  if (q.flag_qr) return undefined;
  const opcode = OPCODES[(q as { opcode?: string }).opcode ?? 'QUERY'] ?? 0;
  // SetReply: the id, opcode, and for a QUERY its RD and CD bits.
  let flags = opcode << 11;
  if (opcode === 0) flags |= (q.flags ?? 0) & (RD | CD);
  const question = q.questions?.[0];
  let answers: Answer[] = [];
  let authorities: Answer[] = [];
  let additionals: Answer[] = [];
  let rcode: Rcode = 'SERVFAIL';
  if (!question || q.questions!.length !== 1) rcode = 'FORMERR';
  else if (opcode === 0) {
    const r = plugin.serve(question.name, question.type as RecordType);
    if (r.kind === 'answer') {
      rcode = r.rcode;
      if (r.authoritative) flags |= AA;
      if (r.recursionAvailable) flags |= RA;
      ({ answers, authorities, additionals } = r);
    }
  } else rcode = 'REFUSED';
  flags |= RCODES[rcode];

  const opt = q.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
  const echo: OptAnswer | undefined = opt && {
    name: '.',
    type: 'OPT',
    udpPayloadSize: opt.udpPayloadSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: opt.flags & DO,
    flag_do: Boolean(opt.flags & DO),
    options: (opt.options ?? []).filter((o) => KEPT_OPTIONS.has(o.code)).map((o) => ({ code: o.code, data: o.data }) as OptAnswer['options'][number]),
  };
  const build = (): Buffer =>
    packet.encode({
      type: 'response',
      id: q.id,
      flags,
      questions: question ? [question] : [],
      answers,
      authorities,
      additionals: echo ? [...additionals, echo] : additionals,
    });
  let out = build();
  const limit = opts.tcp ? 65535 : Math.max(512, echo ? echo.udpPayloadSize : 512);
  if (out.length > limit) {
    // Scrub: drop records from the end until the reply fits, and say it was cut.
    flags |= TC;
    while (out.length > limit && (additionals.length || authorities.length || answers.length)) {
      if (additionals.length) additionals = additionals.slice(0, -1);
      else if (authorities.length) authorities = authorities.slice(0, -1);
      else answers = answers.slice(0, -1);
      out = build();
    }
  }
  return out;
}
