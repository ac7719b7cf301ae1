/**
 * `-m helper --helper NAME`: packets of connections expected by a conntrack helper (ftp, sip...).
 * podlab's conntrack entries carry no helper, so only `! --helper` matches.
 */
import { saveString } from './util.ts';
import { XtError, type XtMatch } from './types.ts';
import { x6Check, x6String } from './xtopt.ts';

export interface HelperData {
  name: string;
  invert: boolean;
  seen: string[];
}

export const helper: XtMatch<HelperData> = {
  kind: 'match',
  name: 'helper',
  options: [{ name: 'helper', arg: true, invert: true }],
  init: () => ({ name: '', invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'helper', opt, invert, true);
    d.name = x6String(arg!, 0, 29);
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('helper: option "--helper" must be specified\n');
  },
  print: (d) => ` helper match ${d.invert ? '! ' : ''}"${d.name}"`,
  save: (d) => `${d.invert ? ' !' : ''} --helper ${saveString(d.name)}`,
  match: (d) => d.invert,
};
