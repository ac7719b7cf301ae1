/** `-j REJECT`: drop the packet and answer with an ICMP error or a TCP reset. */
import { XtError, type XtTarget } from './types.ts';

/** [name, alias] in the order iptables lists them. */
export const REJECT_TYPES: [string, string][] = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

export const reject: XtTarget<{ with: string }> = {
  kind: 'target',
  name: 'REJECT',
  tables: ['filter', 'mangle', 'security'],
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  options: [{ name: 'reject-with', arg: true }],
  init: () => ({ with: 'icmp-port-unreachable' }),
  parse(d, _opt, arg) {
    const hit = REJECT_TYPES.find(([n, a]) => n === arg || a === arg);
    if (!hit) throw new XtError(`unknown reject type "${arg}"`);
    d.with = hit[0];
  },
  checkentry: (d, r) => d.with !== 'tcp-reset' || (r.proto === 6 && !r.invProto),
  print: (d) => ` reject-with ${d.with}`,
  save: (d) => ` --reject-with ${d.with}`,
  run: (d) => ({ verdict: 'REJECT', with: d.with }),
};
