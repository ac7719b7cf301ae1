/**
 * The IPv4 forwarding information base: route tables (local 255, main 254, default 253 and any
 * other), the standard rule order local → main → default, and the lookup the packet path uses:
 * longest prefix first, then the lowest metric, `throw` falling through to the next table.
 */
import { inSubnet, maskOf } from './addr.ts';
import type { Link } from './link.ts';

export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;
export const RTPROT_DHCP = 16;

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'anycast' | 'multicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw' | 'nat';

export interface Route {
  table: number;
  type: RouteType;
  dst: number;
  plen: number;
  tos: number;
  /** `metric`/`priority`; 0 when not given. */
  metric: number;
  protocol: number;
  scope: number;
  /** Preferred source (`src`). */
  prefsrc?: number;
  gateway?: number;
  dev?: Link;
  onlink: boolean;
  mtu?: number;
  /** Ordered insertion stamp: among equal routes the older one wins, as in the kernel's lists. */
  seq: number;
}

export interface FibResult {
  route: Route;
  /** Address of the next hop: the gateway, or the destination itself for on-link routes. */
  nexthop: number;
}

export class Fib {
  readonly tables = new Map<number, Route[]>();
  private seq = 0;

  table(id: number): Route[] {
    let t = this.tables.get(id);
    if (!t) this.tables.set(id, (t = []));
    return t;
  }

  /** All routes, tables in numeric order as `ip route show table all` walks them. */
  all(): Route[] {
    return [...this.tables.keys()].sort((a, b) => a - b).flatMap((id) => this.tables.get(id)!);
  }

  /** Finds a route with the same key (table, dst/plen, tos, metric), as NLM_F_EXCL checks it. */
  find(key: Pick<Route, 'table' | 'dst' | 'plen' | 'tos' | 'metric'>): Route | undefined {
    const dst = (key.dst & maskOf(key.plen)) >>> 0;
    return this.table(key.table).find((r) => r.dst === dst && r.plen === key.plen && r.tos === key.tos && r.metric === key.metric);
  }

  add(r: Omit<Route, 'seq'>): Route {
    const route: Route = { ...r, dst: (r.dst & maskOf(r.plen)) >>> 0, seq: this.seq++ };
    const t = this.table(r.table);
    // Keep each table in the order the kernel's trie dumps it: ascending destination, then
    // prefix length, then metric; equal keys in insertion order.
    let i = t.length;
    while (i > 0 && compareRoutes(t[i - 1], route) > 0) i--;
    t.splice(i, 0, route);
    return route;
  }

  remove(r: Route): void {
    const t = this.table(r.table);
    const i = t.indexOf(r);
    if (i >= 0) t.splice(i, 1);
  }

  /** Removes every route using `dev` (device down or deleted); `keep` spares some (local routes on down). */
  flushDev(dev: Link, keep: (r: Route) => boolean = () => false): void {
    for (const [id, t] of this.tables) this.tables.set(id, t.filter((r) => r.dev !== dev || keep(r)));
  }

  /**
   * fib_lookup with the default rules. `oif` restricts to routes leaving through one device
   * (SO_BINDTODEVICE, `ping -I`). Returns the route's type so callers can tell local,
   * broadcast, unreachable, blackhole and prohibit apart.
   */
  lookup(dst: number, opts: { oif?: Link; tables?: number[] } = {}): FibResult | undefined {
    for (const id of opts.tables ?? [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT]) {
      const t = this.tables.get(id);
      if (!t) continue;
      let best: Route | undefined;
      for (const r of t) {
        if (!inSubnet(dst, r.dst, maskOf(r.plen))) continue;
        if (opts.oif && r.dev && r.dev !== opts.oif && r.type !== 'local') continue;
        if (r.dev && !r.dev.adminUp && r.type !== 'local') continue;
        if (!best || r.plen > best.plen || (r.plen === best.plen && r.metric < best.metric)) best = r;
      }
      if (!best) continue;
      if (best.type === 'throw') continue;
      return { route: best, nexthop: best.gateway ?? dst };
    }
    return undefined;
  }
}

function compareRoutes(a: Route, b: Route): number {
  if (a.dst !== b.dst) return a.dst - b.dst;
  if (a.plen !== b.plen) return a.plen - b.plen;
  if (a.tos !== b.tos) return a.tos - b.tos;
  return a.metric - b.metric;
}
