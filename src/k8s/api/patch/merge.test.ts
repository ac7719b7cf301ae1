import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonMergePatch } from './merge.ts';
import { StatusError } from '../errors.ts';

// RFC 7386 Appendix A, minus the two cases where kube-apiserver (evanphx/json-patch v4) differs.
const RFC_CASES: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

test('merge patch follows the RFC 7386 examples', () => {
  for (const [target, patch, want] of RFC_CASES) assert.deepEqual(jsonMergePatch(target, patch), want, JSON.stringify([target, patch]));
});

test('merge patch does not modify its arguments', () => {
  const target = { a: { b: 1 }, l: [1] };
  const patch = { a: { b: null, c: { d: null } } };
  const before = JSON.stringify([target, patch]);
  jsonMergePatch(target, patch);
  assert.equal(JSON.stringify([target, patch]), before);
});

test('a null merge patch is a 400 "Invalid JSON Patch", as kube-apiserver answers', () => {
  assert.throws(() => jsonMergePatch({ a: 1 }, null), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'Invalid JSON Patch');
});

test('a scalar merge patch is a 400 rather than replacing the object', () => {
  assert.throws(() => jsonMergePatch({ a: 1 }, 'bar'), (e: unknown) => e instanceof StatusError && e.code === 400);
});

test('nulls inside a list that replaces an object are kept (evanphx v4)', () => {
  assert.deepEqual(jsonMergePatch({ o: { x: 1 } }, { o: [null, { b: null }] }), { o: [null, { b: null }] });
});

test('nulls inside objects of a new list are dropped, null list items kept', () => {
  assert.deepEqual(jsonMergePatch({ n: 1 }, { n: [{ b: null, c: 2 }, null] }), { n: [{ c: 2 }, null] });
});

test('merge patch replaces lists whole, as for custom resources', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
  assert.deepEqual(jsonMergePatch(pod, { spec: { containers: [{ name: 'a', image: 'z' }] } }), { spec: { containers: [{ name: 'a', image: 'z' }] } });
});
