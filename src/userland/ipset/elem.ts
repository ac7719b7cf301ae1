/**
 * ipset's element syntax (lib/parse.c, lib/print.c) for the modelled types: `IP`, `IP,[PROTO:]PORT`,
 * `IP,[PROTO:]PORT,IP`, `IP,[PROTO:]PORT,IP[/CIDR]`, `IP[/CIDR]` and `PORT`, parsed into kernel
 * elements with ipset 7.x's error texts, and printed back as `ipset list` shows members.
 */
import { formatIPv4, parseIPv4 } from '../../kernel/addr.ts';
import { IpsetError, maskOf, type Dim, type Elem, type IpSet } from '../../kernel/ipset/index.ts';
import type { Names } from '../../kernel/netfilter/xt/types.ts';

const PROTOS: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, udplite: 136, icmp: 1 };
const PROTO_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 136: 'udplite', 1: 'icmp' };
/** The ICMP messages ipset knows by name (lib/icmp.c), as type/code. */
const ICMP_NAMES: readonly [string, number, number][] = [
  ['echo-reply', 0, 0], ['network-unreachable', 3, 0], ['host-unreachable', 3, 1], ['protocol-unreachable', 3, 2],
  ['port-unreachable', 3, 3], ['fragmentation-needed', 3, 4], ['source-route-failed', 3, 5], ['network-unknown', 3, 6],
  ['host-unknown', 3, 7], ['network-prohibited', 3, 9], ['host-prohibited', 3, 10], ['TOS-network-unreachable', 3, 11],
  ['TOS-host-unreachable', 3, 12], ['communication-prohibited', 3, 13], ['host-precedence-violation', 3, 14],
  ['precedence-cutoff', 3, 15], ['source-quench', 4, 0], ['network-redirect', 5, 0], ['host-redirect', 5, 1],
  ['TOS-network-redirect', 5, 2], ['TOS-host-redirect', 5, 3], ['echo-request', 8, 0], ['router-advertisement', 9, 0],
  ['router-solicitation', 10, 0], ['ttl-zero-during-transit', 11, 0], ['ttl-zero-during-reassembly', 11, 1],
  ['ip-header-bad', 12, 0], ['required-option-missing', 12, 1], ['timestamp-request', 13, 0], ['timestamp-reply', 14, 0],
  ['address-mask-request', 17, 0], ['address-mask-reply', 18, 0],
];

const ORDINAL = ['First', 'Second', 'Third'];

const syntax = (msg: string): never => {
  throw new IpsetError(`Syntax error: ${msg}`);
};

function parseIp(s: string, names: Names): number {
  const a = parseIPv4(s) ?? names.hostToAddr(s);
  return a ?? syntax(`cannot parse ${s}: resolving to IPv4 address failed`);
}

function parseNet(s: string, names: Names): { addr: number; cidr: number } {
  const [a, c] = s.split('/');
  const addr = parseIp(a, names);
  if (c === undefined) return { addr, cidr: 32 };
  const cidr = /^\d+$/.test(c) ? Number(c) : -1;
  if (cidr < 1 || cidr > 32) syntax(`'${c}' is out of range 1-32`);
  return { addr: (addr & maskOf(cidr)) >>> 0, cidr };
}

function parsePort(s: string, proto: string, names: Names): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n > 65535) syntax(`'${s}' is out of range 0-65535`);
    return n;
  }
  return names.serviceToPort(s, proto) ?? syntax(`cannot parse '${s}' as a ${proto} port`);
}

/** `[PROTO:]PORT` (tcp when absent); ICMP takes a message name or TYPE/CODE. */
function parseProtoPort(s: string, names: Names): { proto: number; port: number } {
  const colon = s.indexOf(':');
  if (colon < 0) return { proto: 6, port: parsePort(s, 'tcp', names) };
  const pname = s.slice(0, colon);
  const rest = s.slice(colon + 1);
  const proto = PROTOS[pname] ?? syntax(`cannot parse '${pname}' as a protocol`);
  if (proto === 1) {
    const named = ICMP_NAMES.find((x) => x[0] === rest);
    if (named) return { proto, port: (named[1] << 8) | named[2] };
    const m = /^(\d+)\/(\d+)$/.exec(rest) ?? syntax(`cannot parse '${rest}' as an ICMP type`);
    return { proto, port: (Number(m[1]) << 8) | Number(m[2]) };
  }
  return { proto, port: parsePort(rest, pname, names) };
}

/** Parses an element of `set`'s type. */
export function parseElem(set: IpSet, text: string, names: Names): Elem {
  const dims = set.type.dims;
  if (set.type.kind === 'bitmap') {
    const [lo, hi] = set.opts.range!;
    const port = /^\d+$/.test(text) ? Number(text) : names.serviceToPort(text, 'tcp');
    if (port === undefined || port < lo || port > hi) {
      // ipset tries the port, then a protocol-prefixed form, and reports all three attempts.
      throw new IpsetError(`Syntax error: '${text}' is out of range ${lo}-${hi}\nSyntax error: 'tcp' is invalid as number\ncannot parse '${text}' as a tcp port`);
    }
    return { port };
  }
  const parts = text.split(',');
  const e: Elem = {};
  dims.forEach((d: Dim, i) => {
    const part = parts[i];
    if (part === undefined || part === '') syntax(`${ORDINAL[i]} element is missing from ${text}.`);
    switch (d) {
      case 'ip': e.ip = parseIp(part, names); break;
      case 'ip2': e.ip2 = parseIp(part, names); break;
      case 'port': Object.assign(e, parseProtoPort(part, names)); break;
      case 'net': {
        const n = parseNet(part, names);
        if (set.type.name === 'hash:net') e.ip = n.addr;
        else e.ip2 = n.addr;
        e.cidr = n.cidr;
        break;
      }
    }
  });
  return e;
}

function formatPort(e: Elem): string {
  const name = PROTO_NAMES[e.proto!] ?? String(e.proto);
  if (e.proto === 1) {
    const t = e.port! >> 8;
    const c = e.port! & 0xff;
    const named = ICMP_NAMES.find((x) => x[1] === t && x[2] === c);
    return `icmp:${named ? named[0] : `${t}/${c}`}`;
  }
  return `${name}:${e.port}`;
}

const net = (addr: number, cidr: number): string => (cidr === 32 ? formatIPv4(addr) : `${formatIPv4(addr)}/${cidr}`);

/** An element as `ipset list` and `save` print it. */
export function formatElem(set: IpSet, e: Elem): string {
  switch (set.type.name) {
    case 'bitmap:port': return String(e.port);
    case 'hash:ip': return formatIPv4(e.ip!);
    case 'hash:net': return net(e.ip!, e.cidr!);
    case 'hash:ip,port': return `${formatIPv4(e.ip!)},${formatPort(e)}`;
    case 'hash:ip,port,ip': return `${formatIPv4(e.ip!)},${formatPort(e)},${formatIPv4(e.ip2!)}`;
    case 'hash:ip,port,net': return `${formatIPv4(e.ip!)},${formatPort(e)},${net(e.ip2!, e.cidr!)}`;
  }
}
