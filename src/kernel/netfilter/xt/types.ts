/**
 * The extension contract: a match or target is one module carrying both halves of what iptables
 * splits between xt_NAME.c (the kernel's test or action) and libxt_NAME.c (option parsing and
 * the two text forms, `iptables -L` and `iptables-save`). Rules hold an extension plus its data;
 * the data is the only state, so rules can be compared, copied and saved.
 */
import type { Packet } from '../packet.ts';
import type { Hook, TableName } from '../tables.ts';

/** A parameter problem: iptables prints it after `iptables v1.8.9 (nf_tables): ` and exits 2. */
export class XtError extends Error {
  constructor(
    message: string,
    readonly status = 2,
    readonly showHelpHint = true,
    /** Printed without the `iptables v1.8.9 (nf_tables): ` prefix (e.g. `Bad argument`). */
    readonly bare = false,
  ) {
    super(message);
  }
}

/** Name services the text forms use: /etc/services, /etc/protocols, /etc/hosts, /etc/networks. */
export interface Names {
  serviceToPort(name: string, proto: string | undefined): number | undefined;
  portToService(port: number, proto: string): string | undefined;
  protoByName(name: string): number | undefined;
  protoByNumber(num: number): string | undefined;
  /** Reverse lookup for `iptables -L` without -n: host name, else network name, else undefined. */
  addrToName(addr: number): string | undefined;
  /** Forward lookup of a host name (gethostbyname over /etc/hosts). */
  hostToAddr(name: string): number | undefined;
}

export interface XtOption {
  /** Long option name without dashes (`dport`). */
  name: string;
  /** Whether the option takes an argument. */
  arg: boolean;
  /** Whether `!` may precede it. */
  invert?: boolean;
}

export interface ParseEnv {
  table: TableName;
  /** The rule's -p protocol number (0 = any) and whether it is inverted. */
  proto: number;
  protoInv: boolean;
  names: Names;
  /** Takes the next command-line word if it is not an option (for two-argument options). */
  nextArg?: () => string | undefined;
  /** A warning the tool prints to stderr while still succeeding. */
  warn?: (text: string) => void;
}

export interface PrintEnv {
  numeric: boolean;
  names: Names;
  /** The rule's protocol number, which some extensions print by name. */
  proto: number;
}

/** What an extension needs from the host while evaluating a packet. */
export interface EvalContext {
  hook: Hook;
  table: TableName;
  /** Address type bits (see addrtype.ts) of an address, optionally limited to one interface. */
  addrType(addr: number, iface?: string): number;
  now(): number;
  /** Uniform random 32-bit integer from the seeded generator. */
  random32(): number;
  /** Per-namespace state extensions keep (recent lists, nth counters), by key. */
  state<T>(key: string, init: () => T): T;
  /** Kernel log sink (LOG target, TRACE). */
  log(line: string): void;
}

/** A NAT rewrite a target asks for; the network stack applies it and records it in conntrack. */
export interface NatRequest {
  kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT';
  minIp?: number;
  maxIp?: number;
  minPort?: number;
  maxPort?: number;
  random?: boolean;
  randomFully?: boolean;
  persistent?: boolean;
}

export type TargetVerdict =
  | { verdict: 'CONTINUE' }
  | { verdict: 'ACCEPT'; nat?: NatRequest }
  | { verdict: 'DROP' }
  | { verdict: 'REJECT'; with: string }
  | { verdict: 'RETURN' };

interface XtBase<D> {
  name: string;
  /** The `iptables -L` target column when it differs from `name` (libxt_CT's alias NOTRACK lists as CT). */
  listName?: string;
  options: readonly XtOption[];
  init(env: ParseEnv): D;
  parse(d: D, option: string, arg: string | undefined, invert: boolean, env: ParseEnv): void;
  /** Checks after all options are parsed (x6_fcheck); may fill defaults. */
  final?(d: D, env: ParseEnv): void;
  /** The `iptables -L` text, with its leading space. */
  print(d: D, env: PrintEnv): string;
  /** The `iptables-save` / `-S` text (options only, after `-m NAME` / `-j NAME`), with its leading space. */
  save(d: D, env: PrintEnv): string;
  /** Tables the extension may be used in (all when absent). */
  tables?: readonly TableName[];
  /** Hooks the extension may be reached from (all when absent). */
  hooks?: readonly Hook[];
  /** The IP protocol the kernel module requires of the rule (xt .proto), e.g. TCPMSS needs -p tcp. */
  proto?: number;
  /** The kernel's own checkentry beyond tables and hooks (e.g. tcp-reset needs -p tcp). */
  checkentry?(d: D, rule: { table: TableName; hook?: Hook; proto: number; invProto: boolean }): boolean;
}

export interface XtMatch<D = unknown> extends XtBase<D> {
  kind: 'match';
  /** Folds a later instance of the same match into an earlier one (see mergeMatches in parse.ts). */
  merge?(into: D, from: D): void;
  match(d: D, pkt: Packet, ctx: EvalContext): boolean;
}

export interface XtTarget<D = unknown> extends XtBase<D> {
  kind: 'target';
  run(d: D, pkt: Packet, ctx: EvalContext): TargetVerdict;
}

export interface MatchUse<D = unknown> {
  ext: XtMatch<D>;
  data: D;
}

export interface TargetUse<D = unknown> {
  ext: XtTarget<D>;
  data: D;
}
