/**
 * The loopback plugin: brings `lo` up in the sandbox (whatever CNI_IFNAME says) and reports it
 * with its addresses, or passes a previous result through; DEL brings it down, CHECK wants it up.
 */
import type { Plugin } from './plugin.ts';
import { netnsExists, netnsName, parseConf } from './plugin.ts';
import { showLink } from './link.ts';
import { must } from './sys.ts';
import { convertResult, type CniIPConfig } from './types.ts';

export const loopback: Plugin = async (sys, args) => {
  const conf = parseConf(args.stdinData, 'failed to parse network config');
  const ns = netnsName(args.netns);
  if (args.command === 'DEL') {
    if (args.netns && (await netnsExists(sys, args.netns))) await must(sys, ['ip', '-n', ns, 'link', 'set', 'lo', 'down'], 'failed to set "lo" down');
    return undefined;
  }
  if (!(await netnsExists(sys, args.netns))) throw new Error(`failed to Statfs ${JSON.stringify(args.netns)}: no such file or directory`);
  if (args.command === 'CHECK') {
    if (!(await showLink(sys, ns, 'lo'))?.flags?.includes('UP')) throw new Error('loopback interface is down');
    return undefined;
  }
  await must(sys, ['ip', '-n', ns, 'link', 'set', 'lo', 'up'], 'failed to set "lo" up');
  if (conf.prevResult) return convertResult(conf.prevResult, conf.cniVersion);
  const lo = await showLink(sys, ns, 'lo', 'addr');
  const ips: CniIPConfig[] = [];
  for (const family of ['inet', 'inet6']) {
    const a = lo?.addr_info?.find((x) => x.family === family);
    if (a) ips.push({ interface: 0, address: `${a.local}/${a.prefixlen}` });
  }
  return convertResult({ cniVersion: conf.cniVersion, interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: args.netns }], ips }, conf.cniVersion);
};
