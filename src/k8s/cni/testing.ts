/**
 * Test fixtures for the CNI tests: a simulated worker with the node tools and the plugins, the
 * two configurations of the seed labs (kindnet's ptp conflist, the hard-way bridge .conf), and
 * a pod's runtime request.
 */
import { SimHost } from '../../host/sim/host.ts';
import { allCommands } from '../../userland/registry.ts';
import { kindnetConflist, KINDNET_CONFLIST } from '../kindnet/kindnet.ts';
import { cniCommands } from './commands.ts';
import type { CniRuntimeConf } from './runtime.ts';

export function worker(): SimHost {
  return new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: 'worker', commands: new Map([...allCommands(), ...cniCommands()]) });
}

/** Kubernetes The Hard Way's 10-bridge.conf for a node's pod CIDR. */
export function hardWayBridgeConf(podCidr: string): string {
  return JSON.stringify({
    cniVersion: '0.3.1', name: 'bridge', type: 'bridge', bridge: 'cnio0', isGateway: true, ipMasq: true,
    ipam: { type: 'host-local', ranges: [[{ subnet: podCidr }]], routes: [{ dst: '0.0.0.0/0' }] },
  }, null, 2);
}

export const BRIDGE_CONF = '/etc/cni/net.d/10-bridge.conf';

export async function withKindnet(h: SimHost, podCidr = '10.244.1.0/24'): Promise<void> {
  await h.writeFile(KINDNET_CONFLIST, kindnetConflist(podCidr));
}

export async function withBridge(h: SimHost, podCidr = '10.200.0.0/24'): Promise<void> {
  await h.writeFile(BRIDGE_CONF, hardWayBridgeConf(podCidr));
}

/** A 64-hex sandbox id like containerd's, distinct per n. */
export function sandboxId(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(8);
}

/** A pod's request, with its namespace created on the node. */
export async function pod(h: SimHost, n: number, portMappings?: CniRuntimeConf['capabilityArgs']): Promise<CniRuntimeConf> {
  const netns = `cni-${n.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
  const r = await h.run(['ip', 'netns', 'add', netns]);
  if (r.code !== 0) throw new Error(r.stderr);
  const id = sandboxId(n);
  return {
    containerId: id, netns, ifName: 'eth0',
    args: { K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: `pod-${n}`, K8S_POD_INFRA_CONTAINER_ID: id, K8S_POD_UID: `uid-${n}` },
    ...(portMappings ? { capabilityArgs: portMappings } : {}),
  };
}

/** Runs a node command line through the shell and returns its stdout (throws on failure). */
export async function sh(h: SimHost, line: string, env: Record<string, string> = {}): Promise<string> {
  const r = await h.run(['sh', '-c', line], { env });
  if (r.code !== 0) throw new Error(`${line}: exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
