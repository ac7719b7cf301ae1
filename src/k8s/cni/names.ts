/**
 * Names the plugins make up: iptables chains (pkg/utils: `CNI-` + hex(sha512(name + id)) cut
 * to 28 characters, `CNI-DN-…` for portmap), rule comments (`name: "<net>" id: "<id>"`), and
 * the host-side veth name (`veth` + 8 hex digits: upstream takes 4 random bytes; here they come
 * from a hash of the container id, interface name and attempt, so a replay names it the same).
 */
import { createHash } from 'node:crypto';

const MAX_CHAIN_LENGTH = 28;

/** utils.MustFormatChainNameWithPrefix. */
export function chainName(network: string, containerId: string, prefix = ''): string {
  const hex = createHash('sha512').update(network + containerId).digest('hex');
  return `CNI-${prefix}${hex}`.slice(0, MAX_CHAIN_LENGTH);
}

/** Go's %q for the plain strings these names are made of. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** utils.FormatComment. */
export function chainComment(network: string, containerId: string): string {
  return `name: ${goQuote(network)} id: ${goQuote(containerId)}`;
}

/** ip.RandomVethName, with the entropy derived from what the veth is for. */
export function vethName(containerId: string, ifName: string, attempt = 0): string {
  const h = createHash('sha256').update(`${containerId}\0${ifName}\0${attempt}`).digest('hex');
  return `veth${h.slice(0, 8)}`;
}
