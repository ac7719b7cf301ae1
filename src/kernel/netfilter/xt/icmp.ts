/** `-m icmp --icmp-type TYPE[/CODE]|NAME` (also loaded by `-p icmp`). */
import { XtError, type XtMatch } from './types.ts';
import { x6Check } from './xtopt.ts';

/** libxtables' icmp_codes: name, type, code range. */
export const ICMP_CODES: [string, number, number, number][] = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

export interface IcmpData {
  type: number;
  code: [number, number];
  invert: boolean;
  seen: string[];
}

function parseIcmp(s: string): { type: number; code: [number, number] } {
  let match = -1;
  ICMP_CODES.forEach(([name], i) => {
    if (name.toLowerCase().startsWith(s.toLowerCase())) {
      if (match >= 0) throw new XtError(`Ambiguous ICMP type \`${s}': \`${ICMP_CODES[match][0]}' or \`${name}'?`);
      match = i;
    }
  });
  if (match >= 0) {
    const [, type, lo, hi] = ICMP_CODES[match];
    return { type, code: [lo, hi] };
  }
  const t = /^\d+/.exec(s);
  if (!t || Number(t[0]) > 255) throw new XtError(`Unknown ICMP type \`${s}'`);
  const type = Number(t[0]);
  let rest = s.slice(t[0].length);
  let code: [number, number] = [0, 0xff];
  if (rest.startsWith('/')) {
    const c = /^\d+/.exec(rest.slice(1));
    if (!c || Number(c[0]) > 255) throw new XtError(`Unknown ICMP code \`${s}'`);
    code = [Number(c[0]), Number(c[0])];
    rest = rest.slice(1 + c[0].length);
  }
  if (rest !== '') throw new XtError(`unknown character ${rest[0]}`);
  return { type, code };
}

export const icmp: XtMatch<IcmpData> = {
  kind: 'match',
  name: 'icmp',
  options: [{ name: 'icmp-type', arg: true, invert: true }],
  init: () => ({ type: 0xff, code: [0, 0xff], invert: false, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'icmp', opt, invert, true);
    ({ type: d.type, code: d.code } = parseIcmp(arg!));
    d.invert = invert;
  },
  final(d) {
    if (!d.seen.length) throw new XtError('icmp: option "--icmp-type" must be specified\n');
  },
  print(d, env) {
    if (!env.numeric) {
      const hit = ICMP_CODES.find(([, t, lo, hi]) => t === d.type && lo === d.code[0] && hi === d.code[1]);
      if (hit) return ` icmp ${d.invert ? '!' : ''}${hit[0]}`;
    }
    let s = ` icmp${d.invert ? ' !' : ''}type ${d.type}`;
    if (d.code[0] === d.code[1]) s += ` code ${d.code[0]}`;
    else if (d.code[0] !== 0 || d.code[1] !== 0xff) s += ` codes ${d.code[0]}-${d.code[1]}`;
    return s;
  },
  save(d) {
    let s = d.invert ? ' !' : '';
    if (d.type === 0xff) return s + ' --icmp-type any';
    s += ` --icmp-type ${d.type}`;
    if (d.code[0] !== 0 || d.code[1] !== 0xff) s += `/${d.code[0]}`;
    return s;
  },
  match(d, pkt) {
    if (pkt.proto !== 1 || pkt.fragment) return false;
    const t = pkt.icmpType ?? 0;
    const c = pkt.icmpCode ?? 0;
    const hit = d.type === 0xff || (t === d.type && c >= d.code[0] && c <= d.code[1]);
    return hit !== d.invert;
  },
};
