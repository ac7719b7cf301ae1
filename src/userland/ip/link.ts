/**
 * `ip link` (iplink.c): add, set/change, replace and delete devices (iplink_parse, with veth's
 * `peer` options parsed the same way) and their kinds' options; `show` is `ip addr`'s listing
 * with do_link. The kernel side follows rtnl_newlink/do_setlink: the steps in their order, each
 * failing with the kernel's error.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { Link, LinkKind } from '../../kernel/link.ts';
import { formatMac, type Mac } from '../../kernel/mac.ts';
import type { NetNs, LinkSpec } from '../../kernel/netns.ts';
import { linkUsage, listFlushOrSave } from './addr.ts';
import { Args, duparg, duparg2, getInteger, getUnsigned, invarg, IpExit, matches, nodev, parseLladdr, stderr } from './args.ts';
import type { IpCtx } from './context.ts';
import { KNOWN_KINDS, parseKind, SUPPORTED_KINDS, type KindOpts } from './kinds.ts';

/** What iplink_parse collected: the ifinfomsg flags and the IFLA_* attributes. */
export interface LinkReq {
  up?: boolean;
  name?: string;
  dev?: string;
  index?: number;
  link?: string;
  address?: number[];
  broadcast?: number[];
  txqlen?: number;
  mtu?: number;
  numtxqueues?: number;
  numrxqueues?: number;
  netns?: { ns?: NetNs; pid?: number; text: string };
  multicast?: boolean;
  allmulti?: boolean;
  promisc?: boolean;
  arp?: boolean;
  carrier?: boolean;
  /** IFLA_MASTER: an ifindex, 0 for nomaster. */
  master?: number;
  alias?: string;
  group?: number;
  type?: string;
  kindOpts?: KindOpts;
  peer?: LinkReq;
  /** The device the request is about (set/delete). */
  target?: Link;
}

const IFALIASZ = 256;

/** check_ifname: what `name` accepts (dev_valid_name and the 15-byte limit). */
function badIfname(n: string): boolean {
  return n.length === 0 || Buffer.byteLength(n) >= 16 || /[\s/]/.test(n);
}

function onOffArg(msg: string, v: string): number {
  stderr(`Error: argument of "${msg}" must be "on" or "off", not "${v}"\n`);
  return -1;
}

/**
 * iplink_parse. Returns the number of arguments used (up to and including `type KIND`), or -1
 * after printing an error; `exit()`s become IpExit.
 */
export function iplinkParse(ctx: IpCtx, a: Args, req: LinkReq, create: boolean): number {
  const start = a.pos;
  let name: string | undefined;
  let dev: string | undefined;
  let moveNetns = false;
  while (a.more) {
    const w = a.cur;
    if (w === 'up') req.up = true;
    else if (w === 'down') req.up = false;
    else if (w === 'name') {
      a.next();
      if (name !== undefined) duparg('name', a.cur);
      if (badIfname(a.cur)) invarg('"name" not a valid ifname', a.cur);
      name = a.cur;
      if (dev === undefined) dev = name;
    } else if (w === 'index') {
      a.next();
      if (req.index) duparg('index', a.cur);
      const i = parseInt(a.cur, 10) || 0;
      if (i <= 0) invarg('Invalid "index" value', a.cur);
      req.index = i;
    } else if (matches(w, 'link')) {
      req.link = a.next();
    } else if (matches(w, 'address')) {
      a.next();
      const b = parseLladdr(a.cur);
      if (!b) return -1;
      req.address = b;
    } else if (matches(w, 'broadcast') || w === 'brd') {
      a.next();
      const b = parseLladdr(a.cur);
      if (!b) return -1;
      req.broadcast = b;
    } else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
      a.next();
      if (req.txqlen !== undefined) duparg('txqueuelen', a.cur);
      const q = getInteger(a.cur);
      if (q === undefined) invarg('Invalid "txqueuelen" value\n', a.cur);
      req.txqlen = q;
    } else if (w === 'mtu') {
      a.next();
      if (req.mtu !== undefined) duparg('mtu', a.cur);
      const m = getInteger(a.cur);
      if (m === undefined) invarg('Invalid "mtu" value\n', a.cur);
      req.mtu = m;
    } else if (w === 'netns') {
      a.next();
      if (req.netns) duparg('netns', a.cur);
      const ns = netnsByName(ctx, a.cur);
      if (ns) req.netns = { ns, text: a.cur };
      else {
        const pid = getInteger(a.cur);
        if (pid === undefined) invarg('Invalid "netns" value\n', a.cur);
        req.netns = { pid, text: a.cur };
      }
      moveNetns = true;
    } else if (w === 'multicast' || w === 'allmulticast' || w === 'promisc' || w === 'arp') {
      a.next();
      if (a.cur !== 'on' && a.cur !== 'off') return onOffArg(w, a.cur);
      const on = a.cur === 'on';
      if (w === 'multicast') req.multicast = on;
      else if (w === 'allmulticast') req.allmulti = on;
      else if (w === 'promisc') req.promisc = on;
      else req.arp = on;
    } else if (w === 'trailers' || matches(w, 'dynamic')) {
      a.next();
      if (a.cur !== 'on' && a.cur !== 'off') return onOffArg(w === 'trailers' ? w : 'dynamic', a.cur);
    } else if (w === 'carrier') {
      a.next();
      if (matches(a.cur, 'off')) req.carrier = false;
      else if (matches(a.cur, 'on')) req.carrier = true;
      else {
        stderr(`Error: argument of "carrier" must be one of "off", "on", not "${a.cur}"\n`);
        return -22;
      }
    } else if (matches(w, 'master')) {
      a.next();
      const m = ctx.link(a.cur);
      if (!m) invarg('Device does not exist\n', a.cur);
      req.master = m.ifindex;
    } else if (w === 'vrf') {
      a.next();
      invarg('Not a valid VRF name\n', a.cur);
    } else if (matches(w, 'nomaster')) {
      req.master = 0;
    } else if (matches(w, 'type')) {
      a.next();
      req.type = a.cur;
      a.shift();
      break;
    } else if (matches(w, 'alias')) {
      a.next();
      if (Buffer.byteLength(a.cur) >= IFALIASZ) invarg('alias too long\n', a.cur);
      req.alias = a.cur;
    } else if (w === 'group') {
      a.next();
      if (req.group !== undefined) duparg('group', a.cur);
      const g = ctx.names.groupA2N(a.cur);
      if (g === undefined) invarg('Invalid "group" value\n', a.cur);
      req.group = g;
    } else if (w === 'mode') {
      a.next();
      if (!/^(default|dormant)$/i.test(a.cur)) invarg('Invalid link mode\n', a.cur);
    } else if (w === 'state') {
      a.next();
      if (!/^(unknown|notpresent|down|lowerlayerdown|testing|dormant|up)$/i.test(a.cur)) invarg('Invalid operstate\n', a.cur);
    } else if (matches(w, 'numtxqueues') || matches(w, 'numrxqueues')) {
      const tx = matches(w, 'numtxqueues');
      a.next();
      if ((tx ? req.numtxqueues : req.numrxqueues) !== undefined) duparg(tx ? 'numtxqueues' : 'numrxqueues', a.cur);
      const q = getInteger(a.cur);
      if (q === undefined) invarg(`Invalid "${tx ? 'numtxqueues' : 'numrxqueues'}" value\n`, a.cur);
      if (tx) req.numtxqueues = q;
      else req.numrxqueues = q;
    } else if (matches(w, 'addrgenmode')) {
      a.next();
      if (!/^(eui64|none|stable_secret|random)$/i.test(a.cur)) invarg('Invalid address generation mode\n', a.cur);
    } else if (w === 'gso_max_size' || w === 'gro_max_size' || w === 'gso_max_segs') {
      a.next();
      const v = getUnsigned(a.cur);
      if (v === undefined || (w === 'gso_max_segs' && v > 65535)) invarg(`Invalid "${w}" value\n`, a.cur);
    } else {
      if (matches(w, 'help')) linkUsage();
      if (w === 'dev') a.next();
      if (dev !== name) duparg2('dev', a.cur);
      if (a.cur === '' || /[\s/]/.test(a.cur)) invarg('"dev" not a valid ifname', a.cur);
      dev = a.cur;
    }
    a.shift();
  }
  const used = a.pos - start;
  if (name === undefined) name = dev;
  else if (dev === undefined) dev = name;
  if (dev !== undefined && req.address && !create) {
    const l = ctx.link(dev);
    const halen = l ? (l.kind === 'ipip' ? 4 : 6) : -1;
    if (halen >= 0 && halen !== req.address.length) {
      stderr(`Invalid address length ${req.address.length} - must be ${halen} bytes\n`);
      return -1;
    }
  }
  if (req.index && !create && !moveNetns) {
    stderr('index can be used only when creating devices or when moving device to another netns.\n');
    throw new IpExit(255);
  }
  if (!create) {
    if (dev === undefined) {
      stderr('Not enough information: "dev" argument is required.\n');
      throw new IpExit(255);
    }
    const l = ctx.link(dev);
    if (!l) return nodev(dev);
    req.target = l;
    if (name !== dev) req.name = name;
  } else {
    if (name !== dev) {
      stderr('both "name" and "dev" cannot be used when creating devices.\n');
      throw new IpExit(255);
    }
    if (req.link !== undefined && !ctx.link(req.link)) return nodev(req.link);
    req.name = name;
  }
  req.dev = dev;
  return used;
}

/** netns_get_fd: a /run/netns name (or a path under it). */
function netnsByName(ctx: IpCtx, text: string): NetNs | undefined {
  const m = ctx.sys.machine();
  if (!text.includes('/')) return m.mounts.get(text);
  const prefix = '/run/netns/';
  return text.startsWith(prefix) ? m.mounts.get(text.slice(prefix.length)) : undefined;
}

/** The namespace a `netns PID|NAME` attribute means (ESRCH for a pid nobody has). */
function targetNetns(ctx: IpCtx, n: NonNullable<LinkReq['netns']>): NetNs {
  if (n.ns) return n.ns;
  const p = ctx.sys.machine().procs.get(n.pid!);
  if (!p) throw new KernelError('ESRCH');
  return p.netns;
}

function mac(bytes: number[] | undefined): Mac | undefined {
  return bytes ? formatMac(bytes) : undefined;
}

/** iplink_modify: `ip link add|set|change|replace|delete`. */
function modify(ctx: IpCtx, args: string[], cmd: 'add' | 'set' | 'replace' | 'delete'): number {
  const create = cmd === 'add' || cmd === 'replace';
  const a = new Args(args);
  const req: LinkReq = {};
  const ret = iplinkParse(ctx, a, req, create);
  if (ret < 0) return ret;
  if (req.type !== undefined) {
    const type = req.type;
    const rest = a.rest();
    if (type === 'veth') {
      if (rest.length) {
        // veth_parse_opt: `peer` and then link options for the other end.
        if (rest[0] !== 'peer') {
          // veth's usage goes to stdout: print_usage ignores the stream it is given.
          ctx.cmd.stdout("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
          return -1;
        }
        const pa = new Args(rest.slice(1));
        const peer: LinkReq = {};
        const err = iplinkParse(ctx, pa, peer, true);
        if (err < 0) return err;
        if (peer.type !== undefined) duparg('type', rest[err]);
        req.peer = peer;
        req.kindOpts = { kind: 'veth' };
      }
    } else if (KNOWN_KINDS.has(type) && rest.length) {
      const k = parseKind(ctx, type, rest, create);
      if (typeof k === 'number') return -1;
      req.kindOpts = k;
    } else if (rest.length) {
      if (matches(rest[0], 'help')) linkUsage();
      stderr(`Garbage instead of arguments "${rest[0]} ...". Try "ip link help".\n`);
      return -1;
    }
  } else if (create) {
    stderr('Not enough information: "type" argument is required\n');
    return -1;
  }
  const ok = ctx.rtnl(() => {
    if (cmd === 'delete') return deleteLink(ctx, req);
    if (req.target) return setLink(ctx, req.target, req);
    // NLM_F_REPLACE on a device that exists: rtnl_newlink does not replace devices.
    if (cmd === 'replace' && req.name !== undefined && ctx.link(req.name)) throw new KernelError('EOPNOTSUPP');
    if (!create) throw new KernelError('ENODEV');
    return createLink(ctx, req);
  });
  return ok ? 0 : -2;
}

function deleteLink(ctx: IpCtx, req: LinkReq): void {
  const l = req.target!;
  if (l.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
  ctx.ns.deleteLink(l);
}

/** The kind ops of a kind podlab's kernel has; others are not built into it. */
function kindOf(type: string): LinkKind {
  if (!SUPPORTED_KINDS.has(type)) throw new KernelError('EOPNOTSUPP', 'Unknown device type');
  return type as LinkKind;
}

/** validate_linkmsg / eth_validate_addr for a new device's address. */
function checkAddress(addr: number[] | undefined): void {
  if (!addr) return;
  if (addr.length !== 6) throw new KernelError('EINVAL');
  if (addr[0] & 1 || addr.every((b) => b === 0)) throw new KernelError('EADDRNOTAVAIL');
}

/** rtnl_newlink for a new device: create (in `netns` if given), configure flags, set master. */
function createLink(ctx: IpCtx, req: LinkReq): void {
  const kind = kindOf(req.type!);
  const here = ctx.ns;
  const dest = req.netns ? targetNetns(ctx, req.netns) : here;
  checkAddress(req.address);
  // Without a name the kernel picks `KIND%d` when it registers the device.
  const name = req.name ?? `${kind}%d`;
  const spec: LinkSpec = { name, kind, mac: mac(req.address), mtu: req.mtu, txqlen: req.txqlen, ifindex: req.index, queues: [req.numtxqueues, req.numrxqueues] };
  if (req.mtu !== undefined) checkMtuRange(kind, req.mtu);
  const lower = req.link !== undefined ? ctx.link(req.link) : undefined;
  const opts = req.kindOpts;
  switch (kind) {
    case 'veth': {
      // Without `peer` options the peer is made from the device's own attributes (but not its
      // name, address, index or flags): veth_newlink uses the same attribute table for both.
      const p: LinkReq = req.peer ?? { mtu: req.mtu, txqlen: req.txqlen, numtxqueues: req.numtxqueues, numrxqueues: req.numrxqueues, netns: req.netns };
      checkAddress(p.address);
      if (p.mtu !== undefined) checkMtuRange('veth', p.mtu);
      spec.peer = { name: p.name, ns: p.netns ? targetNetns(ctx, p.netns) : here, mac: mac(p.address), mtu: p.mtu, txqlen: p.txqlen, ifindex: p.index, up: p.up, queues: [p.numtxqueues, p.numrxqueues] };
      break;
    }
    case 'vxlan': {
      const v = opts?.kind === 'vxlan' ? opts.o : { dstportGiven: false };
      if (v.vni === undefined) throw new KernelError('EINVAL', 'Required attributes not provided to perform the operation');
      const dstport = v.dstport || 8472;
      for (const l of dest.links.values())
        if (l.kind === 'vxlan' && l.vxlan!.vni === v.vni && l.vxlan!.dstport === dstport) throw new KernelError('EEXIST', 'A VXLAN device with the specified VNI already exists');
      spec.vxlan = { vni: v.vni, dstport, local: v.local, remote: v.remote, dev: v.dev, learning: v.learning ?? true, ttl: v.ttl ?? 0, ttlInherit: v.ttlInherit, tos: v.tos, df: v.df, srcport: v.srcport, ageing: v.ageing };
      break;
    }
    case 'macvlan': {
      if (!lower) throw new KernelError('EINVAL');
      if (lower.kind === 'loopback' || lower.kind === 'ipip') throw new KernelError('EINVAL');
      const root = lower.kind === 'macvlan' && lower.lower ? lower.lower : lower;
      spec.macvlan = { lower: root, mode: opts?.kind === 'macvlan' ? opts.o.mode : undefined };
      break;
    }
    case 'ipip': {
      const t = opts?.kind === 'ipip' ? opts.o : undefined;
      spec.ipip = { local: t?.local, remote: t?.remote, ttl: t?.ttl, dev: t?.dev, pmtudisc: t?.pmtudisc };
      break;
    }
    default:
      break;
  }
  const link = dest.createLink(spec);
  if (kind === 'bridge' && opts?.kind === 'bridge') applyBridge(link, opts.o, dest);
  // rtnl_configure_link: the flags of the request, then the master.
  applyFlags(dest, link, req);
  if (req.master !== undefined && req.master !== 0) {
    const m = dest.links.get(req.master);
    if (!m) throw new KernelError('EINVAL');
    dest.setMaster(link, m);
  }
}

/** dev_validate_mtu for a device being created. */
function checkMtuRange(kind: LinkKind, mtu: number): void {
  const [min, max] = kind === 'dummy' ? [0, 0] : kind === 'ipip' ? [68, 65515] : [68, 65535];
  if (mtu < min) throw new KernelError('EINVAL', 'mtu less than device minimum');
  if (max && mtu > max) throw new KernelError('EINVAL', 'mtu greater than device maximum');
}

function applyBridge(link: Link, o: NonNullable<Extract<KindOpts, { kind: 'bridge' }>['o']>, ns: NetNs): void {
  const b = link.bridge!;
  // br_set_ageing_time kicks the fdb garbage collection, up or not.
  if (o.ageingTime !== undefined) b.gcSince = ns.kernel.clock.now;
  if (o.forwardDelay !== undefined) b.forwardDelay = o.forwardDelay;
  if (o.helloTime !== undefined) b.helloTime = o.helloTime;
  if (o.maxAge !== undefined) b.maxAge = o.maxAge;
  if (o.ageingTime !== undefined) b.ageingTime = o.ageingTime;
  if (o.stp !== undefined) b.stp = o.stp !== 0;
  if (o.priority !== undefined) b.priority = o.priority;
  if (o.vlanFiltering !== undefined) b.vlanFiltering = o.vlanFiltering !== 0;
}

/** dev_change_flags with what the request asked for (up/down, promisc, allmulti, arp, multicast). */
function applyFlags(ns: NetNs, link: Link, req: LinkReq): void {
  if (req.promisc !== undefined) link.promisc = req.promisc ? 1 : 0;
  if (req.allmulti !== undefined) link.allmulti = req.allmulti ? 1 : 0;
  if (req.arp !== undefined && link.kind !== 'loopback' && link.kind !== 'ipip') link.noarp = !req.arp;
  if (req.multicast !== undefined) link.multicast = req.multicast;
  if (req.up !== undefined) ns.setUp(link, req.up);
}

/** rtnl_newlink on an existing device: the kind's changelink, then do_setlink's steps in order. */
function setLink(ctx: IpCtx, link: Link, req: LinkReq): void {
  let ns = ctx.ns;
  const opts = req.kindOpts;
  if (opts) {
    if (opts.kind === 'bridge_slave') {
      // slave_changelink of the master's kind: only for bridge ports.
      if (!link.master) throw new KernelError('EOPNOTSUPP');
      const p = link.port!;
      const o = opts.o;
      if (o.hairpin !== undefined) p.hairpin = o.hairpin;
      if (o.learning !== undefined) p.learning = o.learning;
      if (o.flood !== undefined) p.flood = o.flood;
      if (o.mcastFlood !== undefined) p.mcastFlood = o.mcastFlood;
      if (o.bcastFlood !== undefined) p.bcastFlood = o.bcastFlood;
      if (o.neighSuppress !== undefined) p.neighSuppress = o.neighSuppress;
      if (o.isolated !== undefined) p.isolated = o.isolated;
      if (o.proxyArp !== undefined) p.proxyArp = o.proxyArp;
      if (o.cost !== undefined) p.cost = o.cost;
      if (o.priority !== undefined) p.priority = o.priority;
    } else if (opts.kind !== link.kind || opts.kind === 'veth' || opts.kind === 'dummy') {
      // changelink of another kind, or of a kind without one.
      throw new KernelError('EOPNOTSUPP');
    } else if (opts.kind === 'bridge') applyBridge(link, opts.o, ns);
    else if (opts.kind === 'vxlan' && opts.o.learning !== undefined) link.vxlan!.learning = opts.o.learning;
    else if (opts.kind === 'macvlan' && opts.o.mode) link.macvlan!.mode = opts.o.mode;
  }
  if (req.netns) {
    const to = targetNetns(ctx, req.netns);
    ns.moveLink(link, to);
    ns = to;
  }
  if (req.address) {
    if (link.kind === 'loopback' || link.kind === 'ipip') throw new KernelError('EOPNOTSUPP');
    ns.setMac(link, formatMac(req.address));
  }
  if (req.mtu !== undefined) ns.setMtu(link, req.mtu);
  if (req.group !== undefined) link.group = req.group;
  if (req.name !== undefined && req.name !== link.name) ns.rename(link, req.name);
  if (req.alias !== undefined) link.alias = req.alias === '' ? undefined : req.alias;
  if (req.broadcast) link.brd = formatMac(req.broadcast);
  applyFlags(ns, link, req);
  if (req.master !== undefined) ns.setMaster(link, req.master === 0 ? undefined : ns.links.get(req.master) ?? invalidMaster());
  if (req.carrier !== undefined) ns.setCarrier(link, req.carrier);
  if (req.txqlen !== undefined) {
    if (req.txqlen < 0) throw new KernelError('EINVAL');
    link.txqlen = req.txqlen;
  }
}

function invalidMaster(): never {
  throw new KernelError('EINVAL');
}

/** `ip link help [TYPE]`: a kind's own help on stdout, else the usage. */
function doHelp(ctx: IpCtx, argv: string[]): number {
  if (argv[0] === 'veth') {
    ctx.cmd.stdout("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
    return 0;
  }
  linkUsage();
}

export function doIplink(ctx: IpCtx, argv: string[]): number {
  if (argv.length < 1) return listFlushOrSave(ctx, [], 'list', true);
  const [c, ...rest] = argv;
  if (matches(c, 'add')) return modify(ctx, rest, 'add');
  if (matches(c, 'set') || matches(c, 'change')) return modify(ctx, rest, 'set');
  if (matches(c, 'replace')) return modify(ctx, rest, 'replace');
  if (matches(c, 'delete')) return modify(ctx, rest, 'delete');
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return listFlushOrSave(ctx, rest, 'list', true);
  if (matches(c, 'help')) return doHelp(ctx, rest);
  stderr(`Command "${c}" is unknown, try "ip link help".\n`);
  throw new IpExit(255);
}

