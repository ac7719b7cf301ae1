/**
 * Gives every active namespace its `default` ServiceAccount, as the serviceaccount controller
 * does (and puts it back when it is deleted).
 */
import type { StoreEvent } from '../store/store.ts';
import type { Controller, ControllerContext } from './controller.ts';
import { R, isStatusError } from './util.ts';

export class ServiceAccountController implements Controller {
  readonly name = 'serviceaccount';
  private readonly ctx: ControllerContext;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const ns of this.ctx.registry.store.list('namespaces')) this.ctx.queue.add(ns.metadata.name!);
  }

  observe(e: StoreEvent): void {
    if (e.resource === 'namespaces' && e.type !== 'DELETED') this.ctx.queue.add(e.object.metadata.name!);
    else if (e.resource === 'serviceaccounts' && e.type === 'DELETED' && e.object.metadata.name === 'default') this.ctx.queue.add(e.object.metadata.namespace!);
  }

  reconcile(ns: string): void {
    const reg = this.ctx.registry;
    const nsObj = reg.tryGet(R.namespaces, undefined, ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    if (reg.tryGet(R.serviceaccounts, ns, 'default')) return;
    try {
      reg.create(R.serviceaccounts, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    } catch (e) {
      // Already made by someone else, or the namespace started terminating: nothing to do.
      if (isStatusError(e, 409) || isStatusError(e, 403) || isStatusError(e, 404)) return;
      throw e;
    }
  }
}
