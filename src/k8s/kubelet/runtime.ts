/**
 * The node's container runtime (containerd's CRI service, or Docker through cri-dockerd): pod
 * sandboxes (a `cni-<uuid>` network namespace held by the `/pause` process, networked by the
 * node's CNI plugins) and containers (processes in the sandbox's namespace), their logs, exec,
 * and the state file the node's crictl, ctr and docker read (cri.ts). Everything goes through
 * the Host; the kubelet drives it with CRI-shaped calls.
 */
import type { Host, HostProcess } from '../../host/host.ts';
import { mustRun } from '../../host/host.ts';
import type { Rng } from '../../kernel/rng.ts';
import type { Transport } from '../client/client.ts';
import { CRI_STATE_PATH, type CriContainer, type CriSandbox, type CriState } from './cri.ts';

/** What the CNI runtime gives the kubelet's runtime: ADD returns the pod's addresses. */
export interface PodNetwork {
  add(rt: PodNetworkRequest): Promise<{ ips?: { address: string }[] }>;
  del(rt: PodNetworkRequest): Promise<void>;
}

export interface PodNetworkRequest {
  containerId: string;
  netns: string;
  ifName: string;
  args: Record<string, string>;
  capabilityArgs?: { portMappings?: { hostPort: number; containerPort: number; protocol: string; hostIP?: string }[] };
}

export interface SandboxConfig {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
  hostname: string;
  hostNetwork: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  portMappings: { hostPort: number; containerPort: number; protocol: string; hostIP?: string }[];
  /** The node's IP: a hostNetwork pod's address. */
  nodeIP: string;
}

export interface ContainerConfig {
  name: string;
  attempt: number;
  image: string;
  imageRef: string;
  /** `sha256:` + the image's config digest (crictl's IMAGE column). */
  imageId: string;
  argv: string[];
  env: Record<string, string>;
  /** The files the container sees over the node's (resolv.conf, hosts, hostname). */
  files: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One line of a container's log, as the CRI log file keeps it. */
export interface LogEntry {
  time: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.9';

export class ContainerRuntime {
  readonly state: CriState;
  private readonly procs = new Map<string, HostProcess>();
  private readonly logs = new Map<string, LogEntry[]>();
  private readonly logListeners = new Map<string, Set<(e: LogEntry) => void>>();
  private readonly exitListeners = new Set<(c: CriContainer) => void>();
  private saving: Promise<void> = Promise.resolve();
  /** Each sandbox's CNI request, for the DEL that tears its network down. */
  private readonly sandboxNets = new Map<string, PodNetworkRequest>();
  private readonly api?: Transport;

  constructor(
    readonly host: Host,
    private readonly network: PodNetwork,
    private readonly rng: Rng,
    opts: { kind?: 'containerd' | 'docker'; version?: string; api?: Transport } = {},
  ) {
    this.api = opts.api;
    const kind = opts.kind ?? 'containerd';
    this.state = { runtime: kind, runtimeVersion: opts.version ?? (kind === 'docker' ? '24.0.7' : '1.7.18'), sandboxes: [], containers: [] };
  }

  /** 64 hex digits, as containerd and docker name what they create. */
  private newId(): string {
    return Array.from(this.rng.bytes(32), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Persists the state for the node's tools (writes are serialised, the last one wins). */
  private save(): Promise<void> {
    const text = JSON.stringify(this.state, null, 2);
    this.saving = this.saving.then(() => this.host.writeFile(CRI_STATE_PATH, text));
    return this.saving;
  }

  sandbox(id: string): CriSandbox | undefined {
    return this.state.sandboxes.find((s) => s.id === id);
  }

  container(id: string): CriContainer | undefined {
    return this.state.containers.find((c) => c.id === id);
  }

  containersOf(sandboxId: string): CriContainer[] {
    return this.state.containers.filter((c) => c.sandboxId === sandboxId);
  }

  /** Called with a container when its process ends (the kubelet restarts it or reports it). */
  onExit(fn: (c: CriContainer) => void): void {
    this.exitListeners.add(fn);
  }

  /**
   * RunPodSandbox: the namespace, the pause process, and the pod network (CNI ADD). A failure
   * undoes what was made and throws with the runtime's message.
   */
  async runPodSandbox(cfg: SandboxConfig): Promise<CriSandbox> {
    const id = this.newId();
    const netns = cfg.hostNetwork ? '' : `cni-${this.rng.uuid()}`;
    if (netns) {
      await mustRun(this.host, ['ip', 'netns', 'add', netns]);
      // containerd brings the sandbox's loopback up itself (go-cni's loopback network).
      await mustRun(this.host, ['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
    }
    let pause: HostProcess | undefined;
    try {
      pause = await this.host.spawn({ argv: ['/pause'], ...(netns ? { netns, hostname: cfg.hostname } : {}) });
      let ip = cfg.nodeIP;
      if (netns) {
        const res = await this.network.add(this.networkRequest(id, netns, cfg));
        ip = res.ips?.[0]?.address.split('/')[0] ?? '';
      }
      const sb: CriSandbox = {
        id, name: cfg.name, namespace: cfg.namespace, uid: cfg.uid, attempt: cfg.attempt, netns, pid: pause.pid,
        state: 'SANDBOX_READY', createdAt: this.host.now(), ip, hostNetwork: cfg.hostNetwork, hostname: cfg.hostname,
        image: PAUSE_IMAGE,
        labels: { ...cfg.labels, 'io.kubernetes.pod.name': cfg.name, 'io.kubernetes.pod.namespace': cfg.namespace, 'io.kubernetes.pod.uid': cfg.uid },
        annotations: cfg.annotations, runtimeHandler: '',
      };
      this.procs.set(id, pause);
      this.state.sandboxes.push(sb);
      this.sandboxNets.set(id, this.networkRequest(id, netns, cfg));
      await this.save();
      return sb;
    } catch (e) {
      pause?.kill(9);
      if (netns) await this.host.run(['ip', 'netns', 'del', netns]);
      throw new Error(`failed to setup network for sandbox "${id}": ${(e as Error).message}`);
    }
  }

  private networkRequest(id: string, netns: string, cfg: SandboxConfig): PodNetworkRequest {
    return {
      containerId: id, netns, ifName: 'eth0',
      args: { K8S_POD_NAMESPACE: cfg.namespace, K8S_POD_NAME: cfg.name, K8S_POD_INFRA_CONTAINER_ID: id, K8S_POD_UID: cfg.uid },
      ...(cfg.portMappings.length ? { capabilityArgs: { portMappings: cfg.portMappings } } : {}),
    };
  }

  /** StopPodSandbox: its containers and the pause process end, the pod network is torn down (CNI DEL). */
  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.sandbox(id);
    if (!sb) return;
    for (const c of this.containersOf(id)) this.stopContainer(c.id, 9);
    const req = this.sandboxNets.get(id);
    if (sb.netns && req && sb.state === 'SANDBOX_READY') await this.network.del(req);
    this.procs.get(id)?.kill(9);
    this.procs.delete(id);
    sb.state = 'SANDBOX_NOTREADY';
    await this.save();
  }

  /** RemovePodSandbox: the namespace is unmounted and every record of the pod goes. */
  async removePodSandbox(id: string): Promise<void> {
    const sb = this.sandbox(id);
    if (!sb) return;
    if (sb.state === 'SANDBOX_READY') await this.stopPodSandbox(id);
    if (sb.netns) await this.host.run(['ip', 'netns', 'del', sb.netns]);
    for (const c of this.containersOf(id)) this.logs.delete(c.id);
    this.state.containers = this.state.containers.filter((c) => c.sandboxId !== id);
    this.state.sandboxes = this.state.sandboxes.filter((s) => s.id !== id);
    this.sandboxNets.delete(id);
    await this.save();
  }

  /** CreateContainer + StartContainer: the container's process in the sandbox's namespace. */
  async startContainer(sandboxId: string, cfg: ContainerConfig): Promise<CriContainer> {
    const sb = this.sandbox(sandboxId);
    if (!sb) throw new Error(`sandbox ${sandboxId} not found`);
    const id = this.newId();
    const now = this.host.now();
    const c: CriContainer = {
      id, sandboxId, name: cfg.name, attempt: cfg.attempt, image: cfg.image, imageRef: cfg.imageRef, imageId: cfg.imageId, argv: cfg.argv, env: cfg.env, pid: 0,
      state: 'CONTAINER_CREATED', createdAt: now, startedAt: 0, finishedAt: 0, exitCode: 0,
      labels: { ...cfg.labels, 'io.kubernetes.container.name': cfg.name, 'io.kubernetes.pod.name': sb.name, 'io.kubernetes.pod.namespace': sb.namespace, 'io.kubernetes.pod.uid': sb.uid },
      annotations: cfg.annotations,
      logPath: `/var/log/pods/${sb.namespace}_${sb.name}_${sb.uid}/${cfg.name}/${cfg.attempt}.log`,
    };
    this.state.containers.push(c);
    this.logs.set(id, []);
    const log = (stream: 'stdout' | 'stderr') => (chunk: string) => this.appendLog(c, stream, chunk);
    try {
      const proc = await this.host.spawn({
        argv: cfg.argv, env: cfg.env, files: cfg.files, stdout: log('stdout'), stderr: log('stderr'),
        ...(sb.netns ? { netns: sb.netns, hostname: sb.hostname } : {}),
        ...(this.api ? { api: this.api } : {}),
      });
      this.procs.set(id, proc);
      c.pid = proc.pid;
      c.state = 'CONTAINER_RUNNING';
      c.startedAt = this.host.now();
      void proc.exited.then((code) => this.exited(c, code));
    } catch (e) {
      c.state = 'CONTAINER_EXITED';
      c.exitCode = 128;
      c.finishedAt = this.host.now();
      await this.save();
      throw new Error(`failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${(e as Error).message}: unknown`);
    }
    await this.save();
    return c;
  }

  private exited(c: CriContainer, code: number): void {
    if (c.state === 'CONTAINER_EXITED') return;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.finishedAt = this.host.now();
    c.pid = 0;
    this.procs.delete(c.id);
    void this.save();
    for (const fn of this.exitListeners) fn(c);
  }

  /** StopContainer: SIGTERM (or `signal`); the exit is recorded as the process ends. */
  stopContainer(id: string, signal = 15): void {
    this.procs.get(id)?.kill(signal);
  }

  /** Removes an exited container's record (a restart replaces it). */
  async removeContainer(id: string): Promise<void> {
    this.state.containers = this.state.containers.filter((c) => c.id !== id);
    this.logs.delete(id);
    await this.save();
  }

  private appendLog(c: CriContainer, stream: 'stdout' | 'stderr', chunk: string): void {
    const entries = this.logs.get(c.id);
    if (!entries) return;
    const time = this.host.now();
    // The CRI log format keeps lines; a chunk without a final newline is a partial line (P).
    for (const text of chunk.split(/(?<=\n)/)) {
      if (!text) continue;
      const e = { time, stream, text };
      entries.push(e);
      for (const fn of this.logListeners.get(c.id) ?? []) fn(e);
    }
  }

  logOf(id: string): LogEntry[] {
    return this.logs.get(id) ?? [];
  }

  /** Calls `fn` for every new log line of a container until the returned function is called. */
  followLog(id: string, fn: (e: LogEntry) => void): () => void {
    let set = this.logListeners.get(id);
    if (!set) this.logListeners.set(id, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** ExecSync/Exec: runs argv in the container (its namespace, hostname and files). */
  async exec(id: string, argv: string[], io: { stdin?: string; stdout(t: string): void; stderr(t: string): void; files: Record<string, string> }): Promise<number> {
    const c = this.container(id);
    const sb = c && this.sandbox(c.sandboxId);
    if (!c || !sb || c.state !== 'CONTAINER_RUNNING') throw new Error(`container ${id} is not running`);
    // An exec'd process gets the container's environment (the OCI process spec's env).
    const proc = await this.host.spawn({
      argv, files: io.files, env: c.env ?? {}, stdin: io.stdin ?? '', stdout: io.stdout, stderr: io.stderr, foreground: true,
      ...(sb.netns ? { netns: sb.netns, hostname: sb.hostname } : {}),
      ...(this.api ? { api: this.api } : {}),
    });
    return proc.exited;
  }
}
