// The real kubectl driving workloads through podlab's controllers: a Deployment's ReplicaSet and
// pods, rollout status, wait, scale, a rollout to a new image, expose with endpoints, garbage
// collection on delete, and a ReplicationController from `kubectl create -f` (the seeds'
// busybox.yaml). The fake kubelet runs each pod as soon as it is bound.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { noKubectl } from '../support/kubectl.ts';
import { startCluster, type TestCluster } from './cluster.ts';

const skip = noKubectl(32);
let c: TestCluster;

before(async () => {
  if (!skip) c = await startCluster();
});

after(async () => {
  if (c) await c.close();
});

const DEPLOYMENT = (image: string, replicas = 2): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
  labels:
    app: echo
spec:
  replicas: ${replicas}
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
        image: ${image}
        ports:
        - name: http
          containerPort: 5678
`;

/** Pod names of a ReplicaSet's pods: `<rs>-<5 characters>`. */
const POD_SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

test('a Deployment gets a ReplicaSet named by its pod-template-hash and running pods', { skip }, async () => {
  const f = c.file('echo.yaml', DEPLOYMENT('hashicorp/http-echo:1.0'));
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/echo created\n', stderr: '', code: 0 });
  const rs = await c.kubectl(['get', 'rs', '-l', 'app=echo', '--no-headers']);
  const m = /^(echo-[a-z0-9]{8,10})\s+2\s+2\s+2\s+0s\n$/.exec(rs.stdout);
  assert.ok(m, rs.stdout);
  const pods = await c.kubectl(['get', 'pods', '-l', 'app=echo', '--no-headers']);
  const rows = pods.stdout.trim().split('\n');
  assert.equal(rows.length, 2, pods.stdout);
  for (const row of rows) assert.match(row, new RegExp(`^${m[1]}-${POD_SUFFIX}\\s+1/1\\s+Running\\s+0\\s+0s$`));
  assert.deepEqual(await c.kubectl(['get', 'deploy', 'echo']), { stdout: 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\necho   2/2     2            2           0s\n', stderr: '', code: 0 });
});

test('kubectl rollout status and kubectl wait --for=condition=Available see the rollout done', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['rollout', 'status', 'deployment/echo', '--timeout=10s']), { stdout: 'deployment "echo" successfully rolled out\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['wait', '--for=condition=Available', 'deployment/echo', '--timeout=10s']), { stdout: 'deployment.apps/echo condition met\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=echo', '--timeout=10s']).then((r) => ({ ...r, stdout: r.stdout.replace(/echo-[a-z0-9-]+/g, 'POD') })), { stdout: 'pod/POD condition met\npod/POD condition met\n', stderr: '', code: 0 });
});

test('kubectl describe deploy shows the strategy, template, conditions and new ReplicaSet', { skip }, async () => {
  const r = await c.kubectl(['describe', 'deploy', 'echo']);
  assert.equal(r.code, 0, r.stderr);
  // Event ages are computed by kubectl against the wall clock; the ReplicaSet name carries the template hash.
  const text = r.stdout.replace(/echo-[a-z0-9]{8,10}\b/g, 'echo-HASH');
  assert.equal(text.slice(0, text.indexOf('Events:')), [
    'Name:                   echo',
    'Namespace:              default',
    'CreationTimestamp:      Mon, 23 Nov 2026 10:01:00 +0000',
    'Labels:                 app=echo',
    'Annotations:            deployment.kubernetes.io/revision: 1',
    'Selector:               app=echo',
    'Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable',
    'StrategyType:           RollingUpdate',
    'MinReadySeconds:        0',
    'RollingUpdateStrategy:  25% max unavailable, 25% max surge',
    'Pod Template:',
    '  Labels:  app=echo',
    '  Containers:',
    '   echo:',
    '    Image:         hashicorp/http-echo:1.0',
    '    Port:          5678/TCP',
    '    Host Port:     0/TCP',
    '    Environment:   <none>',
    '    Mounts:        <none>',
    '  Volumes:         <none>',
    '  Node-Selectors:  <none>',
    '  Tolerations:     <none>',
    'Conditions:',
    '  Type           Status  Reason',
    '  ----           ------  ------',
    '  Available      True    MinimumReplicasAvailable',
    '  Progressing    True    NewReplicaSetAvailable',
    'OldReplicaSets:  <none>',
    'NewReplicaSet:   echo-HASH (2/2 replicas created)',
    '',
  ].join('\n'));
  assert.match(text, /\n {2}Normal {2}ScalingReplicaSet {2}\S+ +deployment-controller {2}Scaled up replica set echo-HASH from 0 to 2\n$/);
});

test('kubectl scale adds pods and the deployment reports them ready', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['scale', 'deployment', 'echo', '--replicas=3']), { stdout: 'deployment.apps/echo scaled\n', stderr: '', code: 0 });
  const pods = await c.kubectl(['get', 'pods', '-l', 'app=echo', '-o', 'name']);
  assert.equal(pods.stdout.trim().split('\n').length, 3, pods.stdout);
  assert.equal((await c.kubectl(['get', 'deploy', 'echo', '--no-headers'])).stdout, 'echo   3/3   3     3     0s\n');
});

test('kubectl expose gives the deployment a NodePort service whose endpoints are its pods', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['expose', 'deployment', 'echo', '--port', '80', '--target-port', 'http', '--type', 'NodePort']), { stdout: 'service/echo exposed\n', stderr: '', code: 0 });
  const ips = (await c.kubectl(['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[*].status.podIP}'])).stdout.split(' ').sort();
  const ep = await c.kubectl(['get', 'ep', 'echo', '-o', 'jsonpath={.subsets[0].addresses[*].ip} {.subsets[0].ports[0].port}']);
  const [, ...rest] = ep.stdout.split(' ').reverse();
  assert.deepEqual(rest.sort(), ips);
  assert.match(ep.stdout, / 5678$/, 'the named target port resolves to the container port');
  const row = await c.kubectl(['get', 'ep', 'echo', '--no-headers']);
  assert.match(row.stdout, /^echo\s+10\.244\.1\.\d+:5678,10\.244\.1\.\d+:5678,10\.244\.1\.\d+:5678\s+0s\n$/);
});

test('kubectl set image rolls out a new ReplicaSet and rollout status waits for it', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['set', 'image', 'deployment/echo', 'echo=hashicorp/http-echo:1.1']), { stdout: 'deployment.apps/echo image updated\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['rollout', 'status', 'deployment/echo', '--timeout=10s']), { stdout: 'deployment "echo" successfully rolled out\n', stderr: '', code: 0 });
  const rs = await c.kubectl(['get', 'rs', '-l', 'app=echo', '--no-headers', '--sort-by=.status.replicas']);
  const rows = rs.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(1, 4).join(' '));
  assert.deepEqual(rows, ['0 0 0', '3 3 3'], rs.stdout);
  const images = await c.kubectl(['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
  assert.deepEqual(images.stdout.split(' '), ['hashicorp/http-echo:1.1', 'hashicorp/http-echo:1.1', 'hashicorp/http-echo:1.1']);
});

test('kubectl get all lists the pods, services, deployment and ReplicaSets by kind', { skip }, async () => {
  const r = await c.kubectl(['get', 'all', '-l', 'app=echo']);
  assert.equal(r.code, 0, r.stderr);
  const blocks = r.stdout.trim().split('\n\n').map((b) => b.split('\n')[1].split(/\s+/)[0].replace(/\/.*/, ''));
  assert.deepEqual(blocks, ['pod', 'service', 'deployment.apps', 'replicaset.apps']);
});

test('deleting the deployment removes its ReplicaSets and pods', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['delete', 'deployment', 'echo']), { stdout: 'deployment.apps "echo" deleted\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['get', 'rs,pods', '-l', 'app=echo']), { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
});

test('kubectl create -f of a ReplicationController starts its pod (the busybox seed)', { skip }, async () => {
  const f = c.file('busybox.yaml', `apiVersion: v1
kind: ReplicationController
metadata:
  name: busybox
spec:
  replicas: 1
  selector:
    app: busybox
  template:
    metadata:
      name: busybox
      labels:
        app: busybox
    spec:
      containers:
      - name: busybox
        image: busybox
        command: ["sleep", "3600"]
`);
  assert.deepEqual(await c.kubectl(['create', '-f', f]), { stdout: 'replicationcontroller/busybox created\n', stderr: '', code: 0 });
  assert.match((await c.kubectl(['get', 'pods', '-l', 'app=busybox', '--no-headers'])).stdout, new RegExp(`^busybox-${POD_SUFFIX}\\s+1/1\\s+Running\\s+0\\s+0s\\n$`));
  assert.deepEqual(await c.kubectl(['get', 'rc', 'busybox']), { stdout: 'NAME      DESIRED   CURRENT   READY   AGE\nbusybox   1         1         1       0s\n', stderr: '', code: 0 });
});
