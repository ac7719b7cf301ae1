/**
 * The bridge plugin: the node's bridge (`bridge`, default cni0; mtu; promiscMode), a veth pair
 * per container with the host end enslaved (hairpinMode), addresses and routes from IPAM on
 * the container end; with isGateway the bridge gets each subnet's gateway address and IPv4
 * forwarding is turned on (isDefaultGateway adds the default route), ipMasq adds the CNI-<hash>
 * chain. DEL deletes the container end (its peer goes with it), releases the addresses and
 * removes the masquerade rules; the bridge stays, as upstream leaves it.
 */
import type { CmdArgs, Delegate, Plugin } from './plugin.ts';
import { ipamType, netnsExists, netnsName, openNetns, parseConf } from './plugin.ts';
import { addrLine, configureIfaceLines, delLinkByNameAddr, enableIP4Forward, ipBatch, setupVeth, showLink } from './link.ts';
import { setupIPMasq, teardownIPMasq } from './ipmasq.ts';
import { containerInterface, requirePrevResult, validateContainer } from './checks.ts';
import { formatIPv4, networkOf, nextIP, parseCIDR, type IPNet } from './ipnet.ts';
import { must, type PluginSys } from './sys.ts';
import { IMPLEMENTED_VERSION, convertResult, type CniResult, type NetConf } from './types.ts';

interface BridgeConf extends NetConf {
  bridge: string;
  isGateway?: boolean;
  isDefaultGateway?: boolean;
  forceAddress?: boolean;
  ipMasq?: boolean;
  mtu?: number;
  hairpinMode?: boolean;
  promiscMode?: boolean;
  vlan?: number;
}

function loadNetConf(stdinData: string): BridgeConf {
  const n = parseConf<BridgeConf>(stdinData);
  n.bridge ||= 'cni0';
  const vlan = n.vlan ?? 0;
  if (vlan < 0 || vlan > 4094) throw new Error(`invalid VLAN ID ${vlan} (must be between 0 and 4094)`);
  if (vlan) throw new Error('vlan is not supported by podlab');
  if (n.isDefaultGateway) n.isGateway = true;
  return n;
}

/** ensureBridge: created unless there, refused if the name is something else, brought up. */
async function ensureBridge(sys: PluginSys, n: BridgeConf): Promise<void> {
  const br = n.bridge;
  const fail = (msg: string): never => {
    throw new Error(`failed to create bridge ${JSON.stringify(br)}: ${msg}`);
  };
  let link = await showLink(sys, undefined, br, 'link', true);
  if (!link) {
    const r = await sys.run(['ip', 'link', 'add', 'name', br, ...(n.mtu ? ['mtu', String(n.mtu)] : []), 'type', 'bridge']);
    if (r.code !== 0 && !/File exists/.test(r.stderr)) fail(`could not add ${JSON.stringify(br)}: ${r.stderr.trim()}`);
    link = await showLink(sys, undefined, br, 'link', true);
    if (!link) fail(`could not lookup ${JSON.stringify(br)}: Link not found`);
  }
  if (link!.linkinfo?.info_kind !== 'bridge') fail(`${JSON.stringify(br)} already exists but is not a bridge`);
  if (n.promiscMode && !link!.promiscuity) await must(sys, ['ip', 'link', 'set', br, 'promisc', 'on'], `failed to create bridge ${JSON.stringify(br)}: could not set promiscuous mode on ${JSON.stringify(br)}`);
  if (!link!.flags?.includes('UP')) await must(sys, ['ip', 'link', 'set', br, 'up'], `failed to create bridge ${JSON.stringify(br)}`);
}

/** ensureAddr: the gateway address on the bridge (another IPv4 address is an error unless forceAddress). */
async function ensureAddr(sys: PluginSys, n: BridgeConf, gw: IPNet): Promise<void> {
  const br = n.bridge;
  const link = await showLink(sys, undefined, br, 'addr');
  const want = `${formatIPv4(gw.ip)}/${gw.prefix}`;
  const lines: string[] = [];
  for (const a of link?.addr_info ?? []) {
    if (a.family !== 'inet') continue;
    if (`${a.local}/${a.prefixlen}` === want) return;
    if (!n.forceAddress) throw new Error(`failed to set bridge addr: ${JSON.stringify(br)} already has an IP address different from ${want}`);
    lines.push(`addr del ${a.local}/${a.prefixlen} dev ${br}`);
  }
  lines.push(addrLine(gw, br));
  // The bridge keeps the MAC it has now instead of following its lowest-numbered port.
  if (link?.address) lines.push(`link set dev ${br} address ${link.address}`);
  await ipBatch(sys, undefined, lines, 'failed to set bridge addr');
}

/** calcGateways for IPv4: every IP is the container's (interface 2); gateways default to .1. */
function calcGateways(result: CniResult, n: BridgeConf): IPNet[] {
  const gws: IPNet[] = [];
  let defaultFound = false;
  for (const ipc of result.ips ?? []) {
    const ipn = parseCIDR(ipc.address);
    if (!ipn) throw new Error(`Unknown IP object: ${JSON.stringify(ipc)}`);
    ipc.interface = 2;
    if (!ipc.gateway && n.isGateway) ipc.gateway = formatIPv4(nextIP(networkOf(ipn)));
    if (n.isDefaultGateway && !defaultFound) {
      defaultFound = (result.routes ?? []).some((r) => r.gw && r.dst === '0.0.0.0/0');
      if (!defaultFound) (result.routes ??= []).push({ dst: '0.0.0.0/0', gw: ipc.gateway });
      defaultFound = true;
    }
    if (n.isGateway && ipc.gateway) gws.push({ ip: parseCIDR(ipc.gateway)!.ip, prefix: ipn.prefix });
  }
  return gws;
}

async function cmdAdd(sys: PluginSys, args: CmdArgs, delegate: Delegate): Promise<CniResult> {
  const n = loadNetConf(args.stdinData);
  if (n.hairpinMode && n.promiscMode) throw new Error('cannot set hairpin mode and promiscuous mode at the same time');
  await ensureBridge(sys, n);
  const ns = await openNetns(sys, args.netns);
  const host = await setupVeth(sys, ns, args.ifName, n.mtu ?? 0, args.containerId);
  await must(sys, ['ip', 'link', 'set', host, 'master', n.bridge], `failed to connect ${JSON.stringify(host)} to bridge ${n.bridge}`);
  if (n.hairpinMode) await must(sys, ['ip', 'link', 'set', host, 'type', 'bridge_slave', 'hairpin', 'on'], `failed to setup hairpin mode for ${host}`);

  const result: CniResult = { cniVersion: IMPLEMENTED_VERSION, interfaces: [{ name: n.bridge }, { name: host }, { name: args.ifName, sandbox: args.netns }] };
  const type = ipamType(n);
  const ipam = (await delegate(type, 'ADD', args.stdinData))!;
  try {
    result.ips = ipam.ips;
    result.routes = ipam.routes;
    result.dns = ipam.dns;
    if (!result.ips?.length) throw new Error('IPAM plugin returned missing IP config');
    const gws = calcGateways(result, n);
    await ipBatch(sys, ns, configureIfaceLines(args.ifName, result), 'failed to configure container interface');
    for (const gw of gws) await ensureAddr(sys, n, gw);
    if (gws.length) await enableIP4Forward(sys);
    if (n.ipMasq) for (const ipc of result.ips) await setupIPMasq(sys, parseCIDR(ipc.address)!, n.name, args.containerId);
    // The port must be up, and the bridge's MAC is read after its ports and address settled.
    const hostLink = await showLink(sys, undefined, host);
    if (hostLink?.operstate !== 'UP') throw new Error(`bridge port in error state: ${hostLink?.operstate ?? 'unknown'}`);
    result.interfaces![1].mac = hostLink.address;
    result.interfaces![0].mac = (await showLink(sys, undefined, n.bridge))?.address;
    result.interfaces![2].mac = (await showLink(sys, ns, args.ifName))?.address;
  } catch (e) {
    await delegate(type, 'DEL', args.stdinData).catch(() => undefined);
    throw e;
  }
  if (n.dns && Object.keys(n.dns).length) result.dns = n.dns;
  return convertResult(result, n.cniVersion);
}

async function cmdDel(sys: PluginSys, args: CmdArgs, delegate: Delegate): Promise<void> {
  const n = loadNetConf(args.stdinData);
  const type = n.ipam?.type;
  const ipamDel = async () => void (type && (await delegate(type, 'DEL', args.stdinData)));
  // DEL may come twice, or after the namespace is gone: what is missing is not an error.
  if (!args.netns || !(await netnsExists(sys, args.netns))) return ipamDel();
  const ipnets = await delLinkByNameAddr(sys, netnsName(args.netns), args.ifName);
  await ipamDel();
  if (type && n.ipMasq) for (const ipn of ipnets ?? []) await teardownIPMasq(sys, ipn, n.name, args.containerId);
}

async function cmdCheck(sys: PluginSys, args: CmdArgs, delegate: Delegate): Promise<void> {
  const n = loadNetConf(args.stdinData);
  await openNetns(sys, args.netns);
  await delegate(ipamType(n), 'CHECK', args.stdinData);
  const res = requirePrevResult(n);
  const brIntf = res.interfaces?.find((i) => i.name === n.bridge);
  const br = brIntf && (await showLink(sys, undefined, n.bridge, 'link', true));
  if (!br) throw new Error(`CNI created bridge ${n.bridge} in host namespace was not found`);
  if (br.linkinfo?.info_kind !== 'bridge') throw new Error(`Interface ${n.bridge} does not have link type of bridge`);
  if (brIntf.mac && brIntf.mac !== br.address) throw new Error(`Bridge interface ${n.bridge} Mac doesn't match: ${brIntf.mac}`);
  const cont = containerInterface(res, args);
  const cl = await showLink(sys, netnsName(args.netns), cont.name);
  const veth = cl && res.interfaces?.find((i) => i.name !== n.bridge && i.name !== cont.name && !i.sandbox);
  const hl = veth && (await showLink(sys, undefined, veth.name));
  if (!hl || hl.master !== n.bridge || hl.ifindex !== cl!.link_index) throw new Error(`CNI veth created for bridge ${n.bridge} was not found`);
  await validateContainer(sys, args, res, cont);
}

export const bridge: Plugin = async (sys, args, delegate) => {
  if (args.command === 'ADD') return cmdAdd(sys, args, delegate);
  if (args.command === 'DEL') await cmdDel(sys, args, delegate);
  else await cmdCheck(sys, args, delegate);
  return undefined;
};
