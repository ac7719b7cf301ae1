/**
 * What one IPVS-mode sync wants the node to have (upstream pkg/proxy/ipvs/proxier.go
 * syncProxyRules and writeIptablesRules), computed from the service ports and endpoints without
 * touching the host: the ipset members, the virtual servers with their real servers, the
 * addresses on kube-ipvs0, and the iptables-restore text, line for line as upstream writes it.
 */
import type { EndpointInfo } from '../endpoints.ts';
import type { ServicePortInfo } from '../serviceport.ts';
import { categorizeEndpoints } from '../topology.ts';

export const DUMMY_DEVICE = 'kube-ipvs0';

type SetKind = 'hash:ip,port,ip' | 'hash:ip,port' | 'hash:ip,port,net' | 'bitmap:port' | 'hash:ip';

/** ipsetInfo: every set the proxier keeps, its type and comment. */
export const IPSETS: readonly { name: string; type: SetKind; comment: string }[] = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

/** ipsetWithIptablesChain: [set, table, from chain, to, match flags, -p]. Local sets come before their general ones. */
const SET_JUMPS: readonly [string, 'nat' | 'filter', string, string, string, string?][] = [
  ['KUBE-LOOP-BACK', 'nat', 'KUBE-POSTROUTING', 'MASQUERADE', 'dst,dst,src'],
  ['KUBE-LOAD-BALANCER', 'nat', 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst'],
  ['KUBE-LOAD-BALANCER-LOCAL', 'nat', 'KUBE-LOAD-BALANCER', 'RETURN', 'dst,dst'],
  ['KUBE-NODE-PORT-LOCAL-TCP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-TCP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-LOCAL-UDP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'udp'],
  ['KUBE-NODE-PORT-UDP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'udp'],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst,dst', 'sctp'],
  ['KUBE-NODE-PORT-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst,dst', 'sctp'],
  ['KUBE-LOAD-BALANCER-FW', 'filter', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'dst,dst'],
  ['KUBE-LOAD-BALANCER-SOURCE-CIDR', 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src'],
  ['KUBE-LOAD-BALANCER-SOURCE-IP', 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src'],
];

/** iptablesChains, per table, in upstream's order. */
export const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'];
export const FILTER_CHAINS = ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER'];

/** iptablesJumpChain: the jumps from built-in chains, inserted first with `iptables -I`. */
export const JUMPS: readonly [table: 'nat' | 'filter', from: string, to: string, comment: string][] = [
  ['nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals'],
  ['nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals'],
  ['nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules'],
  ['filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules'],
  ['filter', 'INPUT', 'KUBE-NODE-PORT', 'kubernetes health check rules'],
  ['filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'],
  ['filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'],
  ['filter', 'INPUT', 'KUBE-IPVS-FILTER', 'kubernetes ipvs access filter'],
  ['filter', 'OUTPUT', 'KUBE-IPVS-OUT-FILTER', 'kubernetes ipvs access filter'],
];

export interface VirtualServer {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  address: string;
  port: number;
  scheduler: string;
  /** Persistence timeout (ClientIP affinity). */
  persistent?: number;
  /** Real servers as `ip:port`. */
  dests: string[];
}

export interface PlanInput {
  ports: { svc: ServicePortInfo; endpoints: EndpointInfo[] }[];
  nodeIPs: string[];
  scheduler: string;
  masqueradeAll: boolean;
  clusterCIDR?: string;
  masqueradeBit: number;
  zone?: string;
}

export interface Plan {
  sets: Map<string, Set<string>>;
  servers: VirtualServer[];
  bindAddrs: Set<string>;
  iptables: string;
}

/** `%#08x` of the mark bit, as upstream formats masqueradeMark. */
export function masqMark(bit: number): string {
  return `0x${(1 << bit).toString(16).padStart(6, '0')}`;
}

export function planSync(input: PlanInput): Plan {
  const sets = new Map(IPSETS.map((s) => [s.name, new Set<string>()]));
  const add = (set: string, entry: string): void => void sets.get(set)!.add(entry);
  const servers: VirtualServer[] = [];
  const bindAddrs = new Set<string>();
  const hasNodePort = input.ports.some((p) => p.svc.nodePort !== 0);

  for (const { svc, endpoints } of input.ports) {
    const proto = svc.protocol.toLowerCase();
    for (const ep of endpoints) if (ep.isLocal) add('KUBE-LOOP-BACK', `${ep.ip},${proto}:${ep.port},${ep.ip}`);
    const cat = categorizeEndpoints(endpoints, svc, input.zone);
    // syncEndpoint: Local policy uses the local endpoints, or all cluster ones when there are none here.
    const pick = (local: boolean): string[] => (local && cat.local.length > 0 ? cat.local : cat.cluster).map((e) => `${e.ip}:${e.port}`);
    const server = (address: string, port: number, local: boolean): void => {
      servers.push({ protocol: svc.protocol, address, port, scheduler: input.scheduler, persistent: svc.clientIPAffinity ? svc.stickyMaxAgeSeconds : undefined, dests: [...new Set(pick(local))] });
    };

    add('KUBE-CLUSTER-IP', `${svc.clusterIP},${proto}:${svc.port}`);
    server(svc.clusterIP, svc.port, svc.internalPolicyLocal);
    bindAddrs.add(svc.clusterIP);

    for (const ip of svc.externalIPs) {
      add(svc.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', `${ip},${proto}:${svc.port}`);
      server(ip, svc.port, svc.externalPolicyLocal);
      if (!input.nodeIPs.includes(ip)) bindAddrs.add(ip);
    }

    for (const ip of svc.loadBalancerVIPs) {
      const entry = `${ip},${proto}:${svc.port}`;
      add('KUBE-LOAD-BALANCER', entry);
      if (svc.externalPolicyLocal) add('KUBE-LOAD-BALANCER-LOCAL', entry);
      if (svc.loadBalancerSourceRanges.length) {
        add('KUBE-LOAD-BALANCER-FW', entry);
        for (const cidr of svc.loadBalancerSourceRanges) add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${entry},${cidr}`);
      }
      server(ip, svc.port, svc.externalPolicyLocal);
      if (!input.nodeIPs.includes(ip)) bindAddrs.add(ip);
    }

    if (svc.nodePort !== 0 && hasNodePort && input.nodeIPs.length) {
      const general = proto === 'tcp' ? 'KUBE-NODE-PORT-TCP' : proto === 'udp' ? 'KUBE-NODE-PORT-UDP' : 'KUBE-NODE-PORT-SCTP-HASH';
      const entries = proto === 'sctp' ? input.nodeIPs.map((ip) => `${ip},sctp:${svc.nodePort}`) : [String(svc.nodePort)];
      for (const e of entries) add(general, e);
      if (svc.externalPolicyLocal) for (const e of entries) add(general.replace('KUBE-NODE-PORT-', 'KUBE-NODE-PORT-LOCAL-'), e);
      for (const ip of input.nodeIPs) server(ip, svc.nodePort, svc.externalPolicyLocal);
    }
    if (svc.healthCheckNodePort) add('KUBE-HEALTH-CHECK-NODE-PORT', String(svc.healthCheckNodePort));
  }
  sets.set('KUBE-IPVS-IPS', new Set(bindAddrs));
  return { sets, servers, bindAddrs, iptables: iptablesText(sets, input) };
}

const comment = (set: string): string => `"${IPSETS.find((s) => s.name === set)!.comment}"`;

/** writeIptablesRules plus the chain lines: the iptables-restore --noflush payload. */
function iptablesText(sets: Map<string, Set<string>>, input: PlanInput): string {
  const nonEmpty = (s: string): boolean => sets.get(s)!.size > 0;
  const mark = masqMark(input.masqueradeBit);
  const nat: string[] = ['-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN'];
  const filter: string[] = [];
  for (const [set, table, from, to, match, proto] of SET_JUMPS) {
    if (!nonEmpty(set)) continue;
    const line = `-A ${from}${proto ? ` -p ${proto}` : ''} -m comment --comment ${comment(set)} -m set --match-set ${set} ${match} -j ${to}`;
    (table === 'nat' ? nat : filter).push(line);
  }
  if (nonEmpty('KUBE-CLUSTER-IP')) {
    const args = `-A KUBE-SERVICES -m comment --comment ${comment('KUBE-CLUSTER-IP')} -m set --match-set KUBE-CLUSTER-IP`;
    if (input.masqueradeAll) nat.push(`${args} dst,dst -j KUBE-MARK-MASQ`);
    else if (input.clusterCIDR) nat.push(`${args} dst,dst ! -s ${input.clusterCIDR} -j KUBE-MARK-MASQ`);
    // Without a local-traffic detector: masquerade what the node itself sends from a VIP.
    else nat.push(`${args} src,dst -j KUBE-MARK-MASQ`);
  }
  const externalRules = (args: string): void => {
    nat.push(`${args} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.push(`${args} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (nonEmpty('KUBE-EXTERNAL-IP')) {
    const args = `-A KUBE-SERVICES -m comment --comment ${comment('KUBE-EXTERNAL-IP')} -m set --match-set KUBE-EXTERNAL-IP dst,dst`;
    nat.push(`${args} -j KUBE-MARK-MASQ`);
    externalRules(args);
  }
  if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) externalRules(`-A KUBE-SERVICES -m comment --comment ${comment('KUBE-EXTERNAL-IP-LOCAL')} -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst`);
  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  // acceptIPVSTraffic: last in KUBE-SERVICES, so other rules cannot break IPVS traffic.
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) if (nonEmpty(set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${set} dst,dst -j ACCEPT`);
  filter.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.push(`-A KUBE-NODE-PORT -m comment --comment ${comment('KUBE-HEALTH-CHECK-NODE-PORT')} -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT`);
  for (const set of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL']) filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${set} dst,dst -j RETURN`);
  filter.push('-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN');
  filter.push('-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT');
  nat.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.push('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
  nat.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);
  const chains = (names: string[]): string[] => names.map((c) => `:${c} - [0:0]`);
  return [...['*nat', ...chains(NAT_CHAINS)], ...nat, 'COMMIT', ...['*filter', ...chains(FILTER_CHAINS)], ...filter, 'COMMIT'].join('\n') + '\n';
}
