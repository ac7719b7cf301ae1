/**
 * What a proxier needs to know about one port of one Service (upstream's BaseServicePortInfo):
 * read from the Service object for one IP family (IPv4 here), with upstream's rules for which
 * Services are skipped and which IPs count (cluster IP by family, externalIPs, VIP-mode load
 * balancer ingress, trimmed source ranges, ClientIP affinity timeout, traffic policies).
 */
import type { Service, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { servicePortNameString, type NameStyle, type ServicePortName } from './names.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortInfo {
  name: ServicePortName;
  /** ServicePortName.String() in the release's style: what comments print and chain names hash. */
  nameString: string;
  type: string;
  clusterIP: string;
  port: number;
  protocol: Protocol;
  /** 0 when the port has none. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress IPs in VIP mode (ipMode unset or VIP), status order. */
  loadBalancerVIPs: string[];
  /** Trimmed, IPv4 only; empty when a range is 0.0.0.0/0 (which allows everyone). */
  loadBalancerSourceRanges: string[];
  /** sessionAffinity ClientIP. */
  clientIPAffinity: boolean;
  /** The affinity timeout in seconds (0 without affinity). */
  stickyMaxAgeSeconds: number;
  /** externalTrafficPolicy Local on an externally accessible Service. */
  externalPolicyLocal: boolean;
  /** internalTrafficPolicy Local. */
  internalPolicyLocal: boolean;
  /** 0 unless a LoadBalancer with externalTrafficPolicy Local. */
  healthCheckNodePort: number;
}

const DEFAULT_AFFINITY_TIMEOUT = 10800;

/** ExternallyAccessible: reachable other than through the cluster IP. */
export function externallyAccessible(p: ServicePortInfo): boolean {
  return p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0;
}

/** UsesClusterEndpoints: Cluster internal policy, or external traffic at all (short-circuiting needs them). */
export function usesClusterEndpoints(p: ServicePortInfo): boolean {
  return !p.internalPolicyLocal || externallyAccessible(p);
}

/** UsesLocalEndpoints: Local internal policy, or Local external policy with external traffic. */
export function usesLocalEndpoints(p: ServicePortInfo): boolean {
  return p.internalPolicyLocal || (p.externalPolicyLocal && externallyAccessible(p));
}

export function isIPv4(ip: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
}

/** GetClusterIPByFamily for IPv4: from clusterIPs by ipFamilies, or clusterIP for old objects. */
function clusterIPv4(svc: Service): string {
  const spec = svc.spec ?? {};
  if (!spec.ipFamilies?.length) {
    const ip = spec.clusterIP ?? '';
    return ip && ip !== 'None' && isIPv4(ip) ? ip : '';
  }
  const idx = spec.ipFamilies.indexOf('IPv4');
  return idx >= 0 ? (spec.clusterIPs?.[idx] ?? '') : '';
}

/** ShouldSkipService: headless and ExternalName Services get no rules. */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip === '' || ip === 'None' || svc.spec?.type === 'ExternalName';
}

/** apiservice.ExternallyAccessible: on the Service as a whole (type, or ClusterIP with externalIPs). */
function serviceExternallyAccessible(svc: Service): boolean {
  const type = svc.spec?.type ?? 'ClusterIP';
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (svc.spec?.externalIPs?.length ?? 0) > 0);
}

function sourceRanges(svc: Service): string[] {
  // Validation used to let whitespace through; upstream trims rather than fail.
  const ranges = (svc.spec?.loadBalancerSourceRanges ?? []).map((r) => r.trim()).filter((r) => isIPv4(r.split('/')[0]));
  return ranges.includes('0.0.0.0/0') ? [] : ranges;
}

function portInfo(svc: Service, port: ServicePort, clusterIP: string, style: NameStyle): ServicePortInfo {
  const spec = svc.spec ?? {};
  const name: ServicePortName = {
    namespace: svc.metadata?.namespace ?? 'default',
    name: svc.metadata?.name ?? '',
    port: port.name ?? '',
    protocol: (port.protocol ?? 'TCP') as Protocol,
  };
  const externalPolicyLocal = serviceExternallyAccessible(svc) && spec.externalTrafficPolicy === 'Local';
  const clientIPAffinity = spec.sessionAffinity === 'ClientIP';
  return {
    name,
    nameString: servicePortNameString(name, style),
    type: spec.type ?? 'ClusterIP',
    clusterIP,
    port: port.port,
    protocol: name.protocol as Protocol,
    nodePort: port.nodePort ?? 0,
    externalIPs: (spec.externalIPs ?? []).filter(isIPv4),
    loadBalancerVIPs: (svc.status?.loadBalancer?.ingress ?? [])
      .filter((ing) => ing.ip && isIPv4(ing.ip) && (ing.ipMode === undefined || ing.ipMode === 'VIP'))
      .map((ing) => ing.ip!),
    loadBalancerSourceRanges: sourceRanges(svc),
    clientIPAffinity,
    stickyMaxAgeSeconds: clientIPAffinity ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT) : 0,
    externalPolicyLocal,
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    healthCheckNodePort: spec.type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0,
  };
}

/** Every port of a Service the proxier programs (none for skipped Services or those without an IPv4 cluster IP). */
export function servicePortsOf(obj: KObject, style: NameStyle = {}): ServicePortInfo[] {
  const svc = obj as unknown as Service;
  if (shouldSkipService(svc)) return [];
  const clusterIP = clusterIPv4(svc);
  if (!clusterIP) return [];
  return (svc.spec?.ports ?? []).map((p) => portInfo(svc, p, clusterIP, style));
}
