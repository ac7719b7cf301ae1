/**
 * Upstream's ServiceChangeTracker + EndpointsChangeTracker folded into one snapshot: handlers
 * record the latest Service and EndpointSlice objects and mark their Service dirty; `update()`
 * (called at the start of a sync) recomputes the dirty Services' ports and endpoints and says
 * what changed: the Services whose rules must be rewritten, and what UDP conntrack cleanup needs
 * (cluster IPs of deleted UDP ports, UDP endpoints that went away, UDP ports that got their
 * first serving endpoint).
 */
import type { KObject } from '../api/object.ts';
import { endpointsFromSlices, sliceServiceKey, type EndpointInfo } from './endpoints.ts';
import { nameStyle, serviceKey, servicePortKey, type NameStyle } from './names.ts';
import type { ProxierConfig } from './types.ts';
import { servicePortsOf, type ServicePortInfo } from './serviceport.ts';

/** Objects kube-proxy's informers never deliver (another proxy owns them, or they are headless). */
const PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** One endpoint of one service port (upstream's ServiceEndpoint). */
export interface ServiceEndpoint {
  /** servicePortKey of the port. */
  port: string;
  endpoint: EndpointInfo;
}

export interface UpdateResult {
  /** `ns/name` of every Service whose ports or endpoints changed since the last update. */
  updatedServices: Set<string>;
  /** Cluster IPs of UDP ports that were removed. */
  deletedUDPClusterIPs: Set<string>;
  /** UDP endpoints that were serving and are gone or no longer serving. */
  deletedUDPEndpoints: ServiceEndpoint[];
  /** servicePortKeys of UDP ports that went from no serving endpoint to some. */
  newlyActiveUDPServices: string[];
}

export class ProxyState {
  private readonly services = new Map<string, KObject>();
  private readonly slices = new Map<string, Map<string, KObject>>();
  private readonly dirtyServices = new Set<string>();
  private readonly dirtyEndpoints = new Set<string>();
  /** The snapshot: ports by Service, and endpoints by Service then servicePortKey. */
  private readonly ports = new Map<string, ServicePortInfo[]>();
  private readonly endpoints = new Map<string, Map<string, EndpointInfo[]>>();

  constructor(
    private readonly nodeName: string,
    private readonly style: NameStyle = {},
  ) {}

  /** Records a Service's latest state (undefined: deleted). */
  setService(key: string, svc: KObject | undefined): void {
    if (svc && !svc.metadata.labels?.[PROXY_NAME_LABEL]) this.services.set(key, svc);
    else this.services.delete(key);
    this.dirtyServices.add(key);
  }

  /** Records an EndpointSlice's latest state, or its deletion. */
  setSlice(slice: KObject, deleted: boolean): void {
    const key = sliceServiceKey(slice);
    if (!key) return;
    const labels = slice.metadata.labels ?? {};
    let byName = this.slices.get(key);
    if (deleted || labels[PROXY_NAME_LABEL] || HEADLESS_LABEL in labels) byName?.delete(slice.metadata.name ?? '');
    else {
      if (!byName) this.slices.set(key, (byName = new Map()));
      byName.set(slice.metadata.name ?? '', slice);
    }
    if (byName?.size === 0) this.slices.delete(key);
    this.dirtyEndpoints.add(key);
  }

  /** Whether handlers recorded changes not yet folded into the snapshot. */
  pending(): boolean {
    return this.dirtyServices.size > 0 || this.dirtyEndpoints.size > 0;
  }

  /** Every service port in the snapshot, in a stable order (by Service, then spec order). */
  servicePorts(): ServicePortInfo[] {
    return [...this.ports.keys()].sort().flatMap((k) => this.ports.get(k)!);
  }

  /** The endpoints of one service port (sorted by `ip:port`). */
  endpointsOf(svc: ServicePortInfo): EndpointInfo[] {
    return this.endpoints.get(serviceKey(svc.name))?.get(servicePortKey(svc.name)) ?? [];
  }

  /** Total endpoints of the ports that have a Service (what large-cluster mode counts). */
  totalEndpoints(): number {
    let n = 0;
    for (const svc of this.servicePorts()) n += this.endpointsOf(svc).length;
    return n;
  }

  /** Folds recorded changes into the snapshot and reports what changed. */
  update(): UpdateResult {
    const result: UpdateResult = { updatedServices: new Set(), deletedUDPClusterIPs: new Set(), deletedUDPEndpoints: [], newlyActiveUDPServices: [] };
    for (const key of this.dirtyServices) this.updateService(key, result);
    for (const key of this.dirtyEndpoints) this.updateEndpoints(key, result);
    this.dirtyServices.clear();
    this.dirtyEndpoints.clear();
    return result;
  }

  private updateService(key: string, result: UpdateResult): void {
    const before = this.ports.get(key) ?? [];
    const svc = this.services.get(key);
    const after = svc ? servicePortsOf(svc, this.style) : [];
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    result.updatedServices.add(key);
    const kept = new Set(after.map((p) => servicePortKey(p.name)));
    for (const p of before) {
      if (!kept.has(servicePortKey(p.name)) && p.protocol === 'UDP') result.deletedUDPClusterIPs.add(p.clusterIP);
    }
    if (after.length) this.ports.set(key, after);
    else this.ports.delete(key);
  }

  private updateEndpoints(key: string, result: UpdateResult): void {
    const before = this.endpoints.get(key) ?? new Map<string, EndpointInfo[]>();
    const [ns, name] = splitServiceKey(key);
    const after = endpointsFromSlices(ns, name, [...(this.slices.get(key)?.values() ?? [])], this.nodeName);
    if (JSON.stringify([...before]) === JSON.stringify([...after])) return;
    result.updatedServices.add(key);
    detectStaleConntrack(before, after, result);
    if (after.size) this.endpoints.set(key, after);
    else this.endpoints.delete(key);
  }
}

function splitServiceKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

const isUDP = (portKey: string): boolean => portKey.endsWith('/UDP');

/**
 * detectStaleConntrackEntries: a UDP endpoint that was serving and is gone (or stopped serving)
 * may have conntrack entries still sending traffic to it; a UDP port that gets its first serving
 * endpoint may have entries that black-holed traffic while it had none.
 */
function detectStaleConntrack(before: Map<string, EndpointInfo[]>, after: Map<string, EndpointInfo[]>, result: UpdateResult): void {
  for (const [port, eps] of before) {
    if (!isUDP(port)) continue;
    const now = after.get(port) ?? [];
    for (const ep of eps) {
      if (!ep.serving) continue;
      if (!now.some((n) => n.endpoint === ep.endpoint && n.serving)) result.deletedUDPEndpoints.push({ port, endpoint: ep });
    }
  }
  for (const [port, eps] of after) {
    if (!isUDP(port)) continue;
    const hadServing = (before.get(port) ?? []).some((ep) => ep.serving);
    if (!hadServing && eps.some((ep) => ep.serving)) result.newlyActiveUDPServices.push(port);
  }
}

/**
 * What every proxier's handlers do: record the change in a ProxyState. A mode extends this and
 * writes the recorded state in `sync()`, which does nothing until `onSynced()` (upstream's
 * "initialized" gate: no rules from a half-filled cache).
 */
export abstract class RecordingProxier {
  protected readonly state: ProxyState;
  protected initialized = false;

  constructor(config: Pick<ProxierConfig, 'nodeName' | 'kubeProxyVersion'>) {
    this.state = new ProxyState(config.nodeName, nameStyle(config.kubeProxyVersion));
  }

  onServiceAdd(svc: KObject): void {
    this.state.setService(objectKey(svc), svc);
  }

  onServiceUpdate(_old: KObject, svc: KObject): void {
    this.state.setService(objectKey(svc), svc);
  }

  onServiceDelete(svc: KObject): void {
    this.state.setService(objectKey(svc), undefined);
  }

  onEndpointSliceAdd(slice: KObject): void {
    this.state.setSlice(slice, false);
  }

  onEndpointSliceUpdate(_old: KObject, slice: KObject): void {
    this.state.setSlice(slice, false);
  }

  onEndpointSliceDelete(slice: KObject): void {
    this.state.setSlice(slice, true);
  }

  onSynced(): void {
    this.initialized = true;
  }
}

/** A Service's key in the state: `namespace/name`. */
function objectKey(o: KObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name ?? ''}`;
}
