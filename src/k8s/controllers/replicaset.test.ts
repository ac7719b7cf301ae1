import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/object.ts';
import { cluster, converge, events, kindNodes, podTemplate, T0 } from './testkit.ts';
import { podsToDelete } from './replicaset.ts';
import { R, type Pod } from './util.ts';

const NAME = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const ipFor = (n: string): string => (n === 'kind-worker' ? '10.244.1.' : '10.244.2.');

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: podTemplate({ app: name, tier: 'web' }, [{ name: 'c', image: 'nginx' }]), ...extra },
  };
}

test('a ReplicaSet creates its pods named <rs>-<5 chars>, controlled by it, with the template labels, and records SuccessfulCreate', () => {
  const { cp } = cluster();
  cp.registry.create(R.replicasets, 'default', replicaSet('web', 3));
  cp.settle();
  const rs = cp.registry.get(R.replicasets, 'default', 'web');
  const pods = cp.registry.list(R.pods, 'default').items;
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name!, /^web-/);
    assert.match(p.metadata.name!.slice(4), NAME);
    assert.equal(p.metadata.generateName, 'web-');
    assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'web' });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  const created = events(cp, 'SuccessfulCreate');
  assert.deepEqual(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  assert.ok(created.every((e) => e.object === 'ReplicaSet/web' && e.component === 'replicaset-controller' && e.type === 'Normal'));
  assert.deepEqual(rs.status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
});

test('ReplicaSet status follows the pods: readyReplicas and availableReplicas once the kubelet reports them ready', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.replicasets, 'default', replicaSet('web', 2));
  converge(cp, ipFor);
  assert.deepEqual(cp.registry.get(R.replicasets, 'default', 'web').status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
});

test('minReadySeconds: a ready pod counts as available only once it has been ready that long', () => {
  const c = cluster();
  const { cp } = c;
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.replicasets, 'default', replicaSet('web', 1, { minReadySeconds: 10 }));
  converge(cp, ipFor);
  const st = () => cp.registry.get(R.replicasets, 'default', 'web').status as { readyReplicas?: number; availableReplicas?: number };
  assert.equal(st().readyReplicas, 1);
  assert.equal(st().availableReplicas, undefined);
  assert.equal(cp.controllers.nextDue(), T0 + 10_000);
  c.tick(10);
  cp.settle();
  assert.equal(st().availableReplicas, 1);
});

test('scaling down deletes unscheduled, then pending, then not-ready pods before running ready ones, and records SuccessfulDelete', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.replicasets, 'default', replicaSet('web', 3));
  converge(cp, ipFor);
  // A fourth pod that no node can run stays unscheduled.
  const rs = cp.registry.get(R.replicasets, 'default', 'web');
  (rs.spec as { replicas: number }).replicas = 4;
  (rs.spec as { template: { spec: { nodeSelector?: Record<string, string> } } }).template.spec.nodeSelector = { disk: 'ssd' };
  cp.registry.update(R.replicasets, 'default', 'web', rs);
  cp.settle();
  const pending = cp.registry.list(R.pods, 'default').items.find((p) => !(p.spec as { nodeName?: string }).nodeName)!;
  assert.ok(pending);
  const scaled = cp.registry.get(R.replicasets, 'default', 'web');
  (scaled.spec as { replicas: number }).replicas = 3;
  cp.registry.update(R.replicasets, 'default', 'web', scaled);
  cp.settle();
  assert.equal(cp.registry.tryGet(R.pods, 'default', pending.metadata.name!), undefined);
  assert.deepEqual(events(cp, 'SuccessfulDelete').map((e) => e.message), [`Deleted pod: ${pending.metadata.name}`]);
});

test('the deletion ranking: unassigned < Pending < Running, not ready < ready, doubled-up nodes first, newer before older', () => {
  const now = T0 + 3600_000;
  const pod = (name: string, o: { node?: string; phase?: string; ready?: boolean; created?: number; readySince?: number }): Pod => ({
    metadata: { name, uid: name, creationTimestamp: new Date(o.created ?? T0).toISOString() },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: new Date(o.readySince ?? T0).toISOString() }] },
  }) as Pod;
  const unassigned = pod('unassigned', { phase: 'Pending', ready: false });
  const pendingOnNode = pod('pending', { node: 'a', phase: 'Pending', ready: false });
  const notReady = pod('notready', { node: 'a', ready: false });
  const doubled1 = pod('doubled1', { node: 'b' });
  const doubled2 = pod('doubled2', { node: 'b' });
  const alone = pod('alone', { node: 'c' });
  const all = [alone, doubled1, notReady, doubled2, pendingOnNode, unassigned];
  assert.deepEqual(podsToDelete(all, all, 5, now).map((p) => p.metadata.name), ['unassigned', 'pending', 'notready', 'doubled1', 'doubled2']);
  // Same node and readiness: the one ready for less time goes first (logarithmic buckets), then the newer one.
  const old = pod('old', { node: 'x', readySince: T0 - 3600_000 * 24 });
  const young = pod('young', { node: 'y', readySince: now - 1000 });
  assert.deepEqual(podsToDelete([old, young], [old, young], 1, now).map((p) => p.metadata.name), ['young']);
});

test('an orphan pod matching the selector is adopted instead of creating one; a pod relabelled out of the selector is released and replaced', () => {
  const { cp } = cluster();
  cp.registry.create(R.pods, 'default', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  cp.registry.create(R.replicasets, 'default', replicaSet('web', 2));
  cp.settle();
  const rs = cp.registry.get(R.replicasets, 'default', 'web');
  const stray = cp.registry.get(R.pods, 'default', 'stray');
  assert.equal(stray.metadata.ownerReferences?.[0].uid, rs.metadata.uid);
  assert.equal(cp.registry.list(R.pods, 'default').items.length, 2);
  stray.metadata.labels = { app: 'other' };
  cp.registry.update(R.pods, 'default', 'stray', stray);
  cp.settle();
  assert.equal(cp.registry.get(R.pods, 'default', 'stray').metadata.ownerReferences, undefined);
  assert.equal(cp.registry.list(R.pods, 'default', { labelSelector: 'app=web' }).items.length, 2);
});

test('a ReplicationController runs the same way: pods <rc>-<5 chars>, events from replication-controller, status with observedGeneration', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.replicationcontrollers, 'default', {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'busybox0', labels: { app: 'busybox0' } },
    spec: { replicas: 2, selector: { app: 'busybox0' }, template: { metadata: { name: 'busybox0', labels: { app: 'busybox0' } }, spec: { containers: [{ image: 'busybox', command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent', name: 'busybox' }], restartPolicy: 'Always' } } },
  });
  converge(cp, ipFor);
  const rc = cp.registry.get(R.replicationcontrollers, 'default', 'busybox0');
  const pods = cp.registry.list(R.pods, 'default').items;
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.metadata.name!, /^busybox0-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'busybox0', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  assert.deepEqual(rc.status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  assert.ok(events(cp, 'SuccessfulCreate').every((e) => e.component === 'replication-controller' && e.object === 'ReplicationController/busybox0'));
});
