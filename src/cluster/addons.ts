/**
 * The add-ons kubeadm installs in every cluster, as objects: CoreDNS (its ConfigMap with the
 * default Corefile, the Deployment and the kube-dns Service at the cluster DNS IP).
 */
import type { KObject } from '../k8s/api/object.ts';
import type { ResourceInfo } from '../k8s/api/resources.ts';
import { R } from '../k8s/controllers/util.ts';
import { KUBEADM_COREFILE } from '../k8s/dns/index.ts';
import type { ClusterSpec } from './cluster.ts';

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.1';

export function clusterDnsObjects(spec: Pick<ClusterSpec, 'dnsIP'>): { resource: ResourceInfo; namespace: string; object: KObject }[] {
  const labels = { 'k8s-app': 'kube-dns' };
  const configMaps = R.configmaps;
  return [
    { resource: configMaps, namespace: 'kube-system', object: { metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: KUBEADM_COREFILE } } },
    {
      resource: R.deployments, namespace: 'kube-system',
      object: {
        metadata: { name: 'coredns', namespace: 'kube-system', labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
          template: {
            metadata: { labels },
            spec: {
              containers: [{
                name: 'coredns', image: COREDNS_IMAGE, args: ['-conf', '/etc/coredns/Corefile'],
                ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' }],
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              }],
              dnsPolicy: 'Default',
              serviceAccountName: 'coredns',
              tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
              volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
            },
          },
        },
      },
    },
    {
      resource: R.services, namespace: 'kube-system',
      object: {
        metadata: {
          name: 'kube-dns', namespace: 'kube-system',
          labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
          annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        },
        spec: {
          selector: labels, clusterIP: spec.dnsIP,
          ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }],
        },
      },
    },
  ];
}
