/**
 * `-m statistic`: random mode (kube-proxy's endpoint spread) and nth mode. The probability is
 * stored as the kernel stores it, lround(2^31 · p), and printed back from that, which is why
 * 0.3333333333 lists as 0.33333333349.
 */
import { markSeen, x6 } from './xtopt.ts';
import { XtError, type XtMatch } from './types.ts';
import { strtoui } from './util.ts';

interface StatisticData {
  mode?: 'random' | 'nth';
  invert: boolean;
  /** lround(p · 2^31) */
  probability: number;
  /** every − 1, as the kernel keeps it */
  every: number;
  packet: number;
  seen: Set<string>;
}

function print(d: StatisticData, prefix: string): string {
  const inv = d.invert ? ' !' : '';
  if (d.mode === 'random') return ` ${prefix}mode random${inv} ${prefix}probability ${(d.probability / 0x80000000).toFixed(11)}`;
  let s = ` ${prefix}mode nth${inv} ${prefix}every ${d.every + 1}`;
  if (d.packet || prefix) s += ` ${prefix}packet ${d.packet}`;
  return s;
}

function parseU32(opt: string, arg: string, min: number): number {
  const v = strtoui(arg, min);
  if (v === undefined) throw x6.badValue('statistic', opt, min, 4294967295);
  return v;
}

export const statistic: XtMatch<StatisticData> = {
  kind: 'match',
  name: 'statistic',
  options: [
    { name: 'mode', arg: true, invert: true },
    { name: 'probability', arg: true, invert: true },
    { name: 'every', arg: true, invert: true },
    { name: 'packet', arg: true },
  ],
  init: () => ({ invert: false, probability: 0, every: 0, packet: 0, seen: new Set() }),
  parse(d, opt, arg, invert) {
    markSeen(d.seen, 'statistic', opt);
    if (invert) d.invert = true;
    const a = arg!;
    switch (opt) {
      case 'mode':
        if (a !== 'random' && a !== 'nth') throw new XtError(`Bad mode "${a}"`);
        d.mode = a;
        break;
      case 'probability': {
        const p = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(a) ? Number(a) : NaN;
        if (Number.isNaN(p) || p < 0 || p > 1) throw new XtError(`statistic: bad value for option "--probability", or out of range (0-1).\n`);
        d.probability = Math.round(0x80000000 * p);
        break;
      }
      case 'every':
        d.every = parseU32(opt, a, 1) - 1;
        break;
      case 'packet':
        d.packet = parseU32(opt, a, 0);
        break;
    }
  },
  final(d) {
    // Without --mode the kernel struct says random (mode 0), which the checks below see.
    const mode = d.mode ?? 'random';
    if (mode === 'random' && !d.seen.has('probability')) throw new XtError('--probability must be specified when using random mode');
    if (mode === 'nth' && !d.seen.has('every')) throw new XtError('--every must be specified when using nth mode');
    if (d.seen.has('probability') && mode !== 'random') throw new XtError('--probability can only be used in random mode');
    if (d.seen.has('every') && mode !== 'nth') throw new XtError('--every can only be used in nth mode');
    if (d.seen.has('packet') && mode !== 'nth') throw new XtError('--packet can only be used in nth mode');
    if (d.seen.has('packet') && !d.seen.has('every')) throw new XtError('--packet can only be used with --every');
    if (d.packet > (d.every >>> 0)) throw new XtError('the --packet p must be 0 <= p <= n-1');
    // libxtables' generic checks run after the extension's own (xtables_option_mfcall).
    if (!d.seen.has('mode')) throw x6.mandatory('statistic', 'mode');
    if (d.seen.has('every') && !d.seen.has('packet')) throw new XtError('statistic: option "--every" also requires "--packet".\n');
  },
  print: (d) => ' statistic' + print(d, ''),
  save: (d) => print(d, '--'),
  match(d, _pkt, ctx) {
    let hit: boolean;
    if (d.mode === 'random') {
      // The kernel compares get_random_u32() & 0x7fffffff with the stored probability.
      hit = (ctx.random32() & 0x7fffffff) < d.probability;
    } else {
      // One counter per rule instance, as the kernel keeps it in the match's private data.
      const st = ctx.state(`statistic-nth:${id(d)}`, () => ({ count: 0 }));
      st.count = st.count >= d.every ? 0 : st.count + 1;
      hit = st.count === d.packet;
    }
    return hit !== d.invert;
  },
};

const ids = new WeakMap<object, number>();
let nextId = 0;
function id(o: object): number {
  let v = ids.get(o);
  if (v === undefined) ids.set(o, (v = nextId++));
  return v;
}
