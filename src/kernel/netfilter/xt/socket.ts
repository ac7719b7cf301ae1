/**
 * `-m socket`: whether a local socket matches the packet (for TPROXY setups). podlab has no
 * socket table the netfilter code can see, so the match is false.
 */
import type { XtMatch } from './types.ts';
import { x6Check } from './xtopt.ts';

const FLAGS = ['transparent', 'nowildcard', 'restore-skmark'];

export interface SocketData {
  flags: string[];
  seen: string[];
}

function text(d: SocketData): string {
  return FLAGS.filter((f) => d.flags.includes(f)).map((f) => ` --${f}`).join('');
}

export const socket: XtMatch<SocketData> = {
  kind: 'match',
  name: 'socket',
  options: FLAGS.map((name) => ({ name, arg: false, invert: true })),
  init: () => ({ flags: [], seen: [] }),
  parse(d, opt, _arg, invert) {
    x6Check(d.seen, 'socket', opt, invert, false);
    d.flags.push(opt);
  },
  print: (d) => ' socket' + text(d),
  save: (d) => text(d),
  hooks: ['PREROUTING', 'INPUT'],
  match: () => false,
};
