/**
 * `-j TPROXY` (mangle PREROUTING, tcp/udp): diverts a packet to a local socket without
 * rewriting it, optionally marking it. podlab has no transparent sockets, so run() only marks.
 */
import { formatIPv4, parseInetAton } from '../../addr.ts';
import { XtError, type XtTarget } from './types.ts';
import { hex, strtoui } from './util.ts';
import { x6Check, x6MarkMask } from './xtopt.ts';

export interface TproxyData {
  port: number;
  ip: number;
  markValue: number;
  markMask: number;
  seen: string[];
}

export const tproxy: XtTarget<TproxyData> = {
  kind: 'target',
  name: 'TPROXY',
  options: ['on-port', 'on-ip', 'tproxy-mark'].map((name) => ({ name, arg: true, invert: true })),
  init: () => ({ port: 0, ip: 0, markValue: 0, markMask: 0, seen: [] }),
  parse(d, opt, arg, invert, env) {
    x6Check(d.seen, 'TPROXY', opt, invert, false);
    switch (opt) {
      case 'on-port': {
        // XTTYPE_PORT: a number or a service name of any protocol.
        const p = strtoui(arg!, 0, 65535) ?? env.names.serviceToPort(arg!, undefined);
        if (p === undefined) throw new XtError(`Port "${arg}" does not resolve to anything.\n`);
        d.port = p;
        break;
      }
      case 'on-ip': {
        // XTTYPE_HOST: getaddrinfo, so inet_aton forms (1.2.3 = 1.2.0.3) and /etc/hosts names.
        const a = parseInetAton(arg!) ?? env.names.hostToAddr(arg!);
        if (a === undefined) throw new XtError('getaddrinfo: Temporary failure in name resolution\n');
        d.ip = a >>> 0;
        break;
      }
      case 'tproxy-mark': ({ value: d.markValue, mask: d.markMask } = x6MarkMask('TPROXY', opt, arg!)); break;
    }
  },
  final(d) {
    if (!d.seen.includes('on-port')) throw new XtError('TPROXY: option "--on-port" must be specified\n');
  },
  print: (d) => ` TPROXY redirect ${formatIPv4(d.ip)}:${d.port} mark ${hex(d.markValue)}/${hex(d.markMask)}`,
  save: (d) => ` --on-port ${d.port} --on-ip ${formatIPv4(d.ip)} --tproxy-mark ${hex(d.markValue)}/${hex(d.markMask)}`,
  tables: ['mangle'],
  hooks: ['PREROUTING'],
  run(d, pkt) {
    pkt.mark = ((pkt.mark & ~d.markMask) ^ d.markValue) >>> 0;
    return { verdict: 'CONTINUE' };
  },
};
