import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LAST_APPLIED_ANNOTATION, type ManagedFieldsEntry, lastAppliedConfiguration, recordUpdate, serverSideApply } from './apply.ts';
import { patchSchemaFor } from './schema.ts';
import { StatusError } from '../errors.ts';
import type { KObject } from '../object.ts';

const schema = patchSchemaFor('apps/v1', 'Deployment');
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';
const T2 = '2025-01-01T00:02:00Z';

function deployment(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'default', ...meta },
    spec: {
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
      ...spec,
    },
  };
}

function apply(live: KObject | undefined, applied: KObject, manager = 'kubectl', force = false, now = T0): KObject {
  return serverSideApply(live, applied, { manager, force, now, schema }).object;
}

function entries(o: KObject): ManagedFieldsEntry[] {
  return (o.metadata.managedFields ?? []) as ManagedFieldsEntry[];
}

function entry(o: KObject, manager: string): ManagedFieldsEntry | undefined {
  return entries(o).find((e) => e.manager === manager);
}

/** A write by a non-apply client: `change` edits a copy of the live object. */
function update(live: KObject, manager: string, change: (o: KObject) => void, now = T1): KObject {
  const next = structuredClone(live);
  change(next);
  return recordUpdate(live, next, manager, 'Update', { now });
}

const specOf = (o: KObject) => o.spec as Record<string, unknown>;

test('apply creates the object and records one Apply entry with upstream\'s FieldsV1 encoding', () => {
  const created = apply(undefined, deployment({ replicas: 3 }, { labels: { app: 'nginx' } }));
  assert.equal(specOf(created).replicas, 3);
  assert.deepEqual(created.metadata.managedFields, [{
    manager: 'kubectl',
    operation: 'Apply',
    apiVersion: 'apps/v1',
    time: T0,
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    },
  }]);
});

test('changing a field another manager owns is a 409 naming the manager and the field', () => {
  const live = update(apply(undefined, deployment({ replicas: 3 })), 'kubectl-client-side-apply', (o) => { specOf(o).replicas = 5; });
  try {
    apply(live, deployment({ replicas: 3 }), 'ci-bot');
    assert.fail('no conflict');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(e.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] });
  }
});

test('several conflicts are listed by manager', () => {
  let live = apply(undefined, deployment({ replicas: 3, minReadySeconds: 1 }));
  live = update(live, 'scaler', (o) => { specOf(o).replicas = 5; });
  live = update(live, 'editor', (o) => { specOf(o).minReadySeconds = 9; specOf(o).paused = true; });
  assert.throws(() => apply(live, deployment({ replicas: 3, minReadySeconds: 1, paused: false }), 'other'), (e: unknown) => e instanceof StatusError && e.code === 409
    && e.message === 'Apply failed with 3 conflicts: conflicts with "editor" using apps/v1:\n- .spec.minReadySeconds\n- .spec.paused\nconflicts with "scaler" using apps/v1:\n- .spec.replicas');
});

test('applying the value another manager set shares the field instead of conflicting', () => {
  const live = update(apply(undefined, deployment()), 'scaler', (o) => { specOf(o).replicas = 5; });
  const out = apply(live, deployment({ replicas: 5 }), 'second');
  assert.ok(entry(out, 'second')!.fieldsV1!['f:spec']);
  assert.deepEqual((entry(out, 'scaler')!.fieldsV1!['f:spec'] as Record<string, unknown>)['f:replicas'], {});
  assert.deepEqual(((entry(out, 'second')!.fieldsV1!['f:spec']) as Record<string, unknown>)['f:replicas'], {});
});

test('force takes the field and the other manager loses it', () => {
  const live = update(apply(undefined, deployment({ replicas: 3 })), 'scaler', (o) => { specOf(o).replicas = 5; specOf(o).paused = true; });
  const out = apply(live, deployment({ replicas: 3 }), 'kubectl', true, T2);
  assert.equal(specOf(out).replicas, 3);
  assert.deepEqual(entry(out, 'scaler')!.fieldsV1, { 'f:spec': { 'f:paused': {} } });
  assert.equal(entry(out, 'kubectl')!.time, T2);
});

test('a field the applier stops applying is removed, unless another manager owns it too', () => {
  let live = apply(undefined, deployment({ replicas: 3, paused: true }, { labels: { app: 'nginx', team: 'x' } }));
  live = apply(live, deployment({ paused: true }, { labels: { team: 'x' } }), 'other');
  const out = apply(live, deployment());
  assert.equal(specOf(out).replicas, undefined);
  assert.equal(specOf(out).paused, true);
  assert.deepEqual(out.metadata.labels, { team: 'x' });
});

test('a container the applier stops applying is removed; one another manager added stays', () => {
  let live = apply(undefined, deployment());
  live = apply(live, { ...deployment(), spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy' }] } } } } as KObject, 'injector');
  assert.deepEqual((specOf(live).template as { spec: { containers: { name: string }[] } }).spec.containers.map((c) => c.name), ['nginx', 'sidecar']);
  const without = deployment();
  (specOf(without).template as { spec: { containers: unknown[] } }).spec.containers = [{ name: 'main', image: 'httpd' }];
  const out = apply(live, without);
  // Live-only items keep their place and new applied items follow them (structured-merge-diff's order).
  assert.deepEqual((specOf(out).template as { spec: { containers: { name: string }[] } }).spec.containers.map((c) => c.name), ['sidecar', 'main']);
});

test('keyed list items: shared ones in the applied order, live-only ones stay put, new ones where applied', () => {
  let live = apply(undefined, deployment());
  const c = (names: string[]) => names.map((n) => ({ name: n, image: n }));
  (specOf(live).template as { spec: { containers: unknown[] } }).spec.containers = c(['a', 'x', 'b']);
  live = recordUpdate(undefined, live, 'setup', 'Update', { now: T0 });
  const applied = deployment();
  (specOf(applied).template as { spec: { containers: unknown[] } }).spec.containers = c(['b', 'a', 'n']);
  const out = apply(live, applied, 'setup2', true);
  // b and a come in the applied order; x, which only the live object has, stays before b as it was.
  assert.deepEqual((specOf(out).template as { spec: { containers: { name: string }[] } }).spec.containers.map((x) => x.name), ['x', 'b', 'a', 'n']);
});

test('finalizers are owned item by item (v: elements)', () => {
  const out = apply(undefined, deployment({}, { finalizers: ['example.com/a'] }));
  assert.deepEqual((entry(out, 'kubectl')!.fieldsV1!['f:metadata'] as Record<string, unknown>)['f:finalizers'], { 'v:"example.com/a"': {} });
});

test('an apply that changes nothing keeps the object and the time stamp', () => {
  const live = apply(undefined, deployment());
  const again = serverSideApply(live, deployment(), { manager: 'kubectl', force: false, now: T2, schema });
  assert.equal(again.changed, false);
  assert.deepEqual(again.object, live);
});

test('a configuration carrying managedFields, or of another kind, is a 400', () => {
  const live = apply(undefined, deployment());
  assert.throws(() => apply(live, deployment({}, { managedFields: [] })), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'metadata.managedFields must be nil');
  assert.throws(() => apply(live, { ...deployment(), kind: 'ReplicaSet' }), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'invalid object type: apps/v1, Kind=ReplicaSet');
});

test('a keyed list item without its key is a 500 naming the field', () => {
  const bad = deployment();
  (specOf(bad).template as { spec: { containers: unknown[] } }).spec.containers = [{ image: 'x' }];
  assert.throws(() => apply(undefined, bad), (e: unknown) => e instanceof StatusError && e.code === 500
    && e.message === 'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)');
});

test('duplicate keys in an applied list give the error users know from kubectl apply --server-side', () => {
  const svc: KObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 80 }, { port: 80, targetPort: 8080 }] } };
  assert.throws(() => serverSideApply(undefined, svc, { manager: 'kubectl', force: false, now: T0, schema: patchSchemaFor('v1', 'Service') }),
    (e: unknown) => e instanceof StatusError && e.code === 500
      && e.message === 'failed to create typed patch object (/v1, Kind=Service): .spec.ports: duplicate entries for key [port=80,protocol="TCP"]');
});

test('kubectl --server-side may take over fields its last client-side apply set, and keeps the annotation in step', () => {
  const config = deployment({ replicas: 3 });
  const created = structuredClone(config);
  created.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: lastAppliedConfiguration(config) };
  const live = recordUpdate(undefined, created, 'kubectl-client-side-apply', 'Update', { now: T0 });
  const next = deployment({ replicas: 4 });
  const out = apply(live, next, 'kubectl', false, T1);
  assert.equal(specOf(out).replicas, 4);
  assert.equal(out.metadata.annotations![LAST_APPLIED_ANNOTATION], lastAppliedConfiguration(next, false));
  // Another manager name gets the conflict.
  assert.throws(() => apply(live, next, 'helm'), (e: unknown) => e instanceof StatusError && e.code === 409);
});

test('an object written before fields were tracked belongs to before-first-apply', () => {
  const live = deployment({ replicas: 2 }, { uid: 'u1' });
  assert.throws(() => apply(live, deployment({ replicas: 3 })), (e: unknown) => e instanceof StatusError
    && e.message === 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
});

test('create through update records an Update entry; added maps and items carry "."', () => {
  const created = recordUpdate(undefined, deployment({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } }, { labels: { app: 'nginx' } }), 'kubectl-create', 'Update', { now: T0 });
  const e = entries(created);
  assert.equal(e.length, 1);
  assert.deepEqual({ ...e[0], fieldsV1: undefined }, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: undefined });
  const v1 = e[0].fieldsV1 as Record<string, Record<string, unknown>>;
  assert.deepEqual(v1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  // spec, strategy and the template exist in the zero Deployment, so they are not "added".
  assert.deepEqual(v1['f:spec']['f:strategy'], { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} });
  assert.deepEqual(Object.keys(v1['f:spec']), ['f:replicas', 'f:selector', 'f:strategy', 'f:template']);
});

test('an update takes the fields it changes from their owner and drops removed fields from everyone', () => {
  let live = recordUpdate(undefined, deployment({ replicas: 2, paused: true }), 'creator', 'Update', { now: T0 });
  live = update(live, 'scaler', (o) => { specOf(o).replicas = 4; delete specOf(o).paused; });
  const creator = entry(live, 'creator')!.fieldsV1!['f:spec'] as Record<string, unknown>;
  assert.equal(creator['f:replicas'], undefined);
  assert.equal(creator['f:paused'], undefined);
  assert.deepEqual(entry(live, 'scaler')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal(entry(live, 'scaler')!.time, T1);
});

test('an update that changes nothing adds no entry', () => {
  const live = recordUpdate(undefined, deployment(), 'creator', 'Update', { now: T0 });
  const out = update(live, 'noop', () => {}, T2);
  assert.deepEqual(out.metadata.managedFields, live.metadata.managedFields);
});

test('status changes are not tracked on the main resource, only on the status subresource', () => {
  const live = recordUpdate(undefined, deployment(), 'creator', 'Update', { now: T0 });
  const withStatus = structuredClone(live);
  withStatus.status = { replicas: 1 };
  assert.equal(entry(recordUpdate(live, withStatus, 'x', 'Update', { now: T1 }), 'x'), undefined);
  const viaStatus = recordUpdate(live, withStatus, 'kube-controller-manager', 'Update', { now: T1, subresource: 'status' });
  assert.deepEqual(entry(viaStatus, 'kube-controller-manager'), {
    manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1',
    fieldsV1: { 'f:status': { '.': {}, 'f:replicas': {} } }, subresource: 'status',
  });
});

test('managedFields sent as [] or [{}] clear them; an object without them stays untracked', () => {
  const live = recordUpdate(undefined, deployment(), 'creator', 'Update', { now: T0 });
  for (const reset of [[], [{}]]) {
    const next = structuredClone(live);
    next.metadata.managedFields = reset as never;
    specOf(next).replicas = 9;
    assert.equal(recordUpdate(live, next, 'x', 'Update', { now: T1 }).metadata.managedFields, undefined);
  }
  const untracked = deployment({ replicas: 1 });
  const next = structuredClone(untracked);
  specOf(next).replicas = 2;
  assert.equal(recordUpdate(untracked, next, 'x').metadata.managedFields, undefined);
});

test('managedFields sent with an update replace the live ones', () => {
  const live = recordUpdate(undefined, deployment(), 'creator', 'Update', { now: T0 });
  const next = structuredClone(live);
  next.metadata.managedFields = [{ manager: 'migrated', operation: 'Apply', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:selector': {} } } }] as never;
  const out = recordUpdate(live, next, 'x', 'Update', { now: T1 });
  assert.deepEqual(entries(out).map((e) => e.manager), ['migrated']);
});

test('more than ten update managers fold the oldest into ancient-changes', () => {
  let live = recordUpdate(undefined, deployment(), 'm0', 'Update', { now: T0 });
  for (let i = 1; i <= 11; i++) {
    live = update(live, `m${i}`, (o) => { (o.metadata.labels ??= {})[`l${i}`] = 'x'; }, `2025-01-01T00:${String(i).padStart(2, '0')}:00Z`);
  }
  const names = entries(live).map((e) => e.manager);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('m0') && !names.includes('m1') && !names.includes('m2'));
});

test('entries are sorted: Apply before Update, then oldest first', () => {
  let live = recordUpdate(undefined, deployment(), 'creator', 'Update', { now: T1 });
  live = apply(live, deployment({ replicas: 2 }), 'kubectl', false, T2);
  assert.deepEqual(entries(live).map((e) => [e.operation, e.manager]), [['Apply', 'kubectl'], ['Update', 'creator']]);
});
