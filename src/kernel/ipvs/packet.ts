/**
 * IPVS on the packet path (ip_vs_core.c), masquerading (NAT) forwarding only:
 *
 * - LOCAL_IN (after filter, before nat INPUT: priorities 98/99): replies from a real server to
 *   a local client get the virtual address back (ip_vs_reply4); a packet to a local virtual
 *   service is scheduled, DNATed to its real server and taken over (ip_vs_remote_request4 →
 *   ip_vs_nat_xmit), to leave again through LOCAL_OUT and POSTROUTING.
 * - LOCAL_OUT (after nat OUTPUT: -99/-98): the same for connections the node itself opens;
 *   the rewritten packet continues on its way (the stack re-routes it).
 * - FORWARD (last, priority 100): replies passing through get the virtual address back.
 *
 * With net.ipv4.vs.conntrack=1 (kube-proxy sets it) the connection's conntrack entry keeps
 * tracking the flow: its reply tuple is changed to come from the real server
 * (ip_vs_update_conntrack), so `conntrack -L` shows the DNAT as on Linux.
 */
import type { Hook } from '../netfilter/tables.ts';
import type { NetNs } from '../netns.ts';
import type { Skb } from '../stack/skb.ts';
import { ipLength } from '../wire.ts';
import { ConnTable, type IpvsConn } from './conn.ts';
import { SCHEDULERS } from './sched.ts';
import { IpvsConfig, type IpvsDest, type IpvsService } from './service.ts';
import { IPVS_SYSCTL_DEFAULTS } from './sysctl.ts';

export interface IpvsState {
  config: IpvsConfig;
  conns: ConnTable;
}

const states = new WeakMap<NetNs, IpvsState>();

/**
 * The IPVS state of a namespace (services, real servers, connections). The first use is the
 * module loading in that namespace: its net.ipv4.vs.* sysctls appear.
 */
export function ipvsOf(ns: NetNs): IpvsState {
  let s = states.get(ns);
  if (!s) {
    for (const [k, v] of Object.entries(IPVS_SYSCTL_DEFAULTS)) ns.sysctl.register(k, v);
    const now = (): number => ns.kernel.clock.now;
    s = { config: new IpvsConfig(now), conns: new ConnTable(now) };
    states.set(ns, s);
  }
  return s;
}

/** skb->ipvs_property: IPVS already handled this packet; its own hooks leave it alone. */
const handled = new WeakSet<Skb>();

export type IpvsVerdict = { verdict: 'ACCEPT' } | { verdict: 'DROP' } | { verdict: 'STOLEN' } | { verdict: 'REJECT'; with: string };

const ACCEPT: IpvsVerdict = { verdict: 'ACCEPT' };

/** Where IPVS sits in each hook: before this table, or after all of them. */
export const IPVS_BEFORE: Partial<Record<Hook, string>> = { INPUT: 'nat', OUTPUT: 'filter', FORWARD: 'end' };

/** The IPVS hook functions registered at `hook`, in priority order. */
export function ipvsHook(ns: NetNs, hook: Hook, skb: Skb): IpvsVerdict {
  const st = states.get(ns);
  if (!st || handled.has(skb)) return ACCEPT;
  const l4 = skb.ip.l4;
  if (l4.kind !== 'tcp' && l4.kind !== 'udp') return ACCEPT;
  if (replyPath(st, skb)) return ACCEPT;
  if (hook === 'FORWARD') return ACCEPT;
  return requestPath(ns, st, skb, hook === 'INPUT');
}

function ports(skb: Skb): { sport: number; dport: number; flags?: number } {
  const l4 = skb.ip.l4 as { sport: number; dport: number; flags?: number };
  return l4;
}

/** ip_vs_out: a packet from a real server of a known connection goes back as from the virtual service. */
function replyPath(st: IpvsState, skb: Skb): boolean {
  const { sport, dport, flags } = ports(skb);
  const c = st.conns.outGet(skb.ip.proto, skb.ip.src, sport, skb.ip.dst, dport);
  if (!c) return false;
  st.conns.update(c, 'out', flags);
  count(c.svc, c.dest, 'out', ipLength(skb.ip));
  skb.ip.src = c.vaddr;
  skb.ip.l4 = { ...skb.ip.l4, sport: c.vport } as typeof skb.ip.l4;
  handled.add(skb);
  return true;
}

/** ip_vs_in: a packet for a virtual service: find or make its connection, DNAT it, send it on. */
function requestPath(ns: NetNs, st: IpvsState, skb: Skb, remote: boolean): IpvsVerdict {
  const ip = skb.ip;
  const { sport, dport, flags } = ports(skb);
  let c = st.conns.inGet(ip.proto, ip.src, sport, ip.dst, dport);
  if (c && c.dest.removed && ns.sysctl.num('net.ipv4.vs.expire_nodest_conn')) {
    // The server is gone: drop the entry and this packet; the client's retry is scheduled anew.
    st.conns.drop(c);
    return { verdict: 'DROP' };
  }
  if (!c) {
    const svc = st.config.lookup(ip.proto, ip.dst, dport, skb.mark);
    if (!svc) return ACCEPT;
    // Only a SYN opens a TCP connection (sloppy_tcp=0): other segments go to the local stack.
    if (ip.proto === 6 && !((flags ?? 0) & 0x02)) return ACCEPT;
    const dest = schedule(st, svc, ip.src, ip.dst);
    // ip_vs_leave: no server; the client is told the port is unreachable.
    if (!dest) return { verdict: 'REJECT', with: 'icmp-port-unreachable' };
    c = st.conns.create({ proto: ip.proto, caddr: ip.src, cport: sport, vaddr: ip.dst, vport: dport, daddr: dest.addr, dport: dest.port || dport, dest, svc, template: false, fwmark: 0 });
    svc.stats.total.conns++;
    dest.stats.total.conns++;
    if (ns.sysctl.num('net.ipv4.vs.conntrack')) updateConntrack(skb, c);
  }
  st.conns.update(c, 'in', flags);
  count(c.svc, c.dest, 'in', ipLength(ip));
  ip.dst = c.daddr;
  ip.l4 = { ...ip.l4, dport: c.dport } as typeof ip.l4;
  handled.add(skb);
  // From LOCAL_IN the packet is taken and transmitted; in LOCAL_OUT it just continues, re-routed.
  return remote ? { verdict: 'STOLEN' } : ACCEPT;
}

/** ip_vs_schedule with persistence: a live template sends the client to the same server. */
function schedule(st: IpvsState, svc: IpvsService, src: number, dst: number): IpvsDest | undefined {
  const pick = (): IpvsDest | undefined => SCHEDULERS.get(svc.sched)?.(svc, { src, dst });
  if (svc.persistent === undefined) return pick();
  const caddr = (src & svc.netmask) >>> 0;
  const t = st.conns.template(svc, caddr);
  if (t && !t.dest.removed && t.dest.weight > 0) {
    st.conns.touchTemplate(t);
    return t.dest;
  }
  if (t) st.conns.drop(t);
  const dest = pick();
  if (dest) st.conns.create({ proto: svc.proto, caddr, cport: 0, vaddr: svc.addr, vport: svc.port, daddr: dest.addr, dport: dest.port, dest, svc, template: true, fwmark: svc.fwmark });
  return dest;
}

/** ip_vs_update_conntrack: an unconfirmed entry's replies will come from the real server. */
function updateConntrack(skb: Skb, c: IpvsConn): void {
  if (typeof skb.ct !== 'object' || skb.ct.dir !== 'ORIGINAL') return;
  const e = skb.ct.entry;
  // nf_conntrack_alter_reply only touches entries not yet in the table (they are hashed at confirm).
  if (e.status.has('CONFIRMED')) return;
  e.reply = { ...e.reply, src: c.daddr, sport: c.dport };
}

function count(svc: IpvsService, dest: IpvsDest, dir: 'in' | 'out', bytes: number): void {
  for (const s of [svc.stats.total, dest.stats.total]) {
    if (dir === 'in') {
      s.inpkts++;
      s.inbytes += bytes;
    } else {
      s.outpkts++;
      s.outbytes += bytes;
    }
  }
}
