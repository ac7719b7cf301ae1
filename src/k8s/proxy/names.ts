/**
 * kube-proxy's names: the ServicePortName string (`ns/name:port`) that comments and hashes use,
 * and the per-service and per-endpoint iptables chain names derived from it
 * (`KUBE-SVC-` + the first 16 characters of base32(sha256(name + protocol)), ...).
 */
import { createHash } from 'node:crypto';

/** One port of one Service, as upstream's proxy.ServicePortName (Protocol is part of the identity). */
export interface ServicePortName {
  namespace: string;
  name: string;
  /** The port's name; empty for an unnamed port. */
  port: string;
  /** TCP, UDP or SCTP, as in the Service. */
  protocol: string;
}

/** How a release formats a ServicePortName. */
export interface NameStyle {
  /**
   * Before v1.19 an unnamed port kept its separator (`default/echo-service:`), which is what
   * the seed labs (v1.16 clusters) hash and print; later releases drop it.
   */
  legacyColon?: boolean;
}

/** ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port. */
export function servicePortNameString(spn: ServicePortName, style: NameStyle = {}): string {
  const base = `${spn.namespace}/${spn.name}`;
  return spn.port || style.legacyColon ? `${base}:${spn.port}` : base;
}

/** The map key of a ServicePortName: its string plus the protocol (two protocols may share a name). */
export function servicePortKey(spn: ServicePortName): string {
  return `${spn.namespace}/${spn.name}:${spn.port}/${spn.protocol}`;
}

/** `ns/name`: the Service a port belongs to (what partial syncs track as changed). */
export function serviceKey(spn: { namespace: string; name: string }): string {
  return `${spn.namespace}/${spn.name}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), enough of it for a prefix: no padding needed. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** The 16-character hash every per-service chain name ends with. */
export function hash16(text: string): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, 16);
}

/** The chain names of one service port (same hash, different prefixes), precomputed once. */
export interface ServiceChainNames {
  /** `KUBE-SVC-`: dispatch to all usable endpoints (Cluster policy). */
  cluster: string;
  /** `KUBE-SVL-`: dispatch to local endpoints (Local policy). */
  local: string;
  /** `KUBE-EXT-`: entry for external destinations (external IPs, LB IPs, NodePorts). */
  external: string;
  /** `KUBE-FW-`: loadBalancerSourceRanges filter. */
  firewall: string;
}

/** servicePortChainName and friends: hash of the ServicePortName string and lower-case protocol. */
export function serviceChainNames(spnString: string, protocol: string): ServiceChainNames {
  const h = hash16(spnString + protocol.toLowerCase());
  return { cluster: `KUBE-SVC-${h}`, local: `KUBE-SVL-${h}`, external: `KUBE-EXT-${h}`, firewall: `KUBE-FW-${h}` };
}

/** servicePortEndpointChainName: the hash also covers the endpoint's `ip:port`. */
export function endpointChainName(spnString: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(spnString + protocol.toLowerCase() + endpoint)}`;
}

const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-'];

/** isServiceChainName: the chains kube-proxy deletes when they are no longer in use. */
export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}

/** `ip:port` as net.JoinHostPort writes it (IPv6 in brackets). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Whether `version` (`v1.16.3`) is older than major.minor; absent means current. */
export function versionBefore(version: string | undefined, major: number, minor: number): boolean {
  const m = version ? /^v?(\d+)\.(\d+)/.exec(version) : null;
  return m ? +m[1] < major || (+m[1] === major && +m[2] < minor) : false;
}

/** How a kube-proxy of `version` names service ports (before 1.19 an unnamed port kept its colon). */
export function nameStyle(version: string | undefined): NameStyle {
  return { legacyColon: versionBefore(version, 1, 19) };
}
