/**
 * What the kernel derives about a device from its Link state, for the tools that print it
 * (bridge, brctl, ethtool, /sys/class/net): the IFF_* flags in their two forms (dev->flags and
 * what netlink reports), iflink, and the hardware address lists (dev->uc, dev->mc) that
 * `bridge fdb show` dumps as `self permanent` entries.
 */
import type { Link } from './link.ts';
import type { Mac } from './mac.ts';

export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
  ECHO: 0x40000,
} as const;

/** The flags a device type starts with (ether_setup, loopback_setup, ipip's tunnel setup). */
function baseFlags(link: Link): number {
  switch (link.kind) {
    case 'loopback':
      return IFF.LOOPBACK;
    case 'ipip':
      return IFF.POINTOPOINT | IFF.NOARP;
    default:
      return IFF.BROADCAST | IFF.MULTICAST | (link.noarp ? IFF.NOARP : 0);
  }
}

/**
 * dev->flags as /sys/class/net/X/flags shows it: a bridge port is promiscuous and all-multicast
 * (the bridge raises both counts on its ports), and RUNNING/LOWER_UP are not part of it.
 */
export function sysfsFlags(link: Link): number {
  let f = baseFlags(link);
  if (link.adminUp) f |= IFF.UP;
  if (link.promisc > 0 || link.master) f |= IFF.PROMISC;
  if (link.allmulti > 0 || link.master) f |= IFF.ALLMULTI;
  return f;
}

/**
 * dev_get_flags: what RTM_NEWLINK carries (`<BROADCAST,MULTICAST,UP,LOWER_UP>`). PROMISC and
 * ALLMULTI appear only when set by the user, RUNNING when operationally up, LOWER_UP with
 * carrier; both only while the device is up.
 */
export function netlinkFlags(link: Link): number {
  let f = baseFlags(link);
  if (link.promisc > 0) f |= IFF.PROMISC;
  if (link.allmulti > 0) f |= IFF.ALLMULTI;
  if (link.adminUp) {
    f |= IFF.UP;
    const op = link.operstate;
    if (op === 'UP' || op === 'UNKNOWN') f |= IFF.RUNNING;
    if (link.carrier) f |= IFF.LOWER_UP;
  }
  return f;
}

/**
 * dev_get_iflink: the ifindex of the device this one sits on. A veth reports its peer's index
 * (in whatever namespace the peer is), a macvlan its lower device, an ipip tunnel its `dev` (0
 * for none); everything else itself.
 */
export function iflink(link: Link): number {
  switch (link.kind) {
    case 'veth':
      return link.peer?.ifindex ?? 0;
    case 'macvlan':
      return link.lower?.ifindex ?? 0;
    case 'ipip':
      return link.ipip?.dev ?? 0;
    default:
      return link.ifindex;
  }
}

/**
 * Addresses added by hand to a device's filters (`bridge fdb add MAC dev X` on a device without
 * an fdb of its own): unicast ones to dev->uc, multicast ones to the end of dev->mc.
 */
export interface UserAddrs {
  uc: Mac[];
  mc: Mac[];
}

const userAddrs = new WeakMap<Link, UserAddrs>();

export function userAddrLists(link: Link): UserAddrs {
  let l = userAddrs.get(link);
  if (!l) userAddrs.set(link, (l = { uc: [], mc: [] }));
  return l;
}

/** The lower 24 bits of a MAC, as the IPv6 solicited-node group of its EUI-64 link-local address uses them. */
function solicitedNode(mac: Mac): Mac {
  return `33:33:ff:${mac.slice(9)}`;
}

/**
 * dev->mc, in the order the kernel adds the groups: IPv6 all-nodes when the device registers
 * (ipv6_add_dev), then on NETDEV_UP the bridge's multicast-router-discovery groups
 * (br_multicast_open), IPv4 all-hosts (ip_mc_up), and once the device has carrier the
 * solicited-node group of its link-local address (addrconf). Non-Ethernet devices (loopback,
 * tunnels) map no groups. Leaving happens in reverse on NETDEV_DOWN, so the order is always this.
 */
export function mcList(link: Link): Mac[] {
  const user = userAddrLists(link).mc;
  if (link.kind === 'loopback' || link.kind === 'ipip') return [...user];
  const out: Mac[] = ['33:33:00:00:00:01'];
  if (link.adminUp) {
    if (link.kind === 'bridge') out.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
    out.push('01:00:5e:00:00:01');
    if (link.carrier) out.push(solicitedNode(link.mac));
  }
  return [...out, ...user];
}

/**
 * The bridge id (`8000.0a0000000001`): priority and MAC in hex. Its MAC half follows the
 * bridge's address once a port has joined or the address was set by hand; a bridge that never
 * had either keeps the all-zero id it was created with, whatever random address it got.
 */
export function bridgeId(br: Link): string {
  const info = br.bridge!;
  const mac = info.macSet || info.hadPorts ? br.mac : '00:00:00:00:00:00';
  return `${info.priority.toString(16).padStart(4, '0')}.${mac.replaceAll(':', '')}`;
}

/** A port's number on its bridge (first free from 1 when it joined). */
export function portNo(port: Link): number {
  return port.port?.portNo ?? port.master!.ports().indexOf(port) + 1;
}

/** The STP port id: priority in the top bits, the port number in the low ten. */
export function portId(port: Link): number {
  return (port.port!.priority << 10) | portNo(port);
}

/**
 * The STP state a port reports. With STP off a port forwards while both it and its bridge run
 * and is `disabled` otherwise (br_port_carrier_check, br_stp_disable_bridge), whatever state
 * was last stored.
 */
export function portState(port: Link): NonNullable<Link['port']>['state'] {
  if (!port.running || !port.master?.adminUp) return 'disabled';
  return port.port!.state === 'disabled' ? 'forwarding' : port.port!.state;
}
