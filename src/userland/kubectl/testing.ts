/**
 * Test support for the differential tests: podlab control planes behind the HTTPS API server,
 * identical twins for commands that write (one for the real kubectl, one for podlab's), and a
 * runner that puts the same command line through both kubectls from the same directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KObject } from '../../k8s/api/object.ts';
import { resourceByPlural, type ResourceInfo } from '../../k8s/api/resources.ts';
import type { PodRuntime } from '../../k8s/apiserver/runtime.ts';
import { startApiServer, type ApiServer } from '../../k8s/apiserver/server.ts';
import { ControlPlane } from '../../k8s/controlplane.ts';
import { kubectlBinary, kubectlEnv, testCerts, type KubectlEnv, type KubectlResult } from '../../../test/support/kubectl.ts';
import { runOnHost, type HostRun } from './host.ts';

/** The clusters' clock: a fixed instant, so AGE columns and timestamps agree between runs. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

export interface Cluster {
  cp: ControlPlane;
  server: ApiServer;
  env: KubectlEnv;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Objects created before the test (namespaced ones in their own or the default namespace). */
  objects?: KObject[];
  runtime?: PodRuntime;
  minor?: number;
}

export function resourceOf(o: KObject): ResourceInfo {
  const [group] = (o.apiVersion ?? 'v1').includes('/') ? (o.apiVersion ?? '').split('/') : [''];
  const r = [...['pods', 'services', 'endpoints', 'configmaps', 'namespaces', 'nodes', 'replicationcontrollers', 'secrets', 'events', 'serviceaccounts'].map((p) => resourceByPlural('', p)), ...['deployments', 'replicasets', 'daemonsets'].map((p) => resourceByPlural('apps', p)), resourceByPlural('discovery.k8s.io', 'endpointslices')]
    .find((x) => x && x.kind === o.kind && x.group === group);
  if (!r) throw new Error(`no resource for ${o.apiVersion}/${o.kind}`);
  return r;
}

/** A control plane with the system namespaces, `objects` created and settled. */
export function controlPlane(o: ClusterOptions = {}): ControlPlane {
  const cp = new ControlPlane({ now: () => T0, seed: 7 });
  cp.bootstrap({ apiserverAddress: '172.18.0.2:6443' });
  for (const obj of o.objects ?? []) {
    const r = resourceOf(obj);
    cp.registry.create(r, r.namespaced ? obj.metadata.namespace ?? 'default' : undefined, obj);
    cp.settle();
  }
  return cp;
}

/** A podlab cluster served over HTTPS with a kubeconfig for it. */
export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const cp = controlPlane(o);
  const certs = await testCerts();
  const token = 'podlab-test-token';
  const minor = String(o.minor ?? 32);
  const server = await startApiServer(cp, { token, certs, ...(o.runtime ? { runtime: o.runtime } : {}), version: { major: '1', minor, gitVersion: `v1.${minor}.0` } });
  const env = kubectlEnv(server.url, certs.caPem, token);
  return {
    cp, server, env,
    close: async () => {
      await server.close();
      env.cleanup();
      cp.close();
    },
  };
}

/** A directory of files for a test (manifests), removed by `cleanup`. */
export function workdir(files: Record<string, string> = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-kubectl-wd-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunOptions {
  stdin?: string;
  cwd?: string;
  minor?: number;
  extraEnv?: Record<string, string>;
  /** podlab's argv[0]: the real binary's name, which one message quotes. */
  argv0?: string;
}

/** The real kubectl with `args` against `env`, from `cwd`. */
export function realKubectl(env: KubectlEnv, args: string[], o: RunOptions = {}): Promise<KubectlResult> {
  const bin = kubectlBinary(o.minor);
  if (!bin) throw new Error('no kubectl');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: o.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env.home, KUBECONFIG: env.kubeconfig, ...o.extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? (signal ? 137 : 1) });
    });
    child.stdin.end(o.stdin ?? '');
  });
}

/** podlab's kubectl with `args` against `env`, from `cwd`. */
export function podlabKubectl(env: KubectlEnv, args: string[], o: RunOptions = {}): Promise<HostRun> {
  return runOnHost(args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env.home, KUBECONFIG: env.kubeconfig, ...o.extraEnv },
    stdin: o.stdin ?? '',
    cwd: o.cwd ?? process.cwd(),
    argv0: o.argv0 ?? kubectlBinary(o.minor)?.split('/').pop() ?? 'kubectl',
  });
}

/** Both kubectls' results for one command line. */
export interface Pair {
  real: KubectlResult;
  podlab: HostRun;
}

/** Runs the command line through the real kubectl on `a` and podlab's on `b` (the same cluster for read-only commands). */
export async function both(a: KubectlEnv, b: KubectlEnv, args: string[], o: RunOptions = {}): Promise<Pair> {
  const real = await realKubectl(a, args, o);
  const podlab = await podlabKubectl(b, args, o);
  return { real, podlab };
}

/**
 * A pod runtime for tests: `echo`, `cat` (stdin back), `sh -c 'exit N'`, `false`, `ls` (an error
 * on stderr), five log lines per container, and port-forward connections that answer `pong:` +
 * what they got.
 */
export function fakeRuntime(): PodRuntime {
  return {
    async exec(req, io) {
      const [cmd, ...args] = req.command;
      const nl = req.tty ? '\r\n' : '\n';
      switch (cmd) {
        case 'echo':
          io.stdout(`${args.join(' ')}${nl}`);
          return 0;
        case 'cat': {
          if (io.stdin) for await (const chunk of io.stdin) io.stdout(chunk);
          return 0;
        }
        case 'sh': {
          const m = /^exit (\d+)$/.exec(args[1] ?? '');
          return m ? Number(m[1]) : 0;
        }
        case 'false':
          return 1;
        case 'ls':
          io.stderr(`ls: ${args[0] ?? '.'}: No such file or directory${nl}`);
          return 2;
        case 'hostname':
          io.stdout(`${req.pod}${nl}`);
          return 0;
        default:
          io.stderr(`sh: ${cmd}: not found${nl}`);
          return 127;
      }
    },
    async portForward(_ns, _pod, port) {
      const dataFns: ((d: Buffer) => void)[] = [];
      const endFns: (() => void)[] = [];
      return {
        write: (d) => setImmediate(() => dataFns.forEach((f) => f(Buffer.from(`pong:${port}:${d.toString()}`)))),
        end: () => setImmediate(() => endFns.forEach((f) => f())),
        onData: (f) => dataFns.push(f),
        onEnd: (f) => endFns.push(f),
      };
    },
    async *logs(_ns, pod, container, opts) {
      const lines = [1, 2, 3, 4, 5].map((i) => `${opts.timestamps ? `2026-01-01T00:00:0${i}.000000000Z ` : ''}${pod}/${container} line ${i}\n`);
      for (const l of opts.tailLines !== undefined ? lines.slice(Math.max(0, lines.length - opts.tailLines)) : lines) yield l;
    },
  };
}

/** Marks a pod (created with a spec.nodeName) as its kubelet would: Running, ready, with `ip`. */
export function markRunning(cp: ControlPlane, namespace: string, name: string, ip = '10.244.1.5'): void {
  const pods = resourceByPlural('', 'pods')!;
  const fresh = cp.registry.get(pods, namespace, name);
  const spec = fresh.spec as { containers: { name: string; image: string }[] };
  const when = new Date(T0).toISOString().replace('.000Z', 'Z');
  cp.registry.update(pods, namespace, name, {
    ...fresh,
    status: {
      phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '172.18.0.3', startTime: when,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: when })),
      containerStatuses: spec.containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: when } } })),
    },
  }, { subresource: 'status' });
  cp.settle();
}

/**
 * What a kubelet does for a pod being deleted gracefully: once the pod has a deletionTimestamp,
 * it removes it (on the next turn, as the node would report back). Returns a stop function.
 */
export function fakeKubeletDeletes(cp: ControlPlane): () => void {
  const pods = resourceByPlural('', 'pods')!;
  const w = cp.registry.watch(pods, undefined, { resourceVersion: '0' }, (e) => {
    if (e.type === 'DELETED' || !e.object.metadata.deletionTimestamp) return;
    const { namespace, name } = e.object.metadata;
    setImmediate(() => {
      if (cp.registry.tryGet(pods, namespace, name ?? '')) cp.registry.forceDelete(pods, namespace, name ?? '');
    });
  });
  return () => w.stop();
}
