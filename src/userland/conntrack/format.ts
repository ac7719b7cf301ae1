/**
 * The text forms of an entry: libnetfilter_conntrack's default line (`conntrack -L`, `-E`),
 * conntrack's `-o save` line, and the kernel's /proc/net/nf_conntrack line.
 */
import { formatIPv4 } from '../../kernel/addr.ts';
import { secondsLeft, type CtEntry } from '../../kernel/conntrack/entry.ts';
import { hasPorts, icmpCode, icmpType, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, type CtTuple } from '../../kernel/conntrack/tuple.ts';
import { natFacts } from './filter.ts';
import { PROTOS, unknownProto } from './protos.ts';

/** proto2str in libnetfilter_conntrack (and the kernel's l4proto names). */
const PROTO_NAMES: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 136: 'udplite', 1: 'icmp', 58: 'icmpv6', 132: 'sctp', 47: 'gre', 33: 'dccp' };

export function protoName(n: number): string {
  return PROTO_NAMES[n] ?? 'unknown';
}

const pad8 = (s: string): string => s.padEnd(8);

function tupleText(t: CtTuple): string {
  let s = `src=${formatIPv4(t.src)} dst=${formatIPv4(t.dst)} `;
  if (hasPorts(t.proto)) s += `sport=${t.sport} dport=${t.dport} `;
  else if (t.proto === IPPROTO_GRE) s += `srckey=0x${t.sport.toString(16)} dstkey=0x${t.dport.toString(16)} `;
  else if (t.proto === IPPROTO_ICMP || t.proto === IPPROTO_ICMPV6) s += `type=${icmpType(t)} code=${icmpCode(t)} id=${t.sport} `;
  return s;
}

/** What a ctnetlink message carried, which decides what the line shows. */
export interface LineOpts {
  /** Message type, for events. */
  type?: 'NEW' | 'UPDATE' | 'DESTROY';
  /** Seconds left, when the message carried a timeout. */
  timeout?: number;
  /** -o extended: the layer 3 protocol first. */
  extended?: boolean;
  /** -o id. */
  id?: boolean;
  /** Dumps always carry the mark and use count. */
  dump: boolean;
  /** An event that carries the mark. */
  mark?: boolean;
}

/** __snprintf_conntrack_default. */
export function defaultLine(e: CtEntry, o: LineOpts): string {
  let s = o.type ? `${`[${o.type}]`.padStart(9)} ` : '';
  if (o.extended) s += `${pad8('ipv4')} 2 `;
  s += `${pad8(protoName(e.orig.proto))} ${e.orig.proto} `;
  if (o.timeout !== undefined) s += `${o.timeout} `;
  if (e.tcpState) s += `${e.tcpState} `;
  s += tupleText(e.orig);
  if (!e.status.has('SEEN_REPLY')) s += '[UNREPLIED] ';
  s += tupleText(e.reply);
  if (e.status.has('HW_OFFLOAD')) s += '[HW_OFFLOAD] ';
  else if (e.status.has('OFFLOAD')) s += '[OFFLOAD] ';
  else if (e.status.has('ASSURED')) s += '[ASSURED] ';
  if (o.dump || o.mark) s += `mark=${e.mark} `;
  if (e.zone) s += `zone=${e.zone} `;
  if (o.dump) s += `use=${e.use} `;
  if (o.id) s += `id=${e.id} `;
  return s.slice(0, -1);
}

function xmlTuple(t: CtTuple, dir: 'original' | 'reply'): string {
  let l4 = '';
  if (hasPorts(t.proto)) l4 = `<sport>${t.sport}</sport><dport>${t.dport}</dport>`;
  else if (t.proto === IPPROTO_GRE) l4 = `<srckey>0x${t.sport.toString(16)}</srckey><dstkey>0x${t.dport.toString(16)}</dstkey>`;
  return `<meta direction="${dir}"><layer3 protonum="2" protoname="ipv4"><src>${formatIPv4(t.src)}</src><dst>${formatIPv4(t.dst)}</dst></layer3>` +
    `<layer4 protonum="${t.proto}" protoname="${protoName(t.proto)}">${l4}</layer4></meta>`;
}

/** __snprintf_conntrack_xml: one <flow> element (the id is always there, unlike the text form). */
export function xmlFlow(e: CtEntry, o: LineOpts): string {
  let s = o.type ? `<flow type="${o.type.toLowerCase()}">` : '<flow>';
  s += xmlTuple(e.orig, 'original') + xmlTuple(e.reply, 'reply');
  s += '<meta direction="independent">';
  if (e.tcpState) s += `<state>${e.tcpState}</state>`;
  if (o.timeout !== undefined) s += `<timeout>${o.timeout}</timeout>`;
  if (o.dump || o.mark) s += `<mark>${e.mark}</mark>`;
  if (o.dump) s += `<use>${e.use}</use>`;
  s += `<id>${e.id}</id>`;
  if (e.status.has('ASSURED')) s += '<assured/>';
  if (!e.status.has('SEEN_REPLY')) s += '<unreplied/>';
  return `${s}</meta></flow>`;
}

/** conntrack_status_map: the status bits -o save names, in bit order. */
const SAVE_STATUS = ['EXPECTED', 'SEEN_REPLY', 'ASSURED', 'FIXED_TIMEOUT'] as const;

/** ct_save_snprintf: the entry as the conntrack options that would create it. */
export function saveLine(e: CtEntry, o: { type?: 'NEW' | 'UPDATE' | 'DESTROY'; timeout?: number }): string {
  let s = o.type === 'UPDATE' ? '-U ' : o.type === 'DESTROY' ? '-D ' : '-A ';
  if (o.timeout !== undefined) s += `-t ${o.timeout} `;
  const status = SAVE_STATUS.filter((b) => e.status.has(b));
  s += `-u ${status.length ? status.join(',') : 'UNSET'} `;
  if (e.zone) s += `-w ${e.zone} `;
  const nat = natFacts(e);
  s += `-s ${formatIPv4(e.orig.src)} -d ${formatIPv4(e.orig.dst)} `;
  s += `${nat.dnat ? '-g' : '-r'} ${formatIPv4(e.reply.src)} ${nat.snat ? '-n' : '-q'} ${formatIPv4(e.reply.dst)} `;
  const h = PROTOS.find((p) => p !== unknownProto && p.protonum === e.orig.proto);
  if (h) {
    s += `-p ${h.name}`;
    s += h.save?.({
      origSport: e.orig.sport, origDport: e.orig.dport, replSport: e.reply.sport, replDport: e.reply.dport,
      tcpState: e.tcpState, icmpType: icmpType(e.orig), icmpCode: icmpCode(e.orig), icmpId: e.orig.sport,
    }) ?? '';
  } else {
    s += `-p ${e.orig.proto}`;
  }
  return s.trimEnd();
}

/** The kernel's ct_seq_show: one line of /proc/net/nf_conntrack (the reader holds one more reference). */
export function procLine(e: CtEntry, now: number): string {
  let s = `${pad8('ipv4')} 2 ${pad8(protoName(e.orig.proto))} ${e.orig.proto} ${secondsLeft(e, now)} `;
  if (e.tcpState) s += `${e.tcpState} `;
  s += tupleText(e.orig);
  if (!e.status.has('SEEN_REPLY')) s += '[UNREPLIED] ';
  s += tupleText(e.reply);
  if (e.status.has('HW_OFFLOAD')) s += '[HW_OFFLOAD] ';
  else if (e.status.has('OFFLOAD')) s += '[OFFLOAD] ';
  else if (e.status.has('ASSURED')) s += '[ASSURED] ';
  s += `mark=${e.mark} zone=${e.zone} use=${e.use + 1}\n`;
  return s;
}

/** The whole of /proc/net/nf_conntrack for a table's entries. */
export function procNfConntrack(entries: readonly CtEntry[], now: number): string {
  return entries.map((e) => procLine(e, now)).join('');
}
