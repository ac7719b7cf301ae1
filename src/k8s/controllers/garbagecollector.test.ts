import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, converge, deployment, kindNodes, service } from './testkit.ts';
import { R } from './util.ts';

const ipFor = (n: string): string => (n === 'kind-worker' ? '10.244.1.' : '10.244.2.');

function names(cp: ReturnType<typeof cluster>['cp'], ns = 'default'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of ['deployments', 'replicasets', 'pods'] as const) {
    out[k] = cp.registry.list(R[k], ns).items.map((o) => `${o.metadata.name}${o.metadata.deletionTimestamp ? ` [deleting${(o.metadata.finalizers ?? []).map((f) => ` ${f}`).join('')}]` : ''}`);
  }
  return out;
}

function withDeployment(): ReturnType<typeof cluster> {
  const c = cluster();
  kindNodes(c.cp, 'kind', 2);
  c.cp.registry.create(R.deployments, 'default', deployment('web', 2, { app: 'web' }, [{ name: 'web', image: 'nginx' }]));
  converge(c.cp, ipFor);
  return c;
}

test('Background: deleting a Deployment removes it at once, then the garbage collector deletes its ReplicaSet and that one\'s pods', () => {
  const { cp } = withDeployment();
  cp.registry.delete(R.deployments, 'default', 'web', { propagationPolicy: 'Background' });
  assert.equal(names(cp).replicasets.length, 1);
  cp.settle();
  assert.deepEqual(names(cp).replicasets, []);
  // Pods on a node terminate gracefully: they wait for their kubelet.
  assert.ok(names(cp).pods.every((p) => p.endsWith('[deleting]')));
  converge(cp, ipFor);
  assert.deepEqual(names(cp), { deployments: [], replicasets: [], pods: [] });
});

test('Foreground: the owner waits with foregroundDeletion until its blocking dependents are gone, then goes', () => {
  const { cp } = withDeployment();
  cp.registry.delete(R.deployments, 'default', 'web', { propagationPolicy: 'Foreground' });
  cp.settle();
  const mid = names(cp);
  assert.deepEqual(mid.deployments, ['web [deleting foregroundDeletion]']);
  assert.equal(mid.replicasets.length, 1);
  assert.match(mid.replicasets[0], /\[deleting foregroundDeletion\]$/);
  converge(cp, ipFor);
  assert.deepEqual(names(cp), { deployments: [], replicasets: [], pods: [] });
});

test('Orphan: the dependents lose their owner reference, then the orphan finalizer goes and the owner with it', () => {
  const { cp } = withDeployment();
  cp.registry.delete(R.deployments, 'default', 'web', { propagationPolicy: 'Orphan' });
  cp.settle();
  const after = names(cp);
  assert.deepEqual(after.deployments, []);
  assert.equal(after.replicasets.length, 1);
  assert.equal(after.pods.length, 2);
  const [rs] = cp.registry.list(R.replicasets, 'default').items;
  assert.equal(rs.metadata.ownerReferences, undefined);
  // The ReplicaSet still owns its pods.
  assert.ok(cp.registry.list(R.pods, 'default').items.every((p) => p.metadata.ownerReferences?.[0].uid === rs.metadata.uid));
});

test('an object whose only owner never existed (or has another uid) is collected; one with a live owner besides only loses the dead reference', () => {
  const { cp } = cluster();
  const live = cp.registry.create(R.configmaps, 'default', { metadata: { name: 'live' } });
  cp.registry.create(R.configmaps, 'default', { metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'ghost-uid' }] } });
  cp.registry.create(R.configmaps, 'default', {
    metadata: { name: 'both', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'ghost-uid' }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'live', uid: live.metadata.uid! }] },
  });
  cp.settle();
  assert.equal(cp.registry.tryGet(R.configmaps, 'default', 'dangling'), undefined);
  assert.deepEqual(cp.registry.get(R.configmaps, 'default', 'both').metadata.ownerReferences!.map((r) => r.name), ['live']);
});

test('deleting a Service removes its EndpointSlices (owned by it)', () => {
  const { cp } = cluster();
  cp.registry.create(R.services, 'default', service('s', { app: 's' }, [{ port: 80 }]));
  cp.settle();
  assert.equal(cp.registry.list(R.endpointslices, 'default', { labelSelector: 'kubernetes.io/service-name=s' }).items.length, 1);
  cp.registry.delete(R.services, 'default', 's');
  cp.settle();
  assert.equal(cp.registry.list(R.endpointslices, 'default', { labelSelector: 'kubernetes.io/service-name=s' }).items.length, 0);
});

test('a terminating namespace is emptied of every namespaced object, reports what remains, and goes once its pods are finished', () => {
  const { cp, errors } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.namespaces, undefined, { metadata: { name: 'team' } });
  cp.registry.create(R.deployments, 'team', deployment('api', 2, { app: 'api' }, [{ name: 'api', image: 'nginx', ports: [{ containerPort: 80 }] }]));
  cp.registry.create(R.services, 'team', service('api', { app: 'api' }, [{ port: 80 }]));
  cp.registry.create(R.configmaps, 'team', { metadata: { name: 'cfg' }, data: { a: 'b' } });
  converge(cp, ipFor);
  cp.registry.delete(R.namespaces, undefined, 'team');
  cp.settle();
  const ns = cp.registry.get(R.namespaces, undefined, 'team');
  const st = ns.status as { phase: string; conditions: { type: string; status: string; reason: string; message: string }[] };
  assert.equal(st.phase, 'Terminating');
  assert.deepEqual(st.conditions.map((c) => [c.type, c.status, c.reason]), [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
    ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain'],
    ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
  ]);
  assert.equal(st.conditions[3].message, 'Some resources are remaining: pods has 2 resource instances');
  for (const r of [R.deployments, R.replicasets, R.services, R.endpoints, R.endpointslices, R.configmaps, R.serviceaccounts]) {
    assert.equal(cp.registry.list(r, 'team').items.length, 0, r.plural);
  }
  converge(cp, ipFor);
  assert.equal(cp.registry.tryGet(R.namespaces, undefined, 'team'), undefined);
  // Nothing recreated in it (the service account, pods) and nothing complained.
  assert.deepEqual(errors, []);
});
