/** The cluster DNS server (CoreDNS's kubernetes plugin): its program, records, lookups and wire handling. */
export { corednsCommand, startCoreDns, COREDNS_VERSION, type StartedCoreDns } from './coredns.ts';
export { KUBEADM_COREFILE, parseCorefile, kubernetesConfig } from './corefile.ts';
export { KubernetesPlugin, defaultKubernetesConfig, type KubernetesConfig, type Reply } from './lookup.ts';
export { ClusterRecords, type DnsSource, type DnsService, type DnsEndpoints, type DnsPod } from './records.ts';
export { respond } from './respond.ts';
export { serveDns } from './server.ts';
export { watchCluster } from './watch.ts';
