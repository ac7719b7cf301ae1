/**
 * ARP and neighbour resolution: answering requests for our addresses (and proxying for routed
 * ones when proxy_arp is on, as kindnet's and Calico's host-side veths rely on), learning from
 * replies, and sending IP packets to a next hop once its MAC is known — queueing them while a
 * request is out, retrying, and failing with host unreachable after three tries.
 */
import type { Link } from '../link.ts';
import { BROADCAST_MAC, ZERO_MAC, type Mac } from '../mac.ts';
import type { NetNs } from '../netns.ts';
import type { Neighbour } from '../neigh.ts';
import type { Frame, IpPacket } from '../wire.ts';
import { devXmit } from './dev.ts';
import { reversePathOk } from './ip.ts';

/** ARP retransmissions before a neighbour is FAILED (mcast_solicit), and their interval (retrans_time). */
const SOLICITS = 3;
const RETRANS_MS = 1000;
/** How long a used STALE entry waits in DELAY before probing (delay_first_probe_time). */
const DELAY_MS = 5000;

function sendArp(link: Link, op: 1 | 2, dstMac: Mac, spa: number, tha: Mac, tpa: number): void {
  devXmit(link, { src: link.mac, dst: dstMac, arp: { op, sha: link.mac, spa, tha, tpa } });
}

/** arp_process: answers requests for local (or proxied) addresses and learns senders. */
export function arpRcv(link: Link, frame: Frame): void {
  const ns = link.ns;
  const arp = frame.arp!;
  if (link.noarp) return;
  const neigh = ns.neigh;
  if (arp.op === 1) {
    if (arp.spa === 0 || ns.isLocal(arp.spa)) return;
    // arp_process routes the request (ip_route_input from the sender): rp_filter applies to it.
    if (!reversePathOk(ns, link, arp.spa)) return;
    if (isOurs(ns, link, arp.tpa)) {
      // A request for us creates or refreshes the sender's entry as STALE.
      learn(link, arp.spa, arp.sha, 'STALE');
      sendArp(link, 2, arp.sha, arp.tpa, arp.sha, arp.spa);
      return;
    }
    if (proxies(ns, link, arp.tpa)) {
      learn(link, arp.spa, arp.sha, 'STALE');
      sendArp(link, 2, arp.sha, arp.tpa, arp.sha, arp.spa);
    }
    return;
  }
  // A reply completes a pending resolution or refreshes an entry we have.
  const n = neigh.get(link, arp.spa);
  if (n && n.state !== 'PERMANENT' && n.state !== 'NOARP') resolved(n, arp.sha);
}

function learn(link: Link, addr: number, mac: Mac, state: 'STALE'): void {
  const n = link.ns.neigh.get(link, addr);
  if (n && (n.state === 'PERMANENT' || n.state === 'NOARP')) return;
  if (n && n.state === 'INCOMPLETE') {
    resolved(n, mac);
    return;
  }
  if (n && n.lladdr === mac && n.state !== 'FAILED') return;
  link.ns.neigh.set(link, addr, { lladdr: mac, state });
}

function resolved(n: Neighbour, mac: Mac): void {
  n.timer?.cancel();
  n.timer = undefined;
  n.dev.ns.neigh.set(n.dev, n.addr, { lladdr: mac, state: 'REACHABLE' });
  n.probes = 0;
  for (const p of n.pending.splice(0)) p(mac);
}

/** arp_ignore: 0 answers for any local address, 1 only for addresses on the incoming device. */
function isOurs(ns: NetNs, link: Link, addr: number): boolean {
  if (!ns.isLocal(addr) || addr >>> 24 === 127) return false;
  const ignore = ns.sysctl.dev(link.name, 'arp_ignore');
  if (ignore >= 1) return ns.addresses(link).some((a) => a.addr === addr);
  return true;
}

/** arp_fwd_proxy: proxy_arp on the device and a route to the target through another device. */
function proxies(ns: NetNs, link: Link, addr: number): boolean {
  if (ns.neigh.proxies.some((p) => p.addr === addr && p.dev === link)) return true;
  if (!ns.sysctl.dev(link.name, 'proxy_arp')) return false;
  const r = ns.fib.lookup(addr);
  if (!r || r.route.type !== 'unicast' || !r.route.dev) return false;
  return r.route.dev !== link || ns.sysctl.dev(link.name, 'proxy_arp_pvlan') === 1;
}

/**
 * neigh_output: sends `ip` out of `link` to `nexthop`, resolving its MAC first when needed.
 * `onFail` runs if resolution fails (the caller sends host unreachable).
 */
export function neighOutput(link: Link, nexthop: number, ip: IpPacket, onFail?: () => void): void {
  neighResolve(link, nexthop, ip.src, (mac) => (mac ? devXmit(link, { src: link.mac, dst: mac, ip }) : onFail?.()));
}

/**
 * The MAC to send to `nexthop` on `link`: at once when known (or not needed), else after ARP
 * resolves it; `undefined` when resolution fails. `src` is the packet's source, which ARP
 * requests announce when it is ours.
 */
export function neighResolve(link: Link, nexthop: number, src: number, then: (mac: Mac | undefined) => void): void {
  if (link.noarp || link.kind === 'loopback') {
    then(ZERO_MAC);
    return;
  }
  if (nexthop === 0xffffffff || isDirectedBroadcast(link, nexthop)) {
    then(BROADCAST_MAC);
    return;
  }
  if (nexthop >>> 28 === 0xe) {
    then(`01:00:5e:${[(nexthop >>> 16) & 0x7f, (nexthop >>> 8) & 0xff, nexthop & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':')}`);
    return;
  }
  const ns = link.ns;
  let n = ns.neigh.get(link, nexthop);
  if (n && n.lladdr && (n.state === 'REACHABLE' || n.state === 'PERMANENT' || n.state === 'NOARP' || n.state === 'DELAY' || n.state === 'PROBE')) {
    then(n.lladdr);
    return;
  }
  if (n && n.lladdr && n.state === 'STALE') {
    // Using a stale entry starts re-verification: DELAY, then a unicast probe.
    n.state = 'DELAY';
    const entry = n;
    const mac = n.lladdr;
    n.timer = ns.kernel.clock.after(DELAY_MS, () => {
      if (entry.state !== 'DELAY') return;
      entry.state = 'PROBE';
      sendArp(link, 1, mac, sourceFor(link, nexthop, src), ZERO_MAC, nexthop);
      entry.timer = ns.kernel.clock.after(RETRANS_MS * SOLICITS, () => {
        if (entry.state === 'PROBE') entry.state = 'FAILED';
      });
    });
    then(mac);
    return;
  }
  if (!n || n.state === 'FAILED') n = ns.neigh.set(link, nexthop, { state: 'INCOMPLETE', lladdr: undefined });
  n.pending.push(then);
  if (n.pending.length === 1) solicit(n, link, sourceFor(link, nexthop, src));
}

/** Broadcast requests, one per second, three times; then the entry fails and its queue is dropped. */
function solicit(n: Neighbour, link: Link, spa: number): void {
  n.probes++;
  sendArp(link, 1, BROADCAST_MAC, spa, ZERO_MAC, n.addr);
  n.timer = link.ns.kernel.clock.after(RETRANS_MS, () => {
    if (n.state !== 'INCOMPLETE') return;
    if (n.probes < SOLICITS) solicit(n, link, spa);
    else {
      n.state = 'FAILED';
      n.probes = 0;
      for (const p of n.pending.splice(0)) p(undefined);
    }
  });
}

/** arp_solicit's source: the packet's own source if it is local (arp_announce 0), else the device's address. */
function sourceFor(link: Link, target: number, src: number): number {
  if (link.ns.isLocal(src)) return src;
  return link.ns.selectSource(link, target) ?? 0;
}

function isDirectedBroadcast(link: Link, addr: number): boolean {
  return link.ns.fib.table(255).some((r) => r.type === 'broadcast' && r.dst === addr && r.dev === link);
}
