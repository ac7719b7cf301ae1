/**
 * The NAT targets, one mechanism with parameters: DNAT and SNAT take `--to-destination` /
 * `--to-source ip[-ip][:port[-port]]`, MASQUERADE and REDIRECT take `--to-ports`. They only
 * ask for the rewrite; the network stack applies it and records it in conntrack.
 */
import { markSeen, x6 } from './xtopt.ts';
import { formatIPv4, parseIPv4 } from '../../addr.ts';
import type { Hook } from '../tables.ts';
import { XtError, type NatRequest, type ParseEnv, type XtTarget } from './types.ts';

interface NatData {
  minIp?: number;
  maxIp?: number;
  minPort?: number;
  maxPort?: number;
  /** `/base` after a port range: ports are mapped with this offset (NF_NAT_RANGE_PROTO_OFFSET). */
  basePort?: number;
  random: boolean;
  randomFully: boolean;
  persistent: boolean;
  seen: Set<string>;
}

const PORT_PROTOS = new Set([6, 17, 132, 33, 136]);

function portsAllowed(env: ParseEnv): boolean {
  return PORT_PROTOS.has(env.proto) && !env.protoInv;
}

function parsePortRange(s: string): [number, number] {
  const [a, b] = s.split('-');
  const lo = /^\d+$/.test(a) ? Number(a) : NaN;
  const hi = b === undefined ? lo : /^\d+$/.test(b) ? Number(b) : NaN;
  if (Number.isNaN(lo) || lo > 65535) throw new XtError(`Port "${a}" not valid`);
  if (Number.isNaN(hi) || hi > 65535) throw new XtError(`Port "${b}" not valid`);
  if (hi < lo) throw new XtError(`Port range \`${s}' invalid`);
  return [lo, hi];
}

/** `ip[-ip][:port[-port]]` */
function parseTo(d: NatData, arg: string, env: ParseEnv): void {
  const colon = arg.indexOf(':');
  const ipPart = colon >= 0 ? arg.slice(0, colon) : arg;
  if (colon >= 0) {
    if (!portsAllowed(env)) throw new XtError('Need TCP, UDP, SCTP or DCCP with port specification');
    const spec = arg.slice(colon + 1);
    const slash = spec.indexOf('/');
    [d.minPort, d.maxPort] = parsePortRange(slash < 0 ? spec : spec.slice(0, slash));
    if (slash >= 0) {
      const base = spec.slice(slash + 1);
      if (!/^\d+$/.test(base) || Number(base) > 65535) throw new XtError(`Port "${base}" not valid`);
      d.basePort = Number(base);
    }
  }
  if (ipPart === '') return;
  const [a, b] = ipPart.split('-');
  const lo = parseIPv4(a);
  if (lo === undefined) throw new XtError(`Bad IP address "${a}"`);
  const hi = b === undefined ? lo : parseIPv4(b);
  if (hi === undefined) throw new XtError(`Bad IP address "${b}"`);
  [d.minIp, d.maxIp] = [lo, hi];
}

function range(d: NatData): string {
  let s = '';
  if (d.minIp !== undefined) {
    s += formatIPv4(d.minIp);
    if (d.maxIp !== d.minIp) s += `-${formatIPv4(d.maxIp!)}`;
  }
  if (d.minPort !== undefined) {
    s += `:${d.minPort}`;
    if (d.maxPort !== d.minPort) s += `-${d.maxPort}`;
    if (d.basePort !== undefined) s += `/${d.basePort}`;
  }
  return s;
}

function portsText(d: NatData): string {
  return d.minPort === undefined ? '' : d.maxPort !== d.minPort ? `${d.minPort}-${d.maxPort}` : `${d.minPort}`;
}

function request(kind: NatRequest['kind'], d: NatData): NatRequest {
  return {
    kind, minIp: d.minIp, maxIp: d.maxIp, minPort: d.minPort, maxPort: d.maxPort,
    random: d.random, randomFully: d.randomFully, persistent: d.persistent,
  };
}

interface NatSpec {
  name: NatRequest['kind'];
  /** The address option (DNAT/SNAT) or undefined (MASQUERADE/REDIRECT take --to-ports). */
  toOption?: 'to-destination' | 'to-source';
  hooks: Hook[];
  flags: ('random' | 'random-fully' | 'persistent')[];
  print(d: NatData): string;
  save(d: NatData): string;
}

function natTarget(spec: NatSpec): XtTarget<NatData> {
  const toOpt = spec.toOption ?? 'to-ports';
  return {
    kind: 'target',
    name: spec.name,
    tables: ['nat'],
    hooks: spec.hooks,
    options: [{ name: toOpt, arg: true }, ...spec.flags.map((name) => ({ name, arg: false }))],
    init: () => ({ random: false, randomFully: false, persistent: false, seen: new Set() }),
    parse(d, opt, arg, _invert, env) {
      markSeen(d.seen, spec.name, opt);
      if (opt === 'to-ports') {
        if (!portsAllowed(env)) throw new XtError('Need TCP, UDP, SCTP or DCCP with port specification');
        [d.minPort, d.maxPort] = parsePortRange(arg!);
      } else if (opt === toOpt) parseTo(d, arg!, env);
      else if (opt === 'random') d.random = true;
      else if (opt === 'random-fully') d.randomFully = true;
      else if (opt === 'persistent') d.persistent = true;
    },
    final(d) {
      if (spec.toOption && !d.seen.has(spec.toOption)) throw x6.mandatory(spec.name, spec.toOption);
    },
    print: spec.print,
    save: spec.save,
    run: (d) => ({ verdict: 'ACCEPT', nat: request(spec.name, d) }),
  };
}

const flagsText = (d: NatData, prefix: string): string =>
  (d.random ? ` ${prefix}random` : '') + (d.randomFully ? ` ${prefix}random-fully` : '') + (d.persistent ? ` ${prefix}persistent` : '');

export const dnat = natTarget({
  name: 'DNAT',
  toOption: 'to-destination',
  hooks: ['PREROUTING', 'OUTPUT'],
  flags: ['random', 'persistent'],
  print: (d) => ` to:${range(d)}${flagsText(d, '')}`,
  save: (d) => ` --to-destination ${range(d)}${flagsText(d, '--')}`,
});

export const snat = natTarget({
  name: 'SNAT',
  toOption: 'to-source',
  hooks: ['POSTROUTING', 'INPUT'],
  flags: ['random', 'random-fully', 'persistent'],
  print: (d) => ` to:${range(d)}${flagsText(d, '')}`,
  save: (d) => ` --to-source ${range(d)}${flagsText(d, '--')}`,
});

export const masquerade = natTarget({
  name: 'MASQUERADE',
  hooks: ['POSTROUTING'],
  flags: ['random', 'random-fully'],
  print: (d) => (d.minPort !== undefined ? ` masq ports: ${portsText(d)}` : '') + flagsText(d, ''),
  save: (d) => (d.minPort !== undefined ? ` --to-ports ${portsText(d)}` : '') + flagsText(d, '--'),
});

export const redirect = natTarget({
  name: 'REDIRECT',
  hooks: ['PREROUTING', 'OUTPUT'],
  flags: ['random'],
  print: (d) => (d.minPort !== undefined ? ` redir ports ${portsText(d)}` : '') + flagsText(d, ''),
  save: (d) => (d.minPort !== undefined ? ` --to-ports ${portsText(d)}` : '') + flagsText(d, '--'),
});
