/**
 * `-m tcp` (also loaded by `-p tcp` when a tcp option follows): ports, flags, --syn, --tcp-option.
 */
import { bang, parsePortRange, portName, strtoui } from './util.ts';
import { XtError, type Names, type XtMatch } from './types.ts';
import type { Packet } from '../packet.ts';

export interface PortsData {
  spts: [number, number];
  dpts: [number, number];
  invSrc: boolean;
  invDst: boolean;
}

export interface TcpData extends PortsData {
  option: number;
  invOption: boolean;
  flagMask: number;
  flagCmp: number;
  invFlags: boolean;
  seen: Set<string>;
}

const FLAGS: [string, number][] = [
  ['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20], ['ALL', 0x3f], ['NONE', 0],
];

function parseFlags(s: string): number {
  let v = 0;
  for (const part of s.split(',').filter(Boolean)) {
    const f = FLAGS.find(([n]) => n.toLowerCase() === part.toLowerCase());
    if (!f) throw new XtError(`Unknown TCP flag \`${part}'`);
    v |= f[1];
  }
  return v;
}

export function flagNames(flags: number): string {
  const out: string[] = [];
  let f = flags & 0x3f;
  while (f) {
    const hit = FLAGS.find(([, bit]) => (f & bit) !== 0)!;
    out.push(hit[0]);
    f &= ~hit[1];
  }
  return out.length ? out.join(',') : 'NONE';
}

/** " spt:x" / " dpts:a:b" as the tcp and udp matches print them. */
export function printPorts(label: string, [lo, hi]: [number, number], inv: boolean, proto: string, numeric: boolean, names: Names): string {
  if (lo === 0 && hi === 0xffff && !inv) return '';
  const i = inv ? '!' : '';
  if (lo === hi) return ` ${label}:${i}${portName(lo, proto, numeric, names)}`;
  return ` ${label}s:${i}${portName(lo, proto, numeric, names)}:${portName(hi, proto, numeric, names)}`;
}

export function savePorts(opt: string, [lo, hi]: [number, number], inv: boolean): string {
  if (lo === 0 && hi === 0xffff) return '';
  return `${bang(inv)} --${opt} ${lo === hi ? lo : `${lo}:${hi}`}`;
}

/** Later port tests replace earlier ones, as the nf_tables payload expressions do. */
export function mergePorts(into: PortsData & { seen: Set<string> }, from: PortsData & { seen: Set<string> }): void {
  if (from.seen.has('s')) [into.spts, into.invSrc] = [from.spts, from.invSrc];
  if (from.seen.has('d')) [into.dpts, into.invDst] = [from.dpts, from.invDst];
  for (const k of from.seen) into.seen.add(k);
}

export function portsMatch(d: PortsData, pkt: Packet): boolean {
  const sp = pkt.sport ?? 0;
  const dp = pkt.dport ?? 0;
  return (sp >= d.spts[0] && sp <= d.spts[1]) !== d.invSrc && (dp >= d.dpts[0] && dp <= d.dpts[1]) !== d.invDst;
}

export const tcp: XtMatch<TcpData> = {
  kind: 'match',
  name: 'tcp',
  options: [
    { name: 'source-port', arg: true, invert: true },
    { name: 'sport', arg: true, invert: true },
    { name: 'destination-port', arg: true, invert: true },
    { name: 'dport', arg: true, invert: true },
    { name: 'syn', arg: false, invert: true },
    { name: 'tcp-flags', arg: true, invert: true },
    { name: 'tcp-option', arg: true, invert: true },
  ],
  init: () => ({
    spts: [0, 0xffff], dpts: [0, 0xffff], invSrc: false, invDst: false, option: 0, invOption: false,
    flagMask: 0, flagCmp: 0, invFlags: false, seen: new Set(),
  }),
  parse(d, opt, arg, invert, env) {
    const once = (key: string, msg: string): void => {
      if (d.seen.has(key)) throw new XtError(msg);
      d.seen.add(key);
    };
    switch (opt) {
      case 'source-port': case 'sport':
        once('s', "Only one `--source-port' allowed");
        d.spts = parsePortRange(arg!, 'tcp', env.names);
        d.invSrc = invert;
        break;
      case 'destination-port': case 'dport':
        once('d', "Only one `--destination-port' allowed");
        d.dpts = parsePortRange(arg!, 'tcp', env.names);
        d.invDst = invert;
        break;
      case 'syn':
        once('f', "Only one of `--syn' or `--tcp-flags'  allowed");
        d.flagMask = 0x17;
        d.flagCmp = 0x02;
        d.invFlags = invert;
        break;
      case 'tcp-flags': {
        once('f', "Only one of `--syn' or `--tcp-flags'  allowed");
        const cmp = env.nextArg?.();
        if (cmp === undefined) throw new XtError('--tcp-flags requires two args.');
        d.flagMask = parseFlags(arg!);
        d.flagCmp = parseFlags(cmp);
        d.invFlags = invert;
        break;
      }
      case 'tcp-option': {
        once('o', "Only one `--tcp-option' allowed");
        const v = strtoui(arg!, 1, 255);
        if (v === undefined) throw new XtError(`Bad TCP option \`${arg}'`);
        d.option = v;
        d.invOption = invert;
        break;
      }
    }
  },
  merge(into, from) {
    mergePorts(into, from);
    if (from.seen.has('f')) [into.flagMask, into.flagCmp, into.invFlags] = [from.flagMask, from.flagCmp, from.invFlags];
    if (from.seen.has('o')) [into.option, into.invOption] = [from.option, from.invOption];
  },
  print(d, env) {
    let s = ' tcp';
    s += printPorts('spt', d.spts, d.invSrc, 'tcp', env.numeric, env.names);
    s += printPorts('dpt', d.dpts, d.invDst, 'tcp', env.numeric, env.names);
    if (d.option || d.invOption) s += ` option=${d.invOption ? '!' : ''}${d.option}`;
    if (d.flagMask || d.invFlags) {
      s += ` flags:${d.invFlags ? '!' : ''}`;
      s += env.numeric
        ? `0x${d.flagMask.toString(16).toUpperCase().padStart(2, '0')}/0x${d.flagCmp.toString(16).toUpperCase().padStart(2, '0')}`
        : `${flagNames(d.flagMask)}/${flagNames(d.flagCmp)}`;
    }
    return s;
  },
  save(d) {
    let s = savePorts('sport', d.spts, d.invSrc) + savePorts('dport', d.dpts, d.invDst);
    if (d.option || d.invOption) s += `${bang(d.invOption)} --tcp-option ${d.option}`;
    if (d.flagMask || d.invFlags) s += `${bang(d.invFlags)} --tcp-flags ${flagNames(d.flagMask)} ${flagNames(d.flagCmp)}`;
    return s;
  },
  match(d, pkt) {
    if (pkt.proto !== 6 || pkt.fragment) return false;
    if (!portsMatch(d, pkt)) return false;
    if (d.flagMask && (((pkt.tcpFlags ?? 0) & d.flagMask) === d.flagCmp) === d.invFlags) return false;
    if (d.option && (pkt.tcpOptions ?? []).includes(d.option) === d.invOption) return false;
    return true;
  },
};
