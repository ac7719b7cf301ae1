/**
 * IPv4 addresses as unsigned 32-bit integers: parsing and printing in the forms the kernel's
 * tools accept and print (dotted quad, CIDR length, dotted mask).
 */

/** Parses a strict dotted quad (`10.0.0.1`) or returns undefined. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v >>> 0;
}

/**
 * Parses an address the way inet_aton does (what iptables accepts for -s/-d): 1 to 4 parts,
 * each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
 */
export function parseInetAton(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9]\d*$/.test(p)) n = Number(p);
    else return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  let v = 0;
  for (const n of nums) {
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  const restBytes = 4 - nums.length;
  if (last >= 2 ** (8 * restBytes)) return undefined;
  return (v * 2 ** (8 * restBytes) + last) >>> 0;
}

export function formatIPv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** The netmask for a prefix length (0..32). */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length if the mask is contiguous, else -1. */
export function prefixLen(mask: number): number {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) return -1;
  let n = 0;
  for (let m = mask; m !== 0; m = (m << 1) >>> 0) n++;
  return n;
}

export function inSubnet(addr: number, net: number, mask: number): boolean {
  return ((addr & mask) >>> 0) === ((net & mask) >>> 0);
}
