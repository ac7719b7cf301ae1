/**
 * kindnet, kind's default network daemon, on one node: writes the node's CNI config (ptp +
 * host-local for the node's pod CIDR, portmap), routes every other node's pod CIDR via that
 * node's IP (so pod-to-pod traffic crosses nodes without NAT), and keeps the masquerade agent's
 * KIND-MASQ-AGENT chain (traffic leaving the pod network is masqueraded, pod-to-pod is not).
 */
import type { Host } from '../../host/host.ts';
import { mustRun } from '../../host/host.ts';
import type { KubeClient } from '../client/client.ts';
import { Informer } from '../client/informer.ts';
import { R, type Node } from '../controllers/util.ts';

export const KINDNET_CONFLIST = '/etc/cni/net.d/10-kindnet.conflist';

/** kindnet's CNI config template filled for a pod subnet. */
export function kindnetConflist(podSubnet: string, mtu = 1500): string {
  return `
{
\t"cniVersion": "0.3.1",
\t"name": "kindnet",
\t"plugins": [
\t{
\t\t"type": "ptp",
\t\t"ipMasq": false,
\t\t"ipam": {
\t\t\t"type": "host-local",
\t\t\t"dataDir": "/run/cni-ipam-state",
\t\t\t"routes": [
\t\t\t\t{ "dst": "0.0.0.0/0" }
\t\t\t],
\t\t\t"ranges": [
\t\t\t\t[ { "subnet": "${podSubnet}" } ]
\t\t\t]
\t\t}
\t\t,
\t\t"mtu": ${mtu}
\t},
\t{
\t\t"type": "portmap",
\t\t"capabilities": {
\t\t\t"portMappings": true
\t\t}
\t}
\t]
}
`;
}

/** The masquerade agent's rules: RETURN for the cluster's pod network, MASQUERADE for the rest. */
export function masqRules(podNetwork: string): string {
  return `*nat
:KIND-MASQ-AGENT - [0:0]
-A KIND-MASQ-AGENT -d ${podNetwork} -m comment --comment "kind-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN
-A KIND-MASQ-AGENT -m comment --comment "kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE
COMMIT
`;
}

const MASQ_JUMP = ['POSTROUTING', '-m', 'addrtype', '!', '--dst-type', 'LOCAL', '-m', 'comment', '--comment', 'kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain', '-j', 'KIND-MASQ-AGENT'];

export interface KindnetOptions {
  host: Host;
  client: KubeClient;
  nodeName: string;
  /** The cluster's pod network (`networking.podSubnet`, 10.244.0.0/16). */
  podNetwork: string;
}

export class Kindnet {
  readonly nodes: Informer;
  private routes = new Map<string, string>();
  private work: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly o: KindnetOptions) {
    this.nodes = new Informer(o.client, R.nodes).on({
      add: (n) => this.kick(n as Node),
      update: (_, n) => this.kick(n as Node),
      delete: (n) => this.kick(n as Node, true),
    });
  }

  async start(): Promise<void> {
    await this.o.host.run(['sysctl', '-w', 'net.ipv4.ip_forward=1']);
    await mustRun(this.o.host, ['iptables-restore', '--noflush'], { stdin: masqRules(this.o.podNetwork) });
    const h = this.o.host;
    if ((await h.run(['iptables', '-t', 'nat', '-C', ...MASQ_JUMP])).code !== 0) await mustRun(h, ['iptables', '-t', 'nat', '-A', ...MASQ_JUMP]);
    await this.nodes.start();
    await this.work;
  }

  stop(): void {
    this.nodes.stop();
  }

  idle(): boolean {
    return this.pending === 0;
  }

  private kick(n: Node, gone = false): void {
    this.pending++;
    this.work = this.work.then(() => this.sync(n, gone)).catch(() => {}).finally(() => this.pending--);
  }

  private async sync(n: Node, gone: boolean): Promise<void> {
    const name = n.metadata.name!;
    const cidr = n.spec?.podCIDR;
    const h = this.o.host;
    if (name === this.o.nodeName) {
      // Our own node: the CNI config for our pod CIDR, once it is known.
      if (cidr && !gone && (await h.readFile(KINDNET_CONFLIST)) !== kindnetConflist(cidr)) await h.writeFile(KINDNET_CONFLIST, kindnetConflist(cidr));
      return;
    }
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const old = this.routes.get(name);
    if (gone || !cidr || !ip) {
      if (old) await h.run(['ip', 'route', 'del', old]);
      this.routes.delete(name);
      return;
    }
    if (old === cidr) return;
    if (old) await h.run(['ip', 'route', 'del', old]);
    await mustRun(h, ['ip', 'route', 'replace', cidr, 'via', ip]);
    this.routes.set(name, cidr);
  }
}
