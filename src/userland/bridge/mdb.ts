/**
 * `bridge mdb` and `bridge vlan` as far as the model has them. The multicast database holds what
 * snooping learns: the solicited-node group each veth behind a port joins for its link-local
 * address (its MLD report crosses the bridge), newest port first, then the groups the running
 * bridge joins itself (IPv6 router discovery, its own solicited-node group) as host entries.
 * Entries do not expire here (without a querier the kernel drops them after 260 s). There are no
 * VLANs (this kernel's bridge has no VLAN filtering), so `vlan show` is its header alone.
 */
import type { NetNs } from '../../kernel/netns.ts';
import { Args, Exit, matches, type BridgeOpts, type Out } from './common.ts';

/** ff02::1:ffXX:XXXX, written the way inet_ntop shortens it. */
function solicitedNodeGroup(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  return `ff02::1:ff${b[3].toString(16).padStart(2, '0')}:${((b[4] << 8) | b[5]).toString(16)}`;
}

export function doMdb(ns: NetNs, _opts: BridgeOpts, args: Args, io: Out): number {
  const w = args.more ? args.cur : 'show';
  if (!(matches(w, 'show') || matches(w, 'lst') || matches(w, 'list'))) {
    if (matches(w, 'help')) {
      io.err('Usage: bridge mdb { add | del | replace } dev DEV port PORT grp GROUP [src SOURCE] [permanent | temp] [vid VID]\n       bridge mdb {show} [ dev DEV ] [ vid VID ]\n');
      throw new Exit(255);
    }
    io.err(`Command "${w}" is unknown, try "bridge mdb help".\n`);
    return 255;
  }
  let text = '';
  for (const br of ns.links.values()) {
    if (br.kind !== 'bridge' || !br.adminUp) continue;
    const ports = br.ports().filter((p) => p.running && p.peer?.running).reverse();
    for (const p of ports) text += `dev ${br.name} port ${p.name} grp ${solicitedNodeGroup(p.peer!.mac)} temp\n`;
    text += `dev ${br.name} port ${br.name} grp ff02::6a temp\n`;
    if (br.carrier) text += `dev ${br.name} port ${br.name} grp ${solicitedNodeGroup(br.mac)} temp\n`;
  }
  io.out(text);
  return 0;
}

export function doVlan(_ns: NetNs, _opts: BridgeOpts, args: Args, io: Out): number {
  const w = args.more ? args.cur : 'show';
  if (!(matches(w, 'show') || matches(w, 'lst') || matches(w, 'list'))) {
    io.err(`Command "${w}" is unknown, try "bridge vlan help".\n`);
    return 255;
  }
  io.out('port              vlan-id  \n');
  return 0;
}
