/** `-m length --length MIN[:MAX]`: the IP packet's total length. */
import { XtError, type XtMatch } from './types.ts';
import { strtouiPrefix, x6Check } from './xtopt.ts';

export interface LengthData {
  min: number;
  max: number;
  invert: boolean;
  seen: string[];
}

/** XTTYPE_UINT16RC: `a`, `a:b`, `:b`, `a:`. */
function parseRange(arg: string): [number, number] {
  const bad = (near: string): XtError => new XtError(`length: bad value for option "--length" near "${near}", or out of range (0-65535).\n`);
  const out: number[] = [];
  let rest = arg;
  for (let i = 0; i < 2; i++) {
    if (rest === '' || rest.startsWith(':')) {
      out.push(i === 0 ? 0 : 65535);
    } else {
      const v = strtouiPrefix(rest, 0, 65535);
      if (!v || (v.rest !== '' && !v.rest.startsWith(':'))) throw bad(rest);
      out.push(v.value);
      rest = v.rest;
    }
    if (!rest.startsWith(':')) break;
    rest = rest.slice(1);
    if (i === 1) throw new XtError('length: Too many components for option "--length" (max: 2)\n');
  }
  if (out.length === 1) out.push(out[0]);
  return [out[0], out[1]];
}

export const length: XtMatch<LengthData> = {
  kind: 'match',
  name: 'length',
  options: [{ name: 'length', arg: true, invert: true }],
  init: () => ({ min: 0, max: 0, invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'length', opt, invert, true);
    [d.min, d.max] = parseRange(arg!);
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('length: option "--length" must be specified\n');
  },
  print: (d) => ` length ${d.invert ? '!' : ''}${d.min === d.max ? d.min : `${d.min}:${d.max}`}`,
  save: (d) => `${d.invert ? ' !' : ''} --length ${d.min === d.max ? d.min : `${d.min}:${d.max}`}`,
  match: (d, pkt) => (pkt.len >= d.min && pkt.len <= d.max) !== d.invert,
};
