/**
 * Test support: a small cluster's DNS-relevant objects (namespaces, Services of every kind,
 * EndpointSlices with ready and unready endpoints, hostnames), as plain API objects that feed
 * ClusterRecords the same way in the sim and in the real-socket responder.
 */
import type { KObject } from '../../api/object.ts';
import { KUBEADM_COREFILE, kubernetesConfig, parseCorefile } from '../corefile.ts';
import { KubernetesPlugin } from '../lookup.ts';
import { ClusterRecords } from '../records.ts';

export interface Fixture {
  /** The records' clock (ms since the epoch): the SOA serial is its seconds. */
  now: number;
  namespaces: string[];
  objects: KObject[];
  corefile: string;
  /** The DNS server's own addresses. */
  localIPs: string[];
}

const svc = (ns: string, name: string, spec: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec });

const slice = (ns: string, service: string, name: string, ports: unknown[], endpoints: unknown[]): KObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  ports,
  endpoints,
});

const ep = (ip: string, extra: Record<string, unknown> = {}): unknown => ({ addresses: [ip], conditions: { ready: true }, ...extra });

export function clusterFixture(): Fixture {
  return {
    now: Date.UTC(2024, 0, 1),
    namespaces: ['default', 'kube-system', 'kube-public'],
    corefile: KUBEADM_COREFILE,
    localIPs: ['10.244.0.2'],
    objects: [
      svc('default', 'kubernetes', { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
      slice('default', 'kubernetes', 'kubernetes', [{ name: 'https', port: 6443, protocol: 'TCP' }], [ep('172.18.0.2')]),
      svc('kube-system', 'kube-dns', {
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      }),
      slice('kube-system', 'kube-dns', 'kube-dns-x7k2p', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }], [ep('10.244.0.2', { targetRef: { kind: 'Pod', name: 'coredns-5d78c9869d-abcde', namespace: 'kube-system' } })]),
      svc('default', 'echo-service', { type: 'ClusterIP', clusterIP: '10.96.100.10', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 5678 }] }),
      slice('default', 'echo-service', 'echo-service-abcde', [{ name: 'http', port: 5678, protocol: 'TCP' }], [ep('10.244.1.5'), ep('10.244.2.7')]),
      svc('default', 'web', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
      slice('default', 'web', 'web-q9z8w', [{ name: 'http', port: 80, protocol: 'TCP' }], [
        ep('10.244.1.10', { hostname: 'web-0' }),
        ep('10.244.2.11', { hostname: 'web-1' }),
        { addresses: ['10.244.2.12'], hostname: 'web-2', conditions: { ready: false } },
      ]),
      svc('default', 'empty-headless', { type: 'ClusterIP', clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
      svc('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
      svc('default', 'alias', { type: 'ExternalName', externalName: 'echo-service.default.svc.cluster.local' }),
    ],
  };
}

/** The fixture's objects in a fresh ClusterRecords on the fixture's clock. */
export function fixtureRecords(f: Fixture): ClusterRecords {
  const r = new ClusterRecords(() => f.now);
  for (const ns of f.namespaces) r.setNamespace(ns);
  for (const o of f.objects) {
    if (o.kind === 'Service') r.setService(o);
    else if (o.kind === 'EndpointSlice') r.setEndpoints(o);
    else if (o.kind === 'Pod') r.setPod(o);
  }
  return r;
}

export function fixturePlugin(f: Fixture): KubernetesPlugin {
  const block = parseCorefile(f.corefile)[0];
  return new KubernetesPlugin(fixtureRecords(f), kubernetesConfig(block, f.localIPs)!);
}
