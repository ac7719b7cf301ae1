/**
 * Mirrors user-managed Endpoints into EndpointSlices, as the endpointslicemirroring controller
 * does: for a Service without a selector, its Endpoints (unless labelled skip-mirror) become
 * slices `<name>-<5 chars>` managed by endpointslicemirroring-controller.k8s.io and owned by the
 * Endpoints, one per subset port set, so readers of slices (kube-proxy, `kubectl describe svc`)
 * see them.
 */
import type { KObject } from '../api/object.ts';
import { clone } from '../api/object.ts';
import type { StoreEvent } from '../store/store.ts';
import { nsKey, splitKey, type Controller, type ControllerContext } from './controller.ts';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './endpointslice.ts';
import { TRIGGER_TIME, type EndpointSubset } from './endpoints.ts';
import { R, byKeys, deleteIfSame, jsonEqual, newControllerRef, writeOrRequeue, type EndpointSlice } from './util.ts';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** The mirroring controller's limit: addresses beyond it are not mirrored. */
const MAX_MIRRORED = 1000;
const MAX_PER_SLICE = 100;

export class EndpointSliceMirroringController implements Controller {
  readonly name = 'endpointslicemirroring';
  private readonly ctx: ControllerContext;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const s of this.ctx.cache.list('services')) this.ctx.queue.add(nsKey(s.metadata.namespace, s.metadata.name!));
  }

  observe(e: StoreEvent): void {
    const m = e.object.metadata;
    if (e.resource === 'services' || e.resource === 'endpoints') this.ctx.queue.add(nsKey(m.namespace, m.name!));
    else if (e.resource === 'endpointslices.discovery.k8s.io' && e.type !== 'ADDED' && m.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME) {
      this.ctx.queue.add(nsKey(m.namespace, m.labels[SERVICE_NAME_LABEL] ?? ''));
    }
  }

  reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const reg = this.ctx.registry;
    const existing = (this.ctx.cache.list('endpointslices.discovery.k8s.io', ns ?? '') as unknown as EndpointSlice[])
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME)
      .sort(byKeys((s) => s.metadata.creationTimestamp ?? '', (s) => s.metadata.name ?? ''));
    const svc = this.ctx.cache.get('services', ns, name);
    const ep = reg.tryGet(R.endpoints, ns, name);
    const mirror = !!svc && !(svc.spec as { selector?: Record<string, string> } | undefined)?.selector && !!ep && ep.metadata.labels?.[SKIP_MIRROR] !== 'true';
    if (!mirror) {
      for (const s of existing) deleteIfSame(this.ctx.registry, R.endpointslices, s as unknown as KObject);
      return;
    }
    // Desired slices: one per distinct port set, at most 100 endpoints each, IPv4 only.
    const groups = new Map<string, { ports: unknown[]; endpoints: unknown[] }>();
    let budget = MAX_MIRRORED;
    for (const ss of (ep!.subsets ?? []) as EndpointSubset[]) {
      const ports = (ss.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
      const k = JSON.stringify(ports);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { ports, endpoints: [] }));
      for (const [list, ready] of [[ss.addresses ?? [], true], [ss.notReadyAddresses ?? [], false]] as const) {
        for (const a of list) {
          if (a.ip.includes(':') || budget <= 0) continue;
          budget--;
          g.endpoints.push({
            addresses: [a.ip], conditions: { ready },
            ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.targetRef ? { targetRef: a.targetRef } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}),
          });
        }
      }
    }
    const want: { ports: unknown[]; endpoints: unknown[] }[] = [];
    for (const g of groups.values()) {
      for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE) want.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE) });
    }
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep!.metadata.labels ?? {})) if (k !== SKIP_MIRROR && k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v;
    labels[SERVICE_NAME_LABEL] = name;
    labels[MANAGED_BY_LABEL] = MIRRORING_CONTROLLER_NAME;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep!.metadata.annotations ?? {})) if (k !== LAST_APPLIED && k !== TRIGGER_TIME) annotations[k] = v;

    // Reuse existing slices in order; create or delete the difference.
    want.forEach((w, i) => {
      const cur = existing[i];
      const body = { addressType: 'IPv4', endpoints: w.endpoints.length ? w.endpoints : null, ports: w.ports.length ? w.ports : null };
      if (!cur) {
        const slice = {
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { generateName: `${name}-`, namespace: ns, labels, ...(Object.keys(annotations).length ? { annotations } : {}), ownerReferences: [newControllerRef(ep!)] },
          ...body,
        };
        writeOrRequeue(this.ctx.queue, key, () => reg.create(R.endpointslices, ns, slice as unknown as KObject));
        return;
      }
      if (jsonEqual({ ...body, labels, annotations }, { addressType: cur.addressType, endpoints: cur.endpoints ?? null, ports: cur.ports ?? null, labels: cur.metadata.labels ?? {}, annotations: cur.metadata.annotations ?? {} })) return;
      const next = clone(cur) as unknown as KObject;
      next.metadata.labels = labels;
      if (Object.keys(annotations).length) next.metadata.annotations = annotations;
      else delete next.metadata.annotations;
      Object.assign(next, body);
      writeOrRequeue(this.ctx.queue, key, () => reg.update(R.endpointslices, ns, cur.metadata.name!, next));
    });
    for (const s of existing.slice(want.length)) deleteIfSame(this.ctx.registry, R.endpointslices, s as unknown as KObject);
  }
}
