/**
 * `bridge fdb`: the forwarding databases as rtnl_fdb_dump walks them (each device in ifindex
 * order: its bridge's entries for it, then its own: a bridge's address lists and own address, a
 * vxlan's remotes, anyone else's unicast/multicast filter lists), and `bridge fdb
 * add/append/replace/del` on a bridge (`master`), a vxlan (flannel's `dst` entries) or a plain
 * device's address filter (`self`).
 */
import { formatIPv4, parseIPv4 } from '../../kernel/addr.ts';
import type { Errno } from '../../kernel/errno.ts';
import { mcList, userAddrLists } from '../../kernel/ifinfo.ts';
import type { FdbEntry, Link, VxlanFdbEntry } from '../../kernel/link.ts';
import { isMulticastMac, ZERO_MAC, type Mac } from '../../kernel/mac.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { Args, Exit, invarg, JsonWriter, matches, rtnlErrno, type BridgeOpts, type Out } from './common.ts';

/**
 * A vxlan remote with the per-remote settings `bridge fdb add ... static|port|vni|via` give; the
 * model's entry keeps the basics, these ride along on the same object.
 */
type Remote = VxlanFdbEntry & { static?: boolean; port?: number; vni?: number; ifindex?: number };

/** One RTM_NEWNEIGH message of the dump, with the attributes print_fdb looks at. */
interface FdbMsg {
  mac: Mac;
  dev: Link;
  dst?: number;
  port?: number;
  vni?: number;
  via?: string;
  self: boolean;
  /** NDA_MASTER: the bridge an entry belongs to. */
  master?: Link;
  state: 'permanent' | 'static' | 'stale' | '';
  /** NDA_CACHEINFO in seconds (used, updated), for -s. */
  cache?: [number, number];
}

/** Whether a learned entry is older than the bridge's ageing time (has_expired: shown `stale`). */
function expired(bridge: Link, e: FdbEntry, now: number): boolean {
  return !e.local && !e.static && e.updated + bridge.bridge!.ageingTime * 10 <= now;
}

function bridgeState(bridge: Link, e: FdbEntry, now: number): FdbMsg['state'] {
  if (e.local) return 'permanent';
  if (e.static) return 'static';
  return expired(bridge, e, now) ? 'stale' : '';
}

/** The bridge's entries for one port, newest first (the kernel adds at the head of its list). */
function portEntries(port: Link, now: number): FdbMsg[] {
  const br = port.master!;
  const age = (e: FdbEntry): [number, number] => {
    const s = Math.floor((now - e.updated) / 1000);
    return [s, s];
  };
  return [...br.bridge!.fdb.values()]
    .filter((e) => e.port === port)
    .reverse()
    .map((e) => ({ mac: e.mac, dev: port, self: false, master: br, state: bridgeState(br, e, now), cache: age(e) }));
}

/** ndo_dflt_fdb_dump: the device's unicast list, then its multicast list, as `self permanent`. */
function addrListEntries(dev: Link): FdbMsg[] {
  return [...userAddrLists(dev).uc, ...mcList(dev)].map((mac) => ({ mac, dev, self: true, state: 'permanent' as const }));
}

/**
 * The bridge's own address as an fdb entry with no port (`dev cni0 master cni0 permanent`). It
 * is folded into a port's local entry when a port has the same MAC, and an all-zero MAC (a
 * bridge whose last port left) has none.
 */
function ownEntry(bridge: Link): FdbMsg[] {
  const same = bridge.bridge!.fdb.get(bridge.mac);
  if (bridge.mac === ZERO_MAC || (same && same.local)) return [];
  // The model does not record when the bridge took its address, so its age reads 0.
  return [{ mac: bridge.mac, dev: bridge, self: false, master: bridge, state: 'permanent', cache: [0, 0] }];
}

/** A vxlan's remotes: the default destination first in the table, then entries newest first. */
export function vxlanEntries(dev: Link): FdbMsg[] {
  const v = dev.vxlan!;
  const viaName = (ifindex?: number): string | undefined => (ifindex ? dev.ns.links.get(ifindex)?.name ?? `if${ifindex}` : undefined);
  const groups = new Map<Mac, Remote[]>();
  for (const e of v.fdb as Remote[]) {
    const g = groups.get(e.mac);
    if (g) g.push(e);
    else groups.set(e.mac, [e]);
  }
  const out: FdbMsg[] = [];
  for (const remotes of [...groups.values()].reverse()) {
    for (const r of remotes) {
      out.push({
        mac: r.mac, dev, dst: r.dst, port: r.port, vni: r.vni, via: viaName(r.ifindex), self: true,
        state: r.permanent ? 'permanent' : r.static ? 'static' : '', cache: [0, 0],
      });
    }
  }
  if (v.remote !== undefined && v.remote !== 0 && !groups.has(ZERO_MAC)) {
    out.push({ mac: ZERO_MAC, dev, dst: v.remote, via: viaName(v.dev), self: true, state: 'permanent', cache: [0, 0] });
  }
  return out;
}

function devEntries(dev: Link, now: number): FdbMsg[] {
  const out: FdbMsg[] = [];
  if (dev.master?.bridge && dev.port) out.push(...portEntries(dev, now));
  if (dev.kind === 'bridge') out.push(...addrListEntries(dev), ...ownEntry(dev));
  else if (dev.kind === 'vxlan') out.push(...vxlanEntries(dev));
  else out.push(...addrListEntries(dev));
  return out;
}

interface ShowFilter {
  br?: Link;
  dev?: Link;
  state?: number;
}

const NUD = { permanent: 0x80, static: 0x40, stale: 0x04, '': 0x02 } as const;

function parseState(v: string): number | undefined {
  if (matches(v, 'permanent')) return NUD.permanent;
  if (matches(v, 'static') || matches(v, 'temp')) return NUD.static;
  if (matches(v, 'stale')) return NUD.stale;
  if (matches(v, 'reachable') || matches(v, 'dynamic')) return NUD[''];
  if (v === 'all') return ~0;
  return /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : undefined;
}

function show(ns: NetNs, opts: BridgeOpts, args: Args, io: Out, now: number): number {
  let br: string | undefined;
  let dev: string | undefined;
  let state = 0;
  let vlan = 0;
  for (; args.more; args.i++) {
    const w = args.cur;
    if (w === 'brport' || w === 'dev') dev = args.next();
    else if (w === 'br') br = args.next();
    else if (w === 'vlan') vlan = parseInt(args.next(), 10) || 0;
    else if (w === 'state') {
      const v = args.next();
      const s = parseState(v);
      if (s === undefined) invarg(io, 'invalid state', v);
      state |= s;
    } else if (matches(w, 'help')) usage(io);
  }
  const f: ShowFilter = {};
  if (br !== undefined) {
    f.br = ns.link(br);
    if (!f.br) {
      io.err(`Cannot find bridge device "${br}"\n`);
      return 255;
    }
  }
  if (dev !== undefined) {
    f.dev = ns.link(dev);
    if (!f.dev) {
      io.err(`Cannot find device "${dev}"\n`);
      return 255;
    }
  }
  if (state) f.state = state;
  let msgs: FdbMsg[] = [];
  for (const d of ns.links.values()) {
    if (f.dev && d !== f.dev) continue;
    if (f.br) {
      const isPort = !!d.master?.bridge;
      if (d !== f.br && !isPort) continue;
      if (d.master !== f.br && d.kind !== 'bridge') continue;
    }
    msgs.push(...devEntries(d, now));
  }
  // The model has no VLANs (this kernel has no bridge VLAN filtering), so `vlan N` matches nothing.
  if (vlan) msgs = [];
  if (f.state !== undefined) msgs = msgs.filter((m) => NUD[m.state] & f.state!);
  if (f.dev) msgs = msgs.filter((m) => m.dev === f.dev);
  io.out(opts.json ? renderJson(msgs, !!f.dev, opts) : msgs.map((m) => renderText(m, !!f.dev, opts.stats)).join(''));
  return 0;
}

function renderText(m: FdbMsg, filtered: boolean, stats: boolean): string {
  let s = `${m.mac} `;
  if (!filtered) s += `dev ${m.dev.name} `;
  if (m.dst !== undefined) s += `dst ${formatIPv4(m.dst)} `;
  if (m.port !== undefined) s += `port ${m.port} `;
  if (m.vni !== undefined) s += `vni ${m.vni} `;
  if (m.via !== undefined) s += `via ${m.via} `;
  if (stats && m.cache) s += `used ${m.cache[0]}/${m.cache[1]} `;
  if (m.self) s += 'self ';
  if (m.master) s += `master ${m.master.name} `;
  return `${s}${m.state}\n`;
}

function renderJson(msgs: FdbMsg[], filtered: boolean, opts: BridgeOpts): string {
  const j = new JsonWriter(opts.pretty).startArray();
  for (const m of msgs) {
    j.startObject().field('mac', m.mac);
    if (!filtered) j.field('ifname', m.dev.name);
    if (m.dst !== undefined) j.field('dst', formatIPv4(m.dst));
    if (m.port !== undefined) j.field('port', m.port);
    if (m.vni !== undefined) j.field('vni', m.vni);
    if (m.via !== undefined) j.field('viaIf', m.via);
    if (opts.stats && m.cache) j.field('used', m.cache[0]).field('updated', m.cache[1]);
    j.name('flags').startArray();
    if (m.self) j.value('self');
    j.endArray();
    if (m.master) j.field('master', m.master.name);
    if (m.state) j.field('state', m.state);
    j.endObject();
  }
  return j.endArray().done();
}

const FDB_USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
\t       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
`;

function usage(io: Out): never {
  io.err(FDB_USAGE);
  throw new Exit(255);
}

type Op = 'add' | 'append' | 'replace' | 'del';

/** A parsed `bridge fdb add|append|replace|del` request (fdb_modify), before it reaches the kernel. */
interface FdbRequest {
  op: Op;
  mac: Mac;
  dev: Link;
  self: boolean;
  master: boolean;
  /** NUD bits as iproute2 builds them: NOARP always, then PERMANENT or REACHABLE. */
  state: number;
  dst?: number;
  port?: number;
  vni?: number;
  via?: number;
  vlan?: number;
}

const NUD_PERMANENT = 0x80;
const NUD_NOARP = 0x40;
const NUD_REACHABLE = 0x02;

function parseModify(ns: NetNs, op: Op, args: Args, io: Out): FdbRequest | number {
  let addr: string | undefined;
  let dev: string | undefined;
  let self = false;
  let master = false;
  let state = NUD_NOARP;
  let dst: number | undefined;
  let port: number | undefined;
  let vni: number | undefined;
  let via: number | undefined;
  let vlan: number | undefined;
  for (; args.more; args.i++) {
    const w = args.cur;
    if (w === 'dev') dev = args.next();
    else if (w === 'dst') {
      const v = args.next();
      const a = parseIPv4(v);
      if (a === undefined) {
        io.err(`Error: any valid address is expected rather than "${v}".\n`);
        throw new Exit(1);
      }
      dst = a;
    } else if (w === 'port') {
      const v = args.next();
      port = Number(v);
      if (!/^\d+$/.test(v) || port > 0xffff) invarg(io, 'invalid port\n', v);
    } else if (w === 'vni') {
      const v = args.next();
      vni = Number(v);
      if (!/^\d+$/.test(v) || vni >= 1 << 24) invarg(io, 'invalid VNI\n', v);
    } else if (w === 'via') {
      const v = args.next();
      const l = ns.link(v);
      if (!l) invarg(io, 'invalid device\n', v);
      via = l.ifindex;
    } else if (w === 'self') self = true;
    else if (matches(w, 'master')) master = true;
    else if (matches(w, 'local') || matches(w, 'permanent')) state |= NUD_PERMANENT;
    else if (matches(w, 'temp') || matches(w, 'static')) state |= NUD_REACHABLE;
    else if (matches(w, 'dynamic')) state = (state | NUD_REACHABLE) & ~NUD_NOARP;
    else if (matches(w, 'vlan')) vlan = parseInt(args.next(), 10) || 0;
    else if (matches(w, 'router') || matches(w, 'use') || w === 'extern_learn' || w === 'sticky') continue;
    else {
      const word = w === 'to' ? args.next() : w;
      if (matches(word, 'help')) usage(io);
      if (addr !== undefined) {
        io.err(`Error: either "to" is duplicate, or "${word}" is a garbage.\n`);
        throw new Exit(255);
      }
      addr = word;
    }
  }
  if (dev === undefined || addr === undefined) {
    io.err('Device and address are required arguments.\n');
    return 255;
  }
  if (!self && !master) self = true;
  if (!(state & (NUD_PERMANENT | NUD_REACHABLE))) state |= NUD_PERMANENT;
  const parts = addr.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) {
    io.err(`Invalid mac address ${addr}\n`);
    return 255;
  }
  const mac = parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
  const link = ns.link(dev);
  if (!link) {
    io.err(`Cannot find device "${dev}"\n`);
    return 255;
  }
  return { op, mac, dev: link, self, master, state, dst, port, vni, via, vlan };
}

/** br_fdb_add / br_fdb_delete on the bridge a port belongs to. */
function bridgeModify(r: FdbRequest, now: number): Errno | undefined {
  const fdb = r.dev.master!.bridge!.fdb;
  if (r.vlan !== undefined) return 'EINVAL';
  const cur = fdb.get(r.mac);
  if (r.op === 'del') {
    if (!cur || cur.port !== r.dev) return 'ENOENT';
    fdb.delete(r.mac);
    return undefined;
  }
  if (!(r.state & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE))) return 'EINVAL';
  if (cur && r.op === 'add') return 'EEXIST';
  const local = !!(r.state & NUD_PERMANENT);
  const isStatic = local || !!(r.state & NUD_NOARP);
  const entry: FdbEntry = { mac: r.mac, port: r.dev, local, static: isStatic, updated: now, user: true };
  if (cur) Object.assign(cur, entry);
  else fdb.set(r.mac, entry);
  return undefined;
}

/** vxlan_fdb_add / vxlan_fdb_delete: entries keyed by MAC, each with one or more remotes. */
function vxlanModify(r: FdbRequest): Errno | undefined {
  const v = r.dev.vxlan!;
  const same = (e: VxlanFdbEntry): boolean => e.mac === r.mac;
  const isRemote = (e: Remote): boolean => same(e) && e.dst === r.dst && e.port === r.port && e.vni === r.vni && e.ifindex === r.via;
  if (r.op === 'del') {
    const hit = r.dst === undefined ? v.fdb.filter(same) : v.fdb.filter(isRemote);
    if (!hit.length) return 'ENOENT';
    v.fdb = v.fdb.filter((e) => !hit.includes(e));
    return undefined;
  }
  if (r.dst === undefined) return 'EINVAL';
  if (!(r.state & (NUD_PERMANENT | NUD_REACHABLE))) return 'EINVAL';
  const remote: Remote = {
    mac: r.mac, dst: r.dst, permanent: !!(r.state & NUD_PERMANENT), static: !(r.state & NUD_PERMANENT) && !!(r.state & NUD_NOARP),
    port: r.port, vni: r.vni, ifindex: r.via,
  };
  const existing = v.fdb.filter(same);
  if (!existing.length) {
    v.fdb.push(remote);
    return undefined;
  }
  if (r.op === 'add') return 'EEXIST';
  const multi = r.mac === ZERO_MAC || isMulticastMac(r.mac);
  if (r.op === 'append') {
    // Only the all-zeros and multicast entries keep several remotes; appending one twice is a no-op.
    if (!multi) return 'EOPNOTSUPP';
    if (!existing.some(isRemote)) v.fdb.splice(v.fdb.lastIndexOf(existing[existing.length - 1]) + 1, 0, remote);
    return undefined;
  }
  // replace: the entry's first remote takes the new destination.
  Object.assign(existing[0], remote);
  return undefined;
}

/** ndo_dflt_fdb_add/del: the device's own unicast or multicast filter list. */
function addrListModify(r: FdbRequest): Errno | undefined {
  if (r.vlan !== undefined) return 'EINVAL';
  const lists = userAddrLists(r.dev);
  const list = isMulticastMac(r.mac) ? lists.mc : lists.uc;
  const at = list.indexOf(r.mac);
  if (r.op === 'del') {
    if (at < 0) return 'ENOENT';
    list.splice(at, 1);
    return undefined;
  }
  if (r.state & NUD_REACHABLE && !(r.state & NUD_PERMANENT)) return 'EINVAL';
  if (at >= 0) return r.op === 'add' ? 'EEXIST' : undefined;
  list.push(r.mac);
  return undefined;
}

/**
 * rtnl_fdb_add/del: `master` (or no flag) on a bridge port goes to the bridge; then `self` goes
 * to the device itself. A request nobody could take is EOPNOTSUPP.
 */
function modify(r: FdbRequest, now: number): Errno | undefined {
  let err: Errno | undefined = 'EOPNOTSUPP';
  if (r.master && r.dev.master?.bridge && r.dev.port) {
    err = bridgeModify(r, now);
    if (err) return err;
  }
  if (r.self) {
    if (r.dev.kind === 'vxlan') err = vxlanModify(r);
    else if (r.dev.kind === 'bridge') err = 'EOPNOTSUPP';
    else err = addrListModify(r);
  }
  return err;
}

export function doFdb(ns: NetNs, opts: BridgeOpts, args: Args, io: Out, now: number): number {
  if (!args.more) return show(ns, opts, args, io, now);
  const w = args.cur;
  args.i++;
  let op: Op | undefined;
  if (matches(w, 'add')) op = 'add';
  else if (matches(w, 'append')) op = 'append';
  else if (matches(w, 'replace')) op = 'replace';
  else if (matches(w, 'delete')) op = 'del';
  if (op) {
    const r = parseModify(ns, op, args, io);
    if (typeof r === 'number') return r;
    const err = modify(r, now);
    if (err) rtnlErrno(io, err);
    return 0;
  }
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return show(ns, opts, args, io, now);
  if (matches(w, 'help')) usage(io);
  io.err(`Command "${w}" is unknown, try "bridge fdb help".\n`);
  return 255;
}
