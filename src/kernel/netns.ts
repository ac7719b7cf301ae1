/**
 * A network namespace and the requests rtnetlink serves on it: devices (create, delete, up/down,
 * rename, MTU, MAC, master, move to another namespace), IPv4 addresses with the routes the
 * kernel derives from them (fib_add_ifaddr / fib_del_ifaddr), routes with fib_create_info's
 * checks, neighbours, and the IPv6 configuration addrconf gives every device (link-local
 * addresses, ::1) without IPv6 forwarding. Each request checks everything first and then
 * changes state, so a failed one changes nothing. The packet path is in stack/.
 */
import { inSubnet, maskOf } from './addr.ts';
import { KernelError } from './errno.ts';
import {
  Fib,
  FIB_PROPS,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTPROT_KERNEL,
  type InsertMode,
  type Route,
  type RouteType,
} from './fib.ts';
import { Inet6 } from './inet6.ts';
import { settle } from './linkwatch.ts';
import type { Kernel } from './kernel.ts';
import { Link, type LinkKind, type MacvlanInfo } from './link.ts';
import { isMulticastMac, randomMac, ZERO_MAC, type Mac } from './mac.ts';
import { NeighTable } from './neigh.ts';
import { Netfilter } from './netfilter/netfilter.ts';
import { Sysctl } from './sysctl.ts';

export interface IfAddr {
  addr: number;
  plen: number;
  /** The peer of a point-to-point address (`peer`), which then defines the prefix. */
  peer?: number;
  brd?: number;
  scope: number;
  label: string;
  secondary: boolean;
  noprefixroute: boolean;
  /** The metric of the prefix route (`ip addr add ... metric N`). */
  metric?: number;
}

export interface AddrSpec {
  addr: number;
  plen: number;
  peer?: number;
  brd?: number;
  scope?: number;
  label?: string;
  noprefixroute?: boolean;
  metric?: number;
}

export interface LinkSpec {
  name: string;
  kind: LinkKind;
  mac?: Mac;
  mtu?: number;
  txqlen?: number;
  /** `numtxqueues`/`numrxqueues`. */
  queues?: [number | undefined, number | undefined];
  /** `index N`: the ifindex to use (fails if taken). */
  ifindex?: number;
  /** veth: the peer's name, namespace and MAC. */
  peer?: { name?: string; ns?: NetNs; mac?: Mac; mtu?: number; txqlen?: number; ifindex?: number; up?: boolean; queues?: [number | undefined, number | undefined] };
  vxlan?: { vni: number; dstport?: number; local?: number; remote?: number; dev?: Link; learning?: boolean; ttl?: number; ttlInherit?: boolean; tos?: number; df?: 'unset' | 'set' | 'inherit'; srcport?: [number, number]; ageing?: number };
  ipip?: { local?: number; remote?: number; ttl?: number; dev?: Link; pmtudisc?: boolean };
  macvlan?: { lower: Link; mode?: MacvlanInfo['mode'] };
}

export type RouteSpec = Omit<Route, 'seq'>;

/** What identifies a route to delete; unset fields match anything (fib_table_delete). */
export type RouteMatch = Partial<RouteSpec> & { dst: number; plen: number; table: number };

const IFNAMSIZ = 16;
/** IPv6 needs at least this MTU; addrconf leaves smaller devices alone. */
const IPV6_MIN_MTU = 1280;

/**
 * Kernels whose ipip module is loaded (by the first `type ipip` device): from then on every
 * namespace has the module's fallback device tunl0, the existing ones at once, new ones right
 * after lo (ipip_init_net).
 */
const ipipLoaded = new WeakSet<Kernel>();

const isLoopbackNet = (a: number): boolean => a >>> 24 === 127;

export class NetNs {
  readonly kernel: Kernel;
  /** The namespace's inode number (`net:[4026532xxx]`), unique while it lives. */
  readonly inode: number;
  /** Devices by ifindex, in registration order (the kernel's dev_base list). */
  readonly links = new Map<number, Link>();
  readonly addrs = new Map<Link, IfAddr[]>();
  readonly fib = new Fib();
  /** IPv6 addresses and routes addrconf keeps (link-local, ::1). */
  readonly inet6 = new Inet6();
  readonly neigh: NeighTable;
  readonly sysctl = new Sysctl();
  readonly nf = new Netfilter();
  /** Ids this namespace gives other namespaces (`link-netnsid`, `ip netns list` "(id: N)"). */
  readonly nsids = new Map<NetNs, number>();
  /** Extension state (recent lists, ...) for netfilter. */
  readonly nfState = new Map<string, unknown>();
  /** The last ifindex handed out: allocation is cyclic from here (dev_index_reserve). */
  private lastIfindex = 0;

  constructor(kernel: Kernel, inode: number) {
    this.kernel = kernel;
    this.inode = inode;
    this.neigh = new NeighTable(this);
    this.register(new Link(this, this.allocIfindex(), { name: 'lo', kind: 'loopback', mac: ZERO_MAC }));
    if (ipipLoaded.has(kernel)) this.addFallbackTunnel();
  }

  /** tunl0: an ipip tunnel with no endpoints that takes whatever IPv4-in-IPv4 no other one matches. */
  private addFallbackTunnel(): void {
    const link = new Link(this, 0, { name: 'tunl0', kind: 'ipip', mac: '00:00:00:00' });
    // __ip_tunnel_create with zeroed parameters: no DF bit, so no path MTU discovery.
    link.ipip = { local: 0, remote: 0, ttl: 0, pmtudisc: false, fallback: true };
    link.brd = '00:00:00:00';
    link.ifindex = this.allocIfindex();
    this.register(link);
  }

  // ---- devices ---------------------------------------------------------------------------

  link(name: string): Link | undefined {
    for (const l of this.links.values()) if (l.name === name) return l;
    return undefined;
  }

  /** The device named `name`, or ENODEV as iproute2 reports `Cannot find device "X"`. */
  mustLink(name: string): Link {
    const l = this.link(name);
    if (!l) throw new KernelError('ENODEV');
    return l;
  }

  lo(): Link {
    return this.links.get(1)!;
  }

  /** Devices in ifindex order, as a dump lists them. */
  sortedLinks(): Link[] {
    return [...this.links.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  /** dev_valid_name (netlink's policy already rejects names of 16 bytes or more). */
  static validName(name: string): void {
    if (Buffer.byteLength(name) >= IFNAMSIZ) throw new KernelError('EINVAL', 'Attribute failed policy validation');
    if (name.length === 0 || /[\s/:]/.test(name) || name === '.' || name === '..') throw new KernelError('EINVAL');
  }

  /** A valid name not taken in this namespace. */
  checkName(name: string): void {
    NetNs.validName(name);
    if (this.link(name)) throw new KernelError('EEXIST');
  }

  /**
   * dev_index_reserve: `want` if given (EBUSY if taken), else the first free index after the
   * last one handed out, so indexes of deleted devices are not reused at once.
   */
  private allocIfindex(want?: number): number {
    if (want) {
      if (this.links.has(want)) throw new KernelError('EEXIST');
      return want;
    }
    let i = this.lastIfindex + 1;
    while (this.links.has(i)) i++;
    this.lastIfindex = i;
    return i;
  }

  private register(link: Link): Link {
    this.links.set(link.ifindex, link);
    this.sysctl.addDevice(link.name);
    this.addrs.set(link, []);
    return link;
  }

  createLink(spec: LinkSpec): Link {
    if (spec.kind === 'ipip' && !ipipLoaded.has(this.kernel)) {
      // request_module("rtnl-link-ipip"): the fallback devices come before the new one.
      ipipLoaded.add(this.kernel);
      for (const ns of this.kernel.namespaces) ns.addFallbackTunnel();
    }
    NetNs.validName(spec.name);
    if (spec.peer?.name !== undefined) NetNs.validName(spec.peer.name);
    if (!spec.name.includes('%d')) this.checkName(spec.name);
    const rng = this.kernel.rng;
    if (spec.kind === 'veth') return this.createVeth(spec);
    if (spec.name.includes('%d')) spec = { ...spec, name: this.nextName(spec.name) };
    if (spec.kind === 'macvlan' && !spec.macvlan) throw new KernelError('EINVAL', 'macvlan: link is required');
    if (spec.ifindex && this.links.has(spec.ifindex)) throw new KernelError('EEXIST');
    const link = new Link(this, 0, { name: spec.name, kind: spec.kind, mac: spec.mac ?? (spec.kind === 'ipip' ? '00:00:00:00' : randomMac(rng)), mtu: spec.mtu, txqlen: spec.txqlen, queues: spec.queues });
    switch (spec.kind) {
      case 'bridge':
        link.bridge = { fdb: new Map(), ageingTime: 30000, stp: false, forwardDelay: 1500, helloTime: 200, maxAge: 2000, priority: 32768, vlanFiltering: false, macSet: spec.mac !== undefined, hadPorts: spec.mac !== undefined };
        // Created with an address: br_stp_change_bridge_id runs the state selection, and with
        // no live port the bridge has no carrier.
        if (spec.mac !== undefined) link.carrierBit = false;
        break;
      case 'vxlan': {
        const v = spec.vxlan!;
        link.vxlan = { vni: v.vni, dstport: v.dstport ?? 8472, local: v.local, remote: v.remote, dev: v.dev?.ifindex, learning: v.learning ?? true, ttl: v.ttl ?? 0, ttlInherit: v.ttlInherit, tos: v.tos, df: v.df, srcport: v.srcport, ageing: v.ageing ?? 300, fdb: [], linkNs: this };
        // vxlan_config_apply: without a lower device the MTU stays 1500; with one it leaves room
        // for the outer headers (50 bytes over IPv4).
        if (!spec.mtu && v.dev) link.mtu = v.dev.mtu - 50;
        else if (spec.mtu && v.dev && spec.mtu > v.dev.mtu - 50) throw new KernelError('EINVAL', 'MTU is greater than allowed by the lower device');
        break;
      }
      case 'ipip':
        // ip_tunnel_find: one tunnel per endpoint pair and underlay (tunl0 holds any/any).
        for (const l of this.links.values())
          if (l.kind === 'ipip' && l.ipip!.local === (spec.ipip?.local ?? 0) && l.ipip!.remote === (spec.ipip?.remote ?? 0) && l.ipip!.dev === spec.ipip?.dev?.ifindex) throw new KernelError('EEXIST');
        link.ipip = { local: spec.ipip?.local ?? 0, remote: spec.ipip?.remote ?? 0, ttl: spec.ipip?.ttl ?? 0, dev: spec.ipip?.dev?.ifindex, pmtudisc: spec.ipip?.pmtudisc ?? true };
        link.lower = spec.ipip?.dev;
        link.mac = ipv4Mac(link.ipip.local);
        link.brd = ipv4Mac(link.ipip.remote);
        break;
      case 'macvlan':
        link.lower = spec.macvlan!.lower;
        link.macvlan = { mode: spec.macvlan!.mode ?? 'vepa' };
        if (!spec.mtu) link.mtu = spec.macvlan!.lower.mtu;
        else if (spec.mtu > spec.macvlan!.lower.mtu) throw new KernelError('EINVAL');
        break;
      default:
        break;
    }
    link.ifindex = this.allocIfindex(spec.ifindex);
    this.register(link);
    if (link.lower && link.lower.ns !== this) this.nsid(link.lower.ns);
    // A macvlan starts with its lower device's carrier (netif_stacked_transfer_operstate).
    if (link.kind === 'macvlan') link.carrierBit = link.lower!.rawCarrier;
    settle(this.kernel, [link]);
    return link;
  }

  /**
   * veth_newlink: the peer is registered first (so it gets its namespace's next index), then
   * the device; if the device's own registration fails the peer goes again, its index spent.
   */
  private createVeth(spec: LinkSpec): Link {
    const rng = this.kernel.rng;
    const peerNs = spec.peer?.ns ?? this;
    // An unnamed peer is `veth%d` in its namespace, named first: it registers first.
    const peerName = spec.peer?.name === undefined || spec.peer.name.includes('%d') ? peerNs.nextName(spec.peer?.name ?? 'veth%d') : spec.peer.name;
    peerNs.checkName(peerName);
    if (spec.peer?.ifindex && peerNs.links.has(spec.peer.ifindex)) throw new KernelError('EEXIST');
    if (spec.ifindex && this.links.has(spec.ifindex)) throw new KernelError('EEXIST');
    const peerMac = spec.peer?.mac ?? randomMac(rng);
    const mac = spec.mac ?? randomMac(rng);
    const peerIndex = peerNs.allocIfindex(spec.peer?.ifindex);
    const name = spec.name.includes('%d') ? (peerNs === this ? this.nextName(spec.name, [peerName]) : this.nextName(spec.name)) : spec.name;
    if (peerNs === this && peerName === name) throw new KernelError('EEXIST');
    // The peer's own `up` is applied before the pair is joined: veth_open finds no peer.
    if (spec.peer?.up) throw new KernelError('ENOTCONN');
    const peer = peerNs.register(new Link(peerNs, peerIndex, { name: peerName, kind: 'veth', mac: peerMac, mtu: spec.peer?.mtu, txqlen: spec.peer?.txqlen, queues: spec.peer?.queues }));
    const link = this.register(new Link(this, this.allocIfindex(spec.ifindex), { name, kind: 'veth', mac, mtu: spec.mtu, txqlen: spec.txqlen, queues: spec.queues }));
    link.peer = peer;
    peer.peer = link;
    // The peer's RTM_NEWLINK is sent first: its namespace numbers ours before we number it.
    if (peerNs !== this) {
      peerNs.nsid(this);
      this.nsid(peerNs);
    }
    // Both carriers go off once registered, the peer's first: their first link watch events.
    settle(this.kernel, [peer, link]);
    return link;
  }

  /** dev_alloc_name: `pattern` (`veth%d`) with the first free number. */
  nextName(pattern: string, taken: string[] = []): string {
    for (let n = 0; ; n++) {
      const name = pattern.replace('%d', String(n));
      if (!this.link(name) && !taken.includes(name)) return name;
    }
  }

  /** `ip link set X carrier on|off` (only devices that implement ndo_change_carrier, like dummy). */
  setCarrier(link: Link, on: boolean): void {
    if (link.kind !== 'dummy') throw new KernelError('EOPNOTSUPP');
    link.carrierOverride = on;
    settle(this.kernel, [link]);
  }


  deleteLink(link: Link): void {
    if (link.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
    // ip_tunnel_dellink quietly keeps the fallback device.
    if (link.ipip?.fallback) return;
    // Already gone with its peer (a namespace being torn down deletes both ends in turn).
    if (link.ns.links.get(link.ifindex) !== link) return;
    const gone = link.peer ? [link, link.peer] : [link];
    // Devices stacked on a deleted one go with it: macvlans, and vxlans whose underlay it was
    // (vxlan_handle_lowerdev_unregister, over the vxlans whose socket lives in its namespace).
    const stacked = (m: Link, l: Link): boolean =>
      (m.kind === 'macvlan' && m.lower === l) || (m.kind === 'vxlan' && m.vxlan!.dev === l.ifindex && (m.vxlan!.linkNs ?? m.ns) === l.ns);
    for (const l of [...gone]) for (const ns of this.kernel.namespaces) for (const m of ns.links.values()) if (stacked(m, l) && !gone.includes(m)) gone.push(m);
    for (const l of gone) l.ns.unregister(l);
    settle(this.kernel, gone);
  }

  private unregister(link: Link): void {
    if (link.adminUp) this.close(link);
    if (link.kind === 'bridge') for (const p of link.ports()) this.releasePort(p);
    if (link.master) this.releasePort(link);
    for (const a of [...(this.addrs.get(link) ?? [])]) this.removeAddr(link, a, true);
    this.fib.flushDev(link);
    this.neigh.flushDev(link);
    this.inet6.flushDev(link);
    this.sysctl.removeDevice(link.name);
    this.addrs.delete(link);
    this.links.delete(link.ifindex);
    for (const ns of this.kernel.namespaces) for (const l of ns.links.values()) if (l.lower === link) l.lower = undefined;
  }

  /** `ip link set X up|down` (dev_open / dev_close with their notifier chains). */
  setUp(link: Link, up: boolean): void {
    if (link.adminUp === up) return;
    if (up) this.open(link);
    else this.close(link);
    // veth_open/veth_close change this end's carrier, then the peer's.
    settle(this.kernel, link.peer ? [link, link.peer] : [link]);
  }

  private open(link: Link): void {
    link.adminUp = true;
    link.qdisc = 'noqueue';
    // inetdev NETDEV_UP: the loopback device gets 127.0.0.1/8 if it has no such address yet.
    if (link.kind === 'loopback' && !this.addresses(link).some((a) => a.addr === 0x7f000001 && a.plen === 8)) {
      try {
        this.insertAddr(link, { addr: 0x7f000001, plen: 8, scope: RT_SCOPE_HOST, label: link.name, secondary: false, noprefixroute: false });
      } catch {
        // An address in 127/8 already there makes the kernel's insert fail quietly too.
      }
    }
    // fib NETDEV_UP: fib_add_ifaddr for every address.
    for (const a of this.addresses(link)) this.fibAddIfaddr(link, a);
    if (link.kind === 'loopback') this.inet6.loopbackUp(link);
    if (link.master) this.bridgeSync(link.master);
    if (link.kind === 'bridge') {
      link.bridge!.upSince = this.kernel.clock.now;
      this.bridgeSync(link);
    }
    this.stackedCarrier(link);
  }

  /** macvlan NETDEV_UP/DOWN: the macvlans on a device take its carrier. */
  private stackedCarrier(link: Link): void {
    for (const m of this.links.values()) if (m.kind === 'macvlan' && m.lower === link) m.carrierBit = link.rawCarrier;
  }

  private close(link: Link): void {
    link.adminUp = false;
    if (link.kind === 'bridge') link.bridge!.gcSince = link.bridge!.upSince = undefined;
    // NETDEV_DOWN: every route through the device goes except the addresses' local routes
    // (fib_sync_down_dev spares host-scope nexthops); neighbours and IPv6 configuration go.
    this.fib.flushDev(link, (r) => r.type === 'local');
    this.neigh.flushDev(link);
    this.inet6.flushDev(link);
    if (link.master) this.bridgeSync(link.master);
    if (link.kind === 'bridge') this.bridgeSync(link);
    this.stackedCarrier(link);
  }

  rename(link: Link, name: string): void {
    if (name === link.name) return;
    this.checkName(name);
    this.sysctl.renameDevice(link.name, name);
    for (const a of this.addresses(link)) {
      // The kernel renames labels that are the device's name or start with it (`eth0:1`).
      if (a.label === link.name) a.label = name;
      else if (a.label.startsWith(`${link.name}:`)) a.label = name + a.label.slice(link.name.length);
    }
    link.name = name;
  }

  /** dev_set_mtu with the core range check and the kinds' own limits. */
  setMtu(link: Link, mtu: number): void {
    const [min, max] = link.mtuRange;
    if (max && mtu > max) throw new KernelError('EINVAL', 'mtu greater than device maximum');
    if (mtu < min) throw new KernelError('EINVAL', 'mtu less than device minimum');
    if (link.kind === 'vxlan' && link.vxlan?.dev !== undefined) {
      const lower = this.links.get(link.vxlan.dev);
      if (lower && mtu > lower.mtu - 50) throw new KernelError('EINVAL');
    }
    if (link.kind === 'macvlan' && link.lower && mtu > link.lower.mtu) throw new KernelError('EINVAL');
    if (link.kind === 'bridge') link.bridge!.mtuSet = true;
    link.mtu = mtu;
    // IPv4 goes from a device whose MTU drops below 68 (inetdev NETDEV_CHANGEMTU); IPv6 below 1280.
    if (mtu < IPV6_MIN_MTU) this.inet6.flushDev(link);
    if (link.master) this.bridgeSync(link.master);
    settle(this.kernel, [link]);
  }

  setMac(link: Link, mac: Mac): void {
    if (link.kind === 'loopback' || link.kind === 'ipip') throw new KernelError('EOPNOTSUPP');
    if (isMulticastMac(mac) || mac === ZERO_MAC) throw new KernelError('EADDRNOTAVAIL');
    link.mac = mac;
    // A bridge's new MAC is a new bridge id: its port state selection runs (br_stp_change_bridge_id).
    if (link.kind === 'bridge') {
      link.bridge!.macSet = link.bridge!.hadPorts = true;
      this.bridgeSync(link);
    }
    if (link.master) this.bridgeSync(link.master);
    settle(this.kernel, [link]);
  }

  /** Enslaves `link` to `bridge` (`ip link set X master br0`) or releases it (`nomaster`). */
  setMaster(link: Link, bridge: Link | undefined): void {
    if (link.master === bridge) return;
    if (bridge) {
      if (bridge.kind !== 'bridge') throw new KernelError('EOPNOTSUPP');
      // br_add_if: only Ethernet devices with a valid MAC, no bridges, no loopback.
      if (link.kind === 'loopback' || link.kind === 'ipip' || link.mac === ZERO_MAC) throw new KernelError('EINVAL');
      if (link.kind === 'bridge') throw new KernelError('ELOOP', 'Can not enslave a bridge to a bridge');
    }
    if (link.master) this.releasePort(link);
    if (bridge) {
      const used = new Set(bridge.ports().map((p) => p.port!.portNo));
      let portNo = 1;
      while (used.has(portNo)) portNo++;
      link.master = bridge;
      link.port = { hairpin: false, learning: true, flood: true, state: 'disabled', cost: 2, priority: 32, portNo, mcastFlood: true, bcastFlood: true, neighSuppress: false, isolated: false, proxyArp: false };
      bridge.bridge!.hadPorts = bridge.bridge!.gsoFromPorts = true;
      this.bridgeSync(bridge);
    }
    settle(this.kernel, [link]);
  }

  private releasePort(link: Link): void {
    const old = link.master!;
    link.master = undefined;
    link.port = undefined;
    for (const [mac, e] of old.bridge!.fdb) if (e.port === link) old.bridge!.fdb.delete(mac);
    old.bridge!.gsoFromPorts = true;
    this.bridgeSync(old);
  }

  /**
   * What the bridge recomputes when its ports change: each port forwards while both it and
   * the bridge run (STP off), the bridge's MAC is the lowest port MAC unless set by hand (all
   * zeros once its last port left), its MTU the smallest port MTU unless set by hand, and each
   * port's MAC is a `permanent` fdb entry.
   */
  bridgeSync(bridge: Link): void {
    const info = bridge.bridge!;
    const ports = bridge.ports();
    // A port forwards once enabled: the bridge up, the port up and operational (STP off).
    for (const p of ports) {
      const state = bridge.adminUp && p.adminUp && (p.operRaw === 'UP' || p.operRaw === 'UNKNOWN') ? 'forwarding' : 'disabled';
      if (state === 'forwarding' && p.port!.state !== 'forwarding') p.port!.forwardingSince = this.kernel.clock.now;
      p.port!.state = state;
    }
    // br_port_state_selection: the bridge has carrier while a port forwards.
    if (info.hadPorts) bridge.carrierBit = ports.some((p) => p.port!.state === 'forwarding');
    if (!info.macSet && info.hadPorts) bridge.mac = ports.length ? ports.map((p) => p.mac).sort()[0] : ZERO_MAC;
    if (!info.mtuSet && ports.length) bridge.mtu = Math.min(...ports.map((p) => p.mtu));
    // Entries that still hold keep their place (the kernel lists the fdb newest first); entries
    // added by hand stay.
    for (const [mac, e] of info.fdb) if (e.local && !e.user && !(ports.includes(e.port) && e.port.mac === mac)) info.fdb.delete(mac);
    for (const p of ports) if (!info.fdb.get(p.mac)?.local) info.fdb.set(p.mac, { mac: p.mac, port: p, local: true, static: true, updated: this.kernel.clock.now });
  }

  /**
   * `ip link set X netns Y` (dev_change_net_namespace): the device is closed, leaves its bridge
   * and loses its addresses and routes, then keeps its ifindex in the new namespace if that is
   * free there. Its queueing discipline is reset to noop until it is next brought up.
   */
  moveLink(link: Link, to: NetNs): void {
    if (to === this) return;
    if (link.kind === 'loopback' || link.kind === 'bridge' || link.ipip?.fallback) throw new KernelError('EINVAL', 'The interface netns is immutable');
    if (to.link(link.name)) throw new KernelError('EEXIST', 'An interface with the same name exists in the target netns');
    const ifindex = to.links.has(link.ifindex) ? to.allocIfindex() : link.ifindex;
    this.unregister(link);
    link.ns = to;
    link.ifindex = ifindex;
    link.qdisc = 'noop';
    to.register(link);
    // RTM_DELLINK here carries the new namespace's id (IFLA_NEW_NETNSID), RTM_NEWLINK there the
    // id of the namespace the device's peer or lower device is in: both get allocated.
    this.nsid(to);
    const other = link.peer?.ns ?? link.lower?.ns ?? link.vxlan?.linkNs;
    if (other && other !== to) to.nsid(other);
    settle(this.kernel, [link, ...(link.peer ? [link.peer] : [])]);
  }

  /** The id this namespace uses for `other`, allocated on first use (peernet2id_alloc). */
  nsid(other: NetNs): number {
    let id = this.nsids.get(other);
    if (id === undefined) {
      id = 0;
      const used = new Set(this.nsids.values());
      while (used.has(id)) id++;
      this.nsids.set(other, id);
    }
    return id;
  }

  /** RTM_NEWNSID (`ip netns set NAME ID`); a negative id lets the kernel choose. */
  setNsid(other: NetNs, id: number): void {
    if (this.nsids.has(other)) throw new KernelError('EEXIST', 'Peer netns already has a nsid assigned');
    if (id < 0) {
      this.nsid(other);
      return;
    }
    if ([...this.nsids.values()].includes(id)) throw new KernelError('EEXIST', 'The specified nsid is already used');
    this.nsids.set(other, id);
  }

  // ---- IPv4 addresses --------------------------------------------------------------------

  addresses(link: Link): IfAddr[] {
    return this.addrs.get(link) ?? [];
  }

  /** Every address of the namespace, devices in registration order. */
  allAddresses(): { link: Link; a: IfAddr }[] {
    return [...this.links.values()].flatMap((link) => this.addresses(link).map((a) => ({ link, a })));
  }

  /** Whether `addr` is one of this namespace's own addresses (or in 127/8). */
  isLocal(addr: number): boolean {
    const r = this.fib.lookup(addr, { tables: [RT_TABLE_LOCAL] });
    return r?.route.type === 'local';
  }

  /** The prefix an address defines: its peer's for point-to-point addresses. */
  private static prefixOf(a: { addr: number; peer?: number; plen: number }): number {
    return ((a.peer ?? a.addr) & maskOf(a.plen)) >>> 0;
  }

  /** inet_ifa_match: `x` is inside the prefix `a` defines. */
  private static inPrefix(x: number, a: IfAddr): boolean {
    return inSubnet(x, a.peer ?? a.addr, maskOf(a.plen));
  }

  /**
   * RTM_NEWADDR. `replace` updates an existing address (its prefix route's metric) instead of
   * failing; a new address in the subnet of another is secondary.
   */
  addAddr(link: Link, spec: AddrSpec, opts: { replace?: boolean } = {}): IfAddr {
    const existing = this.addresses(link).find((a) => a.plen === spec.plen && NetNs.prefixOf(a) === NetNs.prefixOf(spec) && a.addr === spec.addr);
    if (existing) {
      if (!opts.replace) throw new KernelError('EEXIST', 'ipv4: Address already assigned');
      if ((existing.metric ?? 0) !== (spec.metric ?? 0)) {
        for (const r of this.fib.table(RT_TABLE_MAIN)) if (r.dev === link && r.protocol === RTPROT_KERNEL && r.type === 'unicast' && r.dst === NetNs.prefixOf(existing) && r.plen === existing.plen && r.prefsrc === existing.addr) r.metric = spec.metric ?? 0;
        existing.metric = spec.metric;
      }
      return existing;
    }
    const a: IfAddr = {
      addr: spec.addr,
      plen: spec.plen,
      peer: spec.peer,
      brd: spec.brd,
      scope: spec.scope ?? (isLoopbackNet(spec.addr) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE),
      label: spec.label ?? link.name,
      secondary: false,
      noprefixroute: !!spec.noprefixroute,
      metric: spec.metric,
    };
    this.insertAddr(link, a);
    return a;
  }

  /**
   * __inet_insert_ifa: an address in the subnet of one already there becomes secondary (and
   * must share its scope); primaries go after the last primary of the same or wider... scope,
   * secondaries at the end. Then fib_add_ifaddr.
   */
  private insertAddr(link: Link, a: IfAddr): void {
    const list = this.addresses(link);
    let lastPrimary = 0;
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (!x.secondary && a.scope <= x.scope) lastPrimary = i + 1;
      if (x.plen === a.plen && NetNs.inPrefix(x.peer ?? x.addr, a)) {
        if (x.addr === a.addr) throw new KernelError('EEXIST');
        if (x.scope !== a.scope) throw new KernelError('EINVAL', 'ipv4: Invalid scope value');
        a.secondary = true;
      }
    }
    list.splice(a.secondary ? list.length : lastPrimary, 0, a);
    this.fibAddIfaddr(link, a);
  }

  /**
   * RTM_DELADDR: the first address matching what was given (`ip addr del A/N` gives the local
   * address, and the prefix through IFA_ADDRESS — the peer's when a peer is named; without /N
   * only the local address counts).
   */
  delAddr(link: Link, addr: number, plen?: number, label?: string, address = addr): void {
    const a = this.addresses(link).find((x) => x.addr === addr && (label === undefined || x.label === label) && (plen === undefined || (x.plen === plen && NetNs.inPrefix(address, x))));
    if (!a) throw new KernelError('EADDRNOTAVAIL', 'ipv4: Address not found');
    this.removeAddr(link, a);
    if (!this.addresses(link).length) {
      // fib_inetaddr_event: the last address gone disables IP on the device (fib_disable_ip
      // with force): every route through it goes, local ones too, and its ARP cache.
      this.fib.flushDev(link);
      this.neigh.flushDev(link);
    }
    settle(this.kernel, [link]);
  }

  /** __inet_del_ifa: a primary takes its secondaries with it (promote_secondaries is off). */
  private removeAddr(link: Link, a: IfAddr, dead = false): void {
    const list = this.addresses(link);
    if (!a.secondary) {
      for (const s of list.filter((x) => x !== a && x.secondary && x.plen === a.plen && NetNs.inPrefix(x.peer ?? x.addr, a))) {
        list.splice(list.indexOf(s), 1);
        this.fibDelIfaddr(link, s, a, dead);
      }
    }
    list.splice(list.indexOf(a), 1);
    this.fibDelIfaddr(link, a, undefined, dead);
  }

  /** The primary address a secondary hangs off (inet_ifa_byprefix). */
  private primaryOf(link: Link, a: IfAddr): IfAddr | undefined {
    if (!a.secondary) return a;
    const prefix = NetNs.prefixOf(a);
    return this.addresses(link).find((x) => !x.secondary && x.plen === a.plen && NetNs.prefixOf(x) === prefix);
  }

  /** fib_magic(RTM_NEWROUTE): a kernel route; an identical one already there is fine. */
  private magicAdd(link: Link, type: RouteType, dst: number, plen: number, prim: IfAddr, metric = 0): void {
    try {
      this.fib.insert(
        { table: type === 'unicast' ? RT_TABLE_MAIN : RT_TABLE_LOCAL, type, dst, plen, tos: 0, metric, protocol: RTPROT_KERNEL, scope: type === 'local' ? RT_SCOPE_HOST : RT_SCOPE_LINK, prefsrc: prim.addr, dev: link, onlink: false },
        'append',
      );
    } catch (e) {
      if (!(e instanceof KernelError && e.errno === 'EEXIST')) throw e;
    }
  }

  /** fib_magic(RTM_DELROUTE). */
  private magicDel(link: Link, type: RouteType, dst: number, plen: number, prim: IfAddr): void {
    const r = this.fib.match({ table: type === 'unicast' ? RT_TABLE_MAIN : RT_TABLE_LOCAL, type, dst, plen, tos: 0, protocol: RTPROT_KERNEL, scope: type === 'local' ? RT_SCOPE_HOST : RT_SCOPE_LINK, prefsrc: prim.addr, dev: link });
    if (r) this.fib.remove(r);
  }

  /** fib_add_ifaddr: the local route always; broadcast and prefix routes once the device is up. */
  private fibAddIfaddr(link: Link, a: IfAddr): void {
    const prim = this.primaryOf(link, a);
    if (!prim) return;
    this.magicAdd(link, 'local', a.addr, 32, prim);
    if (!link.adminUp) return;
    if (a.brd !== undefined && a.brd !== 0 && a.brd !== 0xffffffff) this.magicAdd(link, 'broadcast', a.brd, 32, prim);
    const prefix = NetNs.prefixOf(a);
    if (prefix >>> 24 !== 0 && !a.secondary && (prefix !== a.addr || a.plen < 32)) {
      if (!a.noprefixroute) this.magicAdd(link, link.kind === 'loopback' ? 'local' : 'unicast', prefix, a.plen, prim, a.metric ?? 0);
      if (a.plen < 31) this.magicAdd(link, 'broadcast', (prefix | ~maskOf(a.plen)) >>> 0, 32, prim);
    }
  }

  /**
   * fib_del_ifaddr: the address's routes go unless another address still needs them (same
   * local address, same broadcast); when the address is really gone, routes preferring it as
   * source go too (fib_sync_down_addr).
   */
  private fibDelIfaddr(link: Link, a: IfAddr, iprim: IfAddr | undefined, dead: boolean): void {
    const prefix = NetNs.prefixOf(a);
    const brd = (prefix | ~maskOf(a.plen)) >>> 0;
    let prim: IfAddr | undefined = a;
    let subnet = false;
    if (a.secondary) {
      prim = this.addresses(link).find((x) => !x.secondary && x.plen === a.plen && NetNs.prefixOf(x) === prefix) ?? iprim;
      if (!prim) return;
    } else if (prefix >>> 24 !== 0 && (prefix !== a.addr || a.plen < 32)) {
      if (!a.noprefixroute) this.magicDel(link, link.kind === 'loopback' ? 'local' : 'unicast', prefix, a.plen, prim);
      subnet = true;
    }
    let localOk = false;
    let brdOk = false;
    let brd1Ok = false;
    let brd0Ok = false;
    if (!dead) {
      let samePrefsrc = false;
      let prim1: IfAddr | undefined;
      for (const x of this.addresses(link)) {
        if (iprim && x.plen === iprim.plen && NetNs.inPrefix(x.peer ?? x.addr, iprim)) continue;
        if (x.secondary) {
          if (x.plen === prim.plen && NetNs.inPrefix(x.peer ?? x.addr, prim)) prim1 = prim;
          else {
            if (!samePrefsrc) continue;
            prim1 = this.primaryOf(link, x);
            if (!prim1 || prim1.addr !== prim.addr) continue;
          }
        } else {
          if (prim.addr !== x.addr) continue;
          prim1 = x;
          if (prim !== prim1) samePrefsrc = true;
        }
        if (a.addr === x.addr) localOk = true;
        if (a.brd !== undefined && a.brd === x.brd) brdOk = true;
        if (brd === x.brd) brd1Ok = true;
        if (prefix === x.brd) brd0Ok = true;
        if (prim1 === x && x.plen < 31) {
          const any1 = NetNs.prefixOf(x);
          const brd1 = (any1 | ~maskOf(x.plen)) >>> 0;
          if (any1 >>> 24 !== 0) {
            if (a.brd === brd1 || a.brd === any1) brdOk = true;
            if (brd === brd1 || brd === any1) brd1Ok = true;
            if (prefix === brd1 || prefix === any1) brd0Ok = true;
          }
        }
      }
    }
    if (!brdOk && a.brd !== undefined) this.magicDel(link, 'broadcast', a.brd, 32, prim);
    if (subnet && a.plen < 31) {
      if (!brd1Ok) this.magicDel(link, 'broadcast', brd, 32, prim);
      if (!brd0Ok) this.magicDel(link, 'broadcast', prefix, 32, prim);
    }
    if (!localOk) {
      this.magicDel(link, 'local', a.addr, 32, prim);
      // Gone for good: flush routes that prefer it as source address.
      if (!this.isLocal(a.addr)) for (const t of this.fib.tables.values()) for (const r of [...t]) if (r.prefsrc === a.addr) this.fib.remove(r);
    }
  }

  /**
   * inet_select_addr: the source address for traffic leaving `dev` towards `dst`: a primary
   * address of the device within `scope` in dst's subnet, else its first such address, else
   * the first primary address of any device (registration order) with a scope other than link
   * within `scope`. Host-scope addresses (127.0.0.1) count only for host scope.
   */
  selectSource(dev: Link | undefined, dst: number, scope = RT_SCOPE_UNIVERSE): number | undefined {
    const localnet = dev && this.sysctl.dev(dev.name, 'route_localnet') ? RT_SCOPE_LINK : RT_SCOPE_HOST;
    if (dev) {
      let first: number | undefined;
      for (const a of this.addresses(dev)) {
        if (a.secondary || Math.min(a.scope, localnet) > scope) continue;
        if (!dst || NetNs.inPrefix(dst, a)) return a.addr;
        first ??= a.addr;
      }
      if (first !== undefined) return first;
    }
    for (const l of this.links.values()) {
      for (const a of this.addresses(l)) if (!a.secondary && a.scope !== RT_SCOPE_LINK && a.scope <= scope) return a.addr;
    }
    return undefined;
  }

  // ---- routes ----------------------------------------------------------------------------

  /**
   * RTM_NEWROUTE. `mode`: `add` fails if the key exists (NLM_F_EXCL), `replace` overwrites or
   * creates, `change` needs it to exist, `append`/`prepend` add another route with the same key.
   * fib_create_info's checks come first, in its order, with its messages.
   */
  addRoute(spec: RouteSpec, mode: InsertMode = 'add'): Route {
    NetNs.validKeyLen(spec.dst, spec.plen);
    if (FIB_PROPS[spec.type].scope > spec.scope) throw new KernelError('EINVAL', 'Invalid scope');
    if (FIB_PROPS[spec.type].error) {
      if (spec.gateway !== undefined || spec.dev) throw new KernelError('EINVAL', 'Gateway, device and multipath can not be specified for this route type');
    } else if (spec.type === 'throw' || spec.type === 'nat') {
      throw new KernelError('EINVAL', 'Invalid route type');
    } else if (spec.scope > RT_SCOPE_HOST) {
      throw new KernelError('EINVAL', 'Invalid scope');
    } else if (spec.scope === RT_SCOPE_HOST) {
      if (spec.gateway !== undefined) throw new KernelError('EINVAL', 'Route with host scope can not have a gateway');
      if (!spec.dev) throw new KernelError('ENODEV');
    } else {
      this.checkNexthop(spec);
    }
    if (spec.prefsrc !== undefined && !(spec.type === 'local' && spec.prefsrc === spec.dst) && !this.isLocal(spec.prefsrc))
      throw new KernelError('EINVAL', 'Invalid prefsrc address');
    const r = this.fib.insert(spec, mode);
    settle(this.kernel, []);
    return r;
  }

  /**
   * fib_check_nh. Without a gateway the device must be up. With one, the gateway must be on a
   * directly connected network (a link- or host-scope route, through `dev` if given) or, with
   * `onlink`, simply on the (up) device.
   */
  private checkNexthop(spec: RouteSpec): void {
    if (spec.gateway === undefined) {
      if (spec.onlink && !spec.dev) throw new KernelError('ENODEV', 'Nexthop device required for onlink');
      if (!spec.dev) throw new KernelError('ENODEV');
      if (!spec.dev.adminUp) throw new KernelError('ENETDOWN', 'Device for nexthop is not up');
      return;
    }
    if (spec.onlink) {
      if (spec.scope >= RT_SCOPE_LINK) throw new KernelError('EINVAL', 'Nexthop has invalid scope');
      if (!spec.dev) throw new KernelError('ENODEV', 'Nexthop device required for onlink');
      if (!spec.dev.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up');
      const t = this.fib.lookup(spec.gateway, { tables: [spec.table === RT_TABLE_MAIN ? RT_TABLE_LOCAL : spec.table, RT_TABLE_LOCAL, RT_TABLE_MAIN] });
      if (t && (t.route.type === 'local' || t.route.type === 'broadcast' || t.route.type === 'multicast')) throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
      if (spec.gateway === 0 || spec.gateway >>> 28 === 0xe) throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
      return;
    }
    const scope = Math.max(spec.scope + 1, RT_SCOPE_LINK);
    let res = spec.table !== RT_TABLE_MAIN && this.fib.hasTable(spec.table) ? this.fib.lookup(spec.gateway, { tables: [spec.table], scope, oif: spec.dev }) : undefined;
    res ??= this.fib.lookup(spec.gateway, { scope, oif: spec.dev });
    if (!res || (res.route.type !== 'unicast' && res.route.type !== 'local')) throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
    const dev = res.route.dev;
    if (!dev) throw new KernelError('EINVAL', 'No egress device for nexthop gateway');
    if (!dev.adminUp) throw new KernelError('ENETDOWN');
    // The route leaves through the device the gateway is reachable on.
    spec.dev ??= dev;
  }

  /** fib_valid_key_len: a route's destination may have no bits set past its prefix. */
  private static validKeyLen(dst: number, plen: number): void {
    if (plen > 32) throw new KernelError('EINVAL', 'Invalid prefix length');
    if (plen < 32 && ((dst & ~maskOf(plen)) >>> 0) !== 0) throw new KernelError('EINVAL', 'Invalid prefix for given prefix length');
  }

  /**
   * RTM_DELROUTE (fib_table_delete): the first route of the prefix matching every given field;
   * ESRCH if none, with the table's absence reported first.
   */
  delRoute(match: RouteMatch): Route {
    if (!this.fib.hasTable(match.table)) throw new KernelError('ESRCH', 'FIB table does not exist');
    NetNs.validKeyLen(match.dst, match.plen);
    const r = this.fib.match(match);
    if (!r) throw new KernelError('ESRCH');
    this.fib.remove(r);
    return r;
  }
}

/** A tunnel's hardware address is its IPv4 endpoint (4 bytes, printed as an address). */
function ipv4Mac(a: number): Mac {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export { RT_SCOPE_NOWHERE };
