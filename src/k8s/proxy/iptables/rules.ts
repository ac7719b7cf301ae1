/**
 * The iptables-restore payload kube-proxy's syncProxyRules writes (v1.30–1.32 layout), as a pure
 * function of the snapshot: the filter chains (KUBE-SERVICES, KUBE-EXTERNAL-SERVICES,
 * KUBE-FORWARD, KUBE-NODEPORTS, KUBE-PROXY-FIREWALL, KUBE-FIREWALL) and the nat chains
 * (KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ and per service port
 * KUBE-SVC/SVL/EXT/FW/SEP), with upstream's argument order, comments and probabilities. On a
 * partial sync the per-service chains of unchanged Services are generated but discarded.
 */
import { endpointChainName, isServiceChainName, serviceChainNames, serviceKey } from '../names.ts';
import type { EndpointInfo } from '../endpoints.ts';
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from '../serviceport.ts';
import { categorizeEndpoints } from '../topology.ts';
import { chainLine, DiscardBuffer, LineBuffer, type LineSink } from './linebuffer.ts';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

/** Above this many endpoints, SEP and SVC→SEP rules lose their comments (iptables speed over readability). */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

/** The nfacct counters kube-proxy uses when they exist. */
export const NFACCT_CT_INVALID = 'ct_state_invalid_dropped_pkts';
export const NFACCT_LOCALHOST_NODEPORTS = 'localhost_nps_accepted_pkts';

export interface RulesOptions {
  /** `1 << masqueradeBit` printed as Go's %#08x (`0x00004000`); upstream's tests use `0x4000`. */
  masqueradeMark: string;
  masqueradeAll: boolean;
  /** The ClusterCIDR local-traffic detector's CIDR; undefined: no detector. */
  clusterCIDR?: string;
  /** `--iptables-localhost-nodeports`, already false when nodeport-addresses exclude 127.0.0.1. */
  localhostNodePorts: boolean;
  /** Node IPs the final KUBE-SERVICES rule names (`--nodeport-addresses`); undefined: all local addresses. */
  nodePortIPs?: string[];
  /** The node's (first IPv4) IP: source ranges containing it also admit the LB IPs as sources. */
  nodeIP?: string;
  /** The node's topology zone (topology.kubernetes.io/zone), for zone hints. */
  zone?: string;
  /** MASQUERADE gets --random-fully (iptables ≥ 1.6.2). */
  randomFully: boolean;
  /** nf_conntrack_tcp_be_liberal is set: no INVALID drop rule. */
  conntrackTCPLiberal: boolean;
  /** The nfacct counters that exist. */
  nfacct: { ctInvalid: boolean; localhostNodePorts: boolean };
}

export interface RulesInput {
  services: ServicePortInfo[];
  endpointsOf(svc: ServicePortInfo): EndpointInfo[];
  /** Write every chain (else only the per-service chains of `updated` Services). */
  full: boolean;
  /** `ns/name` of Services whose Service or slices changed since the last sync. */
  updated: ReadonlySet<string>;
  /** nat chains that exist now (iptables-save -t nat), to delete the stale ones; undefined: skip. */
  existingNatChains?: ReadonlySet<string>;
}

export interface RulesOutput {
  /** The iptables-restore input: `*filter … COMMIT` then `*nat … COMMIT`. */
  text: string;
  filterRules: number;
  /** nat rules in place after the restore (written + kept from unchanged services), as the metric counts them. */
  natRules: number;
  /** Per-service nat chains in use (written or kept). */
  activeNatChains: Set<string>;
  deletedChains: string[];
  largeClusterMode: boolean;
}

/** computeProbability: Go's %0.10f of 1/n. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

interface Buffers {
  filterChains: LineBuffer;
  filterRules: LineBuffer;
  natChains: LineBuffer;
  natRules: LineBuffer;
  skippedChains: DiscardBuffer;
  skippedRules: DiscardBuffer;
}

export function buildRules(opts: RulesOptions, input: RulesInput): RulesOutput {
  const b: Buffers = {
    filterChains: new LineBuffer(), filterRules: new LineBuffer(), natChains: new LineBuffer(), natRules: new LineBuffer(),
    skippedChains: new DiscardBuffer(), skippedRules: new DiscardBuffer(),
  };
  const mark = `${opts.masqueradeMark}/${opts.masqueradeMark}`;
  for (const c of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) b.filterChains.write(chainLine(c));
  for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]) b.natChains.write(chainLine(c));

  b.natRules.write('-A', KUBE_POSTROUTING, '-m', 'mark', '!', '--mark', mark, '-j', 'RETURN');
  // Clear the mark so a packet re-traversing the stack is not masqueraded twice.
  b.natRules.write('-A', KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', opts.masqueradeMark);
  b.natRules.write('-A', KUBE_POSTROUTING, '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE',
    opts.randomFully ? ['--random-fully'] : []);
  b.natRules.write('-A', KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', opts.masqueradeMark);

  if (opts.localhostNodePorts) {
    // route_localnet (for localhost NodePorts) lets martians in; kubelet writes the same guard.
    b.filterChains.write(chainLine(KUBE_FIREWALL));
    b.filterRules.write('-A', KUBE_FIREWALL, '-m', 'comment', '--comment', '"block incoming localnet connections"',
      '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP');
  }

  let totalEndpoints = 0;
  for (const svc of input.services) totalEndpoints += input.endpointsOf(svc).length;
  const largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;

  const active = new Set<string>();
  const writer = new ServiceWriter(opts, b, active, largeClusterMode);
  for (const svc of input.services) {
    const keep = input.full || input.updated.has(serviceKey(svc.name));
    writer.write(svc, input.endpointsOf(svc), keep);
  }

  const deletedChains: string[] = [];
  if (input.existingNatChains) {
    for (const chain of [...input.existingNatChains].sort()) {
      if (active.has(chain) || !isServiceChainName(chain)) continue;
      // The chain line flushes it, which -X requires.
      b.natChains.write(chainLine(chain));
      b.natRules.write('-X', chain);
      deletedChains.push(chain);
    }
  }

  writeNodePortsJump(opts, b.natRules);
  writeForwardRules(opts, b.filterRules, mark);

  const text = `*filter\n${b.filterChains.text()}${b.filterRules.text()}COMMIT\n*nat\n${b.natChains.text()}${b.natRules.text()}COMMIT\n`;
  return {
    text,
    filterRules: b.filterRules.lines,
    natRules: b.natRules.lines + b.skippedRules.lines - deletedChains.length,
    activeNatChains: active,
    deletedChains,
    largeClusterMode,
  };
}

/** The tail call to KUBE-NODEPORTS: always the last rule of nat KUBE-SERVICES. */
function writeNodePortsJump(opts: RulesOptions, natRules: LineSink): void {
  const comment = ['-m', 'comment', '--comment', '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"'];
  if (!opts.nodePortIPs) {
    // Localhost NodePorts only work with route_localnet, which is set only when they are enabled.
    const notLocalhost = opts.localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'];
    natRules.write('-A', KUBE_SERVICES, comment, '-m', 'addrtype', '--dst-type', 'LOCAL', notLocalhost, '-j', KUBE_NODEPORTS);
    return;
  }
  for (const ip of opts.nodePortIPs) {
    if (ip.startsWith('127.') && !opts.localhostNodePorts) continue;
    natRules.write('-A', KUBE_SERVICES, comment, '-d', ip, '-j', KUBE_NODEPORTS);
  }
}

function writeForwardRules(opts: RulesOptions, filterRules: LineSink, mark: string): void {
  // INVALID packets would otherwise reach pods un-DNATed and get reset (kubernetes#74839).
  if (!opts.conntrackTCPLiberal) {
    filterRules.write('-A', KUBE_FORWARD, '-m', 'conntrack', '--ctstate', 'INVALID',
      opts.nfacct.ctInvalid ? ['-m', 'nfacct', '--nfacct-name', NFACCT_CT_INVALID] : [], '-j', 'DROP');
  }
  // Forward what was marked for masquerade even under a DROP FORWARD policy (NodePorts).
  filterRules.write('-A', KUBE_FORWARD, '-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-m', 'mark', '--mark', mark, '-j', 'ACCEPT');
  filterRules.write('-A', KUBE_FORWARD, '-m', 'comment', '--comment', '"kubernetes forwarding conntrack rule"',
    '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT');
}

/** Writes everything one service port contributes (syncProxyRules' loop body). */
class ServiceWriter {
  constructor(
    private readonly opts: RulesOptions,
    private readonly b: Buffers,
    private readonly active: Set<string>,
    private readonly largeClusterMode: boolean,
  ) {}

  write(svc: ServicePortInfo, endpoints: EndpointInfo[], keep: boolean): void {
    const { filterRules } = this.b;
    const proto = svc.protocol.toLowerCase();
    const spn = svc.nameString;
    const names = serviceChainNames(spn, proto);
    const cat = categorizeEndpoints(endpoints, svc, this.opts.zone);
    const hasEndpoints = cat.hasAny;
    const usesClusterPolicyChain = cat.cluster.length > 0 && usesClusterEndpoints(svc);
    const usesLocalPolicyChain = cat.local.length > 0 && usesLocalEndpoints(svc);

    const internalPolicyChain = svc.internalPolicyLocal ? names.local : names.cluster;
    const hasInternalEndpoints = hasEndpoints && (!svc.internalPolicyLocal || cat.local.length > 0);
    const externalPolicyChain = svc.externalPolicyLocal ? names.local : names.cluster;
    const hasExternalEndpoints = hasEndpoints && (!svc.externalPolicyLocal || cat.local.length > 0);
    // The EXT chain is needed even without external endpoints: it short-circuits local traffic.
    const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);
    const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
    const loadBalancerTrafficChain = usesFWChain ? names.firewall : names.external;

    // What the filter table does with traffic that has nowhere to go: REJECT when the Service has
    // no endpoints at all, DROP when only its Local policy has none here (used for either side).
    const nowhere = hasEndpoints ? { target: 'DROP', comment: `"${spn} has no local endpoints"` } : { target: 'REJECT', comment: `"${spn} has no endpoints"` };

    const dport = (port: number): string[] => ['--dport', String(port)];
    const match = ['-m', proto, '-p', proto];
    const natRules = this.b.natRules;

    // Cluster IP.
    if (hasInternalEndpoints) {
      natRules.write('-A', KUBE_SERVICES, '-m', 'comment', '--comment', `"${spn} cluster IP"`, match, '-d', svc.clusterIP, dport(svc.port), '-j', internalPolicyChain);
    } else {
      filterRules.write('-A', KUBE_SERVICES, '-m', 'comment', '--comment', nowhere.comment, match, '-d', svc.clusterIP, dport(svc.port), '-j', nowhere.target);
    }

    // External IPs.
    for (const ip of svc.externalIPs) {
      if (hasEndpoints) natRules.write('-A', KUBE_SERVICES, '-m', 'comment', '--comment', `"${spn} external IP"`, match, '-d', ip, dport(svc.port), '-j', names.external);
      if (!hasExternalEndpoints) {
        filterRules.write('-A', KUBE_EXTERNAL_SERVICES, '-m', 'comment', '--comment', nowhere.comment, match, '-d', ip, dport(svc.port), '-j', nowhere.target);
      }
    }

    // Load balancer IPs.
    for (const ip of svc.loadBalancerVIPs) {
      if (hasEndpoints) natRules.write('-A', KUBE_SERVICES, '-m', 'comment', '--comment', `"${spn} loadbalancer IP"`, match, '-d', ip, dport(svc.port), '-j', loadBalancerTrafficChain);
      if (usesFWChain) {
        filterRules.write('-A', KUBE_PROXY_FIREWALL, '-m', 'comment', '--comment', `"${spn} traffic not accepted by ${names.firewall}"`, match, '-d', ip, dport(svc.port), '-j', 'DROP');
      }
    }
    if (!hasExternalEndpoints) {
      for (const ip of svc.loadBalancerVIPs) {
        filterRules.write('-A', KUBE_EXTERNAL_SERVICES, '-m', 'comment', '--comment', nowhere.comment, match, '-d', ip, dport(svc.port), '-j', nowhere.target);
      }
    }

    // NodePort (not subject to loadBalancerSourceRanges).
    if (svc.nodePort !== 0) {
      if (hasEndpoints) {
        if (this.opts.localhostNodePorts && this.opts.nfacct.localhostNodePorts) {
          natRules.write('-A', KUBE_NODEPORTS, '-m', 'comment', '--comment', spn, match, '-d', '127.0.0.0/8', dport(svc.nodePort),
            '-m', 'nfacct', '--nfacct-name', NFACCT_LOCALHOST_NODEPORTS, '-j', names.external);
        }
        natRules.write('-A', KUBE_NODEPORTS, '-m', 'comment', '--comment', spn, match, dport(svc.nodePort), '-j', names.external);
      }
      if (!hasExternalEndpoints) {
        filterRules.write('-A', KUBE_EXTERNAL_SERVICES, '-m', 'comment', '--comment', nowhere.comment, '-m', 'addrtype', '--dst-type', 'LOCAL',
          match, dport(svc.nodePort), '-j', nowhere.target);
      }
    }

    // Health check NodePort: accepted whether or not there are local endpoints.
    if (svc.healthCheckNodePort !== 0) {
      filterRules.write('-A', KUBE_NODEPORTS, '-m', 'comment', '--comment', `"${spn} health check node port"`, '-m', 'tcp', '-p', 'tcp',
        dport(svc.healthCheckNodePort), '-j', 'ACCEPT');
    }

    // From here on: per-service chains, thrown away (but counted) when the Service did not change.
    const chains: LineSink = keep ? this.b.natChains : this.b.skippedChains;
    const rules: LineSink = keep ? this.b.natRules : this.b.skippedRules;
    const declare = (chain: string): void => {
      chains.write(chainLine(chain));
      this.active.add(chain);
    };

    if (hasInternalEndpoints) {
      const args = ['-m', 'comment', '--comment', `"${spn} cluster IP"`, ...match, '-d', svc.clusterIP, ...dport(svc.port)];
      if (this.opts.masqueradeAll) rules.write('-A', internalPolicyChain, args, '-j', KUBE_MARK_MASQ);
      // Off-cluster sources reach the service through a route to any node, and may bounce off-node: masquerade them.
      else if (this.opts.clusterCIDR) rules.write('-A', internalPolicyChain, args, '!', '-s', this.opts.clusterCIDR, '-j', KUBE_MARK_MASQ);
    }

    if (usesExternalTrafficChain) {
      declare(names.external);
      const ext = names.external;
      if (!svc.externalPolicyLocal) {
        // Endpoints may be on other nodes: masquerade so replies come back through here.
        rules.write('-A', ext, '-m', 'comment', '--comment', `"masquerade traffic for ${spn} external destinations"`, '-j', KUBE_MARK_MASQ);
      } else {
        // Pods reaching an external IP act as if they went out to a load balancer and back: no policy.
        if (this.opts.clusterCIDR) {
          rules.write('-A', ext, '-m', 'comment', '--comment', `"pod traffic for ${spn} external destinations"`, '-s', this.opts.clusterCIDR, '-j', names.cluster);
        }
        // The node itself picks the (local) external IP as source, so it must be masqueraded and may go anywhere.
        rules.write('-A', ext, '-m', 'comment', '--comment', `"masquerade LOCAL traffic for ${spn} external destinations"`,
          '-m', 'addrtype', '--src-type', 'LOCAL', '-j', KUBE_MARK_MASQ);
        rules.write('-A', ext, '-m', 'comment', '--comment', `"route LOCAL traffic for ${spn} external destinations"`,
          '-m', 'addrtype', '--src-type', 'LOCAL', '-j', names.cluster);
      }
      if (hasExternalEndpoints) rules.write('-A', ext, '-j', externalPolicyChain);
    }

    if (usesFWChain) {
      declare(names.firewall);
      const args = ['-A', names.firewall, '-m', 'comment', '--comment', `"${spn} loadbalancer IP"`];
      let allowFromNode = false;
      for (const cidr of svc.loadBalancerSourceRanges) {
        rules.write(args, '-s', cidr, '-j', names.external);
        if (this.opts.nodeIP && cidrContains(cidr, this.opts.nodeIP)) allowFromNode = true;
      }
      // A node reaching a VIP that is also local loops back with the VIP as source.
      if (allowFromNode) for (const ip of svc.loadBalancerVIPs) rules.write(args, '-s', ip, '-j', names.external);
      // Falls through un-DNATed; filter KUBE-PROXY-FIREWALL drops it.
      rules.write('-A', names.firewall, '-m', 'comment', '--comment', `"other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL"`);
    }

    if (usesClusterPolicyChain) {
      declare(names.cluster);
      this.writeDispatch(rules, svc, names.cluster, cat.cluster);
    }
    if (usesLocalPolicyChain) {
      declare(names.local);
      this.writeDispatch(rules, svc, names.local, cat.local);
    }

    for (const ep of cat.allReachable) {
      const chain = endpointChainName(spn, proto, ep.endpoint);
      declare(chain);
      const head = ['-A', chain, ...this.comment(spn)];
      // Hairpin: an endpoint reaching itself through the service must be masqueraded to get replies.
      rules.write(head, '-s', ep.ip, '-j', KUBE_MARK_MASQ);
      const affinity = svc.clientIPAffinity ? ['-m', 'recent', '--name', chain, '--set'] : [];
      rules.write(head, affinity, match, '-j', 'DNAT', '--to-destination', ep.endpoint);
    }
  }

  /** writeServiceToEndpointRules: affinity checks first, then the probability ladder. */
  private writeDispatch(rules: LineSink, svc: ServicePortInfo, chain: string, endpoints: EndpointInfo[]): void {
    const proto = svc.protocol.toLowerCase();
    const sep = (ep: EndpointInfo): string => endpointChainName(svc.nameString, proto, ep.endpoint);
    const comment = (ep: EndpointInfo): string[] => this.comment(`"${svc.nameString} -> ${ep.endpoint}"`);
    if (svc.clientIPAffinity) {
      for (const ep of endpoints) {
        rules.write('-A', chain, comment(ep), '-m', 'recent', '--name', sep(ep), '--rcheck', '--seconds', String(svc.stickyMaxAgeSeconds), '--reap', '-j', sep(ep));
      }
    }
    endpoints.forEach((ep, i) => {
      const n = endpoints.length;
      const statistic = i < n - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', probability(n - i)] : [];
      rules.write('-A', chain, comment(ep), statistic, '-j', sep(ep));
    });
  }

  /** appendServiceCommentLocked: dropped in large-cluster mode (saves 40% of the text). */
  private comment(text: string): string[] {
    return this.largeClusterMode ? [] : ['-m', 'comment', '--comment', text];
  }
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (~0 << (32 - bits)) >>> 0;
  return ((ipv4ToInt(net) & mask) >>> 0) === ((ipv4ToInt(ip) & mask) >>> 0);
}
