/**
 * An informer, as client-go's: lists a collection, then watches it from the list's
 * resourceVersion, keeps a cache by namespace/name and tells its handlers of every add, update
 * and delete. A watch that ends (server timeout, 410 Expired) is resumed with a fresh list, and
 * the differences are delivered as events, so the cache never misses a change. The node agents
 * (kubelet, kube-proxy, kindnet, the cluster DNS) see the API through it.
 */
import type { KObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { KubeClient, ListOptions } from './client.ts';

export interface InformerHandlers {
  add?(obj: KObject): void;
  update?(old: KObject, obj: KObject): void;
  delete?(obj: KObject): void;
}

export const keyOf = (o: KObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

export class Informer {
  readonly cache = new Map<string, KObject>();
  private handlers: InformerHandlers[] = [];
  private readonly abort = new AbortController();
  private syncedResolve!: () => void;
  /** Settles once the first list has been delivered to the handlers. */
  readonly synced = new Promise<void>((resolve) => (this.syncedResolve = resolve));
  /** Why the informer stopped, if it failed for good. */
  error?: Error;

  constructor(
    private readonly client: KubeClient,
    private readonly resource: ResourceInfo,
    private readonly opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ) {}

  on(h: InformerHandlers): this {
    this.handlers.push(h);
    return this;
  }

  list(): KObject[] {
    return [...this.cache.values()];
  }

  get(key: string): KObject | undefined {
    return this.cache.get(key);
  }

  /** Starts listing and watching; resolves when the first list is delivered. */
  start(): Promise<void> {
    void this.run();
    return this.synced;
  }

  stop(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const select: ListOptions = { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
    while (!this.abort.signal.aborted) {
      let rv: string | undefined;
      try {
        const list = await this.client.list(this.resource, this.opts.namespace, select);
        rv = list.metadata.resourceVersion;
        this.replace(list.items);
        this.syncedResolve();
        await this.client.watch(this.resource, this.opts.namespace, { ...select, resourceVersion: rv }, (e) => this.event(e.type, e.object as KObject), this.abort.signal);
      } catch (e) {
        if (this.abort.signal.aborted) return;
        // A control plane that is gone (closed) ends the informer; anything else relists.
        this.error = e as Error;
        if (/closed|ECONNREFUSED/.test(this.error.message)) return;
      }
    }
  }

  /** A fresh list: what is new is added, what changed updated, what is gone deleted. */
  private replace(items: KObject[]): void {
    const seen = new Set<string>();
    for (const o of items) {
      const k = keyOf(o);
      seen.add(k);
      this.put(o);
    }
    for (const [k, old] of [...this.cache]) {
      if (seen.has(k)) continue;
      this.cache.delete(k);
      for (const h of this.handlers) h.delete?.(old);
    }
  }

  private put(o: KObject): void {
    const k = keyOf(o);
    const old = this.cache.get(k);
    if (old && old.metadata.resourceVersion === o.metadata.resourceVersion) return;
    this.cache.set(k, o);
    for (const h of this.handlers) {
      if (old) h.update?.(old, o);
      else h.add?.(o);
    }
  }

  private event(type: string, o: KObject): void {
    if (type === 'ADDED' || type === 'MODIFIED') this.put(o);
    else if (type === 'DELETED') {
      const k = keyOf(o);
      const old = this.cache.get(k);
      this.cache.delete(k);
      if (old) for (const h of this.handlers) h.delete?.(o);
    }
  }
}
