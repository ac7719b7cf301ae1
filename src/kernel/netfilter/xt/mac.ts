/** `-m mac --mac-source`: the Ethernet source address of a received packet. */
import { XtError, type XtMatch } from './types.ts';
import { x6Check } from './xtopt.ts';

export interface MacData {
  mac: string;
  invert: boolean;
  seen: string[];
}

/** xtables_parse_mac: six colon-separated hex bytes, printed back in lower case. */
export function parseMac(arg: string): string {
  const parts = arg.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{0,2}$/.test(p))) {
    throw new XtError('Invalid MAC address specified.');
  }
  return parts.map((p) => p.padStart(2, '0')).join(':').toLowerCase();
}

export const mac: XtMatch<MacData> = {
  kind: 'match',
  name: 'mac',
  options: [{ name: 'mac-source', arg: true, invert: true }],
  init: () => ({ mac: '', invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'mac', opt, invert, true);
    d.mac = parseMac(arg!);
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('mac: option "--mac-source" must be specified\n');
  },
  print: (d) => ` MAC${d.invert ? ' !' : ''} ${d.mac}`,
  save: (d) => `${d.invert ? ' !' : ''} --mac-source ${d.mac}`,
  hooks: ['PREROUTING', 'INPUT', 'FORWARD'],
  match: (d, pkt) => pkt.macSrc !== undefined && (pkt.macSrc.toLowerCase() === d.mac) !== d.invert,
};
