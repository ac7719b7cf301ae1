/**
 * The kubelet: registers its Node, watches the pods bound to it, and makes each one real on
 * the node through the container runtime (sandbox, network, containers), reporting status,
 * restarts and events to the API; a pod being deleted is stopped, its network torn down and
 * its object removed. It also serves the API server's exec, port-forward and logs for its
 * pods (PodRuntime). Pods are synced one at a time in the order they were queued, so a run is
 * deterministic for a seed.
 */
import { createHash } from 'node:crypto';
import type { Host } from '../../host/host.ts';
import type { KObject } from '../api/object.ts';
import { rfc3339 } from '../api/object.ts';
import { StatusError, badRequest, notFound } from '../api/errors.ts';
import type { KubeClient } from '../client/client.ts';
import { Informer, keyOf } from '../client/informer.ts';
import { R, type Pod, type Service } from '../controllers/util.ts';
import type { ExecIO, ExecRequest, PortForwardConn } from '../apiserver/streams/types.ts';
import type { LogOptions, PodRuntime } from '../apiserver/runtime.ts';
import { containerArgv, resolveImage } from '../../programs/images.ts';
import type { CriContainer } from './cri.ts';
import { containerEnv } from './envvars.ts';
import { podHostname, podHosts, podResolvConf, type DnsSettings } from './podfiles.ts';
import type { ContainerRuntime } from './runtime.ts';

export interface KubeletOptions {
  host: Host;
  client: KubeClient;
  runtime: ContainerRuntime;
  nodeName: string;
  nodeIP: string;
  /** The node's pod CIDR (spec.podCIDR), as the node IPAM controller would assign it. */
  podCIDR?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  dns: DnsSettings;
  kubeletVersion?: string;
  log?(line: string): void;
}

/** What the kubelet keeps of one pod it runs. */
interface PodRecord {
  uid: string;
  key: string;
  sandboxId: string;
  ip: string;
  files: Record<string, string>;
  /** Container name → its current CRI container and restarts so far. */
  containers: Map<string, { id: string; restarts: number; last?: CriContainer; backoffUntil?: number }>;
  startTime: string;
  /** The status last written, to skip writes that change nothing. */
  written?: string;
}

const KUBELET_VERSION = 'v1.30.0';
const BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 300_000;

/** A deterministic digest, as a registry would give an image (the sim pulls nothing). */
function imageDigest(ref: string): string {
  return createHash('sha256').update(ref).digest('hex');
}

export class Kubelet implements PodRuntime {
  readonly pods: Informer;
  readonly services: Informer;
  private readonly records = new Map<string, PodRecord>();
  private readonly queue: string[] = [];
  private running = false;
  private readonly o: KubeletOptions;
  private eventSeq = 0;

  constructor(o: KubeletOptions) {
    this.o = o;
    this.pods = new Informer(o.client, R.pods, { fieldSelector: `spec.nodeName=${o.nodeName}` });
    this.services = new Informer(o.client, R.services);
    this.pods.on({ add: (p) => this.enqueue(keyOf(p)), update: (_, p) => this.enqueue(keyOf(p)), delete: (p) => this.enqueue(keyOf(p)) });
    o.runtime.onExit((c) => {
      const sb = o.runtime.sandbox(c.sandboxId);
      if (sb) this.enqueue(`${sb.namespace}/${sb.name}`);
    });
  }

  get host(): Host {
    return this.o.host;
  }

  /** Registers the Node (or refreshes it) and starts watching pods. */
  async start(): Promise<void> {
    await this.register();
    await Promise.all([this.services.start(), this.pods.start()]);
  }

  stop(): void {
    this.pods.stop();
    this.services.stop();
  }

  /** Whether every queued pod has been synced. */
  idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  private log(line: string): void {
    this.o.log?.(`kubelet ${this.o.nodeName}: ${line}`);
  }

  private nodeObject(): KObject {
    const o = this.o;
    const now = rfc3339(o.host.now());
    const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
    const capacity = { cpu: '8', 'ephemeral-storage': '263174212Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16365212Ki', pods: '110' };
    const rt = o.runtime.state;
    return {
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name: o.nodeName,
        labels: { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': o.nodeName, 'kubernetes.io/os': 'linux', ...o.labels },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: {
        ...(o.podCIDR ? { podCIDR: o.podCIDR, podCIDRs: [o.podCIDR] } : {}),
        providerID: `kind://docker/${o.nodeName}`,
        ...(o.taints?.length ? { taints: o.taints } : {}),
      },
      status: {
        capacity, allocatable: capacity,
        conditions: [
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        addresses: [{ type: 'InternalIP', address: o.nodeIP }, { type: 'Hostname', address: o.nodeName }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: imageDigest(`machine-${o.nodeName}`).slice(0, 32), systemUUID: imageDigest(`uuid-${o.nodeName}`).slice(0, 32), bootID: imageDigest(`boot-${o.nodeName}`).slice(0, 32),
          kernelVersion: '6.1.0-28-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)',
          containerRuntimeVersion: `${rt.runtime}://${rt.runtimeVersion}`,
          kubeletVersion: o.kubeletVersion ?? KUBELET_VERSION, kubeProxyVersion: o.kubeletVersion ?? KUBELET_VERSION,
          operatingSystem: 'linux', architecture: 'amd64',
        },
      },
    };
  }

  /** Creates the Node (or finds it there: a restarted kubelet), then writes its status. */
  private async register(): Promise<void> {
    const node = this.nodeObject();
    try {
      await this.o.client.create(R.nodes, undefined, node);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
    // A create keeps no status: it is the status subresource's to write.
    await this.o.client.patch(R.nodes, undefined, this.o.nodeName, 'application/merge-patch+json', { status: node.status }, {}, 'status');
  }

  private enqueue(key: string): void {
    if (!this.queue.includes(key)) this.queue.push(key);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let key = this.queue.shift(); key !== undefined; key = this.queue.shift()) {
        try {
          await this.syncPod(key);
        } catch (e) {
          this.log(`sync ${key}: ${(e as Error).message}`);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): Promise<void> {
    const now = rfc3339(this.o.host.now());
    const name = `${pod.metadata.name}.${(this.o.host.now() * 1000 + this.eventSeq++).toString(16).padStart(16, '0')}`;
    try {
      await this.o.client.create(R.events, pod.metadata.namespace, {
        metadata: { name, namespace: pod.metadata.namespace },
        involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion, ...(fieldPath ? { fieldPath } : {}) },
        reason, message, source: { component: 'kubelet', host: this.o.nodeName },
        firstTimestamp: now, lastTimestamp: now, count: 1, type, eventTime: null, reportingComponent: 'kubelet', reportingInstance: this.o.nodeName,
      });
    } catch (e) {
      this.log(`event ${reason}: ${(e as Error).message}`);
    }
  }

  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.get(key) as Pod | undefined;
    let rec = this.records.get(key);
    if (rec && (!pod || pod.metadata.uid !== rec.uid)) {
      await this.teardown(rec);
      rec = undefined;
    }
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) {
      if (rec) {
        for (const c of pod.spec?.containers ?? []) if (rec.containers.has(c.name)) await this.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, `spec.containers{${c.name}}`);
        await this.teardown(rec);
      }
      try {
        await this.o.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (!rec) {
      rec = await this.createSandbox(pod);
      if (!rec) return;
    }
    await this.syncContainers(pod, rec);
    await this.writeStatus(pod, rec);
  }

  private async createSandbox(pod: Pod): Promise<PodRecord | undefined> {
    const spec = pod.spec!;
    const hostNetwork = spec.hostNetwork === true;
    const portMappings = spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({ hostPort: p.hostPort!, containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP').toLowerCase(), ...(p.hostIP ? { hostIP: p.hostIP } : {}) })));
    const hostname = podHostname(pod);
    try {
      const sb = await this.o.runtime.runPodSandbox({
        name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid!, attempt: 0, hostname, hostNetwork,
        labels: pod.metadata.labels ?? {}, annotations: pod.metadata.annotations ?? {}, portMappings, nodeIP: this.o.nodeIP,
      });
      const files: Record<string, string> = { '/etc/resolv.conf': podResolvConf(pod, this.o.dns) };
      if (!hostNetwork) {
        files['/etc/hosts'] = podHosts(pod, sb.ip);
        files['/etc/hostname'] = `${hostname}\n`;
      }
      const rec: PodRecord = { uid: pod.metadata.uid!, key: keyOf(pod), sandboxId: sb.id, ip: sb.ip, files, containers: new Map(), startTime: rfc3339(this.o.host.now()) };
      this.records.set(rec.key, rec);
      return rec;
    } catch (e) {
      await this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = ${(e as Error).message}`);
      // Retried after a back-off, as the kubelet's pod workers do.
      void this.o.host.sleep(BACKOFF_MS).then(() => this.enqueue(keyOf(pod)));
      return undefined;
    }
  }

  /** Starts what is not running; restarts what exited, by restartPolicy, with a back-off. */
  private async syncContainers(pod: Pod, rec: PodRecord): Promise<void> {
    const policy = pod.spec?.restartPolicy ?? 'Always';
    const services = this.services.list() as Service[];
    for (const c of pod.spec!.containers) {
      const cur = rec.containers.get(c.name);
      const cri = cur && this.o.runtime.container(cur.id);
      if (cri && cri.state === 'CONTAINER_RUNNING') continue;
      if (cur && cri) {
        const restart = policy === 'Always' || (policy === 'OnFailure' && cri.exitCode !== 0);
        if (!restart) continue;
        const now = this.o.host.now();
        if (cur.backoffUntil === undefined) {
          // The first restart is immediate; later ones wait 10 s, 20 s, ... up to 5 minutes.
          const wait = cur.restarts === 0 ? 0 : Math.min(BACKOFF_MS * 2 ** (cur.restarts - 1), MAX_BACKOFF_MS);
          cur.backoffUntil = now + wait;
          if (wait > 0) {
            await this.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', `spec.containers{${c.name}}`);
            void this.o.host.sleep(wait).then(() => this.enqueue(rec.key));
            continue;
          }
        }
        if (now < cur.backoffUntil) continue;
        cur.backoffUntil = undefined;
        cur.last = cri;
        cur.restarts++;
        await this.o.runtime.removeContainer(cri.id);
      }
      const img = resolveImage(c.image ?? '');
      const env = containerEnv(pod, c, { services, podIP: rec.ip, hostIP: this.o.nodeIP, nodeName: this.o.nodeName });
      const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(',');
      if (ports) env.PODLAB_PORTS = ports;
      env.HOSTNAME = podHostname(pod);
      const attempt = cur?.restarts ?? 0;
      try {
        if (attempt === 0) await this.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, `spec.containers{${c.name}}`);
        const started = await this.o.runtime.startContainer(rec.sandboxId, {
          name: c.name, attempt, image: c.image ?? '', imageRef: `${img.ref.replace(/:[^:/]*$/, '')}@sha256:${imageDigest(img.ref)}`,
          imageId: `sha256:${imageDigest(`config:${img.ref}`)}`,
          argv: containerArgv(c.image ?? '', c.command, c.args), env, files: rec.files,
          labels: {}, annotations: { 'io.kubernetes.container.restartCount': String(attempt) },
        });
        rec.containers.set(c.name, { id: started.id, restarts: attempt, last: cur?.last });
        await this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, `spec.containers{${c.name}}`);
        await this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, `spec.containers{${c.name}}`);
      } catch (e) {
        this.log(`start ${rec.key}/${c.name}: ${(e as Error).message}`);
        await this.event(pod, 'Warning', 'Failed', `Error: ${(e as Error).message}`, `spec.containers{${c.name}}`);
        const failed = this.o.runtime.state.containers.filter((x) => x.sandboxId === rec.sandboxId && x.name === c.name).pop();
        if (failed) rec.containers.set(c.name, { id: failed.id, restarts: attempt, last: cur?.last });
      }
    }
  }

  private containerStatus(pod: Pod, rec: PodRecord, name: string, image: string): Record<string, unknown> {
    const cur = rec.containers.get(name);
    const cri = cur && this.o.runtime.container(cur.id);
    const img = resolveImage(image);
    const terminated = (c: CriContainer): Record<string, unknown> => ({
      terminated: { exitCode: c.exitCode, reason: c.exitCode === 0 ? 'Completed' : 'Error', startedAt: rfc3339(c.startedAt || c.createdAt), finishedAt: rfc3339(c.finishedAt), containerID: `${this.o.runtime.state.runtime}://${c.id}` },
    });
    let state: Record<string, unknown>;
    if (!cri) state = { waiting: { reason: 'ContainerCreating' } };
    else if (cri.state === 'CONTAINER_RUNNING') state = { running: { startedAt: rfc3339(cri.startedAt) } };
    else if (cur.backoffUntil !== undefined && cur.backoffUntil > this.o.host.now()) state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round((cur.backoffUntil - cri.finishedAt) / 1000)}s restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } };
    else if (cri.startedAt === 0) state = { waiting: { reason: 'RunContainerError' } };
    else state = terminated(cri);
    const running = cri?.state === 'CONTAINER_RUNNING';
    return {
      name, state, lastState: cur?.last ? terminated(cur.last) : {},
      ready: running, restartCount: cur?.restarts ?? 0, image: img.ref,
      imageID: `${img.ref.replace(/:[^:/]*$/, '')}@sha256:${imageDigest(img.ref)}`,
      ...(cri ? { containerID: `${this.o.runtime.state.runtime}://${cri.id}` } : {}),
      started: running,
    };
  }

  private async writeStatus(pod: Pod, rec: PodRecord): Promise<void> {
    const now = rfc3339(this.o.host.now());
    const statuses = pod.spec!.containers.map((c) => this.containerStatus(pod, rec, c.name, c.image ?? ''));
    const allReady = statuses.every((s) => s.ready === true);
    const policy = pod.spec?.restartPolicy ?? 'Always';
    const exited = statuses.every((s) => (s.state as { terminated?: unknown }).terminated);
    let phase = 'Running';
    if (exited && policy !== 'Always') phase = statuses.every((s) => (s.state as { terminated: { exitCode: number } }).terminated.exitCode === 0) ? 'Succeeded' : policy === 'Never' ? 'Failed' : 'Running';
    if (statuses.some((s) => (s.state as { waiting?: { reason: string } }).waiting?.reason === 'ContainerCreating')) phase = 'Pending';
    const prev = pod.status?.conditions ?? [];
    const cond = (type: string, ok: boolean, reason?: string): Record<string, unknown> => {
      const old = prev.find((c) => c.type === type);
      const status = ok ? 'True' : 'False';
      return { type, status, lastProbeTime: null, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now, ...(ok || !reason ? {} : { reason }) };
    };
    const notReady = allReady ? undefined : 'ContainersNotReady';
    const conditions = [
      cond('PodReadyToStartContainers', true), cond('Initialized', true),
      cond('Ready', allReady, notReady), cond('ContainersReady', allReady, notReady),
      ...prev.filter((c) => c.type === 'PodScheduled'),
    ];
    if (!allReady) {
      const waiting = statuses.filter((s) => s.ready !== true).map((s) => s.name as string);
      for (const c of conditions) if ((c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'False') c.message = `containers with unready status: [${waiting.join(' ')}]`;
    }
    const status: Record<string, unknown> = {
      phase, conditions,
      hostIP: this.o.nodeIP, hostIPs: [{ ip: this.o.nodeIP }],
      ...(rec.ip ? { podIP: rec.ip, podIPs: [{ ip: rec.ip }] } : {}),
      startTime: pod.status?.startTime ?? rec.startTime,
      containerStatuses: statuses,
      qosClass: pod.status?.qosClass ?? 'BestEffort',
    };
    const text = JSON.stringify(status);
    if (text === rec.written) return;
    await this.o.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, 'application/merge-patch+json', { status }, {}, 'status');
    rec.written = text;
  }

  /** Stops the pod's containers, tears its network down and forgets it. */
  private async teardown(rec: PodRecord): Promise<void> {
    this.records.delete(rec.key);
    await this.o.runtime.stopPodSandbox(rec.sandboxId);
    await this.o.runtime.removePodSandbox(rec.sandboxId);
  }

  // ---- PodRuntime: what the API server asks of the node ---------------------------------------

  private containerOf(namespace: string, pod: string, container?: string): { rec: PodRecord; id: string; name: string } {
    const p = this.pods.get(`${namespace}/${pod}`) as Pod | undefined;
    const rec = this.records.get(`${namespace}/${pod}`);
    if (!p || !rec) throw notFound('pods', pod);
    const name = container || p.spec!.containers[0].name;
    const c = rec.containers.get(name);
    if (!c) throw badRequest(`container ${name} is not valid for pod ${pod}`);
    return { rec, id: c.id, name };
  }

  async exec(req: ExecRequest, io: ExecIO): Promise<number> {
    const { rec, id } = this.containerOf(req.namespace, req.pod, req.container);
    let stdin = '';
    if (io.stdin) for await (const chunk of io.stdin) stdin += chunk.toString('utf8');
    return this.o.runtime.exec(id, req.command, { stdin, stdout: (t) => io.stdout(t), stderr: (t) => io.stderr(t), files: rec.files });
  }

  async portForward(namespace: string, pod: string, port: number): Promise<PortForwardConn> {
    const { rec } = this.containerOf(namespace, pod);
    const sb = this.o.runtime.sandbox(rec.sandboxId)!;
    try {
      return await this.o.host.connect(sb.netns || undefined, '127.0.0.1', port);
    } catch (e) {
      const why = (e as { code?: string }).code === 'ECONNREFUSED' || /ECONNREFUSED/.test((e as Error).message) ? 'connect: connection refused' : (e as Error).message;
      throw new Error(`failed to execute portforward in network namespace "/var/run/netns/${sb.netns}": failed to connect to localhost:${port} inside namespace "${rec.sandboxId}", IPv4: dial tcp4 127.0.0.1:${port}: ${why} IPv6 dial tcp6: address localhost: no suitable address found `);
    }
  }

  async *logs(namespace: string, pod: string, container: string, opts: LogOptions, signal: AbortSignal): AsyncIterable<string> {
    const { id } = this.containerOf(namespace, pod, container);
    const rt = this.o.runtime;
    const fmt = (e: { time: number; text: string }): string => (opts.timestamps ? `${new Date(e.time).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ` : '') + e.text;
    let entries = rt.logOf(id);
    if (opts.sinceSeconds !== undefined) entries = entries.filter((e) => e.time >= this.o.host.now() - opts.sinceSeconds! * 1000);
    if (opts.tailLines !== undefined) entries = opts.tailLines === 0 ? [] : entries.slice(-opts.tailLines);
    const queued: string[] = [];
    let wake: (() => void) | undefined;
    const stop = opts.follow ? rt.followLog(id, (e) => (queued.push(fmt(e)), wake?.())) : undefined;
    try {
      for (const e of entries) yield fmt(e);
      if (!opts.follow) return;
      while (!signal.aborted && rt.container(id)?.state === 'CONTAINER_RUNNING') {
        if (!queued.length) await new Promise<void>((resolve) => ((wake = resolve), signal.addEventListener('abort', () => resolve(), { once: true })));
        while (queued.length) yield queued.shift()!;
      }
    } finally {
      stop?.();
    }
  }
}
