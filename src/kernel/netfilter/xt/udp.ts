/** `-m udp` (also loaded by `-p udp`): source and destination ports. */
import { x6 } from './xtopt.ts';
import { XtError, type XtMatch } from './types.ts';
import { mergePorts, portsMatch, printPorts, savePorts, type PortsData } from './tcp.ts';
import { parsePortRange } from './util.ts';

interface UdpData extends PortsData {
  seen: Set<string>;
}

export const udp: XtMatch<UdpData> = {
  kind: 'match',
  name: 'udp',
  options: [
    { name: 'source-port', arg: true, invert: true },
    { name: 'sport', arg: true, invert: true },
    { name: 'destination-port', arg: true, invert: true },
    { name: 'dport', arg: true, invert: true },
  ],
  init: () => ({ spts: [0, 0xffff], dpts: [0, 0xffff], invSrc: false, invDst: false, seen: new Set() }),
  parse(d, opt, arg, invert, env) {
    const src = opt === 'source-port' || opt === 'sport';
    const key = src ? 's' : 'd';
    if (d.seen.has(key)) throw x6.once('udp', src ? 'source-port' : 'destination-port');
    d.seen.add(key);
    if (arg!.split(':').length > 2) throw new XtError(`udp: Too many components for option "--${src ? 'source-port' : 'destination-port'}" (max: 2)\n`);
    const r = parsePortRange(arg!, 'udp', env.names);
    if (src) [d.spts, d.invSrc] = [r, invert];
    else [d.dpts, d.invDst] = [r, invert];
  },
  merge: mergePorts,
  print(d, env) {
    return ' udp' + printPorts('spt', d.spts, d.invSrc, 'udp', env.numeric, env.names) + printPorts('dpt', d.dpts, d.invDst, 'udp', env.numeric, env.names);
  },
  save(d) {
    return savePorts('sport', d.spts, d.invSrc) + savePorts('dport', d.dpts, d.invDst);
  },
  match(d, pkt) {
    return pkt.proto === 17 && !pkt.fragment && portsMatch(d, pkt);
  },
};
