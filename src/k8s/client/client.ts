/**
 * A small Kubernetes API client: what `podlab kubectl`, the controllers of a remote cluster and
 * the tests use to talk to an API server, over HTTPS (a kubeconfig's server, CA and token) or
 * in process (a handler function, no sockets). It speaks the same requests kubectl does, so
 * podlab's own kubectl sees exactly what the real one sees.
 */
import { request as httpsRequest } from 'node:https';
import { StatusError, type Status } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';

export interface TransportRequest {
  method: string;
  /** Path with the query string: `/api/v1/namespaces/default/pods?limit=500`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /** A streamed response (watch, follow logs): calls `onChunk` per chunk until the server ends it or `signal` aborts. */
  stream(req: TransportRequest, onChunk: (chunk: Buffer) => void, signal?: AbortSignal): Promise<TransportResponse>;
}

export interface HttpsTarget {
  server: string;
  caPem?: string;
  token?: string;
  insecure?: boolean;
}

/** A transport to an API server over HTTPS, as a kubeconfig describes it. */
export function httpsTransport(t: HttpsTarget): Transport {
  const base = new URL(t.server);
  const send = (req: TransportRequest, onChunk?: (c: Buffer) => void, signal?: AbortSignal): Promise<TransportResponse> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
      const r = httpsRequest({
        host: base.hostname, port: base.port || 443, method: req.method, path: req.path,
        headers: { ...(t.token ? { Authorization: `Bearer ${t.token}` } : {}), ...(body ? { 'Content-Length': String(body.length) } : {}), ...req.headers },
        ...(t.caPem ? { ca: t.caPem } : {}), rejectUnauthorized: !t.insecure, signal,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => (onChunk && res.statusCode === 200 ? onChunk(c) : chunks.push(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      r.on('error', (e) => (signal?.aborted ? resolve({ status: 200, headers: {}, body: Buffer.alloc(0) }) : reject(e)));
      r.end(body);
    });
  return { request: (req) => send(req), stream: (req, onChunk, signal) => send(req, onChunk, signal) };
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** A Table (meta.k8s.io/v1) as the API server returns it for `kubectl get`. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: { name: string; type: string; format?: string; description?: string; priority?: number }[];
  rows: { cells: unknown[]; object?: KObject; conditions?: { type: string; status: string }[] }[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  resourceVersion?: string;
}

/** The URL path of a resource collection or object. */
export function resourcePath(r: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  let p = r.namespaced && namespace ? `${root}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${root}/${r.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

function query(o: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Typed calls over a transport; every non-2xx reply is thrown as the server's StatusError. */
export class KubeClient {
  readonly transport: Transport;
  constructor(transport: Transport) {
    this.transport = transport;
  }

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.transport.request({
      method, path,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });
    return decode<T>(res);
  }

  get(r: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    return this.call('GET', resourcePath(r, namespace, name));
  }

  list(r: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): Promise<{ items: KObject[]; metadata: { resourceVersion?: string } }> {
    return this.call('GET', resourcePath(r, namespace) + query({ ...opts }));
  }

  /** `kubectl get`'s request: a server-side Table (with the full objects when `includeObject`). */
  table(r: ResourceInfo, namespace: string | undefined, name?: string, opts: ListOptions & { includeObject?: 'Object' | 'Metadata' } = {}): Promise<Table> {
    const q = name === undefined ? query({ ...opts, limit: opts.limit ?? 500 }) : query({ includeObject: opts.includeObject });
    return this.call('GET', resourcePath(r, namespace, name) + q, undefined, { Accept: TABLE_ACCEPT });
  }

  create(r: ResourceInfo, namespace: string | undefined, obj: KObject, q: Record<string, string> = {}): Promise<KObject> {
    return this.call('POST', resourcePath(r, namespace) + query(q), { apiVersion: apiVersionOf(r), kind: r.kind, ...obj });
  }

  update(r: ResourceInfo, namespace: string | undefined, obj: KObject, q: Record<string, string> = {}): Promise<KObject> {
    return this.call('PUT', resourcePath(r, namespace, obj.metadata.name) + query(q), obj);
  }

  /** PATCH with `type`: `application/strategic-merge-patch+json`, `application/merge-patch+json`, `application/json-patch+json`, `application/apply-patch+yaml`. */
  patch(r: ResourceInfo, namespace: string | undefined, name: string, type: string, body: unknown, q: Record<string, string> = {}, subresource?: string): Promise<KObject> {
    return this.call('PATCH', resourcePath(r, namespace, name, subresource) + query(q), typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': type });
  }

  delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number; dryRun?: boolean } = {}): Promise<KObject | Status> {
    const body: Record<string, unknown> = { propagationPolicy: opts.propagationPolicy ?? 'Background' };
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    return this.call('DELETE', resourcePath(r, namespace, name) + query({ dryRun: opts.dryRun ? 'All' : undefined }), body);
  }

  /** Watches a collection; calls `onEvent` per event until `signal` aborts or the server ends the watch. */
  async watch(r: ResourceInfo, namespace: string | undefined, opts: ListOptions & { table?: boolean }, onEvent: (e: { type: string; object: KObject | Table }) => void, signal?: AbortSignal): Promise<void> {
    let buf = '';
    const res = await this.transport.stream({
      method: 'GET',
      path: resourcePath(r, namespace) + query({ watch: 'true', labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion }),
      headers: { Accept: opts.table ? TABLE_ACCEPT : 'application/json' },
    }, (chunk) => {
      buf += chunk.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) onEvent(JSON.parse(line) as { type: string; object: KObject });
      }
    }, signal);
    if (res.status >= 300) decode(res);
  }
}

/** The object of a 2xx reply, or the StatusError of any other. */
export function decode<T>(res: TransportResponse): T {
  const text = res.body.toString('utf8');
  if (res.status >= 200 && res.status < 300) return (text ? JSON.parse(text) : {}) as T;
  let st: Partial<Status> | undefined;
  try {
    st = JSON.parse(text) as Partial<Status>;
  } catch {
    st = undefined;
  }
  if (st && st.kind === 'Status') throw new StatusError(st.code ?? res.status, st.reason ?? 'InternalError', st.message ?? '', st.details);
  throw new StatusError(res.status, res.status === 404 ? 'NotFound' : 'InternalError', text.trim() || `the server responded with status ${res.status}`);
}

