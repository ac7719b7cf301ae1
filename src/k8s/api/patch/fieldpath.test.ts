import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, comparePathElements, fieldElement, indexElement, keyElement, pathString, valueElement } from './fieldpath.ts';

const f = fieldElement;

test('path elements are written as in FieldsV1, key fields sorted, strings escaped as Go does', () => {
  assert.equal(f('spec'), 'f:spec');
  assert.equal(keyElement({ protocol: 'TCP', containerPort: 80 }), 'k:{"containerPort":80,"protocol":"TCP"}');
  assert.equal(valueElement('a<b'), 'v:"a\\u003cb"');
  assert.equal(indexElement(3), 'i:3');
});

test('paths render as conflicts print them', () => {
  assert.equal(pathString([f('spec'), f('replicas')]), '.spec.replicas');
  assert.equal(pathString([f('spec'), f('containers'), keyElement({ name: 'nginx' }), f('image')]), '.spec.containers[name="nginx"].image');
  assert.equal(pathString([f('ports'), keyElement({ port: 80, protocol: 'TCP' })]), '.ports[port=80,protocol="TCP"]');
  assert.equal(pathString([f('metadata'), f('finalizers'), valueElement('x')]), '.metadata.finalizers[="x"]');
  assert.equal(pathString([f('l'), indexElement(0)]), '.l[0]');
});

test('elements order as fields, keys, values, indexes', () => {
  const sorted = ['i:1', 'v:"a"', 'k:{"name":"b"}', 'f:b', 'k:{"name":"a"}', 'f:a', 'i:0'].sort(comparePathElements);
  assert.deepEqual(sorted, ['f:a', 'f:b', 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:"a"', 'i:0', 'i:1']);
});

test('FieldsV1: members are {}, parents objects, and a member with children has a "." entry', () => {
  const s = FieldSet.of(
    [f('metadata'), f('labels'), f('app')],
    [f('metadata'), f('labels')],
    [f('spec'), f('replicas')],
  );
  assert.deepEqual(s.toFieldsV1(), { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
});

test('FieldsV1 decodes back into the same set', () => {
  const v1 = {
    'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
    'f:spec': {
      'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } } },
    },
  };
  const s = FieldSet.fromFieldsV1(v1);
  assert.deepEqual(s.toFieldsV1(), v1);
  assert.ok(s.has([f('spec'), f('template'), f('spec'), f('containers'), 'k:{"name":"nginx"}']));
  assert.ok(!s.has([f('spec'), f('template')]));
  assert.throws(() => FieldSet.fromFieldsV1({ 'x:y': {} }));
});

test('difference keeps the children of a removed member; recursiveDifference drops them', () => {
  const s = FieldSet.of([f('status')], [f('status'), f('phase')], [f('spec'), f('x')]);
  const status = FieldSet.of([f('status')]);
  assert.deepEqual(s.difference(status).paths(), [[f('spec'), f('x')], [f('status'), f('phase')]]);
  assert.deepEqual(s.recursiveDifference(status).paths(), [[f('spec'), f('x')]]);
});

test('union and intersection', () => {
  const a = FieldSet.of([f('a')], [f('b'), f('c')]);
  const b = FieldSet.of([f('b'), f('c')], [f('d')]);
  assert.deepEqual(a.union(b).paths(), [[f('a')], [f('b'), f('c')], [f('d')]]);
  assert.deepEqual(a.intersection(b).paths(), [[f('b'), f('c')]]);
  assert.ok(a.intersection(FieldSet.of([f('z')])).isEmpty());
  assert.ok(a.union(b).equals(b.union(a)));
});
