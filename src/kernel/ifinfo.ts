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
 * dev->flags as /sys/class/net/X/flags shows it: a bridge port is promiscuous (the bridge
 * raises the device's promiscuity), RUNNING/LOWER_UP are not part of it.
 */
export function sysfsFlags(link: Link): number {
  let f = baseFlags(link);
  if (link.adminUp) f |= IFF.UP;
  if (link.promisc > 0 || link.master) f |= IFF.PROMISC;
  if (link.allmulti > 0) f |= IFF.ALLMULTI;
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

/** Unicast addresses added to a device's filter with `bridge fdb add MAC dev X` (dev->uc), by device. */
const ucLists = new WeakMap<Link, Mac[]>();

export function ucList(link: Link): Mac[] {
  let l = ucLists.get(link);
  if (!l) ucLists.set(link, (l = []));
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
  if (link.kind === 'loopback' || link.kind === 'ipip') return [];
  const out: Mac[] = ['33:33:00:00:00:01'];
  if (!link.adminUp) return out;
  if (link.kind === 'bridge') out.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
  out.push('01:00:5e:00:00:01');
  if (link.carrier) out.push(solicitedNode(link.mac));
  return out;
}
