/** `-m dscp` tests the DiffServ code point (the TOS byte's upper six bits); `-j DSCP` sets it. */
import { XtError, type XtMatch, type XtTarget } from './types.ts';
import { hx2, x6Check, x6FcheckExcl, x6Uint } from './xtopt.ts';

const CLASSES: [string, number][] = [
  ['CS0', 0x00], ['CS1', 0x08], ['CS2', 0x10], ['CS3', 0x18], ['CS4', 0x20], ['CS5', 0x28], ['CS6', 0x30], ['CS7', 0x38],
  ['BE', 0x00], ['AF11', 0x0a], ['AF12', 0x0c], ['AF13', 0x0e], ['AF21', 0x12], ['AF22', 0x14], ['AF23', 0x16],
  ['AF31', 0x1a], ['AF32', 0x1c], ['AF33', 0x1e], ['AF41', 0x22], ['AF42', 0x24], ['AF43', 0x26], ['EF', 0x2e],
];

/** class_to_dscp: the first class whose name the argument starts with (case-insensitive). */
export function classToDscp(name: string): number {
  const hit = CLASSES.find(([n]) => name.toLowerCase().startsWith(n.toLowerCase()));
  if (!hit) throw new XtError(`Invalid DSCP value \`${name}'`);
  return hit[1];
}

export interface DscpData {
  dscp: number;
  invert: boolean;
  seen: string[];
}

const TABLE = ['dscp', 'dscp-class'];

export const dscp: XtMatch<DscpData> = {
  kind: 'match',
  name: 'dscp',
  options: TABLE.map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ dscp: 0, invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'dscp', opt, invert, true);
    d.dscp = opt === 'dscp' ? x6Uint('dscp', opt, arg!, 0, 63) : classToDscp(arg!);
    d.invert = invert;
  },
  final(d) {
    x6FcheckExcl('dscp', d.seen, TABLE, { dscp: ['dscp-class'], 'dscp-class': ['dscp'] });
    if (!d.seen.length) throw new XtError('DSCP match: Parameter --dscp is required');
  },
  print: (d) => ` DSCP match ${d.invert ? '!' : ''}${hx2(d.dscp)}`,
  save: (d) => `${d.invert ? ' !' : ''} --dscp ${hx2(d.dscp)}`,
  match: (d, pkt) => (((pkt.tos ?? 0) >> 2) === d.dscp) !== d.invert,
};

export interface DscpTgData {
  dscp: number;
  seen: string[];
}

const TG_TABLE = ['set-dscp', 'set-dscp-class'];

export const dscpTarget: XtTarget<DscpTgData> = {
  kind: 'target',
  name: 'DSCP',
  options: TG_TABLE.map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ dscp: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'DSCP', opt, invert, false);
    d.dscp = opt === 'set-dscp' ? x6Uint('DSCP', opt, arg!, 0, 63) : classToDscp(arg!);
  },
  final(d) {
    x6FcheckExcl('DSCP', d.seen, TG_TABLE, { 'set-dscp': ['set-dscp-class'], 'set-dscp-class': ['set-dscp'] });
    if (!d.seen.length) throw new XtError('DSCP target: Parameter --set-dscp is required');
  },
  print: (d) => ` DSCP set ${hx2(d.dscp)}`,
  save: (d) => ` --set-dscp ${hx2(d.dscp)}`,
  tables: ['mangle'],
  run(d, pkt) {
    pkt.tos = ((pkt.tos ?? 0) & 0x03) | (d.dscp << 2);
    return { verdict: 'CONTINUE' };
  },
};
