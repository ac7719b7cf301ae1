import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Schema, fieldSchema, hasPatchSchema, patchSchemaFor } from './schema.ts';

/** The schema at a path of field names (`[]` steps into list items). */
function at(s: Schema | undefined, path: string): Schema | undefined {
  for (const step of path.split('.')) s = step === '[]' ? s?.elem : fieldSchema(s, step);
  return s;
}

function tags(s: Schema | undefined) {
  return { strategy: s?.patchStrategy, key: s?.patchMergeKey, retainKeys: s?.retainKeys ?? false, listType: s?.listType, keys: s?.listMapKeys };
}

const podSpec = 'spec';
const templateSpec = 'spec.template.spec';

test('pod spec lists carry upstream\'s merge keys', () => {
  const pod = patchSchemaFor('v1', 'Pod');
  for (const [list, key] of [['containers', 'name'], ['initContainers', 'name'], ['ephemeralContainers', 'name'], ['imagePullSecrets', 'name'], ['hostAliases', 'ip'], ['schedulingGates', 'name'], ['topologySpreadConstraints', 'topologyKey']]) {
    const t = tags(at(pod, `${podSpec}.${list}`));
    assert.equal(t.strategy, 'merge', list);
    assert.equal(t.key, key, list);
    assert.equal(t.listType, 'map', list);
  }
  assert.deepEqual(tags(at(pod, `${podSpec}.volumes`)), { strategy: 'merge', key: 'name', retainKeys: true, listType: 'map', keys: ['name'] });
  assert.deepEqual(tags(at(pod, `${podSpec}.tolerations`)), { strategy: undefined, key: undefined, retainKeys: false, listType: 'atomic', keys: undefined });
  assert.equal(at(pod, `${podSpec}.nodeSelector`)?.atomic, true);
});

test('container lists: ports by containerPort (apply keys add protocol, default TCP), env by name, mounts by mountPath', () => {
  const c = at(patchSchemaFor('v1', 'Pod'), `${podSpec}.containers.[]`);
  assert.deepEqual(tags(fieldSchema(c, 'ports')), { strategy: 'merge', key: 'containerPort', retainKeys: false, listType: 'map', keys: ['containerPort', 'protocol'] });
  assert.deepEqual(fieldSchema(c, 'ports')?.keyDefaults, { protocol: 'TCP' });
  assert.equal(tags(fieldSchema(c, 'env')).key, 'name');
  assert.equal(tags(fieldSchema(c, 'volumeMounts')).key, 'mountPath');
  assert.equal(tags(fieldSchema(c, 'volumeDevices')).key, 'devicePath');
  assert.equal(fieldSchema(c, 'command')?.listType, 'atomic');
});

test('pod templates of the workload kinds have the pod spec tags', () => {
  for (const [av, kind] of [['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'], ['apps/v1', 'DaemonSet'], ['apps/v1', 'StatefulSet'], ['v1', 'ReplicationController'], ['batch/v1', 'Job']]) {
    const s = patchSchemaFor(av, kind);
    assert.equal(tags(at(s, `${templateSpec}.containers`)).key, 'name', kind);
    assert.equal(tags(at(s, `${templateSpec}.containers.[].ports`)).key, 'containerPort', kind);
    assert.equal(tags(at(s, 'status.conditions')).key, 'type', kind);
  }
  assert.equal(at(patchSchemaFor('apps/v1', 'Deployment'), 'spec.selector')?.atomic, true);
  assert.equal(at(patchSchemaFor('apps/v1', 'Deployment'), 'spec.strategy')?.retainKeys, true);
  assert.equal(at(patchSchemaFor('v1', 'ReplicationController'), 'spec.selector')?.atomic, true);
});

test('service ports merge by port (apply keys port and protocol); externalIPs and clusterIPs are atomic', () => {
  const svc = patchSchemaFor('v1', 'Service');
  assert.deepEqual(tags(at(svc, 'spec.ports')), { strategy: 'merge', key: 'port', retainKeys: false, listType: 'map', keys: ['port', 'protocol'] });
  assert.equal(at(svc, 'spec.externalIPs')?.listType, 'atomic');
  assert.equal(at(svc, 'spec.clusterIPs')?.listType, 'atomic');
  assert.equal(at(svc, 'spec.selector')?.atomic, true);
});

test('object meta: ownerReferences by uid, finalizers a merged set, labels a map', () => {
  const cm = patchSchemaFor('v1', 'ConfigMap');
  assert.equal(tags(at(cm, 'metadata.ownerReferences')).key, 'uid');
  assert.deepEqual(tags(at(cm, 'metadata.finalizers')), { strategy: 'merge', key: undefined, retainKeys: false, listType: 'set', keys: undefined });
  assert.equal(at(cm, 'metadata.labels')?.type, 'map');
  assert.equal(at(cm, 'data')?.type, 'map');
});

test('node: taints replaced whole (no patch tags upstream), addresses and conditions by type, podCIDRs merged', () => {
  const node = patchSchemaFor('v1', 'Node');
  assert.equal(at(node, 'spec.taints')?.listType, 'atomic');
  assert.equal(at(node, 'spec.taints')?.patchStrategy, undefined);
  assert.equal(tags(at(node, 'status.addresses')).key, 'type');
  assert.equal(tags(at(node, 'status.conditions')).key, 'type');
  assert.equal(at(node, 'spec.podCIDRs')?.patchStrategy, 'merge');
});

test('endpoints and endpoint slices have only atomic lists', () => {
  assert.equal(at(patchSchemaFor('discovery.k8s.io/v1', 'EndpointSlice'), 'endpoints')?.listType, 'atomic');
  assert.equal(at(patchSchemaFor('discovery.k8s.io/v1', 'EndpointSlice'), 'ports')?.listType, 'atomic');
  assert.equal(at(patchSchemaFor('v1', 'Endpoints'), 'subsets')?.listType, 'atomic');
});

test('an unknown kind has typed metadata and nothing else: lists are replaced', () => {
  const s = patchSchemaFor('example.com/v1', 'Widget');
  assert.equal(hasPatchSchema('example.com/v1', 'Widget'), false);
  assert.equal(hasPatchSchema('apps/v1', 'Deployment'), true);
  assert.equal(at(s, 'spec.items'), undefined);
  assert.equal(tags(at(s, 'metadata.ownerReferences')).key, 'uid');
});
