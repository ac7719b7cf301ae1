/**
 * `-m set --match-set NAME src|dst[,...]`: membership in an ipset of the namespace (the
 * registry in src/kernel/ipset, found through the namespace's extension state). The set name
 * is not checked against existing sets when the rule is added (the real tool refuses unknown
 * sets); a rule naming a missing set never matches.
 */
import { IpsetRegistry, IPSET_STATE_KEY } from '../../ipset/registry.ts';
import { setMatches } from '../../ipset/match.ts';
import { XtError, type XtMatch } from './types.ts';
import { x6Check } from './xtopt.ts';

export interface SetData {
  name: string;
  dirs: ('src' | 'dst')[];
  invert: boolean;
  returnNomatch: boolean;
  noCounters: boolean;
  noSubcounters: boolean;
  seen: string[];
}

export const set: XtMatch<SetData> = {
  kind: 'match',
  name: 'set',
  options: [
    { name: 'match-set', arg: true, invert: true },
    { name: 'set', arg: true, invert: true },
    { name: 'return-nomatch', arg: false, invert: true },
    { name: 'update-counters', arg: false, invert: true },
    { name: 'update-subcounters', arg: false, invert: true },
  ],
  init: () => ({ name: '', dirs: [], invert: false, returnNomatch: false, noCounters: false, noSubcounters: false, seen: [] }),
  parse(d, opt, arg, invert, env) {
    switch (opt) {
      case 'match-set': case 'set': {
        if (d.seen.includes('match-set')) throw new XtError('You can specify only one --match-set option');
        d.seen.push('match-set');
        const flags = env.nextArg?.();
        if (flags === undefined) throw new XtError('--match-set requires two args.');
        if (arg!.length > 31) throw new XtError(`setname \`${arg}' too long, max 31 characters.`);
        const parts = flags.split(',');
        if (parts.length > 6) throw new XtError(`Can't be more src/dst options than 6.`);
        for (const p of parts) {
          if (p !== 'src' && p !== 'dst') throw new XtError("You must specify (the comma separated list of) 'src' or 'dst'.");
        }
        d.name = arg!;
        d.dirs = parts as ('src' | 'dst')[];
        d.invert = invert;
        break;
      }
      case 'return-nomatch':
        x6Check(d.seen, 'set', opt, invert, false);
        d.returnNomatch = true;
        break;
      case 'update-counters':
        x6Check(d.seen, 'set', opt, false, true);
        if (invert) d.noCounters = true;
        break;
      case 'update-subcounters':
        x6Check(d.seen, 'set', opt, false, true);
        if (invert) d.noSubcounters = true;
        break;
    }
  },
  final(d) {
    if (!d.seen.includes('match-set')) throw new XtError('You must specify `--match-set\' with proper arguments');
  },
  print(d) {
    let s = `${d.invert ? ' !' : ''} match-set ${d.name} ${d.dirs.join(',')}`;
    if (d.returnNomatch) s += ' return-nomatch';
    if (d.noCounters) s += ' ! update-counters';
    if (d.noSubcounters) s += ' ! update-subcounters';
    return s;
  },
  save(d) {
    let s = `${d.invert ? ' !' : ''} --match-set ${d.name} ${d.dirs.join(',')}`;
    if (d.returnNomatch) s += ' --return-nomatch';
    if (d.noCounters) s += ' ! --update-counters';
    if (d.noSubcounters) s += ' ! --update-subcounters';
    return s;
  },
  match: (d, pkt, ctx) => setMatches(ctx.state(IPSET_STATE_KEY, () => new IpsetRegistry()), d.name, d.dirs, pkt) !== d.invert,
};
