// The control plane's figures for `npm run bench`: list 10,000 pods as a Table through the API,
// apply a 1,000-object manifest, watch event throughput. No upstream figure exists to compare
// with, so each is printed beside its in-run comparison (memory vs SQLite file, in-process vs
// HTTPS) and recorded as the baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlPlane } from '../src/k8s/controlplane.ts';
import { createApiHandler } from '../src/k8s/apiserver/handler.ts';
import { startApiServer } from '../src/k8s/apiserver/server.ts';
import { inProcessTransport } from '../src/k8s/apiserver/transport.ts';
import { makeClusterCerts } from '../src/k8s/apiserver/certs.ts';
import { httpsTransport, KubeClient, type Table } from '../src/k8s/client/client.ts';
import { resourceByPlural } from '../src/k8s/api/resources.ts';
import type { KObject } from '../src/k8s/api/object.ts';

const PODS = Number(process.env.BENCH_K8S_PODS ?? 10000);
const APPLY = Number(process.env.BENCH_K8S_OBJECTS ?? 1000);
const pods = resourceByPlural('', 'pods')!;
const cms = resourceByPlural('', 'configmaps')!;
const svcs = resourceByPlural('', 'services')!;

function pod(i: number): KObject {
  return { metadata: { name: `pod-${i}`, labels: { app: `app-${i % 50}` } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/e2e-test-images/agnhost:2.39' }], nodeName: `node-${i % 10}` } };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

const dir = mkdtempSync(join(tmpdir(), 'podlab-bench-'));
try {
  // 1. Writes: 10,000 pods into a memory store and into a SQLite file.
  const mem = new ControlPlane({ seed: 1 });
  mem.bootstrap();
  const file = new ControlPlane({ seed: 1, path: join(dir, 'state.db') });
  file.bootstrap();
  const [, memMs] = await timed(() => { for (let i = 0; i < PODS; i++) mem.registry.create(pods, 'default', pod(i)); });
  const [, fileMs] = await timed(() => { for (let i = 0; i < PODS; i++) file.registry.create(pods, 'default', pod(i)); });
  console.log(`k8s: create ${PODS} pods: ${(PODS / (fileMs / 1000)).toFixed(0)} objects/s to SQLite file, ${(PODS / (memMs / 1000)).toFixed(0)} objects/s in memory (file/memory time ratio ${(fileMs / memMs).toFixed(2)})`);

  // 2. List them as a Table: in process, and over HTTPS as kubectl does.
  const certs = await makeClusterCerts();
  const server = await startApiServer(file, { token: 'bench', certs });
  try {
    const local = new KubeClient(inProcessTransport(createApiHandler(file)));
    const remote = new KubeClient(httpsTransport({ server: server.url, caPem: certs.caPem, token: 'bench' }));
    await local.table(pods, 'default');
    const [t1, inMs] = await timed(() => local.table(pods, 'default', undefined, { limit: PODS + 1 }));
    const [t2, httpsMs] = await timed(() => remote.table(pods, 'default', undefined, { limit: PODS + 1 }));
    console.log(`k8s: list ${(t2 as Table).rows.length} pods as a Table: ${httpsMs.toFixed(0)} ms over HTTPS, ${inMs.toFixed(0)} ms in process (${(t1 as Table).rows.length} rows; HTTPS/in-process ${(httpsMs / inMs).toFixed(2)})`);

    // 3. Apply a 1,000-object manifest (half ConfigMaps, half Services) through the API.
    const objs: [typeof cms, KObject][] = [];
    for (let i = 0; i < APPLY; i++) {
      objs.push(i % 2 ? [cms, { metadata: { name: `cm-${i}` }, data: { k: String(i) } }] : [svcs, { metadata: { name: `svc-${i}` }, spec: { selector: { app: `app-${i % 50}` }, ports: [{ port: 80, targetPort: 8080 }] } }]);
    }
    const [, applyRemote] = await timed(async () => { for (const [r, o] of objs) await remote.create(r, 'default', o, { fieldManager: 'kubectl-client-side-apply' }); });
    for (const [r, o] of objs) file.registry.delete(r, 'default', o.metadata.name!);
    const [, applyLocal] = await timed(async () => { for (const [r, o] of objs) await local.create(r, 'default', o, { fieldManager: 'kubectl-client-side-apply' }); });
    console.log(`k8s: apply ${APPLY} objects: ${applyRemote.toFixed(0)} ms over HTTPS (${(APPLY / (applyRemote / 1000)).toFixed(0)}/s), ${applyLocal.toFixed(0)} ms in process (HTTPS/in-process ${(applyRemote / applyLocal).toFixed(2)})`);

    // 4. Watch throughput: a watch over HTTPS receiving N ConfigMap events.
    const N = APPLY;
    const ac = new AbortController();
    let got = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const start = file.store.resourceVersion();
    const watching = remote.watch(cms, 'default', { resourceVersion: String(start) }, () => {
      if (++got === N) resolveDone();
    }, ac.signal).catch(() => undefined);
    const [, watchMs] = await timed(async () => {
      for (let i = 0; i < N; i++) file.registry.create(cms, 'default', { metadata: { name: `w-${i}` } });
      await done;
    });
    ac.abort();
    await watching;
    const [, writeOnly] = await timed(() => { for (let i = 0; i < N; i++) file.registry.create(cms, 'default', { metadata: { name: `x-${i}` } }); });
    console.log(`k8s: watch ${N} events over HTTPS: ${(N / (watchMs / 1000)).toFixed(0)} events/s end to end, writes alone ${(N / (writeOnly / 1000)).toFixed(0)}/s (watched/unwatched time ratio ${(watchMs / writeOnly).toFixed(2)})`);
  } finally {
    await server.close();
    mem.close();
    file.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
