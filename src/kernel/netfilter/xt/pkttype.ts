/** `-m pkttype --pkt-type unicast|broadcast|multicast`: the link-layer packet class. */
import { XtError, type XtMatch } from './types.ts';
import type { Packet } from '../packet.ts';
import { x6Check } from './xtopt.ts';

type PktType = NonNullable<Packet['pktType']>;

const NAMES: [string, PktType][] = [
  ['unicast', 'unicast'], ['broadcast', 'broadcast'], ['multicast', 'multicast'],
  ['bcast', 'broadcast'], ['mcast', 'multicast'], ['host', 'unicast'],
];

export interface PkttypeData {
  type: PktType;
  invert: boolean;
  seen: string[];
}

export const pkttype: XtMatch<PkttypeData> = {
  kind: 'match',
  name: 'pkttype',
  options: [{ name: 'pkt-type', arg: true, invert: true }],
  init: () => ({ type: 'unicast', invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'pkttype', opt, invert, true);
    const hit = NAMES.find(([n]) => n === arg!.toLowerCase());
    if (!hit) throw new XtError(`Bad packet type '${arg}'`);
    d.type = hit[1];
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('pkttype: option "--pkt-type" must be specified\n');
  },
  print: (d) => ` PKTTYPE ${d.invert ? '!' : ''}= ${d.type}`,
  save: (d) => `${d.invert ? ' !' : ''} --pkt-type ${d.type}`,
  match: (d, pkt) => ((pkt.pktType ?? 'unicast') === d.type) !== d.invert,
};
