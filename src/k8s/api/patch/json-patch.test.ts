import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_PATCH_OPERATIONS, deepEqual, formatPointer, jsonPatch, parsePointer } from './json-patch.ts';
import { StatusError } from '../errors.ts';

function isStatus(code: number, reason: string) {
  return (e: unknown) => e instanceof StatusError && e.code === code && e.reason === reason;
}

test('add, remove, replace, move, copy and test apply in order (RFC 6902 examples)', () => {
  assert.deepEqual(jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]), { foo: 'bar', baz: 'qux' });
  assert.deepEqual(jsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] });
  assert.deepEqual(jsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]), { foo: 'bar' });
  assert.deepEqual(jsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]), { foo: ['bar', 'baz'] });
  assert.deepEqual(jsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }]), { baz: 'boo', foo: 'bar' });
  assert.deepEqual(
    jsonPatch({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]),
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  );
  assert.deepEqual(jsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]), { foo: ['all', 'cows', 'eat', 'grass'] });
  assert.deepEqual(jsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }]), { foo: ['bar', ['abc', 'def']] });
  assert.deepEqual(jsonPatch({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }, { op: 'test', path: '/c', value: { b: 1 } }]), { a: { b: 1 }, c: { b: 1 } });
});

test('pointers unescape ~1 to / and ~0 to ~, and format back', () => {
  assert.deepEqual(parsePointer('/a~1b/m~0n/~01'), ['a/b', 'm~n', '~1']);
  assert.equal(formatPointer(['a/b', 'm~n', '~1']), '/a~1b/m~0n/~01');
  assert.deepEqual(parsePointer(''), []);
  const doc = { 'a/b': 1, 'm~n': 2 };
  assert.deepEqual(jsonPatch(doc, [{ op: 'replace', path: '/a~1b', value: 3 }, { op: 'remove', path: '/m~0n' }]), { 'a/b': 3 });
});

test('negative indexes count from the end, as evanphx v4 allows', () => {
  assert.deepEqual(jsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }]), { l: [1, 2] });
  assert.deepEqual(jsonPatch({ l: [1, 2, 3] }, [{ op: 'add', path: '/l/-4', value: 0 }]), { l: [0, 1, 2, 3] });
  assert.throws(() => jsonPatch({ l: [1, 2, 3] }, [{ op: 'add', path: '/l/-5', value: 0 }]), isStatus(422, 'Invalid'));
});

test('a failed operation is the bare 422 kube-apiserver gives, the reason kept as cause', () => {
  try {
    jsonPatch({ spec: { replicas: 2 } }, [{ op: 'test', path: '/spec/replicas', value: 3 }]);
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 422);
    assert.equal(e.reason, 'Invalid');
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.deepEqual(e.status(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422,
    });
    assert.equal(e.cause, 'testing value /spec/replicas failed: test failed');
  }
});

test('removing a missing member, adding under a missing parent and unknown ops fail with 422', () => {
  for (const ops of [
    [{ op: 'remove', path: '/nothere' }],
    [{ op: 'add', path: '/a/b/c', value: 1 }],
    [{ op: 'frobnicate', path: '/a' }],
    [{ op: 'add', path: '', value: {} }],
    [{ op: 'move', from: '/a', path: '/a/b' }],
  ]) {
    assert.throws(() => jsonPatch({ a: {} }, ops), isStatus(422, 'Invalid'), JSON.stringify(ops));
  }
});

test('replace of a missing object member sets it, and replace of the root swaps the document (evanphx v4)', () => {
  assert.deepEqual(jsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]), { a: 1, b: 2 });
  assert.deepEqual(jsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { z: 0 } }]), { z: 0 });
});

test('testing an absent member against null succeeds', () => {
  assert.deepEqual(jsonPatch({ a: 1 }, [{ op: 'test', path: '/b', value: null }]), { a: 1 });
});

test('a patch that is not a list of operations is a 400 in encoding/json words', () => {
  assert.throws(() => jsonPatch({}, { op: 'add' }), (e: unknown) => e instanceof StatusError && e.code === 400
    && e.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  assert.throws(() => jsonPatch({}, [1]), (e: unknown) => e instanceof StatusError && e.code === 400
    && e.message === 'json: cannot unmarshal number into Go value of type jsonpatch.Operation');
});

test('more than 10000 operations is a 413', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a', value: 1 }));
  assert.throws(() => jsonPatch({ a: 1 }, ops), (e: unknown) => e instanceof StatusError && e.code === 413
    && e.message === 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
});

test('json patch does not modify the target, even when it fails halfway', () => {
  const target = { a: { b: 1 } };
  assert.throws(() => jsonPatch(target, [{ op: 'remove', path: '/a/b' }, { op: 'remove', path: '/zz' }]));
  assert.deepEqual(target, { a: { b: 1 } });
});

test('deepEqual ignores member order but not list order', () => {
  assert.ok(deepEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }));
  assert.ok(!deepEqual([1, 2], [2, 1]));
  assert.ok(!deepEqual({ a: 1 }, { a: 1, b: undefined }));
});
