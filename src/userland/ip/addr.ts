/**
 * `ip address` (ipaddress.c): listing devices with their addresses (also what `ip link show`
 * prints, with do_link), flushing, adding, changing and deleting addresses; and the two
 * printers the rest of ip shares: print_linkinfo (a device's lines, brief or full, with -d
 * details and -s counters) and print_addrinfo (one address).
 */
import { formatIPv4, inSubnet, maskOf } from '../../kernel/addr.ts';
import { KernelError } from '../../kernel/errno.ts';
import { RT_SCOPE_HOST, RT_SCOPE_NOWHERE } from '../../kernel/fib.ts';
import { formatIPv6 } from '../../kernel/inet6.ts';
import type { Link, LinkStats } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';
import {
  AF_INET,
  AF_INET6,
  AF_PACKET,
  AF_UNSPEC,
  Args,
  duparg,
  duparg2,
  familyName,
  getAddr,
  getPrefix,
  getUnsigned,
  invarg,
  IpExit,
  matches,
  nodev,
  stderr,
  type InetPrefix,
} from './args.ts';
import type { IpCtx } from './context.ts';
import { printKindDetails, printPortDetails } from './kinds.ts';
import { netnsNameOf } from './nsnames.ts';

/** The IFF_* flags, in the order print_link_flags names them. */
const IFF_NAMES: [string, number][] = [
  ['LOOPBACK', 0x8],
  ['BROADCAST', 0x2],
  ['POINTOPOINT', 0x10],
  ['MULTICAST', 0x1000],
  ['NOARP', 0x80],
  ['ALLMULTI', 0x200],
  ['PROMISC', 0x100],
  ['MASTER', 0x400],
  ['SLAVE', 0x800],
  ['DEBUG', 0x4],
  ['DYNAMIC', 0x8000],
  ['AUTOMEDIA', 0x4000],
  ['PORTSEL', 0x2000],
  ['NOTRAILERS', 0x20],
  ['UP', 0x1],
  ['LOWER_UP', 0x10000],
  ['DORMANT', 0x20000],
  ['ECHO', 0x40000],
];
const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;

/** dev_get_flags as RTM_NEWLINK reports them. */
export function linkFlags(link: Link): number {
  let f: number;
  switch (link.kind) {
    case 'loopback':
      f = 0x8;
      break;
    case 'ipip':
      f = 0x80 | (link.ipip?.remote ? 0x10 : 0);
      break;
    default:
      f = 0x2 | (link.multicast ? 0x1000 : 0) | (link.noarp ? 0x80 : 0);
  }
  if (link.promisc > 0) f |= 0x100;
  if (link.allmulti > 0) f |= 0x200;
  if (link.adminUp) {
    f |= IFF_UP;
    const op = link.operstate;
    if (op === 'UP' || op === 'UNKNOWN') f |= IFF_RUNNING;
    if (link.carrier) f |= 0x10000;
  }
  return f;
}

/** print_link_flags: `<NO-CARRIER,BROADCAST,...>` with M-DOWN last. */
function printLinkFlags(ctx: IpCtx, flags: number, mdown: boolean): void {
  const out = ctx.out;
  out.openArray(out.isJson ? 'flags' : null, '<');
  let f = flags;
  if (f & IFF_UP && !(f & IFF_RUNNING)) out.any(null, f ? 'NO-CARRIER,' : 'NO-CARRIER', 'NO-CARRIER');
  f &= ~IFF_RUNNING;
  for (const [name, bit] of IFF_NAMES) {
    if (!(f & bit)) continue;
    f &= ~bit;
    out.any(null, f ? `${name},` : name, name);
  }
  if (f) out.any(null, f.toString(16), f.toString(16));
  if (mdown) out.any(null, ',M-DOWN', 'M-DOWN');
  out.closeArray('> ');
}

export interface LinkFilter {
  ifindex: number;
  up: boolean;
  /** 0: any; -1: only devices without a master; else the master's ifindex. */
  master: number;
  kind?: string;
  slaveKind?: string;
  group: number;
  family: number;
  oneline: boolean;
  label?: string;
  scope: number;
  scopemask: number;
  flags: number;
  flagmask: number;
  pfx?: InetPrefix;
  showqueue: boolean;
}

export function newFilter(ctx: IpCtx): LinkFilter {
  return { ifindex: 0, up: false, master: 0, group: -1, family: ctx.opts.family, oneline: !!ctx.opts.oneline, scope: 0, scopemask: 0, flags: 0, flagmask: 0, showqueue: false };
}

/**
 * Where a device's IFLA_LINK points, and through which other namespace (IFLA_LINK_NETNSID).
 * The kernel sends IFLA_LINK when iflink differs from the ifindex, and always when the link is
 * in another namespace (where the indexes may well coincide).
 */
function linkTarget(link: Link): { iflink: number; other?: NetNs } | undefined {
  const target = link.kind === 'veth' ? link.peer : link.lower;
  // A vxlan's link net is where it was made (its socket stays there when it moves).
  const linkNet = link.kind === 'vxlan' ? link.vxlan!.linkNs : target?.ns;
  const other = linkNet && linkNet !== link.ns ? linkNet : undefined;
  const iflink = link.iflink;
  if (iflink === link.ifindex && link.kind !== 'ipip' && !other) return undefined;
  return { iflink, other };
}

/**
 * print_name_and_link: `name@peer`, `name@ifN`, `name@NONE`; returns the M-DOWN flag. The
 * IPv6 link dump (`ip -6 addr`) carries IFLA_LINK only when it differs from the ifindex and
 * never a link-netnsid, so the index is then looked up here, as ip does.
 */
function printNameAndLink(ctx: IpCtx, link: Link, fmt: (s: string) => string, v6 = false): boolean {
  const out = ctx.out;
  let name = link.name;
  let mdown = false;
  const t = v6 ? (link.iflink !== link.ifindex ? { iflink: link.iflink, other: undefined } : undefined) : linkTarget(link);
  if (t) {
    if (t.iflink) {
      if (t.other) {
        if (out.isJson) out.json('link_index', t.iflink);
        else name = `${name}@if${t.iflink}`;
      } else {
        const peer = link.ns.links.get(t.iflink);
        if (out.isJson) out.json('link', peer?.name ?? `if${t.iflink}`);
        else name = `${name}@${peer?.name ?? `if${t.iflink}`}`;
        mdown = !peer?.adminUp;
      }
    } else if (out.isJson) out.json('link', null);
    else name = `${name}@NONE`;
  }
  out.any('ifname', fmt(name), link.name);
  return mdown;
}

/** The address as link/ether (or link/ipip, link/loopback) prints it. */
function llType(link: Link): string {
  return link.kind === 'loopback' ? 'loopback' : link.kind === 'ipip' ? 'ipip' : 'ether';
}

function llAddr(link: Link, mac: string): string {
  if (link.kind === 'ipip') return mac.split(':').map((b) => parseInt(b, 16)).join('.');
  return mac;
}

/** print_stats64: the RX/TX counter table, one or two levels (-s, -s -s). */
function printStats(ctx: IpCtx, s: LinkStats, carrierChanges: number): void {
  const out = ctx.out;
  const lvl = ctx.opts.stats;
  if (out.isJson) {
    out.openObject('stats64');
    out.openObject('rx');
    for (const [k, v] of [['bytes', s.rxBytes], ['packets', s.rxPackets], ['errors', s.rxErrors], ['dropped', s.rxDropped], ['over_errors', 0], ['multicast', s.multicast]] as const) out.json(k, v);
    if (lvl > 1) for (const k of ['length_errors', 'crc_errors', 'frame_errors', 'fifo_errors', 'missed_errors']) out.json(k, 0);
    out.closeObject();
    out.openObject('tx');
    for (const [k, v] of [['bytes', s.txBytes], ['packets', s.txPackets], ['errors', s.txErrors], ['dropped', s.txDropped], ['carrier_errors', 0], ['collisions', 0]] as const) out.json(k, v);
    if (lvl > 1) {
      for (const k of ['aborted_errors', 'fifo_errors', 'window_errors', 'heartbeat_errors']) out.json(k, 0);
      out.json('carrier_changes', carrierChanges);
    }
    out.closeObject();
    out.closeObject();
    return;
  }
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  const size = (...vals: number[]): void => vals.forEach((v, i) => (cols[i] = Math.max(cols[i], String(v).length)));
  size(s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, 0, s.multicast, 0, 0);
  if (lvl > 1) size(0, 0, 0, 0, 0, 0, 0, 0);
  size(s.txBytes, s.txPackets, s.txErrors, s.txDropped, 0, 0, 0, 0);
  if (lvl > 1) size(0, 0, 0, 0, 0, 0, carrierChanges, 0);
  const pad = (w: number, t: string | number): string => String(t).padStart(w);
  const nums = (vals: number[]): string => vals.map((v, i) => `${pad(cols[i], v)} `).join('');
  const sl = out.sl;
  out.fp(`    RX: ${pad(cols[0] - 4, 'bytes')} ${pad(cols[1], 'packets')} ${pad(cols[2], 'errors')} ${pad(cols[3], 'dropped')} ${pad(cols[4], 'missed')} ${pad(cols[5], 'mcast')} ${pad(cols[6], '')}${sl}`);
  out.fp(`    ${nums([s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, 0, s.multicast])}`);
  if (lvl > 1) {
    out.fp(sl);
    out.fp(`    RX errors:${pad(cols[0] - 10, '')} ${pad(cols[1], 'length')} ${pad(cols[2], 'crc')} ${pad(cols[3], 'frame')} ${pad(cols[4], 'fifo')} ${pad(cols[5], 'overrun')}${sl}`);
    out.fp(`${pad(cols[0] + 5, '')}${[0, 0, 0, 0, 0].map((v, i) => `${pad(cols[i + 1], v)} `).join('')}`);
  }
  out.fp(sl);
  out.fp(`    TX: ${pad(cols[0] - 4, 'bytes')} ${pad(cols[1], 'packets')} ${pad(cols[2], 'errors')} ${pad(cols[3], 'dropped')} ${pad(cols[4], 'carrier')} ${pad(cols[5], 'collsns')} ${pad(cols[6], '')}${sl}`);
  out.fp(`    ${nums([s.txBytes, s.txPackets, s.txErrors, s.txDropped, 0, 0])}`);
  if (lvl > 1) {
    out.fp(sl);
    out.fp(`    TX errors:${pad(cols[0] - 10, '')} ${pad(cols[1], 'aborted')} ${pad(cols[2], 'fifo')} ${pad(cols[3], 'window')} ${pad(cols[4], 'heartbt')} ${pad(cols[5], 'transns')}${sl}`);
    out.fp(`${pad(cols[0] + 5, '')}${[0, 0, 0, 0, carrierChanges].map((v, i) => `${pad(cols[i + 1], v)} `).join('')}`);
  }
}

/**
 * print_linkinfo: a device's lines (`ip link`, and the head of each device in `ip addr`), or its
 * brief line. Returns -1 when the filter drops it, 1 when printed in full, 0 in brief.
 */
export function printLinkInfo(ctx: IpCtx, link: Link, filter: LinkFilter, doLink: boolean): number {
  const out = ctx.out;
  const o = ctx.opts;
  if (filter.ifindex && link.ifindex !== filter.ifindex) return -1;
  if (filter.up && !link.adminUp) return -1;
  if (filter.label) return 0;
  if (filter.group !== -1 && link.group !== filter.group) return -1;
  if (filter.master > 0 && link.master?.ifindex !== filter.master) return -1;
  if (filter.master === -1 && link.master) return -1;
  if (filter.kind && kindName(link) !== filter.kind) return -1;
  if (filter.slaveKind && !(link.master && filter.slaveKind === 'bridge')) return -1;
  const flags = linkFlags(link);
  // `ip -6 addr` asks the IPv6 layer for links (inet6_fill_ifinfo): name, MTU, address, link,
  // operstate and nothing else.
  const v6 = filter.family === AF_INET6 && !doLink && !filter.ifindex;
  if (o.brief) {
    const mdown = printNameAndLink(ctx, link, (n) => n.padEnd(16) + ' ', v6);
    out.any('operstate', link.operstate.padEnd(14) + ' ', link.operstate);
    if (filter.family === AF_PACKET) {
      out.any('address', `${llAddr(link, link.mac)} `, llAddr(link, link.mac));
      printLinkFlags(ctx, flags, mdown);
      out.fp('\n');
    }
    return 0;
  }
  out.any('ifindex', `${link.ifindex}: `, link.ifindex);
  const mdown = printNameAndLink(ctx, link, (n) => `${n}: `, v6);
  printLinkFlags(ctx, flags, mdown);
  out.any('mtu', `mtu ${link.mtu} `, link.mtu);
  if (!v6) out.any('qdisc', `qdisc ${link.qdisc} `, link.qdisc);
  if (link.master && !v6) out.any('master', `master ${link.master.name} `, link.master.name);
  if (out.isJson) out.json('operstate', link.operstate);
  else out.fp(`state ${link.operstate} `);
  if (doLink) out.any('linkmode', 'mode DEFAULT ', 'DEFAULT');
  if (!v6) {
    const group = ctx.names.groupN2A(link.group);
    out.any('group', `group ${group} `, group);
  }
  // Without IFLA_TXQLEN (the IPv6 dump) ip asks with SIOCGIFTXQLEN: the same number.
  if (filter.showqueue && link.txqlen) out.any('txqlen', `qlen ${link.txqlen}`, link.txqlen);
  if (v6) {
    if (o.details) {
      out.nl();
      out.any('link_type', `    link/${llType(link)} `, llType(link));
      out.any('address', llAddr(link, link.mac), llAddr(link, link.mac));
    }
    out.fp('\n');
    return 1;
  }
  if (!filter.family || filter.family === AF_PACKET || o.details) {
    out.nl();
    out.any('link_type', `    link/${llType(link)} `, llType(link));
    out.any('address', llAddr(link, link.mac), llAddr(link, link.mac));
    if (link.kind === 'ipip' && link.ipip?.remote) {
      out.fp(' peer ');
      out.json('link_pointtopoint', true);
    } else out.fp(' brd ');
    out.any('broadcast', llAddr(link, link.brd), llAddr(link, link.brd));
  }
  const t = linkTarget(link);
  if (t?.other) {
    const id = link.ns.nsid(t.other);
    if (out.isJson) out.json('link_netnsid', id);
    else {
      const name = netnsNameOf(ctx, id);
      out.fp(name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${id}`);
    }
  }
  if (o.details) {
    const [minMtu, maxMtu] = link.mtuRange;
    out.any('promiscuity', ` promiscuity ${link.promiscuity} `, link.promiscuity);
    out.any('allmulti', ` allmulti ${link.allmultiCount} `, link.allmultiCount);
    out.any('min_mtu', `minmtu ${minMtu} `, minMtu);
    out.any('max_mtu', `maxmtu ${maxMtu} `, maxMtu);
    const kind = kindName(link);
    if (kind || link.master) {
      out.openObject('linkinfo');
      if (kind) {
        out.nl();
        out.any('info_kind', `    ${kind} `, kind);
        if (kind !== 'veth' && kind !== 'dummy') {
          out.openObject('info_data');
          printKindDetails(ctx, link);
          out.closeObject();
        }
      }
      if (link.master) {
        out.nl();
        out.any('info_slave_kind', '    bridge_slave ', 'bridge');
        out.openObject('info_slave_data');
        printPortDetails(ctx, link);
        out.closeObject();
      }
      out.closeObject();
    }
    if (doLink && link.mtu >= 1280) out.any('inet6_addr_gen_mode', 'addrgenmode eui64 ', 'eui64');
    out.any('num_tx_queues', `numtxqueues ${link.numTxQueues} `, link.numTxQueues);
    out.any('num_rx_queues', `numrxqueues ${link.numRxQueues} `, link.numRxQueues);
    for (const [k, v] of [['gso_max_size', 65536], ['gso_max_segs', 65535], ['tso_max_size', tsoMaxSize(link)], ['tso_max_segs', 65535], ['gro_max_size', 65536]] as const) out.any(k, `${k} ${v} `, v);
  }
  if ((doLink || o.details) && link.alias !== undefined) {
    out.fp(`${out.sl}    `);
    out.any('ifalias', `alias ${link.alias}`, link.alias);
  }
  if (doLink && o.stats) {
    out.nl();
    printStats(ctx, link.stats, link.carrierChanges);
  }
  out.fp('\n');
  return 1;
}

/**
 * dev->tso_max_size: lo, veth and bridges raise it to GSO_MAX_SIZE (524280); stacked devices
 * take their lower device's; the rest keep the legacy 65536.
 */
function tsoMaxSize(link: Link): number {
  switch (link.kind) {
    case 'loopback':
    case 'veth':
      return 524280;
    case 'bridge':
      return link.bridge!.gsoFromPorts ? Math.min(524280, ...link.ports().map(tsoMaxSize)) : 65536;
    case 'vxlan': {
      const lower = link.vxlan?.dev !== undefined ? link.ns.links.get(link.vxlan.dev) : undefined;
      return lower ? tsoMaxSize(lower) : 65536;
    }
    case 'macvlan':
      return link.lower ? tsoMaxSize(link.lower) : 65536;
    default:
      return 65536;
  }
}

/** IFLA_INFO_KIND: devices made through rtnl_link_ops (all but lo). */
function kindName(link: Link): string | undefined {
  return link.kind === 'loopback' ? undefined : link.kind;
}

/** One address as the printers see it, IPv4 or IPv6. */
export interface AddrView {
  family: number;
  local: string;
  peer?: string;
  plen: number;
  brd?: string;
  scope: number;
  label?: string;
  secondary: boolean;
  noprefixroute: boolean;
  metric?: number;
  /** For filters: the IPv4 local address. */
  v4?: number;
  v6?: Uint8Array;
}

/** The device's addresses, IPv4 first (as the dump returns them), then IPv6. */
export function addrViews(link: Link): AddrView[] {
  const ns = link.ns;
  const v4: AddrView[] = ns.addresses(link).map((a) => ({
    family: AF_INET,
    local: formatIPv4(a.addr),
    peer: a.peer !== undefined && a.peer !== a.addr ? formatIPv4(a.peer) : undefined,
    plen: a.plen,
    brd: a.brd ? formatIPv4(a.brd) : undefined,
    scope: a.scope,
    label: a.label,
    secondary: a.secondary,
    noprefixroute: a.noprefixroute,
    metric: a.metric,
    v4: a.addr,
  }));
  const v6: AddrView[] = ns.inet6.addresses(link).map((a) => ({ family: AF_INET6, local: formatIPv6(a.addr), plen: a.plen, scope: a.scope, secondary: false, noprefixroute: false, v6: a.addr }));
  return [...v4, ...v6];
}

const IFA_F_SECONDARY = 0x01;
const IFA_F_PERMANENT = 0x80;
const IFA_F_NOPREFIXROUTE = 0x200;

function addrFlags(a: AddrView): number {
  return (a.secondary ? IFA_F_SECONDARY : 0) | IFA_F_PERMANENT | (a.noprefixroute ? IFA_F_NOPREFIXROUTE : 0);
}

/** fnmatch(3) without flags, for `label PATTERN`. */
function fnmatch(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(text);
}

/** inet_addr_match_rta: the address lies in the `to` prefix (no prefix: anything matches). */
function prefixMatches(pfx: InetPrefix | undefined, a: AddrView): boolean {
  if (!pfx || pfx.family === AF_UNSPEC || pfx.bitlen <= 0) return true;
  if (pfx.family !== a.family) return false;
  if (a.family === AF_INET) return inSubnet(a.v4!, pfx.v4, maskOf(pfx.bitlen));
  for (let i = 0; i < pfx.bitlen; i++) if (((a.v6![i >> 3] ^ pfx.v6![i >> 3]) >> (7 - (i & 7))) & 1) return false;
  return true;
}

/** The address filters of print_addrinfo and ipaddr_filter. */
function addrPasses(filter: LinkFilter, link: Link, a: AddrView): boolean {
  if (filter.family && filter.family !== a.family) return false;
  if ((filter.scope ^ a.scope) & filter.scopemask) return false;
  if ((filter.flags ^ addrFlags(a)) & filter.flagmask) return false;
  if (filter.label && !fnmatch(filter.label, a.label ?? link.name)) return false;
  return prefixMatches(filter.pfx, a);
}

/** print_addrinfo: `    inet 10.0.0.1/24 brd ... scope global eth0` and its lifetime line. */
export function printAddrInfo(ctx: IpCtx, link: Link, a: AddrView, filter: LinkFilter, flushing = false): void {
  const out = ctx.out;
  if (!ctx.opts.brief) {
    if (filter.oneline || flushing) {
      if (out.isJson) {
        out.json('index', link.ifindex);
        out.json('dev', link.name);
      } else out.fp(`${link.ifindex}: ${link.name}`);
    }
    out.any('family', `    ${familyName(a.family)} `, familyName(a.family));
  }
  out.any('local', a.local, a.local);
  if (a.peer) {
    out.fp(' peer ');
    out.any('address', a.peer, a.peer);
  }
  out.any('prefixlen', `/${a.plen} `, a.plen);
  if (a.metric) out.any('metric', `metric ${a.metric} `, a.metric);
  if (ctx.opts.brief) return;
  if (a.brd) {
    out.fp('brd ');
    out.any('broadcast', `${a.brd} `, a.brd);
  }
  const scope = ctx.names.scopeN2A(a.scope);
  out.any('scope', `scope ${scope} `, scope);
  if (a.secondary) {
    out.fp('secondary ');
    out.json('secondary', true);
  }
  if (a.noprefixroute) {
    out.fp('noprefixroute ');
    out.json('noprefixroute', true);
  }
  if (a.label !== undefined) out.any('label', a.label, a.label);
  out.nl();
  out.fp('       valid_lft ');
  out.json('valid_life_time', 4294967295);
  out.fp('forever');
  out.fp(' preferred_lft ');
  out.json('preferred_life_time', 4294967295);
  out.fp('forever');
  out.fp('\n');
}

/** ipaddr_reset_filter + the selectors `ip addr show|flush` and `ip link show` accept. */
function parseSelectors(ctx: IpCtx, a: Args, filter: LinkFilter, doLink: boolean): string | undefined {
  let dev: string | undefined;
  while (a.more) {
    const w = a.cur;
    if (w === 'to') {
      a.next();
      filter.pfx = getPrefix(a.cur, filter.family);
      if (filter.family === AF_UNSPEC) filter.family = filter.pfx.family;
    } else if (w === 'scope') {
      a.next();
      filter.scopemask = -1;
      const s = ctx.names.scopeA2N(a.cur);
      if (s === undefined) {
        if (a.cur !== 'all') invarg('invalid "scope"\n', a.cur);
        filter.scope = RT_SCOPE_NOWHERE;
        filter.scopemask = 0;
      } else filter.scope = s;
    } else if (w === 'up') {
      filter.up = true;
    } else if (getFlagFilter(filter, w)) {
      // a flag selector (secondary, primary, permanent, dynamic, ...)
    } else if (w === 'label') {
      filter.label = a.next();
    } else if (w === 'group') {
      a.next();
      const g = ctx.names.groupA2N(a.cur);
      if (g === undefined) invarg('Invalid "group" value\n', a.cur);
      filter.group = g;
    } else if (w === 'master') {
      a.next();
      const m = ctx.link(a.cur);
      if (!m) invarg('Device does not exist\n', a.cur);
      filter.master = m.ifindex;
    } else if (w === 'vrf') {
      a.next();
      invarg('Not a valid VRF name\n', a.cur);
    } else if (w === 'nomaster') {
      filter.master = -1;
    } else if (w === 'type') {
      a.next();
      if (a.cur.endsWith('_slave') && a.cur.length >= 6) filter.slaveKind = a.cur.slice(0, -6);
      else filter.kind = a.cur;
    } else {
      if (w === 'dev') a.next();
      else if (matches(w, 'help')) usage(doLink);
      if (dev !== undefined) duparg2('dev', a.cur);
      dev = a.cur;
    }
    a.shift();
  }
  return dev;
}

/** get_filter: address flags as selectors, `-` inverting. */
function getFlagFilter(filter: LinkFilter, arg: string): boolean {
  let inv = false;
  let name = arg;
  if (name.startsWith('-')) {
    inv = true;
    name = name.slice(1);
  }
  if (name === 'dynamic') {
    inv = !inv;
    name = 'permanent';
  } else if (name === 'primary') {
    inv = !inv;
    name = 'secondary';
  }
  const masks: Record<string, number> = { secondary: 0x01, temporary: 0x01, nodad: 0x02, optimistic: 0x04, dadfailed: 0x08, home: 0x10, deprecated: 0x20, tentative: 0x40, permanent: 0x80, mngtmpaddr: 0x100, noprefixroute: 0x200, autojoin: 0x400, 'stable-privacy': 0x800 };
  const mask = masks[name];
  if (mask === undefined) return false;
  if (inv) filter.flags &= ~mask;
  else filter.flags |= mask;
  filter.flagmask |= mask;
  return true;
}

export function usage(doLink: boolean): never {
  if (doLink) linkUsage();
  stderr(
    'Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n' +
      '                                                      [ CONFFLAG-LIST ]\n' +
      '       ip address del IFADDR dev IFNAME [mngtmpaddr]\n' +
      '       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n' +
      '                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n' +
      '       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n' +
      '                         [ nomaster ]\n' +
      '                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n' +
      '                         [ label LABEL ] [up] [ vrf NAME ] ]\n' +
      '       ip address {showdump|restore}\n' +
      'IFADDR := PREFIX | ADDR peer PREFIX\n' +
      '          [ broadcast ADDR ] [ anycast ADDR ]\n' +
      '          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]\n' +
      'SCOPE-ID := [ host | link | global | NUMBER ]\n' +
      'FLAG-LIST := [ FLAG-LIST ] FLAG\n' +
      'FLAG  := [ permanent | dynamic | secondary | primary |\n' +
      '           [-]tentative | [-]deprecated | [-]dadfailed | temporary |\n' +
      '           CONFFLAG-LIST ]\n' +
      'CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG\n' +
      'CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]\n' +
      'LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]\n' +
      'LFT := forever | SECONDS\n',
  );
  typesUsage();
  throw new IpExit(255);
}

export function typesUsage(): void {
  stderr(
    'TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n' +
      '          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n' +
      '          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n' +
      '          ipip | ipoib | ipvlan | ipvtap |\n' +
      '          macsec | macvlan | macvtap |\n' +
      '          netdevsim | nlmon | rmnet | sit | team | team_slave |\n' +
      '          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n' +
      '          xfrm | virt_wifi }\n',
  );
}

/** iplink_usage (ip link help), which ends ip. */
export function linkUsage(): never {
  stderr(LINK_USAGE);
  typesUsage();
  throw new IpExit(255);
}

const LINK_USAGE =
  'Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n' +
  '\t\t    [ txqueuelen PACKETS ]\n' +
  '\t\t    [ address LLADDR ]\n' +
  '\t\t    [ broadcast LLADDR ]\n' +
  '\t\t    [ mtu MTU ] [index IDX ]\n' +
  '\t\t    [ numtxqueues QUEUE_COUNT ]\n' +
  '\t\t    [ numrxqueues QUEUE_COUNT ]\n' +
  '\t\t    [ netns { PID | NAME } ]\n' +
  '\t\t    type TYPE [ ARGS ]\n' +
  '\n' +
  '\tip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]\n' +
  '\n' +
  '\tip link set { DEVICE | dev DEVICE | group DEVGROUP }\n' +
  '\t\t\t[ { up | down } ]\n' +
  '\t\t\t[ type TYPE ARGS ]\n' +
  '\t\t[ arp { on | off } ]\n' +
  '\t\t[ dynamic { on | off } ]\n' +
  '\t\t[ multicast { on | off } ]\n' +
  '\t\t[ allmulticast { on | off } ]\n' +
  '\t\t[ promisc { on | off } ]\n' +
  '\t\t[ trailers { on | off } ]\n' +
  '\t\t[ carrier { on | off } ]\n' +
  '\t\t[ txqueuelen PACKETS ]\n' +
  '\t\t[ name NEWNAME ]\n' +
  '\t\t[ address LLADDR ]\n' +
  '\t\t[ broadcast LLADDR ]\n' +
  '\t\t[ mtu MTU ]\n' +
  '\t\t[ netns { PID | NAME } ]\n' +
  '\t\t[ link-netns NAME | link-netnsid ID ]\n' +
  '\t\t[ alias NAME ]\n' +
  '\t\t[ vf NUM [ mac LLADDR ]\n' +
  '\t\t\t [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]\n' +
  '\t\t\t [ rate TXRATE ]\n' +
  '\t\t\t [ max_tx_rate TXRATE ]\n' +
  '\t\t\t [ min_tx_rate TXRATE ]\n' +
  '\t\t\t [ spoofchk { on | off} ]\n' +
  '\t\t\t [ query_rss { on | off} ]\n' +
  '\t\t\t [ state { auto | enable | disable} ]\n' +
  '\t\t\t [ trust { on | off} ]\n' +
  '\t\t\t [ node_guid EUI64 ]\n' +
  '\t\t\t [ port_guid EUI64 ] ]\n' +
  '\t\t[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |\n' +
  '\t\t\t  object FILE [ { section | program } NAME ] [ verbose ] |\n' +
  '\t\t\t  pinned FILE } ]\n' +
  '\t\t[ master DEVICE ][ vrf NAME ]\n' +
  '\t\t[ nomaster ]\n' +
  '\t\t[ addrgenmode { eui64 | none | stable_secret | random } ]\n' +
  '\t\t[ protodown { on | off } ]\n' +
  '\t\t[ protodown_reason PREASON { on | off } ]\n' +
  '\t\t[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]\n' +
  '\t\t[ gro_max_size BYTES ]\n' +
  '\n' +
  '\tip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]\n' +
  '\t\t[nomaster]\n' +
  '\n' +
  '\tip link xstats type TYPE [ ARGS ]\n' +
  '\n' +
  '\tip link afstats [ dev DEVICE ]\n' +
  '\tip link property add dev DEVICE [ altname NAME .. ]\n' +
  '\tip link property del dev DEVICE [ altname NAME .. ]\n' +
  '\n' +
  '\tip link help [ TYPE ]\n' +
  '\n';

export type ListAction = 'list' | 'flush';

/** ipaddr_list_flush_or_save: `ip addr [show|flush] ...` and `ip link show ...` (doLink). */
export function listFlushOrSave(ctx: IpCtx, args: string[], action: ListAction, doLink: boolean): number {
  const filter = newFilter(ctx);
  filter.showqueue = true;
  if (doLink) filter.family = AF_PACKET;
  if (action === 'flush') {
    if (!args.length) {
      stderr('Flush requires arguments.\n');
      return -1;
    }
    if (filter.family === AF_PACKET) {
      stderr('Cannot flush link addresses.\n');
      return -1;
    }
  }
  const dev = parseSelectors(ctx, new Args(args), filter, doLink);
  if (dev !== undefined) {
    const l = ctx.link(dev);
    if (!l) {
      stderr(`Device "${dev}" does not exist.\n`);
      return -1;
    }
    filter.ifindex = l.ifindex;
  }
  if (action === 'flush') return flush(ctx, filter);
  const out = ctx.out;
  out.begin();
  const links = ctx.ns.sortedLinks().filter((l) => !filter.ifindex || l.ifindex === filter.ifindex);
  const shown =
    filter.family === AF_PACKET
      ? links
      : links.filter((l) => {
          const all = addrViews(l);
          if (all.some((a) => addrPasses(filter, l, a))) return true;
          return all.length === 0 && (filter.family === AF_UNSPEC || filter.family === AF_PACKET);
        });
  const noLink = filter.family !== AF_PACKET && filter.oneline;
  for (const l of shown) {
    out.openObject();
    let res = 0;
    if (ctx.opts.brief || !noLink) res = printLinkInfo(ctx, l, filter, doLink);
    if (res >= 0 && filter.family !== AF_PACKET) {
      out.openArray(out.isJson ? 'addr_info' : null);
      if (!filter.up || l.adminUp) for (const a of addrViews(l)) if (addrPasses(filter, l, a)) {
        out.openObject();
        printAddrInfo(ctx, l, a, filter);
        out.closeObject();
      }
      out.closeArray();
      if (ctx.opts.brief) out.fp('\n');
    }
    if (res > 0 && !doLink && ctx.opts.stats) {
      printStats(ctx, l.stats, l.carrierChanges);
      out.nl();
    }
    out.closeObject();
  }
  out.end();
  return 0;
}

/** ipaddr_flush: deletes every matching address, in rounds, as the dump shows them. */
function flush(ctx: IpCtx, filter: LinkFilter): number {
  const stats = ctx.opts.stats;
  let round = 0;
  const max = ctx.opts.loops;
  while (max === 0 || round < max) {
    const victims: [Link, AddrView][] = [];
    for (const l of ctx.ns.sortedLinks()) {
      if (filter.ifindex && l.ifindex !== filter.ifindex) continue;
      for (const a of addrViews(l)) if (addrPasses(filter, l, a)) victims.push([l, a]);
    }
    if (!victims.length) {
      if (stats) ctx.cmd.stdout(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (stats > 1) for (const [l, a] of victims) printAddrInfo(ctx, l, a, filter, true);
    for (const [l, a] of victims) {
      // The kernel may already have taken a secondary with its primary: EADDRNOTAVAIL is fine.
      try {
        if (a.family === AF_INET) ctx.ns.delAddr(l, a.v4!, a.plen);
        else ctx.ns.inet6.delAddr(l, a.v6!);
      } catch {
        // gone already
      }
    }
    if (stats) ctx.cmd.stdout(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if (!(filter.flags & 0x01) && filter.flagmask & 0x01) {
      if (stats) ctx.cmd.stdout(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
  }
  stderr(`*** Flush remains incomplete after ${max} rounds. ***\n`);
  return 1;
}

/** ipaddr_modify: `ip addr add|change|replace|del`. */
function modify(ctx: IpCtx, args: string[], cmd: 'add' | 'change' | 'replace' | 'del'): number {
  const a = new Args(args);
  let family = ctx.opts.family;
  let dev: string | undefined;
  let label: string | undefined;
  let lcl: InetPrefix | undefined;
  let lclArg = '';
  let peer: InetPrefix | undefined;
  let brd: number | undefined;
  let brdMode = 0;
  let scope: number | undefined;
  let metric: number | undefined;
  let noprefixroute = false;
  let validSeen = false;
  let prefSeen = false;
  while (a.more) {
    const w = a.cur;
    if (w === 'peer' || w === 'remote') {
      a.next();
      if (peer) duparg('peer', a.cur);
      peer = getPrefix(a.cur, family);
      if (family === AF_UNSPEC) family = peer.family;
    } else if (matches(w, 'broadcast') || w === 'brd') {
      a.next();
      if (brdMode) duparg('broadcast', a.cur);
      if (a.cur === '+') brdMode = -1;
      else if (a.cur === '-') brdMode = -2;
      else {
        const b = getAddr(a.cur, family);
        if (family === AF_UNSPEC) family = b.family;
        brd = b.v4;
        brdMode = b.bytelen || 4;
      }
    } else if (w === 'anycast') {
      a.next();
      getAddr(a.cur, family);
    } else if (w === 'scope') {
      a.next();
      const s = ctx.names.scopeA2N(a.cur);
      if (s === undefined) invarg('invalid scope value.', a.cur);
      scope = s;
    } else if (w === 'dev') {
      dev = a.next();
    } else if (w === 'label') {
      label = a.next();
    } else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
      a.next();
      const m = getUnsigned(a.cur);
      if (m === undefined) invarg('"metric" value is invalid\n', a.cur);
      metric = m;
    } else if (matches(w, 'valid_lft')) {
      if (validSeen) duparg('valid_lft', a.cur);
      a.next();
      validSeen = true;
      if (a.cur !== 'forever' && getUnsigned(a.cur) === undefined) invarg('valid_lft value', a.cur);
    } else if (matches(w, 'preferred_lft')) {
      if (prefSeen) duparg('preferred_lft', a.cur);
      a.next();
      prefSeen = true;
      if (a.cur !== 'forever' && getUnsigned(a.cur) === undefined) invarg('preferred_lft value', a.cur);
    } else if (['secondary', 'temporary', 'dadfailed', 'deprecated', 'tentative', 'permanent', 'stable-privacy'].includes(w)) {
      stderr(`Warning: ${w} option is not mutable from userspace\n`);
    } else if (['nodad', 'optimistic', 'home', 'mngtmpaddr'].includes(w) && family !== AF_INET6) {
      stderr(`Warning: ${w} option can be set only for IPv6 addresses\n`);
    } else if (['nodad', 'optimistic', 'home', 'mngtmpaddr', 'autojoin'].includes(w)) {
      // accepted; podlab's addresses have no DAD or temporary addresses
    } else if (w === 'noprefixroute') {
      noprefixroute = true;
    } else {
      if (w === 'local') a.next();
      if (matches(a.cur, 'help')) usage(false);
      if (lcl) duparg2('local', a.cur);
      lclArg = a.cur;
      lcl = getPrefix(a.cur, family);
      if (family === AF_UNSPEC) family = lcl.family;
    }
    a.shift();
  }
  if (dev === undefined) {
    stderr('Not enough information: "dev" argument is required.\n');
    return -1;
  }
  let wildcard = false;
  if (!peer && lcl) {
    if (cmd === 'del' && lcl.family === AF_INET && !lcl.prefixlenSpecified) {
      stderr(
        'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
          `         Explicitly specify the prefix length (${lclArg}/${lcl.bytelen * 8}) to avoid this warning.\n` +
          '         This special behaviour is likely to disappear in further releases,\n' +
          '         fix your scripts!\n',
      );
      wildcard = true;
    }
  }
  const plen = peer ? peer.bitlen : (lcl?.bitlen ?? 0);
  if (brdMode < 0 && cmd !== 'del') {
    if (family !== AF_INET) {
      stderr('Broadcast can be set only for IPv4 addresses\n');
      return -1;
    }
    const base = (peer ?? lcl)!;
    if (base.bitlen <= 30) {
      const host = ~maskOf(base.bitlen) >>> 0;
      brd = brdMode === -1 ? (base.v4 | host) >>> 0 : (base.v4 & ~host) >>> 0;
    }
  }
  const link = ctx.link(dev);
  if (!link) return nodev(dev);
  const ns = ctx.ns;
  if (!lcl) {
    // No local address: the request has no family the kernel handles.
    stderr('RTNETLINK answers: Operation not supported\n');
    return -2;
  }
  if (lcl.family === AF_INET6) return modify6(ctx, link, cmd, lcl, noprefixroute);
  const addr = lcl.v4;
  const defaultScope = lcl.bytelen >= 1 && addr >>> 24 === 127 ? RT_SCOPE_HOST : 0;
  const ok = ctx.rtnl(() => {
    if (cmd === 'del') {
      ns.delAddr(link, addr, wildcard ? undefined : plen, label, peer ? peer.v4 : addr);
      return;
    }
    ns.addAddr(
      link,
      { addr, plen, peer: peer ? peer.v4 : undefined, brd, scope: scope ?? defaultScope, label, noprefixroute, metric },
      { replace: cmd === 'change' || cmd === 'replace' },
    );
  });
  return ok ? 0 : -2;
}

/** IPv6 addresses by hand: shown and deleted like addrconf's own (podlab routes no IPv6). */
function modify6(ctx: IpCtx, link: Link, cmd: string, lcl: InetPrefix, noprefixroute: boolean): number {
  const ns = ctx.ns;
  const ok = ctx.rtnl(() => {
    if (cmd === 'del') {
      if (!ns.inet6.delAddr(link, lcl.v6!)) throw new KernelError('EADDRNOTAVAIL');
      return;
    }
    ns.inet6.addManual(link, lcl.v6!, lcl.bitlen, noprefixroute, cmd !== 'add');
  });
  return ok ? 0 : -2;
}

export function doIpaddr(ctx: IpCtx, argv: string[]): number {
  if (argv.length < 1) return listFlushOrSave(ctx, [], 'list', false);
  const [c, ...rest] = argv;
  if (matches(c, 'add')) return modify(ctx, rest, 'add');
  if (matches(c, 'change') || c === 'chg') return modify(ctx, rest, 'change');
  if (matches(c, 'replace')) return modify(ctx, rest, 'replace');
  if (matches(c, 'delete')) return modify(ctx, rest, 'del');
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return listFlushOrSave(ctx, rest, 'list', false);
  if (matches(c, 'flush')) return listFlushOrSave(ctx, rest, 'flush', false);
  if (matches(c, 'help')) usage(false);
  stderr(`Command "${c}" is unknown, try "ip address help".\n`);
  throw new IpExit(255);
}

