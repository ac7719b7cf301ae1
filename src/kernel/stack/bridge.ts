/**
 * The Linux bridge: learning source MACs per port, forwarding by the FDB, flooding unknown and
 * broadcast frames (back out of the ingress port only in hairpin mode), delivering frames for
 * the bridge itself up its IP stack, and br_netfilter: with net.bridge.bridge-nf-call-iptables
 * set, bridged IPv4 traverses PREROUTING, FORWARD and POSTROUTING (with -m physdev ports), and a
 * destination NAT that points elsewhere turns bridging into routing.
 */
import type { Link } from '../link.ts';
import { isMulticastMac, type Mac } from '../mac.ts';
import { clonePacket, type Frame } from '../wire.ts';
import { neighResolve } from './arp.ts';
import { deliverUp, devXmit, tap } from './dev.ts';
import { runHook } from './hooks.ts';
import { sendReject } from './ip.ts';
import { newSkb, type Skb } from './skb.ts';
import { stackOf } from './state.ts';

/** FDB entries age out after ageing_time (centiseconds) without traffic from that MAC. */
function lookup(bridge: Link, mac: Mac): Link | undefined {
  // The bridge's own address is local even when set by hand (br_fdb_change_mac_address).
  if (mac === bridge.mac) return bridge;
  const info = bridge.bridge!;
  const e = info.fdb.get(mac);
  if (!e) return undefined;
  if (!e.local && !e.static && bridge.ns.kernel.clock.now - e.updated > info.ageingTime * 10) {
    info.fdb.delete(mac);
    return undefined;
  }
  return e.local ? bridge : e.port;
}

function learn(bridge: Link, port: Link, mac: Mac): void {
  if (!port.port?.learning || isMulticastMac(mac)) return;
  const fdb = bridge.bridge!.fdb;
  const e = fdb.get(mac);
  if (e?.local || e?.static) return;
  fdb.set(mac, { mac, port, local: false, static: false, updated: bridge.ns.kernel.clock.now });
}

/** br_handle_frame: a frame arriving on a bridge port. */
export function brHandleFrame(port: Link, frame: Frame): void {
  const bridge = port.master!;
  if (!bridge.running || port.port?.state !== 'forwarding') return;
  learn(bridge, port, frame.src);
  const ns = bridge.ns;
  if (!frame.ip || ns.sysctl.num('net.bridge.bridge-nf-call-iptables') !== 1) {
    bridgeFrame(bridge, port, frame);
    return;
  }
  // br_nf_pre_routing: PREROUTING runs once here, with the bridge as the input device.
  const skb = newSkb(clonePacket(frame.ip), { indev: bridge, physIn: port, bridged: true, macSrc: frame.src, macDst: frame.dst, prerouted: true });
  const dstBefore = skb.ip.dst;
  if (runHook(ns, 'PREROUTING', skb, { redirectAddr: () => ns.selectSource(bridge, skb.ip.src) }).verdict !== 'ACCEPT') return;
  const natted = { ...frame, ip: skb.ip };
  if (skb.ip.dst === dstBefore) {
    bridgeFrame(bridge, port, natted, skb);
    return;
  }
  // br_nf_pre_routing_finish: DNAT to an address reached through another device (or a local
  // one) means the packet is routed, not bridged.
  const r = ns.fib.lookup(skb.ip.dst);
  if (!r || r.route.dev !== bridge || r.route.type !== 'unicast') {
    passUp(bridge, { ...natted, dst: bridge.mac }, skb);
    return;
  }
  // Still on this bridge: the frame goes to the new destination's MAC, bridged from the port it
  // came in on (so hairpin mode decides whether it may go back out of it).
  neighResolve(bridge, r.nexthop, skb.ip.src, (mac) => {
    if (mac) bridgeFrame(bridge, port, { ...natted, dst: mac }, skb);
  });
}

/** br_handle_frame_finish: local delivery, forwarding by the FDB, or flooding. */
function bridgeFrame(bridge: Link, port: Link, frame: Frame, skb?: Skb): void {
  const out = isMulticastMac(frame.dst) ? undefined : lookup(bridge, frame.dst);
  if (out === bridge) {
    passUp(bridge, frame, skb);
    return;
  }
  if (out) {
    if (out !== port || port.port?.hairpin) forward(bridge, port, out, frame, skb);
  } else {
    // Unknown unicast, broadcast and multicast: every other port (and the ingress one in
    // hairpin mode), plus the bridge itself for broadcast and multicast.
    for (const p of bridge.ports()) {
      if (p.port?.state !== 'forwarding' || (p === port && !p.port.hairpin)) continue;
      forward(bridge, port, p, frame, skb && { ...skb, ip: clonePacket(skb.ip) });
    }
    if (isMulticastMac(frame.dst)) {
      passUp(bridge, frame, skb);
      return;
    }
  }
  // A promiscuous bridge (tcpdump on it) also passes up what it forwards; the stack drops that
  // copy as PACKET_OTHERHOST, so only captures see it.
  if (bridge.promisc > 0 || stackOf(bridge.ns).promisc.has(bridge)) tap(bridge, 'in', frame);
}

/** br_pass_frame_up: the bridge device receives the frame as its own. */
function passUp(bridge: Link, frame: Frame, skb: Skb | undefined): void {
  bridge.stats.rxPackets++;
  if (skb) skb.bridged = false;
  tap(bridge, 'in', frame);
  deliverUp(bridge, frame, skb);
}

/** br_forward: FORWARD and POSTROUTING for bridged IPv4 under br_netfilter, then out of the port. */
function forward(bridge: Link, inPort: Link, outPort: Link, frame: Frame, skb: Skb | undefined): void {
  if (skb && frame.ip) {
    skb.outdev = bridge;
    skb.physOut = outPort;
    const ns = bridge.ns;
    const v = runHook(ns, 'FORWARD', skb);
    if (v.verdict === 'REJECT') sendReject(ns, skb, v.with);
    if (v.verdict !== 'ACCEPT') return;
    if (runHook(ns, 'POSTROUTING', skb, { masqSource: () => ns.selectSource(bridge, skb.ip.dst) }).verdict !== 'ACCEPT') return;
    frame = { ...frame, ip: skb.ip };
  }
  void inPort;
  devXmit(outPort, frame);
}

/** br_dev_xmit: the bridge's own IP stack sends through it; the FDB picks the port. */
export function brDevXmit(bridge: Link, frame: Frame): void {
  const out = isMulticastMac(frame.dst) ? undefined : lookup(bridge, frame.dst);
  if (out && out !== bridge) {
    devXmit(out, frame);
    return;
  }
  if (out === bridge) return;
  for (const p of bridge.ports()) if (p.port?.state === 'forwarding') devXmit(p, frame);
}
