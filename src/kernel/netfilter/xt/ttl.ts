/** `-m ttl`: the IP time-to-live compared with a value; `-j TTL` sets, raises or lowers it. */
import { XtError, type XtMatch, type XtTarget } from './types.ts';
import { x6Check, x6FcheckExcl, x6Uint } from './xtopt.ts';

type TtlMode = 'eq' | 'ne' | 'lt' | 'gt';

export interface TtlData {
  mode: TtlMode;
  ttl: number;
  seen: string[];
}

const TABLE = ['ttl-eq', 'ttl-lt', 'ttl-gt'];

export const ttl: XtMatch<TtlData> = {
  kind: 'match',
  name: 'ttl',
  options: TABLE.map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ mode: 'eq', ttl: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'ttl', opt, invert, opt === 'ttl-eq');
    d.ttl = x6Uint('ttl', opt, arg!, 0, 255);
    d.mode = opt === 'ttl-eq' ? (invert ? 'ne' : 'eq') : (opt.slice(4) as TtlMode);
  },
  final(d) {
    x6FcheckExcl('ttl', d.seen, ['ttl-lt', 'ttl-gt', 'ttl-eq'], { 'ttl-lt': TABLE, 'ttl-gt': TABLE, 'ttl-eq': TABLE });
    if (!d.seen.length) throw new XtError("TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt");
  },
  print(d) {
    const op = { eq: '==', ne: '!=', lt: '<', gt: '>' }[d.mode];
    return ` TTL match TTL ${op} ${d.ttl}`;
  },
  save: (d) => ({ eq: ' --ttl-eq', ne: ' ! --ttl-eq', lt: ' --ttl-lt', gt: ' --ttl-gt' })[d.mode] + ` ${d.ttl}`,
  match(d, pkt) {
    switch (d.mode) {
      case 'eq': return pkt.ttl === d.ttl;
      case 'ne': return pkt.ttl !== d.ttl;
      case 'lt': return pkt.ttl < d.ttl;
      case 'gt': return pkt.ttl > d.ttl;
    }
  },
};

export interface TtlTgData {
  mode: 'set' | 'inc' | 'dec' | undefined;
  ttl: number;
  seen: string[];
}

const TG_TABLE = ['ttl-set', 'ttl-dec', 'ttl-inc'];

export const ttlTarget: XtTarget<TtlTgData> = {
  kind: 'target',
  name: 'TTL',
  options: TG_TABLE.map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ mode: undefined, ttl: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'TTL', opt, invert, false);
    d.ttl = x6Uint('TTL', opt, arg!, opt === 'ttl-set' ? 0 : 1, 255);
    d.mode = opt.slice(4) as 'set' | 'inc' | 'dec';
  },
  final(d) {
    x6FcheckExcl('TTL', d.seen, TG_TABLE, { 'ttl-set': TG_TABLE, 'ttl-dec': TG_TABLE, 'ttl-inc': TG_TABLE });
    if (!d.mode) throw new XtError('TTL: You must specify an action');
  },
  print(d) {
    const what = { set: 'set to', dec: 'decrement by', inc: 'increment by' }[d.mode!];
    return ` TTL ${what} ${d.ttl}`;
  },
  save: (d) => ` --ttl-${d.mode} ${d.ttl}`,
  tables: ['mangle'],
  run(d, pkt) {
    if (d.mode === 'set') pkt.ttl = d.ttl;
    else if (d.mode === 'inc') pkt.ttl = Math.min(255, pkt.ttl + d.ttl);
    else pkt.ttl = Math.max(0, pkt.ttl - d.ttl);
    return { verdict: 'CONTINUE' };
  },
};
