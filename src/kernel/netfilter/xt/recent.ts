/**
 * `-m recent`: per-namespace lists of recently seen addresses (xt_recent), which kube-proxy uses
 * for sessionAffinity: ClientIP (`--set` in the endpoint chain, `--rcheck --seconds --reap` in
 * the service chain).
 */
import { checkExclusive, markSeen, x6 } from './xtopt.ts';
import { formatIPv4, parseIPv4 } from '../../addr.ts';
import { XtError, type XtMatch } from './types.ts';
import { strtoui } from './util.ts';

type Mode = 'set' | 'rcheck' | 'update' | 'remove';

interface RecentData {
  mode?: Mode;
  invert: boolean;
  seconds: number;
  hitcount: number;
  reap: boolean;
  rttl: boolean;
  name: string;
  mask: number;
  side: 'source' | 'dest';
  seen: Set<string>;
}

/** The kernel keeps the last 20 hit times per address (ip_pkt_list_tot). */
const PKT_LIST_TOT = 20;

interface Entry {
  hits: number[];
  ttl: number;
}

const MODES: Mode[] = ['set', 'rcheck', 'update', 'remove'];
const RECENT_ORDER = [...MODES, 'seconds', 'reap', 'hitcount', 'rttl', 'name', 'mask', 'rsource', 'rdest'];

export const recent: XtMatch<RecentData> = {
  kind: 'match',
  name: 'recent',
  options: [
    ...MODES.map((name) => ({ name, arg: false, invert: true })),
    { name: 'seconds', arg: true },
    { name: 'reap', arg: false },
    { name: 'hitcount', arg: true },
    { name: 'rttl', arg: false },
    { name: 'name', arg: true },
    { name: 'mask', arg: true },
    { name: 'rsource', arg: false },
    { name: 'rdest', arg: false },
  ],
  init: () => ({ invert: false, seconds: 0, hitcount: 0, reap: false, rttl: false, name: 'DEFAULT', mask: 0xffffffff, side: 'source', seen: new Set() }),
  parse(d, opt, arg, invert) {
    markSeen(d.seen, 'recent', opt);
    if ((MODES as string[]).includes(opt)) {
      d.mode = opt as Mode;
      if (invert) d.invert = true;
      return;
    }
    switch (opt) {
      case 'seconds':
      case 'hitcount': {
        const v = strtoui(arg!, 1);
        if (v === undefined) throw x6.badValue('recent', opt, 1, 4294967295);
        if (opt === 'seconds') d.seconds = v;
        else d.hitcount = v;
        break;
      }
      case 'reap': d.reap = true; break;
      case 'rttl': d.rttl = true; break;
      case 'name': d.name = arg!; break;
      case 'mask': {
        const m = parseIPv4(arg!);
        if (m === undefined) throw new XtError(`recent: bad value for option "--mask", or out of range (0-4294967295).\n`);
        d.mask = m;
        break;
      }
      case 'rsource': d.side = 'source'; break;
      case 'rdest': d.side = 'dest'; break;
    }
  },
  final(d) {
    checkExclusive('recent', RECENT_ORDER, d.seen, [MODES, ['rsource', 'rdest']]);
    if (!d.mode) throw new XtError("recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
    if ((d.seconds || d.hitcount || d.rttl) && (d.mode === 'set' || d.mode === 'remove')) {
      throw new XtError("recent: --seconds, --hitcount, --rttl and --reap only valid with --rcheck or --update");
    }
    if (d.reap && !d.seconds) throw new XtError('recent: --reap only valid with --seconds');
  },
  print(d) {
    let s = `${d.invert ? ' !' : ''} recent:`;
    s += ` ${d.mode!.toUpperCase().replace('RCHECK', 'CHECK')}`;
    if (d.seconds) s += ` seconds: ${d.seconds}`;
    if (d.reap) s += ' reap';
    if (d.hitcount) s += ` hit_count: ${d.hitcount}`;
    if (d.rttl) s += ' TTL-Match';
    s += ` name: ${d.name}`;
    s += ` side: ${d.side}`;
    return s + ` mask: ${formatIPv4(d.mask)}`;
  },
  save(d) {
    let s = `${d.invert ? ' !' : ''} --${d.mode}`;
    if (d.seconds) s += ` --seconds ${d.seconds}`;
    if (d.reap) s += ' --reap';
    if (d.hitcount) s += ` --hitcount ${d.hitcount}`;
    if (d.rttl) s += ' --rttl';
    s += ` --name ${d.name} --mask ${formatIPv4(d.mask)}`;
    return s + (d.side === 'source' ? ' --rsource' : ' --rdest');
  },
  match(d, pkt, ctx) {
    const table = ctx.state(`recent:${d.name}`, () => new Map<number, Entry>());
    const addr = ((d.side === 'source' ? pkt.src : pkt.dst) & d.mask) >>> 0;
    const now = ctx.now();
    const entry = table.get(addr);
    let hit = false;
    if (d.mode === 'set') {
      const e = entry ?? { hits: [], ttl: pkt.ttl };
      e.hits.push(now);
      if (e.hits.length > PKT_LIST_TOT) e.hits.shift();
      e.ttl = pkt.ttl;
      table.set(addr, e);
      hit = true;
    } else if (entry) {
      if (d.mode === 'remove') {
        table.delete(addr);
        hit = true;
      } else {
        hit = !d.rttl || entry.ttl === pkt.ttl;
        if (hit && (d.seconds || d.hitcount)) {
          const since = d.seconds ? now - d.seconds * 1000 : -Infinity;
          const n = entry.hits.filter((t) => t >= since).length;
          hit = d.hitcount ? n >= d.hitcount : n > 0;
        }
        if (d.reap && d.seconds) {
          entry.hits = entry.hits.filter((t) => t >= now - d.seconds * 1000);
          if (entry.hits.length === 0) table.delete(addr);
        }
        if (d.mode === 'update' && hit) {
          entry.hits.push(now);
          if (entry.hits.length > PKT_LIST_TOT) entry.hits.shift();
          table.set(addr, entry);
        }
      }
    }
    return hit !== d.invert;
  },
};
