/**
 * Packet traversal: a packet through one table's chain at a hook (`walkTable`), and through
 * every table at a hook in priority order (`walkHook`). Each rule whose conditions hold is
 * counted and recorded; the record is what TRACE lines and `podlab trace` are made from.
 *
 * The trace kinds mirror the kernel's ipt_do_table: a matched rule is `rule:N`; an unconditional
 * rule with a standard verdict (including the implicit end of a chain) is `return:N` in a user
 * chain and `policy:N` in a built-in one.
 */
import { inSubnet } from '../addr.ts';
import type { Netfilter, Table } from './netfilter.ts';
import { ifaceMatches, isUnconditional, type Rule } from './rule.ts';
import { HOOK_TABLES, type Hook, type TableName } from './tables.ts';
import type { Packet } from './packet.ts';
import type { EvalContext, NatRequest } from './xt/types.ts';

export interface TraceStep {
  table: TableName;
  chain: string;
  kind: 'rule' | 'return' | 'policy';
  /** 1-based rule number; for the implicit end of a chain, the number of rules + 1. */
  num: number;
}

export interface WalkResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: string;
  nat?: NatRequest;
  steps: TraceStep[];
}

/** Whether a rule's IP header part and all its matches hold for the packet. */
export function ruleMatches(r: Rule, pkt: Packet, ctx: EvalContext): boolean {
  const ip = r.ip;
  if (ip.smsk !== 0 && inSubnet(pkt.src, ip.src, ip.smsk) === ip.invSrc) return false;
  if (ip.smsk === 0 && ip.invSrc) return false;
  if (ip.dmsk !== 0 && inSubnet(pkt.dst, ip.dst, ip.dmsk) === ip.invDst) return false;
  if (ip.dmsk === 0 && ip.invDst) return false;
  if (ip.inIface !== '' && ifaceMatches(ip.inIface, pkt.inIface) === ip.invIn) return false;
  if (ip.outIface !== '' && ifaceMatches(ip.outIface, pkt.outIface) === ip.invOut) return false;
  if (ip.proto !== 0 && (pkt.proto === ip.proto) === ip.invProto) return false;
  if (ip.frag && !!pkt.fragment === ip.invFrag) return false;
  for (const m of r.matches) {
    if (!m.ext.match(m.data, pkt, ctx)) return false;
  }
  return true;
}

/** Walks the packet through `table`'s built-in chain for `hook`. */
export function walkTable(
  table: Table,
  hook: Hook,
  pkt: Packet,
  ctx: EvalContext,
  steps: TraceStep[] = [],
  /** Called as each step is taken (before a matched rule's target runs), e.g. to log TRACE lines. */
  onStep?: (s: TraceStep) => void,
): WalkResult {
  const base = table.chain(hook);
  if (!base) return { verdict: 'ACCEPT', steps };
  const stack: { chain: string; next: number }[] = [];
  let chain = base;
  let i = 0;
  const len = BigInt(pkt.len);
  const policy = (): WalkResult => {
    base.counters.pkts++;
    base.counters.bytes += len;
    return { verdict: base.policy, steps };
  };
  const ret = (): boolean => {
    const frame = stack.pop();
    if (!frame) return false;
    chain = table.chain(frame.chain)!;
    i = frame.next;
    return true;
  };
  for (;;) {
    if (i >= chain.rules.length) {
      const end: TraceStep = { table: table.name, chain: chain.name, kind: chain.builtin ? 'policy' : 'return', num: chain.rules.length + 1 };
      steps.push(end);
      onStep?.(end);
      if (chain.builtin || !ret()) return policy();
      continue;
    }
    const r = chain.rules[i];
    if (!ruleMatches(r, pkt, ctx)) {
      i++;
      continue;
    }
    r.counters.pkts++;
    r.counters.bytes += len;
    const t = r.target;
    const standard = t.kind === 'verdict' && isUnconditional(r);
    const step: TraceStep = { table: table.name, chain: chain.name, kind: standard ? (chain.builtin ? 'policy' : 'return') : 'rule', num: i + 1 };
    steps.push(step);
    onStep?.(step);
    switch (t.kind) {
      case 'none':
        i++;
        continue;
      case 'jump': {
        const next = table.chain(t.chain);
        if (!next) return { verdict: 'DROP', steps };
        if (!t.goto) stack.push({ chain: chain.name, next: i + 1 });
        chain = next;
        i = 0;
        continue;
      }
      case 'verdict':
        if (t.verdict === 'RETURN') {
          if (chain.builtin || !ret()) return policy();
          continue;
        }
        return { verdict: t.verdict, steps };
      case 'ext': {
        const v = t.use.ext.run(t.use.data, pkt, ctx);
        switch (v.verdict) {
          case 'CONTINUE':
            i++;
            continue;
          case 'RETURN':
            if (chain.builtin || !ret()) return policy();
            continue;
          case 'ACCEPT':
            return { verdict: 'ACCEPT', nat: v.nat, steps };
          case 'DROP':
            return { verdict: 'DROP', steps };
          case 'REJECT':
            return { verdict: 'REJECT', rejectWith: v.with, steps };
        }
      }
    }
  }
}

export interface HookResult extends WalkResult {
  /** NAT requests by table (only nat can make them). */
  natRequests: NatRequest[];
}

/**
 * Walks the packet through every table registered at `hook`, in priority order, stopping at the
 * first table that does not accept it. `skip` lets the caller leave out tables (the network
 * stack skips nat for packets of established connections).
 */
export function walkHook(
  nf: Netfilter,
  hook: Hook,
  pkt: Packet,
  makeCtx: (table: TableName) => EvalContext,
  skip: (table: TableName) => boolean = () => false,
): HookResult {
  const steps: TraceStep[] = [];
  const natRequests: NatRequest[] = [];
  for (const name of HOOK_TABLES[hook]) {
    if (skip(name)) continue;
    const r = walkTable(nf.table(name), hook, pkt, makeCtx(name), steps);
    if (r.nat) natRequests.push(r.nat);
    if (r.verdict !== 'ACCEPT') return { ...r, steps, natRequests };
  }
  return { verdict: 'ACCEPT', steps, natRequests };
}
