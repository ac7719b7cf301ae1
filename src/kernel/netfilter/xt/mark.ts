/**
 * The packet mark (skb->mark): `-m mark --mark V[/M]` tests it, `-j MARK` sets it. kube-proxy
 * marks packets for masquerade with 0x4000 this way.
 */
import { checkExclusive, markSeen, parseMarkMask } from './xtopt.ts';
import { hex } from './util.ts';
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

export const markMatch: XtMatch<MarkMatchData> = {
  kind: 'match',
  name: 'mark',
  options: [{ name: 'mark', arg: true, invert: true }],
  init: () => ({ mark: 0, mask: 0xffffffff, invert: false, seen: new Set() }),
  parse(d, opt, arg, invert) {
    markSeen(d.seen, 'mark', opt);
    const { value, mask } = parseMarkMask('mark', opt, arg!);
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
    markSeen(d.seen, 'MARK', opt);
    const { value, mask } = opt === 'set-xmark' || opt === 'set-mark' ? parseMarkMask('MARK', opt, arg!) : { value: parseMarkMask('MARK', opt, arg!).value, mask: 0 };
    switch (opt) {
      case 'set-xmark': [d.mark, d.mask] = [value, mask]; break;
      case 'set-mark': [d.mark, d.mask] = [value, (value | mask) >>> 0]; break;
      // The other forms take a plain value (x6 stores it with a full mask we ignore).
      case 'and-mark': [d.mark, d.mask] = [0, ~value >>> 0]; break;
      case 'or-mark': [d.mark, d.mask] = [value, value]; break;
      case 'xor-mark': [d.mark, d.mask] = [value, 0]; break;
    }
  },
  final(d) {
    checkExclusive('MARK', MARK_OPTS, d.seen, [MARK_OPTS]);
    if (d.seen.size === 0) throw new XtError('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
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
