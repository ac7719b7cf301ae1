/**
 * Differential-test plumbing: a stub API server over canned objects that the real kubectl and
 * podlab's client both talk to, and podlab's side of `kubectl get` built from print/.
 */
import type { KObject } from '../../../../k8s/api/object.ts';
import { resolveResourceName, type ResourceInfo } from '../../../../k8s/api/resources.ts';
import { KubeClient, httpsTransport } from '../../../../k8s/client/client.ts';
import { startStubServer, testCerts, type StubServer } from '../../../../../test/support/kubectl.ts';
import { printNames, printTables, type GetPrintOptions, type PrintResult } from '../get.ts';
import { printObjects } from '../objects.ts';
import { fakeApi } from './fake-api.ts';

export interface Harness {
  stub: StubServer;
  client: KubeClient;
  close(): Promise<void>;
}

/** Starts a stub server answering from `objects`, with Tables computed at `now`. */
export async function harness(objects: KObject[], now: number, minor = 32, raw?: Record<string, unknown>): Promise<Harness> {
  const stub = await startStubServer(fakeApi(objects, { now, raw }), { minor });
  const certs = await testCerts();
  const client = new KubeClient(httpsTransport({ server: stub.url, caPem: certs.caPem, token: 'podlab-test-token' }));
  return { stub, client, close: () => stub.close() };
}

export function resource(name: string): ResourceInfo {
  const r = resolveResourceName(name);
  if (!r) throw new Error(`unknown resource ${name}`);
  return r;
}

export interface GetRequest {
  /** `pods`, `svc`, `deploy`... */
  type: string;
  names?: string[];
}

/** podlab's `kubectl get` text for the requests, fetched as kubectl fetches (one Table per list or name). */
export async function ourGet(client: KubeClient, requests: GetRequest[], opts: GetPrintOptions): Promise<PrintResult> {
  const results = [];
  for (const req of requests) {
    const r = resource(req.type);
    const ns = opts.allNamespaces ? undefined : opts.namespace;
    if (req.names?.length) for (const n of req.names) results.push({ resource: r, table: await client.table(r, ns, n) });
    else results.push({ resource: r, table: await client.table(r, ns) });
  }
  return printTables(results, opts);
}

/** podlab's `-o yaml|json|name` text: lists (or named objects) fetched as plain JSON. */
export async function ourGetObjects(client: KubeClient, requests: GetRequest[], format: 'yaml' | 'json' | 'name', opts: { namespace: string; allNamespaces?: boolean }): Promise<string> {
  const results = [];
  for (const req of requests) {
    const r = resource(req.type);
    const ns = opts.allNamespaces ? undefined : opts.namespace;
    if (req.names?.length) results.push({ resource: r, objects: await Promise.all(req.names.map((n) => client.get(r, ns, n))) });
    else results.push({ resource: r, objects: (await client.list(r, ns)).items });
  }
  if (format === 'name') return printNames(results);
  const single = requests.length === 1 && requests[0].names?.length === 1;
  return printObjects(format, results, { singleItemImplied: single });
}
