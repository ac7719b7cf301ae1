/**
 * Cluster specs resolved from kind's defaults: node names (`NAME-control-plane`, `NAME-worker`,
 * `NAME-worker2`, ...), node IPs on the kind network 172.18.0.0/16 in creation order, pod CIDRs
 * 10.244.N.0/24 in registration order, the service subnet and the DNS IP (its 10th address).
 */
import { formatIPv4, parseIPv4 } from '../kernel/addr.ts';
import type { ProxyMode } from '../k8s/proxy/types.ts';
import type { ClusterSpec, NodeSpec } from './cluster.ts';

export interface KindOptions {
  name?: string;
  workers?: number;
  /** Extra control-plane nodes beyond the first (HA); 0 by default. */
  controlPlanes?: number;
  podSubnet?: string;
  serviceSubnet?: string;
  proxyMode?: ProxyMode;
  /** The node image's Kubernetes version (default v1.30.0). */
  version?: string;
  seed?: number;
  start?: number;
}

/** The Nth /24 of a /16 pod subnet (10.244.0.0/16, 2 → 10.244.2.0/24). */
function podCIDR(subnet: string, n: number): string {
  const base = parseIPv4(subnet.split('/')[0]);
  if (base === undefined) throw new Error(`invalid pod subnet ${subnet}`);
  return `${formatIPv4((base + n * 256) >>> 0)}/24`;
}

/** The `n`th address of a subnet (the service subnet's 10th is the DNS IP). */
export function nthAddress(subnet: string, n: number): string {
  const base = parseIPv4(subnet.split('/')[0]);
  if (base === undefined) throw new Error(`invalid subnet ${subnet}`);
  return formatIPv4((base + n) >>> 0);
}

export function kindSpec(o: KindOptions = {}): ClusterSpec {
  const name = o.name ?? 'kind';
  const podSubnet = o.podSubnet ?? '10.244.0.0/16';
  const serviceSubnet = o.serviceSubnet ?? '10.96.0.0/12';
  const names = [`${name}-control-plane`, ...Array.from({ length: o.controlPlanes ?? 0 }, (_, i) => `${name}-control-plane${i + 2}`)];
  const roles: NodeSpec['role'][] = names.map(() => 'control-plane');
  for (let i = 1; i <= (o.workers ?? 0); i++) {
    names.push(`${name}-worker${i === 1 ? '' : i}`);
    roles.push('worker');
  }
  return {
    name,
    nodes: names.map((n, i) => ({ name: n, role: roles[i], ip: `172.18.0.${i + 2}`, podCIDR: podCIDR(podSubnet, i) })),
    network: { subnet: '172.18.0.0/16', gateway: '172.18.0.1' },
    podSubnet, serviceSubnet, dnsIP: nthAddress(serviceSubnet, 10),
    proxyMode: o.proxyMode ?? 'iptables',
    version: o.version ?? 'v1.30.0',
    seed: o.seed ?? 1,
    start: o.start ?? Date.UTC(2020, 2, 7, 0, 20),
  };
}
