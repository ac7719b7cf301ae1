/**
 * The contract between kube-proxy's watch loop (kube-proxy.ts) and its proxiers (one per mode:
 * iptables/, ipvs/): upstream's handler interface. The loop feeds every Service, EndpointSlice
 * and Node change as it comes; the proxier records them and writes the dataplane only in
 * `sync()` (syncProxyRules), through the node's Host.
 */
import type { Host } from '../../host/host.ts';
import type { KObject } from '../api/object.ts';

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'none';

export interface ProxierConfig {
  /** The node the proxier runs on: iptables-restore and friends go through it. */
  host: Host;
  /** The node's name (EndpointSlice endpoints' nodeName: which endpoints are local). */
  nodeName: string;
  /** The node's IPs (NodePorts listen on them; the IPVS KUBE-NODE-PORT sets hold them). */
  nodeIPs: string[];
  /**
   * `--cluster-cidr`: traffic from outside it to a cluster IP is masqueraded (the local-traffic
   * detector ClusterCIDR: `! -s CIDR`). Undefined: no such rule, as upstream without the flag.
   */
  clusterCIDR?: string;
  /** `--masquerade-all` (default false). */
  masqueradeAll?: boolean;
  /** `--iptables-masquerade-bit` (default 14: mark 0x4000). */
  masqueradeBit?: number;
  /** `--nodeport-addresses` (default: all local addresses, `addrtype dst-type LOCAL`). */
  nodePortAddresses?: string[];
  /** IPVS mode: `--ipvs-scheduler` (default rr). */
  ipvsScheduler?: string;
  /** Where the proxier logs what it does (klog-style lines), if anywhere. */
  log?(line: string): void;
  /**
   * The kube-proxy release emulated (`v1.31.0` when absent). Only visible differences are
   * versioned: before v1.19 an unnamed port's ServicePortName kept its colon
   * (`default/echo-service:`), which changes comments and chain hashes (the seed labs' v1.16
   * clusters print KUBE-SVC-7VVRITHJKDZHDQAD for default/echo-service).
   */
  kubeProxyVersion?: string;
  /** `--iptables-localhost-nodeports` (default true): NodePorts answer on 127.0.0.1 (IPv4). */
  localhostNodePorts?: boolean;
}

/** Upstream's ServiceHandler, EndpointSliceHandler and NodeHandler, plus the sync. */
export interface Proxier {
  onServiceAdd(svc: KObject): void;
  onServiceUpdate(old: KObject, svc: KObject): void;
  onServiceDelete(svc: KObject): void;
  onEndpointSliceAdd(slice: KObject): void;
  onEndpointSliceUpdate(old: KObject, slice: KObject): void;
  onEndpointSliceDelete(slice: KObject): void;
  /** Called once every initial list has been fed (upstream's OnServiceSynced/OnEndpointSlicesSynced). */
  onSynced(): void;
  /**
   * Writes the rules (syncProxyRules): a full sync the first time and when forced, afterwards
   * only the services that changed, as upstream's partial syncs. Resolves when the Host has
   * loaded them. Returns whether anything was written.
   */
  sync(opts?: { full?: boolean }): Promise<boolean>;
  /**
   * Upstream's NodeHandler, for this node only: a change of its labels (the topology zone that
   * zone hints are matched against) forces a full sync. Optional: a proxier may ignore nodes.
   */
  onNodeAdd?(node: KObject): void;
  onNodeUpdate?(old: KObject, node: KObject): void;
  onNodeDelete?(node: KObject): void;
}
