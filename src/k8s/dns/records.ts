/**
 * The cluster DNS server's view of the cluster: namespaces, Services, EndpointSlices and pods,
 * reduced to what DNS answers need (CoreDNS's object.Service / object.Endpoints), with the
 * indexes its lookups use (by name, by IP) and the SOA serial (the Unix time of the last change,
 * as CoreDNS's dnsControl.Modified). Fed with API objects by watch.ts or directly by tests.
 */
import type { KObject } from '../api/object.ts';

/** A port of a Service or an EndpointSlice; port -1 is CoreDNS's sentinel for "no ports". */
export interface DnsPort {
  name: string;
  port: number;
  protocol: string;
}

export interface DnsService {
  namespace: string;
  name: string;
  type: string;
  /** Empty for a headless Service (clusterIP None) and for ExternalName. */
  clusterIPs: string[];
  headless: boolean;
  externalName?: string;
  ports: DnsPort[];
}

export interface DnsEndpointAddress {
  ip: string;
  hostname?: string;
  /** The pod behind it (`endpoint_pod_names` names endpoints after it). */
  targetRefName?: string;
}

/** One EndpointSlice: only its ready endpoints count, as CoreDNS's EndpointSliceToEndpoints. */
export interface DnsEndpoints {
  namespace: string;
  name: string;
  /** The Service it belongs to (label kubernetes.io/service-name). */
  service: string;
  addresses: DnsEndpointAddress[];
  ports: DnsPort[];
}

export interface DnsPod {
  namespace: string;
  name: string;
  ips: string[];
}

/** What a lookup reads; ClusterRecords implements it. */
export interface DnsSource {
  namespaceExists(ns: string): boolean;
  service(ns: string, name: string): DnsService | undefined;
  /** The EndpointSlices of a Service. */
  endpoints(ns: string, service: string): DnsEndpoints[];
  servicesByIP(ip: string): DnsService[];
  endpointsByIP(ip: string): DnsEndpoints[];
  podsByIP(ip: string): DnsPod[];
  /** The SOA serial: Unix seconds of the last change. */
  serial(): number;
}

const key = (ns: string, name: string): string => `${ns}/${name}`;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

type Spec = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function ports(list: unknown): DnsPort[] {
  const out = (Array.isArray(list) ? (list as Spec[]) : []).map((p) => ({ name: str(p.name) ?? '', port: Number(p.port ?? -1), protocol: str(p.protocol) ?? 'TCP' }));
  // CoreDNS adds a sentinel when there are none, so A records still answer and SRV skips it.
  return out.length ? out : [{ name: '', port: -1, protocol: '' }];
}

export function toDnsService(obj: KObject): DnsService {
  const spec = (obj.spec ?? {}) as Spec;
  const type = str(spec.type) ?? 'ClusterIP';
  const clusterIP = str(spec.clusterIP);
  const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : clusterIP ? [clusterIP] : [];
  const headless = clusterIP === 'None';
  return {
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name!,
    type,
    clusterIPs: headless || type === 'ExternalName' ? [] : ips.filter((ip) => ip && ip !== 'None'),
    headless,
    externalName: type === 'ExternalName' ? str(spec.externalName) : undefined,
    ports: ports(spec.ports),
  };
}

export function toDnsEndpoints(obj: KObject): DnsEndpoints {
  const addresses: DnsEndpointAddress[] = [];
  for (const e of (Array.isArray(obj.endpoints) ? obj.endpoints : []) as Spec[]) {
    // A missing ready condition means ready (endpointsliceReady).
    const ready = (e.conditions as Spec | undefined)?.ready;
    if (ready === false) continue;
    for (const ip of (e.addresses ?? []) as string[]) {
      addresses.push({ ip, hostname: str(e.hostname), targetRefName: str((e.targetRef as Spec | undefined)?.name) });
    }
  }
  return {
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name!,
    service: obj.metadata.labels?.[SERVICE_NAME_LABEL] ?? '',
    addresses,
    ports: ports(obj.ports),
  };
}

export function toDnsPod(obj: KObject): DnsPod {
  const status = (obj.status ?? {}) as Spec;
  const list = Array.isArray(status.podIPs) ? (status.podIPs as Spec[]).map((p) => str(p.ip) ?? '') : [];
  const ips = list.length ? list : str(status.podIP) ? [str(status.podIP)!] : [];
  return { namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name!, ips: ips.filter(Boolean) };
}

/** The data source: objects in, indexed records out. */
export class ClusterRecords implements DnsSource {
  private readonly namespaces = new Set<string>();
  private readonly services = new Map<string, DnsService>();
  private readonly slices = new Map<string, DnsEndpoints>();
  private readonly pods = new Map<string, DnsPod>();
  private modified: number;

  /** `now` is the clock of the process serving (ms since the epoch). */
  constructor(private readonly now: () => number) {
    this.modified = Math.floor(now() / 1000);
  }

  private touch(): void {
    this.modified = Math.floor(this.now() / 1000);
  }

  setNamespace(name: string): void {
    this.namespaces.add(name);
    this.touch();
  }

  deleteNamespace(name: string): void {
    this.namespaces.delete(name);
    this.touch();
  }

  setService(obj: KObject | DnsService): void {
    const s = 'metadata' in obj ? toDnsService(obj) : obj;
    this.services.set(key(s.namespace, s.name), s);
    this.touch();
  }

  deleteService(ns: string, name: string): void {
    this.services.delete(key(ns, name));
    this.touch();
  }

  setEndpoints(obj: KObject | DnsEndpoints): void {
    const e = 'metadata' in obj ? toDnsEndpoints(obj) : obj;
    this.slices.set(key(e.namespace, e.name), e);
    this.touch();
  }

  deleteEndpoints(ns: string, name: string): void {
    this.slices.delete(key(ns, name));
    this.touch();
  }

  setPod(obj: KObject | DnsPod): void {
    const p = 'metadata' in obj ? toDnsPod(obj) : obj;
    this.pods.set(key(p.namespace, p.name), p);
    this.touch();
  }

  deletePod(ns: string, name: string): void {
    this.pods.delete(key(ns, name));
    this.touch();
  }

  namespaceExists(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  service(ns: string, name: string): DnsService | undefined {
    return this.services.get(key(ns, name));
  }

  endpoints(ns: string, service: string): DnsEndpoints[] {
    return [...this.slices.values()].filter((e) => e.namespace === ns && e.service === service);
  }

  servicesByIP(ip: string): DnsService[] {
    return [...this.services.values()].filter((s) => s.clusterIPs.includes(ip));
  }

  endpointsByIP(ip: string): DnsEndpoints[] {
    return [...this.slices.values()].filter((e) => e.addresses.some((a) => a.ip === ip));
  }

  podsByIP(ip: string): DnsPod[] {
    return [...this.pods.values()].filter((p) => p.ips.includes(ip));
  }

  serial(): number {
    return this.modified;
  }
}
