/**
 * The ptp plugin (kindnet's): a veth pair with no bridge. The container end gets the IPAM
 * address with its prefix, but its connected subnet route is replaced by a /32 route to the
 * gateway and the subnet via the gateway, so everything goes through the host end; the host
 * end gets the gateway address as /32 and a `scope host` /32 route to the pod. IPv4 forwarding
 * is turned on, ipMasq adds the CNI-<hash> chain. DEL releases the addresses, then deletes the
 * container end and the masquerade rules.
 */
import type { CmdArgs, Delegate, Plugin } from './plugin.ts';
import { ipamType, netnsExists, netnsName, openNetns, parseConf } from './plugin.ts';
import { configureIfaceLines, delLinkByNameAddr, enableIP4Forward, ipBatch, setupVeth, showLink } from './link.ts';
import { setupIPMasq, teardownIPMasq } from './ipmasq.ts';
import { containerInterface, requirePrevResult, validateContainer } from './checks.ts';
import { formatIPv4, formatNetwork, parseCIDR } from './ipnet.ts';
import type { PluginSys } from './sys.ts';
import { IMPLEMENTED_VERSION, convertResult, type CniResult, type NetConf } from './types.ts';

interface PtpConf extends NetConf {
  ipMasq?: boolean;
  mtu?: number;
}

/** The container side: ConfigureIface, then the subnet route swapped for the via-gateway pair. */
function containerLines(ifName: string, res: CniResult): string[] {
  const lines = configureIfaceLines(ifName, res);
  for (const ipc of res.ips ?? []) {
    const ipn = parseCIDR(ipc.address)!;
    const addr = formatIPv4(ipn.ip);
    lines.push(
      `route del ${formatNetwork(ipn)} dev ${ifName}`,
      `route add ${ipc.gateway}/32 dev ${ifName} scope link src ${addr}`,
      `route add ${formatNetwork(ipn)} via ${ipc.gateway} dev ${ifName} src ${addr}`,
    );
  }
  return lines;
}

/** The host side: the gateway as /32 on the veth and a host route to each pod address. */
function hostLines(veth: string, res: CniResult): string[] {
  return (res.ips ?? []).flatMap((ipc) => [
    `addr add ${ipc.gateway}/32 broadcast ${ipc.gateway} dev ${veth}`,
    `route add ${formatIPv4(parseCIDR(ipc.address)!.ip)}/32 dev ${veth} scope host`,
  ]);
}

async function cmdAdd(sys: PluginSys, args: CmdArgs, delegate: Delegate): Promise<CniResult> {
  const conf = parseConf<PtpConf>(args.stdinData);
  const type = ipamType(conf);
  const result = (await delegate(type, 'ADD', args.stdinData))!;
  try {
    if (!result.ips?.length) throw new Error('IPAM plugin returned missing IP config');
    for (const ipc of result.ips) if (!ipc.gateway) throw new Error(`IPAM result for ${ipc.address} has no gateway: ptp needs one`);
    await enableIP4Forward(sys);
    const ns = await openNetns(sys, args.netns);
    const host = await setupVeth(sys, ns, args.ifName, conf.mtu ?? 0, args.containerId);
    const hostIntf = { name: host, mac: (await showLink(sys, undefined, host))?.address };
    const contIntf = { name: args.ifName, mac: (await showLink(sys, ns, args.ifName))?.address, sandbox: args.netns };
    // All addresses are the container veth's.
    for (const ipc of result.ips) ipc.interface = 1;
    result.interfaces = [hostIntf, contIntf];
    await ipBatch(sys, ns, containerLines(args.ifName, result), 'failed to configure container interface');
    await ipBatch(sys, undefined, hostLines(host, result), 'failed to add IP addr to veth');
    if (conf.ipMasq) for (const ipc of result.ips) await setupIPMasq(sys, parseCIDR(ipc.address)!, conf.name, args.containerId);
  } catch (e) {
    await delegate(type, 'DEL', args.stdinData).catch(() => undefined);
    throw e;
  }
  if (conf.dns && Object.keys(conf.dns).length) result.dns = conf.dns;
  return convertResult({ ...result, cniVersion: IMPLEMENTED_VERSION }, conf.cniVersion);
}

async function cmdDel(sys: PluginSys, args: CmdArgs, delegate: Delegate): Promise<void> {
  const conf = parseConf<PtpConf>(args.stdinData);
  await delegate(ipamType(conf), 'DEL', args.stdinData);
  // DEL may come twice, or after the namespace is gone: what is missing is not an error.
  if (!args.netns || !(await netnsExists(sys, args.netns))) return;
  const ipnets = await delLinkByNameAddr(sys, netnsName(args.netns), args.ifName);
  if (conf.ipMasq) for (const ipn of ipnets ?? []) await teardownIPMasq(sys, ipn, conf.name, args.containerId);
}

async function cmdCheck(sys: PluginSys, args: CmdArgs, delegate: Delegate): Promise<void> {
  const conf = parseConf<PtpConf>(args.stdinData);
  await openNetns(sys, args.netns);
  await delegate(ipamType(conf), 'CHECK', args.stdinData);
  const res = requirePrevResult(conf, 'ptp: ');
  await validateContainer(sys, args, res, containerInterface(res, args));
}

export const ptp: Plugin = async (sys, args, delegate) => {
  if (args.command === 'ADD') return cmdAdd(sys, args, delegate);
  if (args.command === 'DEL') await cmdDel(sys, args, delegate);
  else await cmdCheck(sys, args, delegate);
  return undefined;
};
