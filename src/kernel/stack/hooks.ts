/**
 * The netfilter hooks as the IPv4 stack runs them: each hook's tables in priority order, with
 * conntrack in its place (after raw in PREROUTING and OUTPUT, confirmation last in POSTROUTING
 * and INPUT), NAT bindings made on a connection's first packet and applied to every packet of
 * it, and TRACE lines logged for traced packets.
 */
import { inSubnet } from '../addr.ts';
import { ipvsHook, IPVS_BEFORE } from '../ipvs/packet.ts';
import type { CtEntry } from '../conntrack/entry.ts';
import type { CtPacket } from '../conntrack/tuple.ts';
import { evalContext, type HostView } from '../netfilter/context.ts';
import { walkTable, type TraceStep } from '../netfilter/eval.ts';
import type { Packet } from '../netfilter/packet.ts';
import { HOOK_TABLES, type Hook, type TableName } from '../netfilter/tables.ts';
import { logLine } from '../netfilter/xt/log.ts';
import type { NatRequest } from '../netfilter/xt/types.ts';
import type { NetNs } from '../netns.ts';
import { ipLength, type IpPacket } from '../wire.ts';
import { nfView, type Skb } from './skb.ts';
import { stackOf } from './state.ts';

/** STOLEN: IPVS took the packet over (it transmits it itself: see xmitStolen in ip.ts). */
export type HookVerdict = { verdict: 'ACCEPT' } | { verdict: 'DROP' } | { verdict: 'REJECT'; with: string } | { verdict: 'STOLEN' };

const ACCEPT: HookVerdict = { verdict: 'ACCEPT' };

/** Where NAT rewrites the destination (PREROUTING, OUTPUT) and where the source (INPUT, POSTROUTING). */
const MANIP: Partial<Record<Hook, 'SRC' | 'DST'>> = { PREROUTING: 'DST', OUTPUT: 'DST', INPUT: 'SRC', POSTROUTING: 'SRC' };

export interface HookEnv {
  /** Resolves MASQUERADE's address: the source the route out of the outgoing device would use. */
  masqSource?(): number | undefined;
  /** REDIRECT's address: the incoming device's primary address (127.0.0.1 for local output). */
  redirectAddr?(): number | undefined;
}

/** A per-namespace HostView for extensions (addrtype, statistic, recent, LOG). */
function hostView(ns: NetNs): HostView {
  return {
    local: new Set(ns.allAddresses().map((x) => x.a.addr)),
    broadcast: new Set(ns.fib.table(255).filter((r) => r.type === 'broadcast').map((r) => r.dst)),
    rng: ns.kernel.rng,
    now: () => ns.kernel.clock.now,
    state: ns.nfState,
    log: (line) => ns.kernel.printk(line, 4),
  };
}

/** The header fields conntrack reads, from an IP packet. */
export function ctPacketOf(ip: IpPacket, len: number): CtPacket {
  const l4 = ip.l4;
  const p: CtPacket = { src: ip.src, dst: ip.dst, proto: ip.proto, len };
  if (l4.kind === 'tcp') Object.assign(p, { sport: l4.sport, dport: l4.dport, tcpFlags: l4.flags });
  else if (l4.kind === 'udp') Object.assign(p, { sport: l4.sport, dport: l4.dport });
  else {
    Object.assign(p, { icmpType: l4.type, icmpCode: l4.code, icmpId: l4.id });
    if (l4.orig) p.inner = ctPacketOf(l4.orig, 28);
  }
  return p;
}

/**
 * Runs the packet through `hook`. Returns the verdict; the packet (addresses, ports, mark, ct)
 * is updated in place by NAT and mangle targets.
 */
export function runHook(ns: NetNs, hook: Hook, skb: Skb, env: HookEnv = {}): HookVerdict {
  const view = hostView(ns);
  const st = stackOf(ns);
  for (const table of HOOK_TABLES[hook]) {
    if (IPVS_BEFORE[hook] === table) {
      const v = ipvsHook(ns, hook, skb);
      if (v.verdict !== 'ACCEPT') return v;
    }
    if (table === 'nat') {
      const v = natHook(ns, hook, skb, env, view);
      if (v.verdict !== 'ACCEPT') return v;
    } else {
      const v = walk(ns, table, hook, skb, view);
      if (v.verdict !== 'ACCEPT') return v;
    }
    // Conntrack runs right after raw (priority -200), before mangle.
    if (table === 'raw') {
      const v = track(ns, skb);
      if (v.verdict !== 'ACCEPT') return v;
    }
  }
  if (IPVS_BEFORE[hook] === 'end') {
    const v = ipvsHook(ns, hook, skb);
    if (v.verdict !== 'ACCEPT') return v;
  }
  if (hook === 'POSTROUTING' || hook === 'INPUT') {
    if (skb.ct && typeof skb.ct === 'object' && !skb.ct.entry.status.has('CONFIRMED')) {
      if (!st.ct.confirm(skb.ct.entry)) return { verdict: 'DROP' };
      scheduleGc(ns);
    }
  }
  return ACCEPT;
}

/**
 * Expired entries leave the table when their timeout passes (gc_worker), so `conntrack -E` shows
 * their DESTROY at that time: one timer per namespace, for the earliest expiry.
 */
function scheduleGc(ns: NetNs): void {
  const st = stackOf(ns);
  const next = st.ct.nextExpiry();
  if (next === undefined || (st.gcAt !== undefined && st.gcAt <= next)) return;
  st.gcTimer?.cancel();
  st.gcAt = next;
  st.gcTimer = ns.kernel.clock.after(next - ns.kernel.clock.now, () => {
    st.gcAt = undefined;
    st.gcTimer = undefined;
    st.ct.gc();
    scheduleGc(ns);
  });
}

/** nf_conntrack_in: attaches the packet's connection (unless it already has one or is untracked). */
function track(ns: NetNs, skb: Skb): HookVerdict {
  if (skb.ct !== undefined) return ACCEPT;
  const r = stackOf(ns).ct.in(ctPacketOf(skb.ip, ipLength(skb.ip)));
  switch (r.kind) {
    case 'tracked':
      skb.ct = { entry: r.entry, dir: r.dir, state: r.state };
      return ACCEPT;
    case 'invalid':
      skb.ct = 'invalid';
      return ACCEPT;
    case 'drop':
      return { verdict: 'DROP' };
  }
}

/** Walks one table, copying back what targets changed (mark, trace, ct mark, NOTRACK). */
function walk(ns: NetNs, table: TableName, hook: Hook, skb: Skb, view: HostView): HookVerdict & { nat?: NatRequest } {
  const t = ns.nf.table(table);
  if (!t.present) return ACCEPT;
  const pkt = nfView(skb, ns.kernel.clock.now);
  const r = walkTable(t, hook, pkt, evalContext(view, hook, table), [], (s) => {
    if (pkt.trace) traceLog(ns, s, pkt);
  });
  skb.mark = pkt.mark;
  skb.trace = !!pkt.trace;
  if (pkt.ct && typeof skb.ct === 'object' && pkt.ct.mark !== skb.ct.entry.mark) stackOf(ns).ct.setMark(skb.ct.entry, pkt.ct.mark);
  if (pkt.ct?.state === 'UNTRACKED' && skb.ct === undefined) skb.ct = 'untracked';
  if (r.verdict === 'REJECT') return { verdict: 'REJECT', with: r.rejectWith ?? 'icmp-port-unreachable' };
  if (r.verdict === 'DROP') return { verdict: 'DROP' };
  return { verdict: 'ACCEPT', nat: r.nat };
}

/** nf_nat_inet_fn: the nat table is consulted for a connection's first packet only; every packet gets the binding applied. */
function natHook(ns: NetNs, hook: Hook, skb: Skb, env: HookEnv, view: HostView): HookVerdict {
  const manip = MANIP[hook];
  if (!manip || typeof skb.ct !== 'object') return ACCEPT;
  const ct = stackOf(ns).ct;
  const { entry } = skb.ct;
  if (skb.ct.state === 'NEW' && !ct.natDone(entry, manip)) {
    const r = walk(ns, 'nat', hook, skb, view);
    if (r.verdict !== 'ACCEPT') return r;
    if (r.nat) {
      const range = natRange(r.nat, skb, manip, env);
      if (!range) return { verdict: 'DROP' };
      ct.setupNat(entry, manip, range);
    } else ct.setupNat(entry, manip, null);
  }
  applyNat(skb, manip);
  return ACCEPT;
}

/** The address/port range a NAT target asks for, with MASQUERADE and REDIRECT resolved. */
function natRange(req: NatRequest, skb: Skb, manip: 'SRC' | 'DST', env: HookEnv) {
  let minIp = req.minIp;
  let maxIp = req.maxIp;
  if (req.kind === 'MASQUERADE') {
    const a = env.masqSource?.();
    if (a === undefined) return undefined;
    minIp = maxIp = a;
  } else if (req.kind === 'REDIRECT') {
    const a = env.redirectAddr?.();
    if (a === undefined) return undefined;
    minIp = maxIp = a;
  }
  const cur = manip === 'DST' ? skb.ip.dst : skb.ip.src;
  return {
    minIp: minIp ?? cur,
    maxIp: maxIp ?? minIp ?? cur,
    minPort: req.minPort,
    maxPort: req.maxPort ?? req.minPort,
    random: req.random,
    randomFully: req.randomFully,
    persistent: req.persistent,
  };
}

/**
 * nf_nat_packet: a packet of direction D must end up looking like the inverse of the other
 * direction's tuple; the destination half is written at DST hooks and the source half at SRC
 * hooks. An ICMP error related to a connection gets its quoted header translated the other way.
 */
function applyNat(skb: Skb, manip: 'SRC' | 'DST'): void {
  if (typeof skb.ct !== 'object') return;
  const { entry, dir, state } = skb.ct;
  const bit = manip === 'SRC' ? 'SRC_NAT' : 'DST_NAT';
  // In the reply direction a source rewrite undoes the destination NAT and vice versa.
  const needed = dir === 'ORIGINAL' ? bit : manip === 'SRC' ? 'DST_NAT' : 'SRC_NAT';
  if (!entry.status.has(needed)) return;
  const target = inverse(entry, dir);
  const ip = skb.ip;
  if (state === 'RELATED' && ip.l4.kind === 'icmp' && ip.l4.orig && ip.proto === 1 && ip.l4.type !== 0 && ip.l4.type !== 8) {
    // The quoted packet travelled the other way: rewrite its other half.
    const inner = { ...ip.l4.orig, l4: { ...ip.l4.orig.l4 } } as IpPacket;
    const innerTarget = inverse(entry, dir === 'ORIGINAL' ? 'REPLY' : 'ORIGINAL');
    rewrite(inner, innerTarget, manip === 'SRC' ? 'DST' : 'SRC');
    ip.l4 = { ...ip.l4, orig: inner };
    if (manip === 'SRC') ip.src = target.src;
    else ip.dst = target.dst;
    return;
  }
  rewrite(ip, target, manip);
}

function inverse(entry: CtEntry, dir: 'ORIGINAL' | 'REPLY') {
  const other = dir === 'ORIGINAL' ? entry.reply : entry.orig;
  return { src: other.dst, dst: other.src, sport: other.dport, dport: other.sport, id: other.sport };
}

function rewrite(ip: IpPacket, t: ReturnType<typeof inverse>, manip: 'SRC' | 'DST'): void {
  const l4 = ip.l4;
  if (manip === 'SRC') ip.src = t.src;
  else ip.dst = t.dst;
  if (l4.kind === 'icmp') {
    // ICMP echo keeps its id in the source half of both tuples.
    if (l4.type === 0 || l4.type === 8) ip.l4 = { ...l4, id: t.id };
    return;
  }
  if (manip === 'SRC') ip.l4 = { ...l4, sport: t.sport };
  else ip.l4 = { ...l4, dport: t.dport };
}

/** Logs one TRACE line the way nf_log does for ipt_TRACE: `TRACE: table:chain:kind:num IN=… `. */
function traceLog(ns: NetNs, s: TraceStep, pkt: Packet): void {
  ns.kernel.printk(logLine(`TRACE: ${s.table}:${s.chain}:${s.kind}:${s.num} `, 0, pkt).trimEnd(), 4);
}

/** Whether `addr` is in 127.0.0.0/8. */
export function isLoopbackAddr(addr: number): boolean {
  return inSubnet(addr, 0x7f000000, 0xff000000);
}
