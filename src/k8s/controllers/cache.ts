/**
 * The controllers' shared read cache (an informer's indexer): the objects of the resources they
 * watch, kept current from the store's events, by namespace, by controlling owner and (pods) by
 * node. Reads cost no copy, so its objects are read-only: copy one before changing it (as
 * upstream's listers demand).
 */
import type { KObject } from '../api/object.ts';
import type { Store, StoreEvent } from '../store/store.ts';

/** The resources the controllers and the scheduler read through the cache. */
export const CACHED = ['pods', 'services', 'nodes', 'namespaces', 'replicasets.apps', 'deployments.apps', 'replicationcontrollers', 'endpointslices.discovery.k8s.io'];

type ByName = Map<string, KObject>;

function selectorPairs(svc: KObject): string[] {
  const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`);
}

export class ObjectCache {
  private readonly store: Store;
  /** The resourceVersion of the last event applied. */
  private rv: number;
  private readonly data = new Map<string, Map<string, ByName>>();
  /** resource → controller uid → `ns/name`. */
  private readonly owned = new Map<string, Map<string, Set<string>>>();
  /** resource → namespace → names of the objects without a controller (candidates for adoption). */
  private readonly orphans = new Map<string, Map<string, Set<string>>>();
  /** node name → `ns/name` of the pods bound to it. */
  private readonly onNode = new Map<string, Set<string>>();
  /** namespace → `key=value` → names of the Services whose selector has that pair. */
  private readonly bySelector = new Map<string, Map<string, Set<string>>>();

  constructor(store: Store, resources: readonly string[] = CACHED) {
    this.store = store;
    this.rv = store.resourceVersion();
    for (const r of resources) this.data.set(r, new Map());
    this.relist();
  }

  private relist(): void {
    this.owned.clear();
    this.orphans.clear();
    this.onNode.clear();
    this.bySelector.clear();
    for (const [r, byNs] of this.data) {
      byNs.clear();
      for (const o of this.store.list(r)) this.put(r, o);
    }
    this.rv = this.store.resourceVersion();
  }

  /** Applies a committed event (once: events at or below the last applied version are ignored). */
  apply(e: StoreEvent): void {
    if (e.rv <= this.rv) return;
    this.rv = e.rv;
    if (!this.data.has(e.resource)) return;
    if (e.old) this.remove(e.resource, e.old);
    if (e.type === 'DELETED') this.remove(e.resource, e.object);
    else this.put(e.resource, e.object);
  }

  /**
   * Catches up with writes whose events have not been delivered yet (when the manager runs
   * inside another watcher's callback, the store queues them behind it), from the store's
   * event log, so a reconcile never reads a state older than its own writes.
   */
  sync(): void {
    if (this.store.resourceVersion() <= this.rv) return;
    try {
      this.store.watch(this.rv, (e) => this.apply(e)).stop();
    } catch {
      // The log no longer reaches back that far: read everything again.
      this.relist();
    }
  }

  private put(r: string, o: KObject): void {
    const ns = o.metadata.namespace ?? '';
    const byNs = this.data.get(r)!;
    let m = byNs.get(ns);
    if (!m) byNs.set(ns, (m = new Map()));
    m.set(o.metadata.name!, o);
    const key = `${ns}/${o.metadata.name}`;
    const uid = o.metadata.ownerReferences?.find((x) => x.controller)?.uid;
    if (uid) {
      let byUid = this.owned.get(r);
      if (!byUid) this.owned.set(r, (byUid = new Map()));
      let s = byUid.get(uid);
      if (!s) byUid.set(uid, (s = new Set()));
      s.add(key);
    } else {
      let byNs2 = this.orphans.get(r);
      if (!byNs2) this.orphans.set(r, (byNs2 = new Map()));
      let s = byNs2.get(ns);
      if (!s) byNs2.set(ns, (s = new Set()));
      s.add(o.metadata.name!);
    }
    const node = r === 'pods' ? (o.spec as { nodeName?: string } | undefined)?.nodeName : undefined;
    if (node) {
      let s = this.onNode.get(node);
      if (!s) this.onNode.set(node, (s = new Set()));
      s.add(key);
    }
    if (r === 'services') {
      let idx = this.bySelector.get(ns);
      if (!idx) this.bySelector.set(ns, (idx = new Map()));
      for (const pair of selectorPairs(o)) {
        let s = idx.get(pair);
        if (!s) idx.set(pair, (s = new Set()));
        s.add(o.metadata.name!);
      }
    }
  }

  private remove(r: string, o: KObject): void {
    const ns = o.metadata.namespace ?? '';
    const m = this.data.get(r)!.get(ns);
    const cur = m?.get(o.metadata.name!);
    if (!cur) return;
    m!.delete(o.metadata.name!);
    const key = `${ns}/${o.metadata.name}`;
    const uid = cur.metadata.ownerReferences?.find((x) => x.controller)?.uid;
    if (uid) {
      const s = this.owned.get(r)?.get(uid);
      s?.delete(key);
      if (s && !s.size) this.owned.get(r)!.delete(uid);
    } else {
      this.orphans.get(r)?.get(ns)?.delete(o.metadata.name!);
    }
    const node = r === 'pods' ? (cur.spec as { nodeName?: string } | undefined)?.nodeName : undefined;
    if (node) {
      const s = this.onNode.get(node);
      s?.delete(key);
      if (s && !s.size) this.onNode.delete(node);
    }
    if (r === 'services') {
      const idx = this.bySelector.get(ns);
      for (const pair of selectorPairs(cur)) idx?.get(pair)?.delete(o.metadata.name!);
    }
  }

  /**
   * The Services of a namespace whose selector matches `labels` (a selector is a set of
   * key=value pairs, so only services sharing a pair with the labels are checked).
   */
  servicesSelecting(namespace: string | undefined, labels: Record<string, string> | undefined): KObject[] {
    const idx = this.bySelector.get(namespace ?? '');
    if (!idx || !labels) return [];
    const names = new Set<string>();
    for (const [k, v] of Object.entries(labels)) for (const n of idx.get(`${k}=${v}`) ?? []) names.add(n);
    const out: KObject[] = [];
    for (const n of names) {
      const s = this.get('services', namespace, n);
      const sel = (s?.spec as { selector?: Record<string, string> } | undefined)?.selector;
      if (s && sel && Object.entries(sel).every(([k, v]) => labels[k] === v)) out.push(s);
    }
    return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  get(r: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.data.get(r)?.get(namespace ?? '')?.get(name);
  }

  /** The objects of a resource, in one namespace or all, in the order they were first seen. */
  list(r: string, namespace?: string): KObject[] {
    const byNs = this.data.get(r);
    if (!byNs) throw new Error(`resource ${r} is not cached`);
    if (namespace !== undefined) return [...(byNs.get(namespace)?.values() ?? [])];
    const out: KObject[] = [];
    for (const m of byNs.values()) out.push(...m.values());
    return out;
  }

  /** The objects whose controller reference has this uid. */
  controlledBy(r: string, uid: string): KObject[] {
    const out: KObject[] = [];
    for (const key of this.owned.get(r)?.get(uid) ?? []) {
      const i = key.indexOf('/');
      const o = this.get(r, key.slice(0, i), key.slice(i + 1));
      if (o) out.push(o);
    }
    return out;
  }

  /** The objects of a namespace that have no controller. */
  uncontrolled(r: string, namespace: string | undefined): KObject[] {
    const out: KObject[] = [];
    for (const name of this.orphans.get(r)?.get(namespace ?? '') ?? []) {
      const o = this.get(r, namespace, name);
      if (o) out.push(o);
    }
    return out;
  }

  /** The pods bound to a node. */
  podsOn(node: string): KObject[] {
    const out: KObject[] = [];
    for (const key of this.onNode.get(node) ?? []) {
      const i = key.indexOf('/');
      const o = this.get('pods', key.slice(0, i), key.slice(i + 1));
      if (o) out.push(o);
    }
    return out;
  }
}
