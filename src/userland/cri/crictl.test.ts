// crictl over a node's runtime state: the table layouts of cri-tools (tabwriter 20/1/3, IDs cut
// to 13), the filters, inspect's merged info/status JSON and the errors containerd returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crictl } from './crictl.ts';
import { NGINX_CTR, NGINX_POD, nodeState, runOn } from './testing.ts';

test('crictl ps lists running containers newest first with 13-character IDs and the pod columns', async () => {
  const r = await runOn(crictl, ['crictl', 'ps']);
  assert.equal(r.status, 0);
  assert.equal(
    r.stdout,
    `CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD                      NAMESPACE
4c0bd2e2e5c0b       86cee2c10898a       4 minutes ago       Running             nginx               0                   d19b1b1c92f7c       nginx-65899c769f-wxdx6   default
8a7b6c5d4e3f2       9719fc5f3e339       55 minutes ago      Running             curl                0                   3f1c5b2a9d8e7       curl1-647585685b-5pdj4   default
21640aea0210b       cc895bd51150a       3 days ago          Running             kube-proxy          0                   0866803b612f2       kube-proxy-7xk2p         kube-system
`,
  );
});

test('crictl ps filters by name regexp, pod ID prefix and namespace; -q prints full IDs', async () => {
  assert.equal((await runOn(crictl, ['crictl', 'ps', '-q', '--name', 'ngi'])).stdout, `${NGINX_CTR}\n`);
  assert.equal((await runOn(crictl, ['crictl', 'ps', '-q', '--pod', 'd19b'])).stdout, `${NGINX_CTR}\n`);
  assert.equal((await runOn(crictl, ['crictl', 'ps', '-q', '--namespace', 'kube-system'])).stdout.split('\n').length, 2);
});

test('crictl ps hides exited containers unless -a', async () => {
  const st = nodeState();
  Object.assign(st.containers[1], { state: 'CONTAINER_EXITED', finishedAt: st.containers[1].startedAt + 1000, exitCode: 0 });
  assert.equal((await runOn(crictl, ['crictl', 'ps', '-q'], st)).stdout.split('\n').length, 3);
  const all = await runOn(crictl, ['crictl', 'ps', '-a'], st);
  assert.match(all.stdout, /8a7b6c5d4e3f2 .* Exited +curl /);
});

test('crictl pods prints POD ID, CREATED, STATE, NAME, NAMESPACE, ATTEMPT and RUNTIME', async () => {
  const r = await runOn(crictl, ['crictl', 'pods']);
  assert.equal(
    r.stdout,
    `POD ID              CREATED             STATE               NAME                     NAMESPACE           ATTEMPT             RUNTIME
d19b1b1c92f7c       5 minutes ago       Ready               nginx-65899c769f-wxdx6   default             0                   (default)
3f1c5b2a9d8e7       56 minutes ago      Ready               curl1-647585685b-5pdj4   default             0                   (default)
0866803b612f2       3 days ago          Ready               kube-proxy-7xk2p         kube-system         0                   (default)
`,
  );
});

test('crictl pods -o yaml is the ListPodSandboxResponse as YAML, int64 times quoted, a blank line after', async () => {
  const r = await runOn(crictl, ['crictl', 'pods', '-o', 'yaml', '--name', 'nginx']);
  assert.ok(r.stdout.startsWith('items:\n- annotations:\n    kubernetes.io/config.source: api\n  createdAt: "1583543520000000000"\n'));
  assert.ok(r.stdout.includes('    pod-template-hash: "2145573259"\n'));
  assert.ok(r.stdout.endsWith('  state: SANDBOX_READY\n\n'));
});

test('crictl ps -o json is protobuf JSON in field order with two-space indentation', async () => {
  const r = await runOn(crictl, ['crictl', 'ps', '-o', 'json', '--name', '^nginx$']);
  const v = JSON.parse(r.stdout) as { containers: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(v.containers[0]), ['id', 'podSandboxId', 'metadata', 'image', 'imageRef', 'state', 'createdAt', 'labels', 'annotations']);
  assert.ok(r.stdout.startsWith('{\n  "containers": [\n    {\n      "id": "4c0bd2e2e5c0b17c637af83376879c38f2fb11852921b12413c54ba49d6983c7",\n'));
});

test('crictl inspect resolves an ID prefix and shows the pid and the namespaces it joins', async () => {
  const r = await runOn(crictl, ['crictl', 'inspect', '4c0b']);
  assert.equal(r.status, 0);
  const v = JSON.parse(r.stdout) as { info: { pid: number; runtimeSpec: { linux: { namespaces: { type: string; path?: string }[] } } }; status: { state: string; id: string } };
  assert.deepEqual(Object.keys(v), ['info', 'status']);
  assert.equal(v.info.pid, 27331);
  assert.equal(v.status.id, NGINX_CTR);
  assert.deepEqual(v.info.runtimeSpec.linux.namespaces.find((n) => n.type === 'network'), { path: '/proc/27255/ns/net', type: 'network' });
  assert.ok(r.stdout.includes('\n    "pid": 27331,\n'));
});

test('crictl inspect -o go-template evaluates over the merged JSON', async () => {
  const r = await runOn(crictl, ['crictl', 'inspect', '-o', 'go-template', '--template', '{{.info.pid}} {{.status.metadata.name}}', '8a7b']);
  assert.equal(r.stdout, '2907 curl\n');
});

test('crictl inspectp shows the pod IP, the pause pid and the cni- network namespace', async () => {
  const r = await runOn(crictl, ['crictl', 'inspectp', NGINX_POD]);
  const v = JSON.parse(r.stdout) as { info: { pid: number; runtimeSpec: { linux: { namespaces: { type: string; path?: string }[] } } }; status: { network: { ip: string } } };
  assert.equal(v.status.network.ip, '10.200.0.4');
  assert.equal(v.info.pid, 27255);
  assert.deepEqual(v.info.runtimeSpec.linux.namespaces.at(-1), { path: '/var/run/netns/cni-912bcc63-712d-1c84-89a7-9e10510808a0', type: 'network' });
});

test('crictl inspect of an unknown ID is containerd NotFound as a logrus fatal', async () => {
  const r = await runOn(crictl, ['crictl', 'inspect', 'zzz']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'FATA[0000] get the status of containers: get container status: rpc error: code = NotFound desc = an error occurred when try to find container "zzz": not found\n');
  const p = await runOn(crictl, ['crictl', 'inspectp', 'zzz']);
  assert.equal(p.stderr, 'FATA[0000] get the status of pod sandboxes: get pod sandbox status: rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found\n');
});

test('crictl inspect of a prefix several IDs share is ambiguous', async () => {
  const st = nodeState();
  st.containers[0].id = `4c0${st.containers[0].id.slice(3)}`;
  const r = await runOn(crictl, ['crictl', 'inspect', '4c0'], st);
  assert.match(r.stderr, /code = Unknown desc = an error occurred when try to find container "4c0": Multiple IDs found with provided prefix: 4c0\n$/);
});

test('crictl version names the runtime and its version', async () => {
  assert.equal((await runOn(crictl, ['crictl', 'version'])).stdout, 'Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.18\nRuntimeApiVersion:  v1\n');
  assert.equal((await runOn(crictl, ['crictl', 'version'], nodeState('docker'))).stdout, 'Version:  0.1.0\nRuntimeName:  docker\nRuntimeVersion:  24.0.4\nRuntimeApiVersion:  v1\n');
});

test('crictl with an unknown subcommand says there is no help topic', async () => {
  const r = await runOn(crictl, ['crictl', 'frobnicate']);
  assert.equal(r.status, 3);
  assert.equal(r.stderr, "No help topic for 'frobnicate'\n");
});

test('crictl on a node with no runtime state lists nothing but the header', async () => {
  const r = await runOn(crictl, ['crictl', 'pods'], null);
  assert.equal(r.stdout, 'POD ID              CREATED             STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME\n');
});
