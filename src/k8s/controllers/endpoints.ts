/**
 * Keeps each selector Service's Endpoints object listing its pods as the endpoints controller
 * does: ready pods under addresses, not-ready ones under notReadyAddresses, named target ports
 * resolved per pod, subsets repacked and sorted as RepackSubsets does (addresses by IP, ports
 * and subsets by the md5 of their go-spew dump), the service's labels, and the
 * `endpoints.kubernetes.io/last-change-trigger-time` annotation. Services without a selector
 * keep the Endpoints their users write; ExternalName services get none.
 */
import type { KObject } from '../api/object.ts';
import { clone } from '../api/object.ts';
import type { StoreEvent } from '../store/store.ts';
import type { ObjectCache } from './cache.ts';
import { nsKey, splitKey, type Controller, type ControllerContext } from './controller.ts';
import { md5hex, spewEndpointPort, spewEndpointSubset, type SpewAddress, type SpewPort, type SpewSubset } from './hash.ts';
import {
  R, byKeys, isPodReady, isPodTerminal, isStatusError, jsonEqual, mapSelector, podCondition, selects, type Pod, type Service,
} from './util.ts';

export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS = 'service.kubernetes.io/headless';
const COMPONENT = 'endpoint-controller';

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

// ---- shared with the EndpointSlice controller ------------------------------------------------

/** The Services of `pod`'s namespace whose selector matches its labels (before or after an update). */
export function servicesSelecting(cache: ObjectCache, namespace: string | undefined, ...labelSets: (Record<string, string> | undefined)[]): string[] {
  const out = new Set<string>();
  for (const l of labelSets) for (const s of cache.servicesSelecting(namespace, l)) out.add(nsKey(s.metadata.namespace, s.metadata.name!));
  return [...out];
}

/** What of a pod the endpoints depend on: a pod update changing none of it is ignored. */
function endpointView(p: KObject | undefined): string {
  if (!p) return '';
  const pod = p as unknown as Pod;
  return JSON.stringify([
    pod.metadata.labels ?? {}, pod.metadata.deletionTimestamp ?? '', pod.status?.podIP ?? '', pod.status?.podIPs ?? [], pod.status?.phase ?? '',
    isPodReady(pod), podCondition(pod, 'Ready')?.lastTransitionTime ?? '', pod.spec?.nodeName ?? '', pod.spec?.hostname ?? '', pod.spec?.subdomain ?? '',
    (pod.spec?.containers ?? []).map((c) => c.ports ?? []),
  ]);
}

/** Queues the Services a pod event concerns. */
export function observePodForServices(cache: ObjectCache, e: StoreEvent, add: (key: string) => void): void {
  if (e.type === 'MODIFIED' && endpointView(e.object) === endpointView(e.old)) return;
  for (const k of servicesSelecting(cache, e.object.metadata.namespace, e.object.metadata.labels, e.old?.metadata.labels)) add(k);
}

/** endpointutil.ShouldPodBeInEndpoints: not finished, has an IP, and not terminating unless terminating pods are wanted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** The pod's IPv4 address (the family podlab's services use). */
export function podIPv4(pod: Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((x) => x.ip)].filter((x): x is string => !!x);
  return ips.find((ip) => !ip.includes(':'));
}

/** podutil.FindPort: a numeric targetPort as is; a named one looked up in the pod's container (and sidecar) ports with the same protocol. */
export function findPort(pod: Pod, sp: NonNullable<NonNullable<Service['spec']>['ports']>[number]): number | undefined {
  const target = sp.targetPort ?? sp.port;
  const protocol = sp.protocol ?? 'TCP';
  if (typeof target === 'number') return target;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** endpointutil.ShouldSetHostname: the pod's hostname when its subdomain is the service. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/**
 * endpointutil.TriggerTimeTracker: the time of the earliest change (a pod's Ready transition,
 * the service's creation) not yet reflected in the endpoints; the service's creation time the
 * first time a service is seen.
 */
export class TriggerTimeTracker {
  private states = new Map<string, { pods: Map<string, number>; service: number }>();

  compute(key: string, svc: Service, pods: Pod[]): number | undefined {
    const prior = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '');
      if (Number.isNaN(t)) continue;
      podTimes.set(pod.metadata.name!, t);
      if (t > (prior?.pods.get(pod.metadata.name!) ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const created = Date.parse(svc.metadata.creationTimestamp ?? '');
    const svcTime = Number.isNaN(created) ? 0 : created;
    if (svcTime > (prior?.service ?? -Infinity)) min = min === undefined ? svcTime : Math.min(min, svcTime);
    this.states.set(key, { pods: podTimes, service: svcTime });
    if (!prior) return svcTime || undefined;
    return min;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}

/** RFC 3339 with fractional seconds only when there are any (Go's RFC3339Nano). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

// ---- repacking --------------------------------------------------------------------------------

function addrKey(a: EndpointAddress): string {
  return `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
}

function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  // bytes.Compare of the IP strings, then the target's UID.
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ub === undefined) return ua === undefined ? 0 : 1;
  if (ua === undefined) return -1;
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function spewAddr(a: EndpointAddress): SpewAddress {
  // The controller always points NodeName at the pod's spec.nodeName, so the pointer is set.
  return { ip: a.ip, hostname: a.hostname, nodeName: a.nodeName ?? '', ...(a.targetRef ? { targetRef: a.targetRef } : {}) };
}

function spewPort(p: EndpointPort): SpewPort {
  return { name: p.name ?? '', port: p.port, protocol: p.protocol, ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) };
}

function portHash(p: EndpointPort): string {
  return md5hex(spewEndpointPort(spewPort(p)));
}

function subsetHash(s: EndpointSubset): string {
  const sp: SpewSubset = {
    addresses: s.addresses?.map(spewAddr),
    notReadyAddresses: s.notReadyAddresses?.map(spewAddr),
    ports: s.ports?.map(spewPort),
  };
  return md5hex(spewEndpointSubset(sp));
}

/**
 * endpoints.RepackSubsets: every (address, port) pair regrouped so that the addresses offering
 * the same ports form one subset (not ready wins over ready for an address), then SortSubsets.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const SENTINEL = '\u0000sentinel';
  const addrs = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>();
  const map = (a: EndpointAddress, port: EndpointPort | undefined, ready: boolean): void => {
    const k = addrKey(a);
    if (!addrs.has(k)) addrs.set(k, clone(a));
    const pk = port ? JSON.stringify([port.name ?? '', port.port, port.protocol, port.appProtocol ?? null]) : SENTINEL;
    let e = byPort.get(pk);
    if (!e) byPort.set(pk, (e = { ...(port ? { port } : {}), ready: new Map() }));
    const was = e.ready.get(k);
    if (was === undefined || was) e.ready.set(k, ready);
  };
  for (const s of subsets) {
    const ports = s.ports?.length ? s.ports : [undefined];
    for (const p of ports) {
      for (const a of s.addresses ?? []) map(a, p, true);
      for (const a of s.notReadyAddresses ?? []) map(a, p, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const e of byPort.values()) {
    const gk = [...e.ready].sort(([a], [b]) => lessAddress(addrs.get(a)!, addrs.get(b)!)).map(([k, r]) => `${k}\u0001${r}`).join('\u0002');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ready: e.ready, ports: [] }));
    if (e.port) g.ports.push(e.port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const s: EndpointSubset = {};
    const ready = [...g.ready].filter(([, r]) => r).map(([k]) => clone(addrs.get(k)!));
    const notReady = [...g.ready].filter(([, r]) => !r).map(([k]) => clone(addrs.get(k)!));
    if (ready.length) s.addresses = ready.sort(lessAddress);
    if (notReady.length) s.notReadyAddresses = notReady.sort(lessAddress);
    if (g.ports.length) s.ports = g.ports.map((p) => ({ p, h: portHash(p) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0)).map((x) => x.p);
    out.push(s);
  }
  return out.map((s) => ({ s, h: subsetHash(s) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0)).map((x) => x.s);
}

// ---- the controller ---------------------------------------------------------------------------

export class EndpointsController implements Controller {
  readonly name = 'endpoint';
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
    else if (e.resource === 'endpoints' && e.type !== 'ADDED') {
      // Endpoints changed or deleted by someone else: put them back if a selector service owns them.
      q.add(nsKey(e.object.metadata.namespace, e.object.metadata.name!));
    }
  }

  reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const reg = this.ctx.registry;
    const svc = reg.tryGet(R.services, ns, name) as unknown as Service | undefined;
    if (!svc) {
      // The service is gone: so are its endpoints, whoever wrote them, as upstream.
      this.tracker.delete(key);
      const ep = reg.tryGet(R.endpoints, ns, name);
      if (ep && this.wasManaged(ep)) {
        try {
          reg.delete(R.endpoints, ns, name);
        } catch (e) {
          if (!isStatusError(e, 404)) throw e;
        }
      }
      return;
    }
    if (svc.spec?.type === 'ExternalName') return;
    const selector = mapSelector(svc.spec?.selector);
    if (!selector) return;
    const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
    const pods = (this.ctx.cache.list('pods', ns ?? '') as unknown as Pod[]).filter((p) => selects(selector, p.metadata.labels)).sort(byKeys((p) => p.metadata.name ?? ''));
    let subsets: EndpointSubset[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
      const ip = podIPv4(pod);
      if (!ip) continue;
      const epa: EndpointAddress = {
        ip, ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec!.hostname! } : {}),
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid },
      };
      const ready = tolerateUnready || isPodReady(pod);
      const add = (port: EndpointPort | undefined): void => {
        subsets.push({ ...(ready ? { addresses: [epa] } : { notReadyAddresses: [epa] }), ports: port ? [port] : [] });
      };
      const ports = svc.spec?.ports ?? [];
      if (!ports.length) {
        // A headless service may have no ports: its endpoints are bare addresses.
        if (isHeadless(svc)) add(undefined);
        continue;
      }
      for (const sp of ports) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        add({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
    }
    subsets = repackSubsets(subsets);
    const triggerTime = this.tracker.compute(key, svc, pods);

    const current = reg.tryGet(R.endpoints, ns, name);
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (isHeadless(svc)) labels[HEADLESS] = '';
    else delete labels[HEADLESS];
    const stored = (current?.subsets as EndpointSubset[] | undefined) ?? [];
    if (current && jsonEqual(stripEmpty(stored), stripEmpty(subsets)) && jsonEqual(current.metadata.labels ?? {}, labels)) return;

    const next: KObject = current ? clone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } };
    const ann = { ...(next.metadata.annotations ?? {}) };
    if (triggerTime !== undefined) ann[TRIGGER_TIME] = rfc3339Nano(triggerTime);
    else delete ann[TRIGGER_TIME];
    if (Object.keys(ann).length) next.metadata.annotations = ann;
    else delete next.metadata.annotations;
    if (Object.keys(labels).length) next.metadata.labels = labels;
    else delete next.metadata.labels;
    if (subsets.length) next.subsets = subsets;
    else delete next.subsets;
    try {
      if (current) reg.update(R.endpoints, ns, name, next);
      else reg.create(R.endpoints, ns, next);
    } catch (e) {
      // A conflict or a create racing with another writer: the next event brings us back.
      if (isStatusError(e, 409) || isStatusError(e, 404)) {
        this.ctx.queue.add(key);
        return;
      }
      if (isStatusError(e, 403)) return;
      this.ctx.recorder.record(svc as unknown as KObject, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${ns}/${name}: ${(e as Error).message}`, COMPONENT);
      throw e;
    }
  }

  /** Whether these Endpoints look like the controller's (the apiserver's own `kubernetes` ones carry skip-mirror and are left alone). */
  private wasManaged(ep: KObject): boolean {
    return !(ep.metadata.namespace === 'default' && ep.metadata.name === 'kubernetes');
  }
}

function stripEmpty(subsets: EndpointSubset[]): unknown {
  return subsets.map((s) => ({
    ...(s.addresses?.length ? { addresses: s.addresses } : {}),
    ...(s.notReadyAddresses?.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
    ...(s.ports?.length ? { ports: s.ports } : {}),
  }));
}
