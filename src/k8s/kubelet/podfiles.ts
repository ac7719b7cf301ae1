/**
 * The files the kubelet gives every container: /etc/resolv.conf by the pod's dnsPolicy (the
 * cluster DNS with its search path and ndots:5 for ClusterFirst), the managed /etc/hosts, and
 * /etc/hostname.
 */
import type { Pod } from '../controllers/util.ts';

type PodSpec = NonNullable<Pod['spec']>;

export interface DnsSettings {
  /** The cluster DNS service IP(s) (`--cluster-dns`). */
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's own /etc/resolv.conf (dnsPolicy Default and hostNetwork pods). */
  nodeResolvConf: string;
}

function resolvConf(servers: string[], searches: string[], options: string[]): string {
  let out = '';
  if (searches.length) out += `search ${searches.join(' ')}\n`;
  for (const s of servers) out += `nameserver ${s}\n`;
  if (options.length) out += `options ${options.join(' ')}\n`;
  return out;
}

/** /etc/resolv.conf as the kubelet (and containerd, which writes it) makes it for `pod`. */
export function podResolvConf(pod: Pod, dns: DnsSettings): string {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const cfg = spec.dnsConfig ?? {};
  const clusterFirst = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !spec.hostNetwork);
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (clusterFirst && dns.clusterDNS.length) {
    const ns = pod.metadata.namespace ?? 'default';
    const d = dns.clusterDomain;
    servers = [...dns.clusterDNS];
    searches = [`${ns}.svc.${d}`, `svc.${d}`, d];
    options = ['ndots:5'];
  } else if (policy !== 'None') {
    for (const line of dns.nodeResolvConf.split('\n')) {
      const [k, ...rest] = line.trim().split(/\s+/);
      if (k === 'nameserver' && rest[0]) servers.push(rest[0]);
      else if (k === 'search') searches = rest;
      else if (k === 'options') options = rest;
    }
  }
  // dnsConfig adds to what the policy gave (replaces options of the same name).
  servers = [...servers, ...(cfg.nameservers ?? [])];
  searches = [...searches, ...(cfg.searches ?? [])];
  for (const o of cfg.options ?? []) {
    const opt = o.value !== undefined ? `${o.name}:${o.value}` : o.name!;
    options = [...options.filter((x) => x.split(':')[0] !== o.name), opt];
  }
  return resolvConf(servers, searches, options);
}

/** The kubelet-managed /etc/hosts of a pod with its own network (hostNetwork pods get the node's). */
export function podHosts(pod: Pod, podIP: string): string {
  let out = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const name = spec.hostname ?? pod.metadata.name!;
  if (spec.subdomain) out += `${podIP}\t${name}.${spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local\t${name}\n`;
  else out += `${podIP}\t${name}\n`;
  const aliases = spec.hostAliases ?? [];
  if (aliases.length) {
    out += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return out;
}

/** The pod's hostname: spec.hostname or its name (cut to 63 characters, as the kubelet does). */
export function podHostname(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata.name!).slice(0, 63).replace(/[-.]+$/, '');
}
