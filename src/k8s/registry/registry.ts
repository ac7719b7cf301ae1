/**
 * The API's REST semantics over the store, the same for every resource (upstream's generic
 * registry): create with generateName, uid, timestamps, defaulting, validation and allocation;
 * get and list with selectors; update with optimistic concurrency and status-subresource rules;
 * patch; delete with finalizers, graceful pods and owner-reference propagation; watch with
 * resume; the scale subresource. Each request runs in one store transaction, so a failed
 * request changes nothing, and `dryRun` runs every step and then rolls back.
 */
import { isDeepStrictEqual } from 'node:util';
import { alreadyExists, badRequest, conflict, invalid, notFound, StatusError, type FieldError } from '../api/errors.ts';
import { clone, rfc3339, type KObject } from '../api/object.ts';
import { apiVersionOf, qualified, resourceByKind, resourceByPlural, type ResourceInfo } from '../api/resources.ts';
import { checkFieldSelector, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../api/selectors.ts';
import type { Store, StoreEvent, Watcher } from '../store/store.ts';
import type { Rng } from '../../kernel/rng.ts';
import type { ClusterApiConfig, Strategy, StrategyContext } from './strategy.ts';

export type PatchType = 'application/json-patch+json' | 'application/merge-patch+json' | 'application/strategic-merge-patch+json' | 'application/apply-patch+yaml';

/** Computes the patched object; supplied by the patch module (kept out of the generic flow). */
export interface Patcher {
  patch(type: PatchType, current: KObject | undefined, body: string, opts: { resource: ResourceInfo; manager: string; force: boolean; now: string }): KObject;
  /** Keeps metadata.managedFields for a non-apply write (optional). */
  recordUpdate?(old: KObject | undefined, updated: KObject, opts: { resource: ResourceInfo; manager: string; operation: 'Update' | 'Apply'; now: string; subresource?: string }): void;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Set by server-side apply, which keeps managedFields itself. */
  applied?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchOptions extends ListOptions {
  /** '' or '0': start with the current objects as ADDED; a number: every event after it. */
  resourceVersion?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KObject;
}

export interface RegistryOptions {
  store: Store;
  rng: Rng;
  now: () => number;
  config: ClusterApiConfig;
  strategies: ReadonlyMap<string, Strategy>;
  patcher?: Patcher;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Thrown inside a dry-run transaction to roll it back with its result. */
class DryRun {
  constructor(readonly result: unknown) {}
}

export class Registry {
  readonly store: Store;
  private rng: Rng;
  private clock: () => number;
  readonly config: ClusterApiConfig;
  private strategies: ReadonlyMap<string, Strategy>;
  private patcher: Patcher | undefined;

  constructor(o: RegistryOptions) {
    this.store = o.store;
    this.rng = o.rng;
    this.clock = o.now;
    this.config = o.config;
    this.strategies = o.strategies;
    this.patcher = o.patcher;
  }

  now(): number {
    return this.clock();
  }

  /** A name suffix as the API server makes for generateName (and controllers for pod names): 5 of `bcdfghjklmnpqrstvwxz2456789`. */
  randomSuffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += NAME_CHARS[this.rng.int(NAME_CHARS.length)];
    return s;
  }

  uuid(): string {
    return this.rng.uuid();
  }

  private strategy(r: ResourceInfo): Strategy {
    return this.strategies.get(qualified(r)) ?? {};
  }

  private ctx(): StrategyContext {
    return { store: this.store, rng: this.rng, now: this.clock(), config: this.config };
  }

  private txn<T>(dryRun: boolean | undefined, fn: () => T): T {
    if (!dryRun) {
      return this.store.txn(() => {
        const r = fn();
        // The generator's state is kept with the objects, so a restarted cluster goes on with
        // fresh names and uids instead of replaying the ones it already handed out.
        this.store.setMeta('rng', JSON.stringify(this.rng.state()));
        return r;
      });
    }
    try {
      this.store.txn(() => {
        throw new DryRun(fn());
      });
    } catch (e) {
      if (e instanceof DryRun) return this.committedVersion(e.result) as T;
      throw e;
    }
    throw new Error('unreachable');
  }

  /**
   * A dry run's answer carries the resourceVersion of what is stored (none for an object that
   * does not exist), not the one its rolled-back write took, so `kubectl diff` shows no change
   * of resourceVersion, as against the real server.
   */
  private committedVersion(result: unknown): unknown {
    const objs = [result, (result as { object?: unknown } | undefined)?.object];
    for (const o of objs) {
      const k = o as KObject | undefined;
      if (!k || typeof k !== 'object' || !k.metadata?.name || !k.kind) continue;
      const r = resourceForObject(k);
      if (!r) continue;
      const cur = this.store.get(qualified(r), k.metadata.namespace, k.metadata.name);
      if (cur?.metadata.resourceVersion) k.metadata.resourceVersion = cur.metadata.resourceVersion;
      else delete k.metadata.resourceVersion;
    }
    return result;
  }

  // ---- reads ------------------------------------------------------------------------------

  get(r: ResourceInfo, namespace: string | undefined, name: string): KObject {
    const o = this.store.get(qualified(r), r.namespaced ? namespace : undefined, name);
    if (!o) throw notFound(qualified(r), name);
    return withType(r, o);
  }

  tryGet(r: ResourceInfo, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.store.get(qualified(r), r.namespaced ? namespace : undefined, name);
    return o && withType(r, o);
  }

  list(r: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): { items: KObject[]; resourceVersion: string } {
    const ls = parseLabelSelector(opts.labelSelector);
    const fs = parseFieldSelector(opts.fieldSelector);
    checkFieldSelector(qualified(r), fs);
    const items = this.store.list(qualified(r), r.namespaced ? namespace : undefined)
      .filter((o) => matchesLabels(ls, o.metadata.labels) && matchesFields(fs, o))
      .map((o) => withType(r, o));
    return { items, resourceVersion: String(this.store.resourceVersion()) };
  }

  // ---- create -----------------------------------------------------------------------------

  create(r: ResourceInfo, namespace: string | undefined, input: KObject, opts: WriteOptions = {}): KObject {
    const obj = clone(input);
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request was in an unknown format');
    obj.metadata ??= {};
    this.checkTypeMeta(r, obj);
    const ns = this.requestNamespace(r, namespace, obj);
    return this.txn(opts.dryRun, () => {
      if (ns !== undefined) this.checkNamespace(ns);
      const ctx = this.ctx();
      const m = obj.metadata;
      // names.SimpleNameGenerator: the base is cut to 58 characters so the name stays within 63.
      if (!m.name && m.generateName) m.name = `${m.generateName.slice(0, 58)}${this.randomSuffix()}`;
      if (!m.name) throw invalid(r.kind, r.group, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
      if (ns !== undefined) m.namespace = ns;
      else delete m.namespace;
      m.uid = this.rng.uuid();
      m.creationTimestamp = rfc3339(ctx.now);
      delete m.resourceVersion;
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
      delete m.selfLink;
      const s = this.strategy(r);
      if (s.generation !== false) m.generation = 1;
      else delete m.generation;
      s.prepareForCreate?.(obj, ctx);
      s.defaults?.(obj, ctx);
      this.validate(r, obj, s.validate?.(obj, ctx) ?? []);
      if (this.store.get(qualified(r), ns, m.name)) throw alreadyExists(qualified(r), m.name);
      s.allocate?.(obj, undefined, ctx);
      if (!opts.applied) this.patcher?.recordUpdate?.(undefined, obj, { resource: r, manager: opts.fieldManager ?? 'unknown', operation: 'Update', now: rfc3339(ctx.now) });
      return withType(r, this.store.create(qualified(r), obj));
    });
  }

  // ---- update -----------------------------------------------------------------------------

  /**
   * Replaces an object (PUT). `subresource` 'status' changes only status; the main resource
   * keeps the old status when the resource has a status subresource.
   */
  update(r: ResourceInfo, namespace: string | undefined, name: string, input: KObject, opts: WriteOptions & { subresource?: 'status' } = {}): KObject {
    const obj = clone(input);
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request was in an unknown format');
    obj.metadata ??= {};
    this.checkTypeMeta(r, obj);
    const ns = this.requestNamespace(r, namespace, obj);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    return this.txn(opts.dryRun, () => {
      const old = this.store.get(qualified(r), ns, name);
      if (!old) throw notFound(qualified(r), name);
      const rv = obj.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw conflict(qualified(r), name);
      return this.replace(r, old, obj, opts);
    });
  }

  /** The update flow after preconditions: carries over what the client may not change, defaults, validates, writes. */
  private replace(r: ResourceInfo, old: KObject, obj: KObject, opts: WriteOptions & { subresource?: 'status' }): KObject {
    const ctx = this.ctx();
    const s = this.strategy(r);
    const m = obj.metadata;
    const om = old.metadata;
    m.namespace = om.namespace;
    if (!m.namespace) delete m.namespace;
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    if (om.generateName && m.generateName === undefined) m.generateName = om.generateName;
    if (opts.subresource === 'status') {
      // A status write changes status only (and nothing of metadata but what the server keeps).
      const next = clone(old);
      if ('status' in obj) next.status = obj.status;
      else delete next.status;
      return this.finishUpdate(r, old, next, s, ctx, opts);
    }
    if (s.hasStatus) {
      if ('status' in old) obj.status = clone(old.status);
      else delete obj.status;
    }
    m.generation = om.generation;
    s.prepareForUpdate?.(obj, old, ctx);
    if (s.generation !== false && !isDeepStrictEqual(specOf(obj), specOf(old))) m.generation = (om.generation ?? 0) + 1;
    return this.finishUpdate(r, old, obj, s, ctx, opts);
  }

  private finishUpdate(r: ResourceInfo, old: KObject, obj: KObject, s: Strategy, ctx: StrategyContext, opts: WriteOptions & { subresource?: 'status' }): KObject {
    s.defaults?.(obj, ctx);
    this.validate(r, obj, s.validateUpdate?.(obj, old, ctx) ?? s.validate?.(obj, ctx) ?? []);
    s.allocate?.(obj, old, ctx);
    if (!opts.applied) this.patcher?.recordUpdate?.(old, obj, { resource: r, manager: opts.fieldManager ?? 'unknown', operation: 'Update', now: rfc3339(ctx.now), ...(opts.subresource ? { subresource: opts.subresource } : {}) });
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    // An update that changes nothing is not written (and keeps its resourceVersion), as etcd3's GuaranteedUpdate does.
    if (isDeepStrictEqual(stripVolatile(obj), stripVolatile(old))) return withType(r, old);
    // The last finalizer removed from an object being deleted: it goes now.
    // (upstream's ShouldDeleteDuringUpdate: no finalizers left and no grace period running; a
    // namespace also waits for its spec.finalizers, which the namespace controller clears.)
    const nsFinalizers = r.plural === 'namespaces' && !r.group ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).length && !nsFinalizers.length && (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
      s.release?.(old, ctx);
      return withType(r, this.store.delete(qualified(r), obj.metadata.namespace, obj.metadata.name!) ?? obj);
    }
    return withType(r, this.store.update(qualified(r), obj));
  }

  // ---- patch ------------------------------------------------------------------------------

  /** PATCH: computes the new object with the patch module, then runs the update flow; server-side apply creates when absent. */
  patch(r: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, body: string, opts: WriteOptions & { force?: boolean; subresource?: 'status' } = {}): { object: KObject; created: boolean } {
    if (!this.patcher) throw new StatusError(415, 'UnsupportedMediaType', `the server does not support patches`);
    const patcher = this.patcher;
    const ns = r.namespaced ? namespace : undefined;
    return this.txn(opts.dryRun, () => {
      const old = this.store.get(qualified(r), ns, name);
      if (!old && type !== 'application/apply-patch+yaml') throw notFound(qualified(r), name);
      const manager = opts.fieldManager ?? (type === 'application/apply-patch+yaml' ? '' : 'unknown');
      if (type === 'application/apply-patch+yaml' && !manager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
      const next = patcher.patch(type, old && withType(r, old), body, { resource: r, manager, force: !!opts.force, now: rfc3339(this.clock()) });
      next.metadata ??= {};
      if (next.metadata.name !== undefined && next.metadata.name !== name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
      next.metadata.name = name;
      if (!old) {
        return { object: this.create(r, ns, next, { fieldManager: manager, applied: true }), created: true };
      }
      const rv = next.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw conflict(qualified(r), name);
      this.checkTypeMeta(r, next);
      return { object: this.replace(r, old, next, { ...opts, fieldManager: manager, applied: type === 'application/apply-patch+yaml' }), created: false };
    });
  }

  // ---- delete -----------------------------------------------------------------------------

  /**
   * DELETE. Returns the object as it now is: with deletionTimestamp when finalizers or a grace
   * period keep it, or as it was when it is gone (`deleted: true`).
   */
  delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): { object: KObject; deleted: boolean } {
    const ns = r.namespaced ? namespace : undefined;
    return this.txn(opts.dryRun, () => {
      const old = this.store.get(qualified(r), ns, name);
      if (!old) throw notFound(qualified(r), name);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== old.metadata.uid) throw conflict(qualified(r), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
      if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) throw conflict(qualified(r), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
      const ctx = this.ctx();
      const s = this.strategy(r);
      const obj = clone(old);
      const m = obj.metadata;
      const finalizers = new Set(m.finalizers ?? []);
      const policy = opts.propagationPolicy;
      if (policy === 'Foreground' && hasDependentsPossible(r)) finalizers.add('foregroundDeletion');
      if (policy === 'Orphan') finalizers.add('orphan');
      if (r.plural === 'namespaces' && !r.group) {
        // Namespaces terminate: the namespace controller empties them, then removes the finalizer.
        const spec = ((obj.spec ??= {}) as { finalizers?: string[] });
        spec.finalizers = ['kubernetes'];
        obj.status = { ...(obj.status as object | undefined), phase: 'Terminating' };
        m.deletionTimestamp ??= rfc3339(ctx.now);
        m.deletionGracePeriodSeconds = 0;
        return { object: withType(r, this.store.update(qualified(r), obj)), deleted: false };
      }
      const grace = s.gracePeriod?.(old, opts.gracePeriodSeconds);
      if (finalizers.size || (grace !== undefined && grace > 0)) {
        m.finalizers = [...finalizers];
        if (!m.finalizers.length) delete m.finalizers;
        if (!m.deletionTimestamp) {
          m.deletionTimestamp = rfc3339(ctx.now + (grace ?? 0) * 1000);
          m.deletionGracePeriodSeconds = grace ?? 0;
        }
        if (isDeepStrictEqual(obj, old)) return { object: withType(r, old), deleted: false };
        return { object: withType(r, this.store.update(qualified(r), obj)), deleted: false };
      }
      s.release?.(old, ctx);
      const gone = this.store.delete(qualified(r), ns, name)!;
      return { object: withType(r, gone), deleted: true };
    });
  }

  /** Removes an object now, whatever its finalizers (what the kubelet does after a pod's containers stopped, and the GC for dependents). */
  forceDelete(r: ResourceInfo, namespace: string | undefined, name: string): void {
    this.store.txn(() => {
      const old = this.store.get(qualified(r), r.namespaced ? namespace : undefined, name);
      if (!old) return;
      this.strategy(r).release?.(old, this.ctx());
      this.store.delete(qualified(r), old.metadata.namespace, name);
    });
  }

  deleteCollection(r: ResourceInfo, namespace: string | undefined, opts: DeleteOptions & ListOptions = {}): KObject[] {
    return this.txn(opts.dryRun, () => this.list(r, namespace, opts).items.map((o) => this.delete(r, namespace, o.metadata.name!, { ...opts, dryRun: false }).object));
  }

  // ---- watch ------------------------------------------------------------------------------

  /**
   * Watches a collection. Events for objects entering or leaving the selection become ADDED and
   * DELETED, as the API server's watch filter makes them.
   */
  watch(r: ResourceInfo, namespace: string | undefined, opts: WatchOptions, fn: (e: WatchEvent) => void): Watcher {
    const ls = parseLabelSelector(opts.labelSelector);
    const fs = parseFieldSelector(opts.fieldSelector);
    checkFieldSelector(qualified(r), fs);
    const res = qualified(r);
    const ns = r.namespaced ? namespace : undefined;
    const match = (o: KObject | undefined): boolean => !!o && (!ns || o.metadata.namespace === ns) && matchesLabels(ls, o.metadata.labels) && matchesFields(fs, o);
    const rvText = opts.resourceVersion ?? '';
    let from: number;
    if (rvText === '' || rvText === '0') {
      from = this.store.resourceVersion();
      for (const o of this.list(r, namespace, opts).items) fn({ type: 'ADDED', object: o });
    } else {
      from = Number(rvText);
      if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rvText}`);
    }
    return this.store.watch(from, (e: StoreEvent) => {
      if (e.resource !== res) return;
      const now = e.type === 'DELETED' ? false : match(e.object);
      const before = e.type === 'ADDED' ? false : match(e.old ?? e.object);
      if (e.type === 'DELETED') {
        if (match(e.object)) fn({ type: 'DELETED', object: withType(r, e.object) });
      } else if (now && before) fn({ type: 'MODIFIED', object: withType(r, e.object) });
      else if (now) fn({ type: 'ADDED', object: withType(r, e.object) });
      else if (before) fn({ type: 'DELETED', object: withType(r, e.object) });
    });
  }

  // ---- scale subresource ------------------------------------------------------------------

  getScale(r: ResourceInfo, namespace: string | undefined, name: string): KObject {
    return scaleOf(r, this.get(r, namespace, name));
  }

  /** Sets spec.replicas from a Scale (PUT or PATCH of …/scale). */
  updateScale(r: ResourceInfo, namespace: string | undefined, name: string, scale: KObject, opts: WriteOptions = {}): KObject {
    return this.txn(opts.dryRun, () => {
      const obj = this.get(r, namespace, name);
      const rv = scale.metadata?.resourceVersion;
      if (rv && rv !== obj.metadata.resourceVersion) throw conflict(qualified(r), name);
      const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
      if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
        throw invalid('Scale', 'autoscaling', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' }]);
      }
      const spec = ((obj.spec ??= {}) as { replicas?: number });
      spec.replicas = (replicas as number | undefined) ?? 0;
      return scaleOf(r, this.update(r, namespace, name, obj, opts));
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  private validate(r: ResourceInfo, obj: KObject, errs: FieldError[]): void {
    if (errs.length) throw invalid(r.kind, r.group, obj.metadata.name ?? '', errs);
  }

  private checkTypeMeta(r: ResourceInfo, obj: KObject): void {
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(r)) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(r)})`);
    }
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`);
    }
  }

  /** The namespace a write goes to: the URL's; a different one in the body is an error. */
  private requestNamespace(r: ResourceInfo, urlNs: string | undefined, obj: KObject): string | undefined {
    if (!r.namespaced) return undefined;
    const bodyNs = obj.metadata.namespace;
    if (bodyNs && urlNs && bodyNs !== urlNs) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    return urlNs || bodyNs || 'default';
  }

  private checkNamespace(ns: string): void {
    const nsObj = this.store.get('namespaces', undefined, ns);
    if (!nsObj) throw notFound('namespaces', ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw new StatusError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`, { name: ns, kind: 'namespaces' });
    }
  }
}

/** Objects in the store carry no apiVersion/kind; responses do. */
function withType(r: ResourceInfo, o: KObject): KObject {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return { apiVersion: apiVersionOf(r), kind: r.kind, ...rest } as KObject;
}

function resourceForObject(o: KObject): ResourceInfo | undefined {
  return o.apiVersion && o.kind ? resourceByKind(o.apiVersion, o.kind) : undefined;
}

function specOf(o: KObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

function stripVolatile(o: KObject): unknown {
  const c = clone(o);
  delete c.apiVersion;
  delete c.kind;
  delete c.metadata.managedFields;
  delete c.metadata.resourceVersion;
  return c;
}

function hasDependentsPossible(r: ResourceInfo): boolean {
  return !!resourceByPlural(r.group, r.plural);
}

function scaleOf(_r: ResourceInfo, o: KObject): KObject {
  const spec = (o.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (o.status ?? {}) as { replicas?: number };
  let selector = '';
  const sel = spec.selector as { matchLabels?: Record<string, string> } | Record<string, string> | undefined;
  if (sel) {
    const m = 'matchLabels' in sel || 'matchExpressions' in sel ? ((sel as { matchLabels?: Record<string, string> }).matchLabels ?? {}) : (sel as Record<string, string>);
    selector = Object.keys(m).sort().map((k) => `${k}=${m[k]}`).join(',');
  }
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}
