/**
 * A read-only API server over canned objects, for differential tests against the real kubectl:
 * lists (with label and field selectors), gets, Tables built by podlab's own printers, and the
 * NotFound Status of a missing object.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject } from '../../../../k8s/api/object.ts';
import { apiVersionOf, qualified, resourceByPlural, type ResourceInfo } from '../../../../k8s/api/resources.ts';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../../../k8s/api/selectors.ts';
import { tableFor } from '../../../../k8s/printers/table.ts';
import { json, type StubHandler } from '../../../../../test/support/kubectl.ts';

export interface FakeApiOptions {
  /** The clock the Tables' AGE cells are computed at. */
  now: number;
  /** The resourceVersion lists report. */
  resourceVersion?: string;
  /** Answers for paths outside podlab's resource table (e.g. resourcequotas), by path without the query. */
  raw?: Record<string, unknown>;
}

/** Which resource an object belongs to, from its apiVersion and kind. */
function resourceOf(obj: KObject): string {
  return `${obj.apiVersion}/${obj.kind}`;
}

interface Route {
  resource: ResourceInfo;
  namespace?: string;
  name?: string;
}

/** `/api/v1/namespaces/ns/pods/name` → pods in ns named name; undefined for paths it does not serve. */
function route(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = resourceByPlural(group, rest[0]);
  if (!resource || rest.length > 2) return undefined;
  return { resource, namespace, name: rest[1] };
}

function notFound(res: ServerResponse, r: ResourceInfo, name: string): void {
  json(res, 404, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${qualified(r)} "${name}" not found`,
    reason: 'NotFound', details: { name, group: r.group || undefined, kind: r.plural }, code: 404,
  });
}

/** A handler for startStubServer answering reads of `objects` (each must carry apiVersion and kind). */
export function fakeApi(objects: KObject[], opts: FakeApiOptions): StubHandler {
  const rv = opts.resourceVersion ?? '1000';
  return (req: IncomingMessage, _body: Buffer, res: ServerResponse) => {
    if (req.method !== 'GET') return false;
    const url = new URL(req.url ?? '/', 'https://fake');
    if (opts.raw && url.pathname in opts.raw) return json(res, 200, opts.raw[url.pathname]);
    const r = route(url.pathname);
    if (!r) return false;
    const key = `${apiVersionOf(r.resource)}/${r.resource.kind}`;
    const wantsTable = (req.headers.accept ?? '').includes('as=Table');
    const includeObject = (url.searchParams.get('includeObject') ?? undefined) as 'None' | 'Metadata' | 'Object' | undefined;
    let items = objects.filter((o) => resourceOf(o) === key && (!r.namespace || !r.resource.namespaced || o.metadata.namespace === r.namespace));
    if (r.name !== undefined) {
      const obj = items.find((o) => o.metadata.name === r.name);
      if (!obj) return notFound(res, r.resource, r.name);
      if (wantsTable) return json(res, 200, tableFor(r.resource, [obj], { now: opts.now, includeObject, resourceVersion: obj.metadata.resourceVersion }));
      return json(res, 200, obj);
    }
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
    items = items.filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
    if (wantsTable) return json(res, 200, tableFor(r.resource, items, { now: opts.now, includeObject, resourceVersion: rv }));
    // A real server's list items carry neither apiVersion nor kind.
    const bare = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    return json(res, 200, { kind: r.resource.listKind, apiVersion: apiVersionOf(r.resource), metadata: { resourceVersion: rv }, items: bare });
  };
}
