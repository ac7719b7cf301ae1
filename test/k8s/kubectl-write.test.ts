// The real kubectl (1.32) writing to a podlab cluster: apply (client-side and server-side),
// create -f, create <kind> (protobuf bodies), run, label, annotate, patch, replace, expose,
// scale, delete, and --dry-run=server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceByPlural } from '../../src/k8s/api/resources.ts';
import { noKubectl } from '../support/kubectl.ts';
import { startCluster, type TestCluster } from './cluster.ts';

const skip = noKubectl(32);

/** kubectl diff runs the `diff` program. */
function hasDiff(): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'diff')));
}
let c: TestCluster;

before(async () => {
  if (!skip) c = await startCluster();
});

after(async () => {
  if (c) await c.close();
});

const deployment = (name: string, image: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
${extra}`;

const service = (name: string): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 80
`;

const RC = `apiVersion: v1
kind: ReplicationController
metadata:
  name: busybox
spec:
  replicas: 1
  selector:
    app: busybox
  template:
    metadata:
      labels:
        app: busybox
    spec:
      containers:
      - name: busybox
        image: busybox
        command: ["sleep", "3600"]
`;

test('kubectl apply -f creates, then reports unchanged, then configured after an edit, then unchanged again', { skip }, async () => {
  const f = c.file('apply.yaml', `${deployment('web', 'nginx:1.27')}---\n${service('web')}`);
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web created\nservice/web created\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web unchanged\nservice/web unchanged\n', stderr: '', code: 0 });
  c.file('apply.yaml', `${deployment('web', 'nginx:1.28')}---\n${service('web')}`);
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web configured\nservice/web unchanged\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['apply', '-f', f]), { stdout: 'deployment.apps/web unchanged\nservice/web unchanged\n', stderr: '', code: 0 });
  const image = await c.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}']);
  assert.equal(image.stdout, 'nginx:1.28 80');
});

test('kubectl apply -f of a directory applies every manifest in it, and a kind: List applies its items', { skip }, async () => {
  const dir = join(c.env.home, 'manifests');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dir-a\ndata:\n  k: v\n');
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dir-b' } }));
  assert.deepEqual(await c.kubectl(['apply', '-f', dir]), { stdout: 'configmap/dir-a created\nconfigmap/dir-b created\n', stderr: '', code: 0 });
  // A List is not in the OpenAPI v3 documents, so kubectl validates it against /openapi/v2 first.
  const list = c.file('list.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: list-a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: list-b\n');
  assert.deepEqual(await c.kubectl(['apply', '-f', list]), { stdout: 'configmap/list-a created\nconfigmap/list-b created\n', stderr: '', code: 0 });
});

test('kubectl diff shows what an apply would change, from a server dry run', { skip: skip || !hasDiff() }, async () => {
  const f = c.file('diff.yaml', deployment('diffed', 'nginx:1.27'));
  assert.equal((await c.kubectl(['apply', '-f', f])).code, 0);
  assert.deepEqual(await c.kubectl(['diff', '-f', f]), { stdout: '', stderr: '', code: 0 });
  c.file('diff.yaml', deployment('diffed', 'nginx:1.28'));
  const r = await c.kubectl(['diff', '-f', f]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^- {6}- image: nginx:1\.27$/m);
  assert.match(r.stdout, /^\+ {6}- image: nginx:1\.28$/m);
  // Nothing was written.
  assert.equal((await c.kubectl(['get', 'deploy', 'diffed', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout, 'nginx:1.27');
});

test('kubectl apply --server-side creates and then updates with the apply patch', { skip }, async () => {
  const f = c.file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n');
  assert.deepEqual(await c.kubectl(['apply', '--server-side', '-f', f]), { stdout: 'configmap/ssa serverside-applied\n', stderr: '', code: 0 });
  c.file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "2"\n');
  assert.deepEqual(await c.kubectl(['apply', '--server-side', '-f', f]), { stdout: 'configmap/ssa serverside-applied\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}'])).stdout, '2');
});

test('kubectl create -f creates a ReplicationController; a second create is AlreadyExists with exit 1', { skip }, async () => {
  const f = c.file('busybox.yaml', RC);
  assert.deepEqual(await c.kubectl(['create', '-f', f]), { stdout: 'replicationcontroller/busybox created\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['create', '-f', f]), {
    stdout: '',
    stderr: `Error from server (AlreadyExists): error when creating "${f}": replicationcontrollers "busybox" already exists\n`,
    code: 1,
  });
});

test('kubectl create -f with generateName gets a generated name', { skip }, async () => {
  const f = c.file('gen.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: gen-\n');
  const r = await c.kubectl(['create', '-f', f]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^configmap\/gen-[bcdfghjklmnpqrstvwxz2456789]{5} created\n$/);
});

test('kubectl create namespace, configmap and deployment send protobuf from 1.32 and are created', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['create', 'namespace', 'team-a']), { stdout: 'namespace/team-a created\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['create', 'configmap', 'cm1', '-n', 'team-a', '--from-literal=greeting=hello']), { stdout: 'configmap/cm1 created\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['create', 'deployment', 'nginx', '--image=nginx', '-n', 'team-a']), { stdout: 'deployment.apps/nginx created\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'cm', 'cm1', '-n', 'team-a', '-o', 'jsonpath={.data.greeting}'])).stdout, 'hello');
  const d = await c.kubectl(['get', 'deploy', 'nginx', '-n', 'team-a', '-o', 'jsonpath={.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image}']);
  assert.equal(d.stdout, 'nginx nginx');
});

test('kubectl run creates a pod and kubectl label, annotate and patch change it', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['run', 'tmp', '--image=busybox', '--restart=Never']), { stdout: 'pod/tmp created\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['label', 'pod', 'tmp', 'tier=debug']), { stdout: 'pod/tmp labeled\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['annotate', 'pod', 'tmp', 'owner=me']), { stdout: 'pod/tmp annotated\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['patch', 'pod', 'tmp', '-p', '{"metadata":{"labels":{"patched":"yes"}}}']), { stdout: 'pod/tmp patched\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['patch', 'pod', 'tmp', '--type=merge', '-p', '{"metadata":{"labels":{"merged":"yes"}}}']), { stdout: 'pod/tmp patched\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['patch', 'pod', 'tmp', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]']), { stdout: 'pod/tmp patched\n', stderr: '', code: 0 });
  const labels = await c.kubectl(['get', 'pod', 'tmp', '-o', 'jsonpath={.metadata.labels}']);
  assert.deepEqual(JSON.parse(labels.stdout), { run: 'tmp', tier: 'debug', patched: 'yes', merged: 'yes', json: 'yes' });
  assert.equal((await c.kubectl(['get', 'pod', 'tmp', '-o', 'jsonpath={.metadata.annotations.owner}'])).stdout, 'me');
  assert.deepEqual(await c.kubectl(['label', 'pod', 'tmp', 'tier-']), { stdout: 'pod/tmp unlabeled\n', stderr: '', code: 0 });
  // A patch that changes nothing says so.
  assert.deepEqual(await c.kubectl(['patch', 'pod', 'tmp', '-p', '{"metadata":{"labels":{"patched":"yes"}}}']), { stdout: 'pod/tmp patched (no change)\n', stderr: '', code: 0 });
});

test('kubectl replace -f writes the whole object', { skip }, async () => {
  const f = c.file('replace.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rep\ndata:\n  a: "1"\n');
  assert.equal((await c.kubectl(['create', '-f', f])).stdout, 'configmap/rep created\n');
  c.file('replace.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rep\ndata:\n  b: "2"\n');
  assert.deepEqual(await c.kubectl(['replace', '-f', f]), { stdout: 'configmap/rep replaced\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'cm', 'rep', '-o', 'jsonpath={.data}'])).stdout, '{"b":"2"}');
});

test('kubectl expose deployment --type NodePort creates a service selecting the deployment pods', { skip }, async () => {
  const f = c.file('exp.yaml', deployment('exp', 'nginx'));
  assert.equal((await c.kubectl(['apply', '-f', f])).code, 0);
  assert.deepEqual(await c.kubectl(['expose', 'deployment', 'exp', '--port', '80', '--type', 'NodePort']), { stdout: 'service/exp exposed\n', stderr: '', code: 0 });
  const svc = await c.kubectl(['get', 'svc', 'exp', '-o', 'jsonpath={.spec.type} {.spec.selector} {.spec.ports[0].port} {.spec.ports[0].targetPort}']);
  assert.equal(svc.stdout, 'NodePort {"app":"exp"} 80 80');
  const np = await c.kubectl(['get', 'svc', 'exp', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
  assert.ok(Number(np.stdout) >= 30000 && Number(np.stdout) <= 32767, `nodePort ${np.stdout}`);
  const row = await c.kubectl(['get', 'svc', 'exp', '--no-headers']);
  assert.match(row.stdout, new RegExp(`^exp\\s+NodePort\\s+10\\.(9[6-9]|10\\d|11[01])\\.\\d+\\.\\d+\\s+<none>\\s+80:${np.stdout}/TCP\\s+0s\\n$`));
});

test('kubectl scale patches the scale subresource', { skip }, async () => {
  const f = c.file('scale.yaml', deployment('scaled', 'nginx'));
  assert.equal((await c.kubectl(['apply', '-f', f])).code, 0);
  assert.deepEqual(await c.kubectl(['scale', 'deployment', 'scaled', '--replicas', '3']), { stdout: 'deployment.apps/scaled scaled\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'deploy', 'scaled', '-o', 'jsonpath={.spec.replicas}'])).stdout, '3');
  assert.deepEqual(await c.kubectl(['scale', 'rc', 'busybox', '--replicas', '2']), { stdout: 'replicationcontroller/busybox scaled\n', stderr: '', code: 0 });
});

test('--dry-run=server answers as if written but persists nothing', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['create', 'namespace', 'dry', '--dry-run=server']), { stdout: 'namespace/dry created (server dry run)\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'ns', 'dry'])).stderr, 'Error from server (NotFound): namespaces "dry" not found\n');
  const f = c.file('dry.yaml', deployment('dry', 'nginx'));
  assert.deepEqual(await c.kubectl(['apply', '-f', f, '--dry-run=server']), { stdout: 'deployment.apps/dry created (server dry run)\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'deploy', 'dry'])).code, 1);
  assert.deepEqual(await c.kubectl(['delete', 'pod', 'tmp', '--dry-run=server']), { stdout: 'pod "tmp" deleted (server dry run)\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'pod', 'tmp', '-o', 'name'])).stdout, 'pod/tmp\n');
});

test('kubectl delete pod waits for the pod to go; delete -f deletes every object of the file', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['delete', 'pod', 'tmp']), { stdout: 'pod "tmp" deleted\n', stderr: '', code: 0 });
  assert.equal(c.cp.registry.tryGet(resourceByPlural('', 'pods')!, 'default', 'tmp'), undefined);
  const f = c.file('apply.yaml', `${deployment('web', 'nginx:1.28')}---\n${service('web')}`);
  assert.deepEqual(await c.kubectl(['delete', '-f', f]), { stdout: 'deployment.apps "web" deleted\nservice "web" deleted\n', stderr: '', code: 0 });
  assert.deepEqual(await c.kubectl(['delete', 'cm', '-l', 'nothing=here']), { stdout: 'No resources found\n', stderr: '', code: 0 });
});

test('kubectl delete namespace terminates it and everything in it', { skip }, async () => {
  assert.deepEqual(await c.kubectl(['delete', 'namespace', 'team-a']), { stdout: 'namespace "team-a" deleted\n', stderr: '', code: 0 });
  assert.equal((await c.kubectl(['get', 'ns', 'team-a'])).code, 1);
});
