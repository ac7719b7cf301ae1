/**
 * The kubelet and container runtime on a sim node, seen as a user sees them: the files a pod
 * gets (resolv.conf with the cluster DNS and search path, the managed hosts file), service
 * environment variables, hostNetwork and hostPort pods, restarts with back-off on the virtual
 * clock, the runtime's view in crictl, and a deleted pod leaving nothing behind on its node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src/cluster/cluster.ts';
import { kindSpec } from '../../src/cluster/spec.ts';

let cluster: Cluster;
const NODE = 'lab-worker';

async function apply(name: string, yaml: string): Promise<void> {
  cluster.dockerHost.fs.write(`/root/${name}`, yaml);
  const r = await cluster.kubectl(['apply', '-f', name]);
  assert.equal(r.code, 0, r.stderr);
}

function pod(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  nodeName: ${NODE}\n${spec}`;
}

async function jsonpath(args: string[], path: string): Promise<string> {
  const r = await cluster.kubectl([...args, '-o', `jsonpath=${path}`]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

before(async () => {
  cluster = await Cluster.create(kindSpec({ name: 'lab', workers: 1 }));
  await apply('web.yml', `${pod('web', '  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 8081\n')}---
apiVersion: v1
kind: Service
metadata:
  name: web-svc
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 8080
    targetPort: 80
`);
});

after(() => cluster?.close());

test('a pod gets the cluster DNS with its namespace\'s search path, ndots:5, and the kubelet-managed hosts file', async () => {
  const ip = await jsonpath(['get', 'pod', 'web'], '{.status.podIP}');
  const resolv = await cluster.kubectl(['exec', 'web', '--', 'cat', '/etc/resolv.conf']);
  assert.equal(resolv.stdout, 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  const hosts = await cluster.kubectl(['exec', 'web', '--', 'cat', '/etc/hosts']);
  assert.match(hosts.stdout, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
  assert.ok(hosts.stdout.endsWith(`${ip}\tweb\n`), hosts.stdout);
  assert.equal((await cluster.kubectl(['exec', 'web', '--', 'hostname'])).stdout, 'web\n');
});

test('containers see the services of their namespace as environment variables', async () => {
  await apply('env.yml', pod('envpod', '  containers:\n  - name: c\n    image: busybox\n    command: ["sh", "-c", "sleep 3600"]\n    env:\n    - name: MY_POD\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.name\n'));
  const ip = await jsonpath(['get', 'svc', 'web-svc'], '{.spec.clusterIP}');
  const env = (await cluster.kubectl(['exec', 'envpod', '--', 'sh', '-c', 'echo $WEB_SVC_SERVICE_HOST $WEB_SVC_SERVICE_PORT_HTTP $WEB_SVC_PORT $KUBERNETES_SERVICE_HOST $MY_POD'])).stdout;
  assert.equal(env, `${ip} 8080 tcp://${ip}:8080 10.96.0.1 envpod\n`);
});

test('a hostPort is published on the node\'s address through the portmap plugin', async () => {
  const nodeIP = cluster.node(NODE).spec.ip;
  const r = await cluster.exec(NODE, `curl -s -o /dev/null -w '%{http_code}' http://${nodeIP}:8081/`);
  assert.equal(r.stdout, '200', r.stderr);
  const nat = await cluster.exec(NODE, 'iptables-save -t nat');
  assert.match(nat.stdout, /^-A CNI-HOSTPORT-DNAT .*-m multiport --dports 8081 -j CNI-DN-[0-9a-f]+$/m);
});

test('a hostNetwork pod runs in the node\'s namespace with the node\'s address', async () => {
  await apply('hostnet.yml', pod('hostnet', '  hostNetwork: true\n  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "3600"]\n'));
  assert.equal(await jsonpath(['get', 'pod', 'hostnet'], '{.status.podIP}'), cluster.node(NODE).spec.ip);
  const ipa = await cluster.kubectl(['exec', 'hostnet', '--', 'ip', '-br', 'a', 'show', 'eth0']);
  assert.match(ipa.stdout, new RegExp(`${cluster.node(NODE).spec.ip.replace(/\./g, '\\.')}/16`));
});

test('a crashing container restarts at once, then waits in CrashLoopBackOff for 10 s, 20 s, ... of the node\'s clock', async () => {
  await apply('crash.yml', pod('crash', '  containers:\n  - name: c\n    image: busybox\n    command: ["sh", "-c", "echo boom; exit 3"]\n'));
  const status = (): Promise<string> => jsonpath(['get', 'pod', 'crash'], '{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.waiting.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}');
  assert.equal(await status(), '1 CrashLoopBackOff 3');
  await cluster.kernel.clock.advance(10_000);
  assert.equal(await status(), '2 CrashLoopBackOff 3');
  const get = await cluster.kubectl(['get', 'pod', 'crash']);
  assert.match(get.stdout, /crash\s+0\/1\s+CrashLoopBackOff\s+2 \(\d+s ago\)/);
  assert.equal((await cluster.kubectl(['logs', 'crash'])).stdout, 'boom\n');
});

test('crictl on the node lists the pod\'s sandbox and container with the runtime\'s IDs', async () => {
  const id = (await jsonpath(['get', 'pod', 'web'], '{.status.containerStatuses[0].containerID}')).replace('containerd://', '');
  const ps = await cluster.exec(NODE, 'crictl ps --name web');
  assert.match(ps.stdout, new RegExp(`^${id.slice(0, 13)}\\s+\\S+\\s+.*Running\\s+web\\s+0\\s+[0-9a-f]{13}\\s+web\\s+default`, 'm'));
  const pods = await cluster.exec(NODE, 'crictl pods --name web');
  assert.match(pods.stdout, /Ready\s+web\s+default\s+0/);
});

test('a deleted pod leaves nothing on its node: no namespace, veth, route, address reservation or runtime record', async () => {
  await apply('gone.yml', pod('gone', '  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "3600"]\n'));
  const ip = await jsonpath(['get', 'pod', 'gone'], '{.status.podIP}');
  const count = async (line: string): Promise<number> => (await cluster.exec(NODE, line)).stdout.trim().split('\n').filter(Boolean).length;
  const [netnsBefore, sandboxesBefore] = [await count('ip netns list'), await count('crictl pods -q')];
  assert.match((await cluster.exec(NODE, 'ip route')).stdout, new RegExp(`^${ip.replace(/\./g, '\\.')} dev veth`, 'm'));
  assert.equal((await cluster.exec(NODE, `cat /run/cni-ipam-state/kindnet/${ip}`)).code, 0);
  const r = await cluster.kubectl(['delete', 'pod', 'gone']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'pod "gone" deleted\n');
  const routes = await cluster.exec(NODE, 'ip route');
  assert.doesNotMatch(routes.stdout, new RegExp(`^${ip.replace(/\./g, '\\.')} `, 'm'));
  const reservation = await cluster.exec(NODE, `cat /run/cni-ipam-state/kindnet/${ip}`);
  assert.notEqual(reservation.code, 0);
  assert.equal(await count('ip netns list'), netnsBefore - 1);
  assert.equal(await count('crictl pods -q'), sandboxesBefore - 1);
  assert.equal((await cluster.kubectl(['get', 'pod', 'gone'])).stderr, 'Error from server (NotFound): pods "gone" not found\n');
});
