// The real kubectl's streaming commands against podlab's API server with a fake container
// runtime: exec (WebSocket v5, and SPDY when WebSockets are off), port-forward (SPDY tunnelled
// in WebSocket, and raw SPDY), and logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { noKubectl } from '../support/kubectl.ts';
import { freePort, spawnKubectl, startCluster, type TestCluster } from './cluster.ts';

const skip = noKubectl(32);
let c: TestCluster;

before(async () => {
  if (skip) return;
  c = await startCluster();
  const f = c.file('pods.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: main
    image: nginx
  - name: side
    image: busybox
`);
  assert.equal((await c.kubectl(['apply', '-f', f])).code, 0);
  c.runtime.logLines.set('default/web/web', ['line 1', 'line 2', 'line 3']);
});

after(async () => {
  if (c) await c.close();
});

/** Sends `payload` to a local port and resolves with the first reply. */
function roundTrip(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(payload));
    s.once('data', (d) => {
      resolve(d.toString());
      s.end();
    });
    s.on('error', reject);
  });
}

test('kubectl exec runs the command over WebSocket and prints its output', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['exec', 'web', '--', 'echo', 'hello', 'world']), { stdout: 'hello world\n', stderr: '', code: 0 });
});

test('kubectl exec passes the exit code through the status channel', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['exec', 'web', '--', 'sh', '-c', 'exit 3']), { stdout: '', stderr: 'command terminated with exit code 3\n', code: 3 });
  assert.deepEqual(await c.kubectl(['exec', 'web', '--', 'nosuch']), { stdout: '', stderr: 'nosuch: not found\ncommand terminated with exit code 127\n', code: 127 });
});

test('kubectl exec -i feeds stdin until EOF', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['exec', '-i', 'web', '--', 'cat'], { stdin: 'from stdin\n' }), { stdout: 'from stdin\n', stderr: '', code: 0 });
});

test('kubectl exec defaults to the first container and says so', { skip }, async () => {
  const r = await c.kubectl(['exec', 'two', '--', 'hostname']);
  assert.deepEqual(r, { stdout: 'two\n', stderr: 'Defaulted container "main" out of: main, side\n', code: 0 });
  assert.deepEqual(await c.kubectl(['exec', 'two', '-c', 'side', '--', 'echo', 'side']), { stdout: 'side\n', stderr: '', code: 0 });
});

test('kubectl exec falls back to SPDY when WebSockets are off', { skip }, async () => {
  const r = await c.kubectl(['exec', 'web', '--', 'echo', 'over', 'spdy'], { extraEnv: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
  assert.deepEqual(r, { stdout: 'over spdy\n', stderr: '', code: 0 });
});

test('kubectl port-forward relays a local connection to the pod port', { skip }, async () => {
  const port = await freePort();
  const pf = spawnKubectl(c, ['port-forward', 'pod/web', `${port}:80`]);
  try {
    await pf.waitFor(new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${port} -> 80\\n`, 'm'));
    assert.equal(await roundTrip(port, 'ping'), 'web:80:ping');
    await pf.waitFor(/^Handling connection for \d+\n/m);
  } finally {
    await pf.stop();
  }
});

test('kubectl port-forward works over raw SPDY too', { skip }, async () => {
  const port = await freePort();
  const pf = spawnKubectl(c, ['port-forward', 'pod/web', `${port}:8080`], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
  try {
    await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
    assert.equal(await roundTrip(port, 'x'), 'web:8080:x');
  } finally {
    await pf.stop();
  }
});

test('kubectl logs prints the container log; --tail and --timestamps go to the runtime', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['logs', 'web']), { stdout: 'line 1\nline 2\nline 3\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['logs', 'web', '--tail=1', '--timestamps']), { stdout: '2026-11-23T10:00:00Z line 3\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['logs', 'two']), { stdout: 'hello from two/main\n', stderr: 'Defaulted container "main" out of: main, side\n', code: 0 });
  assert.deepEqual(await c.kubectl(['logs', 'two', '-c', 'side']), { stdout: 'hello from two/side\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['logs', '-l', 'app=web', '--prefix']), { stdout: '[pod/web/web] line 1\n[pod/web/web] line 2\n[pod/web/web] line 3\n', stderr: '', code: 0 });
});

test('kubectl logs -f streams the log and stays attached until killed', { skip }, async () => {
  const logs = spawnKubectl(c, ['logs', '-f', 'web']);
  try {
    await logs.waitFor(/^line 1\nline 2\nline 3\n$/);
  } finally {
    await logs.stop();
  }
  assert.equal(logs.stderr(), '');
});
