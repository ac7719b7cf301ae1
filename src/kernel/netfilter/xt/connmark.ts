/**
 * `-m connmark` tests the connection's mark; `-j CONNMARK` sets it or copies it between the
 * packet and the connection (xt_connmark revision 1/2).
 */
import { hex } from './util.ts';
import { XtError, type XtMatch, type XtTarget } from './types.ts';
import { x6Check, x6FcheckExcl, x6MarkMask, x6Uint } from './xtopt.ts';

export interface ConnmarkData {
  mark: number;
  mask: number;
  invert: boolean;
  seen: string[];
}

function markMaskText(mark: number, mask: number): string {
  return mask !== 0xffffffff ? ` ${hex(mark)}/${hex(mask)}` : ` ${hex(mark)}`;
}

/** XTTYPE_MARKMASK32 as connmark reports a bad argument. */
function markArg(ext: string, opt: string, arg: string): { value: number; mask: number } {
  try {
    return x6MarkMask(ext, opt, arg);
  } catch {
    throw new XtError(`${ext}: bad integer value for option "--${opt}", or out of range.\n`);
  }
}

export const connmark: XtMatch<ConnmarkData> = {
  kind: 'match',
  name: 'connmark',
  options: [{ name: 'mark', arg: true, invert: true }],
  init: () => ({ mark: 0, mask: 0xffffffff, invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'connmark', opt, invert, true);
    const { value, mask } = markArg('connmark', opt, arg!);
    d.mark = value;
    d.mask = mask;
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.includes('mark')) throw new XtError('connmark: option "--mark" must be specified\n');
  },
  print: (d) => ` connmark match ${d.invert ? '!' : ''}${markMaskText(d.mark, d.mask)}`,
  save: (d) => `${d.invert ? ' !' : ''} --mark${markMaskText(d.mark, d.mask)}`,
  match: (d, pkt) => pkt.ct !== undefined && (((pkt.ct.mark & d.mask) >>> 0) === d.mark) !== d.invert,
};

export interface ConnmarkTgData {
  mode: 'set' | 'save' | 'restore' | undefined;
  ctmark: number;
  ctmask: number;
  nfmask: number;
  shiftDir: 'left' | 'right' | undefined;
  shiftBits: number;
  seen: string[];
}

const OPS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark', 'save-mark', 'restore-mark'];
const TG_OPTS = [...OPS, 'mask', 'nfmask', 'ctmask', 'left-shift-mark', 'right-shift-mark'];

export const connmarkTarget: XtTarget<ConnmarkTgData> = {
  kind: 'target',
  name: 'CONNMARK',
  options: TG_OPTS.map((name) => ({ name, arg: name !== 'save-mark' && name !== 'restore-mark', invert: true })),
  init: () => ({ mode: undefined, ctmark: 0, ctmask: 0xffffffff, nfmask: 0xffffffff, shiftDir: undefined, shiftBits: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'CONNMARK', opt, invert, false);
    const u32 = (): number => x6Uint('CONNMARK', opt, arg!, 0, 0xffffffff);
    switch (opt) {
      case 'set-xmark': {
        const { value, mask } = markArg('CONNMARK', opt, arg!);
        [d.mode, d.ctmark, d.ctmask] = ['set', value, mask];
        break;
      }
      case 'set-mark': {
        const { value, mask } = markArg('CONNMARK', opt, arg!);
        [d.mode, d.ctmark, d.ctmask] = ['set', value, (value | mask) >>> 0];
        break;
      }
      case 'and-mark': [d.mode, d.ctmark, d.ctmask] = ['set', 0, ~u32() >>> 0]; break;
      case 'or-mark': { const v = u32(); [d.mode, d.ctmark, d.ctmask] = ['set', v, v]; break; }
      case 'xor-mark': [d.mode, d.ctmark, d.ctmask] = ['set', u32(), 0]; break;
      case 'save-mark': d.mode = 'save'; break;
      case 'restore-mark': d.mode = 'restore'; break;
      case 'mask': { const v = u32(); d.nfmask = v; d.ctmask = v; break; }
      case 'nfmask': d.nfmask = u32(); break;
      case 'ctmask': d.ctmask = u32(); break;
      case 'left-shift-mark': d.shiftDir = 'left'; d.shiftBits = x6Uint('CONNMARK', opt, arg!, 0, 31); break;
      case 'right-shift-mark': d.shiftDir = 'right'; d.shiftBits = x6Uint('CONNMARK', opt, arg!, 0, 31); break;
    }
  },
  final(d) {
    x6FcheckExcl('CONNMARK', d.seen, TG_OPTS, Object.fromEntries(OPS.map((o) => [o, OPS])));
    if (d.mode === undefined) throw new XtError('CONNMARK target: No operation specified');
  },
  print(d) {
    let s: string;
    switch (d.mode) {
      case 'set':
        if (d.ctmark === 0) s = ` CONNMARK and ${hex(~d.ctmask)}`;
        else if (d.ctmark === d.ctmask) s = ` CONNMARK or ${hex(d.ctmark)}`;
        else if (d.ctmask === 0) s = ` CONNMARK xor ${hex(d.ctmark)}`;
        else if (d.ctmask === 0xffffffff) s = ` CONNMARK set ${hex(d.ctmark)}`;
        else s = ` CONNMARK xset ${hex(d.ctmark)}/${hex(d.ctmask)}`;
        break;
      case 'save':
        if (d.nfmask === 0xffffffff && d.ctmask === 0xffffffff) s = ' CONNMARK save';
        else if (d.nfmask === d.ctmask) s = ` CONNMARK save mask ${hex(d.nfmask)}`;
        else s = ` CONNMARK save nfmask ${hex(d.nfmask)} ctmask ~${hex(d.ctmask)}`;
        break;
      default:
        if (d.ctmask === 0xffffffff && d.nfmask === 0xffffffff) s = ' CONNMARK restore';
        else if (d.ctmask === d.nfmask) s = ` CONNMARK restore mask ${hex(d.ctmask)}`;
        else s = ` CONNMARK restore ctmask ${hex(d.ctmask)} nfmask ~${hex(d.nfmask)}`;
    }
    if (d.shiftBits && d.mode !== 'set') s += ` ${d.shiftDir}-shift-mark ${d.shiftBits}`;
    return s;
  },
  save(d) {
    let s: string;
    if (d.mode === 'set') s = ` --set-xmark ${hex(d.ctmark)}/${hex(d.ctmask)}`;
    else s = ` --${d.mode}-mark --nfmask ${hex(d.nfmask)} --ctmask ${hex(d.ctmask)}`;
    if (d.shiftBits && d.mode !== 'set') s += ` --${d.shiftDir}-shift-mark ${d.shiftBits}`;
    return s;
  },
  run(d, pkt) {
    const ct = pkt.ct;
    if (!ct) return { verdict: 'CONTINUE' };
    const shift = (v: number): number => (d.shiftDir === 'left' ? v << d.shiftBits : v >>> d.shiftBits) >>> 0;
    switch (d.mode) {
      case 'set':
        ct.mark = ((ct.mark & ~d.ctmask) ^ d.ctmark) >>> 0;
        break;
      case 'save': {
        const nf = shift((pkt.mark & d.nfmask) >>> 0);
        ct.mark = ((ct.mark & ~d.ctmask) | (nf & d.ctmask)) >>> 0;
        break;
      }
      case 'restore': {
        const c = shift((ct.mark & d.ctmask) >>> 0);
        pkt.mark = ((pkt.mark & ~d.nfmask) | (c & d.nfmask)) >>> 0;
        break;
      }
    }
    return { verdict: 'CONTINUE' };
  },
};
