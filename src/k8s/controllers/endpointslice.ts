/**
 * Keeps each selector Service's EndpointSlices (discovery.k8s.io/v1) as the endpointslice
 * controller does: slices named `<service>-<5 chars>`, labelled kubernetes.io/service-name and
 * endpointslice.kubernetes.io/managed-by, owned by the Service, addressType IPv4, one slice per
 * distinct set of resolved ports and at most 100 endpoints each, every endpoint with its
 * nodeName, zone, targetRef and ready/serving/terminating conditions; an empty placeholder slice
 * when no pod matches. ExternalName and selectorless services get none.
 */
import type { KObject, OwnerReference } from '../api/object.ts';
import { clone } from '../api/object.ts';
import type { StoreEvent } from '../store/store.ts';
import { nsKey, splitKey, type Controller, type ControllerContext } from './controller.ts';
import {
  HEADLESS, TRIGGER_TIME, TriggerTimeTracker, findPort, observePodForServices, podIPv4, rfc3339Nano, shouldPodBeInEndpoints, shouldSetHostname,
} from './endpoints.ts';
import {
  R, byKeys, deleteIfSame, isPodReady, jsonEqual, writeOrRequeue, mapSelector, newControllerRef, selects, type EndpointSlice, type Pod, type Service,
} from './util.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** kube-controller-manager's --max-endpoints-per-slice default. */
const MAX_ENDPOINTS_PER_SLICE = 100;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: { kind: string; namespace?: string; name: string; uid?: string };
  nodeName?: string;
  zone?: string;
}

function endpointId(ep: SliceEndpoint): string {
  return `${ep.targetRef.uid ?? ''}\u0000${ep.addresses[0]}`;
}

function portsKey(ports: SlicePort[] | null | undefined): string {
  return JSON.stringify((ports ?? []).map((p) => [p.name ?? '', p.port, p.protocol, p.appProtocol ?? null]));
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  private readonly ctx: ControllerContext;
  private readonly tracker = new TriggerTimeTracker();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const s of this.ctx.cache.list('services')) this.ctx.queue.add(nsKey(s.metadata.namespace, s.metadata.name!));
  }

  observe(e: StoreEvent): void {
    const q = this.ctx.queue;
    if (e.resource === 'services') q.add(nsKey(e.object.metadata.namespace, e.object.metadata.name!));
    else if (e.resource === 'pods') observePodForServices(this.ctx.cache, e, (k) => q.add(k));
    else if (e.resource === 'endpointslices.discovery.k8s.io' && e.type !== 'ADDED') {
      const l = e.object.metadata.labels ?? {};
      if (l[MANAGED_BY_LABEL] === CONTROLLER_NAME && l[SERVICE_NAME_LABEL]) q.add(nsKey(e.object.metadata.namespace, l[SERVICE_NAME_LABEL]));
    }
  }

  reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const reg = this.ctx.registry;
    const svc = reg.tryGet(R.services, ns, name) as unknown as Service | undefined;
    const existing = this.managedSlices(ns, name);
    if (!svc) {
      // The garbage collector removes the slices with their owner; doing it here too does not wait for it.
      this.tracker.delete(key);
      for (const s of existing) deleteIfSame(this.ctx.registry, R.endpointslices, s as unknown as KObject);
      return;
    }
    if (svc.spec?.type === 'ExternalName') return;
    const selector = mapSelector(svc.spec?.selector);
    if (!selector) return;

    const pods = (this.ctx.cache.list('pods', ns ?? '') as unknown as Pod[]).filter((p) => selects(selector, p.metadata.labels)).sort(byKeys((p) => p.metadata.name ?? ''));
    // Desired endpoints, grouped by the ports they resolve to.
    const groups = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ip = podIPv4(pod);
      if (!ip) continue;
      const ports: SlicePort[] = [];
      for (const sp of svc.spec?.ports ?? []) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      const k = portsKey(ports);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { ports, endpoints: [] }));
      g.endpoints.push(this.endpointFor(pod, svc, ip));
    }
    const triggerTime = this.tracker.compute(key, svc, pods);
    const labels = sliceLabels(svc);
    const owner = newControllerRef(svc as unknown as KObject);

    const toCreate: EndpointSlice[] = [];
    const toUpdate: EndpointSlice[] = [];
    const toDelete: EndpointSlice[] = [];
    const keep: EndpointSlice[] = [];
    // 1. Existing slices: drop endpoints no longer wanted, refresh the ones that changed.
    const placed = new Set<string>();
    for (const slice of existing) {
      const g = slice.addressType === 'IPv4' ? groups.get(portsKey(slice.ports as SlicePort[])) : undefined;
      if (!g) {
        toDelete.push(slice);
        continue;
      }
      const want = new Map(g.endpoints.map((ep) => [endpointId(ep), ep]));
      const eps: SliceEndpoint[] = [];
      for (const ep of (slice.endpoints ?? []) as SliceEndpoint[]) {
        const id = endpointId(ep);
        const w = want.get(id);
        if (!w || placed.has(id)) continue;
        placed.add(id);
        eps.push(w);
      }
      if (!eps.length) {
        toDelete.push(slice);
        continue;
      }
      const next = clone(slice);
      next.endpoints = eps as EndpointSlice['endpoints'];
      if (!jsonEqual(next.endpoints, slice.endpoints) || !jsonEqual(slice.metadata.labels ?? {}, labels)) toUpdate.push(next);
      else keep.push(next);
    }
    // 2. New endpoints: into slices of their port set with room, updated ones first; then new slices.
    for (const [k, g] of groups) {
      const pending = g.endpoints.filter((ep) => !placed.has(endpointId(ep)));
      if (!pending.length) continue;
      const candidates = [...toUpdate, ...keep].filter((s) => portsKey(s.ports as SlicePort[]) === k);
      for (const s of candidates) {
        while (pending.length && (s.endpoints ?? []).length < MAX_ENDPOINTS_PER_SLICE) {
          (s.endpoints ??= []).push(pending.shift()! as NonNullable<EndpointSlice['endpoints']>[number]);
          if (!toUpdate.includes(s)) {
            toUpdate.push(s);
            keep.splice(keep.indexOf(s), 1);
          }
        }
      }
      while (pending.length) {
        toCreate.push(this.newSlice(svc, owner, labels, g.ports, pending.splice(0, MAX_ENDPOINTS_PER_SLICE)));
      }
    }
    // 3. No endpoints at all: one empty placeholder slice stays (or is made).
    if (!groups.size && !toUpdate.length && !keep.length && !toCreate.length) {
      const placeholder = toDelete.findIndex((s) => !(s.endpoints ?? []).length && !(s.ports ?? []).length);
      if (placeholder >= 0) {
        const [p] = toDelete.splice(placeholder, 1);
        if (!jsonEqual(p.metadata.labels ?? {}, labels)) toUpdate.push(clone(p));
      } else {
        const p = this.newSlice(svc, owner, labels, null, []);
        toCreate.push(p);
      }
    }

    for (const s of toDelete) deleteIfSame(this.ctx.registry, R.endpointslices, s as unknown as KObject);
    for (const s of toUpdate) {
      s.metadata.labels = { ...labels };
      setTriggerTime(s, triggerTime);
      writeOrRequeue(this.ctx.queue, key, () => reg.update(R.endpointslices, ns, s.metadata.name!, s as unknown as KObject));
    }
    for (const s of toCreate) {
      setTriggerTime(s, triggerTime);
      writeOrRequeue(this.ctx.queue, key, () => reg.create(R.endpointslices, ns, s as unknown as KObject));
    }
  }

  /** podToEndpoint: the pod's address, conditions, target, node and zone. */
  private endpointFor(pod: Pod, svc: Service, ip: string): SliceEndpoint {
    const serving = isPodReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    // For compatibility, "ready" is never true for a terminating pod unless not-ready addresses are published.
    const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
    const ep: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready, serving, terminating },
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid },
    };
    if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname!;
    const nodeName = pod.spec?.nodeName;
    if (nodeName) {
      ep.nodeName = nodeName;
      const zone = this.ctx.cache.get('nodes', undefined, nodeName)?.metadata.labels?.[ZONE_LABEL];
      if (zone) ep.zone = zone;
    }
    return ep;
  }

  private newSlice(svc: Service, owner: OwnerReference, labels: Record<string, string>, ports: SlicePort[] | null, endpoints: SliceEndpoint[]): EndpointSlice {
    return {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels: { ...labels }, ownerReferences: [owner] },
      addressType: 'IPv4',
      // An empty slice keeps null lists, as the API returns them after storage.
      endpoints: (endpoints.length ? endpoints : null) as EndpointSlice['endpoints'],
      ports: ports as EndpointSlice['ports'],
    } as EndpointSlice;
  }

  /** The slices this controller manages for the service (by label), whoever their owner. */
  private managedSlices(ns: string | undefined, name: string): EndpointSlice[] {
    return (this.ctx.cache.list('endpointslices.discovery.k8s.io', ns ?? '') as unknown as EndpointSlice[])
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME)
      .sort(byKeys((s) => s.metadata.creationTimestamp ?? '', (s) => s.metadata.name ?? ''));
  }
}

/** setEndpointSliceLabels: the service's labels but the reserved ones, the headless mark, service-name and managed-by. */
function sliceLabels(svc: Service): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS) continue;
    out[k] = v;
  }
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') out[HEADLESS] = '';
  out[SERVICE_NAME_LABEL] = svc.metadata.name!;
  out[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return out;
}

function setTriggerTime(s: EndpointSlice, t: number | undefined): void {
  const a = { ...(s.metadata.annotations ?? {}) };
  if (t !== undefined) a[TRIGGER_TIME] = rfc3339Nano(t);
  else delete a[TRIGGER_TIME];
  if (Object.keys(a).length) s.metadata.annotations = a;
  else delete s.metadata.annotations;
}
