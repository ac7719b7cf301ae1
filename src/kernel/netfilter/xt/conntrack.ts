/**
 * Connection tracking matches: `-m conntrack` (ctstate, ctproto, original/reply addresses and
 * ports, ctstatus, ctexpire, ctdir) and its older alias `-m state --state`.
 */
import { markSeen, x6 } from './xtopt.ts';
import { formatIPv4, inSubnet, maskOf, parseInetAton } from '../../addr.ts';
import type { CtInfo, Packet } from '../packet.ts';
import { XtError, type Names, type ParseEnv, type XtMatch } from './types.ts';
import { maskSuffix, parsePort, strtoui } from './util.ts';

/** State names in the order iptables prints them. */
const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
type StateName = (typeof STATES)[number];
const STATUSES = ['EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const;

function parseList<T extends string>(arg: string, names: readonly T[], err: (s: string) => XtError, allowNone = false): Set<T> {
  const out = new Set<T>();
  for (const part of arg.split(',')) {
    if (allowNone && part.toUpperCase() === 'NONE') continue;
    const hit = names.find((n) => n.toLowerCase() === part.toLowerCase());
    if (!hit) throw err(part);
    out.add(hit);
  }
  return out;
}

function printList(set: Set<string>, names: readonly string[], none = ''): string {
  const parts = names.filter((n) => set.has(n));
  return ' ' + (parts.length ? parts.join(',') : none);
}

function stateMatches(states: Set<StateName>, ct: CtInfo | undefined): boolean {
  if (!ct) return states.has('UNTRACKED') || states.has('INVALID') ? states.has('INVALID') : false;
  if (ct.state === 'UNTRACKED') return states.has('UNTRACKED');
  if (states.has(ct.state as StateName)) return true;
  if (states.has('SNAT') && ct.status.has('SNAT')) return true;
  if (states.has('DNAT') && ct.status.has('DNAT')) return true;
  return false;
}

interface AddrOpt {
  addr: number;
  mask: number;
}

interface ConntrackData {
  states?: Set<StateName>;
  proto?: number;
  origsrc?: AddrOpt;
  origdst?: AddrOpt;
  replsrc?: AddrOpt;
  repldst?: AddrOpt;
  origsrcport?: [number, number];
  origdstport?: [number, number];
  replsrcport?: [number, number];
  repldstport?: [number, number];
  status?: Set<string>;
  expires?: [number, number];
  dir?: 'ORIGINAL' | 'REPLY';
  inv: Set<string>;
  seen: Set<string>;
}

/** An address with optional mask; unlike -s/-d, conntrack keeps the host bits. */
function parseAddr(arg: string, names: Names): AddrOpt {
  const [host, m] = arg.split('/');
  const addr = parseInetAton(host) ?? names.hostToAddr(host);
  if (addr === undefined) throw new XtError(`host/network \`${host}' not found`);
  let mask = 0xffffffff;
  if (m !== undefined) {
    const dotted = m.includes('.') ? parseInetAton(m) : undefined;
    const len = m.includes('.') ? undefined : strtoui(m, 0, 32);
    if (dotted === undefined && len === undefined) throw new XtError(`invalid mask \`${m}' specified`);
    mask = dotted ?? maskOf(len!);
  }
  return { addr, mask };
}

function parsePorts(arg: string, names: Names): [number, number] {
  const [a, b] = arg.split(':');
  const lo = parsePort(a, undefined, names);
  const hi = b === undefined ? lo : parsePort(b, undefined, names);
  if (lo > hi) throw new XtError(`conntrack: invalid portrange "${arg}"`);
  return [lo, hi];
}

function dumpAddr(a: AddrOpt, numeric: boolean, names: Names): string {
  if (!numeric && a.addr === 0) return ' anywhere';
  const host = numeric ? formatIPv4(a.addr) : (names.addrToName(a.addr) ?? formatIPv4(a.addr));
  return ` ${host}${maskSuffix(a.mask)}`;
}

function dump(d: ConntrackData, prefix: string, numeric: boolean, names: Names): string {
  const bang = (k: string): string => (d.inv.has(k) ? ' !' : '');
  let s = '';
  if (d.states) s += `${bang('ctstate')} ${prefix}ctstate${printList(d.states, STATES)}`;
  if (d.proto !== undefined) s += `${bang('ctproto')} ${prefix}ctproto ${d.proto}`;
  for (const k of ['origsrc', 'origdst', 'replsrc', 'repldst'] as const) {
    const a = d[k];
    if (a) s += `${bang(`ct${k}`)} ${prefix}ct${k}${dumpAddr(a, numeric, names)}`;
  }
  for (const k of ['origsrcport', 'origdstport', 'replsrcport', 'repldstport'] as const) {
    const p = d[k];
    if (p) s += `${bang(`ct${k}`)} ${prefix}ct${k} ${p[0] === p[1] ? p[0] : `${p[0]}:${p[1]}`}`;
  }
  if (d.status) s += `${bang('ctstatus')} ${prefix}ctstatus${printList(d.status, STATUSES, 'NONE')}`;
  if (d.expires) s += `${bang('ctexpire')} ${prefix}ctexpire ${d.expires[0] === d.expires[1] ? d.expires[0] : `${d.expires[0]}:${d.expires[1]}`}`;
  if (d.dir) s += ` ${prefix}ctdir ${d.dir}`;
  return s;
}

const CT_OPTS = ['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport',
  'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir'];

function inRange(v: number | undefined, [lo, hi]: [number, number]): boolean {
  return v !== undefined && v >= lo && v <= hi;
}

export const conntrack: XtMatch<ConntrackData> = {
  kind: 'match',
  name: 'conntrack',
  options: CT_OPTS.map((name) => ({ name, arg: true, invert: name !== 'ctdir' })),
  init: () => ({ inv: new Set(), seen: new Set() }),
  parse(d, opt, arg, invert, env: ParseEnv) {
    markSeen(d.seen, 'conntrack', opt);
    if (invert) d.inv.add(opt);
    const a = arg!;
    switch (opt) {
      case 'ctstate':
        d.states = parseList(a, STATES, (s) => new XtError(`Bad ctstate "${s}"`));
        break;
      case 'ctproto': {
        const n = strtoui(a, 0, 255) ?? env.names.protoByName(a.toLowerCase());
        if (n === undefined) throw new XtError(`unknown protocol "${a}" specified`);
        if (n === 0 && invert) throw new XtError('conntrack: rule would never match protocol');
        d.proto = n;
        break;
      }
      case 'ctorigsrc': d.origsrc = parseAddr(a, env.names); break;
      case 'ctorigdst': d.origdst = parseAddr(a, env.names); break;
      case 'ctreplsrc': d.replsrc = parseAddr(a, env.names); break;
      case 'ctrepldst': d.repldst = parseAddr(a, env.names); break;
      case 'ctorigsrcport': d.origsrcport = parsePorts(a, env.names); break;
      case 'ctorigdstport': d.origdstport = parsePorts(a, env.names); break;
      case 'ctreplsrcport': d.replsrcport = parsePorts(a, env.names); break;
      case 'ctrepldstport': d.repldstport = parsePorts(a, env.names); break;
      case 'ctstatus':
        d.status = parseList(a, STATUSES, (s) => new XtError(`Bad ctstatus "${s}"`), true);
        break;
      case 'ctexpire': {
        const [lo, hi] = a.split(':');
        const l = strtoui(lo);
        const h = hi === undefined ? l : strtoui(hi);
        if (l === undefined || h === undefined) throw new XtError(`expire value invalid: "${a}"`);
        if (l > h) throw new XtError(`expire min value ${l} greater than max value ${h}`);
        d.expires = [l, h];
        break;
      }
      case 'ctdir':
        if (a.toUpperCase() === 'ORIGINAL') d.dir = 'ORIGINAL';
        else if (a.toUpperCase() === 'REPLY') d.dir = 'REPLY';
        else throw x6.badValueFor('conntrack', 'ctdir', a);
        break;
    }
  },
  final(d) {
    if (d.seen.size === 0) throw new XtError('conntrack: At least one option is required');
  },
  print: (d, env) => dump(d, '', env.numeric, env.names),
  save: (d, env) => dump(d, '--', true, env.names),
  match(d, pkt: Packet) {
    const ct = pkt.ct;
    const test = (k: string, ok: boolean): boolean => ok !== d.inv.has(k);
    if (d.states && !test('ctstate', stateMatches(d.states, ct))) return false;
    if (!ct) return !(d.proto !== undefined || d.origsrc || d.origdst || d.replsrc || d.repldst || d.status || d.expires || d.dir ||
      d.origsrcport || d.origdstport || d.replsrcport || d.repldstport);
    if (d.proto !== undefined && !test('ctproto', ct.proto === d.proto)) return false;
    const addr = (k: string, o: AddrOpt | undefined, v: number): boolean => !o || test(k, inSubnet(v, o.addr, o.mask));
    if (!addr('ctorigsrc', d.origsrc, ct.origSrc) || !addr('ctorigdst', d.origdst, ct.origDst)) return false;
    if (!addr('ctreplsrc', d.replsrc, ct.replSrc) || !addr('ctrepldst', d.repldst, ct.replDst)) return false;
    const port = (k: string, r: [number, number] | undefined, v: number | undefined): boolean => !r || test(k, inRange(v, r));
    if (!port('ctorigsrcport', d.origsrcport, ct.origSrcPort) || !port('ctorigdstport', d.origdstport, ct.origDstPort)) return false;
    if (!port('ctreplsrcport', d.replsrcport, ct.replSrcPort) || !port('ctrepldstport', d.repldstport, ct.replDstPort)) return false;
    if (d.status && !test('ctstatus', [...d.status].some((s) => ct.status.has(s)))) return false;
    if (d.expires && !test('ctexpire', inRange(ct.expires ?? 0, d.expires))) return false;
    if (d.dir && ct.dir !== d.dir) return false;
    return true;
  },
};

interface StateData {
  states?: Set<StateName>;
  invert: boolean;
}

export const state: XtMatch<StateData> = {
  kind: 'match',
  name: 'state',
  options: [{ name: 'state', arg: true, invert: true }],
  init: () => ({ invert: false }),
  parse(d, _opt, arg, invert) {
    if (d.states) throw x6.once('state', 'state');
    d.states = parseList(arg!, STATES.filter((s) => s !== 'SNAT' && s !== 'DNAT'), (s) => new XtError(`Bad state "${s}"`));
    d.invert = invert;
  },
  final(d) {
    if (!d.states) throw new XtError('state: option "--state" must be specified\n');
  },
  print: (d) => `${d.invert ? ' !' : ''} state${printList(d.states!, STATES)}`,
  save: (d) => `${d.invert ? ' !' : ''} --state${printList(d.states!, STATES)}`,
  match: (d, pkt) => stateMatches(d.states!, pkt.ct) !== d.invert,
};
