/**
 * The IPv6 configuration addrconf gives devices, which `ip addr` and `ip route show table all`
 * show even though podlab forwards no IPv6: `::1` on lo once it is up, and on every other
 * device, once it is up and operational, an EUI-64 link-local address with its fe80::/64 route,
 * its local route and the ff00::/8 multicast route. Addresses stay through a loss of carrier
 * (their routes then show `linkdown`) and go when the device goes down.
 */
import { KernelError } from './errno.ts';
import type { Link } from './link.ts';
import type { Mac } from './mac.ts';

/** RT_SCOPE_HOST / RT_SCOPE_LINK as IPv6 addresses carry them. */
export const SCOPE6_HOST = 254;
export const SCOPE6_LINK = 253;

export interface Addr6 {
  /** 16 bytes. */
  addr: Uint8Array;
  plen: number;
  scope: number;
}

export interface Route6 {
  table: 254 | 255;
  type: 'unicast' | 'local' | 'multicast';
  dst: Uint8Array;
  plen: number;
  dev: Link;
  metric: number;
  seq: number;
}

const IPV6_MIN_MTU = 1280;

/** The EUI-64 link-local address of a MAC (addrconf_ifid_eui48): U/L bit flipped, ff:fe inserted. */
export function linkLocalOf(mac: Mac): Uint8Array {
  const m = mac.split(':').map((x) => parseInt(x, 16));
  return Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]]);
}

/** inet_ntop(AF_INET6): lowercase hex groups, the first longest run of two or more zero groups as `::`. */
export function formatIPv6(a: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((a[i] << 8) | a[i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

const LOOPBACK6 = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
const LINKLOCAL_NET = Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const MULTICAST_NET = Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

const same = (x: Uint8Array, y: Uint8Array): boolean => x.every((b, k) => b === y[k]);

/** The first `plen` bits of an address, the rest zero. */
function prefixOf(addr: Uint8Array, plen: number): Uint8Array {
  return Uint8Array.from(addr, (b, i) => (i * 8 >= plen ? 0 : i * 8 + 8 <= plen ? b : b & (0xff << (8 - (plen - i * 8)))));
}

function bit(a: Uint8Array, i: number): number {
  return (a[i >> 3] >> (7 - (i & 7))) & 1;
}

/**
 * fib6's dump order: the radix tree walked left before right and a node after its subtree, so
 * addresses ascend and a prefix follows the more specific prefixes inside it; routes of one
 * prefix by metric, then in insertion order.
 */
export function compareRoute6(a: Route6, b: Route6): number {
  const n = Math.min(a.plen, b.plen);
  for (let i = 0; i < n; i++) {
    const d = bit(a.dst, i) - bit(b.dst, i);
    if (d) return d;
  }
  if (a.plen !== b.plen) return b.plen - a.plen;
  return a.metric - b.metric || a.seq - b.seq;
}

export class Inet6 {
  readonly addrs = new Map<Link, Addr6[]>();
  readonly routes: Route6[] = [];
  /** Devices addrconf has configured since they last came up (IF_READY). */
  private readonly configured = new Set<Link>();
  private seq = 0;

  addresses(link: Link): Addr6[] {
    return this.addrs.get(link) ?? [];
  }

  /** Routes of a table in dump order. */
  table(id: 254 | 255): Route6[] {
    return this.routes.filter((r) => r.table === id).sort(compareRoute6);
  }

  private addRoute(r: Omit<Route6, 'seq'>): void {
    this.routes.push({ ...r, seq: this.seq++ });
  }

  /**
   * ipv6_link_dev_addr: the device's list is kept by scope, widest first; a new address goes
   * before the first one whose scope is not wider than its own.
   */
  private addAddr(link: Link, a: Addr6): void {
    const list = this.addrs.get(link) ?? [];
    const rank = (x: Addr6): number => (x.scope === SCOPE6_HOST ? 1 : x.scope === SCOPE6_LINK ? 2 : 14);
    const i = list.findIndex((x) => rank(a) >= rank(x));
    list.splice(i < 0 ? list.length : i, 0, a);
    this.addrs.set(link, list);
    this.addRoute({ table: 255, type: 'local', dst: a.addr, plen: 128, dev: link, metric: 0 });
  }

  /** init_loopback: `::1/128 scope host` and its local route. */
  loopbackUp(lo: Link): void {
    if (this.addresses(lo).length || lo.mtu < IPV6_MIN_MTU) return;
    this.addAddr(lo, { addr: LOOPBACK6, plen: 128, scope: SCOPE6_HOST });
    this.configured.add(lo);
  }

  /** addrconf_dev_config once a device is ready: ff00::/8, fe80::/64 and the link-local address. */
  private configure(link: Link): void {
    this.configured.add(link);
    if (link.multicast) this.addRoute({ table: 255, type: 'multicast', dst: MULTICAST_NET, plen: 8, dev: link, metric: 256 });
    this.addRoute({ table: 254, type: 'unicast', dst: LINKLOCAL_NET, plen: 64, dev: link, metric: 256 });
    this.addAddr(link, { addr: linkLocalOf(link.mac), plen: 64, scope: SCOPE6_LINK });
  }

  /** addrconf_ifdown: a device going down (or away) loses its addresses and routes. */
  flushDev(link: Link): void {
    this.configured.delete(link);
    this.addrs.delete(link);
    for (let i = this.routes.length - 1; i >= 0; i--) if (this.routes[i].dev === link) this.routes.splice(i, 1);
  }

  /**
   * `ip addr add ADDR/LEN dev X`: a permanent address (link scope in fe80::/10, else global) with
   * its local route and, unless /128 or noprefixroute, its prefix route. `replace` tolerates it
   * being there already.
   */
  addManual(link: Link, addr: Uint8Array, plen: number, noprefixroute: boolean, replace: boolean): void {
    if (this.addresses(link).some((a) => same(a.addr, addr))) {
      if (replace) return;
      throw new KernelError('EEXIST', 'ipv6: address already assigned');
    }
    const linkLocal = addr[0] === 0xfe && (addr[1] & 0xc0) === 0x80;
    this.addAddr(link, { addr, plen, scope: linkLocal ? SCOPE6_LINK : 0 });
    if (plen < 128 && !noprefixroute) {
      const dst = prefixOf(addr, plen);
      if (!this.routes.some((r) => r.dev === link && r.table === 254 && r.plen === plen && same(r.dst, dst)))
        this.addRoute({ table: 254, type: 'unicast', dst, plen, dev: link, metric: 256 });
    }
  }

  /**
   * `ip addr del ADDR/LEN dev X`: the address and its local route go, and its prefix route
   * unless another address of the device still has that prefix (cleanup_prefix_route).
   */
  delAddr(link: Link, addr: Uint8Array): boolean {
    const list = this.addresses(link);
    const i = list.findIndex((a) => same(a.addr, addr));
    if (i < 0) return false;
    const [a] = list.splice(i, 1);
    const prefix = prefixOf(a.addr, a.plen);
    const shared = list.some((x) => x.plen === a.plen && same(prefixOf(x.addr, x.plen), prefix));
    for (let k = this.routes.length - 1; k >= 0; k--) {
      const r = this.routes[k];
      if (r.dev !== link) continue;
      if ((r.type === 'local' && same(r.dst, a.addr)) || (!shared && r.type === 'unicast' && r.plen === a.plen && same(r.dst, prefix))) this.routes.splice(k, 1);
    }
    return true;
  }

  /** addrconf_link_ready: up, operational (UP or UNKNOWN) and with an IPv6-capable MTU. */
  static ready(link: Link): boolean {
    const op = link.operstate;
    return link.adminUp && (op === 'UP' || op === 'UNKNOWN') && link.mtu >= IPV6_MIN_MTU && link.kind !== 'ipip';
  }

  /** NETDEV_UP / NETDEV_CHANGE for one device: configure it if it just became ready. */
  notify(link: Link): void {
    if (link.kind === 'loopback') return;
    if (!this.configured.has(link) && Inet6.ready(link)) this.configure(link);
  }
}
