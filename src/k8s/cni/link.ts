/**
 * pkg/ip and pkg/ipam's link work, done with `ip`: the veth pair (host side named
 * `veth<8 hex>`, container side in the pod's namespace), reading links and addresses with
 * `ip -j`, ipam.ConfigureIface (addresses and routes of the container interface, as `ip -batch`
 * lines), deleting the container interface and returning its addresses, and IPv4 forwarding.
 */
import { must, ToolError, type PluginSys } from './sys.ts';
import { vethName } from './names.ts';
import { broadcastOf, formatIPv4, parseCIDR, type IPNet } from './ipnet.ts';
import type { CniResult } from './types.ts';

/** The fields of `ip -j link` / `ip -j addr` the plugins read. */
export interface JsonLink {
  ifindex: number;
  ifname: string;
  address?: string;
  operstate?: string;
  flags?: string[];
  master?: string;
  link_index?: number;
  promiscuity?: number;
  linkinfo?: { info_kind?: string };
  addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[];
}

function ipArgs(netns: string | undefined, args: string[]): string[] {
  return netns ? ['ip', '-n', netns, ...args] : ['ip', ...args];
}

/** `ip -j [-d] link|addr show [dev X]`; undefined when the device does not exist. */
export async function showLink(sys: PluginSys, netns: string | undefined, dev: string, what: 'link' | 'addr' = 'link', details = false): Promise<JsonLink | undefined> {
  const r = await sys.run(ipArgs(netns, ['-j', ...(details ? ['-d'] : []), what, 'show', 'dev', dev]));
  if (r.code !== 0) {
    if (/does not exist|Cannot find device/.test(r.stderr)) return undefined;
    throw new ToolError(r, `failed to lookup ${JSON.stringify(dev)}`);
  }
  return (JSON.parse(r.stdout || '[]') as JsonLink[])[0];
}

/** Runs `ip -batch -` with the lines (in a namespace when given). */
export async function ipBatch(sys: PluginSys, netns: string | undefined, lines: string[], prefix: string): Promise<void> {
  if (lines.length) await must(sys, ipArgs(netns, ['-batch', '-']), prefix, lines.join('\n') + '\n');
}

/** An interface address as netlink.AddrAdd adds it: with the broadcast address computed. */
export function addrLine(ipn: IPNet, dev: string): string {
  return `addr add ${formatIPv4(ipn.ip)}/${ipn.prefix} broadcast ${formatIPv4(broadcastOf(ipn))} dev ${dev}`;
}

/**
 * ip.SetupVeth: a veth pair with the container end `ifName` in `netns` and the host end up.
 * The host name is retried on a clash as upstream retries its random names.
 */
export async function setupVeth(sys: PluginSys, netns: string, ifName: string, mtu: number, containerId: string): Promise<string> {
  const mtuArgs = mtu ? ['mtu', String(mtu)] : [];
  for (let attempt = 0; attempt < 10; attempt++) {
    const host = vethName(containerId, ifName, attempt);
    const r = await sys.run(['ip', 'link', 'add', host, ...mtuArgs, 'type', 'veth', 'peer', 'name', ifName, ...mtuArgs, 'netns', netns]);
    if (r.code === 0) {
      await must(sys, ['ip', 'link', 'set', host, 'up'], `failed to set ${JSON.stringify(host)} up`);
      return host;
    }
    if (!/File exists/.test(r.stderr)) throw new ToolError(r, 'failed to make veth pair');
    if (await showLink(sys, netns, ifName)) throw new Error(`container veth name (${JSON.stringify(ifName)}) peer provided (${JSON.stringify(host)}) already exists`);
  }
  throw new Error('failed to find a unique veth name');
}

/**
 * ipam.ConfigureIface as batch lines: the interface up, each of its addresses, then the
 * result's routes (via the route's gateway, else the interface's IPv4 gateway).
 */
export function configureIfaceLines(ifName: string, res: CniResult): string[] {
  if (!res.interfaces?.length) throw new Error('no interfaces to configure');
  const lines = [`link set ${ifName} up`];
  let gw: string | undefined;
  for (const ipc of res.ips ?? []) {
    if (ipc.interface === undefined) continue;
    if (res.interfaces[ipc.interface]?.name !== ifName) throw new Error(`failed to add IP addr ${JSON.stringify(ipc)} to ${JSON.stringify(ifName)}: invalid interface index`);
    const ipn = parseCIDR(ipc.address);
    if (!ipn) throw new Error(`failed to add IP addr ${ipc.address} to ${JSON.stringify(ifName)}: IPv6 is not supported by podlab`);
    lines.push(addrLine(ipn, ifName));
    gw ??= ipc.gateway;
  }
  for (const r of res.routes ?? []) {
    const via = r.gw ?? gw;
    lines.push(`route add ${r.dst}${via ? ` via ${via}` : ''} dev ${ifName}`);
  }
  return lines;
}

/**
 * ip.DelLinkByNameAddr in the namespace: the interface's global IPv4 addresses, then the
 * interface is deleted. Undefined when there is no such interface (DEL may run twice).
 */
export async function delLinkByNameAddr(sys: PluginSys, netns: string, ifName: string): Promise<IPNet[] | undefined> {
  const link = await showLink(sys, netns, ifName, 'addr');
  if (!link) return undefined;
  await must(sys, ['ip', '-n', netns, 'link', 'del', ifName], `failed to delete ${JSON.stringify(ifName)}`);
  return (link.addr_info ?? []).filter((a) => a.family === 'inet' && a.scope !== 'host').map((a) => ({ ip: parseCIDR(a.local)!.ip, prefix: a.prefixlen }));
}

/** ip.EnableIP4Forward. */
export async function enableIP4Forward(sys: PluginSys): Promise<void> {
  await must(sys, ['sysctl', '-w', 'net.ipv4.ip_forward=1'], 'Could not enable IP forwarding');
}
