/**
 * A whole cluster on one host backend: the "docker network" the nodes share, every node (a
 * machine with its kubelet, container runtime, CNI, kube-proxy and kindnet), the control plane
 * served in process, and the cluster DNS add-on. `settle()` waits until every agent has caught
 * up with the API, so a scenario can act, settle and look. The spec is already resolved (names,
 * IPs, CIDRs); reading kind configs and presets is config.ts's job.
 */
import { Kernel } from '../kernel/kernel.ts';
import { SimHost } from '../host/sim/host.ts';
import { mustRun } from '../host/host.ts';
import { Rng } from '../kernel/rng.ts';
import type { Command, CommandTable } from '../userland/command.ts';
import { makeKubectl } from '../userland/kubectl/index.ts';
import { inProcessKubectlTransport } from '../userland/kubectl/inprocess.ts';
import { kubeconfigYaml } from '../k8s/apiserver/kubeconfig.ts';
import { runShell } from '../userland/shell/index.ts';
import { ControlPlane } from '../k8s/controlplane.ts';
import { createApiHandler } from '../k8s/apiserver/handler.ts';
import { inProcessTransport } from '../k8s/apiserver/transport.ts';
import { KubeClient, type Transport } from '../k8s/client/client.ts';
import type { PodRuntime, LogOptions } from '../k8s/apiserver/runtime.ts';
import type { ExecIO, ExecRequest } from '../k8s/apiserver/streams/types.ts';
import { notFound } from '../k8s/api/errors.ts';
import { R, type Pod } from '../k8s/controllers/util.ts';
import { Kubelet } from '../k8s/kubelet/kubelet.ts';
import { ContainerRuntime } from '../k8s/kubelet/runtime.ts';
import { CniRuntime } from '../k8s/cni/runtime.ts';
import { KubeProxy } from '../k8s/proxy/kube-proxy.ts';
import { IptablesProxier } from '../k8s/proxy/iptables/proxier.ts';
import { IpvsProxier } from '../k8s/proxy/ipvs/proxier.ts';
import type { Proxier, ProxyMode } from '../k8s/proxy/types.ts';
import { Kindnet } from '../k8s/kindnet/kindnet.ts';
import { nodeTools } from './tools.ts';
import { clusterDnsObjects } from './addons.ts';

export interface NodeSpec {
  name: string;
  role: 'control-plane' | 'worker';
  /** The node's address on the cluster network. */
  ip: string;
  podCIDR: string;
}

export interface ClusterSpec {
  name: string;
  nodes: NodeSpec[];
  /** The cluster network (kind's docker network): subnet and gateway. */
  network: { subnet: string; gateway: string };
  podSubnet: string;
  serviceSubnet: string;
  /** The cluster DNS Service's IP (10th address of the service subnet in kind). */
  dnsIP: string;
  proxyMode: ProxyMode;
  /** The Kubernetes version the nodes run (kind's node image tag, `v1.16.3`): kube-proxy's naming follows it. */
  version: string;
  seed: number;
  /** Milliseconds since the epoch when the cluster starts (the virtual clock). */
  start: number;
}

export interface ClusterNode {
  spec: NodeSpec;
  host: SimHost;
  runtime: ContainerRuntime;
  kubelet: Kubelet;
  proxy?: KubeProxy;
  kindnet: Kindnet;
}

/** Lets pending promise continuations and I/O callbacks run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Cluster {
  readonly kernel: Kernel;
  readonly cp: ControlPlane;
  readonly api: Transport;
  readonly client: KubeClient;
  readonly nodes: ClusterNode[] = [];
  /** The machine the "docker network" bridge lives on (what `docker` runs on). */
  readonly dockerHost: SimHost;
  readonly log: string[] = [];
  private readonly tools: CommandTable;
  /** The docker network's bridge on the docker host (`br-<id>`). */
  private bridge = '';
  private readonly runtime: PodRuntime = this.podRuntime();

  private constructor(readonly spec: ClusterSpec) {
    this.kernel = new Kernel({ seed: spec.seed, now: spec.start });
    this.tools = nodeTools();
    this.dockerHost = new SimHost({ kernel: this.kernel, hostname: 'podlab', commands: this.tools });
    this.cp = new ControlPlane({
      seed: spec.seed, now: () => this.kernel.clock.now,
      config: { serviceCIDR: spec.serviceSubnet },
      controllers: { log: (m) => this.log.push(m) },
    });
    this.api = inProcessTransport(createApiHandler(this.cp, { runtime: this.runtime }));
    this.client = new KubeClient(this.api);
  }

  /** Builds the cluster and waits until its nodes are Ready and the DNS add-on runs. */
  static async create(spec: ClusterSpec): Promise<Cluster> {
    const c = new Cluster(spec);
    await c.build();
    return c;
  }

  private async build(): Promise<void> {
    const s = this.spec;
    const cpNode = s.nodes.find((n) => n.role === 'control-plane') ?? s.nodes[0];
    this.cp.bootstrap({ apiserverAddress: `${cpNode.ip}:6443` });
    await this.buildNetwork();
    for (const n of s.nodes) this.nodes.push(await this.buildNode(n));
    for (const n of this.nodes) await n.kindnet.start();
    for (const n of this.nodes) await n.kubelet.start();
    for (const n of this.nodes) await n.proxy?.start();
    for (const obj of clusterDnsObjects(s)) await this.client.create(obj.resource, obj.namespace, obj.object);
    await this.settle();
  }

  /** The bridge every node's eth0 is plugged into, with the network's gateway address. */
  private async buildNetwork(): Promise<void> {
    const h = this.dockerHost;
    const prefix = this.spec.network.subnet.split('/')[1];
    const id = Array.from(this.kernel.rng.bytes(6), (b) => b.toString(16).padStart(2, '0')).join('');
    this.bridge = `br-${id}`;
    await mustRun(h, ['ip', 'link', 'add', this.bridge, 'type', 'bridge']);
    await mustRun(h, ['ip', 'addr', 'add', `${this.spec.network.gateway}/${prefix}`, 'dev', this.bridge]);
    await mustRun(h, ['ip', 'link', 'set', this.bridge, 'up']);
  }

  private async buildNode(n: NodeSpec): Promise<ClusterNode> {
    const host = new SimHost({ kernel: this.kernel, hostname: n.name, commands: this.tools });
    const prefix = this.spec.network.subnet.split('/')[1];
    // Docker plugs the node in: a veth with the node's end named eth0, a MAC made from its IP.
    this.dockerHost.machine.mountNetns(n.name, host.machine.root);
    const mac = '02:42:' + n.ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join(':');
    const veth = `veth${Array.from(this.kernel.rng.bytes(4), (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 7)}`;
    await mustRun(this.dockerHost, ['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'address', mac, 'netns', n.name]);
    await mustRun(this.dockerHost, ['ip', 'link', 'set', veth, 'master', this.bridge, 'up']);
    await mustRun(host, ['ip', '-batch', '-'], {
      stdin: `link set lo up\naddr add ${n.ip}/${prefix} dev eth0\nlink set eth0 up\nroute add default via ${this.spec.network.gateway}\n`,
    });
    await host.writeFile('/etc/resolv.conf', `nameserver ${this.spec.network.gateway}\noptions ndots:0\n`);
    await host.run(['sysctl', '-w', 'net.ipv4.ip_forward=1']);
    const rng = new Rng([this.spec.seed, ...Array.from(n.name, (ch) => ch.charCodeAt(0))].slice(0, 4).map((x, i) => (x + i * 7919) >>> 0));
    const runtime = new ContainerRuntime(host, new CniRuntime(host), rng, { api: this.api });
    const dns = { clusterDNS: [this.spec.dnsIP], clusterDomain: 'cluster.local', nodeResolvConf: (await host.readFile('/etc/resolv.conf')) ?? '' };
    const control = n.role === 'control-plane';
    const log = (l: string): void => void this.log.push(l);
    const kubelet = new Kubelet({
      host, client: this.client, runtime, nodeName: n.name, nodeIP: n.ip, podCIDR: n.podCIDR, dns, log, kubeletVersion: this.spec.version,
      ...(control ? { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    });
    const proxier = this.proxier(host, n);
    const proxy = proxier ? new KubeProxy({ host, client: this.client, proxier, log }) : undefined;
    const kindnet = new Kindnet({ host, client: this.client, nodeName: n.name, podNetwork: this.spec.podSubnet });
    return { spec: n, host, runtime, kubelet, kindnet, ...(proxy ? { proxy } : {}) };
  }

  private proxier(host: SimHost, n: NodeSpec): Proxier | undefined {
    const cfg = { host, nodeName: n.name, nodeIPs: [n.ip], clusterCIDR: this.spec.podSubnet, kubeProxyVersion: this.spec.version, log: (l: string) => void this.log.push(l) };
    switch (this.spec.proxyMode) {
      case 'iptables': return new IptablesProxier(cfg);
      case 'ipvs': return new IpvsProxier(cfg);
      default: return undefined;
    }
  }

  node(name: string): ClusterNode {
    const n = this.nodes.find((x) => x.spec.name === name);
    if (!n) throw new Error(`no node named ${name}`);
    return n;
  }

  /** Whether every agent on every node has caught up. */
  private idle(): boolean {
    return this.nodes.every((n) => n.kubelet.idle() && (n.proxy?.idle() ?? true) && n.kindnet.idle());
  }

  /** Waits until the control plane and every node agent have nothing left to do. */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      this.cp.settle();
      await tick();
      quiet = this.idle() ? quiet + 1 : 0;
    }
  }

  /**
   * Runs a command line on a node as `docker exec NODE sh -c LINE` would (in the foreground:
   * waits move the virtual clock), after letting the cluster settle.
   */
  exec(node: string, line: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.run(this.node(node).host, line, stdin);
  }

  /** Runs a command line in the foreground on a machine of the cluster (a node, the docker host). */
  async run(h: SimHost, line: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    await this.settle();
    let stdout = '';
    let stderr = '';
    const code = await runShell(line, {
      commands: this.tools, fs: h.sys.files?.() ?? h.fs, cwd: '/root', env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' }, sys: h.sys, stdin,
      stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t),
    });
    return { code, stdout, stderr };
  }

  /**
   * `kubectl ARGS` on the user's machine (the docker host), through the cluster's kubeconfig
   * context `kind-NAME` whose server `podlab://NAME` this process serves.
   */
  async kubectl(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    await this.settle();
    const h = this.dockerHost;
    const server = `podlab://${this.spec.name}`;
    if (!h.fs.read('/root/.kube/config')) {
      h.fs.write('/root/.kube/config', kubeconfigYaml({ context: `kind-${this.spec.name}`, server, caPem: '', token: 'podlab' }));
    }
    this.kubectlCmd ??= makeKubectl({ transport: (t) => (t.server === server ? inProcessKubectlTransport(this.cp, { runtime: this.runtime }) : undefined) });
    let stdout = '';
    let stderr = '';
    const code = await this.kubectlCmd({
      argv: ['kubectl', ...args], stdin, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t),
      fs: h.fs, cwd: '/root', env: { HOME: '/root' }, sys: h.sys,
    });
    await this.settle();
    return { code, stdout, stderr };
  }

  private kubectlCmd?: Command;

  /** The PodRuntime the API server hands exec, port-forward and logs to: the pod's node's kubelet. */
  private podRuntime(): PodRuntime {
    const kubeletOf = (namespace: string, pod: string): Kubelet => {
      const p = this.cp.registry.tryGet(R.pods, namespace, pod) as Pod | undefined;
      const n = p?.spec?.nodeName && this.nodes.find((x) => x.spec.name === p.spec!.nodeName);
      if (!n) throw notFound('pods', pod);
      return n.kubelet;
    };
    return {
      exec: (req: ExecRequest, io: ExecIO) => kubeletOf(req.namespace, req.pod).exec(req, io),
      portForward: (namespace: string, pod: string, port: number) => kubeletOf(namespace, pod).portForward(namespace, pod, port),
      logs: (namespace: string, pod: string, container: string, opts: LogOptions, signal: AbortSignal) => kubeletOf(namespace, pod).logs(namespace, pod, container, opts, signal),
    };
  }

  close(): void {
    for (const n of this.nodes) {
      n.kubelet.stop();
      n.proxy?.stop();
      n.kindnet.stop();
    }
    this.cp.close();
  }
}
