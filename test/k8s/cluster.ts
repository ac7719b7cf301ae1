// A podlab control plane behind the real API server for end-to-end tests with the real kubectl:
// the default namespaces and two Ready nodes, a fake kubelet that runs every bound pod at once
// (Running, Ready, a pod IP) and removes pods being deleted, a fake container runtime for exec,
// port-forward and logs, and a kubeconfig with a throw-away HOME.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createServer, type Server } from 'node:net';
import { notFound } from '../../src/k8s/api/errors.ts';
import { clone, rfc3339, type KObject } from '../../src/k8s/api/object.ts';
import { resourceByPlural } from '../../src/k8s/api/resources.ts';
import { ControlPlane, type ControlPlaneOptions } from '../../src/k8s/controlplane.ts';
import { startApiServer, type ApiServer } from '../../src/k8s/apiserver/server.ts';
import type { PodRuntime } from '../../src/k8s/apiserver/runtime.ts';
import type { PortForwardConn } from '../../src/k8s/apiserver/streams/types.ts';
import { kubectlBinary, kubectlEnv, runKubectl, testCerts, type KubectlEnv, type KubectlResult } from '../support/kubectl.ts';

const pods = resourceByPlural('', 'pods')!;
const nodes = resourceByPlural('', 'nodes')!;

/** The fixed clock of the tests: every AGE is computed against it. */
export const T0 = Date.parse('2026-11-23T10:00:00Z');

// ---- fake nodes and kubelet -----------------------------------------------------------------

function node(name: string, ip: string, index: number, role?: string): KObject {
  const podCIDR = `10.244.${index}.0/24`;
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...(role ? { [`node-role.kubernetes.io/${role}`]: '' } : {}) } },
    // kind taints its control plane, so workloads land on the worker.
    spec: { podCIDR, podCIDRs: [podCIDR], ...(role ? { taints: [{ key: `node-role.kubernetes.io/${role}`, effect: 'NoSchedule' }] } : {}) },
    status: {
      capacity: { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: rfc3339(T0), lastTransitionTime: rfc3339(T0) }],
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.18', operatingSystem: 'linux', architecture: 'amd64', machineID: '', systemUUID: '', bootID: '' },
    },
  };
}

/**
 * One pass of a kubelet that starts every pod at once: a pending pod becomes Running and Ready
 * with an IP (bound to the first node when no scheduler bound it), a pod being deleted goes.
 * Returns whether it changed anything.
 */
function kubeletStep(cp: ControlPlane, ips: Map<string, string>): boolean {
  let changed = false;
  for (const p of cp.registry.list(pods, undefined).items) {
    const ns = p.metadata.namespace!;
    const name = p.metadata.name!;
    if (p.metadata.deletionTimestamp) {
      cp.registry.forceDelete(pods, ns, name);
      changed = true;
      continue;
    }
    const spec = p.spec as { nodeName?: string; containers?: { name: string; image?: string }[] };
    const status = (p.status ?? {}) as { phase?: string };
    if (status.phase === 'Running') continue;
    let pod = p;
    if (!spec.nodeName) {
      try {
        pod = cp.registry.update(pods, ns, name, { ...p, spec: { ...spec, nodeName: 'podlab-worker' } });
      } catch {
        continue;
      }
    }
    const key = `${ns}/${name}`;
    if (!ips.has(key)) ips.set(key, `10.244.1.${ips.size + 2}`);
    const ip = ips.get(key)!;
    const started = rfc3339(cp.registry.now());
    const next = clone(pod);
    next.status = {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started })),
      hostIP: '172.18.0.3', hostIPs: [{ ip: '172.18.0.3' }], podIP: ip, podIPs: [{ ip }], startTime: started, qosClass: 'BestEffort',
      containerStatuses: ((pod.spec as typeof spec).containers ?? []).map((c) => ({
        name: c.name, image: c.image ?? '', imageID: '', containerID: `containerd://${c.name}`, ready: true, started: true, restartCount: 0,
        state: { running: { startedAt: started } }, lastState: {},
      })),
    };
    if (!isDeepStrictEqual(next.status, pod.status)) {
      cp.registry.update(pods, ns, name, next, { subresource: 'status' });
      changed = true;
    }
  }
  return changed;
}

// ---- fake runtime ---------------------------------------------------------------------------

/** Echo servers inside "pods": port-forward connects to a local TCP server that answers `pod:port:` + the bytes it got. */
export interface FakeRuntime extends PodRuntime {
  logLines: Map<string, string[]>;
}

export function fakeRuntime(cp: ControlPlane): FakeRuntime {
  const logLines = new Map<string, string[]>();
  const requirePod = (namespace: string, pod: string): KObject => {
    const p = cp.registry.tryGet(pods, namespace, pod);
    if (!p) throw notFound('pods', pod);
    return p;
  };
  return {
    logLines,
    async exec(req, io) {
      requirePod(req.namespace, req.pod);
      const [cmd, ...args] = req.command;
      if (cmd === 'echo') {
        io.stdout(`${args.join(' ')}\n`);
        return 0;
      }
      if (cmd === 'hostname') {
        io.stdout(`${req.pod}\n`);
        return 0;
      }
      if (cmd === 'cat' && io.stdin) {
        for await (const chunk of io.stdin) io.stdout(chunk);
        return 0;
      }
      if (cmd === 'sh' && args[0] === '-c' && /^exit \d+$/.test(args[1] ?? '')) return Number(args[1].slice(5));
      io.stderr(`${cmd}: not found\n`);
      return 127;
    },
    async portForward(namespace, pod, port): Promise<PortForwardConn> {
      requirePod(namespace, pod);
      let onData: (d: Buffer) => void = () => undefined;
      let onEnd: () => void = () => undefined;
      let closed = false;
      return {
        write(data) {
          // An HTTP-ish echo: answers every chunk at once, naming the pod and port.
          setImmediate(() => onData(Buffer.concat([Buffer.from(`${pod}:${port}:`), data])));
        },
        end() {
          if (closed) return;
          closed = true;
          setImmediate(() => onEnd());
        },
        onData(fn) {
          onData = fn;
        },
        onEnd(fn) {
          onEnd = fn;
        },
      };
    },
    async *logs(namespace, pod, container, opts, signal) {
      requirePod(namespace, pod);
      let lines = logLines.get(`${namespace}/${pod}/${container}`) ?? [`hello from ${pod}/${container}`];
      if (opts.tailLines !== undefined) lines = lines.slice(-opts.tailLines);
      for (const l of lines) yield `${opts.timestamps ? `${rfc3339(T0)} ` : ''}${l}\n`;
      // A followed container keeps running: the stream stays open until the client leaves.
      if (opts.follow) await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    },
  };
}

// ---- the cluster ------------------------------------------------------------------------------

export interface TestCluster {
  cp: ControlPlane;
  server: ApiServer;
  env: KubectlEnv;
  runtime: FakeRuntime;
  minor: number;
  kubectl(args: string[], opts?: { stdin?: string; extraEnv?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Writes a manifest into the test's HOME and returns its path (kubectl quotes it in messages). */
  file(name: string, text: string): string;
  /** Moves the API server's clock (AGE columns and object timestamps). */
  advance(ms: number): void;
  close(): Promise<void>;
}

export const TOKEN = 'podlab-e2e-token';

/** Starts a control plane and its API server reporting `minor` (kubectl 1.`minor` is then the one that runs). */
export async function startCluster(opts: { minor?: number; cp?: ControlPlaneOptions } = {}): Promise<TestCluster> {
  const minor = opts.minor ?? 32;
  let clock = T0;
  const cp = new ControlPlane({ now: () => clock, ...opts.cp });
  const certs = await testCerts();
  // The system namespaces, the `kubernetes` Service (endpoints on the control-plane node, as in kind) and kube-root-ca.crt.
  cp.bootstrap({ apiserverAddress: '172.18.0.2:6443', caPem: certs.caPem });
  for (const [name, ip, index, role] of [['podlab-control-plane', '172.18.0.2', 0, 'control-plane'], ['podlab-worker', '172.18.0.3', 1, undefined]] as const) {
    if (!cp.registry.tryGet(nodes, undefined, name)) cp.registry.create(nodes, undefined, node(name, ip, index, role));
  }
  // Every write the API server makes ends with settle(); the fake kubelet runs in it, so a
  // reply already reflects running pods, without any waiting.
  const ips = new Map<string, string>();
  const settle = cp.settle.bind(cp);
  cp.settle = () => {
    let r = settle();
    for (let i = 0; i < 20 && kubeletStep(cp, ips); i++) r = settle();
    return r;
  };
  cp.settle();
  clock = T0 + 60_000;
  const runtime = fakeRuntime(cp);
  const server = await startApiServer(cp, { token: TOKEN, certs, runtime, version: { major: '1', minor: String(minor), gitVersion: `v1.${minor}.0` }, now: () => clock });
  const env = kubectlEnv(server.url, certs.caPem, TOKEN);
  return {
    cp, server, env, runtime, minor,
    kubectl: (args, o = {}) => runKubectl(env, args, { ...o, minor }),
    file: (name, text) => {
      const path = join(env.home, name);
      writeFileSync(path, text);
      return path;
    },
    advance: (ms) => {
      clock += ms;
    },
    close: async () => {
      await server.close();
      env.cleanup();
      cp.close();
    },
  };
}

/** A free local TCP port (for port-forward's local side). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s: Server = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A kubectl left running (get -w, port-forward, logs -f): its output so far, a wait for a pattern, and a kill by PID. */
export interface RunningKubectl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout (or stderr) matches; rejects if kubectl exits first. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  /** Kills this kubectl (by its PID) and resolves with its exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function spawnKubectl(c: TestCluster, args: string[], extraEnv: Record<string, string> = {}): RunningKubectl {
  const bin = kubectlBinary(c.minor)!;
  const child = spawn(bin, ['--kubeconfig', c.env.kubeconfig, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: c.env.home, KUBECONFIG: c.env.kubeconfig, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  const poke = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d;
    poke();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d;
    poke();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    poke();
    resolve(code);
  }));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor: (pattern, stream = 'stdout') => new Promise((resolve, reject) => {
      const check = (): void => {
        const m = out[stream].match(pattern);
        if (m) return resolve(m);
        if (done) return reject(new Error(`kubectl exited before ${pattern}: stdout=${JSON.stringify(out.stdout)} stderr=${JSON.stringify(out.stderr)}`));
        waiters.push(check);
      };
      check();
    }),
    stop: () => {
      if (!done && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      return exited;
    },
  };
}
