/**
 * `-m limit`: a token bucket (xt_limit). iptables-nft turns it into nft's native limit expression
 * (rate per unit) and back, so what is listed is the rate as nft stores it: a burst of 0 comes
 * back as the default 5.
 */
import { XtError, type XtMatch } from './types.ts';
import { x6Check, x6Uint } from './xtopt.ts';

const SCALE = 10000;
const DEFAULT_BURST = 5;

export interface LimitData {
  /** Average period between packets in 1/10000 s (xt_rateinfo.avg). */
  avg: number;
  burst: number;
  seen: string[];
}

function parseRate(rate: string): number {
  const slash = rate.indexOf('/');
  let mult = 1;
  if (slash >= 0) {
    const unit = rate.slice(slash + 1).toLowerCase();
    if (unit.length === 0) throw new XtError(`bad rate "${rate}"'`);
    if ('second'.startsWith(unit)) mult = 1;
    else if ('minute'.startsWith(unit)) mult = 60;
    else if ('hour'.startsWith(unit)) mult = 3600;
    else if ('day'.startsWith(unit)) mult = 86400;
    else throw new XtError(`bad rate "${rate}"'`);
  }
  const m = /^\s*[+-]?\d+/.exec(rate); // atoi
  const r = m ? Number(m[0]) : 0;
  if (!r || r < 0) throw new XtError(`bad rate "${rate}"'`);
  const val = Math.floor((SCALE * mult) / r);
  if (val === 0) throw new XtError(`Rate too fast "${rate}"`);
  return val;
}

const RATES: [string, number][] = [['day', SCALE * 86400], ['hour', SCALE * 3600], ['min', SCALE * 60], ['sec', SCALE]];

/** The unit nft stores the rate in (add_nft_limit's choice) as an index into RATES. */
function unitIndex(avg: number): number {
  let i = 1;
  for (; i < RATES.length; i++) {
    const m = RATES[i][1];
    if (avg > m || Math.floor(m / avg) < m % avg) break;
  }
  return i - 1;
}

/** The avg iptables reads back from nft's limit expression. */
function roundTrip(avg: number): number {
  const [, mult] = RATES[unitIndex(avg)];
  const rate = Math.floor(mult / avg);
  return Math.floor((mult) / rate);
}

function rateText(avg: number): string {
  const [name, mult] = RATES[unitIndex(avg)];
  return ` ${Math.floor(mult / avg)}/${name}`;
}

interface Bucket {
  credit: number;
  last: number;
}

export const limit: XtMatch<LimitData> = {
  kind: 'match',
  name: 'limit',
  options: [{ name: 'limit', arg: true, invert: true }, { name: 'limit-burst', arg: true, invert: true }],
  init: () => ({ avg: Math.floor(SCALE * 3600 / 3), burst: DEFAULT_BURST, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'limit', opt, invert, false);
    if (opt === 'limit') d.avg = roundTrip(parseRate(arg!));
    else d.burst = x6Uint('limit', opt, arg!, 0, 10000) || DEFAULT_BURST;
  },
  print: (d) => ` limit: avg${rateText(d.avg)} burst ${d.burst}`,
  save: (d) => ` --limit${rateText(d.avg)}${d.burst !== DEFAULT_BURST ? ` --limit-burst ${d.burst}` : ''}`,
  match(d, _pkt, ctx) {
    // Credits in units of 1/10000 s: each packet costs avg, the bucket holds avg * burst.
    const cap = d.avg * d.burst;
    const b = ctx.state<WeakMap<LimitData, Bucket>>('limit', () => new WeakMap());
    const now = ctx.now();
    let st = b.get(d);
    if (!st) {
      st = { credit: cap, last: now };
      b.set(d, st);
    }
    st.credit = Math.min(cap, st.credit + (now - st.last) * 10);
    st.last = now;
    if (st.credit >= d.avg) {
      st.credit -= d.avg;
      return true;
    }
    return false;
  },
};
