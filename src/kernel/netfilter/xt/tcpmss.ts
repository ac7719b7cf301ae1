/** `-j TCPMSS`: rewrites the MSS option of TCP SYN packets (a fixed value or the path MTU's). */
import { XtError, type XtTarget } from './types.ts';
import { x6Check, x6Uint } from './xtopt.ts';

const CLAMP = 0xffff;

export interface TcpmssData {
  mss: number;
  seen: string[];
}

export const tcpmss: XtTarget<TcpmssData> = {
  kind: 'target',
  name: 'TCPMSS',
  proto: 6,
  // Path-MTU clamping only where the route is known (tcpmss_tg4_check).
  checkentry: (d, r) => d.mss !== CLAMP || r.hook === undefined || ['FORWARD', 'OUTPUT', 'POSTROUTING'].includes(r.hook),
  options: [{ name: 'set-mss', arg: true, invert: true }, { name: 'clamp-mss-to-pmtu', arg: false, invert: true }],
  init: () => ({ mss: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'TCPMSS', opt, invert, false);
    d.mss = opt === 'set-mss' ? x6Uint('TCPMSS', opt, arg!, 0, 65515) : CLAMP;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('TCPMSS target: At least one parameter is required');
  },
  print: (d) => (d.mss === CLAMP ? ' TCPMSS clamp to PMTU' : ` TCPMSS set ${d.mss}`),
  save: (d) => (d.mss === CLAMP ? ' --clamp-mss-to-pmtu' : ` --set-mss ${d.mss}`),
  // The MSS lives in a TCP option podlab's packets do not carry; nothing to rewrite.
  run: () => ({ verdict: 'CONTINUE' }),
};
