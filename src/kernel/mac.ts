/** Ethernet (MAC) addresses as the kernel makes them and iproute2 prints them: `0a:58:0a:f4:01:02`. */
import type { Rng } from './rng.ts';

export type Mac = string;

export const ZERO_MAC: Mac = '00:00:00:00:00:00';
export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';

export function formatMac(bytes: ArrayLike<number>): Mac {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Parses `aa:bb:cc:dd:ee:ff` (1 or 2 hex digits per byte, as ll_addr_a2n accepts); undefined if malformed. */
export function parseMac(text: string): Mac | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return formatMac(parts.map((p) => parseInt(p, 16)));
}

/** eth_random_addr: random bytes with the multicast bit cleared and the locally-administered bit set. */
export function randomMac(rng: Rng): Mac {
  const b = rng.bytes(6);
  b[0] = (b[0] & 0xfe) | 0x02;
  return formatMac(b);
}

/** The MAC CNI plugins give a pod's interface: `0a:58:` followed by its IPv4 address (hwaddr.GenerateHardwareAddr4). */
export function macFromIPv4(addr: number): Mac {
  return formatMac([0x0a, 0x58, addr >>> 24, (addr >>> 16) & 0xff, (addr >>> 8) & 0xff, addr & 0xff]);
}

export function isMulticastMac(mac: Mac): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}
