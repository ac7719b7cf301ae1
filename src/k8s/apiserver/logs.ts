/**
 * `GET …/pods/NAME/log`: picks the container as the API server does (the only one, or the
 * one named; otherwise 400 with the choices), then streams the runtime's text as text/plain,
 * kept open while `follow=true`.
 */
import { badRequest, StatusError } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import type { Registry } from '../registry/registry.ts';
import { resourceByPlural } from '../api/resources.ts';
import { parseLogQuery } from './streams/index.ts';
import type { ApiResponse } from './respond.ts';
import type { LogOptions, PodRuntime } from './runtime.ts';

interface ContainerLike { name: string }

function names(list: unknown): string[] {
  return Array.isArray(list) ? (list as ContainerLike[]).map((c) => c.name) : [];
}

/** The container a log or exec request means (upstream's podutil container defaulting on the server side). */
export function pickContainer(pod: KObject, requested: string): string {
  const spec = (pod.spec ?? {}) as { containers?: unknown; initContainers?: unknown; ephemeralContainers?: unknown };
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  const name = pod.metadata.name ?? '';
  if (!requested) {
    if (containers.length === 1) return containers[0];
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...init, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

export async function serveLogs(registry: Registry, runtime: PodRuntime | undefined, namespace: string, name: string, query: URLSearchParams, signal: AbortSignal | undefined): Promise<ApiResponse> {
  const pod = registry.get(resourceByPlural('', 'pods')!, namespace, name);
  const q = parseLogQuery(new URL(`http://x/?${query.toString()}`));
  const container = pickContainer(pod, q.container);
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!runtime || !nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const opts: LogOptions = { follow: q.follow };
  if (q.tailLines !== undefined) opts.tailLines = q.tailLines;
  if (q.timestamps) opts.timestamps = true;
  if (q.sinceSeconds !== undefined) opts.sinceSeconds = q.sinceSeconds;
  if (q.previous) opts.previous = true;
  const own = new AbortController();
  signal?.addEventListener('abort', () => own.abort(), { once: true });
  const source = runtime.logs(namespace, name, container, opts, own.signal);
  const it = source[Symbol.asyncIterator]();
  const fail = (e: unknown): never => {
    own.abort();
    if (e instanceof StatusError) throw e;
    throw badRequest(String((e as Error).message ?? e));
  };
  const headers = { 'content-type': 'text/plain' };
  if (!q.follow) {
    let text = '';
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) text += r.value;
    } catch (e) {
      fail(e);
    }
    return { status: 200, headers, body: text };
  }
  // A container that cannot be read (not started, no previous instance) fails before its first
  // line, normally without waiting on anything: give the runtime one turn of the event loop to
  // say so, so that the client gets the error status rather than an empty 200.
  const firstRead = it.next().then((r) => ({ r }), (e: unknown) => ({ e }));
  const early = await Promise.race([firstRead, new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
  if (early && 'e' in early) fail(early.e);
  return {
    status: 200,
    headers,
    stream: async (write, abort) => {
      abort.addEventListener('abort', () => own.abort(), { once: true });
      const gone = new Promise<{ r: IteratorResult<string> }>((resolve) => {
        const done = (): void => resolve({ r: { done: true, value: undefined } });
        if (abort.aborted) done();
        abort.addEventListener('abort', done, { once: true });
      });
      try {
        let next: { r?: IteratorResult<string>; e?: unknown } = await Promise.race([firstRead, gone]);
        while (next.r && !next.r.done) {
          write(next.r.value);
          next = await Promise.race([it.next().then((r) => ({ r }), (e: unknown) => ({ e })), gone]);
        }
      } finally {
        own.abort();
        void it.return?.()?.catch(() => undefined);
      }
    },
  };
}
