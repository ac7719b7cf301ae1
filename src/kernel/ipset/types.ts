/**
 * The ipset types podlab models (net/netfilter/ipset/ip_set_hash_*.c, ip_set_bitmap_port.c) as
 * data: which dimensions an element has, the element struct the kernel hashes (its words, so
 * members land in the same buckets and list in the same order as on Linux), its size, and the
 * revision and empty-set memory `ipset list` reports for IPv4 sets.
 */

/** One member: the dimensions a type uses are set, the others absent. */
export interface Elem {
  ip?: number;
  /** Port, or for ICMP `type << 8 | code` (ip_set_get_ip4_port). */
  port?: number;
  /** IP protocol of the port dimension. */
  proto?: number;
  /** hash:ip,port,ip's second address, or the network of hash:ip,port,net and hash:net. */
  ip2?: number;
  /** Prefix length of the network dimension (32 for a plain address). */
  cidr?: number;
}

export type Dim = 'ip' | 'port' | 'ip2' | 'net';

export type SetTypeName = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port';

export interface SetType {
  name: SetTypeName;
  /** The dimensions in command-line order (`ip,port,ip`). */
  dims: readonly Dim[];
  revision: number;
  /** sizeof(struct <type>4_elem): the bytes one member takes in a bucket. */
  elemSize: number;
  /** Size in memory of an empty IPv4 set with one lock region (hashsize up to 1024). */
  emptyMemory: number;
  /** Whether the set is a hash (family, hashsize, maxelem...) or a port bitmap (range). */
  kind: 'hash' | 'bitmap';
}

export const SET_TYPES: ReadonlyMap<SetTypeName, SetType> = new Map<SetTypeName, SetType>([
  ['hash:ip', { name: 'hash:ip', dims: ['ip'], revision: 6, elemSize: 4, emptyMemory: 216, kind: 'hash' }],
  ['hash:ip,port', { name: 'hash:ip,port', dims: ['ip', 'port'], revision: 7, elemSize: 8, emptyMemory: 216, kind: 'hash' }],
  ['hash:ip,port,ip', { name: 'hash:ip,port,ip', dims: ['ip', 'port', 'ip2'], revision: 6, elemSize: 12, emptyMemory: 208, kind: 'hash' }],
  ['hash:ip,port,net', { name: 'hash:ip,port,net', dims: ['ip', 'port', 'net'], revision: 8, elemSize: 12, emptyMemory: 464, kind: 'hash' }],
  ['hash:net', { name: 'hash:net', dims: ['net'], revision: 7, elemSize: 8, emptyMemory: 456, kind: 'hash' }],
  ['bitmap:port', { name: 'bitmap:port', dims: ['port'], revision: 3, elemSize: 0, emptyMemory: 72, kind: 'bitmap' }],
]);

/** An address as a little-endian machine reads its network-order bytes (what jhash2 sees). */
export function rawWord(ip: number): number {
  return (((ip & 0xff) << 24) | ((ip >>> 8 & 0xff) << 16) | ((ip >>> 16 & 0xff) << 8) | (ip >>> 24)) >>> 0;
}

/** A __be16 port followed by two bytes, read as one little-endian word. */
function portWord(port: number, b2: number, b3: number): number {
  return ((port >>> 8) | ((port & 0xff) << 8) | ((b2 & 0xff) << 16) | ((b3 & 0xff) << 24)) >>> 0;
}

export function maskOf(cidr: number): number {
  return cidr === 0 ? 0 : (0xffffffff << (32 - cidr)) >>> 0;
}

/** The words of the element struct the kernel hashes (HKEY over the whole struct). */
export function hashWords(type: SetTypeName, e: Elem): number[] {
  switch (type) {
    case 'hash:ip':
      return [rawWord(e.ip!)];
    case 'hash:ip,port':
      // { __be32 ip; __be16 port; u8 proto; u8 padding; }
      return [rawWord(e.ip!), portWord(e.port!, e.proto!, 0)];
    case 'hash:ip,port,ip':
      // { __be32 ip; __be32 ip2; __be16 port; u8 proto; u8 padding; }
      return [rawWord(e.ip!), rawWord(e.ip2!), portWord(e.port!, e.proto!, 0)];
    case 'hash:ip,port,net':
      // { __be32 ip; __be32 ip2; __be16 port; u8 cidr:7, nomatch:1; u8 proto; } with cidr stored less one.
      return [rawWord(e.ip!), rawWord(e.ip2!), portWord(e.port!, (e.cidr! - 1) & 0x7f, e.proto!)];
    case 'hash:net':
      // { __be32 ip; u16 padding0; u8 nomatch; u8 cidr; }
      return [rawWord(e.ip!), ((e.cidr! & 0xff) << 24) >>> 0];
    case 'bitmap:port':
      return [e.port!];
  }
}

/** A string key identifying the element within its set. */
export function elemKey(type: SetTypeName, e: Elem): string {
  return hashWords(type, e).join(':');
}
