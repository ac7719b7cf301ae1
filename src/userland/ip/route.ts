/**
 * `ip route` (iproute.c): show/list and flush with their selectors, add/change/replace/
 * prepend/append/test/delete, and get (the kernel's output route lookup, printed as a cloned
 * route with its `cache` flags). IPv6 routes are the ones addrconf keeps, shown but not added.
 */
import { formatIPv4, inSubnet, maskOf } from '../../kernel/addr.ts';
import { KernelError } from '../../kernel/errno.ts';
import {
  FIB_PROPS,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTPROT_BOOT,
  RTPROT_KERNEL,
  RTN,
  type InsertMode,
  type Route,
  type RouteType,
} from '../../kernel/fib.ts';
import { formatIPv6, type Route6 } from '../../kernel/inet6.ts';
import type { Link } from '../../kernel/link.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  duparg2,
  getAddr,
  getPrefix,
  getUnsigned,
  invarg,
  IpExit,
  matches,
  nodev,
  readFamily,
  stderr,
  type InetPrefix,
} from './args.ts';
import type { IpCtx } from './context.ts';
import { kernelErrorText } from './context.ts';

const RTN_NAMES: RouteType[] = ['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat'];

/** rtnl_rtntype_a2n: type names, abbreviable for most, or a number. */
function typeA2N(arg: string): RouteType | undefined {
  if (arg === 'local') return 'local';
  if (arg === 'nat') return 'nat';
  if (matches(arg, 'broadcast') || arg === 'brd') return 'broadcast';
  if (matches(arg, 'anycast')) return 'anycast';
  if (matches(arg, 'multicast')) return 'multicast';
  if (matches(arg, 'prohibit')) return 'prohibit';
  if (matches(arg, 'unreachable')) return 'unreachable';
  if (matches(arg, 'blackhole')) return 'blackhole';
  if (matches(arg, 'xresolve')) return undefined;
  if (matches(arg, 'unicast')) return 'unicast';
  if (arg === 'throw') return 'throw';
  const n = getUnsigned(arg);
  return n !== undefined && n >= 1 && n <= 10 ? RTN_NAMES[n - 1] : undefined;
}

/** rtnl_rtntype_a2n accepts xresolve and numbers podlab has no type for. */
function typeKnown(arg: string): boolean {
  if (matches(arg, 'xresolve')) return true;
  if (typeA2N(arg)) return true;
  const n = getUnsigned(arg);
  return n !== undefined && n <= 255;
}

function usage(): never {
  stderr(USAGE);
  throw new IpExit(255);
}

/** A route as print_route sees it, IPv4 or IPv6. */
interface RouteView {
  family: number;
  table: number;
  type: RouteType;
  dst?: string;
  dstLen: number;
  hostLen: number;
  tos: number;
  gateway?: string;
  dev?: Link;
  protocol: number;
  scope: number;
  prefsrc?: string;
  metric?: number;
  flags: string[];
  mtu?: number;
  pref?: boolean;
  /** What a flush deletes. */
  v4?: Route;
  v6?: Route6;
}

function linkdown(dev: Link | undefined, type: RouteType): boolean {
  return !!dev && type !== 'local' && dev.adminUp && !dev.carrier;
}

function view4(r: Route): RouteView {
  const flags: string[] = [];
  if (r.onlink) flags.push('onlink');
  if (linkdown(r.dev, r.type)) flags.push('linkdown');
  return {
    family: AF_INET,
    table: r.table,
    type: r.type,
    dst: r.plen ? formatIPv4(r.dst) : undefined,
    dstLen: r.plen,
    hostLen: 32,
    tos: r.tos,
    gateway: r.gateway !== undefined ? formatIPv4(r.gateway) : undefined,
    dev: r.dev,
    protocol: r.protocol,
    scope: r.scope,
    prefsrc: r.prefsrc !== undefined ? formatIPv4(r.prefsrc) : undefined,
    metric: r.metric || undefined,
    flags,
    mtu: r.mtu,
    v4: r,
  };
}

function view6(r: Route6): RouteView {
  return {
    family: AF_INET6,
    table: r.table,
    type: r.type,
    dst: r.plen ? formatIPv6(r.dst) : undefined,
    dstLen: r.plen,
    hostLen: 128,
    tos: 0,
    dev: r.dev,
    protocol: RTPROT_KERNEL,
    scope: RT_SCOPE_UNIVERSE,
    metric: r.metric,
    flags: linkdown(r.dev, r.type) ? ['linkdown'] : [],
    pref: true,
    v6: r,
  };
}

/** The selectors of `ip route show|flush` (iproute_list_flush_or_save's filter). */
interface RouteFilter {
  tb: number;
  protocol?: number;
  scope?: number;
  types?: Set<RouteType>;
  tos?: number;
  oif?: Link;
  iif?: Link;
  metric?: number;
  via?: InetPrefix;
  prefsrc?: InetPrefix;
  rdst?: InetPrefix;
  mdst?: InetPrefix;
  cloned: boolean;
}

function prefixMatch(addrText: string | undefined, family: number, p: InetPrefix, bits: number): boolean {
  if (family === AF_INET) {
    const a = addrText ? ipv4(addrText) : 0;
    return inSubnet(a, p.v4, maskOf(Math.max(0, Math.min(32, bits))));
  }
  return true;
}

function ipv4(text: string): number {
  return text.split('.').reduce((v, p) => v * 256 + Number(p), 0) >>> 0;
}

/** filter_nlmsg */
function passes(f: RouteFilter, family: number, r: RouteView): boolean {
  if (family !== AF_UNSPEC && r.family !== family) return false;
  if (f.tb > 0 && f.tb !== r.table) return false;
  if (f.protocol !== undefined && f.protocol !== r.protocol) return false;
  if (f.scope !== undefined && f.scope !== r.scope) return false;
  if (f.types && !f.types.has(r.type)) return false;
  if (f.tos !== undefined && f.tos !== r.tos) return false;
  if (f.rdst && (f.rdst.family && f.rdst.family !== r.family ? true : f.rdst.bitlen > r.dstLen)) return false;
  if (f.mdst && f.mdst.family && f.mdst.family !== r.family) return false;
  if (f.mdst && f.mdst.bitlen >= 0 && f.mdst.bitlen < r.dstLen) return false;
  if (f.rdst && r.family === AF_INET && !prefixMatch(r.dst, AF_INET, f.rdst, f.rdst.bitlen)) return false;
  if (f.mdst && r.family === AF_INET && !prefixMatch(r.dst, AF_INET, f.mdst, r.dstLen)) return false;
  if (f.via) {
    if (f.via.family !== r.family) return false;
    if (f.via.bitlen > 0 && (!r.gateway || !prefixMatch(r.gateway, r.family, f.via, f.via.bitlen))) return false;
  }
  if (f.prefsrc) {
    if (f.prefsrc.family !== r.family) return false;
    if (f.prefsrc.bitlen > 0 && (!r.prefsrc || !prefixMatch(r.prefsrc, r.family, f.prefsrc, f.prefsrc.bitlen))) return false;
  }
  if (f.iif) return false;
  if (f.oif && r.dev !== f.oif) return false;
  if (f.metric !== undefined && (r.metric ?? 0) !== f.metric) return false;
  return true;
}

/** print_route */
function printRoute(ctx: IpCtx, r: RouteView, f: RouteFilter, extra?: { uid?: number; cache?: string[]; from?: string; cloned?: boolean }): void {
  const out = ctx.out;
  const d = ctx.opts.details;
  out.openObject();
  if (r.type !== 'unicast' || d > 0) {
    const type = ctx.opts.numeric ? String(RTN[r.type]) : r.type;
    out.any('type', `${type} `, type);
  }
  const dst = r.dst === undefined ? (r.dstLen ? `0/${r.dstLen} ` : 'default') : r.dstLen !== r.hostLen ? `${r.dst}/${r.dstLen}` : r.dst;
  out.any('dst', `${dst} `, dst);
  if (extra?.from) out.any('from', `from ${extra.from} `, extra.from);
  if (r.tos && f.tos === undefined) {
    const t = ctx.names.dsfieldN2A(r.tos);
    out.any('tos', `tos ${t} `, t);
  }
  if (r.gateway && !(f.via && f.via.bitlen === r.hostLen)) {
    if (out.isJson) out.json('gateway', r.gateway);
    else out.fp(`via ${r.gateway} `);
  }
  if (r.dev && !f.oif) {
    if (out.isJson) out.json('dev', r.dev.name);
    else out.fp(`dev ${r.dev.name} `);
  }
  if (r.table && (r.table !== RT_TABLE_MAIN || d > 0) && !f.tb) {
    const t = ctx.names.tableN2A(r.table);
    out.any('table', `table ${t} `, t);
  }
  if (!extra?.cloned) {
    if ((r.protocol !== RTPROT_BOOT || d > 0) && f.protocol === undefined) {
      const p = ctx.names.protoN2A(r.protocol);
      out.any('protocol', `proto ${p} `, p);
    }
    if ((r.scope !== RT_SCOPE_UNIVERSE || d > 0) && f.scope === undefined) {
      const s = ctx.names.scopeN2A(r.scope);
      out.any('scope', `scope ${s} `, s);
    }
  }
  if (r.prefsrc && !(f.prefsrc && f.prefsrc.bitlen === r.hostLen)) {
    if (out.isJson) out.json('prefsrc', r.prefsrc);
    else out.fp(`src ${r.prefsrc} `);
  }
  if (r.metric !== undefined && f.metric === undefined) out.any('metric', `metric ${r.metric} `, r.metric);
  out.openArray(out.isJson ? 'flags' : '');
  for (const fl of r.flags) out.any(null, `${fl} `, fl);
  out.closeArray();
  if (extra?.uid !== undefined) out.any('uid', `uid ${extra.uid} `, extra.uid);
  if (extra?.cache) {
    if (out.isJson) {
      out.openArray('cache');
      for (const c of extra.cache) out.any(null, '', c);
      out.closeArray();
    } else {
      out.fp(`${out.sl}    cache `);
      if (extra.cache.length) out.fp(`<${extra.cache.join(',')}> `);
    }
  }
  if (r.mtu !== undefined) {
    out.openArray(out.isJson ? 'metrics' : '');
    out.openObject();
    out.any('mtu', `mtu ${r.mtu} `, r.mtu);
    out.closeObject();
    out.closeArray();
  }
  if (r.pref) out.any('pref', 'pref medium', 'medium');
  out.fp('\n');
  out.closeObject();
}

/** The routes a dump of `family` returns, tables in the kernel's order, IPv4 before IPv6. */
function dump(ctx: IpCtx, family: number, tb: number): RouteView[] | KernelError {
  const ns = ctx.ns;
  const out: RouteView[] = [];
  if (family === AF_UNSPEC || family === AF_INET) {
    if (tb > 0 && !ns.fib.hasTable(tb)) {
      if (!(tb === RT_TABLE_MAIN)) return new KernelError('ENOENT', 'ipv4: FIB table does not exist');
    } else for (const id of ns.fib.tableOrder()) if (!tb || tb === id) out.push(...ns.fib.table(id).map(view4));
  }
  if (family === AF_UNSPEC || family === AF_INET6) {
    if (tb > 0 && tb !== RT_TABLE_MAIN && tb !== RT_TABLE_LOCAL) return new KernelError('ENOENT', 'ipv6: FIB table does not exist');
    for (const id of [RT_TABLE_MAIN, RT_TABLE_LOCAL] as const) if (!tb || tb === id) out.push(...ns.inet6.table(id).map(view6));
  }
  return out;
}

/** iproute_list_flush_or_save */
function listOrFlush(ctx: IpCtx, args: string[], flush: boolean): number {
  let family = ctx.opts.family;
  const f: RouteFilter = { tb: RT_TABLE_MAIN, cloned: false };
  if (flush && !args.length) {
    stderr('"ip route flush" requires arguments.\n');
    return -1;
  }
  let od: string | undefined;
  let id: string | undefined;
  const a = new Args(args);
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'table')) {
      a.next();
      const t = ctx.names.tableA2N(a.cur);
      if (t === undefined) {
        if (a.cur === 'all') f.tb = 0;
        else if (a.cur === 'cache') f.cloned = true;
        else if (a.cur === 'help') usage();
        else invarg('table id value is invalid\n', a.cur);
      } else f.tb = t;
    } else if (matches(w, 'vrf')) {
      a.next();
      invarg('Invalid VRF\n', a.cur);
    } else if (matches(w, 'cached') || matches(w, 'cloned')) {
      f.cloned = true;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      a.next();
      const t = ctx.names.dsfieldA2N(a.cur);
      if (t === undefined) invarg('TOS value is invalid\n', a.cur);
      f.tos = t;
    } else if (matches(w, 'protocol')) {
      a.next();
      const p = ctx.names.protoA2N(a.cur);
      if (p === undefined && a.cur !== 'all') invarg('invalid "protocol"\n', a.cur);
      f.protocol = p;
    } else if (matches(w, 'scope')) {
      a.next();
      const s = ctx.names.scopeA2N(a.cur);
      if (s === undefined && a.cur !== 'all') invarg('invalid "scope"\n', a.cur);
      f.scope = s;
    } else if (matches(w, 'type')) {
      a.next();
      const t = typeA2N(a.cur);
      if (!typeKnown(a.cur)) invarg('node type value is invalid\n', a.cur);
      f.types = new Set(t ? [t] : []);
    } else if (w === 'dev' || w === 'oif') {
      od = a.next();
    } else if (w === 'iif') {
      id = a.next();
    } else if (w === 'mark') {
      a.next();
      if (getUnsigned(a.cur) === undefined) invarg('invalid mark value', a.cur);
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      a.next();
      const m = getUnsigned(a.cur);
      if (m === undefined) invarg('"metric" value is invalid\n', a.cur);
      f.metric = m;
    } else if (w === 'via') {
      a.next();
      let fam = readFamily(a.cur);
      if (fam === AF_UNSPEC) fam = family;
      else a.next();
      f.via = getPrefix(a.cur, fam);
    } else if (w === 'src') {
      a.next();
      f.prefsrc = getPrefix(a.cur, family);
    } else if (matches(w, 'realms')) {
      a.next();
    } else if (matches(w, 'from')) {
      a.next();
      if (matches(a.cur, 'root') || matches(a.cur, 'match') || matches(a.cur, 'exact')) a.next();
      getPrefix(a.cur, family);
    } else {
      if (matches(w, 'to')) a.next();
      if (matches(a.cur, 'root')) {
        a.next();
        f.rdst = getPrefix(a.cur, family);
      } else if (matches(a.cur, 'match')) {
        a.next();
        f.mdst = getPrefix(a.cur, family);
      } else {
        if (matches(a.cur, 'exact')) a.next();
        f.mdst = getPrefix(a.cur, family);
        f.rdst = f.mdst;
      }
    }
    a.shift();
  }
  if (family === AF_UNSPEC && f.tb) family = AF_INET;
  if (id !== undefined) {
    const l = ctx.link(id);
    if (!l) return nodev(id);
    f.iif = l;
  }
  if (od !== undefined) {
    const l = ctx.link(od);
    if (!l) return nodev(od);
    f.oif = l;
  }
  if (f.cloned) {
    // The IPv4 routing cache is gone from the kernel: nothing to list, flushing it is a write to
    // /proc/sys/net/ipv4/route/flush.
    if (flush) {
      if (ctx.opts.stats && family !== AF_INET6) ctx.cmd.stdout('*** IPv4 routing cache is flushed.\n');
      if (family === AF_INET) return 0;
    }
    if (!flush) {
      ctx.out.begin();
      ctx.out.end();
      return 0;
    }
  }
  if (flush) return flushRoutes(ctx, family, f);
  const routes = dump(ctx, family, f.tb);
  if (routes instanceof KernelError) {
    stderr(kernelErrorText(routes));
    stderr('Dump terminated\n');
    return -2;
  }
  ctx.out.begin();
  for (const r of routes) if (passes(f, family, r)) printRoute(ctx, r, f);
  ctx.out.end();
  return 0;
}

/** iproute_flush: deletes what the dump shows, in rounds until nothing is left. */
function flushRoutes(ctx: IpCtx, family: number, f: RouteFilter): number {
  const ns = ctx.ns;
  const stats = ctx.opts.stats;
  let round = 0;
  for (;;) {
    const routes = dump(ctx, family, f.tb);
    if (routes instanceof KernelError) {
      stderr(kernelErrorText(routes));
      stderr('Flush terminated\n');
      return -2;
    }
    const victims = routes.filter((r) => passes(f, family, r));
    if (!victims.length) {
      if (stats) ctx.cmd.stdout(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (stats > 1) for (const r of victims) printRoute(ctx, r, f);
    for (const r of victims) {
      if (r.v4) ns.fib.remove(r.v4);
      else if (r.v6) ns.inet6.routes.splice(ns.inet6.routes.indexOf(r.v6), 1);
    }
    if (stats) ctx.cmd.stdout(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
  }
}

/** iproute_modify: `ip route add|change|replace|prepend|append|test|del ROUTE`. */
function modify(ctx: IpCtx, args: string[], cmd: InsertMode | 'test' | 'del'): number {
  const del = cmd === 'del';
  let family = ctx.opts.family;
  let table = RT_TABLE_MAIN;
  let scope = del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
  let protocol = del ? 0 : RTPROT_BOOT;
  let type: RouteType | undefined = del ? undefined : 'unicast';
  let dst: InetPrefix | undefined;
  let gw: InetPrefix | undefined;
  let prefsrc: number | undefined;
  let dev: string | undefined;
  let metric: number | undefined;
  let tos = 0;
  let onlink = false;
  let mtu: number | undefined;
  let scopeOk = false;
  let tableOk = false;
  let nexthops = false;
  const a = new Args(args);
  while (a.more) {
    const w = a.cur;
    if (w === 'src') {
      a.next();
      const p = getAddr(a.cur, family);
      if (family === AF_UNSPEC) family = p.family;
      prefsrc = p.v4;
    } else if (w === 'as') {
      a.next();
      if (a.cur === 'to') a.next();
      getAddr(a.cur, family);
    } else if (w === 'via') {
      if (gw) invarg('use nexthop syntax to specify multiple via\n', a.cur);
      a.next();
      let fam = readFamily(a.cur);
      if (fam === AF_UNSPEC) fam = family;
      else a.next();
      gw = getAddr(a.cur, fam);
      if (family === AF_UNSPEC) family = gw.family;
    } else if (w === 'from') {
      a.next();
      const p = getPrefix(a.cur, family);
      if (family === AF_UNSPEC) family = p.family;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      a.next();
      const t = ctx.names.dsfieldA2N(a.cur);
      if (t === undefined) invarg('"tos" value is invalid\n', a.cur);
      tos = t;
    } else if (w === 'expires') {
      a.next();
      if (getUnsigned(a.cur) === undefined) invarg('"expires" value is invalid\n', a.cur);
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      a.next();
      const m = getUnsigned(a.cur);
      if (m === undefined) invarg('"metric" value is invalid\n', a.cur);
      metric = m;
    } else if (w === 'scope') {
      a.next();
      const s = ctx.names.scopeA2N(a.cur);
      if (s === undefined) invarg('invalid "scope" value\n', a.cur);
      scope = s;
      scopeOk = true;
    } else if (w === 'mtu') {
      a.next();
      if (a.cur === 'lock') a.next();
      const m = getUnsigned(a.cur);
      if (m === undefined) invarg('"mtu" value is invalid\n', a.cur);
      mtu = m;
    } else if (['hoplimit', 'advmss', 'rtt', 'rto_min', 'rttvar', 'quickack', 'fastopen_no_cookie'].includes(w) || ['reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'congctl'].some((k) => matches(w, k))) {
      a.next();
      if (a.cur === 'lock') a.next();
    } else if (matches(w, 'features')) {
      a.next();
      if (a.cur !== 'ecn') invarg('"features" value not valid\n', a.cur);
    } else if (matches(w, 'realms')) {
      a.next();
    } else if (w === 'onlink') {
      onlink = true;
    } else if (w === 'nexthop') {
      nexthops = true;
      break;
    } else if (w === 'nhid') {
      a.next();
      if (getUnsigned(a.cur) === undefined) invarg('"id" value is invalid\n', a.cur);
    } else if (matches(w, 'protocol')) {
      a.next();
      const p = ctx.names.protoA2N(a.cur);
      if (p === undefined) invarg('"protocol" value is invalid\n', a.cur);
      protocol = p;
    } else if (matches(w, 'table')) {
      a.next();
      const t = ctx.names.tableA2N(a.cur);
      if (t === undefined) invarg('"table" value is invalid\n', a.cur);
      table = t;
      tableOk = true;
    } else if (matches(w, 'vrf')) {
      a.next();
      invarg('Invalid VRF\n', a.cur);
    } else if (w === 'dev' || w === 'oif') {
      dev = a.next();
    } else if (matches(w, 'pref')) {
      a.next();
      if (!['low', 'medium', 'high'].includes(a.cur) && getUnsigned(a.cur) === undefined) invarg('"pref" value is invalid\n', a.cur);
    } else if (w === 'ttl-propagate') {
      a.next();
      if (!matches(a.cur, 'enabled') && !matches(a.cur, 'disabled')) invarg('"ttl-propagate" value is invalid\n', a.cur);
    } else {
      if (w === 'to') a.next();
      if ((a.cur[0] < '0' || a.cur[0] > '9') && typeKnown(a.cur)) {
        type = typeA2N(a.cur);
        a.next();
      }
      if (matches(a.cur, 'help')) usage();
      if (dst) duparg2('to', a.cur);
      dst = getPrefix(a.cur, family);
      if (family === AF_UNSPEC) family = dst.family;
    }
    a.shift();
  }
  if (!dst) usage();
  let link: Link | undefined;
  if (dev !== undefined) {
    link = ctx.link(dev);
    if (!link) return nodev(dev);
  }
  if (nexthops) {
    // parse_nexthops: each `nexthop [via ADDR] [dev DEV] [weight N] [onlink]`. A single one is
    // an ordinary route; podlab's FIB keeps one next hop per route.
    const hops = parseNexthops(ctx, a.rest(), family);
    if (hops.length > 1) {
      stderr('Error: multipath routes (more than one nexthop) are not supported by podlab.\n');
      return -1;
    }
    const [h] = hops;
    if (h.gw) {
      if (gw) invarg('use nexthop syntax to specify multiple via\n', 'nexthop');
      gw = h.gw;
      if (family === AF_UNSPEC) family = gw.family;
    }
    if (h.dev) link = h.dev;
    if (h.onlink) onlink = true;
  }
  if (family === AF_UNSPEC) family = AF_INET;
  if (!tableOk && (type === 'local' || type === 'broadcast' || type === 'nat' || type === 'anycast')) table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (family === AF_INET6) scope = RT_SCOPE_UNIVERSE;
    else if (type === 'local' || type === 'nat') scope = RT_SCOPE_HOST;
    else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') scope = RT_SCOPE_LINK;
    else if (type === 'unicast' || type === undefined) {
      if (del) scope = RT_SCOPE_NOWHERE;
      else if (!gw) scope = RT_SCOPE_LINK;
    }
  }
  if (family !== AF_INET) {
    stderr('RTNETLINK answers: Operation not supported\n');
    return -2;
  }
  const ns = ctx.ns;
  const ok = ctx.rtnl(() => {
    if (gw && gw.family !== AF_INET) throw new KernelError('EINVAL');
    if (del) {
      ns.delRoute({
        table,
        dst: dst!.v4,
        plen: dst!.bitlen,
        tos,
        type,
        scope,
        protocol,
        prefsrc,
        gateway: gw?.v4,
        dev: link,
        metric,
      });
      return;
    }
    if (type === undefined) throw new KernelError('EINVAL', 'Invalid route type');
    const spec = { table, type, dst: dst!.v4, plen: dst!.bitlen, tos, metric: metric ?? 0, protocol, scope, prefsrc, gateway: gw?.v4, dev: link, onlink, mtu };
    if (cmd === 'test') {
      if (ns.fib.find(spec)) throw new KernelError('EEXIST');
      throw new KernelError('ENOENT');
    }
    ns.addRoute(spec, cmd as InsertMode);
  });
  return ok ? 0 : -2;
}

/** parse_nexthops / parse_one_nh: the `nexthop` clauses after a route. */
function parseNexthops(ctx: IpCtx, args: string[], family: number): { gw?: InetPrefix; dev?: Link; onlink: boolean }[] {
  const hops: { gw?: InetPrefix; dev?: Link; onlink: boolean }[] = [];
  const a = new Args(args);
  while (a.more) {
    if (a.cur !== 'nexthop') {
      stderr(`Error: "nexthop" or end of line is expected instead of "${a.cur}"\n`);
      throw new IpExit(255);
    }
    if (a.left <= 1) {
      stderr('Error: unexpected end of line after "nexthop"\n');
      throw new IpExit(255);
    }
    const h: { gw?: InetPrefix; dev?: Link; onlink: boolean } = { onlink: false };
    a.shift();
    while (a.more) {
      const w: string = a.cur;
      if (w === 'via') {
        a.next();
        let fam = readFamily(a.cur);
        if (fam === AF_UNSPEC) fam = family;
        else a.next();
        h.gw = getAddr(a.cur, fam);
      } else if (w === 'dev') {
        const name = a.next();
        const l = ctx.link(name);
        if (!l) {
          nodev(name);
          stderr('Error: cannot parse nexthop\n');
          throw new IpExit(255);
        }
        h.dev = l;
      } else if (w === 'weight') {
        a.next();
        const v = getUnsigned(a.cur);
        if (v === undefined || v === 0 || v > 256) invarg('"weight" is invalid\n', a.cur);
      } else if (w === 'onlink') h.onlink = true;
      else if (matches(w, 'realms')) a.next();
      else break;
      a.shift();
    }
    hops.push(h);
  }
  return hops;
}

/**
 * iproute_get: what ip_route_output_key (or, with iif, ip_route_input) would choose, printed
 * as the kernel's cloned route: `10.96.0.1 via 172.18.0.1 dev eth0 src 172.18.0.3 uid 0` and
 * `    cache` with its flags.
 */
function get(ctx: IpCtx, args: string[]): number {
  let family = ctx.opts.family;
  let dst: InetPrefix | undefined;
  let from: InetPrefix | undefined;
  let idev: string | undefined;
  let odev: string | undefined;
  let uid: number | undefined;
  let fibmatch = false;
  const a = new Args(args);
  while (a.more) {
    const w = a.cur;
    if (w === 'tos' || matches(w, 'dsfield')) {
      a.next();
      if (ctx.names.dsfieldA2N(a.cur) === undefined) invarg('TOS value is invalid\n', a.cur);
    } else if (matches(w, 'from')) {
      a.next();
      if (matches(a.cur, 'help')) usage();
      from = getPrefix(a.cur, family);
      if (family === AF_UNSPEC) family = from.family;
    } else if (matches(w, 'iif')) {
      idev = a.next();
    } else if (matches(w, 'mark')) {
      a.next();
      if (getUnsigned(a.cur) === undefined) invarg('invalid mark value', a.cur);
    } else if (matches(w, 'oif') || w === 'dev') {
      odev = a.next();
    } else if (matches(w, 'notify') || matches(w, 'connected')) {
      // flags of the request
    } else if (matches(w, 'vrf')) {
      a.next();
      invarg('Invalid VRF\n', a.cur);
    } else if (matches(w, 'uid')) {
      a.next();
      const u = getUnsigned(a.cur);
      if (u === undefined) invarg('invalid UID\n', a.cur);
      uid = u;
    } else if (matches(w, 'fibmatch')) {
      fibmatch = true;
    } else if (matches(w, 'sport') || matches(w, 'dport')) {
      a.next();
      const p = getUnsigned(a.cur);
      if (p === undefined || p > 65535) invarg(`invalid ${matches(w, 'sport') ? 'sport' : 'dport'}\n`, a.cur);
    } else if (matches(w, 'ipproto')) {
      a.next();
    } else {
      if (w === 'to') a.next();
      if (matches(a.cur, 'help')) usage();
      const p = getPrefix(a.cur, family);
      if (family === AF_UNSPEC) family = p.family;
      if (p.family === AF_INET && p.bitlen !== 32) stderr(`Warning: /${p.bitlen} as prefix is invalid, only /32 (or none) is supported.\n`);
      else if (p.family === AF_INET6 && p.bitlen !== 128) stderr(`Warning: /${p.bitlen} as prefix is invalid, only /128 (or none) is supported.\n`);
      dst = p;
    }
    a.shift();
  }
  if (!dst) {
    stderr('need at least a destination address\n');
    return -1;
  }
  let iif: Link | undefined;
  let oif: Link | undefined;
  if (idev !== undefined) {
    iif = ctx.link(idev);
    if (!iif) return nodev(idev);
  }
  if (odev !== undefined) {
    oif = ctx.link(odev);
    if (!oif) return nodev(odev);
  }
  if (family === AF_INET6) {
    stderr('RTNETLINK answers: Network is unreachable\n');
    return -2;
  }
  const ns = ctx.ns;
  const daddr = dst.v4;
  const saddr = from?.v4 ?? 0;
  let result: { view: RouteView; cache: string[]; from?: string } | undefined;
  const ok = ctx.rtnl(() => {
    if (iif) throw new KernelError(saddr ? 'EHOSTUNREACH' : 'EINVAL');
    if (saddr) {
      if (saddr >>> 28 === 0xe || saddr === 0xffffffff) throw new KernelError('EINVAL');
      if (!ns.isLocal(saddr)) throw new KernelError('ENETUNREACH');
    }
    const res = ns.fib.lookup(daddr, { oif });
    const fromText = saddr ? formatIPv4(saddr) : undefined;
    if (!res) {
      if (!oif) throw new KernelError('ENETUNREACH');
      // ip_route_output: no route but a device given means "assume it is on link".
      const src = saddr || (ns.selectSource(oif, 0, RT_SCOPE_LINK) ?? 0);
      result = { view: cloned(daddr, 'unicast', undefined, oif, src !== saddr ? src : undefined), cache: [], from: fromText };
      return;
    }
    const r = res.route;
    const err = FIB_PROPS[r.type].error;
    if (err && err !== 'EAGAIN') throw new KernelError(err);
    if (fibmatch) {
      result = { view: view4(r), cache: [] };
      return;
    }
    if (r.type === 'local') {
      const src = saddr || (r.prefsrc ?? daddr);
      result = { view: cloned(daddr, 'local', undefined, ns.lo(), src !== saddr ? src : undefined), cache: ['local'], from: fromText };
      return;
    }
    const src = saddr || (r.prefsrc ?? ns.selectSource(r.dev, r.gateway ?? 0, r.scope) ?? 0);
    if (r.type === 'broadcast' || daddr === 0xffffffff) {
      result = { view: cloned(daddr, 'broadcast', undefined, r.dev, src !== saddr ? src : undefined), cache: ['local', 'brd'], from: fromText };
      return;
    }
    // __mkroute_output: a loopback source leaves only through a loopback device (route_localnet off).
    if (src >>> 24 === 127 && r.dev?.kind !== 'loopback' && !(r.dev && ns.sysctl.dev(r.dev.name, 'route_localnet'))) throw new KernelError('EINVAL');
    if (r.type === 'multicast' || daddr >>> 28 === 0xe) {
      result = { view: cloned(daddr, 'multicast', undefined, r.dev, src !== saddr ? src : undefined), cache: ['local', 'mc'], from: fromText };
      return;
    }
    result = { view: cloned(daddr, 'unicast', r.gateway, r.dev, src !== saddr ? src : undefined), cache: [], from: fromText };
  });
  if (!ok) return -2;
  const f: RouteFilter = { tb: 0, cloned: true };
  ctx.out.begin();
  if (fibmatch) printRoute(ctx, result!.view, f);
  else printRoute(ctx, result!.view, f, { uid: uid ?? 0, cache: result!.cache, from: result!.from, cloned: true });
  ctx.out.end();
  return 0;
}

/** The route a lookup leaves in the (long gone) cache: host destination, next hop, source. */
function cloned(dst: number, type: RouteType, gateway: number | undefined, dev: Link | undefined, src: number | undefined): RouteView {
  return {
    family: AF_INET,
    table: RT_TABLE_MAIN,
    type,
    dst: formatIPv4(dst),
    dstLen: 32,
    hostLen: 32,
    tos: 0,
    gateway: gateway !== undefined ? formatIPv4(gateway) : undefined,
    dev,
    protocol: 0,
    scope: 0,
    prefsrc: src !== undefined ? formatIPv4(src) : undefined,
    flags: [],
  };
}

export function doIproute(ctx: IpCtx, argv: string[]): number {
  if (argv.length < 1) return listOrFlush(ctx, [], false);
  const [c, ...rest] = argv;
  if (matches(c, 'add')) return modify(ctx, rest, 'add');
  if (matches(c, 'change') || c === 'chg') return modify(ctx, rest, 'change');
  if (matches(c, 'replace')) return modify(ctx, rest, 'replace');
  if (matches(c, 'prepend')) return modify(ctx, rest, 'prepend');
  if (matches(c, 'append')) return modify(ctx, rest, 'append');
  if (matches(c, 'test')) return modify(ctx, rest, 'test');
  if (matches(c, 'delete')) return modify(ctx, rest, 'del');
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return listOrFlush(ctx, rest, false);
  if (matches(c, 'get')) return get(ctx, rest);
  if (matches(c, 'flush')) return listOrFlush(ctx, rest, true);
  if (matches(c, 'help')) usage();
  stderr(`Command "${c}" is unknown, try "ip route help".\n`);
  throw new IpExit(255);
}


const USAGE =
  'Usage: ip route { list | flush } SELECTOR\n' +
  '       ip route save SELECTOR\n' +
  '       ip route restore\n' +
  '       ip route showdump\n' +
  '       ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n' +
  '                            [ from ADDRESS iif STRING ]\n' +
  '                            [ oif STRING ] [ tos TOS ]\n' +
  '                            [ mark NUMBER ] [ vrf NAME ]\n' +
  '                            [ uid NUMBER ] [ ipproto PROTOCOL ]\n' +
  '                            [ sport NUMBER ] [ dport NUMBER ]\n' +
  '       ip route { add | del | change | append | replace } ROUTE\n' +
  'SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n' +
  '            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]\n' +
  '            [ type TYPE ] [ scope SCOPE ]\n' +
  'ROUTE := NODE_SPEC [ INFO_SPEC ]\n' +
  'NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n' +
  '             [ table TABLE_ID ] [ proto RTPROTO ]\n' +
  '             [ scope SCOPE ] [ metric METRIC ]\n' +
  '             [ ttl-propagate { enabled | disabled } ]\n' +
  'INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...\n' +
  'NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]\n' +
  '      [ dev STRING ] [ weight NUMBER ] NHFLAGS\n' +
  'FAMILY := [ inet | inet6 | mpls | bridge | link ]\n' +
  'OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]\n' +
  '           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]\n' +
  '           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]\n' +
  '           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]\n' +
  '           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]\n' +
  '           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]\n' +
  '           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]\n' +
  'TYPE := { unicast | local | broadcast | multicast | throw |\n' +
  '          unreachable | prohibit | blackhole | nat }\n' +
  'TABLE_ID := [ local | main | default | all | NUMBER ]\n' +
  'SCOPE := [ host | link | global | NUMBER ]\n' +
  'NHFLAGS := [ onlink | pervasive ]\n' +
  'RTPROTO := [ kernel | boot | static | NUMBER ]\n' +
  'PREF := [ low | medium | high ]\n' +
  'TIME := NUMBER[s|ms]\n' +
  'BOOL := [1|0]\n' +
  'FEATURES := ecn\n' +
  'ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]\n' +
  'ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]\n' +
  'SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]\n' +
  'SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]\n' +
  'SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]\n' +
  'ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |\n' +
  '            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |\n' +
  '            End.BM | End.S | End.AS | End.AM | End.BPF }\n' +
  'OPTIONS := OPTION [ OPTIONS ]\n' +
  'OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |\n' +
  '            table TABLEID | vrftable TABLEID | endpoint PROGNAME }\n' +
  'FLAVORS := { FLAVOR[,FLAVOR] }\n' +
  'FLAVOR := { psp | usp | usd | next-csid }\n' +
  'IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE\n' +
  'XFRMINFO := if_id IF_ID [ link_dev LINK ]\n' +
  'ROUTE_GET_FLAGS := [ fibmatch ]\n';
