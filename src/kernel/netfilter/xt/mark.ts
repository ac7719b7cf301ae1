/**
 * The packet mark (skb->mark): `-m mark --mark V[/M]` tests it, `-j MARK` sets it. kube-proxy
 * marks packets for masquerade with 0x4000 this way.
 */
import { hex, markSeen, parseValueMask } from './util.ts';
import { XtError, type XtMatch, type XtTarget } from './types.ts';

interface MarkMatchData {
  mark: number;
  mask: number;
  invert: boolean;
  seen: Set<string>;
}

export function printMarkMask(mark: number, mask: number): string {
  return mask !== 0xffffffff ? ` ${hex(mark)}/${hex(mask)}` : ` ${hex(mark)}`;
}

export function parseMarkArg(ext: string, opt: string, arg: string): { value: number; mask: number } {
  try {
    const { value, mask } = parseValueMask(arg);
    return { value, mask: mask ?? 0xffffffff };
  } catch {
    throw new XtError(`${ext}: bad value for option "--${opt}", or out of range (0-4294967295).\n`);
  }
}

export const markMatch: XtMatch<MarkMatchData> = {
  kind: 'match',
  name: 'mark',
  options: [{ name: 'mark', arg: true, invert: true }],
  init: () => ({ mark: 0, mask: 0xffffffff, invert: false, seen: new Set() }),
  parse(d, opt, arg, invert) {
    markSeen(d.seen, 'mark', opt);
    const { value, mask } = parseMarkArg('mark', opt, arg!);
    d.mark = value;
    d.mask = mask;
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.has('mark')) throw new XtError('mark: option "--mark" must be specified\n');
  },
  print: (d) => ` mark match${d.invert ? ' !' : ''}${printMarkMask(d.mark, d.mask)}`,
  save: (d) => `${d.invert ? ' !' : ''} --mark${printMarkMask(d.mark, d.mask)}`,
  match: (d, pkt) => (((pkt.mark & d.mask) >>> 0) === d.mark) !== d.invert,
};

interface MarkTargetData {
  /** XOR value and clear mask, as xt_mark_tginfo2: mark = (mark & ~mask) ^ value. */
  mark: number;
  mask: number;
  seen: Set<string>;
}

const MARK_OPTS = ['set-mark', 'set-xmark', 'and-mark', 'or-mark', 'xor-mark'];

export const markTarget: XtTarget<MarkTargetData> = {
  kind: 'target',
  name: 'MARK',
  options: MARK_OPTS.map((name) => ({ name, arg: true })),
  init: () => ({ mark: 0, mask: 0, seen: new Set() }),
  parse(d, opt, arg) {
    if (d.seen.size > 0) throw new XtError('MARK: Only one of --set-xmark, --{and,or,xor,set}-mark allowed\n');
    d.seen.add(opt);
    const { value, mask } = parseMarkArg('MARK', opt, arg!);
    switch (opt) {
      case 'set-xmark': [d.mark, d.mask] = [value, mask]; break;
      case 'set-mark': [d.mark, d.mask] = [value, (value | mask) >>> 0]; break;
      case 'and-mark': [d.mark, d.mask] = [0, ~value >>> 0]; break;
      case 'or-mark': [d.mark, d.mask] = [value, value]; break;
      case 'xor-mark': [d.mark, d.mask] = [value, 0]; break;
    }
  },
  final(d) {
    if (d.seen.size === 0) throw new XtError('MARK target: Parameter --set/and/or/xor-mark is required');
  },
  print(d) {
    if (d.mark === 0) return ` MARK and ${hex(~d.mask >>> 0)}`;
    if (d.mark === d.mask) return ` MARK or ${hex(d.mark)}`;
    if (d.mask === 0) return ` MARK xor ${hex(d.mark)}`;
    if (d.mask === 0xffffffff) return ` MARK set ${hex(d.mark)}`;
    return ` MARK xset ${hex(d.mark)}/${hex(d.mask)}`;
  },
  save: (d) => ` --set-xmark ${hex(d.mark)}/${hex(d.mask)}`,
  run(d, pkt) {
    pkt.mark = ((pkt.mark & ~d.mask) ^ d.mark) >>> 0;
    return { verdict: 'CONTINUE' };
  },
};
