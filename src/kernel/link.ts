/**
 * Network devices: one Link type for every kind (loopback, veth, bridge, dummy, vxlan, ipip,
 * macvlan), with the kind's own settings in `info`. What a device *does* with a frame lives in
 * stack/; here is what `ip link` shows: index, name, flags, MTU, MAC, master, carrier and
 * operational state (as the kernel's linkwatch leaves them), counters.
 */
import type { Mac } from './mac.ts';
import type { NetNs } from './netns.ts';

export type LinkKind = 'loopback' | 'veth' | 'bridge' | 'dummy' | 'vxlan' | 'ipip' | 'macvlan';

/** RFC 2863 operational states as `ip link` names them (those podlab's devices reach). */
export type Oper = 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN';

/** CPUs the simulated machine has: a veth gets one queue per possible CPU (veth_get_num_queues). */
export const POSSIBLE_CPUS = 2;

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
  /** Added by hand (`bridge fdb add ... master`), so it stays when the ports' own addresses are recomputed. */
  user?: boolean;
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
  /**
   * Whether the bridge ever ran its port state selection (a port came or went, or its MAC was
   * set, which changes the bridge id). Until then it keeps the carrier it was created with and
   * its operational state stays UNKNOWN; afterwards both follow its ports (no port, no carrier).
   */
  hadPorts?: boolean;
  /** A port came or went: the bridge's TSO limit is then its ports' smallest (br_set_gso_limits). */
  gsoFromPorts?: boolean;
  /** The MTU was set by hand, so it no longer follows the smallest port MTU. */
  mtuSet?: boolean;
  /** When the bridge was last brought up: its fdb garbage collection runs 0.1 s later, then every ageing time. */
  upSince?: number;
  /** When the ageing time was last set: that runs the garbage collection at once, up or not. */
  gcSince?: number;
}

/** Settings of a device enslaved to a bridge (`bridge link`, `ip -d link` brport part). */
export interface BridgePort {
  hairpin: boolean;
  learning: boolean;
  flood: boolean;
  state: 'disabled' | 'listening' | 'learning' | 'forwarding' | 'blocking';
  cost: number;
  priority: number;
  /** The port number the bridge gave it (first free from 1). */
  portNo?: number;
  /** When the port went forwarding: the forward delay timer runs from then even without STP. */
  forwardingSince?: number;
  mcastFlood?: boolean;
  bcastFlood?: boolean;
  neighSuppress?: boolean;
  isolated?: boolean;
  proxyArp?: boolean;
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
  /** `ttl inherit`: the inner packet's TTL instead of `ttl`. */
  ttlInherit?: boolean;
  /** Outer TOS; 1 means inherit the inner one. */
  tos?: number;
  df?: 'unset' | 'set' | 'inherit';
  /** The namespace it was created in, where its UDP socket lives (its link-netns once moved). */
  linkNs?: NetNs;
  /** Source port range (`srcport MIN MAX`); 0 0 lets the kernel pick from the local port range. */
  srcport?: [number, number];
  /** `ageing` in seconds (300 by default). */
  ageing?: number;
  fdb: VxlanFdbEntry[];
}

export interface IpipInfo {
  local: number;
  remote: number;
  ttl: number;
  dev?: number;
  /** Path MTU discovery (DF on the outer header): on unless `nopmtudisc`; off on tunl0. */
  pmtudisc: boolean;
  /** The namespace's fallback device (tunl0), made when the module loads: it cannot be deleted or moved. */
  fallback?: boolean;
}

export interface MacvlanInfo {
  mode: 'bridge' | 'private' | 'vepa' | 'passthru' | 'source';
}

export interface LinkInit {
  name: string;
  kind: LinkKind;
  mac: Mac;
  mtu?: number;
  txqlen?: number;
  queues?: [number | undefined, number | undefined];
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
  /** IFF_MULTICAST (`ip link set X multicast off` clears it). */
  multicast: boolean;
  /** Promiscuous/allmulti mode asked for by the user (IFF_PROMISC/IFF_ALLMULTI in dev->gflags). */
  promisc = 0;
  allmulti = 0;
  txqlen: number;
  /** Transmit and receive queues: a veth gets one per possible CPU, the rest one. */
  numTxQueues: number;
  numRxQueues: number;
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
  /** `NO-CARRIER` when false; overrides what the kind would report (`ip link set X carrier off`). */
  carrierOverride?: boolean;
  /** Carrier transitions since registration (IFLA_CARRIER_CHANGES, `ip -s -s link` "transns"). */
  carrierChanges = 0;
  /** The carrier bit as the link watch last processed it (on when a device is allocated). */
  lastCarrier = true;
  /** dev->operstate as the link watch last set it (IF_OPER_UNKNOWN until its first carrier event). */
  operRaw: Oper = 'UNKNOWN';
  /** The stored carrier bit of a bridge (its port state selection) or macvlan (its lower device's). */
  carrierBit?: boolean;

  constructor(ns: NetNs, ifindex: number, init: LinkInit) {
    this.ns = ns;
    this.ifindex = ifindex;
    this.name = init.name;
    this.kind = init.kind;
    this.mac = init.mac;
    this.brd = init.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
    this.mtu = init.mtu ?? defaultMtu(init.kind);
    // dummy_setup: NOARP and no MULTICAST on top of ether_setup.
    this.noarp = init.kind === 'loopback' || init.kind === 'ipip' || init.kind === 'dummy';
    this.multicast = init.kind !== 'loopback' && init.kind !== 'ipip' && init.kind !== 'dummy';
    // Every kind here gets the default tx_queue_len of 1000 (DEFAULT_TX_QUEUE_LEN).
    this.txqlen = init.txqlen ?? 1000;
    const queues = init.kind === 'veth' ? POSSIBLE_CPUS : 1;
    this.numTxQueues = init.queues?.[0] ?? queues;
    this.numRxQueues = init.queues?.[1] ?? queues;
  }

  /**
   * The carrier bit (__LINK_STATE_NOCARRIER cleared), up or not. A veth has it when both ends
   * are up (veth_open/veth_close set both); a bridge and a macvlan keep what their port state
   * selection or lower device last gave them (`carrierBit`); the rest always have it.
   */
  get rawCarrier(): boolean {
    if (this.carrierOverride !== undefined) return this.carrierOverride;
    switch (this.kind) {
      case 'veth':
        return this.adminUp && !!this.peer?.adminUp;
      case 'macvlan':
      case 'bridge':
        return this.carrierBit ?? true;
      default:
        return true;
    }
  }

  /** netif_carrier_ok while up (IFF_LOWER_UP); a down device reports none. */
  get carrier(): boolean {
    return this.adminUp && this.rawCarrier;
  }

  /** A bridge's ports, in ifindex order. */
  ports(): Link[] {
    return [...this.ns.links.values()].filter((l) => l.master === this);
  }

  /** Whether frames can leave and arrive: up with carrier. */
  get running(): boolean {
    return this.adminUp && this.carrier;
  }

  /**
   * dev_get_iflink: the ifindex of the device this one sits on. A veth reports its peer's index
   * (in whatever namespace the peer is), a macvlan its lower device, an ipip tunnel its `dev`
   * (0 for none); everything else itself.
   */
  get iflink(): number {
    switch (this.kind) {
      case 'veth':
        return this.peer?.ifindex ?? 0;
      case 'macvlan':
        return this.lower?.ifindex ?? 0;
      case 'ipip':
        return this.ipip?.dev ?? 0;
      default:
        return this.ifindex;
    }
  }

  /**
   * RFC 2863 operational state, as `ip link` prints after `state`: DOWN while down, else what
   * the kernel's link watch last computed (`operRaw`; see linkwatch.ts). Devices whose carrier
   * never changed since they were registered (lo, vxlan, a fresh bridge) stay UNKNOWN.
   */
  get operstate(): Oper {
    return this.adminUp ? this.operRaw : 'DOWN';
  }

  /**
   * dev->promiscuity: the user's request, one for being a bridge port, and one while macvlans
   * run on it (their MACs go to its unicast list, which a veth cannot filter: __dev_set_rx_mode).
   */
  get promiscuity(): number {
    const macvlans = this.adminUp && [...this.ns.links.values()].some((l) => l.kind === 'macvlan' && l.lower === this && l.adminUp && l.mac !== this.mac);
    return this.promisc + (this.master ? 1 : 0) + (macvlans ? 1 : 0);
  }

  /** dev->allmulti: the user's request plus one for being a bridge port. */
  get allmultiCount(): number {
    return this.allmulti + (this.master ? 1 : 0);
  }

  /** The MTU range the device accepts (dev->min_mtu, dev->max_mtu; 0 means no limit). */
  get mtuRange(): [number, number] {
    switch (this.kind) {
      case 'loopback':
      case 'dummy':
        return [0, 0];
      case 'ipip':
        return [68, 65535 - 20];
      default:
        return [68, 65535];
    }
  }
}

function defaultMtu(kind: LinkKind): number {
  switch (kind) {
    case 'loopback':
      return 65536;
    case 'ipip':
      return 1480;
    default:
      return 1500;
  }
}
