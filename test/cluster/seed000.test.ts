/**
 * Seed 000's situation on the sim backend, end to end through the node side: a kind cluster of
 * one control plane and three workers, two curl pods and a three-replica echo Deployment behind
 * a ClusterIP Service. Pods get addresses in their node's CIDR from CNI, kube-proxy writes
 * upstream's chains on every node, traffic spreads, NodePorts work from outside with
 * masquerade, a Service without endpoints rejects, cluster DNS answers, and a deleted endpoint's
 * chain goes away on every node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src/cluster/cluster.ts';
import { kindSpec } from '../../src/cluster/spec.ts';
import { parseIPv4 } from '../../src/kernel/addr.ts';

const CURL = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${name}
        image: curlimages/curl
        command: ["sh", "-c", "echo Hello from ${name}; sleep 3600"]
`;

const ECHO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
  labels:
    app: echo
spec:
  replicas: 3
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
        args: ["-text=Hello from echo", "-listen=:5678"]
        ports:
        - containerPort: 5678
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

let cluster: Cluster;

interface PodInfo { name: string; ip: string; node: string }

async function pods(selector: string): Promise<PodInfo[]> {
  const r = await cluster.kubectl(['get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => {
    const [name, ip, node] = l.split(' ');
    return { name, ip, node };
  });
}

async function clusterIP(svc: string): Promise<string> {
  const r = await cluster.kubectl(['get', 'svc', svc, '-o', 'jsonpath={.spec.clusterIP}']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

before(async () => {
  cluster = await Cluster.create(kindSpec({ name: 'iptables', workers: 3, version: 'v1.16.3' }));
  for (const [file, text] of [['curl1.yml', CURL('curl1')], ['curl2.yml', CURL('curl2')], ['echo-service.yml', ECHO]]) {
    cluster.dockerHost.fs.write(`/root/${file}`, text);
    const r = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(r.code, 0, r.stderr);
  }
});

after(() => cluster?.close());

test('every pod runs with an address in its node\'s pod CIDR', async () => {
  const r = await cluster.kubectl(['get', 'pods', '-o', 'wide']);
  assert.equal(r.code, 0, r.stderr);
  const all = await pods('app in (curl1,curl2,echo)');
  assert.equal(all.length, 5, r.stdout);
  for (const p of all) {
    const node = cluster.node(p.node).spec;
    const [net] = node.podCIDR.split('/');
    assert.equal(p.ip.split('.').slice(0, 3).join('.'), net.split('.').slice(0, 3).join('.'), `${p.name} on ${p.node}: ${p.ip} not in ${node.podCIDR}`);
  }
  assert.match(r.stdout, /echo-\S+\s+1\/1\s+Running/);
});

test('the pod\'s eth0 pairs with a host-side veth holding the gateway /32, in a cni- namespace with pause and the container\'s processes', async () => {
  const [curl1] = await pods('app=curl1');
  const inPod = await cluster.kubectl(['exec', curl1.name, '--', 'ip', 'a']);
  assert.equal(inPod.code, 0, inPod.stderr);
  const m = /^\d+: eth0@if(\d+):/m.exec(inPod.stdout);
  assert.ok(m, inPod.stdout);
  const node = await cluster.exec(curl1.node, 'ip a');
  const hostSide = new RegExp(`^${m[1]}: (veth[0-9a-f]{8})@if\\d+: .*\\n.*link-netns (cni-[0-9a-f-]{36})\\n\\s+inet ([0-9.]+)/32`, 'm').exec(node.stdout);
  assert.ok(hostSide, node.stdout);
  assert.equal(hostSide[3], cluster.node(curl1.node).spec.podCIDR.replace(/0\/24$/, '1'));
  const pids = await cluster.exec(curl1.node, `ip netns pid ${hostSide[2]}`);
  const ps = await cluster.exec(curl1.node, 'ps aux');
  const cmds = pids.stdout.trim().split('\n').map((pid) => ps.stdout.split('\n').find((l) => l.split(/\s+/)[1] === pid)?.replace(/^.*\d+:\d+ /, ''));
  assert.deepEqual(cmds, ['/pause', 'sh -c echo Hello from curl1; sleep 3600', 'sleep 3600']);
});

test('every node\'s nat table holds the service\'s upstream chains: KUBE-SVC with three KUBE-SEP at 1/3 and 1/2', async () => {
  const ip = await clusterIP('echo-service');
  const echo = await pods('app=echo');
  for (const n of cluster.nodes) {
    const save = await cluster.exec(n.spec.name, 'iptables-save -t nat');
    assert.equal(save.code, 0, save.stderr);
    assert.match(save.stdout, /^-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES$/m);
    assert.match(save.stdout, new RegExp(`^-A KUBE-SERVICES -d ${ip.replace(/\./g, '\\.')}/32 -p tcp -m comment --comment "default/echo-service: cluster IP" -m tcp --dport 80 -j KUBE-SVC-7VVRITHJKDZHDQAD$`, 'm'));
    const svc = save.stdout.split('\n').filter((l) => l.startsWith('-A KUBE-SVC-7VVRITHJKDZHDQAD ') && l.includes('KUBE-SEP-'));
    assert.equal(svc.length, 3, save.stdout);
    assert.match(svc[0], /--probability 0\.33333333349 -j KUBE-SEP-/);
    assert.match(svc[1], /--probability 0\.50000000000 -j KUBE-SEP-/);
    assert.doesNotMatch(svc[2], /probability/);
    for (const p of echo) assert.match(save.stdout, new RegExp(`-j DNAT --to-destination ${p.ip.replace(/\./g, '\\.')}:5678`));
  }
});

test('3,000 requests from curl1 to the service IP spread over the three endpoints within 5% of a third each', async () => {
  const ip = await clusterIP('echo-service');
  const [curl1] = await pods('app=curl1');
  const r = await cluster.kubectl(['exec', curl1.name, '--', 'sh', '-c', `i=0; while [ $i -lt 3000 ]; do curl -s -o /dev/null ${ip}:80 || echo fail; i=$((i+1)); done`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const counts: number[] = [];
  for (const p of await pods('app=echo')) {
    const logs = await cluster.kubectl(['logs', p.name]);
    counts.push(logs.stdout.split('\n').filter((l) => l.includes('"GET / HTTP/1.1"')).length);
  }
  assert.equal(counts.reduce((a, b) => a + b, 0), 3000, String(counts));
  for (const c of counts) assert.ok(Math.abs(c - 1000) <= 50, `spread ${counts}`);
});

test('a NodePort answers on every node\'s IP from outside the cluster, masqueraded', async () => {
  cluster.dockerHost.fs.write('/root/np.yml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: netexec
spec:
  replicas: 1
  selector:
    matchLabels:
      app: netexec
  template:
    metadata:
      labels:
        app: netexec
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.47
        args: ["netexec", "--http-port=8080"]
---
apiVersion: v1
kind: Service
metadata:
  name: netexec
spec:
  type: NodePort
  selector:
    app: netexec
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30080
`);
  assert.equal((await cluster.kubectl(['apply', '-f', 'np.yml'])).code, 0);
  const [server] = await pods('app=netexec');
  for (const n of cluster.nodes) {
    const r = await cluster.run(cluster.dockerHost, `curl -s http://${n.spec.ip}:30080/clientip`);
    assert.equal(r.code, 0, `${n.spec.name}: ${r.stderr}`);
    const client = r.stdout.split(':')[0];
    // Masqueraded: the server sees a node's address (the one that forwarded, or its own pod gateway), never the outside client's.
    assert.notEqual(client, '172.18.0.1');
    assert.ok(parseIPv4(client) !== undefined, r.stdout);
  }
  void server;
});

test('a Service without endpoints rejects connections', async () => {
  cluster.dockerHost.fs.write('/root/empty.yml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n');
  assert.equal((await cluster.kubectl(['apply', '-f', 'empty.yml'])).code, 0);
  const ip = await clusterIP('empty');
  const [curl1] = await pods('app=curl1');
  const r = await cluster.kubectl(['exec', curl1.name, '--', 'curl', '-sS', `http://${ip}/`]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Connection refused|Could not connect|Failed to connect/);
});

test('cluster DNS resolves the service by its full name and through the search path', async () => {
  const ip = await clusterIP('echo-service');
  const [curl1] = await pods('app=curl1');
  for (const name of ['echo-service.default.svc.cluster.local', 'echo-service']) {
    const r = await cluster.kubectl(['exec', curl1.name, '--', 'nslookup', name]);
    assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Address: ${ip.replace(/\./g, '\\.')}`));
  }
  const byName = await cluster.kubectl(['exec', curl1.name, '--', 'curl', '-s', 'http://echo-service/']);
  assert.equal(byName.stdout, 'Hello from echo\n', byName.stderr);
});

test('deleting an echo pod removes its KUBE-SEP chain on every node within one sync', async () => {
  const [victim] = await pods('app=echo');
  const seps = async (node: string): Promise<string> => (await cluster.exec(node, 'iptables-save -t nat')).stdout;
  for (const n of cluster.nodes) assert.match(await seps(n.spec.name), new RegExp(`--to-destination ${victim.ip.replace(/\./g, '\\.')}:5678`));
  const before = cluster.nodes.map((n) => n.proxy!.syncs);
  const r = await cluster.kubectl(['delete', 'pod', victim.name, '--wait=false']);
  assert.equal(r.code, 0, r.stderr);
  await cluster.settle();
  for (const n of cluster.nodes) assert.doesNotMatch(await seps(n.spec.name), new RegExp(`--to-destination ${victim.ip.replace(/\./g, '\\.')}:5678`), n.spec.name);
  void before;
});
