/**
 * A rule as the kernel holds it: the IPv4 header part every rule has (struct ipt_ip), the
 * extension matches in order, one target, and the rule's packet and byte counters.
 */
import type { MatchUse, TargetUse } from './xt/types.ts';

export interface IpHeaderMatch {
  src: number;
  smsk: number;
  dst: number;
  dmsk: number;
  /** Interface names; '' matches any, a trailing '+' matches a prefix. */
  inIface: string;
  outIface: string;
  /** IP protocol number; 0 matches all. */
  proto: number;
  /** `-f`: only non-first fragments. */
  frag: boolean;
  invSrc: boolean;
  invDst: boolean;
  invIn: boolean;
  invOut: boolean;
  invProto: boolean;
  invFrag: boolean;
}

export type StandardVerdict = 'ACCEPT' | 'DROP' | 'RETURN';

export type RuleTarget =
  | { kind: 'none' }
  | { kind: 'verdict'; verdict: StandardVerdict }
  | { kind: 'jump'; chain: string; goto: boolean }
  | { kind: 'ext'; use: TargetUse };

export interface Counters {
  pkts: bigint;
  bytes: bigint;
}

export interface Rule {
  ip: IpHeaderMatch;
  matches: MatchUse[];
  target: RuleTarget;
  counters: Counters;
}

export function anyIpHeader(): IpHeaderMatch {
  return {
    src: 0, smsk: 0, dst: 0, dmsk: 0, inIface: '', outIface: '', proto: 0, frag: false,
    invSrc: false, invDst: false, invIn: false, invOut: false, invProto: false, invFrag: false,
  };
}

/** The chain a rule jumps or goes to, if any. */
export function jumpTarget(r: Rule): string | undefined {
  return r.target.kind === 'jump' ? r.target.chain : undefined;
}

/** True when the rule has no condition at all (the kernel's `unconditional()`). */
export function isUnconditional(r: Rule): boolean {
  const ip = r.ip;
  return r.matches.length === 0 && ip.smsk === 0 && ip.dmsk === 0 && ip.inIface === '' &&
    ip.outIface === '' && ip.proto === 0 && !ip.frag && !ip.invSrc && !ip.invDst && !ip.invIn &&
    !ip.invOut && !ip.invProto && !ip.invFrag;
}

/** Interface name match as the kernel does it: exact, or prefix when the rule ends in '+'. */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (pattern === '') return true;
  const n = name ?? '';
  if (pattern.endsWith('+')) return n.startsWith(pattern.slice(0, -1));
  return n === pattern;
}
