/**
 * `ip neighbour` (ipneigh.c): the ARP table of the namespace — add/change/replace/delete
 * entries (PERMANENT unless `nud` says otherwise), proxy entries, show and flush with their
 * state filters, get.
 */
import { formatIPv4, inSubnet, maskOf } from '../../kernel/addr.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Link } from '../../kernel/link.ts';
import { formatMac } from '../../kernel/mac.ts';
import type { Neighbour, NudState } from '../../kernel/neigh.ts';
import { AF_INET, AF_INET6, AF_UNSPEC, Args, duparg, duparg2, getAddr, getPrefix, getUnsigned, invarg, IpExit, matches, nodev, parseLladdr, stderr, type InetPrefix } from './args.ts';
import type { IpCtx } from './context.ts';

const NUD: Record<NudState, number> = { INCOMPLETE: 0x01, REACHABLE: 0x02, STALE: 0x04, DELAY: 0x08, PROBE: 0x10, FAILED: 0x20, NOARP: 0x40, PERMANENT: 0x80, NONE: 0 };
const NUD_ORDER: NudState[] = ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'];

function usage(): never {
  stderr(
    'Usage: ip neigh { add | del | change | replace }\n' +
      '                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }\n' +
      '                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]\n' +
      '                [ protocol PROTO ]\n' +
      '\n' +
      '\tip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]\n' +
      '\t\t\t\t  [ vrf NAME ] [ nomaster ]\n' +
      '\tip neigh get { ADDR | proxy ADDR } dev DEV\n' +
      '\n' +
      'STATE := { delay | failed | incomplete | noarp | none |\n' +
      '           permanent | probe | reachable | stale }\n',
  );
  throw new IpExit(255);
}

/** nud_state_a2n */
function nudA2N(arg: string): number | undefined {
  if (matches(arg, 'permanent')) return NUD.PERMANENT;
  if (matches(arg, 'reachable')) return NUD.REACHABLE;
  if (arg === 'noarp') return NUD.NOARP;
  if (arg === 'none') return 0;
  if (arg === 'stale') return NUD.STALE;
  if (arg === 'incomplete') return NUD.INCOMPLETE;
  if (arg === 'delay') return NUD.DELAY;
  if (arg === 'probe') return NUD.PROBE;
  if (matches(arg, 'failed')) return NUD.FAILED;
  const n = getUnsigned(arg);
  if (n === undefined || n >= 0x100 || n & (n - 1)) return undefined;
  return n;
}

function stateName(bits: number): NudState | undefined {
  return NUD_ORDER.find((s) => NUD[s] === bits);
}

/** ipneigh_modify: `ip neigh add|change|replace|del`. */
function modify(ctx: IpCtx, args: string[], cmd: 'add' | 'change' | 'replace' | 'del'): number {
  let state = NUD.PERMANENT;
  let dev: string | undefined;
  let devOk = false;
  let dst: InetPrefix | undefined;
  let lla: string | undefined;
  let proxy = false;
  let router = false;
  const a = new Args(args);
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'lladdr')) {
      a.next();
      if (lla !== undefined) duparg('lladdr', a.cur);
      lla = a.cur;
    } else if (w === 'nud') {
      a.next();
      const s = nudA2N(a.cur);
      if (s === undefined) invarg('nud state is bad', a.cur);
      state = s;
    } else if (matches(w, 'proxy')) {
      a.next();
      if (matches(a.cur, 'help')) usage();
      if (dst) duparg('address', a.cur);
      dst = getAddr(a.cur, ctx.opts.family);
      devOk = true;
      proxy = true;
    } else if (w === 'router') router = true;
    else if (w === 'use' || w === 'managed' || matches(w, 'extern_learn')) {
      // flags podlab's neighbours do not keep
    } else if (w === 'dev') {
      dev = a.next();
      devOk = true;
    } else if (matches(w, 'protocol')) {
      a.next();
      if (ctx.names.protoA2N(a.cur) === undefined) invarg('"protocol" value is invalid\n', a.cur);
    } else {
      if (w === 'to') a.next();
      if (matches(a.cur, 'help')) a.next();
      if (dst) duparg2('to', a.cur);
      dst = getAddr(a.cur, ctx.opts.family);
    }
    a.shift();
  }
  if (!devOk || !dst || dst.family === AF_UNSPEC) {
    stderr('Device and destination are required arguments.\n');
    throw new IpExit(255);
  }
  let mac: number[] | undefined;
  if (lla !== undefined && lla !== 'null') {
    mac = parseLladdr(lla);
    if (!mac) return -1;
  }
  let link: Link | undefined;
  if (dev !== undefined) {
    link = ctx.link(dev);
    if (!link) return nodev(dev);
  }
  const table = ctx.ns.neigh;
  const ok = ctx.rtnl(() => {
    if (dst!.family !== AF_INET) throw new KernelError('EOPNOTSUPP');
    const addr = dst!.v4;
    if (proxy) {
      const i = table.proxies.findIndex((p) => p.addr === addr && p.dev === link);
      if (cmd === 'del') {
        if (i < 0) throw new KernelError('ENOENT');
        table.proxies.splice(i, 1);
      } else if (i < 0) table.proxies.push({ addr, dev: link! });
      return;
    }
    if (!link) throw new KernelError('EINVAL', 'Device not specified');
    if (mac && mac.length < (link.kind === 'ipip' ? 4 : link.kind === 'loopback' ? 6 : 6)) throw new KernelError('EINVAL', 'Invalid link address');
    const n = table.get(link, addr);
    if (cmd === 'del') {
      if (!n) throw new KernelError('ENOENT');
      table.delete(n);
      return;
    }
    if (!n && cmd === 'change') throw new KernelError('ENOENT');
    if (n && cmd === 'add') throw new KernelError('EEXIST');
    const name = stateName(state) ?? 'NONE';
    // Valid states need an address: the given one, or the one the entry already has. The
    // kernel has created the entry by then, so a refused add leaves it behind without a state.
    const valid = NUD.PERMANENT | NUD.NOARP | NUD.REACHABLE | NUD.PROBE | NUD.STALE | NUD.DELAY;
    if (!mac && state & valid && !n?.lladdr && link.kind !== 'loopback') {
      if (!n) table.set(link, addr, { state: 'NONE' });
      throw new KernelError('EINVAL', 'No link layer address given');
    }
    table.set(link, addr, { state: name, lladdr: mac ? formatMac(mac) : n?.lladdr, router });
  });
  // ipneigh_modify exits 2 itself when the kernel refuses.
  if (!ok) throw new IpExit(2);
  return 0;
}

function fnmatchPrefix(p: InetPrefix | undefined, addr: number): boolean {
  if (!p || p.family === AF_UNSPEC || p.bitlen <= 0) return true;
  if (p.family !== AF_INET) return false;
  return inSubnet(addr, p.v4, maskOf(p.bitlen));
}

interface NeighFilter {
  index?: Link;
  state: number;
  pfx?: InetPrefix;
  proxy: boolean;
  master?: number;
  family: number;
}

/** print_neigh */
function printNeigh(ctx: IpCtx, f: NeighFilter, n: { addr: number; dev: Link; lladdr?: string; state: number; router?: boolean; proxy?: boolean }): void {
  const out = ctx.out;
  out.openObject();
  const dst = formatIPv4(n.addr);
  if (ctx.opts.brief) {
    out.any('dst', `${dst.padEnd(39)} `, dst);
    if (!f.index) out.any('dev', `${n.dev.name.padEnd(16)} `, n.dev.name);
    if (n.lladdr) out.any('lladdr', n.lladdr, n.lladdr);
    out.fp('\n');
    out.closeObject();
    return;
  }
  out.any('dst', `${dst} `, dst);
  if (!f.index) {
    out.fp('dev ');
    out.any('dev', `${n.dev.name} `, n.dev.name);
  }
  if (n.lladdr) {
    out.fp('lladdr ');
    out.any('lladdr', `${n.lladdr} `, n.lladdr);
  }
  if (n.router) out.any('router', 'router ', null);
  if (n.proxy) out.any('proxy', 'proxy ', null);
  if (n.state) {
    out.openArray(out.isJson ? 'state' : '');
    for (const s of NUD_ORDER) if (n.state & NUD[s]) out.any(null, `${s} `, s);
    out.closeArray();
  }
  out.fp('\n');
  out.closeObject();
}

/** do_show_or_flush */
function showOrFlush(ctx: IpCtx, args: string[], flush: boolean): number {
  const f: NeighFilter = { state: flush ? ~(NUD.PERMANENT | NUD.NOARP) : 0xff & ~NUD.NOARP, proxy: false, family: ctx.opts.family };
  if (flush && !args.length) {
    stderr('Flush requires arguments.\n');
    return -1;
  }
  let dev: string | undefined;
  let stateGiven = false;
  const a = new Args(args);
  while (a.more) {
    const w = a.cur;
    if (w === 'dev') {
      a.next();
      if (dev !== undefined) duparg('dev', a.cur);
      dev = a.cur;
    } else if (w === 'master') {
      a.next();
      const m = ctx.link(a.cur);
      if (!m) invarg('Device does not exist\n', a.cur);
      f.master = m.ifindex;
    } else if (w === 'vrf') {
      a.next();
      invarg('Not a valid VRF name\n', a.cur);
    } else if (w === 'nomaster') {
      f.master = -1;
    } else if (w === 'unused') {
      // every podlab entry is unreferenced
    } else if (w === 'nud') {
      a.next();
      if (!stateGiven) {
        stateGiven = true;
        f.state = 0;
      }
      let s = nudA2N(a.cur);
      if (s === undefined) {
        if (a.cur !== 'all') invarg('nud state is bad', a.cur);
        s = ~0;
        if (flush) s &= ~NUD.NOARP;
      }
      if (s === 0) s = 0x100;
      f.state |= s;
    } else if (w === 'proxy') {
      f.proxy = true;
    } else if (matches(w, 'protocol')) {
      a.next();
      if (ctx.names.protoA2N(a.cur) === undefined && a.cur !== 'all') invarg('invalid "protocol"\n', a.cur);
    } else {
      if (w === 'to') a.next();
      if (matches(a.cur, 'help')) usage();
      f.pfx = getPrefix(a.cur, f.family);
      if (f.family === AF_UNSPEC) f.family = f.pfx.family;
    }
    a.shift();
  }
  if (dev !== undefined) {
    const l = ctx.link(dev);
    if (!l) return nodev(dev);
    f.index = l;
  }
  const table = ctx.ns.neigh;
  const select = (): { addr: number; dev: Link; lladdr?: string; state: number; router?: boolean; proxy?: boolean; entry?: Neighbour }[] => {
    if (f.family === AF_INET6) return [];
    type Row = { addr: number; dev: Link; lladdr?: string; state: number; router?: boolean; proxy?: boolean; entry?: Neighbour };
    const rows: Row[] = f.proxy
      ? table.proxies.map((p) => ({ addr: p.addr, dev: p.dev, state: 0, proxy: true }))
      : table.list().map((n) => ({ addr: n.addr, dev: n.dev, lladdr: n.lladdr, state: NUD[n.state], router: n.router, entry: n }));
    return rows.filter((r) => {
      if (f.index && r.dev !== f.index) return false;
      if (f.master === -1 && r.dev.master) return false;
      if (f.master !== undefined && f.master > 0 && r.dev.master?.ifindex !== f.master) return false;
      if (!(f.state & r.state) && !r.proxy && (r.state || !(f.state & 0x100))) return false;
      return fnmatchPrefix(f.pfx, r.addr);
    });
  };
  if (flush) {
    let round = 0;
    for (;;) {
      const victims = select();
      if (!victims.length) {
        if (ctx.opts.stats) ctx.cmd.stdout(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
        return 0;
      }
      round++;
      if (ctx.opts.stats > 1) for (const v of victims) printNeigh(ctx, f, v);
      for (const v of victims) {
        if (v.entry) table.delete(v.entry);
        else if (v.proxy) table.proxies.splice(table.proxies.findIndex((p) => p.addr === v.addr && p.dev === v.dev), 1);
      }
      if (ctx.opts.stats) ctx.cmd.stdout(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
      f.state &= ~NUD.FAILED;
      if (round >= 10) {
        ctx.cmd.stdout('*** Flush not complete bailing out after 10 rounds\n');
        return 1;
      }
    }
  }
  ctx.out.begin();
  for (const r of select()) printNeigh(ctx, f, r);
  ctx.out.end();
  return 0;
}

/** ipneigh_get */
function get(ctx: IpCtx, args: string[]): number {
  let dev: string | undefined;
  let dst: InetPrefix | undefined;
  let proxy = false;
  let devOk = false;
  const a = new Args(args);
  while (a.more) {
    const w = a.cur;
    if (w === 'dev') {
      dev = a.next();
      devOk = true;
    } else if (matches(w, 'proxy')) {
      a.next();
      if (matches(a.cur, 'help')) usage();
      if (dst) duparg('address', a.cur);
      dst = getAddr(a.cur, ctx.opts.family);
      devOk = true;
      proxy = true;
    } else {
      if (w === 'to') a.next();
      if (matches(a.cur, 'help')) usage();
      if (dst) duparg2('to', a.cur);
      dst = getAddr(a.cur, ctx.opts.family);
    }
    a.shift();
  }
  if (!devOk || !dst || dst.family === AF_UNSPEC) {
    stderr('Device and address are required arguments.\n');
    return -1;
  }
  let link: Link | undefined;
  if (dev !== undefined) {
    link = ctx.link(dev);
    if (!link) {
      stderr(`Cannot find device "${dev}"\n`);
      return -1;
    }
  }
  const table = ctx.ns.neigh;
  let row: Parameters<typeof printNeigh>[2] | undefined;
  const ok = ctx.rtnl(() => {
    if (proxy) {
      const p = table.proxies.find((x) => x.addr === dst!.v4 && (!link || x.dev === link));
      if (!p) throw new KernelError('ENOENT');
      row = { addr: p.addr, dev: p.dev, state: 0, proxy: true };
      return;
    }
    if (!link) throw new KernelError('EINVAL');
    const n = table.get(link, dst!.v4);
    if (!n) throw new KernelError('ENOENT', 'Neighbour entry not found');
    row = { addr: n.addr, dev: n.dev, lladdr: n.lladdr, state: NUD[n.state], router: n.router };
  });
  if (!ok) return -2;
  printNeigh(ctx, { state: ~0, proxy, family: AF_UNSPEC }, row!);
  return 0;
}

export function doIpneigh(ctx: IpCtx, argv: string[]): number {
  if (!argv.length) return showOrFlush(ctx, [], false);
  const [c, ...rest] = argv;
  if (matches(c, 'add')) return modify(ctx, rest, 'add');
  if (matches(c, 'change') || c === 'chg') return modify(ctx, rest, 'change');
  if (matches(c, 'replace')) return modify(ctx, rest, 'replace');
  if (matches(c, 'delete')) return modify(ctx, rest, 'del');
  if (matches(c, 'get')) return get(ctx, rest);
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return showOrFlush(ctx, rest, false);
  if (matches(c, 'flush')) return showOrFlush(ctx, rest, true);
  if (matches(c, 'help')) usage();
  stderr(`Command "${c}" is unknown, try "ip neigh help".\n`);
  throw new IpExit(255);
}
