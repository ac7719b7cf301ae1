/**
 * Devices moving frames: transmit on a device and receive from it, per kind — loopback back to
 * itself, veth to its peer, a bridge to its ports, vxlan into a UDP packet to the remote VTEP,
 * macvlan through its lower device. Deliveries go through the kernel's work queue, so one
 * device's receive never runs inside another's transmit.
 */
import { BROADCAST_MAC, isMulticastMac } from '../mac.ts';
import type { Link } from '../link.ts';
import { frameLength, type Frame } from '../wire.ts';
import { arpRcv } from './arp.ts';
import { brDevXmit, brHandleFrame } from './bridge.ts';
import { ipRcv } from './ip.ts';
import type { Skb } from './skb.ts';
import { stackOf } from './state.ts';
import { vxlanXmit } from './vxlan.ts';

/** Hands a frame seen on `link` to the namespace's captures. */
export function tap(link: Link, dir: 'in' | 'out', frame: Frame): void {
  for (const t of stackOf(link.ns).taps) t(dir, frame, link);
}

/** dev_queue_xmit. `skb` travels with the frame only over loopback, which keeps conntrack state. */
export function devXmit(link: Link, frame: Frame, skb?: Skb): void {
  if (!link.running) {
    link.stats.txDropped++;
    return;
  }
  link.stats.txPackets++;
  link.stats.txBytes += frameLength(frame);
  tap(link, 'out', frame);
  const kernel = link.ns.kernel;
  switch (link.kind) {
    case 'loopback':
      kernel.defer(() => netifReceive(link, frame, skb));
      return;
    case 'veth': {
      const peer = link.peer;
      if (!peer?.running) {
        link.stats.txDropped++;
        return;
      }
      kernel.defer(() => netifReceive(peer, frame));
      return;
    }
    case 'bridge':
      brDevXmit(link, frame);
      return;
    case 'vxlan':
      vxlanXmit(link, frame);
      return;
    case 'macvlan': {
      const lower = link.lower;
      if (!lower) return;
      // Bridge mode: frames between macvlans of one lower device never leave it.
      const sibling = macvlanFor(lower, frame.dst);
      if (sibling && link.macvlan?.mode === 'bridge') kernel.defer(() => netifReceive(sibling, frame));
      else devXmit(lower, frame);
      return;
    }
    default:
      // dummy and devices without a medium swallow what they are given.
      return;
  }
}

function macvlanFor(lower: Link, mac: string): Link | undefined {
  for (const l of lower.ns.links.values()) if (l.kind === 'macvlan' && l.lower === lower && l.mac === mac && l.running) return l;
  return undefined;
}

/** __netif_receive_skb: a frame arriving on a device goes to its bridge, its macvlans, or up the stack. */
export function netifReceive(link: Link, frame: Frame, skb?: Skb): void {
  if (!link.running) {
    link.stats.rxDropped++;
    return;
  }
  link.stats.rxPackets++;
  link.stats.rxBytes += frameLength(frame);
  if (isMulticastMac(frame.dst)) link.stats.multicast++;
  tap(link, 'in', frame);
  if (link.master) {
    brHandleFrame(link, frame);
    return;
  }
  // macvlan devices on this one take frames addressed to them (and a copy of broadcasts).
  for (const l of link.ns.links.values()) {
    if (l.kind !== 'macvlan' || l.lower !== link || !l.running) continue;
    if (l.mac === frame.dst) {
      link.ns.kernel.defer(() => netifReceive(l, frame));
      return;
    }
    if (frame.dst === BROADCAST_MAC) link.ns.kernel.defer(() => netifReceive(l, frame));
  }
  deliverUp(link, frame, skb);
}

/** Hands a frame to the protocol it carries, as received on `link`. */
export function deliverUp(link: Link, frame: Frame, skb?: Skb): void {
  if (frame.arp) arpRcv(link, frame);
  else if (frame.ip) ipRcv(link, frame, skb);
}
