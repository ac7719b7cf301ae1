/**
 * iproute2's argument handling (utils.c): `matches()` abbreviations, the argv cursor with
 * NEXT_ARG's "Command line is not complete", C-style number parsing (strtoul with base 0), the
 * address and prefix parsers with their error texts, and the exits they end in.
 */

/** exit(code) from deep inside a command: ends `ip` (and a batch) with this status. */
export class IpExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Where iproute2 writes its complaints; set per invocation. */
export interface ErrSink {
  (text: string): void;
}

let err: ErrSink = () => {};

export function setErrSink(sink: ErrSink): void {
  err = sink;
}

/**
 * What puts this invocation's sink back: call it first thing after each await, in the function
 * that awaited (other commands — other shells, the program `ip netns exec` runs — set theirs
 * while it waits, and any later hop lets them run again).
 */
export function sinkRestorer(): () => void {
  const mine = err;
  return () => {
    err = mine;
  };
}

export function stderr(text: string): void {
  err(text);
}

/** matches(): `arg` is a non-empty prefix of `word` (`ip a`, `ip l s`). */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

export function incompleteCommand(): never {
  err('Command line is not complete. Try option "help"\n');
  throw new IpExit(255);
}

export function missarg(key: string): never {
  err(`Error: argument "${key}" is required\n`);
  throw new IpExit(255);
}

export function invarg(msg: string, arg: string): never {
  err(`Error: argument "${arg}" is wrong: ${msg}\n`);
  throw new IpExit(255);
}

export function duparg(key: string, arg: string): never {
  err(`Error: duplicate "${key}": "${arg}" is the second value.\n`);
  throw new IpExit(255);
}

export function duparg2(key: string, arg: string): never {
  err(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`);
  throw new IpExit(255);
}

/** nodev(): the message, and -1 for the caller to return. */
export function nodev(dev: string): number {
  err(`Cannot find device "${dev}"\n`);
  return -1;
}

/** The argv cursor: `cur` is *argv, `next()` is NEXT_ARG(). */
export class Args {
  private i = 0;
  constructor(readonly argv: string[]) {}

  get cur(): string {
    return this.argv[this.i];
  }

  get left(): number {
    return this.argv.length - this.i;
  }

  get more(): boolean {
    return this.i < this.argv.length;
  }

  /** NEXT_ARG: moves on; running out is "Command line is not complete". */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) incompleteCommand();
    return this.argv[this.i];
  }

  /** NEXT_ARG_OK */
  hasNext(): boolean {
    return this.i + 1 < this.argv.length;
  }

  /** argc--, argv++ at the end of a loop iteration. */
  shift(): void {
    this.i++;
  }

  back(): void {
    this.i--;
  }

  rest(): string[] {
    return this.argv.slice(this.i);
  }

  get pos(): number {
    return this.i;
  }
}

/** strtoul/strtol with base 0 or 16: value and how much of the text it used. */
export function strtol(text: string, base = 0): { value: number; end: number } {
  let i = 0;
  while (i < text.length && /\s/.test(text[i])) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') neg = text[i++] === '-';
  let b = base;
  if ((b === 0 || b === 16) && text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
    i += 2;
    b = 16;
  } else if (b === 0) b = text[i] === '0' ? 8 : 10;
  const start = i;
  let v = 0;
  for (; i < text.length; i++) {
    const d = parseInt(text[i], 36);
    if (Number.isNaN(d) || d >= b) break;
    v = v * b + d;
  }
  if (i === start) return { value: 0, end: 0 };
  return { value: neg ? -v : v, end: i };
}

/** get_unsigned / get_u32: the whole text a number of at most 32 bits. */
export function getUnsigned(text: string, base = 0): number | undefined {
  if (!text) return undefined;
  const { value, end } = strtol(text, base);
  if (end === 0 || end !== text.length) return undefined;
  // strtoul takes "-1" as ULONG_MAX, which is out of range.
  if (value < 0 || value > 0xffffffff) return undefined;
  return value;
}

/** get_integer: a signed int. */
export function getInteger(text: string, base = 0): number | undefined {
  if (!text) return undefined;
  const { value, end } = strtol(text, base);
  if (end === 0 || end !== text.length) return undefined;
  if (value < -(2 ** 31) || value > 2 ** 31 - 1) return undefined;
  return value;
}

export function getU16(text: string, base = 0): number | undefined {
  const v = getUnsigned(text, base);
  return v !== undefined && v <= 0xffff ? v : undefined;
}

export function getU8(text: string, base = 0): number | undefined {
  const v = getUnsigned(text, base);
  return v !== undefined && v <= 0xff ? v : undefined;
}

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_PACKET = 17;
export const AF_BRIDGE = 7;
export const AF_MPLS = 28;

export function familyName(f: number): string {
  switch (f) {
    case AF_INET:
      return 'inet';
    case AF_INET6:
      return 'inet6';
    case AF_PACKET:
      return 'link';
    case AF_MPLS:
      return 'mpls';
    case AF_BRIDGE:
      return 'bridge';
    default:
      return '???';
  }
}

/** read_family */
export function readFamily(name: string): number {
  switch (name) {
    case 'inet':
      return AF_INET;
    case 'inet6':
      return AF_INET6;
    case 'link':
      return AF_PACKET;
    case 'mpls':
      return AF_MPLS;
    case 'bridge':
      return AF_BRIDGE;
    default:
      return AF_UNSPEC;
  }
}

/** inet_prefix: an address or prefix as get_addr_1/get_prefix_1 leave it. */
export interface InetPrefix {
  family: number;
  /** IPv4 as an unsigned integer; IPv6 as 16 bytes. */
  v4: number;
  v6?: Uint8Array;
  bytelen: number;
  /** -1: no length given; -2: `default`/`any`/`all`. */
  bitlen: number;
  prefixlenSpecified: boolean;
}

/** get_addr_ipv4: 1 to 4 parts, each strtoul base 0 (`10.8` is 10.8.0.0). */
function parseIPv4Parts(text: string): number | undefined {
  const bytes = [0, 0, 0, 0];
  let rest = text;
  for (let i = 0; i < 4; i++) {
    const { value, end } = strtol(rest, 0);
    if (end === 0 || value < 0 || value > 255) return undefined;
    bytes[i] = value;
    rest = rest.slice(end);
    if (rest === '') return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    if (i === 3 || rest[0] !== '.') return undefined;
    rest = rest.slice(1);
  }
  return undefined;
}

/** inet_pton(AF_INET6). */
export function parseIPv6(text: string): Uint8Array | undefined {
  let head = text;
  let tail = '';
  const dbl = text.indexOf('::');
  if (dbl >= 0) {
    if (text.indexOf('::', dbl + 1) >= 0) return undefined;
    head = text.slice(0, dbl);
    tail = text.slice(dbl + 2);
  }
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      if (k === parts.length - 1 && p.includes('.')) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(p) ? p.split('.').map(Number) : undefined;
        if (!v4 || v4.some((x) => x > 255)) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const h = parse(head);
  const t = parse(tail);
  if (!h || !t) return undefined;
  const groups = dbl >= 0 ? (h.length + t.length > 7 ? undefined : [...h, ...Array(8 - h.length - t.length).fill(0), ...t]) : h.length === 8 ? h : undefined;
  if (!groups) return undefined;
  const b = new Uint8Array(16);
  groups.forEach((g, k) => {
    b[2 * k] = g >> 8;
    b[2 * k + 1] = g & 255;
  });
  return b;
}

/** get_addr_1 */
export function getAddr1(text: string, family: number): InetPrefix | undefined {
  const base: InetPrefix = { family, v4: 0, bytelen: 0, bitlen: -1, prefixlenSpecified: false };
  if (text === 'default') {
    if (family === AF_MPLS) return undefined;
    return { ...base, bytelen: family === AF_INET ? 4 : family === AF_INET6 ? 16 : 0, bitlen: -2, prefixlenSpecified: true, v6: family === AF_INET6 ? new Uint8Array(16) : undefined };
  }
  if (text === 'all' || text === 'any') {
    if (family === AF_MPLS) return undefined;
    return { ...base, bitlen: -2 };
  }
  if (text.includes(':')) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return undefined;
    const v6 = parseIPv6(text);
    if (!v6) return undefined;
    return { ...base, family: AF_INET6, v6, bytelen: 16 };
  }
  if (family !== AF_UNSPEC && family !== AF_INET) return undefined;
  const v4 = parseIPv4Parts(text);
  if (v4 === undefined) return undefined;
  return { ...base, family: AF_INET, v4, bytelen: 4 };
}

/** mask2bits */
function maskBits(mask: number): number {
  const host = ~mask >>> 0;
  if ((host & (host + 1)) !== 0) return -1;
  let n = 0;
  for (let m = mask; m !== 0; m = (m << 1) >>> 0) n++;
  return n;
}

/** get_prefix_1: an address with an optional /LEN (or /dotted.mask). */
export function getPrefix1(text: string, family: number): InetPrefix | undefined {
  const slash = text.indexOf('/');
  const a = getAddr1(slash >= 0 ? text.slice(0, slash) : text, family);
  if (!a) return undefined;
  const bitlen = a.family === AF_INET6 ? 128 : a.family === AF_INET ? 32 : 0;
  if (slash >= 0) {
    if (a.bitlen === -2) return undefined;
    const lenText = text.slice(slash + 1);
    let plen = getUnsigned(lenText);
    if (plen === undefined) {
      const m = getAddr1(lenText, AF_INET);
      const b = m && m.family === AF_INET ? maskBits(m.v4) : -1;
      if (b < 0) return undefined;
      plen = b;
    }
    if (plen > bitlen) return undefined;
    return { ...a, bitlen: plen, prefixlenSpecified: true };
  }
  return { ...a, bitlen: a.bitlen === -2 ? 0 : bitlen };
}

function familyNameVerbose(f: number): string {
  return f === AF_UNSPEC ? 'any valid' : familyName(f);
}

/** get_addr: exits 1 with "Error: inet address is expected rather than ...". */
export function getAddr(text: string, family: number): InetPrefix {
  const a = getAddr1(text, family);
  if (!a) {
    err(`Error: ${familyNameVerbose(family)} address is expected rather than "${text}".\n`);
    throw new IpExit(1);
  }
  return a;
}

/** get_prefix: exits 1 with "Error: any valid prefix is expected rather than ...". */
export function getPrefix(text: string, family: number): InetPrefix {
  if (family === AF_PACKET) {
    err(`Error: "${text}" may be inet prefix, but it is not allowed in this context.\n`);
    throw new IpExit(1);
  }
  const p = getPrefix1(text, family);
  if (!p) {
    err(`Error: ${familyNameVerbose(family)} prefix is expected rather than "${text}".\n`);
    throw new IpExit(1);
  }
  return p;
}

/** ll_addr_a2n: a MAC (or a dotted IPv4 for tunnels); prints the complaint and gives undefined. */
export function parseLladdr(text: string): number[] | undefined {
  if (text.includes('.')) {
    const a = getAddr1(text, AF_INET);
    if (!a) {
      err(`"${text}" is invalid lladdr.\n`);
      return undefined;
    }
    return [a.v4 >>> 24, (a.v4 >>> 16) & 255, (a.v4 >>> 8) & 255, a.v4 & 255];
  }
  const out: number[] = [];
  // sscanf("%x") per colon-separated part: trailing junk is ignored, a bad part is named alone.
  for (const part of text.split(':').slice(0, 32)) {
    const { value, end } = strtol(part, 16);
    if (end === 0 || value < 0 || value > 255) {
      err(`"${part}" is invalid lladdr.\n`);
      return undefined;
    }
    out.push(value);
  }
  return out;
}

export function formatLladdr(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
