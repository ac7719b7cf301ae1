import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch, threeWayMergePatch, twoWayMergePatch } from './strategic.ts';
import { patchSchemaFor } from './schema.ts';
import { LAST_APPLIED_ANNOTATION, lastAppliedConfiguration } from './apply.ts';
import { APPLY_CASES, liveObject, modifiedObject } from './oracle-fixtures.ts';
import { StatusError } from '../errors.ts';
import type { KObject } from '../object.ts';

const deploymentSchema = patchSchemaFor('apps/v1', 'Deployment');
const podSchema = patchSchemaFor('v1', 'Pod');

function pod(containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, ...extra } };
}

function containersOf(o: Record<string, unknown>): unknown[] {
  return (o.spec as { containers: unknown[] }).containers;
}

test('containers merge by name; a new container goes first unless it follows a patched one', () => {
  const two = pod([{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }]);
  assert.deepEqual(containersOf(strategicMergePatch(two, { spec: { containers: [{ name: 'c', image: 'w' }] } }, podSchema)),
    [{ name: 'c', image: 'w' }, { name: 'a', image: 'x' }, { name: 'b', image: 'y' }]);
  assert.deepEqual(containersOf(strategicMergePatch(two, { spec: { containers: [{ name: 'b', image: 'z' }, { name: 'c', image: 'w' }] } }, podSchema)),
    [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }, { name: 'c', image: 'w' }]);
});

test('$patch: delete removes a list item by merge key', () => {
  const out = strategicMergePatch(pod([{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] }]),
    { spec: { containers: [{ name: 'a', ports: [{ $patch: 'delete', containerPort: 443 }] }] } }, podSchema);
  assert.deepEqual(containersOf(out), [{ name: 'a', ports: [{ containerPort: 80 }] }]);
});

test('$patch: replace replaces a merge list or a map whole', () => {
  const list = strategicMergePatch(pod([{ name: 'a' }, { name: 'b' }]), { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } }, podSchema);
  assert.deepEqual(containersOf(list), [{ name: 'c' }]);
  const map = strategicMergePatch(pod([], { securityContext: { runAsUser: 1, fsGroup: 2 } }), { spec: { securityContext: { $patch: 'replace', runAsUser: 3 } } }, podSchema);
  assert.deepEqual((map.spec as Record<string, unknown>).securityContext, { runAsUser: 3 });
});

test('$patch: merge is refused on lists and maps, with upstream\'s words, as a 500', () => {
  assert.throws(() => strategicMergePatch(pod([{ name: 'a' }]), { spec: { containers: [{ name: 'a', $patch: 'merge' }] } }, podSchema),
    (e: unknown) => e instanceof StatusError && e.code === 500 && e.message === 'merging lists cannot yet be specified in the patch');
  assert.throws(() => strategicMergePatch(pod([]), { metadata: { $patch: 'merge' } }, podSchema),
    (e: unknown) => e instanceof StatusError && e.code === 500 && e.message === 'unknown patch type: merge in map: map[$patch:merge]');
});

test('an item without its merge key is the 500 kubectl shows as "Error from server: map: ... does not contain declared merge key"', () => {
  try {
    strategicMergePatch(pod([{ name: 'a' }]), { spec: { containers: [{ image: 'x' }] } }, podSchema);
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 500);
    assert.equal(e.reason, '');
    assert.equal(e.message, 'map: map[image:x] does not contain declared merge key: name');
  }
});

test('malformed directives are 400s, lists of lists a bare 422', () => {
  const is = (code: number, message: string) => (e: unknown) => e instanceof StatusError && e.code === code && e.message === message;
  assert.throws(() => strategicMergePatch(pod([]), { metadata: { $deleteFromPrimitiveList: ['x'] } }, podSchema), is(400, 'invalid patch format of primitive list'));
  assert.throws(() => strategicMergePatch({ spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: 'type' } } }, deploymentSchema), is(400, 'invalid patch format of retainKeys'));
  assert.throws(() => strategicMergePatch({ spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, deploymentSchema), is(400, 'invalid patch format of retainKeys'));
  assert.throws(() => strategicMergePatch(pod([]), { spec: { $setElementOrderX: [] } }, podSchema), is(400, 'invalid patch format of setElementOrder list'));
  assert.throws(() => strategicMergePatch({ metadata: { finalizers: [] } }, { metadata: { finalizers: [['x']] } }, podSchema),
    is(422, 'the server rejected our request due to an error in our request'));
  assert.throws(() => strategicMergePatch([], {}, podSchema), is(400, 'invalid JSON document'));
});

test('$setElementOrder orders the named items; the others keep their place before the next named one', () => {
  const out = strategicMergePatch(pod([{ name: 'a' }, { name: 'b' }, { name: 'c' }]),
    { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'n' }, { name: 'a' }], containers: [{ name: 'n', image: 'i' }] } }, podSchema);
  // As kubectl computes it: b was before c in the live list, so it stays before c.
  assert.deepEqual(containersOf(out).map((c) => (c as { name: string }).name), ['b', 'c', 'n', 'a']);
});

test('primitive merge lists union their items and $deleteFromPrimitiveList removes some', () => {
  const out = strategicMergePatch({ metadata: { finalizers: ['a', 'b'] } },
    { metadata: { finalizers: ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] } }, podSchema);
  assert.deepEqual((out.metadata as Record<string, unknown>).finalizers, ['c', 'a']);
});

test('$retainKeys clears the keys it does not list', () => {
  const out = strategicMergePatch({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema);
  assert.deepEqual(out, { spec: { strategy: { type: 'Recreate' } } });
});

test('null deletes, and nulls inside new values are dropped', () => {
  const out = strategicMergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null }, annotations: { x: null, y: 'z' } } }, podSchema);
  assert.deepEqual(out, { metadata: { labels: { b: '2' }, annotations: { y: 'z' } } });
});

test('lists without patch tags (tolerations, taints, endpoints) are replaced whole', () => {
  const out = strategicMergePatch(pod([], { tolerations: [{ key: 'a' }, { key: 'b' }] }), { spec: { tolerations: [{ key: 'c' }] } }, podSchema);
  assert.deepEqual((out.spec as Record<string, unknown>).tolerations, [{ key: 'c' }]);
  const node = strategicMergePatch({ spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } }, { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } }, patchSchemaFor('v1', 'Node'));
  assert.deepEqual(node, { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } });
});

test('a kind without a schema gets lists replaced and maps merged', () => {
  const schema = patchSchemaFor('example.com/v1', 'Widget');
  const out = strategicMergePatch({ spec: { items: [{ name: 'a' }, { name: 'b' }], m: { x: 1 } } }, { spec: { items: [{ name: 'b' }], m: { y: 2 } } }, schema);
  assert.deepEqual(out, { spec: { items: [{ name: 'b' }], m: { x: 1, y: 2 } } });
});

test('strategicMergePatch does not modify its arguments', () => {
  const original = pod([{ name: 'a', image: 'x' }]);
  const patch = { spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b', $patch: 'delete' }] } };
  const before = JSON.stringify([original, patch]);
  strategicMergePatch(original, patch, podSchema);
  assert.equal(JSON.stringify([original, patch]), before);
});

// --- three-way patches --------------------------------------------------------------------------

/** kubectl apply's inputs for a configuration and the live object. */
function threeWay(previous: KObject | undefined, config: KObject, live: KObject): Record<string, unknown> {
  const original = previous ? JSON.parse(lastAppliedConfiguration(previous)) : undefined;
  return threeWayMergePatch(original, modifiedObject(config), live, patchSchemaFor(String(config.apiVersion), String(config.kind)));
}

test('the §5.2 deployment patch: $setElementOrder, delete directives and nulls, in kubectl\'s shape', () => {
  const c = APPLY_CASES[0];
  const patch = threeWay(c.previous, c.config, liveObject(c));
  assert.equal(JSON.stringify(patch), JSON.stringify({
    metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: lastAppliedConfiguration(c.config) }, labels: { tier: null } },
    spec: {
      replicas: null,
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }],
          containers: [
            { '$setElementOrder/ports': [{ containerPort: 80 }], env: null, image: 'nginx:1.28', name: 'a', ports: [{ $patch: 'delete', containerPort: 443 }] },
            { $patch: 'delete', name: 'b' },
          ],
        },
      },
    },
  }));
});

test('the §5.2 service patch keeps port 80, changes its targetPort and deletes port 443', () => {
  const c = APPLY_CASES[1];
  const patch = threeWay(c.previous, c.config, liveObject(c));
  const spec = patch.spec;
  assert.deepEqual(spec, { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80, targetPort: 8080 }, { $patch: 'delete', port: 443 }], type: 'NodePort' });
});

test('an unchanged configuration gives {} even when the server added fields', () => {
  const c = APPLY_CASES.find((x) => x.name.startsWith('fields only the server set'))!;
  assert.deepEqual(threeWay(c.previous, c.config, liveObject(c)), {});
});

for (const c of APPLY_CASES) {
  test(`three-way round trip (${c.name}): the patch lands the configuration and a second computation gives {}`, () => {
    const live = liveObject(c);
    const schema = patchSchemaFor(String(c.config.apiVersion), String(c.config.kind));
    const patch = threeWay(c.previous, c.config, live);
    const patched = strategicMergePatch(live, patch, schema) as KObject;
    // Every field of the configuration is now live.
    assert.deepEqual(strategicMergePatch(patched, modifiedObject(c.config), schema), patched);
    // Nothing the previous configuration had and the new one dropped is left: applying again
    // changes nothing, and kubectl says `unchanged` unless the case says it cannot.
    const again = threeWay(c.config, c.config, patched);
    assert.deepEqual(strategicMergePatch(patched, again, schema), patched);
    if (c.settles !== false) assert.deepEqual(again, {});
  });
}

test('the round trip removes exactly what the configuration dropped (the §5.2 deployment)', () => {
  const c = APPLY_CASES[0];
  const patched = strategicMergePatch(liveObject(c), threeWay(c.previous, c.config, liveObject(c)), deploymentSchema) as KObject;
  assert.deepEqual(patched.metadata.labels, { app: 'web' });
  assert.equal((patched.spec as Record<string, unknown>).replicas, undefined);
  assert.deepEqual((patched.spec as { template: { spec: unknown } }).template.spec, { containers: [{ name: 'a', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] });
  assert.equal(patched.metadata.uid, 'uid-doc52');
});

test('switching the deployment strategy sends $retainKeys', () => {
  const c = APPLY_CASES.find((x) => x.name.startsWith('strategy switched'))!;
  const patch = threeWay(c.previous, c.config, liveObject(c));
  assert.deepEqual((patch.spec as Record<string, unknown>).strategy, { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' });
});

test('twoWayMergePatch gives the patch from one object to another', () => {
  const patch = twoWayMergePatch(pod([{ name: 'a', image: 'x' }, { name: 'b' }]), pod([{ name: 'a', image: 'y' }]), podSchema);
  assert.deepEqual(patch, { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ image: 'y', name: 'a' }, { $patch: 'delete', name: 'b' }] } });
});
