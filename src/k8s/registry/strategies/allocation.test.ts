/**
 * Cluster IP and node port allocation: inside the service CIDR and node port range, requested
 * values honoured, conflicts reported in upstream's words, nothing handed out twice, and
 * released on delete and on type change (the allocator reads the stored Services).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inSubnet, maskOf, parseIPv4 } from '../../../kernel/addr.ts';
import type { KObject } from '../../api/object.ts';
import { Store } from '../../store/store.ts';
import { Registry } from '../registry.ts';
import { Rng } from '../../../kernel/rng.ts';
import { STRATEGIES } from './index.ts';
import { attempt, CONFIG, R, setup } from './test-support.ts';

interface Spec { clusterIP?: string; clusterIPs?: string[]; type?: string; ports?: { port: number; nodePort?: number; protocol?: string }[]; healthCheckNodePort?: number }

function spec(o: KObject): Spec {
  return o.spec as Spec;
}

const svc = (name: string, s: Spec = {}): KObject => ({ metadata: { name }, spec: { ports: [{ port: 80 }], ...s } });

test('dynamic cluster IPs come from the service CIDR\'s upper band, never the kubernetes address, and 1,000 services get 1,000 distinct IPs', () => {
  const reg = setup();
  const net = parseIPv4('10.96.0.0')!;
  const seen = new Set<string>();
  const t0 = Date.now();
  for (let i = 0; i < 1000; i++) {
    const s = reg.create(R.services, 'default', svc(`s${i}`));
    const ip = spec(s).clusterIP!;
    const n = parseIPv4(ip)!;
    assert.ok(inSubnet(n, net, maskOf(12)), ip);
    // upstream's static band (the first 256 addresses of a /12) is left to explicit requests
    assert.ok(n - net > 256, `${ip} is in the static band`);
    assert.deepEqual(spec(s).clusterIPs, [ip]);
    seen.add(ip);
  }
  assert.equal(seen.size, 1000);
  assert.ok(Date.now() - t0 < 20_000, `1,000 creates took ${Date.now() - t0} ms`);
});

test('the kubernetes service gets 10.96.0.1 when it asks, and kube-dns 10.96.0.10', () => {
  const reg = setup();
  const k = reg.create(R.services, 'default', svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ port: 443 }] }));
  assert.equal(spec(k).clusterIP, '10.96.0.1');
  assert.deepEqual(spec(k).clusterIPs, ['10.96.0.1']);
  const dns = reg.create(R.services, 'kube-system', svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] }));
  assert.equal(spec(dns).clusterIP, '10.96.0.10');
});

test('a requested cluster IP already taken or outside the range is 422 with the allocator\'s words, and nothing is written', () => {
  const reg = setup();
  reg.create(R.services, 'default', svc('a', { clusterIP: '10.96.0.5' }));
  const rv = reg.store.resourceVersion();
  assert.deepEqual(attempt(() => reg.create(R.services, 'default', svc('b', { clusterIP: '10.96.0.5' }))), [422,
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated']);
  assert.deepEqual(attempt(() => reg.create(R.services, 'default', svc('c', { clusterIP: '1.1.1.1' }))), [422,
    'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12']);
  // the network and broadcast addresses are not in the allocatable range
  assert.equal(attempt(() => reg.create(R.services, 'default', svc('d', { clusterIP: '10.111.255.255' })))[0], 422);
  assert.equal(reg.store.resourceVersion(), rv);
  assert.equal(reg.tryGet(R.services, 'default', 'b'), undefined);
});

test('a deleted service\'s cluster IP and node port can be taken again', () => {
  const reg = setup();
  reg.create(R.services, 'default', svc('a', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  assert.equal(attempt(() => reg.create(R.services, 'default', svc('b', { clusterIP: '10.96.0.20' })))[0], 422);
  reg.delete(R.services, 'default', 'a');
  const b = reg.create(R.services, 'default', svc('b', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  assert.equal(spec(b).clusterIP, '10.96.0.20');
  assert.equal(spec(b).ports![0].nodePort, 30080);
});

test('node ports come from 30000-32767, requested ones are honoured and a taken one is 422 provided port is already allocated', () => {
  const reg = setup();
  const a = reg.create(R.services, 'default', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 31382 }] }));
  assert.equal(spec(a).ports![0].nodePort, 31382);
  const rv = reg.store.resourceVersion();
  assert.deepEqual(attempt(() => reg.create(R.services, 'default', svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 31382 }] }))), [422,
    'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 31382: provided port is already allocated']);
  assert.deepEqual(attempt(() => reg.create(R.services, 'default', svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))), [422,
    'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767']);
  assert.equal(reg.store.resourceVersion(), rv);
  const used = new Set<number>([31382]);
  for (let i = 0; i < 200; i++) {
    const s = reg.create(R.services, 'default', svc(`n${i}`, { type: 'NodePort' }));
    const np = spec(s).ports![0].nodePort!;
    // dynamic node ports avoid the static band (the first 86 of 2768)
    assert.ok(np >= 30086 && np <= 32767, String(np));
    assert.ok(!used.has(np), `duplicate ${np}`);
    used.add(np);
  }
});

test('TCP and UDP ports with the same number share one node port, as upstream\'s initNodePorts does', () => {
  const reg = setup();
  const s = reg.create(R.services, 'kube-system', svc('dns', { type: 'NodePort', ports: [{ port: 53, protocol: 'UDP', name: 'dns' } as never, { port: 53, protocol: 'TCP', name: 'dns-tcp' } as never] }));
  const [u, t] = spec(s).ports!;
  assert.ok(u.nodePort);
  assert.equal(t.nodePort, u.nodePort);
});

test('a ClusterIP service becomes NodePort with a new node port and back, releasing it; the cluster IP stays', () => {
  const reg = setup();
  const a = reg.create(R.services, 'default', svc('a'));
  const ip = spec(a).clusterIP;
  const cur = reg.get(R.services, 'default', 'a');
  spec(cur).type = 'NodePort';
  const np = reg.update(R.services, 'default', 'a', cur);
  const port = spec(np).ports![0].nodePort!;
  assert.ok(port >= 30000 && port <= 32767);
  assert.equal(spec(np).clusterIP, ip);
  assert.equal((np.spec as Record<string, unknown>).externalTrafficPolicy, 'Cluster');
  // back to ClusterIP with the node port still in the body (as `kubectl edit` sends it): dropped
  const back = reg.get(R.services, 'default', 'a');
  spec(back).type = 'ClusterIP';
  const b = reg.update(R.services, 'default', 'a', back);
  assert.equal(spec(b).ports![0].nodePort, undefined);
  assert.equal((b.spec as Record<string, unknown>).externalTrafficPolicy, undefined);
  assert.equal(spec(b).clusterIP, ip);
  // the port is free again
  const c = reg.create(R.services, 'default', svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
  assert.equal(spec(c).ports![0].nodePort, port);
});

test('an update that leaves out the cluster IP and node ports keeps them (patchAllocatedValues)', () => {
  const reg = setup();
  const a = reg.create(R.services, 'default', svc('a', { type: 'NodePort' }));
  const replaced = reg.update(R.services, 'default', 'a', { metadata: { name: 'a' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  assert.equal(spec(replaced).clusterIP, spec(a).clusterIP);
  assert.equal(spec(replaced).ports![0].nodePort, spec(a).ports![0].nodePort);
});

test('ExternalName to ClusterIP allocates an IP; ClusterIP to ExternalName drops it and frees it', () => {
  const reg = setup();
  reg.create(R.services, 'default', { metadata: { name: 'e' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  const cur = reg.get(R.services, 'default', 'e');
  cur.spec = { type: 'ClusterIP', clusterIP: '10.96.0.30', ports: [{ port: 80 }] };
  const c = reg.update(R.services, 'default', 'e', cur);
  assert.equal(spec(c).clusterIP, '10.96.0.30');
  const again = reg.get(R.services, 'default', 'e');
  (again.spec as Record<string, unknown>).type = 'ExternalName';
  (again.spec as Record<string, unknown>).externalName = 'example.com';
  const e = reg.update(R.services, 'default', 'e', again);
  assert.equal(spec(e).clusterIP, undefined);
  assert.equal(spec(reg.create(R.services, 'default', svc('x', { clusterIP: '10.96.0.30' }))).clusterIP, '10.96.0.30');
});

test('a LoadBalancer with externalTrafficPolicy Local gets a health check node port', () => {
  const reg = setup();
  const s = reg.create(R.services, 'default', svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' } as Spec));
  const hc = spec(s).healthCheckNodePort!;
  assert.ok(hc >= 30000 && hc <= 32767);
  assert.notEqual(hc, spec(s).ports![0].nodePort);
});

test('dry-run allocates in the response but keeps nothing', () => {
  const reg = setup();
  const rv = reg.store.resourceVersion();
  const s = reg.create(R.services, 'default', svc('a', { clusterIP: '10.96.0.40' }), { dryRun: true });
  assert.equal(spec(s).clusterIP, '10.96.0.40');
  assert.equal(reg.store.resourceVersion(), rv);
  assert.equal(spec(reg.create(R.services, 'default', svc('b', { clusterIP: '10.96.0.40' }))).clusterIP, '10.96.0.40');
});

test('allocations survive a restart: a reopened store knows what is taken', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'podlab-alloc-'));
  try {
    const open = (): Registry => new Registry({ store: new Store(join(dir, 'db')), rng: new Rng(1), now: () => Date.now(), config: CONFIG, strategies: STRATEGIES });
    const r1 = open();
    r1.create(R.namespaces, undefined, { metadata: { name: 'default' } });
    r1.create(R.services, 'default', svc('a', { clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }));
    r1.store.close();
    const r2 = open();
    assert.equal(attempt(() => r2.create(R.services, 'default', svc('b', { clusterIP: '10.96.0.50' })))[0], 422);
    assert.equal(attempt(() => r2.create(R.services, 'default', svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] })))[0], 422);
    r2.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a small service CIDR fills up and the next service is 500 range is full', () => {
  const reg = setup({ serviceCIDR: '10.96.0.0/29' });
  // a /29 has 6 usable addresses; the first is kept for the kubernetes Service
  for (let i = 0; i < 5; i++) reg.create(R.services, 'default', svc(`s${i}`));
  assert.deepEqual(attempt(() => reg.create(R.services, 'default', svc('full'))), [500, 'Internal error occurred: failed to allocate a serviceIP: range is full']);
});

test('within one transaction a second service sees the first one\'s IP; after a rollback neither holds anything', () => {
  const reg = setup();
  reg.create(R.services, 'default', svc('warm'));
  assert.throws(() => reg.store.txn(() => {
    reg.create(R.services, 'default', svc('x', { clusterIP: '10.96.0.61', type: 'NodePort', ports: [{ port: 80, nodePort: 30061 }] }));
    assert.deepEqual(attempt(() => reg.create(R.services, 'default', svc('y', { clusterIP: '10.96.0.61' }))), [422,
      'Service "y" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.61"}: failed to allocate IP 10.96.0.61: provided IP is already allocated']);
    reg.create(R.services, 'default', svc('y', { clusterIP: '10.96.0.62' }));
    throw new Error('abort');
  }), /abort/);
  assert.equal(reg.tryGet(R.services, 'default', 'x'), undefined);
  const z = reg.create(R.services, 'default', svc('z', { clusterIP: '10.96.0.61', type: 'NodePort', ports: [{ port: 80, nodePort: 30061 }] }));
  assert.equal(spec(z).ports![0].nodePort, 30061);
  assert.equal(spec(reg.create(R.services, 'default', svc('w', { clusterIP: '10.96.0.62' }))).clusterIP, '10.96.0.62');
  // and what did commit is still known
  assert.equal(attempt(() => reg.create(R.services, 'default', svc('v', { clusterIP: '10.96.0.61' })))[0], 422);
});
