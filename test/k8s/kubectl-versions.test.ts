// The same everyday commands with an older and a newer kubectl: the server reports minor 27 or
// 33, and on these machines the kubectl of that minor is the one that runs. 1.27 reads
// aggregated discovery v2beta1, sends JSON for `create <kind>`, uses SPDY for exec and
// port-forward and reads Endpoints in `describe svc`; 1.33 sends protobuf, uses WebSockets, and
// is warned that v1 Endpoints are deprecated.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { noKubectl } from '../support/kubectl.ts';
import { freePort, spawnKubectl, startCluster, type TestCluster } from './cluster.ts';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: IMAGE
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.50.50
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

const ENDPOINTS_WARNING = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n';

for (const minor of [27, 33]) {
  const skip = noKubectl(minor);
  describe(`kubectl 1.${minor}`, { skip }, () => {
    let c: TestCluster;
    before(async () => {
      c = await startCluster({ minor });
    });
    after(async () => {
      await c.close();
    });

    test('version reports the server podlab pretends to be', async () => {
      // 1.27 prints the long version.Info form by default; JSON reads the same everywhere.
      const r = await c.kubectl(['version', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const v = JSON.parse(r.stdout) as { clientVersion: { minor: string }; serverVersion: { major: string; minor: string; gitVersion: string } };
      assert.equal(v.clientVersion.minor, String(minor));
      assert.deepEqual([v.serverVersion.major, v.serverVersion.minor, v.serverVersion.gitVersion], ['1', String(minor), `v1.${minor}.0`]);
    });

    test('apply creates, then is unchanged, then configured', async () => {
      const f = c.file('app.yaml', APP.replace('IMAGE', 'nginx:1.27'));
      assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web created\nservice/web created\n', stderr: '', code: 0 });
      assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web unchanged\nservice/web unchanged\n', stderr: '', code: 0 });
      c.file('app.yaml', APP.replace('IMAGE', 'nginx:1.28'));
      assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web configured\nservice/web unchanged\n', stderr: '', code: 0 });
    });

    test('get pods and get svc -o wide print the server Tables', async () => {
      const pods = await c.kubectl(['get', 'pods', '--no-headers']);
      assert.match(pods.stdout, /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+0s\n$/);
      assert.deepEqual(await c.kubectl(['get', 'svc', 'web', '-o', 'wide']), { stdout: 'NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE   SELECTOR\nweb    ClusterIP   10.96.50.50   <none>        80/TCP    0s    app=web\n', stderr: '', code: 0 });
    });

    test(`get ep ${minor >= 33 ? 'carries the' : 'has no'} Endpoints deprecation warning`, async () => {
      const r = await c.kubectl(['get', 'ep', 'web', '--no-headers']);
      assert.match(r.stdout, /^web\s+10\.244\.1\.\d+:80\s+0s\n$/);
      assert.equal(r.stderr, minor >= 33 ? ENDPOINTS_WARNING : '');
    });

    test('describe svc shows the endpoints (from Endpoints in 1.27, EndpointSlices in 1.33)', async () => {
      const r = await c.kubectl(['describe', 'svc', 'web']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\nEndpoints: +10\.244\.1\.\d+:80\n/);
      assert.equal(r.stderr, '');
    });

    test('create namespace and configmap (JSON from 1.27, protobuf from 1.33)', async () => {
      assert.deepEqual(await c.kubectl(['create', 'namespace', `ns${minor}`]), { stdout: `namespace/ns${minor} created\n`, stderr: '', code: 0 });
      assert.deepEqual(await c.kubectl(['create', 'configmap', 'cfg', '-n', `ns${minor}`, '--from-literal=k=v']), { stdout: 'configmap/cfg created\n', stderr: '', code: 0 });
      assert.equal((await c.kubectl(['get', 'cm', 'cfg', '-n', `ns${minor}`, '-o', 'jsonpath={.data.k}'])).stdout, 'v');
    });

    test('exec, logs and port-forward reach the fake runtime', async () => {
      const pod = (await c.kubectl(['get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
      assert.deepEqual(await c.kubectl(['exec', pod, '--', 'echo', 'hi']), { stdout: 'hi\n', stderr: '', code: 0 });
      assert.deepEqual(await c.kubectl(['exec', pod, '--', 'sh', '-c', 'exit 2']), { stdout: '', stderr: 'command terminated with exit code 2\n', code: 2 });
      assert.deepEqual(await c.kubectl(['logs', pod]), { stdout: `hello from ${pod}/web\n`, stderr: '', code: 0 });
      const port = await freePort();
      const pf = spawnKubectl(c, ['port-forward', `pod/${pod}`, `${port}:80`]);
      try {
        await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
        const reply = await new Promise<string>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => s.write('ping'));
          s.once('data', (d) => {
            resolve(d.toString());
            s.end();
          });
          s.on('error', reject);
        });
        assert.equal(reply, `${pod}:80:ping`);
      } finally {
        await pf.stop();
      }
    });

    test('scale and delete -f', async () => {
      assert.deepEqual(await c.kubectl(['scale', 'deploy', 'web', '--replicas=2']), { stdout: 'deployment.apps/web scaled\n', stderr: '', code: 0 });
      assert.equal((await c.kubectl(['get', 'pods', '-o', 'name'])).stdout.trim().split('\n').length, 2);
      assert.deepEqual(await c.kubectl(['delete', '-f', c.file('app.yaml', APP.replace('IMAGE', 'nginx:1.28'))]), { stdout: 'deployment.apps "web" deleted\nservice "web" deleted\n', stderr: '', code: 0 });
    });

    test('errors read the same: NotFound and AlreadyExists', async () => {
      assert.deepEqual(await c.kubectl(['get', 'pod', 'missing']), { stdout: '', stderr: 'Error from server (NotFound): pods "missing" not found\n', code: 1 });
      assert.deepEqual(await c.kubectl(['create', 'namespace', `ns${minor}`]), { stdout: '', stderr: `Error from server (AlreadyExists): namespaces "ns${minor}" already exists\n`, code: 1 });
    });
  });
}
