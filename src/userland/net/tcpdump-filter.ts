/**
 * The part of pcap-filter(7) tcpdump users type: host/net/port/portrange with src/dst, the
 * protocols ip, arp, tcp, udp, icmp (and ip6, which nothing in the model carries), ether host,
 * and/or/not with pcap's precedence (not binds tighter; and and or are equal and associate to
 * the left), parentheses, and qualifiers carried over to bare values (`host a or b`).
 */
import { inSubnet, maskOf, parseInetAton, parseIPv4 } from '../../kernel/addr.ts';
import type { Frame } from '../../kernel/wire.ts';

export type Filter = (f: Frame) => boolean;

export class FilterError extends Error {}

export interface FilterNames {
  host(name: string): number | undefined;
  port(name: string): number | undefined;
}

type Dir = 'src' | 'dst' | 'src or dst' | 'src and dst';
type Kind = 'host' | 'net' | 'port' | 'portrange';

interface Qual {
  proto?: string;
  dir?: Dir;
  kind?: Kind;
}

const PROTOS = new Set(['ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'icmp6', 'ether', 'sctp']);

function tokenize(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    for (const m of a.matchAll(/&&|\|\||[()!]|[^\s()!]+/g)) out.push(m[0]);
  }
  return out;
}

/** Compiles tcpdump's expression words; an empty expression matches everything. */
export function compileFilter(args: string[], names: FilterNames): Filter {
  const toks = tokenize(args);
  if (!toks.length) return () => true;
  let i = 0;
  let last: Qual = {};
  const peek = (): string | undefined => toks[i];
  const fail = (): never => {
    throw new FilterError("can't parse filter expression: syntax error");
  };

  const expr = (): Filter => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (t === 'and' || t === '&&') {
        i++;
        const l = left;
        const r = unary();
        left = (f) => l(f) && r(f);
      } else if (t === 'or' || t === '||') {
        i++;
        const l = left;
        const r = unary();
        left = (f) => l(f) || r(f);
      } else return left;
    }
  };

  const unary = (): Filter => {
    const t = peek();
    if (t === undefined) return fail();
    if (t === 'not' || t === '!') {
      i++;
      const inner = unary();
      return (f) => !inner(f);
    }
    if (t === '(') {
      i++;
      const inner = expr();
      if (peek() !== ')') fail();
      i++;
      return inner;
    }
    return primitive();
  };

  const primitive = (): Filter => {
    const q: Qual = {};
    let qualified = false;
    if (peek() !== undefined && PROTOS.has(peek()!)) {
      q.proto = toks[i++];
      qualified = true;
    }
    const dirWord = peek();
    if (dirWord === 'src' || dirWord === 'dst') {
      i++;
      q.dir = dirWord;
      const n = peek();
      if ((n === 'or' || n === 'and') && (toks[i + 1] === 'src' || toks[i + 1] === 'dst')) {
        q.dir = `src ${n}` as Dir;
        i += 2;
      }
      qualified = true;
    }
    const k = peek();
    if (k === 'host' || k === 'net' || k === 'port' || k === 'portrange') {
      q.kind = k;
      i++;
      qualified = true;
    }
    if (q.proto && !q.dir && !q.kind) {
      // A protocol on its own (`tcp`, `arp`).
      last = q;
      return protoFilter(q.proto);
    }
    if (!qualified) {
      // A bare value takes the qualifiers of the primitive before it.
      if (!last.kind && !last.dir) fail();
      Object.assign(q, last);
    }
    const id = toks[i++];
    if (id === undefined || id === ')' || id === '(' || id === 'and' || id === 'or' || id === 'not') fail();
    last = { ...q };
    let mask: number | undefined;
    if (q.kind === 'net' && peek() === 'mask') {
      i++;
      mask = parseInetAton(toks[i++] ?? '');
      if (mask === undefined) fail();
    }
    return valueFilter(q, id, mask, names);
  };

  const f = expr();
  if (i < toks.length) fail();
  return f;
}

function protoFilter(p: string): Filter {
  switch (p) {
    case 'ip':
      return (f) => !!f.ip;
    case 'arp':
      return (f) => !!f.arp;
    case 'tcp':
      return (f) => f.ip?.proto === 6;
    case 'udp':
      return (f) => f.ip?.proto === 17;
    case 'icmp':
      return (f) => f.ip?.proto === 1;
    case 'sctp':
      return (f) => f.ip?.proto === 132;
    default:
      return () => false;
  }
}

function matchDir(dir: Dir | undefined, src: boolean, dst: boolean): boolean {
  switch (dir) {
    case 'src':
      return src;
    case 'dst':
      return dst;
    case 'src and dst':
      return src && dst;
    default:
      return src || dst;
  }
}

function valueFilter(q: Qual, id: string, mask: number | undefined, names: FilterNames): Filter {
  const kind = q.kind ?? 'host';
  if (q.proto === 'ether') {
    const mac = id.toLowerCase();
    return (f) => matchDir(q.dir, f.src === mac, f.dst === mac);
  }
  if (kind === 'port' || kind === 'portrange') {
    let lo: number;
    let hi: number;
    const range = kind === 'portrange' ? /^(\w[\w-]*?)-(\w+)$/.exec(id) : null;
    const one = (s: string): number => {
      const n = /^\d+$/.test(s) ? Number(s) : names.port(s);
      if (n === undefined || n > 65535) throw new FilterError(`unknown port '${s}'`);
      return n;
    };
    if (range) [lo, hi] = [one(range[1]), one(range[2])];
    else lo = hi = one(id);
    const proto = q.proto === 'tcp' ? 6 : q.proto === 'udp' ? 17 : undefined;
    return (f) => {
      const l4 = f.ip?.l4;
      if (!l4 || l4.kind === 'icmp' || (proto !== undefined && f.ip!.proto !== proto)) return false;
      const inR = (p: number): boolean => p >= lo && p <= hi;
      return matchDir(q.dir, inR(l4.sport), inR(l4.dport));
    };
  }
  if (kind === 'net') {
    const m = /^([\d.]+)(?:\/(\d+))?$/.exec(id);
    if (!m) throw new FilterError(`unknown network '${id}'`);
    const parts = m[1].split('.');
    const plen = m[2] !== undefined ? Number(m[2]) : mask !== undefined ? -1 : parts.length * 8;
    const addr = parseIPv4([...parts, '0', '0', '0'].slice(0, 4).join('.'));
    if (addr === undefined || plen > 32) throw new FilterError(`invalid ip address ${id}`);
    const netmask = plen >= 0 ? maskOf(plen) : mask!;
    if ((addr & ~netmask) >>> 0) throw new FilterError(`non-network bits set in "${id}"`);
    return hostLike(q, (a) => inSubnet(a, addr, netmask));
  }
  const addr = parseIPv4(id) ?? names.host(id);
  if (addr === undefined) throw new FilterError(`unknown host '${id}'`);
  return hostLike(q, (a) => a === addr);
}

/** host and net match IPv4 source/destination and ARP's sender/target protocol addresses. */
function hostLike(q: Qual, is: (a: number) => boolean): Filter {
  return (f) => {
    if (f.ip && q.proto !== 'arp') {
      if (q.proto && !['ip', 'tcp', 'udp', 'icmp'].includes(q.proto)) return false;
      if (q.proto && q.proto !== 'ip' && !protoFilter(q.proto)(f)) return false;
      return matchDir(q.dir, is(f.ip.src), is(f.ip.dst));
    }
    if (f.arp && (!q.proto || q.proto === 'arp')) return matchDir(q.dir, is(f.arp.spa), is(f.arp.tpa));
    return false;
  };
}
