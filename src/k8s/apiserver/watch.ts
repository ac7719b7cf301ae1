/**
 * Watch responses: newline-delimited `{"type","object"}` events on a response whose headers go
 * out at once, honouring the list's selectors, `resourceVersion` (empty or 0: the current state
 * first, as ADDED), `timeoutSeconds`, bookmarks and `sendInitialEvents`. Objects are encoded as
 * the client asked: plain objects, one-row Tables (column definitions in the first event only,
 * as upstream), or PartialObjectMetadata. A resourceVersion too old for the event log is an
 * ERROR event carrying a 410 Expired Status, as from the real watch cache.
 */
import { StatusError } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import type { Registry, WatchEvent } from '../registry/registry.ts';
import { tableFor } from '../printers/index.ts';
import type { Representation } from './negotiate.ts';
import { warningHeader, type ApiResponse } from './respond.ts';

export interface WatchParams {
  resource: ResourceInfo;
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  includeObject?: 'None' | 'Metadata' | 'Object';
  representation: Representation;
  now: () => number;
  /** How often a bookmark goes out when the client allows them. */
  bookmarkIntervalMs: number;
  warnings: string[];
}

type Wire = { type: string; object: unknown };

/** The encoder of one event's object, stateful for Tables (headers only in the first event). */
function encoder(p: WatchParams): (o: KObject) => unknown {
  const rep = p.representation;
  if (rep.as === 'Table') {
    let first = true;
    return (o) => {
      const t = tableFor(p.resource, [o], { now: p.now(), includeObject: p.includeObject, resourceVersion: o.metadata.resourceVersion, noHeaders: !first });
      first = false;
      return { ...t, apiVersion: `meta.k8s.io/${rep.version}` };
    };
  }
  if (rep.as === 'PartialObjectMetadata') {
    return (o) => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata: o.metadata });
  }
  return (o) => o;
}

function bookmark(r: ResourceInfo, rv: string, initialEventsEnd = false): Wire {
  const metadata: Record<string, unknown> = { resourceVersion: rv, creationTimestamp: null };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { type: 'BOOKMARK', object: { kind: r.kind, apiVersion: apiVersionOf(r), metadata } };
}

/**
 * Starts the watch at once (a bad selector or version fails the request before any header is
 * sent) and returns the streaming response.
 */
export function serveWatch(registry: Registry, p: WatchParams): ApiResponse {
  const encode = encoder(p);
  // Events arrive synchronously from the store, possibly before the response streams; they
  // wait here until the writer is attached.
  const pending: Wire[] = [];
  let write: ((w: Wire) => void) | undefined;
  const emit = (w: Wire): void => (write ? write(w) : void pending.push(w));
  let lastRv = String(registry.store.resourceVersion());
  const onEvent = (e: WatchEvent): void => {
    lastRv = e.object.metadata.resourceVersion ?? lastRv;
    emit({ type: e.type, object: encode(e.object) });
  };
  const rv = p.sendInitialEvents ? '' : p.resourceVersion;
  let watcher: { stop(): void } | undefined;
  try {
    watcher = registry.watch(p.resource, p.namespace, { labelSelector: p.labelSelector, fieldSelector: p.fieldSelector, resourceVersion: rv }, onEvent);
  } catch (e) {
    if (!(e instanceof StatusError) || e.code !== 410) throw e;
    // Too old: the watch cache answers 200 and one ERROR event.
    emit({ type: 'ERROR', object: e.status() });
  }
  if (watcher && p.sendInitialEvents && p.allowWatchBookmarks) emit(bookmark(p.resource, lastRv, true));
  const headers: Record<string, string | string[]> = { 'content-type': p.representation.as === 'object' ? 'application/json' : `application/json;as=${p.representation.as};v=${p.representation.version};g=meta.k8s.io` };
  if (p.warnings.length) headers.warning = p.warnings.map(warningHeader);
  return {
    status: 200,
    headers,
    stream: (out, signal) => new Promise<void>((resolve) => {
      let timeout: NodeJS.Timeout | undefined;
      let tick: NodeJS.Timeout | undefined;
      const finish = (): void => {
        watcher?.stop();
        clearTimeout(timeout);
        clearTimeout(tick);
        resolve();
      };
      write = (w) => out(`${JSON.stringify(w)}\n`);
      for (const w of pending.splice(0)) write(w);
      if (!watcher || signal.aborted) return finish();
      signal.addEventListener('abort', finish, { once: true });
      if (p.timeoutSeconds !== undefined) timeout = setTimeout(finish, p.timeoutSeconds * 1000);
      if (p.allowWatchBookmarks) {
        const sendBookmark = (): void => {
          write!(bookmark(p.resource, String(registry.store.resourceVersion())));
          tick = setTimeout(sendBookmark, p.bookmarkIntervalMs);
        };
        tick = setTimeout(sendBookmark, p.bookmarkIntervalMs);
      }
    }),
  };
}
