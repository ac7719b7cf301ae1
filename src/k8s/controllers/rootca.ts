/**
 * Publishes the cluster CA into every active namespace as the `kube-root-ca.crt` ConfigMap, as
 * the root-ca-cert-publisher controller does, once the manager knows the CA (bootstrap's caPem).
 */
import type { StoreEvent } from '../store/store.ts';
import type { Controller, ControllerContext } from './controller.ts';
import { R, isStatusError, jsonEqual } from './util.ts';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usages are guaranteed across distributions of Kubernetes clusters.';

export class RootCAPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  private readonly ctx: ControllerContext;
  private caPem: string | undefined;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  /** Sets the CA to publish and queues every namespace. */
  configure(caPem: string | undefined): void {
    if (caPem === this.caPem) return;
    this.caPem = caPem;
    this.start();
  }

  start(): void {
    if (!this.caPem) return;
    for (const ns of this.ctx.registry.store.list('namespaces')) this.ctx.queue.add(ns.metadata.name!);
  }

  observe(e: StoreEvent): void {
    if (!this.caPem) return;
    if (e.resource === 'namespaces' && e.type !== 'DELETED') this.ctx.queue.add(e.object.metadata.name!);
    else if (e.resource === 'configmaps' && e.type !== 'ADDED' && e.object.metadata.name === ROOT_CA_CONFIGMAP) this.ctx.queue.add(e.object.metadata.namespace!);
  }

  reconcile(ns: string): void {
    if (!this.caPem) return;
    const reg = this.ctx.registry;
    const nsObj = reg.tryGet(R.namespaces, undefined, ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    const data = { 'ca.crt': this.caPem };
    const cm = reg.tryGet(R.configmaps, ns, ROOT_CA_CONFIGMAP);
    try {
      if (!cm) {
        reg.create(R.configmaps, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
      } else if (!jsonEqual(cm.data, data) || !cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) {
        reg.update(R.configmaps, ns, ROOT_CA_CONFIGMAP, { ...cm, metadata: { ...cm.metadata, annotations: { ...(cm.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
      }
    } catch (e) {
      if (isStatusError(e, 409) || isStatusError(e, 403) || isStatusError(e, 404)) return;
      throw e;
    }
  }
}
