import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePath } from './routes.ts';
import { representation, bodyFormat, patchType } from './negotiate.ts';

function route(p: string): string {
  const r = parsePath(p);
  if (r.kind !== 'resource') return r.kind;
  const x = r.route;
  return [x.resource.group || 'core', x.resource.plural, x.namespace ?? '-', x.name ?? '-', x.subresource ?? '-', x.watchPrefix ? 'watch' : ''].join(' ').trim();
}

test('resource paths: namespaced and cluster, collections, objects, subresources and the watch prefix', () => {
  assert.equal(route('/api/v1/namespaces/default/pods'), 'core pods default - -');
  assert.equal(route('/api/v1/pods'), 'core pods - - -');
  assert.equal(route('/api/v1/namespaces/default/pods/web/log'), 'core pods default web log');
  assert.equal(route('/apis/apps/v1/namespaces/ns1/deployments/d/scale'), 'apps deployments ns1 d scale');
  assert.equal(route('/api/v1/nodes/n1'), 'core nodes - n1 -');
  assert.equal(route('/api/v1/namespaces/kube-system'), 'core namespaces - kube-system -');
  assert.equal(route('/api/v1/namespaces/kube-system/status'), 'core namespaces - kube-system status');
  assert.equal(route('/api/v1/watch/namespaces/default/pods'), 'core pods default - - watch');
  assert.equal(route('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices'), 'discovery.k8s.io endpointslices default - -');
});

test('paths no route serves', () => {
  for (const p of ['/api/v1/pods/web', '/api/v1/namespaces/default/nodes', '/api/v1/namespaces/default/pods/web/bogus', '/apis/apps/v2/deployments', '/api/v1/namespaces/default/pods/a/b/c/d', '/healthz/x']) {
    assert.equal(route(p), 'none', p);
  }
  assert.equal(route('/api/v1'), 'groupVersion');
  assert.equal(route('/apis/apps'), 'group');
});

test('Accept picks Table, PartialObjectMetadata, JSON or YAML in the client\'s order; protobuf alone is not acceptable', () => {
  assert.deepEqual(representation('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'), { as: 'Table', version: 'v1' });
  assert.deepEqual(representation('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json'), { as: 'PartialObjectMetadata', version: 'v1' });
  assert.deepEqual(representation('application/vnd.kubernetes.protobuf,application/json'), { as: 'object', format: 'json' });
  assert.deepEqual(representation('application/yaml'), { as: 'object', format: 'yaml' });
  assert.deepEqual(representation(undefined), { as: 'object', format: 'json' });
  assert.equal(representation('application/vnd.kubernetes.protobuf'), undefined);
});

test('Content-Type: bodies and patch types', () => {
  assert.equal(bodyFormat('application/json; charset=utf-8'), 'json');
  assert.equal(bodyFormat('application/vnd.kubernetes.protobuf'), 'protobuf');
  assert.equal(bodyFormat('text/plain'), undefined);
  assert.equal(patchType('application/strategic-merge-patch+json'), 'application/strategic-merge-patch+json');
  assert.equal(patchType('application/json'), undefined);
});
