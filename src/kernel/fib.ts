/**
 * The IPv4 forwarding information base: route tables (local 255, main 254, default 253 and any
 * other), created by their first route as the kernel creates them, kept in the order the
 * kernel's trie dumps them, with RTM_NEWROUTE's insertion rules (add/replace/prepend/append) and
 * the lookup the packet path uses: longest prefix first, then the first usable route of that
 * prefix, `throw` falling through to the next table of the default rules local → main → default.
 */
import { inSubnet, maskOf } from './addr.ts';
import { KernelError } from './errno.ts';
import type { Link } from './link.ts';

export const RT_TABLE_UNSPEC = 0;
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

/** RTN_* numbers, as netlink carries a route's type. */
export const RTN: Record<RouteType, number> = {
  unicast: 1,
  local: 2,
  broadcast: 3,
  anycast: 4,
  multicast: 5,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
  throw: 9,
  nat: 10,
};

/** fib_props: the narrowest scope a type allows and the error a lookup hitting it returns. */
export const FIB_PROPS: Record<RouteType, { scope: number; error?: 'EINVAL' | 'EHOSTUNREACH' | 'EACCES' | 'EAGAIN' }> = {
  unicast: { scope: RT_SCOPE_UNIVERSE },
  local: { scope: RT_SCOPE_HOST },
  broadcast: { scope: RT_SCOPE_LINK },
  anycast: { scope: RT_SCOPE_LINK },
  multicast: { scope: RT_SCOPE_UNIVERSE },
  blackhole: { scope: RT_SCOPE_UNIVERSE, error: 'EINVAL' },
  unreachable: { scope: RT_SCOPE_UNIVERSE, error: 'EHOSTUNREACH' },
  prohibit: { scope: RT_SCOPE_UNIVERSE, error: 'EACCES' },
  throw: { scope: RT_SCOPE_UNIVERSE, error: 'EAGAIN' },
  nat: { scope: RT_SCOPE_HOST, error: 'EINVAL' },
};

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

/** How RTM_NEWROUTE's flags place a route among those with the same key. */
export type InsertMode = 'add' | 'replace' | 'change' | 'append' | 'prepend';

/** Same key (NLM_F_EXCL's notion of a duplicate): table, prefix, tos and metric. */
function sameKey(a: Pick<Route, 'table' | 'dst' | 'plen' | 'tos' | 'metric'>, b: Pick<Route, 'table' | 'dst' | 'plen' | 'tos' | 'metric'>): boolean {
  return a.table === b.table && a.dst === b.dst && a.plen === b.plen && a.tos === b.tos && a.metric === b.metric;
}

/** The kernel shares one fib_info between identical routes; a second identical one is a duplicate. */
function sameInfo(a: Omit<Route, 'seq'>, b: Omit<Route, 'seq'>): boolean {
  return (
    a.type === b.type &&
    a.protocol === b.protocol &&
    a.scope === b.scope &&
    a.prefsrc === b.prefsrc &&
    a.gateway === b.gateway &&
    a.dev === b.dev &&
    a.onlink === b.onlink &&
    a.mtu === b.mtu
  );
}

/**
 * The trie's dump order: ascending key; for one key the longer prefix first (aliases sorted by
 * suffix length), then higher TOS, then lower metric.
 */
function compareRoutes(a: Pick<Route, 'dst' | 'plen' | 'tos' | 'metric'>, b: Pick<Route, 'dst' | 'plen' | 'tos' | 'metric'>): number {
  if (a.dst !== b.dst) return a.dst - b.dst;
  if (a.plen !== b.plen) return b.plen - a.plen;
  if (a.tos !== b.tos) return b.tos - a.tos;
  return a.metric - b.metric;
}

export class Fib {
  readonly tables = new Map<number, Route[]>();
  /** Creation order of the tables, for the dump order within a hash bucket (newest first). */
  private created = new Map<number, number>();
  private seq = 0;
  private tableSeq = 0;

  /** A table's routes (an empty list when the table does not exist yet; not created by asking). */
  table(id: number): Route[] {
    return this.tables.get(id) ?? [];
  }

  hasTable(id: number): boolean {
    return this.tables.has(id);
  }

  /** fib_new_table: tables come into existence with their first route and then stay. */
  ensureTable(id: number): Route[] {
    let t = this.tables.get(id);
    if (!t) {
      this.tables.set(id, (t = []));
      this.created.set(id, this.tableSeq++);
    }
    return t;
  }

  /**
   * Table ids in the order `ip route show table all` walks them: the kernel's 256-bucket hash
   * by `id & 255`, each bucket newest first.
   */
  tableOrder(): number[] {
    return [...this.tables.keys()].sort((a, b) => (a & 255) - (b & 255) || this.created.get(b)! - this.created.get(a)!);
  }

  /** All routes, tables in dump order. */
  all(): Route[] {
    return this.tableOrder().flatMap((id) => this.tables.get(id)!);
  }

  /** The first route with the same key (table, dst/plen, tos, metric), as NLM_F_EXCL checks it. */
  find(key: Pick<Route, 'table' | 'dst' | 'plen' | 'tos' | 'metric'>): Route | undefined {
    const k = { ...key, dst: (key.dst & maskOf(key.plen)) >>> 0 };
    return this.table(key.table).find((r) => sameKey(r, k));
  }

  /** Adds a route after the ones that sort before it (kernel-made routes and plain appends). */
  add(r: Omit<Route, 'seq'>): Route {
    return this.insert(r, 'append');
  }

  /**
   * fib_table_insert. Among routes with the same key: `add` fails (EEXIST), `replace`/`change`
   * replace the first one (a no-op when it is identical), `prepend` goes before them and
   * `append` after them, both failing on an identical route; `change` needs the key to exist.
   */
  insert(spec: Omit<Route, 'seq'>, mode: InsertMode): Route {
    const r: Route = { ...spec, dst: (spec.dst & maskOf(spec.plen)) >>> 0, seq: this.seq++ };
    const existing = this.table(r.table);
    const group = existing.filter((x) => sameKey(x, r));
    if (group.length) {
      if (mode === 'add') throw new KernelError('EEXIST');
      const match = group.find((x) => sameInfo(x, r));
      if (mode === 'replace' || mode === 'change') {
        if (match && match === group[0]) return match;
        existing.splice(existing.indexOf(group[0]), 1, r);
        return r;
      }
      if (match) throw new KernelError('EEXIST');
      const at = mode === 'append' ? existing.indexOf(group[group.length - 1]) + 1 : existing.indexOf(group[0]);
      existing.splice(at, 0, r);
      return r;
    }
    if (mode === 'change') throw new KernelError('ENOENT');
    const t = this.ensureTable(r.table);
    let i = t.length;
    while (i > 0 && compareRoutes(t[i - 1], r) > 0) i--;
    t.splice(i, 0, r);
    return r;
  }

  /**
   * fib_table_delete's search: the first route of the prefix (same TOS) matching every field
   * given. A metric of 0, a scope of RT_SCOPE_NOWHERE and a protocol of 0 match anything.
   */
  match(m: Partial<Omit<Route, 'seq'>> & Pick<Route, 'table' | 'dst' | 'plen'>): Route | undefined {
    const dst = (m.dst & maskOf(m.plen)) >>> 0;
    const tos = m.tos ?? 0;
    return this.table(m.table).find(
      (r) =>
        r.dst === dst &&
        r.plen === m.plen &&
        r.tos === tos &&
        (!m.metric || r.metric === m.metric) &&
        (m.type === undefined || r.type === m.type) &&
        (m.scope === undefined || m.scope === RT_SCOPE_NOWHERE || r.scope === m.scope) &&
        (m.prefsrc === undefined || r.prefsrc === m.prefsrc) &&
        (!m.protocol || r.protocol === m.protocol) &&
        (m.dev === undefined || r.dev === m.dev) &&
        (m.gateway === undefined || r.gateway === m.gateway),
    );
  }

  remove(r: Route): void {
    const t = this.tables.get(r.table);
    const i = t ? t.indexOf(r) : -1;
    if (i >= 0) t!.splice(i, 1);
  }

  /** Removes every route using `dev` (device down or deleted); `keep` spares some (local routes on down). */
  flushDev(dev: Link, keep: (r: Route) => boolean = () => false): void {
    for (const [id, t] of this.tables) this.tables.set(id, t.filter((r) => r.dev !== dev || keep(r)));
  }

  /**
   * fib_lookup with the default rules (local, main, default). `oif` restricts to routes leaving
   * through one device (SO_BINDTODEVICE, `ping -I`), `scope` to routes at least that narrow
   * (fib_check_nh asks for link scope). Routes whose type is an error (blackhole, unreachable,
   * prohibit) are returned so callers can tell them apart; `throw` falls through to the next table.
   */
  lookup(dst: number, opts: { oif?: Link; tables?: number[]; scope?: number } = {}): FibResult | undefined {
    // With only the default rules the kernel keeps local and main in one trie (fib_trie "merged
    // tables"), so the longest prefix wins across both; at equal prefixes local's aliases come first.
    const merged: Route[][] = opts.tables
      ? opts.tables.map((id) => this.tables.get(id) ?? [])
      : [[...(this.tables.get(RT_TABLE_LOCAL) ?? []), ...(this.tables.get(RT_TABLE_MAIN) ?? [])], this.tables.get(RT_TABLE_DEFAULT) ?? []];
    for (const t of merged) {
      const r = this.lookupTable(t, dst, opts);
      if (!r) continue;
      if (r.type === 'throw') continue;
      return { route: r, nexthop: r.gateway ?? dst };
    }
    return undefined;
  }

  /** fib_table_lookup: the longest matching prefix that has a usable route, the first such route. */
  private lookupTable(t: Route[], dst: number, opts: { oif?: Link; scope?: number }): Route | undefined {
    let best: Route | undefined;
    for (const r of t) {
      if (!inSubnet(dst, r.dst, maskOf(r.plen))) continue;
      if (best && best.plen >= r.plen) continue;
      if (opts.scope !== undefined && r.scope < opts.scope) continue;
      if (!FIB_PROPS[r.type].error) {
        // A local route answers whatever device the caller is bound to (the address is the host's).
        if (opts.oif && r.dev !== opts.oif && r.type !== 'local') continue;
        if (r.dev && !r.dev.adminUp && r.type !== 'local') continue;
      }
      best = r;
    }
    return best;
  }
}
