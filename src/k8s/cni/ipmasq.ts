/**
 * pkg/ip's iptables masquerading for bridge and ptp (`ipMasq: true`): a per-container
 * `CNI-<hash>` chain in nat that accepts traffic to the pod's own subnet and masquerades the
 * rest except multicast, jumped to from POSTROUTING for the pod's address; all three rules carry
 * the `name: "<net>" id: "<container>"` comment. Teardown removes the jump (also the subnet
 * form older versions wrote), flushes and deletes the chain.
 */
import { IPTables } from './iptables.ts';
import { chainComment, chainName } from './names.ts';
import { formatIPv4, type IPNet, formatIPNet } from './ipnet.ts';
import type { PluginSys } from './sys.ts';

const NAT = 'nat';
const MULTICAST_NET = '224.0.0.0/4';

export async function setupIPMasq(sys: PluginSys, ipn: IPNet, network: string, containerId: string): Promise<void> {
  const ipt = new IPTables(sys);
  const chain = chainName(network, containerId);
  const comment = ['-m', 'comment', '--comment', chainComment(network, containerId)];
  await ipt.ensureChain(NAT, chain);
  // Packets to the pod's own network are left alone.
  await ipt.insertUnique(NAT, chain, false, ['-d', formatIPNet(ipn), '-j', 'ACCEPT', ...comment]);
  // Multicast is not masqueraded, so pods can talk to the local network with it.
  await ipt.insertUnique(NAT, chain, false, ['!', '-d', MULTICAST_NET, '-j', 'MASQUERADE', ...comment]);
  await ipt.insertUnique(NAT, 'POSTROUTING', false, ['-s', formatIPv4(ipn.ip), '-j', chain, ...comment]);
}

export async function teardownIPMasq(sys: PluginSys, ipn: IPNet, network: string, containerId: string): Promise<void> {
  const ipt = new IPTables(sys);
  const chain = chainName(network, containerId);
  const comment = ['-m', 'comment', '--comment', chainComment(network, containerId)];
  await ipt.deleteIfExists(NAT, 'POSTROUTING', ['-s', formatIPv4(ipn.ip), '-j', chain, ...comment]);
  await ipt.deleteIfExists(NAT, 'POSTROUTING', ['-s', formatIPNet(ipn), '-j', chain, ...comment]);
  await ipt.clearChain(NAT, chain);
  await ipt.deleteChainIfExists(NAT, chain);
}
