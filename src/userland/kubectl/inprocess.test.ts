import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemFs } from '../../host/sim/fs.ts';
import type { KObject } from '../../k8s/api/object.ts';
import type { CommandContext } from '../command.ts';
import { hostSystem } from './host.ts';
import { makeKubectl } from './index.ts';
import { inProcessKubectlTransport } from './inprocess.ts';
import { controlPlane, fakeRuntime, markRunning, podlabKubectl, realKubectl, startCluster, workdir } from './testing.ts';
import { noKubectl } from '../../../test/support/kubectl.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: podlab://lab
contexts:
- name: lab
  context:
    cluster: lab
    user: lab
current-context: lab
users:
- name: lab
  user: {}
`;

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo
---
apiVersion: v1
kind: Service
metadata:
  name: echo-service
spec:
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 5678
`;

const POD: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shell', labels: { app: 'shell' } }, spec: { nodeName: 'worker', containers: [{ name: 'sh', image: 'busybox' }] } };

const COMMANDS: string[][] = [
  ['apply', '-f', 'echo.yaml'], ['apply', '-f', 'echo.yaml'], ['get', 'pods,svc,ep'], ['get', 'deploy', '-o', 'wide'], ['describe', 'svc', 'echo-service'],
  ['exec', 'shell', '--', 'echo', 'no', 'sockets'], ['exec', 'shell', '--', 'sh', '-c', 'exit 4'], ['logs', 'shell', '--tail=2'],
  ['scale', 'deploy', 'echo', '--replicas=3'], ['expose', 'deploy', 'echo', '--port=8080', '--name=echo-8080'], ['get', 'pods', 'nope'], ['delete', '-f', 'echo.yaml'], ['get', 'all'],
];

interface Run { stdout: string; stderr: string; code: number }

/** podlab's kubectl in a simulated host's files, reaching the control plane through `podlab://lab` only. */
async function inProcessRun(kubectl: ReturnType<typeof makeKubectl>, fs: MemFs, args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    argv: ['kubectl', ...args], stdin: '', stdout: (t) => (stdout += t), stderr: (t) => (stderr += t),
    fs, cwd: '/root', env: { HOME: '/root' }, sys: hostSystem,
  };
  const code = await kubectl(ctx);
  return { stdout, stderr, code };
}

test('podlab kubectl reaches a podlab:// cluster in process, with no sockets, and prints what kubectl prints over HTTPS', async () => {
  const runtime = fakeRuntime();
  const cp = controlPlane({ objects: [POD] });
  markRunning(cp, 'default', 'shell');
  const fs = new MemFs({ '/root/.kube/config': KUBECONFIG, '/root/echo.yaml': MANIFEST });
  const kubectl = makeKubectl({ transport: (t) => (t.server === 'podlab://lab' ? inProcessKubectlTransport(cp, { runtime }) : undefined) });
  // The reference: the real kubectl (or, without one, podlab's) over HTTPS on a twin cluster.
  const twin = await startCluster({ runtime: fakeRuntime(), objects: [POD] });
  markRunning(twin.cp, 'default', 'shell');
  const wd = workdir({ 'echo.yaml': MANIFEST });
  try {
    for (const args of COMMANDS) {
      const ours = await inProcessRun(kubectl, fs, args);
      const ref = noKubectl() ? await podlabKubectl(twin.env, args, { cwd: wd.dir }) : await realKubectl(twin.env, args, { cwd: wd.dir });
      assert.deepEqual(ours, { stdout: ref.stdout, stderr: ref.stderr, code: ref.code }, `kubectl ${args.join(' ')}`);
    }
  } finally {
    await twin.close();
    wd.cleanup();
    cp.close();
  }
});

test('a podlab:// server that nothing serves is an error, not a network request', async () => {
  const fs = new MemFs({ '/root/.kube/config': KUBECONFIG });
  const r = await inProcessRun(makeKubectl(), fs, ['get', 'pods']);
  assert.deepEqual(r, { stdout: '', stderr: 'error: no podlab cluster serves podlab://lab\n', code: 1 });
});

test('exec in process refuses a container the pod does not have, in the API server\'s words', async () => {
  const cp = controlPlane({ objects: [POD] });
  markRunning(cp, 'default', 'shell');
  const fs = new MemFs({ '/root/.kube/config': KUBECONFIG });
  const kubectl = makeKubectl({ transport: () => inProcessKubectlTransport(cp, { runtime: fakeRuntime() }) });
  try {
    const r = await inProcessRun(kubectl, fs, ['exec', 'shell', '-c', 'nope', '--', 'echo']);
    assert.deepEqual(r, { stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod shell\n', code: 1 });
  } finally {
    cp.close();
  }
});

test('port-forward through a podlab:// cluster relays a local connection to the pod runtime', async () => {
  const { connect } = await import('node:net');
  const cp = controlPlane({ objects: [POD] });
  markRunning(cp, 'default', 'shell');
  const fs = new MemFs({ '/root/.kube/config': KUBECONFIG });
  const kubectl = makeKubectl({ transport: () => inProcessKubectlTransport(cp, { runtime: fakeRuntime() }) });
  const ac = new AbortController();
  let out = '';
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((r) => (ready = r));
  const ctx: CommandContext = {
    argv: ['kubectl', 'port-forward', 'shell', '0:7000', '--address', '127.0.0.1'], stdin: '', fs, cwd: '/root', env: { HOME: '/root' }, sys: hostSystem, signal: ac.signal,
    stdout: (t) => {
      out += t;
      if (/Forwarding from/.test(out)) ready();
    },
    stderr: (t) => (out += t),
  };
  const run = kubectl(ctx);
  try {
    await listening;
    const port = Number(/127\.0\.0\.1:(\d+) -> 7000/.exec(out)?.[1]);
    const reply = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.end('hello'));
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('close', () => resolve(got));
    });
    assert.equal(reply, 'pong:7000:hello');
    ac.abort();
    assert.equal(await run, 0);
    assert.match(out, /^Forwarding from 127\.0\.0\.1:\d+ -> 7000\nHandling connection for \d+\n$/);
  } finally {
    ac.abort();
    cp.close();
  }
});
