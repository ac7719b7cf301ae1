/**
 * Deletes what lost its owners, as the garbage collector does: dependents of a deleted owner
 * (Background), dependents first and then the owner's foregroundDeletion finalizer
 * (Foreground), or the owner references removed and then the orphan finalizer (Orphan).
 * It keeps an index of owner uid → dependents built from the store's events.
 */
import type { KObject, OwnerReference } from '../api/object.ts';
import { qualified, resourceByKind, RESOURCES, type ResourceInfo } from '../api/resources.ts';
import type { StoreEvent } from '../store/store.ts';
import type { Controller, ControllerContext } from './controller.ts';
import { isStatusError, jsonEqual } from './util.ts';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

/** An object's identity in the queue and the index: `resource|namespace|name`. */
function itemKey(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}|${namespace ?? ''}|${name}`;
}

function parseItem(key: string): [string, string | undefined, string] {
  const [res, ns, name] = key.split('|');
  return [res, ns || undefined, name];
}

const byQualified = new Map(RESOURCES.map((r) => [qualified(r), r]));

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  private readonly ctx: ControllerContext;
  /** owner uid → keys of the objects that reference it. */
  private dependents = new Map<string, Set<string>>();
  /** object key → [its uid, the owner uids it references]. */
  private owners = new Map<string, { uid: string; refs: string[] }>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const r of RESOURCES) {
      const res = qualified(r);
      for (const o of this.ctx.registry.store.list(res)) {
        this.index(res, o);
        // Catch up on whatever was left unfinished when the cluster last stopped.
        if (o.metadata.ownerReferences?.length || this.deletingWithFinalizer(o)) this.ctx.queue.add(itemKey(res, o.metadata.namespace, o.metadata.name!));
      }
    }
  }

  observe(e: StoreEvent): void {
    if (!byQualified.has(e.resource)) return;
    const o = e.object;
    const key = itemKey(e.resource, o.metadata.namespace, o.metadata.name!);
    const q = this.ctx.queue;
    if (e.type === 'DELETED') {
      this.unindex(key);
      // Its dependents may now be orphans; its owners may be waiting for it.
      for (const dep of this.dependents.get(o.metadata.uid!) ?? []) q.add(dep);
      for (const ref of o.metadata.ownerReferences ?? []) this.queueOwner(o, ref);
      return;
    }
    this.index(e.resource, o);
    const refsChanged = !jsonEqual(o.metadata.ownerReferences ?? [], e.old?.metadata.ownerReferences ?? []);
    if (e.type === 'ADDED' || refsChanged) {
      if (o.metadata.ownerReferences?.length) q.add(key);
      // Owners this object stopped blocking.
      for (const ref of e.old?.metadata.ownerReferences ?? []) this.queueOwner(o, ref);
    }
    const wasDeleting = e.old ? this.deletingWithFinalizer(e.old) : false;
    if (this.deletingWithFinalizer(o) && (!wasDeleting || !jsonEqual(o.metadata.finalizers, e.old?.metadata.finalizers))) {
      q.add(key);
      // Foreground deletion reaches the dependents, which see their owner waiting.
      for (const dep of this.dependents.get(o.metadata.uid!) ?? []) q.add(dep);
    }
    if (o.metadata.deletionTimestamp && !e.old?.metadata.deletionTimestamp) {
      // A dependent being deleted may unblock a foreground owner once it is gone; its owners hear again then.
      for (const ref of o.metadata.ownerReferences ?? []) this.queueOwner(o, ref);
    }
  }

  private deletingWithFinalizer(o: KObject): boolean {
    const f = o.metadata.finalizers ?? [];
    return !!o.metadata.deletionTimestamp && (f.includes(FOREGROUND) || f.includes(ORPHAN));
  }

  private index(resource: string, o: KObject): void {
    const key = itemKey(resource, o.metadata.namespace, o.metadata.name!);
    this.unindex(key);
    const refs = (o.metadata.ownerReferences ?? []).map((r) => r.uid);
    if (!refs.length) return;
    this.owners.set(key, { uid: o.metadata.uid!, refs });
    for (const uid of refs) {
      let s = this.dependents.get(uid);
      if (!s) this.dependents.set(uid, (s = new Set()));
      s.add(key);
    }
  }

  private unindex(key: string): void {
    const prior = this.owners.get(key);
    if (!prior) return;
    this.owners.delete(key);
    for (const uid of prior.refs) {
      const s = this.dependents.get(uid);
      s?.delete(key);
      if (s && !s.size) this.dependents.delete(uid);
    }
  }

  private ownerResource(ref: OwnerReference): ResourceInfo | undefined {
    return resourceByKind(ref.apiVersion, ref.kind);
  }

  private queueOwner(dependent: KObject, ref: OwnerReference): void {
    const r = this.ownerResource(ref);
    if (!r) return;
    this.ctx.queue.add(itemKey(qualified(r), r.namespaced ? dependent.metadata.namespace : undefined, ref.name));
  }

  reconcile(key: string): void {
    const [res, ns, name] = parseItem(key);
    const r = byQualified.get(res);
    if (!r) return;
    const obj = this.ctx.registry.tryGet(r, ns, name);
    if (!obj) return;
    const f = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp) {
      if (f.includes(ORPHAN)) this.orphanDependents(r, obj);
      else if (f.includes(FOREGROUND)) this.processDeletingDependents(r, obj);
      return;
    }
    this.attemptToDelete(r, obj);
  }

  /** The dependents the index knows for `owner`, read fresh, still referencing it. */
  private dependentsOf(owner: KObject): { r: ResourceInfo; obj: KObject; ref: OwnerReference }[] {
    const out: { r: ResourceInfo; obj: KObject; ref: OwnerReference }[] = [];
    for (const key of [...(this.dependents.get(owner.metadata.uid!) ?? [])].sort()) {
      const [res, ns, name] = parseItem(key);
      const r = byQualified.get(res);
      const obj = r && this.ctx.registry.tryGet(r, ns, name);
      const ref = obj?.metadata.ownerReferences?.find((x) => x.uid === owner.metadata.uid);
      if (r && obj && ref) out.push({ r, obj, ref });
    }
    return out;
  }

  /** attemptToDeleteItem: an object whose owners are all gone (or waiting for it) is deleted; references to gone owners beside live ones are dropped. */
  private attemptToDelete(r: ResourceInfo, obj: KObject): void {
    const refs = obj.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const or = this.ownerResource(ref);
      // An owner of a kind podlab does not serve cannot be checked: it is taken to exist.
      if (!or) {
        solid.push(ref);
        continue;
      }
      if (or.namespaced && !r.namespaced) {
        // A cluster-scoped object cannot have a namespaced owner: the reference leads nowhere.
        dangling.push(ref);
        continue;
      }
      const owner = this.ctx.registry.tryGet(or, or.namespaced ? obj.metadata.namespace : undefined, ref.name);
      if (!owner || owner.metadata.uid !== ref.uid) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    if (!dangling.length && !waiting.length) return;
    const reg = this.ctx.registry;
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name!;
    if (solid.length) {
      // Still owned: only the references to gone or departing owners go.
      const drop = new Set([...dangling, ...waiting].map((x) => x.uid));
      const next = { ...obj, metadata: { ...obj.metadata, ownerReferences: refs.filter((x) => !drop.has(x.uid)) } };
      this.tryWrite(() => reg.update(r, ns, name, next));
      return;
    }
    // Every owner is gone or waiting: delete, keeping the object's own propagation wish.
    let policy: 'Background' | 'Foreground' | 'Orphan' = 'Background';
    const f = obj.metadata.finalizers ?? [];
    if (f.includes(ORPHAN)) policy = 'Orphan';
    else if (f.includes(FOREGROUND) || (waiting.length && this.dependents.get(obj.metadata.uid!)?.size)) policy = 'Foreground';
    this.tryWrite(() => reg.delete(r, ns, name, { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } }).object);
  }

  /** processDeletingDependentsItem: once no dependent blocks it, the owner's foregroundDeletion finalizer goes. */
  private processDeletingDependents(r: ResourceInfo, owner: KObject): void {
    const deps = this.dependentsOf(owner);
    const blocking = deps.filter((d) => d.ref.blockOwnerDeletion);
    if (blocking.length) {
      // Make sure each one is on its way out.
      for (const d of deps) if (!d.obj.metadata.deletionTimestamp) this.ctx.queue.add(itemKey(qualified(d.r), d.obj.metadata.namespace, d.obj.metadata.name!));
      return;
    }
    for (const d of deps) if (!d.obj.metadata.deletionTimestamp) this.ctx.queue.add(itemKey(qualified(d.r), d.obj.metadata.namespace, d.obj.metadata.name!));
    this.removeFinalizer(r, owner, FOREGROUND);
  }

  /** orphanDependents: every dependent loses its reference to the owner, then the orphan finalizer goes. */
  private orphanDependents(r: ResourceInfo, owner: KObject): void {
    const reg = this.ctx.registry;
    for (const d of this.dependentsOf(owner)) {
      const refs = (d.obj.metadata.ownerReferences ?? []).filter((x) => x.uid !== owner.metadata.uid);
      const metadata = { ...d.obj.metadata };
      if (refs.length) metadata.ownerReferences = refs;
      else delete metadata.ownerReferences;
      const next = { ...d.obj, metadata };
      this.tryWrite(() => reg.update(d.r, d.obj.metadata.namespace, d.obj.metadata.name!, next));
    }
    this.removeFinalizer(r, owner, ORPHAN);
  }

  private removeFinalizer(r: ResourceInfo, obj: KObject, finalizer: string): void {
    const next = { ...obj, metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer) } };
    this.tryWrite(() => this.ctx.registry.update(r, obj.metadata.namespace, obj.metadata.name!, next));
  }

  private tryWrite(fn: () => KObject): void {
    try {
      fn();
    } catch (e) {
      // Gone already, or changed under us: the events that follow bring the object back if needed.
      if (isStatusError(e, 404) || isStatusError(e, 409)) return;
      throw e;
    }
  }
}
