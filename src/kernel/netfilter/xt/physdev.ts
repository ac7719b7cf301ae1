/**
 * `-m physdev`: the bridge ports a bridged packet came in on and goes out of (br_netfilter),
 * and whether the packet is bridged at all.
 */
import { XtError, type XtMatch } from './types.ts';
import { ifaceMatches } from '../rule.ts';
import { parseIface, x6Check } from './xtopt.ts';

const IN = 1, OUT = 2, BRIDGED = 4, ISIN = 8, ISOUT = 0x10;

export interface PhysdevData {
  physIn: string;
  physOut: string;
  bitmask: number;
  invert: number;
  seen: string[];
}

const OPTS: [string, number][] = [
  ['physdev-in', IN], ['physdev-out', OUT], ['physdev-is-in', ISIN], ['physdev-is-out', ISOUT], ['physdev-is-bridged', BRIDGED],
];

function text(d: PhysdevData): string {
  const inv = (bit: number): string => (d.invert & bit ? ' !' : '');
  let s = '';
  if (d.bitmask & ISIN) s += `${inv(ISIN)} --physdev-is-in`;
  if (d.bitmask & IN) s += `${inv(IN)} --physdev-in ${d.physIn}`;
  if (d.bitmask & ISOUT) s += `${inv(ISOUT)} --physdev-is-out`;
  if (d.bitmask & OUT) s += `${inv(OUT)} --physdev-out ${d.physOut}`;
  if (d.bitmask & BRIDGED) s += `${inv(BRIDGED)} --physdev-is-bridged`;
  return s;
}

export const physdev: XtMatch<PhysdevData> = {
  kind: 'match',
  name: 'physdev',
  options: OPTS.map(([name]) => ({ name, arg: name === 'physdev-in' || name === 'physdev-out', invert: true })),
  init: () => ({ physIn: '', physOut: '', bitmask: 0, invert: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'physdev', opt, invert, true);
    const bit = OPTS.find(([n]) => n === opt)![1];
    if (opt === 'physdev-in') d.physIn = parseIface(arg!);
    if (opt === 'physdev-out') d.physOut = parseIface(arg!);
    d.bitmask |= bit;
    if (invert) d.invert |= bit;
  },
  final(d) {
    if (d.bitmask === 0) throw new XtError('PHYSDEV: no physdev option specified');
  },
  print: (d) => ' PHYSDEV match' + text(d),
  save: (d) => text(d),
  match(d, pkt) {
    // Not bridged: only the "is bridged / is in / is out" tests can be satisfied, by inversion.
    if (!pkt.bridged) {
      if (d.bitmask & BRIDGED && !(d.invert & BRIDGED)) return false;
      if (d.bitmask & ISIN && !(d.invert & ISIN)) return false;
      if (d.bitmask & ISOUT && !(d.invert & ISOUT)) return false;
      if (d.bitmask & IN && !(d.invert & IN)) return false;
      if (d.bitmask & OUT && !(d.invert & OUT)) return false;
      return true;
    }
    const test = (bit: number, ok: boolean): boolean => !(d.bitmask & bit) || ok !== Boolean(d.invert & bit);
    if (!test(BRIDGED, pkt.physOut !== undefined)) return false;
    if (!test(ISIN, pkt.physIn !== undefined)) return false;
    if (!test(ISOUT, pkt.physOut !== undefined)) return false;
    if (!test(IN, pkt.physIn !== undefined && ifaceMatches(d.physIn, pkt.physIn))) return false;
    if (!test(OUT, pkt.physOut !== undefined && ifaceMatches(d.physOut, pkt.physOut))) return false;
    return true;
  },
};
