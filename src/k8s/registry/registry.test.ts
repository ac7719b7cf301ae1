import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.ts';
import { Store } from '../store/store.ts';
import { Rng } from '../../kernel/rng.ts';
import { resourceByPlural } from '../api/resources.ts';
import { StatusError } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';

const pods = resourceByPlural('', 'pods')!;
const nss = resourceByPlural('', 'namespaces')!;

function setup(): Registry {
  let t = Date.parse('2026-11-23T10:00:00Z');
  const reg = new Registry({ store: new Store(), rng: new Rng(7), now: () => (t += 1000), config: { serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767], clusterDomain: 'cluster.local' }, strategies: new Map() });
  reg.create(nss, undefined, { metadata: { name: 'default' } });
  return reg;
}

function code(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return [e.code, e.message];
    throw e;
  }
  return [0, ''];
}

test('create fills uid, creationTimestamp and resourceVersion and a duplicate is 409 AlreadyExists', () => {
  const reg = setup();
  const p = reg.create(pods, 'default', { metadata: { name: 'a' }, spec: {} });
  assert.equal(p.kind, 'Pod');
  assert.equal(p.metadata.namespace, 'default');
  assert.match(p.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.equal(p.metadata.creationTimestamp, '2026-11-23T10:00:02Z');
  assert.deepEqual(code(() => reg.create(pods, 'default', { metadata: { name: 'a' } })), [409, 'pods "a" already exists']);
});

test('a stale resourceVersion on update is 409 Conflict and changes nothing', () => {
  const reg = setup();
  const p = reg.create(pods, 'default', { metadata: { name: 'a', labels: { x: '1' } } });
  const p2 = reg.update(pods, 'default', 'a', { ...p, metadata: { ...p.metadata, labels: { x: '2' } } });
  assert.notEqual(p2.metadata.resourceVersion, p.metadata.resourceVersion);
  const [c, msg] = code(() => reg.update(pods, 'default', 'a', { ...p, metadata: { ...p.metadata, labels: { x: '3' } } }));
  assert.equal(c, 409);
  assert.equal(msg, 'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again');
  assert.deepEqual(reg.get(pods, 'default', 'a').metadata.labels, { x: '2' });
});

test('a namespaced object in a missing namespace is 404 and generateName makes a 5-character suffix', () => {
  const reg = setup();
  assert.deepEqual(code(() => reg.create(pods, 'nope', { metadata: { name: 'a' } })), [404, 'namespaces "nope" not found']);
  const p = reg.create(pods, 'default', { metadata: { generateName: 'web-' } });
  assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('dry run validates and allocates but persists nothing', () => {
  const reg = setup();
  const before = reg.store.resourceVersion();
  reg.create(pods, 'default', { metadata: { name: 'a' } }, { dryRun: true });
  assert.equal(reg.store.resourceVersion(), before);
  assert.equal(reg.tryGet(pods, 'default', 'a'), undefined);
});

test('watch from a resourceVersion replays later events; selection changes become ADDED and DELETED', () => {
  const reg = setup();
  const rv = reg.store.resourceVersion();
  const seen: string[] = [];
  const w = reg.watch(pods, 'default', { resourceVersion: String(rv), labelSelector: 'app=web' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
  const p = reg.create(pods, 'default', { metadata: { name: 'a', labels: { app: 'web' } } });
  reg.create(pods, 'default', { metadata: { name: 'b', labels: { app: 'db' } } });
  reg.update(pods, 'default', 'a', { ...reg.get(pods, 'default', 'a'), metadata: { ...p.metadata, resourceVersion: undefined, labels: { app: 'other' } } });
  reg.delete(pods, 'default', 'b');
  w.stop();
  assert.deepEqual(seen, ['ADDED a', 'DELETED a']);
});

test('finalizers hold a deleted object until the last one is removed', () => {
  const reg = setup();
  reg.create(pods, 'default', { metadata: { name: 'a', finalizers: ['x/y'] } });
  const d = reg.delete(pods, 'default', 'a');
  assert.equal(d.deleted, false);
  assert.ok(d.object.metadata.deletionTimestamp);
  const cur: KObject = reg.get(pods, 'default', 'a');
  cur.metadata.finalizers = [];
  reg.update(pods, 'default', 'a', cur);
  assert.equal(reg.tryGet(pods, 'default', 'a'), undefined);
});

test('a store reopened from its file has the same objects and resourceVersion', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'podlab-store-'));
  try {
    const s1 = new Store(join(dir, 'state.db'));
    s1.create('pods', { metadata: { name: 'a', namespace: 'default' } });
    const rv = s1.resourceVersion();
    s1.close();
    const s2 = new Store(join(dir, 'state.db'));
    assert.equal(s2.resourceVersion(), rv);
    assert.equal(s2.get('pods', 'default', 'a')?.metadata.resourceVersion, String(rv));
    s2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a watch from a resourceVersion the event log no longer holds is 410 Expired; a recent one resumes', () => {
  const store = new Store(':memory:', { keepEvents: 100 });
  for (let i = 0; i < 1100; i++) store.create('configmaps', { metadata: { name: `c${i}`, namespace: 'default' } });
  assert.throws(() => store.watch(5, () => undefined), (e: unknown) => e instanceof StatusError && e.code === 410 && /too old resource version: 5/.test(e.message));
  const seen: number[] = [];
  const w = store.watch(store.resourceVersion() - 3, (e) => seen.push(e.rv));
  w.stop();
  assert.equal(seen.length, 3);
});
