/**
 * VXLAN: frames sent on a vxlan device travel as UDP (port 8472 for flannel, 4789 by IANA) to
 * the VTEP the device's FDB names for the destination MAC — all-zero entries and the default
 * remote catch the rest — and UDP arriving on that port with the device's VNI comes out of the
 * device again, teaching its FDB where the sender lives when learning is on.
 */
import type { Link } from '../link.ts';
import { ZERO_MAC } from '../mac.ts';
import type { NetNs } from '../netns.ts';
import type { Frame, IpPacket, UdpDatagram } from '../wire.ts';
import { netifReceive } from './dev.ts';
import { ipLocalOut } from './ip.ts';

export function vxlanXmit(link: Link, frame: Frame): void {
  const v = link.vxlan!;
  const ns = link.ns;
  const exact = v.fdb.filter((e) => e.mac === frame.dst);
  const dsts = exact.length ? exact.map((e) => e.dst) : v.fdb.filter((e) => e.mac === ZERO_MAC).map((e) => e.dst);
  if (!dsts.length && v.remote !== undefined) dsts.push(v.remote);
  for (const dst of dsts) {
    const src = v.local ?? ns.selectSource(ns.fib.lookup(dst)?.route.dev, dst);
    if (src === undefined) {
      link.stats.txErrors++;
      continue;
    }
    const [lo, hi] = (ns.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split('\t').map(Number);
    const outer: IpPacket = {
      src,
      dst,
      proto: 17,
      ttl: v.ttl || 64,
      id: 0,
      df: false,
      tos: 0,
      l4: { kind: 'udp', sport: lo + (flowHash(frame) % (hi - lo + 1)), dport: v.dstport, data: new Uint8Array(0), vxlan: { vni: v.vni, frame } },
    };
    ipLocalOut(ns, outer, {});
  }
}

/** udp_flow_src_port: the outer source port is a hash of the inner flow, so one flow keeps one port. */
function flowHash(frame: Frame): number {
  const ip = frame.ip;
  let h = 2166136261;
  const mix = (n: number): void => {
    h = Math.imul(h ^ n, 16777619) >>> 0;
  };
  if (ip) {
    mix(ip.src);
    mix(ip.dst);
    mix(ip.proto);
    if (ip.l4.kind !== 'icmp') {
      mix(ip.l4.sport);
      mix(ip.l4.dport);
    }
  } else for (const c of frame.src + frame.dst) mix(c.charCodeAt(0));
  return h;
}

/** vxlan_rcv: whether a VXLAN device takes this datagram; if so, it receives the inner frame. */
export function vxlanRcv(ns: NetNs, outer: IpPacket, udp: UdpDatagram): boolean {
  if (!udp.vxlan) return false;
  for (const link of ns.links.values()) {
    const v = link.vxlan;
    if (!v || v.dstport !== udp.dport || v.vni !== udp.vxlan.vni || (v.local !== undefined && v.local !== outer.dst)) continue;
    const inner = udp.vxlan.frame;
    if (v.learning && !v.fdb.some((e) => e.mac === inner.src && e.dst === outer.src)) {
      const old = v.fdb.findIndex((e) => e.mac === inner.src && !e.permanent);
      if (old >= 0) v.fdb.splice(old, 1);
      v.fdb.push({ mac: inner.src, dst: outer.src, permanent: false });
    }
    ns.kernel.defer(() => netifReceive(link, inner));
    return true;
  }
  return false;
}
