/**
 * The IPv4 layer in kernel order. Receive: sanity and martian checks → PREROUTING → routing
 * decision (rp_filter, forwarding switch) → INPUT and local delivery, or FORWARD → TTL and MTU →
 * POSTROUTING → neighbour output. Local output: route → OUTPUT → reroute if NAT or a mark
 * changed the destination → POSTROUTING → the device (local destinations loop through `lo`).
 * ICMP errors and REJECT's answers are built here and sent as locally generated packets.
 */
import type { Errno } from '../errno.ts';
import { FIB_PROPS, type FibResult } from '../fib.ts';
import type { Link } from '../link.ts';
import { BROADCAST_MAC, isMulticastMac } from '../mac.ts';
import type { NetNs } from '../netns.ts';
import {
  clonePacket,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_PORT_UNREACH,
  ICMP_TIME_EXCEEDED,
  ipLength,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type Frame,
  type IpPacket,
} from '../wire.ts';
import { neighOutput } from './arp.ts';
import { devXmit } from './dev.ts';
import { isLoopbackAddr, runHook } from './hooks.ts';
import { newSkb, type Skb } from './skb.ts';
import { socketsOf } from './socket.ts';
import { stackOf } from './state.ts';
import { vxlanRcv } from './vxlan.ts';

/** ICMP (type, code) for each `--reject-with`. */
const REJECT_ICMP: Record<string, [number, number]> = {
  'icmp-net-unreachable': [3, 0],
  'icmp-host-unreachable': [3, 1],
  'icmp-proto-unreachable': [3, 2],
  'icmp-port-unreachable': [3, 3],
  'icmp-net-prohibited': [3, 9],
  'icmp-host-prohibited': [3, 10],
  'icmp-admin-prohibited': [3, 13],
};

/** ip_rcv and ip_rcv_finish: a frame with an IPv4 packet arrived on `link`. */
export function ipRcv(link: Link, frame: Frame, given?: Skb): void {
  const ns = link.ns;
  const ip = frame.ip!;
  const broadcast = frame.dst === BROADCAST_MAC;
  const multicast = !broadcast && isMulticastMac(frame.dst);
  // PACKET_OTHERHOST: a frame for another MAC (seen only in promiscuous mode) is not ours.
  if (link.kind !== 'loopback' && !broadcast && !multicast && frame.dst !== link.mac && !given) return;
  const skb = given ?? newSkb(clonePacket(ip), { indev: link, macSrc: frame.src, macDst: frame.dst, pktType: broadcast ? 'broadcast' : multicast ? 'multicast' : 'unicast' });
  skb.indev = link;
  if (martianSource(ns, link, skb.ip.src)) return;
  if (!skb.prerouted) {
    const v = runHook(ns, 'PREROUTING', skb, { redirectAddr: () => ns.selectSource(link, skb.ip.src) });
    if (v.verdict !== 'ACCEPT') return;
  }
  routeInput(ns, link, skb);
}

/** Sources a packet may not come from: multicast, limited broadcast, our own loopback range from outside. */
function martianSource(ns: NetNs, link: Link, src: number): boolean {
  if (src >>> 28 === 0xe || src === 0xffffffff) return true;
  if (isLoopbackAddr(src) && link.kind !== 'loopback' && !ns.sysctl.dev(link.name, 'route_localnet')) return true;
  return false;
}

/** ip_route_input_slow: local delivery, forwarding, or an error — after the reverse-path check. */
function routeInput(ns: NetNs, link: Link, skb: Skb): void {
  const dst = skb.ip.dst;
  if (isLoopbackAddr(dst) && link.kind !== 'loopback' && !ns.sysctl.dev(link.name, 'route_localnet')) return;
  if (dst === 0xffffffff) {
    localDeliver(ns, skb);
    return;
  }
  if (!reversePathOk(ns, link, skb.ip.src)) return;
  const r = ns.fib.lookup(dst);
  if (r && (r.route.type === 'local' || r.route.type === 'broadcast')) {
    localDeliver(ns, skb);
    return;
  }
  if (!ns.sysctl.dev(link.name, 'forwarding')) return;
  if (!r) {
    icmpSend(ns, skb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH);
    return;
  }
  switch (r.route.type) {
    case 'unicast':
      ipForward(ns, skb, r);
      return;
    case 'unreachable':
      icmpSend(ns, skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
      return;
    case 'prohibit':
      icmpSend(ns, skb, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED);
      return;
    default:
      return;
  }
}

/**
 * fib_validate_source's rp_filter: strict (1) wants the route back to `src` to leave by the
 * device the packet came in on, loose (2) any route back. ARP requests get the same check.
 */
export function reversePathOk(ns: NetNs, link: Link, src: number): boolean {
  const rp = ns.sysctl.dev(link.name, 'rp_filter');
  if (!rp || link.kind === 'loopback') return true;
  const back = ns.fib.lookup(src);
  return !!back && (rp !== 1 || back.route.dev === link);
}

/** ip_forward: TTL, FORWARD, MTU, then out. */
function ipForward(ns: NetNs, skb: Skb, r: FibResult): void {
  if (skb.ip.ttl <= 1) {
    icmpSend(ns, skb, ICMP_TIME_EXCEEDED, 0);
    return;
  }
  const out = r.route.dev!;
  skb.outdev = out;
  const v = runHook(ns, 'FORWARD', skb);
  if (v.verdict === 'REJECT') sendReject(ns, skb, v.with);
  if (v.verdict !== 'ACCEPT') return;
  if (ipLength(skb.ip) > (r.route.mtu ?? out.mtu) && skb.ip.df) {
    icmpSend(ns, skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, r.route.mtu ?? out.mtu);
    return;
  }
  skb.ip.ttl--;
  finishOutput(ns, skb, out, r.nexthop);
}

/** ip_output: POSTROUTING (with MASQUERADE's address from the outgoing device), then the neighbour layer. */
function finishOutput(ns: NetNs, skb: Skb, out: Link, nexthop: number): void {
  skb.outdev = out;
  const v = runHook(ns, 'POSTROUTING', skb, { masqSource: () => ns.selectSource(out, nexthop) });
  if (v.verdict !== 'ACCEPT') return;
  if (out.kind === 'loopback') {
    devXmit(out, { src: out.mac, dst: out.mac, ip: skb.ip }, { ...skb, indev: undefined, outdev: undefined, prerouted: false });
    return;
  }
  const ip = skb.ip;
  neighOutput(out, nexthop, ip, () => {
    // Resolution failed: the sender learns the host is unreachable.
    icmpSend(ns, newSkb(ip, { indev: undefined }), ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
  });
}

/** ip_local_deliver: INPUT (confirming the connection), then the transport protocol. */
function localDeliver(ns: NetNs, skb: Skb): void {
  skb.outdev = undefined;
  const v = runHook(ns, 'INPUT', skb);
  if (v.verdict === 'REJECT') sendReject(ns, skb, v.with);
  if (v.verdict === 'STOLEN') xmitStolen(ns, skb);
  if (v.verdict !== 'ACCEPT') return;
  const ip = skb.ip;
  const l4 = ip.l4;
  const socks = socketsOf(ns);
  switch (l4.kind) {
    case 'icmp':
      if (l4.type === ICMP_ECHO) {
        const bcast = ip.dst === 0xffffffff || skb.pktType === 'broadcast';
        if (ns.sysctl.num('net.ipv4.icmp_echo_ignore_all') || (bcast && ns.sysctl.num('net.ipv4.icmp_echo_ignore_broadcasts'))) return;
        const reply: IpPacket = { src: bcast ? (ns.selectSource(skb.indev, ip.src) ?? ip.dst) : ip.dst, dst: ip.src, proto: 1, ttl: 64, id: nextId(ns), df: false, tos: ip.tos, l4: { ...l4, type: ICMP_ECHOREPLY } };
        ipLocalOut(ns, reply, {});
        socks.icmpRcv(ip, skb);
        return;
      }
      socks.icmpRcv(ip, skb);
      return;
    case 'tcp':
      if (!socks.tcpRcv(ip, skb) && !(l4.flags & TCP_RST)) sendReset(ns, skb);
      return;
    case 'udp':
      if (vxlanRcv(ns, ip, l4)) return;
      if (!socks.udpRcv(ip, skb) && skb.pktType !== 'broadcast' && ip.dst !== 0xffffffff) icmpSend(ns, skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
      return;
  }
}

export function nextId(ns: NetNs): number {
  const st = stackOf(ns);
  st.ipId = (st.ipId + 1) & 0xffff;
  return st.ipId;
}

export interface OutOpts {
  /** Bound device (SO_BINDTODEVICE, ping -I). */
  oif?: Link;
  uid?: number;
  mark?: number;
}

/**
 * ip_local_out for a locally generated packet. Returns the errno a sender sees (ENETUNREACH when
 * there is no route, EPERM when OUTPUT drops it...), or undefined when the packet left.
 */
export function ipLocalOut(ns: NetNs, ip: IpPacket, opts: OutOpts): Errno | undefined {
  let r = ns.fib.lookup(ip.dst, { oif: opts.oif });
  if (!r) return 'ENETUNREACH';
  const unroutable = FIB_PROPS[r.route.type].error;
  if (unroutable) return unroutable;
  const skb = newSkb(ip, { mark: opts.mark ?? 0, uid: opts.uid });
  skb.outdev = localRoute(r) ? ns.lo() : r.route.dev;
  const before = { dst: ip.dst, mark: skb.mark };
  const v = runHook(ns, 'OUTPUT', skb, { redirectAddr: () => 0x7f000001 });
  if (v.verdict === 'REJECT') {
    sendReject(ns, skb, v.with);
    return 'EPERM';
  }
  if (v.verdict === 'DROP') return 'EPERM';
  if (v.verdict === 'STOLEN') return undefined;
  if (skb.ip.dst !== before.dst || skb.mark !== before.mark) {
    // ip_route_me_harder: NAT or a mark moved the packet; route it again.
    const again = ns.fib.lookup(skb.ip.dst, { oif: opts.oif });
    if (!again) return 'ENETUNREACH';
    r = again;
  }
  const out = localRoute(r) ? ns.lo() : r.route.dev;
  if (!out) return 'ENETUNREACH';
  if (isLoopbackAddr(skb.ip.src) && out.kind !== 'loopback' && !ns.sysctl.dev(out.name, 'route_localnet')) return 'EINVAL';
  if (ipLength(skb.ip) > (r.route.mtu ?? out.mtu) && skb.ip.df) return 'EMSGSIZE';
  finishOutput(ns, skb, out, localRoute(r) ? skb.ip.dst : r.nexthop);
  return undefined;
}

/**
 * ip_route_output_key as a socket asks it before sending or connecting: the route to `dst` and
 * the source address the packet takes, or the errno the caller sees. A given `saddr` (bound
 * address, IP_PKTINFO) must be one of ours. Without one, a local route gives its preferred
 * source or the destination itself (127.0.0.5 is answered from 127.0.0.1, a secondary address
 * from its primary); any other route gives fib_result_prefsrc: its `src`, else the device's
 * address within the route's scope, on the gateway's subnet when there is one. 0 when the
 * namespace has no usable address.
 */
export function routeOutput(ns: NetNs, dst: number, saddr = 0, oif?: Link): { route: FibResult; src: number } | Errno {
  if (saddr) {
    if (saddr >>> 28 === 0xe || saddr === 0xffffffff) return 'EINVAL';
    if (!ns.isLocal(saddr)) return 'ENETUNREACH';
  }
  const r = ns.fib.lookup(dst, { oif });
  if (!r) return 'ENETUNREACH';
  const unroutable = FIB_PROPS[r.route.type].error;
  if (unroutable) return unroutable;
  if (saddr) return { route: r, src: saddr };
  const rt = r.route;
  const src = rt.type === 'local' ? (rt.prefsrc ?? dst) : (rt.prefsrc ?? ns.selectSource(rt.dev, rt.gateway ?? 0, rt.scope));
  return { route: r, src: src ?? 0 };
}

/**
 * ip_vs_nat_xmit: IPVS rewrote a received packet's destination; it leaves like a local packet
 * (route, LOCAL_OUT, POSTROUTING) keeping its connection, without a TTL decrement.
 */
function xmitStolen(ns: NetNs, skb: Skb): void {
  const r = ns.fib.lookup(skb.ip.dst);
  if (!r || (r.route.type !== 'unicast' && r.route.type !== 'local')) return;
  const out = localRoute(r) ? ns.lo() : r.route.dev;
  if (!out) return;
  skb.indev = undefined;
  skb.outdev = out;
  const v = runHook(ns, 'OUTPUT', skb, { redirectAddr: () => 0x7f000001 });
  if (v.verdict !== 'ACCEPT') return;
  finishOutput(ns, skb, out, localRoute(r) ? skb.ip.dst : r.nexthop);
}

function localRoute(r: FibResult): boolean {
  return r.route.type === 'local';
}

/**
 * icmp_send: an error about `skb` back to its sender. Never about ICMP errors, broadcasts or
 * multicasts. The source is our address the packet was sent to, or the address we would use
 * towards the sender (icmp_errors_use_inbound_ifaddr = 0).
 */
export function icmpSend(ns: NetNs, skb: Skb, type: number, code: number, mtu?: number): void {
  const ip = skb.ip;
  if (ip.l4.kind === 'icmp' && ip.l4.type !== ICMP_ECHO && ip.l4.type !== ICMP_ECHOREPLY && ip.l4.type !== 13 && ip.l4.type !== 15) return;
  if (ip.dst === 0xffffffff || ip.dst >>> 28 === 0xe || skb.pktType === 'broadcast' || ip.src === 0) return;
  const src = ns.isLocal(ip.dst) ? ip.dst : ns.selectSource(ns.fib.lookup(ip.src)?.route.dev, ip.src);
  if (src === undefined) return;
  const err: IpPacket = {
    src,
    dst: ip.src,
    proto: 1,
    ttl: 64,
    id: nextId(ns),
    df: false,
    tos: 0xc0,
    l4: { kind: 'icmp', type, code, data: new Uint8Array(0), orig: clonePacket(ip), mtu },
  };
  ipLocalOut(ns, err, {});
}

/** REJECT: an ICMP error or, for `tcp-reset`, a RST (nf_send_reset). */
export function sendReject(ns: NetNs, skb: Skb, withWhat: string): void {
  if (withWhat === 'tcp-reset') {
    sendReset(ns, skb);
    return;
  }
  const [type, code] = REJECT_ICMP[withWhat] ?? [ICMP_DEST_UNREACH, ICMP_PORT_UNREACH];
  icmpSend(ns, skb, type, code);
}

/** A RST answering a segment: seq from its ack, or an ack covering it (tcp_v4_send_reset). */
export function sendReset(ns: NetNs, skb: Skb): void {
  const ip = skb.ip;
  const t = ip.l4;
  if (t.kind !== 'tcp' || t.flags & TCP_RST) return;
  const hasAck = !!(t.flags & TCP_ACK);
  const rst: IpPacket = {
    src: ip.dst,
    dst: ip.src,
    proto: 6,
    ttl: 64,
    id: 0,
    df: true,
    tos: 0,
    l4: {
      kind: 'tcp',
      sport: t.dport,
      dport: t.sport,
      seq: hasAck ? t.ack : 0,
      ack: hasAck ? 0 : (t.seq + t.data.length + (t.flags & TCP_SYN ? 1 : 0) + (t.flags & TCP_FIN ? 1 : 0)) >>> 0,
      flags: TCP_RST | (hasAck ? 0 : TCP_ACK),
      win: 0,
      data: new Uint8Array(0),
    },
  };
  ipLocalOut(ns, rst, {});
}
