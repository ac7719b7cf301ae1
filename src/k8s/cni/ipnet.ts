/**
 * IPv4 networks as the plugins reason about them (Go's net.IPNet for one family): an address
 * with its prefix, the network and broadcast it implies, and the next address.
 */
import { formatIPv4, maskOf, parseIPv4 } from '../../kernel/addr.ts';

export interface IPNet {
  ip: number;
  prefix: number;
}

/** Parses `10.244.1.2/24` (or a bare address as /32); undefined when it is not IPv4 CIDR. */
export function parseCIDR(text: string): IPNet | undefined {
  const [a, p, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIPv4(a);
  const prefix = p === undefined ? 32 : /^\d{1,2}$/.test(p) ? Number(p) : NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { ip, prefix };
}

export function networkOf(n: IPNet): number {
  return (n.ip & maskOf(n.prefix)) >>> 0;
}

export function broadcastOf(n: IPNet): number {
  return (networkOf(n) | (~maskOf(n.prefix) >>> 0)) >>> 0;
}

/** `10.244.1.2/24` (the address with its prefix, as net.IPNet.String prints an interface address). */
export function formatIPNet(n: IPNet): string {
  return `${formatIPv4(n.ip)}/${n.prefix}`;
}

/** `10.244.1.0/24`. */
export function formatNetwork(n: IPNet): string {
  return `${formatIPv4(networkOf(n))}/${n.prefix}`;
}

export function contains(n: IPNet, ip: number): boolean {
  return ((ip & maskOf(n.prefix)) >>> 0) === networkOf(n);
}

export function nextIP(ip: number): number {
  return (ip + 1) >>> 0;
}

export { formatIPv4, parseIPv4 };
