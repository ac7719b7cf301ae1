import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlPlane } from '../controlplane.ts';
import { resourceByPlural } from '../api/resources.ts';
import type { KObject } from '../api/object.ts';
import { gone } from '../api/errors.ts';
import { jsonMergePatch } from '../api/patch/merge.ts';
import type { Patcher } from '../registry/registry.ts';
import { KubeClient, TABLE_ACCEPT, type Table } from '../client/client.ts';
import { createApiHandler } from './handler.ts';
import { inProcessTransport } from './transport.ts';
import type { ApiHandler, ApiRequest, ApiResponse } from './respond.ts';
import type { PodRuntime } from './runtime.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const pods = resourceByPlural('', 'pods')!;
const cms = resourceByPlural('', 'configmaps')!;
const deployments = resourceByPlural('apps', 'deployments')!;

/** Merge patch for every type: enough for routing tests (the patch algorithms have their own). */
const mergePatcher: Patcher = {
  patch: (_type, current, body) => jsonMergePatch(current ?? {}, JSON.parse(body)) as KObject,
};

function setup(opts: { minor?: string; runtime?: PodRuntime } = {}): { cp: ControlPlane; handler: ApiHandler; client: KubeClient; settles: () => number } {
  const cp = new ControlPlane({ now: () => T0, patcher: mergePatcher });
  for (const name of ['default', 'kube-system']) cp.registry.create(resourceByPlural('', 'namespaces')!, undefined, { metadata: { name } });
  let settles = 0;
  const settle = cp.settle.bind(cp);
  cp.settle = () => {
    settles++;
    return settle();
  };
  const handler = createApiHandler(cp, { now: () => T0 + 5000, ...(opts.runtime ? { runtime: opts.runtime } : {}), ...(opts.minor ? { version: { major: '1', minor: opts.minor, gitVersion: `v1.${opts.minor}.0` } } : {}) });
  return { cp, handler, client: new KubeClient(inProcessTransport(handler)), settles: () => settles };
}

function call(handler: ApiHandler, method: string, pathAndQuery: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const url = new URL(pathAndQuery, 'https://x');
  const body = opts.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
  const req: ApiRequest = { method, path: url.pathname, query: url.searchParams, headers: { 'content-type': 'application/json', ...opts.headers }, body };
  return handler(req);
}

function json(res: ApiResponse): Record<string, unknown> {
  return JSON.parse(String(res.body)) as Record<string, unknown>;
}

const pod = (name: string, labels: Record<string, string> = {}): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

test('/version reports the configured minor, and health endpoints answer ok', async () => {
  const { handler } = setup({ minor: '27' });
  const v = json(await call(handler, 'GET', '/version'));
  assert.equal(v.minor, '27');
  assert.equal(v.gitVersion, 'v1.27.0');
  const h = await call(handler, 'GET', '/readyz');
  assert.equal(h.status, 200);
  assert.equal(h.body, 'ok');
});

test('discovery answers aggregated v2, v2beta1 or legacy by Accept', async () => {
  const { handler } = setup();
  const v2 = await call(handler, 'GET', '/apis', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
  assert.equal(v2.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const beta = await call(handler, 'GET', '/api', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' } });
  assert.equal(json(beta).apiVersion, 'apidiscovery.k8s.io/v2beta1');
  const legacy = json(await call(handler, 'GET', '/api', { headers: { accept: 'application/json' } }));
  assert.deepEqual(legacy.versions, ['v1']);
  const gv = json(await call(handler, 'GET', '/apis/apps/v1'));
  assert.equal(gv.groupVersion, 'apps/v1');
  const group = json(await call(handler, 'GET', '/apis/apps'));
  assert.equal(group.kind, 'APIGroup');
});

test('openapi v3 lists group versions by hash; a patch operation carries the kind and fieldValidation; v2 is an empty document', async () => {
  const { handler } = setup();
  const index = json(await call(handler, 'GET', '/openapi/v3')) as { paths: Record<string, { serverRelativeURL: string }> };
  const url = index.paths['apis/apps/v1'].serverRelativeURL;
  assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  const doc = json(await call(handler, 'GET', url)) as { paths: Record<string, { patch?: { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': unknown } }> };
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch!;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
  const stale = await call(handler, 'GET', '/openapi/v3/apis/apps/v1?hash=OLD');
  assert.equal(stale.status, 301);
  assert.equal(stale.headers.location, url);
  const v2 = await call(handler, 'GET', '/openapi/v2', { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
  assert.equal(v2.status, 200);
  assert.equal(v2.headers['content-type'], 'application/octet-stream');
  // gnostic Document {1 swagger "2.0", 2 info {1 title, 2 version}}.
  assert.deepEqual(Buffer.from(v2.body as Buffer), Buffer.concat([Buffer.from([0x0a, 3]), Buffer.from('2.0'), Buffer.from([0x12, 21, 0x0a, 10]), Buffer.from('Kubernetes'), Buffer.from([0x12, 7]), Buffer.from('v1.32.0')]));
});

test('an unknown path or resource is the mux 404 Status', async () => {
  const { handler } = setup();
  for (const p of ['/api/v1/namespaces/default/widgets', '/apis/nope/v1/things', '/api/v2/pods', '/api/v1/pods/x', '/foo']) {
    const res = await call(handler, 'GET', p);
    assert.equal(res.status, 404, p);
    assert.deepEqual(json(res), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
  }
});

test('create returns 201 and settles the controllers; a duplicate is 409 AlreadyExists', async () => {
  const { handler, settles } = setup();
  const res = await call(handler, 'POST', '/api/v1/namespaces/default/pods', { body: pod('a') });
  assert.equal(res.status, 201);
  assert.equal(settles(), 1);
  const dup = await call(handler, 'POST', '/api/v1/namespaces/default/pods', { body: pod('a') });
  assert.equal(dup.status, 409);
  assert.equal(json(dup).message, 'pods "a" already exists');
  assert.equal(json(dup).reason, 'AlreadyExists');
});

test('dryRun=All validates and answers but persists nothing and does not settle', async () => {
  const { handler, client, settles } = setup();
  const res = await call(handler, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', { body: pod('dry') });
  assert.equal(res.status, 201);
  assert.equal(settles(), 0);
  await assert.rejects(client.get(pods, 'default', 'dry'), /pods "dry" not found/);
  const bad = await call(handler, 'POST', '/api/v1/namespaces/default/pods?dryRun=Some', { body: pod('dry') });
  assert.equal(bad.status, 422);
});

test('fieldValidation=Strict rejects unknown and duplicate fields in document order with upstream words', async () => {
  const { handler } = setup();
  const body = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","name":"d","labels":{"app":"x"},"unknownMeta":"m"},"spec":{"unknown1":"v","paused":true,"paused":false,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i","unknownNested":"v","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}';
  const res = await call(handler, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', { body });
  assert.equal(res.status, 400);
  assert.equal(json(res).message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "metadata.name", unknown field "metadata.unknownMeta", unknown field "spec.unknown1", duplicate field "spec.paused", unknown field "spec.template.spec.containers[0].unknownNested", duplicate field "spec.template.spec.containers[0].imagePullPolicy"');
});

test('fieldValidation=Warn (the default) creates without the unknown fields and sends Warning headers', async () => {
  const { handler, client } = setup();
  const res = await call(handler, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'cm' }, data: { a: 'b' }, dta: { x: 'y' } } });
  assert.equal(res.status, 201);
  assert.deepEqual(res.headers.warning, ['299 - "unknown field \\"dta\\""']);
  const cm = await client.get(cms, 'default', 'cm');
  assert.equal('dta' in cm, false);
});

test('a value of the wrong JSON type fails whatever the directive, in encoding/json words', async () => {
  const { handler } = setup();
  const res = await call(handler, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore', { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: '3' } } });
  assert.equal(res.status, 400);
  assert.equal(json(res).message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
});

test('a list is a typed List; a Table with rows carrying metadata when asked; limit pages with continue', async () => {
  const { client, handler } = setup();
  for (const n of ['a', 'b', 'c']) await client.create(pods, 'default', pod(n, { app: n === 'b' ? 'x' : 'y' }));
  const list = await client.list(pods, 'default');
  assert.deepEqual(list.items.map((p) => p.metadata.name), ['a', 'b', 'c']);
  const byLabel = await client.list(pods, 'default', { labelSelector: 'app=x' });
  assert.deepEqual(byLabel.items.map((p) => p.metadata.name), ['b']);
  const table = await client.table(pods, 'default');
  assert.equal(table.kind, 'Table');
  assert.equal(table.rows[0].object?.kind, 'PartialObjectMetadata');
  assert.equal(table.rows[0].object?.metadata.namespace, 'default');
  const page1 = json(await call(handler, 'GET', '/api/v1/namespaces/default/pods?limit=2')) as { items: KObject[]; metadata: { continue: string; remainingItemCount: number } };
  assert.deepEqual(page1.items.map((p) => p.metadata.name), ['a', 'b']);
  assert.equal(page1.metadata.remainingItemCount, 1);
  const page2 = json(await call(handler, 'GET', `/api/v1/namespaces/default/pods?limit=2&continue=${page1.metadata.continue}`)) as { items: KObject[]; metadata: { continue?: string } };
  assert.deepEqual(page2.items.map((p) => p.metadata.name), ['c']);
  assert.equal(page2.metadata.continue, undefined);
});

test('a Table with includeObject=Object carries whole objects', async () => {
  const { client } = setup();
  await client.create(pods, 'default', pod('a'));
  const t = await client.table(pods, 'default', undefined, { includeObject: 'Object' });
  assert.equal(t.rows[0].object?.kind, 'Pod');
  assert.ok(t.rows[0].object?.spec);
});

test('delete of a deployment answers a Success Status; a pod answers the pod', async () => {
  const { client, handler } = setup();
  await client.create(deployments, 'default', { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
  const uid = (await client.get(deployments, 'default', 'd')).metadata.uid;
  const res = json(await call(handler, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/d', { body: { propagationPolicy: 'Background' } }));
  assert.deepEqual(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'd', group: 'apps', kind: 'deployments', uid } });
  await client.create(pods, 'default', pod('p'));
  const p = json(await call(handler, 'DELETE', '/api/v1/namespaces/default/pods/p', { body: { propagationPolicy: 'Background' } }));
  assert.equal(p.kind, 'Pod');
  const bad = await call(handler, 'DELETE', '/api/v1/namespaces/default/pods/p', { body: { propagationPolicy: 'Sideways' } });
  assert.equal(bad.status, 422);
  assert.equal(json(bad).message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan"');
});

test('deletecollection removes what the selector matches and answers the list of them', async () => {
  const { client, handler } = setup();
  for (const n of ['a', 'b']) await client.create(pods, 'default', pod(n, { app: n }));
  const res = json(await call(handler, 'DELETE', '/api/v1/namespaces/default/pods?labelSelector=app%3Da'));
  assert.equal(res.kind, 'PodList');
  assert.deepEqual((await client.list(pods, 'default')).items.map((p) => p.metadata.name), ['b']);
});

test('a merge patch goes through the registry and an unsupported patch type is 415', async () => {
  const { client, handler } = setup();
  await client.create(pods, 'default', pod('a'));
  const patched = await client.patch(pods, 'default', 'a', 'application/merge-patch+json', { metadata: { labels: { x: 'y' } } });
  assert.deepEqual(patched.metadata.labels, { x: 'y' });
  const res = await call(handler, 'PATCH', '/api/v1/namespaces/default/pods/a', { body: '{}', headers: { 'content-type': 'text/plain' } });
  assert.equal(res.status, 415);
});

test('a strict patch that adds an unknown field is 422 and changes nothing', async () => {
  const { client, handler } = setup();
  await client.create(pods, 'default', pod('a'));
  const before = await client.get(pods, 'default', 'a');
  const res = await call(handler, 'PATCH', '/api/v1/namespaces/default/pods/a?fieldValidation=Strict', { body: '{"spec":{"bogus":1}}', headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(res.status, 422);
  assert.match(String(json(res).message), /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "spec.bogus"$/);
  assert.equal((await client.get(pods, 'default', 'a')).metadata.resourceVersion, before.metadata.resourceVersion);
});

test('server-side apply of a field the schema lacks is the 500 structured-merge-diff error', async () => {
  const { handler } = setup();
  const res = await call(handler, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/d?fieldManager=kubectl&fieldValidation=Strict', {
    body: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"bogus":1,"template":{"spec":{"containers":[{"name":"web","oops":true}]}}}}',
    headers: { 'content-type': 'application/apply-patch+yaml' },
  });
  assert.equal(res.status, 500);
  assert.equal(json(res).reason, undefined);
  assert.equal(json(res).message, 'failed to create typed patch object (default/d; apps/v1, Kind=Deployment): errors:\n  .spec.bogus: field not declared in schema\n  .spec.template.spec.containers[name="web"].oops: field not declared in schema');
});

test('the scale subresource reads and merge-patches spec.replicas as autoscaling/v1 Scale', async () => {
  const { client, handler } = setup();
  await client.create(deployments, 'default', { metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
  const scale = json(await call(handler, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/d/scale', { body: '{"spec":{"replicas":3}}', headers: { 'content-type': 'application/merge-patch+json' } }));
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.deepEqual(scale.spec, { replicas: 3 });
  assert.equal(((await client.get(deployments, 'default', 'd')).spec as { replicas: number }).replicas, 3);
});

test('a watch from resourceVersion 0 starts with the current objects and then follows changes, filtered by name', async () => {
  const { client } = setup();
  await client.create(pods, 'default', pod('a'));
  await client.create(pods, 'default', pod('b'));
  const ac = new AbortController();
  const events: string[] = [];
  let resolveSeen: () => void;
  const seen = new Promise<void>((r) => (resolveSeen = r));
  const done = client.watch(pods, 'default', { fieldSelector: 'metadata.name=a', resourceVersion: '0' }, (e) => {
    events.push(`${e.type} ${(e.object as KObject).metadata.name}`);
    if (events.length === 2) resolveSeen();
  }, ac.signal);
  await client.patch(pods, 'default', 'b', 'application/merge-patch+json', { metadata: { labels: { z: '1' } } });
  await client.patch(pods, 'default', 'a', 'application/merge-patch+json', { metadata: { labels: { z: '1' } } });
  await seen;
  ac.abort();
  await done;
  assert.deepEqual(events, ['ADDED a', 'MODIFIED a']);
});

test('a Table watch sends one-row Tables with column definitions in the first event only', async () => {
  const { client } = setup();
  await client.create(pods, 'default', pod('a'));
  await client.create(pods, 'default', pod('b'));
  const ac = new AbortController();
  const tables: Table[] = [];
  let resolveSeen: () => void;
  const seen = new Promise<void>((r) => (resolveSeen = r));
  const done = client.watch(pods, 'default', { table: true, resourceVersion: '0' }, (e) => {
    tables.push(e.object as Table);
    if (tables.length === 2) resolveSeen();
  }, ac.signal);
  await seen;
  ac.abort();
  await done;
  assert.equal(tables[0].kind, 'Table');
  assert.ok(tables[0].columnDefinitions.length > 0);
  assert.equal(tables[1].columnDefinitions.length, 0);
  assert.equal(tables[1].rows.length, 1);
});

test('a watch from a compacted resourceVersion gets 200 and one ERROR event with 410 Expired', async () => {
  const { cp, handler } = setup();
  // The store throws 410 for versions older than its event log; stand that in for 50,000 writes.
  cp.registry.watch = () => {
    throw gone('too old resource version: 1 (60000)');
  };
  const res = await call(handler, 'GET', '/api/v1/namespaces/default/pods?watch=true&resourceVersion=1');
  assert.equal(res.status, 200);
  const chunks: string[] = [];
  await res.stream!((c) => chunks.push(c), new AbortController().signal);
  assert.deepEqual(chunks.map((c) => JSON.parse(c) as unknown), [{ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (60000)', reason: 'Expired', code: 410 } }]);
});

test('timeoutSeconds ends a watch', async () => {
  const { handler } = setup();
  const res = await call(handler, 'GET', '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=0');
  await res.stream!(() => undefined, new AbortController().signal);
});

test('Accept naming only protobuf is 406 NotAcceptable', async () => {
  const { handler } = setup();
  const res = await call(handler, 'GET', '/api/v1/namespaces/default/pods', { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
  assert.equal(res.status, 406);
});

test('Endpoints requests carry the 1.33 deprecation warning when the server reports 1.33', async () => {
  const old = setup({ minor: '32' });
  assert.equal((await call(old.handler, 'GET', '/api/v1/namespaces/default/endpoints')).headers.warning, undefined);
  const cur = setup({ minor: '33' });
  assert.deepEqual((await call(cur.handler, 'GET', '/api/v1/namespaces/default/endpoints')).headers.warning, ['299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"']);
});

test('logs come from the runtime for the only container; several containers need a name', async () => {
  const runtime: PodRuntime = {
    exec: async () => 0,
    portForward: async () => { throw new Error('no'); },
    async *logs(_ns, p, c, o) {
      yield `${p}/${c} tail=${o.tailLines ?? '-'}\n`;
    },
  };
  const { client, handler } = setup({ runtime });
  await client.create(pods, 'default', { ...pod('a'), spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
  const res = await call(handler, 'GET', '/api/v1/namespaces/default/pods/a/log?tailLines=5');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain');
  assert.equal(res.body, 'a/c tail=5\n');
  await client.create(pods, 'default', { ...pod('b'), spec: { nodeName: 'n1', containers: [{ name: 'x', image: 'i' }, { name: 'y', image: 'i' }] } });
  const two = await call(handler, 'GET', '/api/v1/namespaces/default/pods/b/log');
  assert.equal(two.status, 400);
  assert.equal(json(two).message, 'a container name must be specified for pod b, choose one of: [x y]');
  const follow = await call(handler, 'GET', '/api/v1/namespaces/default/pods/b/log?container=y&follow=true');
  const chunks: string[] = [];
  await follow.stream!((c) => chunks.push(c), new AbortController().signal);
  assert.deepEqual(chunks, ['b/y tail=-\n']);
});

test('exec without an upgrade is 400 Upgrade request required', async () => {
  const { client, handler } = setup();
  await client.create(pods, 'default', pod('a'));
  const res = await call(handler, 'POST', '/api/v1/namespaces/default/pods/a/exec?command=ls');
  assert.equal(res.status, 400);
  assert.equal(json(res).message, 'Upgrade request required');
});

test('the status subresource writes status only', async () => {
  const { client, handler } = setup();
  await client.create(pods, 'default', pod('a'));
  // The controllers (the scheduler) may have written the pod since: start from what is stored.
  const p = await client.get(pods, 'default', 'a');
  const res = await call(handler, 'PUT', '/api/v1/namespaces/default/pods/a/status', { body: { ...p, metadata: { ...p.metadata, labels: { ignored: 'yes' } }, status: { phase: 'Running' } } });
  assert.equal(res.status, 200);
  const now = await client.get(pods, 'default', 'a');
  assert.equal((now.status as { phase: string }).phase, 'Running');
  assert.deepEqual(now.metadata.labels, {});
});

test('the in-process transport gives podlab kubectl the same answers as HTTPS would', async () => {
  const { client } = setup();
  await client.create(cms, 'default', { metadata: { name: 'x' }, data: { k: 'v' } });
  const t = await client.call<Table>('GET', '/api/v1/namespaces/default/configmaps', undefined, { Accept: TABLE_ACCEPT });
  assert.equal(t.rows.length, 1);
  await assert.rejects(client.get(cms, 'default', 'nope'), (e: Error) => e.message === 'configmaps "nope" not found');
});
