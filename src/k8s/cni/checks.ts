/**
 * What CHECK compares for bridge and ptp (pkg/ip's ValidateExpectedInterfaceIPs and
 * ValidateExpectedRoute, and the prevResult handling): the container interface named in the
 * previous result exists in the sandbox as a veth, and carries the result's addresses and routes.
 */
import type { CmdArgs } from './plugin.ts';
import { netnsName } from './plugin.ts';
import { showLink } from './link.ts';
import type { PluginSys } from './sys.ts';
import type { CniInterface, CniResult, NetConf } from './types.ts';

/** The previous result CHECK needs; `who` prefixes the error as ptp does ("ptp: ..."). */
export function requirePrevResult(conf: NetConf, who = ''): CniResult {
  if (!conf.prevResult) throw new Error(`${who}Required prevResult missing`);
  return conf.prevResult;
}

/** The result's interface for the container (named ifName, in CNI_NETNS). */
export function containerInterface(res: CniResult, args: CmdArgs): CniInterface {
  const intf = res.interfaces?.find((i) => i.name === args.ifName && i.sandbox === args.netns);
  if (!intf) throw new Error(`Sandbox in prevResult  doesn't match configured netns: ${args.netns}`);
  return intf;
}

/** The container interface exists as a veth with the result's MAC, addresses and routes. */
export async function validateContainer(sys: PluginSys, args: CmdArgs, res: CniResult, intf: CniInterface): Promise<void> {
  const ns = netnsName(args.netns);
  const link = await showLink(sys, ns, intf.name, 'addr', true);
  if (!link) throw new Error(`Interface name ${intf.name} not found`);
  if (link.linkinfo?.info_kind !== 'veth') throw new Error(`Error: Container interface ${intf.name} not of type veth`);
  if (intf.mac && intf.mac !== link.address) throw new Error(`Interface ${intf.name} Mac ${intf.mac} doesn't match container Mac: ${link.address}`);
  const have = new Set((link.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`));
  for (const ip of res.ips ?? []) {
    if (!have.has(ip.address)) throw new Error(`Failed to match addr ${ip.address} on interface ${args.ifName}`);
  }
  const routes = await sys.run(['ip', '-n', ns, '-j', 'route', 'show']);
  const table = JSON.parse(routes.stdout || '[]') as { dst: string; gateway?: string }[];
  for (const r of res.routes ?? []) {
    const dst = r.dst === '0.0.0.0/0' ? 'default' : r.dst.replace(/\/32$/, '');
    if (!table.some((t) => t.dst === dst && (!r.gw || t.gateway === r.gw))) throw new Error(`Failed to match route: ${JSON.stringify(r)}`);
  }
}
