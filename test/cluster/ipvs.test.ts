/**
 * A cluster whose kube-proxy runs in IPVS mode (kind's `kubeProxyMode: ipvs`): service IPs on
 * the kube-ipvs0 dummy, one virtual server per service port with its endpoints as masqueraded
 * real servers, round-robin spreading, and DNS through the IPVS virtual server of kube-dns.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src/cluster/cluster.ts';
import { kindSpec } from '../../src/cluster/spec.ts';

let cluster: Cluster;
let vip = '';

before(async () => {
  cluster = await Cluster.create(kindSpec({ name: 'ipvs', workers: 2, proxyMode: 'ipvs' }));
  cluster.dockerHost.fs.write('/root/web.yml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.47
        args: ["netexec", "--http-port=8080"]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`);
  assert.equal((await cluster.kubectl(['apply', '-f', 'web.yml'])).code, 0);
  vip = (await cluster.kubectl(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
});

after(() => cluster?.close());

test('every node holds the service IPs on kube-ipvs0 and a virtual server per service port with the endpoints as Masq real servers', async () => {
  const eps = (await cluster.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).stdout.split(' ').sort();
  for (const n of cluster.nodes) {
    const addrs = await cluster.exec(n.spec.name, 'ip -br addr show kube-ipvs0');
    assert.match(addrs.stdout, new RegExp(`${vip.replace(/\./g, '\\.')}/32`));
    const r = await cluster.exec(n.spec.name, `ipvsadm -Ln -t ${vip}:80`);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Prot LocalAddress:Port Scheduler Flags');
    assert.equal(lines[2], `TCP  ${vip}:80 rr`);
    const real = lines.slice(3).filter(Boolean).map((l) => /-> ([0-9.]+):8080\s+Masq\s+1\s+\d+\s+\d+/.exec(l)?.[1]);
    assert.deepEqual(real.sort(), eps);
  }
});

test('connections to the virtual server go round-robin to the three endpoints', async () => {
  const node = cluster.nodes[1].spec.name;
  const r = await cluster.exec(node, `for i in 1 2 3 4 5 6; do curl -s ${vip}/hostname; echo; done`);
  const names = r.stdout.trim().split('\n');
  assert.equal(names.length, 6, r.stderr);
  assert.deepEqual(names.slice(3), names.slice(0, 3));
  assert.equal(new Set(names).size, 3);
  const stats = await cluster.exec(node, `ipvsadm -Ln --stats -t ${vip}:80`);
  assert.match(stats.stdout, new RegExp(`TCP  ${vip.replace(/\./g, '\\.')}:80\\s+6\\s`));
});

test('cluster DNS answers through the kube-dns virtual server', async () => {
  const r = await cluster.exec(cluster.nodes[1].spec.name, 'dig +short @10.96.0.10 web.default.svc.cluster.local');
  assert.equal(r.stdout, `${vip}\n`, r.stderr);
});
