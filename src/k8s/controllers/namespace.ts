/**
 * Empties terminating namespaces as the namespace controller does: every namespaced object in a
 * namespace being deleted is deleted, the namespace's status conditions report what remains,
 * and once nothing is left its `kubernetes` finalizer is removed (the finalize subresource) so
 * the namespace goes.
 */
import type { KObject } from '../api/object.ts';
import { clone, rfc3339 } from '../api/object.ts';
import { qualified, RESOURCES } from '../api/resources.ts';
import type { StoreEvent } from '../store/store.ts';
import type { Controller, ControllerContext } from './controller.ts';
import { R, isStatusError, jsonEqual } from './util.ts';

interface NsCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly ctx: ControllerContext;
  /** Namespaces being deleted, so events of their contents can bring them back cheaply. */
  private terminating = new Set<string>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const ns of this.ctx.registry.store.list('namespaces')) {
      if (ns.metadata.deletionTimestamp) {
        this.terminating.add(ns.metadata.name!);
        this.ctx.queue.add(ns.metadata.name!);
      }
    }
  }

  observe(e: StoreEvent): void {
    const o = e.object;
    if (e.resource === 'namespaces') {
      if (e.type === 'DELETED') this.terminating.delete(o.metadata.name!);
      else if (o.metadata.deletionTimestamp) {
        this.terminating.add(o.metadata.name!);
        this.ctx.queue.add(o.metadata.name!);
      }
      return;
    }
    // Something in a terminating namespace went away or lost a finalizer: look again.
    const ns = o.metadata.namespace;
    if (ns && this.terminating.has(ns) && e.type !== 'ADDED') this.ctx.queue.add(ns);
  }

  reconcile(name: string): void {
    const reg = this.ctx.registry;
    const ns = reg.tryGet(R.namespaces, undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const specFinalizers = ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []);
    if (!specFinalizers.includes('kubernetes')) return;

    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const r of RESOURCES) {
      if (!r.namespaced) continue;
      for (const o of reg.store.list(qualified(r), name)) {
        if (o.metadata.deletionTimestamp) continue;
        try {
          reg.delete(r, name, o.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isStatusError(e, 404) && !isStatusError(e, 409)) throw e;
        }
      }
      const left = reg.store.list(qualified(r), name);
      if (left.length) remaining.set(qualified(r), left.length);
      for (const o of left) for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    }
    this.updateConditions(ns, remaining, finalizers);
    if (remaining.size) return;
    this.finalize(name);
  }

  /** The deletion conditions upstream's namespace deleter reports (NamespaceContentRemaining and friends). */
  private updateConditions(ns: KObject, remaining: Map<string, number>, finalizers: Map<string, number>): void {
    const list = (m: Map<string, number>, f: (k: string, n: number) => string): string => [...m].map(([k, n]) => f(k, n)).sort().join(', ');
    const want: NsCondition[] = [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      remaining.size
        ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list(remaining, (k, n) => `${k} has ${n} resource instances`)}` }
        : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
      finalizers.size
        ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list(finalizers, (k, n) => `${k} in ${n} resource instances`)}` }
        : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    ];
    const status = clone((ns.status ?? {}) as { phase?: string; conditions?: NsCondition[] });
    const old = status.conditions ?? [];
    const now = rfc3339(this.ctx.registry.now());
    const conditions = want.map((c) => {
      const prev = old.find((x) => x.type === c.type);
      return { type: c.type, status: c.status, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now, reason: c.reason, message: c.message };
    });
    if (jsonEqual(old, conditions)) return;
    status.conditions = conditions;
    try {
      this.ctx.registry.update(R.namespaces, undefined, ns.metadata.name!, { ...ns, status }, { subresource: 'status' });
    } catch (e) {
      if (!isStatusError(e, 404) && !isStatusError(e, 409)) throw e;
    }
  }

  /**
   * The finalize subresource: spec.finalizers loses `kubernetes`; with no finalizer left the
   * namespace is removed. Written to the store directly, as that subresource's own strategy
   * does, because a namespace update may not change spec.finalizers.
   */
  private finalize(name: string): void {
    const store = this.ctx.registry.store;
    store.txn(() => {
      const cur = store.get('namespaces', undefined, name);
      if (!cur) return;
      const spec = (cur.spec ??= {}) as { finalizers?: string[] };
      spec.finalizers = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
      if (!spec.finalizers.length) delete spec.finalizers;
      if (!spec.finalizers?.length && !(cur.metadata.finalizers ?? []).length) store.delete('namespaces', undefined, name);
      else store.update('namespaces', cur);
    });
  }
}
