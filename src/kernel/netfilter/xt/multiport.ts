/** `-m multiport`: up to 15 ports or ranges, on the source, destination or either side. */
import { XtError, type XtMatch } from './types.ts';
import { parsePort, portName } from './util.ts';

type Side = 'sports' | 'dports' | 'ports';

interface MultiportData {
  side?: Side;
  invert: boolean;
  /** Ports and ranges, in the order given. */
  items: [number, number][];
  proto: string;
}

const PROTOS: Record<number, string> = { 6: 'tcp', 17: 'udp', 136: 'udplite', 132: 'sctp', 33: 'dccp' };

function list(d: MultiportData, numeric: boolean, names: Parameters<typeof portName>[3]): string {
  return d.items.map(([lo, hi]) => (lo === hi ? portName(lo, d.proto, numeric, names) : `${portName(lo, d.proto, numeric, names)}:${portName(hi, d.proto, numeric, names)}`)).join(',');
}

export const multiport: XtMatch<MultiportData> = {
  kind: 'match',
  name: 'multiport',
  options: [
    { name: 'source-ports', arg: true, invert: true },
    { name: 'sports', arg: true, invert: true },
    { name: 'destination-ports', arg: true, invert: true },
    { name: 'dports', arg: true, invert: true },
    { name: 'ports', arg: true, invert: true },
  ],
  init: () => ({ invert: false, items: [], proto: '' }),
  parse(d, opt, arg, invert, env) {
    if (env.protoInv) throw new XtError('multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    const proto = PROTOS[env.proto];
    if (!proto) {
      if (env.proto === 0) throw new XtError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
      throw new XtError('multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    }
    if (d.side) throw new XtError('multiport can only have one option');
    d.side = opt.startsWith('s') ? 'sports' : opt.startsWith('d') ? 'dports' : 'ports';
    d.proto = proto;
    d.invert = invert;
    let count = 0;
    for (const part of arg!.split(',')) {
      const [a, b] = part.split(':');
      const lo = parsePort(a, proto, env.names);
      if (b === undefined) {
        d.items.push([lo, lo]);
        count++;
      } else {
        const hi = parsePort(b, proto, env.names);
        if (lo >= hi) throw new XtError('invalid portrange specified');
        d.items.push([lo, hi]);
        count += 2;
      }
      if (count > 15) throw new XtError('too many ports specified');
    }
  },
  final(d) {
    if (!d.side) throw new XtError('multiport expection an option'); // sic, as iptables 1.8.9 prints it
  },
  print: (d, env) => ` multiport ${d.side} ${d.invert ? ' !' : ''}${list(d, env.numeric, env.names)}`,
  save: (d, env) => `${d.invert ? ' !' : ''} --${d.side} ${list(d, true, env.names)}`,
  match(d, pkt) {
    const inside = (p: number | undefined): boolean => p !== undefined && d.items.some(([lo, hi]) => p >= lo && p <= hi);
    const hit = d.side === 'sports' ? inside(pkt.sport) : d.side === 'dports' ? inside(pkt.dport) : inside(pkt.sport) || inside(pkt.dport);
    return hit !== d.invert;
  },
};
