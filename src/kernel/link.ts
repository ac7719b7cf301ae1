/**
 * Network devices: one Link type for every kind (loopback, veth, bridge, dummy, vxlan, ipip,
 * macvlan), with the kind's own settings in `info`. What a device *does* with a frame lives in
 * stack/; here is what `ip link` shows: index, name, flags, MTU, MAC, master, state, counters.
 */
import type { Mac } from './mac.ts';
import type { NetNs } from './netns.ts';

export type LinkKind = 'loopback' | 'veth' | 'bridge' | 'dummy' | 'vxlan' | 'ipip' | 'macvlan';

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  rxErrors: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
  txErrors: number;
  multicast: number;
}

export function zeroStats(): LinkStats {
  return { rxPackets: 0, rxBytes: 0, rxDropped: 0, rxErrors: 0, txPackets: 0, txBytes: 0, txDropped: 0, txErrors: 0, multicast: 0 };
}

/** An entry of a bridge's forwarding database. */
export interface FdbEntry {
  mac: Mac;
  port: Link;
  /** The bridge's own addresses (`permanent` in `bridge fdb`). */
  local: boolean;
  /** Added by `bridge fdb add` (not aged). */
  static: boolean;
  updated: number;
}

export interface BridgeInfo {
  fdb: Map<Mac, FdbEntry>;
  /** In centiseconds, as `ip -d link` prints it (30000 = 300 s). */
  ageingTime: number;
  stp: boolean;
  forwardDelay: number;
  helloTime: number;
  maxAge: number;
  priority: number;
  vlanFiltering: boolean;
  /** The bridge's MAC was set by hand, so it no longer follows its ports. */
  macSet?: boolean;
}

/** Settings of a device enslaved to a bridge (`bridge link`, `ip -d link` brport part). */
export interface BridgePort {
  hairpin: boolean;
  learning: boolean;
  flood: boolean;
  state: 'disabled' | 'listening' | 'learning' | 'forwarding' | 'blocking';
  cost: number;
  priority: number;
}

export interface VxlanFdbEntry {
  mac: Mac;
  dst: number;
  permanent: boolean;
}

export interface VxlanInfo {
  vni: number;
  dstport: number;
  local?: number;
  /** Unicast default remote or multicast group. */
  remote?: number;
  /** The underlay device's ifindex. */
  dev?: number;
  learning: boolean;
  ttl: number;
  fdb: VxlanFdbEntry[];
}

export interface IpipInfo {
  local: number;
  remote: number;
  ttl: number;
  dev?: number;
}

export interface MacvlanInfo {
  mode: 'bridge' | 'private' | 'vepa' | 'passthru' | 'source';
}

export interface LinkInit {
  name: string;
  kind: LinkKind;
  mac: Mac;
  mtu?: number;
}

export class Link {
  ns: NetNs;
  ifindex: number;
  name: string;
  readonly kind: LinkKind;
  mtu: number;
  mac: Mac;
  brd: Mac;
  /** IFF_UP: set with `ip link set up`. */
  adminUp = false;
  noarp: boolean;
  promisc = 0;
  allmulti = 0;
  txqlen: number;
  group = 0;
  /** Once a device has been up it keeps its default qdisc (noqueue for virtual devices). */
  qdisc = 'noop';
  alias?: string;
  /** The bridge this device is a port of. */
  master?: Link;
  port?: BridgePort;
  stats: LinkStats = zeroStats();
  /** veth: the other end (possibly in another namespace). */
  peer?: Link;
  /** The parent device of a macvlan / the underlay of a tunnel (`@eth0`). */
  lower?: Link;
  bridge?: BridgeInfo;
  vxlan?: VxlanInfo;
  ipip?: IpipInfo;
  macvlan?: MacvlanInfo;
  /** `NO-CARRIER` when false; dummy/vxlan/lo report carrier whenever up. */
  carrierOverride?: boolean;

  constructor(ns: NetNs, ifindex: number, init: LinkInit) {
    this.ns = ns;
    this.ifindex = ifindex;
    this.name = init.name;
    this.kind = init.kind;
    this.mac = init.mac;
    this.brd = init.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
    this.mtu = init.mtu ?? defaultMtu(init.kind);
    this.noarp = init.kind === 'loopback' || init.kind === 'ipip';
    this.txqlen = init.kind === 'veth' || init.kind === 'vxlan' || init.kind === 'macvlan' ? 1000 : init.kind === 'ipip' ? 1000 : 1000;
  }

  /** Whether the device has carrier (IFF_LOWER_UP) while administratively up. */
  get carrier(): boolean {
    if (!this.adminUp) return false;
    if (this.carrierOverride !== undefined) return this.carrierOverride;
    switch (this.kind) {
      case 'veth':
        return !!this.peer?.adminUp;
      case 'macvlan':
        return !!this.lower?.carrier;
      case 'bridge': {
        // A bridge without ports has carrier; with ports it has carrier when one of them runs.
        const ports = this.ports();
        return ports.length === 0 || ports.some((p) => p.running);
      }
      default:
        return true;
    }
  }

  /** A bridge's ports, in ifindex order. */
  ports(): Link[] {
    return [...this.ns.links.values()].filter((l) => l.master === this);
  }

  /** Whether frames can leave and arrive: up with carrier. */
  get running(): boolean {
    return this.adminUp && this.carrier;
  }

  /** RFC 2863 operational state, as `ip link` prints after `state`. */
  get operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    if (!this.adminUp) return 'DOWN';
    switch (this.kind) {
      case 'loopback':
      case 'dummy':
      case 'vxlan':
      case 'ipip':
        return 'UNKNOWN';
      case 'bridge':
        // Without ports this kernel reports UNKNOWN; with ports, whether one of them runs.
        return this.ports().length === 0 ? 'UNKNOWN' : this.carrier ? 'UP' : 'DOWN';
      default:
        return this.carrier ? 'UP' : 'LOWERLAYERDOWN';
    }
  }
}

function defaultMtu(kind: LinkKind): number {
  switch (kind) {
    case 'loopback':
      return 65536;
    case 'vxlan':
      return 1450;
    case 'ipip':
      return 1480;
    default:
      return 1500;
  }
}
