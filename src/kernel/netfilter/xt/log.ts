/**
 * `-j LOG`: writes a line about the packet to the kernel log and continues. iptables-nft stores
 * it as nft's native log expression, which is why the listing's level names are the kernel's
 * (`err`, `warn`) rather than the ones the option accepts (`error`, `warning`).
 */
import { saveString } from './util.ts';
import { formatIPv4 } from '../../addr.ts';
import type { Packet } from '../packet.ts';
import { XtError, type XtTarget } from './types.ts';
import { x6Check } from './xtopt.ts';

const TCPSEQ = 0x01, TCPOPT = 0x02, IPOPT = 0x04, UID = 0x08, MACDECODE = 0x20;

/** Names --log-level accepts (xtopt_sysloglvl). */
const LEVEL_IN: Record<string, number> = {
  alert: 1, crit: 2, debug: 7, emerg: 0, error: 3, info: 6, notice: 5, panic: 0, warning: 4,
};
/** Names the listing prints. */
const LEVEL_OUT = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

const FLAG_OPTS: [string, number][] = [
  ['log-tcp-sequence', TCPSEQ], ['log-tcp-options', TCPOPT], ['log-ip-options', IPOPT], ['log-uid', UID],
  ['log-macdecode', MACDECODE],
];

export interface LogData {
  level: number;
  flags: number;
  prefix: string;
  seen: string[];
}

const FLAG_NAMES: [number, string][] = [
  [TCPSEQ, 'tcp-sequence'], [TCPOPT, 'tcp-options'], [IPOPT, 'ip-options'], [UID, 'uid'], [MACDECODE, 'macdecode'],
];

/** The kernel's LOG line (nf_log_syslog's dump_ipv4_packet), without the printk level and time. */
export function logLine(prefix: string, flags: number, pkt: Packet): string {
  let s = `${prefix}IN=${pkt.inIface ?? ''} OUT=${pkt.outIface ?? ''} `;
  if (pkt.bridged) s += `PHYSIN=${pkt.physIn ?? ''} PHYSOUT=${pkt.physOut ?? ''} `;
  if (pkt.inIface && pkt.macSrc) {
    s += flags & MACDECODE ? `MACSRC=${pkt.macSrc} MACDST=${pkt.macDst ?? ''} MACPROTO=0800 ` : `MAC=${pkt.macDst ?? ''}:${pkt.macSrc}:08:00 `;
  }
  const tos = pkt.tos ?? 0;
  const hex2 = (v: number): string => v.toString(16).toUpperCase().padStart(2, '0');
  s += `SRC=${formatIPv4(pkt.src)} DST=${formatIPv4(pkt.dst)} LEN=${pkt.len} TOS=0x${hex2(tos & 0x1e)} PREC=0x${hex2(tos & 0xe0)} TTL=${pkt.ttl} ID=${pkt.ipId ?? 0} `;
  if (pkt.df) s += 'DF ';
  if (pkt.fragment) s += 'FRAG:0 ';
  switch (pkt.proto) {
    case 6: {
      s += `PROTO=TCP SPT=${pkt.sport ?? 0} DPT=${pkt.dport ?? 0} `;
      if (flags & TCPSEQ) s += `SEQ=${pkt.tcpSeq ?? 0} ACK=${pkt.tcpAck ?? 0} `;
      s += `WINDOW=${pkt.tcpWin ?? 0} RES=0x00 `;
      const f = pkt.tcpFlags ?? 0;
      for (const [bit, name] of [[0x80, 'CWR'], [0x40, 'ECE'], [0x20, 'URG'], [0x10, 'ACK'], [0x08, 'PSH'], [0x04, 'RST'], [0x02, 'SYN'], [0x01, 'FIN']] as const) {
        if (f & bit) s += `${name} `;
      }
      s += 'URGP=0 ';
      break;
    }
    case 17:
      s += `PROTO=UDP SPT=${pkt.sport ?? 0} DPT=${pkt.dport ?? 0} LEN=${Math.max(0, pkt.len - 20)} `;
      break;
    case 1:
      s += `PROTO=ICMP TYPE=${pkt.icmpType ?? 0} CODE=${pkt.icmpCode ?? 0} `;
      if (pkt.icmpType === 0 || pkt.icmpType === 8) s += `ID=${pkt.icmpId ?? 0} SEQ=${pkt.icmpSeq ?? 0} `;
      break;
    case 132:
      s += `PROTO=SCTP SPT=${pkt.sport ?? 0} DPT=${pkt.dport ?? 0} `;
      break;
    default:
      s += `PROTO=${pkt.proto} `;
  }
  if (flags & UID && pkt.uid !== undefined) s += `UID=${pkt.uid} GID=${pkt.gid ?? 0} `;
  if (pkt.mark) s += `MARK=0x${pkt.mark.toString(16)} `;
  return s;
}

export const log: XtTarget<LogData> = {
  kind: 'target',
  name: 'LOG',
  options: [
    { name: 'log-level', arg: true, invert: true },
    { name: 'log-prefix', arg: true, invert: true },
    ...FLAG_OPTS.map(([name]) => ({ name, arg: false, invert: true })),
  ],
  init: () => ({ level: 4, flags: 0, prefix: '', seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'LOG', opt, invert, false);
    switch (opt) {
      case 'log-level': {
        const a = arg!;
        const n = /^[0-7]$/.test(a) ? Number(a) : LEVEL_IN[a];
        if (n === undefined) throw new XtError(`log level "${a}" unknown\n`);
        d.level = n;
        break;
      }
      case 'log-prefix':
        if (arg!.length < 1) throw new XtError('Argument must have a minimum length of 1 characters\n');
        if (arg!.includes('\n')) throw new XtError('Newlines not allowed in --log-prefix');
        d.prefix = arg!.slice(0, 29);
        break;
      default:
        d.flags |= FLAG_OPTS.find(([n]) => n === opt)![1];
    }
  },
  print(d, env) {
    let s = ' LOG';
    if (env.numeric) s += ` flags ${d.flags} level ${d.level}`;
    else {
      s += ` level ${LEVEL_OUT[d.level]}`;
      for (const [bit, name] of FLAG_NAMES) if (d.flags & bit) s += ` ${name}`;
    }
    if (d.prefix) s += ` prefix "${d.prefix}"`;
    return s;
  },
  save(d) {
    let s = '';
    if (d.prefix) s += ` --log-prefix ${saveString(d.prefix)}`;
    if (d.level !== 4) s += ` --log-level ${d.level}`;
    for (const [name, bit] of FLAG_OPTS) if (d.flags & bit) s += ` --${name}`;
    return s;
  },
  run(d, pkt, ctx) {
    ctx.log(logLine(d.prefix, d.flags, pkt));
    return { verdict: 'CONTINUE' };
  },
};
