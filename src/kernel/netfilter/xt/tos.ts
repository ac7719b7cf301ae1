/** `-m tos` tests the IP TOS byte under a mask; `-j TOS` rewrites it (xt_tos revision 1). */
import { XtError, type XtMatch, type XtTarget } from './types.ts';
import { hx2, strtouiPrefix, x6Check, x6FcheckExcl, x6Uint } from './xtopt.ts';

const SYMBOLS: [string, number][] = [
  ['Minimize-Cost', 0x02], ['Maximize-Reliability', 0x04], ['Maximize-Throughput', 0x08], ['Minimize-Delay', 0x10],
  ['Normal-Service', 0x00],
];

/** XTTYPE_TOSMASK: `value[/mask]` (mask defaults to 0xff) or a symbolic name (mask 0x3f). */
export function parseTosMask(arg: string): { value: number; mask: number } {
  const v = strtouiPrefix(arg, 0, 255);
  if (v) {
    let mask = 0xff;
    let rest = v.rest;
    if (rest.startsWith('/')) {
      const m = strtouiPrefix(rest.slice(1), 0, 255);
      if (!m) throw new XtError(`Illegal value: "${arg}"`);
      mask = m.value;
      rest = m.rest;
    }
    if (rest === '') return { value: v.value, mask };
  }
  const sym = SYMBOLS.find(([n]) => n.toLowerCase() === arg.toLowerCase());
  if (!sym) throw new XtError(`Symbolic name "${arg}" is unknown`);
  return { value: sym[1], mask: 0x3f };
}

function symbolic(value: number, mask: number): string | undefined {
  if (mask !== 0x3f) return undefined;
  return SYMBOLS.find(([, v]) => v === value)?.[0];
}

export interface TosData {
  value: number;
  mask: number;
  invert: boolean;
  seen: string[];
}

export const tos: XtMatch<TosData> = {
  kind: 'match',
  name: 'tos',
  options: [{ name: 'tos', arg: true, invert: true }],
  init: () => ({ value: 0, mask: 0xff, invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'tos', opt, invert, true);
    ({ value: d.value, mask: d.mask } = parseTosMask(arg!));
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('tos: option "--tos" must be specified\n');
  },
  print(d, env) {
    const sym = env.numeric ? undefined : symbolic(d.value, d.mask);
    return ` tos match${d.invert ? '!' : ''}` + (sym !== undefined ? ` ${sym}` : `${hx2(d.value)}/${hx2(d.mask)}`);
  },
  save: (d) => `${d.invert ? ' !' : ''} --tos ${hx2(d.value)}/${hx2(d.mask)}`,
  match: (d, pkt) => ((((pkt.tos ?? 0) & d.mask) === d.value) !== d.invert),
};

export interface TosTgData {
  value: number;
  mask: number;
  seen: string[];
}

const TG_TABLE = ['set-tos', 'and-tos', 'or-tos', 'xor-tos'];

export const tosTarget: XtTarget<TosTgData> = {
  kind: 'target',
  name: 'TOS',
  options: TG_TABLE.map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ value: 0, mask: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'TOS', opt, invert, false);
    switch (opt) {
      case 'set-tos': ({ value: d.value, mask: d.mask } = parseTosMask(arg!)); break;
      case 'and-tos': [d.value, d.mask] = [0, ~x6Uint('TOS', opt, arg!, 0, 255) & 0xff]; break;
      case 'or-tos': { const v = x6Uint('TOS', opt, arg!, 0, 255); [d.value, d.mask] = [v, v]; break; }
      case 'xor-tos': [d.value, d.mask] = [x6Uint('TOS', opt, arg!, 0, 255), 0]; break;
    }
  },
  final(d) {
    const all = Object.fromEntries(TG_TABLE.map((o) => [o, TG_TABLE]));
    x6FcheckExcl('TOS', d.seen, TG_TABLE, all);
    if (!d.seen.length) throw new XtError('TOS: An action is required');
  },
  print(d, env) {
    if (env.numeric) return ` TOS set ${hx2(d.value)}/${hx2(d.mask)}`;
    const sym = symbolic(d.value, d.mask);
    if (sym !== undefined) return `  TOS set${sym}`;
    if (d.value === 0) return ` TOS and ${hx2(~d.mask & 0xff)}`;
    if (d.value === d.mask) return ` TOS or ${hx2(d.value)}`;
    if (d.mask === 0) return ` TOS xor ${hx2(d.value)}`;
    return ` TOS set ${hx2(d.value)}/${hx2(d.mask)}`;
  },
  save: (d) => ` --set-tos ${hx2(d.value)}/${hx2(d.mask)}`,
  tables: ['mangle'],
  run(d, pkt) {
    pkt.tos = (((pkt.tos ?? 0) & ~d.mask) ^ d.value) & 0xff;
    return { verdict: 'CONTINUE' };
  },
};
