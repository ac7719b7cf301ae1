import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ControlPlane } from '../controlplane.ts';
import { cluster, deployment, events, T0 } from './testkit.ts';
import { firstServiceIP } from './bootstrap.ts';
import { EventRecorder } from './events.ts';
import { R } from './util.ts';

test('bootstrap makes the system namespaces, each with a default ServiceAccount', () => {
  const { cp } = cluster();
  assert.deepEqual(cp.registry.list(R.namespaces, undefined).items.map((n) => n.metadata.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  assert.deepEqual(cp.registry.list(R.serviceaccounts, undefined).items.map((s) => `${s.metadata.namespace}/${s.metadata.name}`), [
    'default/default', 'kube-node-lease/default', 'kube-public/default', 'kube-system/default',
  ]);
  // A new namespace gets its own; a deleted one comes back.
  cp.registry.create(R.namespaces, undefined, { metadata: { name: 'team' } });
  cp.settle();
  assert.ok(cp.registry.tryGet(R.serviceaccounts, 'team', 'default'));
  cp.registry.delete(R.serviceaccounts, 'team', 'default');
  cp.settle();
  assert.ok(cp.registry.tryGet(R.serviceaccounts, 'team', 'default'));
});

test('the kubernetes Service has the first service address, 443/https to 6443, the apiserver labels and no selector; its endpoints point at the API server', () => {
  const { cp } = cluster({ apiserverAddress: '172.17.0.4:6443' });
  const svc = cp.registry.get(R.services, 'default', 'kubernetes');
  assert.deepEqual(svc.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  const spec = svc.spec as { clusterIP: string; ports: unknown[]; selector?: unknown; type: string };
  assert.equal(spec.clusterIP, '10.96.0.1');
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.selector, undefined);
  assert.deepEqual(spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
  const ep = cp.registry.get(R.endpoints, 'default', 'kubernetes');
  assert.deepEqual(ep.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '172.17.0.4' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  const slice = cp.registry.get(R.endpointslices, 'default', 'kubernetes');
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
  assert.deepEqual(slice.endpoints, [{ addresses: ['172.17.0.4'], conditions: { ready: true } }]);
  assert.deepEqual(slice.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
  assert.equal(firstServiceIP('10.32.0.0/24'), '10.32.0.1');
});

test('the API server\'s endpoints are put back when deleted or changed, and bootstrap twice changes nothing', () => {
  const { cp } = cluster({ apiserverAddress: '172.18.0.2' });
  cp.registry.delete(R.endpoints, 'default', 'kubernetes');
  const ep = cp.registry.get(R.endpointslices, 'default', 'kubernetes');
  ep.endpoints = [];
  cp.registry.update(R.endpointslices, 'default', 'kubernetes', ep);
  cp.settle();
  assert.deepEqual(cp.registry.get(R.endpoints, 'default', 'kubernetes').subsets, [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  assert.deepEqual(cp.registry.get(R.endpointslices, 'default', 'kubernetes').endpoints, [{ addresses: ['172.18.0.2'], conditions: { ready: true } }]);
  const rv = cp.store.resourceVersion();
  cp.bootstrap({ apiserverAddress: '172.18.0.2' });
  assert.equal(cp.store.resourceVersion(), rv);
});

test('with the cluster CA, every namespace gets the kube-root-ca.crt ConfigMap', () => {
  const { cp } = cluster();
  cp.bootstrap({ caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    const cm = cp.registry.get(R.configmaps, ns, 'kube-root-ca.crt');
    assert.deepEqual(cm.data, { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    assert.match(cm.metadata.annotations!['kubernetes.io/description'], /^Contains a CA bundle that can be used to verify the kube-apiserver/);
  }
});

test('events are named <object>.<hex nanoseconds>, carry involvedObject and source, and a repeat bumps count and lastTimestamp', () => {
  const c = cluster();
  const rec = new EventRecorder(c.cp.registry);
  const pod = c.cp.registry.create(R.pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  rec.record(pod, 'Warning', 'FailedScheduling', 'no nodes available to schedule pods', 'default-scheduler');
  c.tick(5);
  rec.record(pod, 'Warning', 'FailedScheduling', 'no nodes available to schedule pods', 'default-scheduler');
  rec.record(pod, 'Normal', 'Other', 'x', 'default-scheduler');
  const evs = c.cp.registry.list(R.events, 'default').items.filter((e) => e.reason === 'FailedScheduling');
  assert.equal(evs.length, 1);
  const e = evs[0];
  assert.equal(e.metadata.name, `p.${(BigInt(T0) * 1_000_000n).toString(16)}`);
  assert.match(e.metadata.name!, /^p\.[0-9a-f]{16}$/);
  assert.deepEqual(e.involvedObject, { kind: 'Pod', namespace: 'default', name: 'p', uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion });
  assert.deepEqual(e.source, { component: 'default-scheduler' });
  assert.equal(e.count, 2);
  assert.equal(e.firstTimestamp, '2020-03-07T00:41:00Z');
  assert.equal(e.lastTimestamp, '2020-03-07T00:41:05Z');
  assert.equal(e.type, 'Warning');
  assert.equal(e.reportingComponent, 'default-scheduler');
});

test('the manager picks up what is in the store when it starts: a cluster reopened from its file finishes the work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-cm-'));
  try {
    const path = join(dir, 'state.db');
    let t = T0;
    const a = new ControlPlane({ path, seed: 3, now: () => t, controllers: { log: () => {} } });
    a.bootstrap();
    a.registry.create(R.deployments, 'default', deployment('web', 2, { app: 'web' }, [{ name: 'web', image: 'nginx' }]));
    a.close();
    t += 1000;
    const b = new ControlPlane({ path, seed: 4, now: () => t, controllers: { log: () => {} } });
    b.settle();
    assert.equal(b.registry.list(R.pods, 'default').items.length, 2);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('settle() is bounded: a controller that never converges is stopped after maxRounds with an error logged', () => {
  const errors: string[] = [];
  const cp = new ControlPlane({ seed: 1, now: () => T0, controllers: { log: (m) => errors.push(m), maxRounds: 3 } });
  cp.bootstrap();
  // Two writers fighting: every round the test's watcher undoes what the deployment controller does.
  cp.registry.create(R.deployments, 'default', deployment('web', 1, { app: 'web' }, [{ name: 'web', image: 'nginx' }]));
  const w = cp.store.watch(cp.store.resourceVersion(), (e) => {
    if (e.resource === 'replicasets.apps' && e.type !== 'DELETED') cp.registry.forceDelete(R.replicasets, 'default', e.object.metadata.name!);
  });
  const r = cp.settle();
  w.stop();
  assert.equal(r.settled, false);
  assert.equal(r.rounds, 3);
  assert.match(errors.at(-1)!, /did not settle after 3 rounds/);
  // The same event, again and again: one Event with its count going up.
  assert.equal(events(cp, 'ScalingReplicaSet')[0].count, 3);
});

test('settle() run from inside another store watcher still sees its own writes: no pod is created twice, and the work is done', () => {
  const { cp } = cluster();
  let inner: { settled: boolean; reconciles: number } | undefined;
  const w = cp.store.watch(cp.store.resourceVersion(), (e) => {
    if (e.resource === 'deployments.apps' && e.type === 'ADDED' && !inner) inner = cp.settle();
  });
  cp.registry.create(R.deployments, 'default', deployment('web', 3, { app: 'web' }, [{ name: 'c', image: 'nginx' }]));
  w.stop();
  assert.ok(inner?.settled);
  assert.equal(cp.registry.list(R.pods, 'default').items.length, 3);
  assert.equal(cp.settle().reconciles, 0);
  assert.equal(cp.registry.list(R.pods, 'default').items.length, 3);
});
