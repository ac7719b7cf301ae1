/**
 * A network namespace and the requests rtnetlink serves on it: devices (create, delete, up/down,
 * rename, MTU, MAC, master, move to another namespace), IPv4 addresses with the routes the
 * kernel derives from them, routes and neighbours. Each request checks everything first and
 * then changes state, so a failed one changes nothing. The packet path is in stack/.
 */
import { inSubnet, maskOf } from './addr.ts';
import { KernelError } from './errno.ts';
import {
  Fib,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTPROT_KERNEL,
  type Route,
} from './fib.ts';
import type { Kernel } from './kernel.ts';
import { Link, type LinkKind } from './link.ts';
import { randomMac, type Mac } from './mac.ts';
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
}

export interface AddrSpec {
  addr: number;
  plen: number;
  peer?: number;
  brd?: number;
  scope?: number;
  label?: string;
  noprefixroute?: boolean;
}

export interface LinkSpec {
  name: string;
  kind: LinkKind;
  mac?: Mac;
  mtu?: number;
  /** veth: the peer's name, namespace and MAC. */
  peer?: { name: string; ns?: NetNs; mac?: Mac; mtu?: number };
  vxlan?: { vni: number; dstport?: number; local?: number; remote?: number; dev?: Link; learning?: boolean; ttl?: number };
  ipip?: { local?: number; remote?: number; ttl?: number; dev?: Link };
  macvlan?: { lower: Link; mode?: 'bridge' | 'private' | 'vepa' | 'passthru' | 'source' };
}

export type RouteSpec = Omit<Route, 'seq'>;

const IFNAMSIZ = 16;

export class NetNs {
  readonly kernel: Kernel;
  /** The namespace's inode number (`net:[4026532xxx]`), unique while it lives. */
  readonly inode: number;
  readonly links = new Map<number, Link>();
  readonly addrs = new Map<Link, IfAddr[]>();
  readonly fib = new Fib();
  readonly neigh: NeighTable;
  readonly sysctl = new Sysctl();
  readonly nf = new Netfilter();
  /** Ids this namespace gives other namespaces (`link-netnsid`, `ip netns list` "(id: N)"). */
  readonly nsids = new Map<NetNs, number>();
  /** Extension state (recent lists, ...) for netfilter. */
  readonly nfState = new Map<string, unknown>();
  private nextIfindex = 1;

  constructor(kernel: Kernel, inode: number) {
    this.kernel = kernel;
    this.inode = inode;
    this.neigh = new NeighTable(this);
    this.createLink({ name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00' });
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

  private checkName(name: string): void {
    if (name.length === 0 || name.length >= IFNAMSIZ || /[\s/:]/.test(name) || name === '.' || name === '..') throw new KernelError('EINVAL');
    if (this.link(name)) throw new KernelError('EEXIST');
  }

  /** Allocates an ifindex: the next after the last one handed out, skipping used ones. */
  private allocIfindex(want?: number): number {
    if (want !== undefined && !this.links.has(want)) return want;
    while (this.links.has(this.nextIfindex)) this.nextIfindex++;
    return this.nextIfindex++;
  }

  private register(link: Link): Link {
    this.links.set(link.ifindex, link);
    this.sysctl.addDevice(link.name);
    this.addrs.set(link, []);
    return link;
  }

  createLink(spec: LinkSpec): Link {
    this.checkName(spec.name);
    const rng = this.kernel.rng;
    if (spec.kind === 'veth') {
      const peerNs = spec.peer?.ns ?? this;
      const peerName = spec.peer?.name ?? this.vethPeerName(peerNs);
      if (peerNs === this && peerName === spec.name) throw new KernelError('EEXIST');
      peerNs.checkName(peerName);
      // veth_newlink registers the peer first, so it gets the lower index.
      const peer = peerNs.register(new Link(peerNs, peerNs.allocIfindex(), { name: peerName, kind: 'veth', mac: spec.peer?.mac ?? randomMac(rng), mtu: spec.peer?.mtu ?? spec.mtu }));
      const link = this.register(new Link(this, this.allocIfindex(), { name: spec.name, kind: 'veth', mac: spec.mac ?? randomMac(rng), mtu: spec.mtu }));
      link.peer = peer;
      peer.peer = link;
      if (peerNs !== this) {
        this.nsid(peerNs);
        peerNs.nsid(this);
      }
      return link;
    }
    if (spec.kind === 'macvlan' && !spec.macvlan) throw new KernelError('EINVAL', 'macvlan: link is required');
    const link = new Link(this, this.allocIfindex(), { name: spec.name, kind: spec.kind, mac: spec.mac ?? (spec.kind === 'ipip' ? '00:00:00:00' : randomMac(rng)), mtu: spec.mtu });
    switch (spec.kind) {
      case 'bridge':
        link.bridge = { fdb: new Map(), ageingTime: 30000, stp: false, forwardDelay: 1500, helloTime: 200, maxAge: 2000, priority: 32768, vlanFiltering: false };
        break;
      case 'vxlan': {
        const v = spec.vxlan!;
        link.vxlan = { vni: v.vni, dstport: v.dstport ?? 8472, local: v.local, remote: v.remote, dev: v.dev?.ifindex, learning: v.learning ?? true, ttl: v.ttl ?? 0, fdb: [] };
        link.lower = v.dev;
        if (!spec.mtu && v.dev) link.mtu = v.dev.mtu - 50;
        break;
      }
      case 'ipip':
        link.ipip = { local: spec.ipip?.local ?? 0, remote: spec.ipip?.remote ?? 0, ttl: spec.ipip?.ttl ?? 0, dev: spec.ipip?.dev?.ifindex };
        link.lower = spec.ipip?.dev;
        link.brd = '00:00:00:00';
        break;
      case 'macvlan':
        link.lower = spec.macvlan!.lower;
        link.macvlan = { mode: spec.macvlan!.mode ?? 'vepa' };
        if (!spec.mtu) link.mtu = spec.macvlan!.lower.mtu;
        break;
      default:
        break;
    }
    return this.register(link);
  }

  /** The kernel names an unnamed veth peer `vethN` with the first free N. */
  private vethPeerName(ns: NetNs): string {
    for (let n = 0; ; n++) if (!ns.link(`veth${n}`)) return `veth${n}`;
  }

  deleteLink(link: Link): void {
    if (link.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
    const gone = link.peer ? [link, link.peer] : [link];
    for (const l of gone) l.ns.unregister(l);
  }

  private unregister(link: Link): void {
    if (link.adminUp) this.setUp(link, false);
    if (link.kind === 'bridge') for (const p of link.ports()) this.setMaster(p, undefined);
    if (link.master) this.setMaster(link, undefined);
    for (const a of [...(this.addrs.get(link) ?? [])]) this.removeAddr(link, a);
    this.fib.flushDev(link);
    this.neigh.flushDev(link);
    this.sysctl.removeDevice(link.name);
    this.addrs.delete(link);
    this.links.delete(link.ifindex);
    for (const l of this.links.values()) if (l.lower === link) l.lower = undefined;
  }

  setUp(link: Link, up: boolean): void {
    if (link.adminUp === up) return;
    if (up && link.kind === 'macvlan' && link.lower && !link.lower.adminUp) throw new KernelError('ENETDOWN');
    link.adminUp = up;
    if (up) {
      if (link.qdisc === 'noop') link.qdisc = 'noqueue';
      for (const a of this.addrs.get(link) ?? []) this.addPrefixRoutes(link, a);
      if (link.kind === 'bridge') this.refreshBridgeLocal(link);
    } else {
      // NETDEV_DOWN: every route through the device goes except the addresses' local routes.
      this.fib.flushDev(link, (r) => r.table === RT_TABLE_LOCAL && r.type === 'local');
      this.neigh.flushDev(link);
    }
  }

  rename(link: Link, name: string): void {
    if (name === link.name) return;
    if (link.adminUp) throw new KernelError('EBUSY');
    this.checkName(name);
    this.sysctl.renameDevice(link.name, name);
    for (const a of this.addrs.get(link) ?? []) if (a.label === link.name) a.label = name;
    link.name = name;
  }

  setMtu(link: Link, mtu: number): void {
    const max = link.kind === 'loopback' ? 2 ** 31 - 1 : link.kind === 'vxlan' && link.lower ? link.lower.mtu - 50 : 65535;
    const min = link.kind === 'loopback' ? 0 : 68;
    if (mtu < min || mtu > max) throw new KernelError('EINVAL', `mtu less than device minimum` + '');
    link.mtu = mtu;
  }

  setMac(link: Link, mac: Mac): void {
    if (link.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
    link.mac = mac;
    if (link.kind === 'bridge') link.bridge!.macSet = true;
    if (link.master) this.refreshBridgeLocal(link.master);
  }

  /** Enslaves `link` to `bridge` (`ip link set X master br0`) or releases it (`nomaster`). */
  setMaster(link: Link, bridge: Link | undefined): void {
    if (bridge && bridge.kind !== 'bridge') throw new KernelError('EOPNOTSUPP');
    if (bridge === link) throw new KernelError('ELOOP');
    if (link.kind === 'loopback') throw new KernelError('EINVAL');
    const old = link.master;
    if (old === bridge) return;
    if (old) {
      link.master = undefined;
      link.port = undefined;
      for (const [mac, e] of old.bridge!.fdb) if (e.port === link) old.bridge!.fdb.delete(mac);
      this.refreshBridgeLocal(old);
    }
    if (bridge) {
      link.master = bridge;
      link.port = { hairpin: false, learning: true, flood: true, state: 'forwarding', cost: 2, priority: 32 };
      this.refreshBridgeLocal(bridge);
    }
  }

  /**
   * A bridge's own addresses: its MAC (the lowest port MAC unless set by hand) and each port's
   * MAC as `permanent` fdb entries.
   */
  private refreshBridgeLocal(bridge: Link): void {
    const info = bridge.bridge!;
    const ports = bridge.ports();
    if (!info.macSet && ports.length) bridge.mac = ports.map((p) => p.mac).sort()[0];
    for (const [mac, e] of info.fdb) if (e.local) info.fdb.delete(mac);
    for (const p of ports) info.fdb.set(p.mac, { mac: p.mac, port: p, local: true, static: true, updated: this.kernel.clock.now });
  }

  /** `ip link set X netns Y`: keeps the ifindex if free there; IPv4 configuration is dropped. */
  moveLink(link: Link, to: NetNs): void {
    if (to === this) return;
    if (link.kind === 'loopback' || link.kind === 'bridge' && link.ports().length) throw new KernelError('EINVAL');
    if (to.link(link.name)) throw new KernelError('EEXIST');
    this.unregister(link);
    link.ns = to;
    link.ifindex = to.allocIfindex(link.ifindex);
    link.qdisc = link.qdisc === 'noqueue' ? 'noqueue' : 'noop';
    to.register(link);
    if (link.peer) {
      this.kernel.pairNsids(link.ns, link.peer.ns);
    }
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

  // ---- addresses -------------------------------------------------------------------------

  addresses(link: Link): IfAddr[] {
    return this.addrs.get(link) ?? [];
  }

  /** Every address of the namespace, devices in ifindex order. */
  allAddresses(): { link: Link; a: IfAddr }[] {
    return [...this.links.values()].flatMap((link) => this.addresses(link).map((a) => ({ link, a })));
  }

  /** Whether `addr` is one of this namespace's own addresses (or in 127/8). */
  isLocal(addr: number): boolean {
    const r = this.fib.lookup(addr, { tables: [RT_TABLE_LOCAL] });
    return r?.route.type === 'local';
  }

  addAddr(link: Link, spec: AddrSpec): IfAddr {
    const list = this.addresses(link);
    if (list.some((a) => a.addr === spec.addr && a.plen === spec.plen && (a.peer ?? a.addr) === (spec.peer ?? spec.addr)))
      throw new KernelError('EEXIST', 'ipv4: Address already assigned.');
    const prefix = (spec.peer ?? spec.addr) & maskOf(spec.plen);
    const secondary = list.some((a) => a.plen === spec.plen && ((a.peer ?? a.addr) & maskOf(a.plen)) === prefix && !a.secondary);
    const a: IfAddr = {
      addr: spec.addr,
      plen: spec.plen,
      peer: spec.peer,
      brd: spec.brd,
      scope: spec.scope ?? (inSubnet(spec.addr, 0x7f000000, 0xff000000) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE),
      label: spec.label ?? link.name,
      secondary,
      noprefixroute: !!spec.noprefixroute,
    };
    list.push(a);
    this.addLocalRoute(link, a);
    if (link.adminUp) this.addPrefixRoutes(link, a);
    return a;
  }

  delAddr(link: Link, addr: number, plen?: number): void {
    const a = this.addresses(link).find((x) => x.addr === addr && (plen === undefined || x.plen === plen));
    if (!a) throw new KernelError('EADDRNOTAVAIL');
    this.removeAddr(link, a);
  }

  private removeAddr(link: Link, a: IfAddr): void {
    const list = this.addresses(link);
    list.splice(list.indexOf(a), 1);
    // Deleting a primary takes its secondaries with it (promote_secondaries is off by default).
    if (!a.secondary) {
      const prefix = (a.peer ?? a.addr) & maskOf(a.plen);
      for (const s of list.filter((x) => x.secondary && x.plen === a.plen && ((x.peer ?? x.addr) & maskOf(x.plen)) === prefix)) this.removeAddr(link, s);
    }
    for (const t of this.fib.tables.values()) {
      for (const r of [...t]) {
        if (r.dev !== link || r.protocol !== RTPROT_KERNEL) continue;
        if (r.prefsrc === a.addr && (r.table === RT_TABLE_LOCAL || r.table === RT_TABLE_MAIN)) {
          // The local route of an address shared by another device stays (fib_del_ifaddr's ok bits).
          if (r.type === 'local' && this.allAddresses().some((x) => x.a.addr === a.addr)) continue;
          this.fib.remove(r);
        }
      }
    }
  }

  private addLocalRoute(link: Link, a: IfAddr): void {
    if (this.fib.find({ table: RT_TABLE_LOCAL, dst: a.addr, plen: 32, tos: 0, metric: 0 })) return;
    this.fib.add({ table: RT_TABLE_LOCAL, type: 'local', dst: a.addr, plen: 32, tos: 0, metric: 0, protocol: RTPROT_KERNEL, scope: RT_SCOPE_HOST, prefsrc: a.addr, dev: link, onlink: false });
  }

  /** fib_add_ifaddr's routes that need the device up: the prefix route and the broadcast ones. */
  private addPrefixRoutes(link: Link, a: IfAddr): void {
    if (a.secondary) return;
    const prefix = ((a.peer ?? a.addr) & maskOf(a.plen)) >>> 0;
    const kernelRoute = (r: Omit<RouteSpec, 'tos' | 'metric' | 'protocol' | 'onlink' | 'dev'>): void => {
      if (!this.fib.find({ ...r, tos: 0, metric: 0 })) this.fib.add({ ...r, tos: 0, metric: 0, protocol: RTPROT_KERNEL, dev: link, onlink: false });
    };
    if (a.brd !== undefined && a.brd !== 0xffffffff && a.brd !== 0)
      kernelRoute({ table: RT_TABLE_LOCAL, type: 'broadcast', dst: a.brd, plen: 32, scope: RT_SCOPE_LINK, prefsrc: a.addr });
    if (a.plen === 32 && a.peer === undefined) return;
    if (inSubnet(a.addr, 0x7f000000, 0xff000000)) {
      kernelRoute({ table: RT_TABLE_LOCAL, type: 'local', dst: prefix, plen: a.plen, scope: RT_SCOPE_HOST, prefsrc: a.addr });
    } else if (!a.noprefixroute) {
      kernelRoute({ table: RT_TABLE_MAIN, type: 'unicast', dst: prefix, plen: a.plen, scope: RT_SCOPE_LINK, prefsrc: a.addr });
    }
    if (a.plen < 31) kernelRoute({ table: RT_TABLE_LOCAL, type: 'broadcast', dst: (prefix | ~maskOf(a.plen)) >>> 0, plen: 32, scope: RT_SCOPE_LINK, prefsrc: a.addr });
  }

  /**
   * inet_select_addr: the source address for traffic leaving `dev` towards `dst`: a primary
   * address of the device in dst's subnet, else its first primary address within `scope`, else
   * any address of the namespace with a scope no narrower than link.
   */
  selectSource(dev: Link | undefined, dst: number, scope = RT_SCOPE_UNIVERSE): number | undefined {
    if (dev) {
      const own = this.addresses(dev).filter((a) => !a.secondary && a.scope <= Math.max(scope, RT_SCOPE_LINK));
      const same = own.find((a) => inSubnet(dst, (a.peer ?? a.addr) & maskOf(a.plen), maskOf(a.plen)));
      if (same) return same.addr;
      const first = own.find((a) => a.scope <= scope || scope >= RT_SCOPE_LINK);
      if (first) return first.addr;
    }
    for (const { a } of this.allAddresses()) if (!a.secondary && a.scope < RT_SCOPE_LINK && (a.scope <= scope || scope >= RT_SCOPE_LINK)) return a.addr;
    return undefined;
  }

  // ---- routes ----------------------------------------------------------------------------

  /**
   * RTM_NEWROUTE. `mode`: `add` fails if the key exists (NLM_F_EXCL), `replace` overwrites or
   * creates, `change` needs it to exist, `append` adds a second route with the same key.
   */
  addRoute(spec: RouteSpec, mode: 'add' | 'replace' | 'change' | 'append' = 'add'): Route {
    this.checkNexthop(spec);
    const existing = this.fib.find(spec);
    if (existing && mode === 'add') throw new KernelError('EEXIST');
    if (!existing && mode === 'change') throw new KernelError('ENOENT');
    if (existing && (mode === 'replace' || mode === 'change')) this.fib.remove(existing);
    return this.fib.add(spec);
  }

  /** fib_check_nh: a gateway must be reachable on-link (or the route says `onlink`); the device must be up for onlink. */
  private checkNexthop(spec: RouteSpec): void {
    if (spec.type !== 'unicast') return;
    if (spec.gateway === undefined) {
      if (!spec.dev) throw new KernelError('EINVAL', 'Nexthop device required for onlink');
      return;
    }
    if (spec.onlink) {
      if (!spec.dev) throw new KernelError('EINVAL', 'Nexthop device required for onlink');
      if (!spec.dev.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up');
      return;
    }
    if (this.isLocal(spec.gateway)) throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
    // The gateway must be on a directly connected network (a route without a gateway of its own).
    const via = this.fib.lookup(spec.gateway, { oif: spec.dev });
    if (!via || via.route.type !== 'unicast' || via.route.gateway !== undefined || (spec.dev && via.route.dev !== spec.dev))
      throw new KernelError('ENETUNREACH', 'Nexthop has invalid gateway');
  }

  delRoute(match: Partial<RouteSpec> & { dst: number; plen: number; table: number }): Route {
    const dst = (match.dst & maskOf(match.plen)) >>> 0;
    const r = this.fib
      .table(match.table)
      .find(
        (x) =>
          x.dst === dst &&
          x.plen === match.plen &&
          (match.tos === undefined || x.tos === match.tos) &&
          (match.metric === undefined || x.metric === match.metric) &&
          (match.dev === undefined || x.dev === match.dev) &&
          (match.gateway === undefined || x.gateway === match.gateway) &&
          (match.type === undefined || x.type === match.type) &&
          (match.protocol === undefined || x.protocol === match.protocol) &&
          (match.scope === undefined || x.scope === match.scope),
      );
    if (!r) throw new KernelError('ESRCH');
    this.fib.remove(r);
    return r;
  }
}
