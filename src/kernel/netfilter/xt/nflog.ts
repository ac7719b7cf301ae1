/**
 * `-j NFLOG`: hands the packet to a netlink log group (ulogd, tcpdump nflog:N) and continues.
 * iptables-nft stores it as nft's native log expression, which has no place for the deprecated
 * --nflog-range: it is accepted (with a warning) and then lost.
 */
import { saveString } from './util.ts';
import { XtError, type XtTarget } from './types.ts';
import { x6Check, x6FcheckExcl, x6Uint } from './xtopt.ts';

export interface NflogData {
  group: number;
  prefix: string;
  size: number | undefined;
  threshold: number;
  seen: string[];
}

const TABLE = ['nflog-group', 'nflog-prefix', 'nflog-range', 'nflog-size', 'nflog-threshold'];

function text(d: NflogData, pre: string): string {
  let s = '';
  if (d.prefix) s += ` ${pre}nflog-prefix ${saveString(d.prefix)}`;
  if (d.group) s += ` ${pre}nflog-group ${d.group}`;
  if (d.size !== undefined) s += ` ${pre}nflog-size ${d.size}`;
  if (d.threshold !== 1) s += ` ${pre}nflog-threshold ${d.threshold}`;
  return s;
}

export const nflog: XtTarget<NflogData> = {
  kind: 'target',
  name: 'NFLOG',
  options: TABLE.map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ group: 0, prefix: '', size: undefined, threshold: 1, seen: [] }),
  parse(d, opt, arg, invert, env) {
    x6Check(d.seen, 'NFLOG', opt, invert, false);
    switch (opt) {
      case 'nflog-group': d.group = x6Uint('NFLOG', opt, arg!, 0, 65535); break;
      case 'nflog-prefix':
        if (arg!.length < 1) throw new XtError('Argument must have a minimum length of 1 characters\n');
        if (arg!.includes('\n')) throw new XtError('Newlines not allowed in --log-prefix');
        d.prefix = arg!.slice(0, 63);
        break;
      case 'nflog-range':
        x6Uint('NFLOG', opt, arg!, 0, 0xffffffff);
        env.warn?.('warn: --nflog-range has never worked and is no longer supported, please use --nflog-size instead\n');
        break;
      case 'nflog-size': d.size = x6Uint('NFLOG', opt, arg!, 0, 0xffffffff); break;
      // nft's log expression leaves a zero queue threshold unset; it reads back as the default 1.
      case 'nflog-threshold': d.threshold = x6Uint('NFLOG', opt, arg!, 0, 65535) || 1; break;
    }
  },
  final(d) {
    x6FcheckExcl('NFLOG', d.seen, TABLE, { 'nflog-range': ['nflog-size'], 'nflog-size': ['nflog-range'] });
  },
  print: (d) => text(d, ''),
  save: (d) => text(d, '--'),
  // The copy goes to a netlink listener, not the kernel log; podlab has none.
  run() {
    return { verdict: 'CONTINUE' };
  },
};
