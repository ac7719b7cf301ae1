/**
 * NAT bindings (nf_nat_core.c): choosing the translated tuple of a new connection so that its
 * reply tuple is unique in the table (get_unique_tuple), then recording it in the entry
 * (nf_nat_setup_info). The packet rewrite itself belongs to the packet path.
 */
import type { CtEntry, CtStatusBit } from './entry.ts';
import { IPPROTO_ICMP, hasPorts, invertTuple, tupleEqual, type CtTuple } from './tuple.ts';

export type NatManip = 'SRC' | 'DST';

/** A NAT target's range (struct nf_nat_range2), as the packet path hands it over. */
export interface NatRange {
  /** Address range; both 0 means "keep the address" (no NF_NAT_RANGE_MAP_IPS). */
  minIp: number;
  maxIp: number;
  /** Port (or ICMP id) range; absent means not NF_NAT_RANGE_PROTO_SPECIFIED. */
  minPort?: number;
  maxPort?: number;
  /** --random (NF_NAT_RANGE_PROTO_RANDOM). */
  random?: boolean;
  /** --random-fully (NF_NAT_RANGE_PROTO_RANDOM_FULLY). */
  randomFully?: boolean;
  /** --persistent (NF_NAT_RANGE_PERSISTENT): the address choice ignores the destination. */
  persistent?: boolean;
}

/** What the binding needs from the table. */
export interface NatTable {
  /** nf_conntrack_tuple_taken: a confirmed entry other than `ignored` already uses `tuple`. */
  taken(tuple: CtTuple, ignored: CtEntry): boolean;
  /** nf_conntrack_find_get: the confirmed entry with this tuple, and in which direction. */
  find(tuple: CtTuple, zone: number): { entry: CtEntry; dir: 'ORIGINAL' | 'REPLY' } | undefined;
  /** Entries with a source binding, most recent first (the nf_nat_bysource chain). */
  bySource(): Iterable<CtEntry>;
  /** A random 16-bit value (get_random_u16). */
  random16(): number;
}

const NF_NAT_MAX_ATTEMPTS = 128;
/** Protocols NAT may clash on and let the confirm step resolve (l4proto->allow_clash). */
const ALLOW_CLASH = new Set([17, 136]);

interface Range {
  mapIps: boolean;
  protoSpecified: boolean;
  randomAll: boolean;
  persistent: boolean;
  minIp: number;
  maxIp: number;
  minPort: number;
  maxPort: number;
}

function toRange(r: NatRange): Range {
  return {
    mapIps: r.minIp !== 0 || r.maxIp !== 0,
    protoSpecified: r.minPort !== undefined,
    randomAll: !!(r.random || r.randomFully),
    persistent: !!r.persistent,
    minIp: r.minIp >>> 0,
    maxIp: (r.maxIp || r.minIp) >>> 0,
    minPort: r.minPort ?? 0,
    maxPort: r.maxPort ?? r.minPort ?? 0,
  };
}

/** nf_nat_used_tuple: would a connection translated to `tuple` clash with an existing reply? */
function usedTuple(t: NatTable, tuple: CtTuple, ct: CtEntry): boolean {
  return t.taken(invertTuple(tuple)!, ct);
}

function usesNat(e: CtEntry): boolean {
  return e.status.has('SRC_NAT') || e.status.has('DST_NAT') || e.status.has('SEQ_ADJUST');
}

/**
 * nf_nat_used_tuple_new: as usedTuple for an unaltered tuple, except that a clash with the very
 * same flow seen from the other side (both untranslated) is left to the confirm step.
 */
function usedTupleNew(t: NatTable, tuple: CtTuple, ct: CtEntry): boolean {
  if (!usedTuple(t, tuple, ct)) return false;
  if (!ALLOW_CLASH.has(ct.orig.proto) || usesNat(ct)) return true;
  const found = t.find(tuple, ct.zone) ?? t.find(invertTuple(tuple)!, ct.zone);
  if (!found) return false;
  if (found.dir !== 'REPLY' || usesNat(found.entry)) return true;
  return !(tupleEqual(found.entry.orig, ct.reply) && tupleEqual(found.entry.reply, ct.orig));
}

/** The manipulated key of a tuple: the ICMP id, or the source/destination port. */
function keyOf(tuple: CtTuple, manip: NatManip): number {
  return tuple.proto === IPPROTO_ICMP || manip === 'SRC' ? tuple.sport : tuple.dport;
}

function l4InRange(tuple: CtTuple, manip: NatManip, r: Range): boolean {
  if (tuple.proto !== IPPROTO_ICMP && !hasPorts(tuple.proto)) return true;
  const k = keyOf(tuple, manip);
  return k >= r.minPort && k <= r.maxPort;
}

/** nf_in_range: does a source-translated tuple fit the range? */
function inRange(tuple: CtTuple, r: Range): boolean {
  if (r.mapIps && (tuple.src >>> 0 < r.minIp || tuple.src >>> 0 > r.maxIp)) return false;
  return !r.protoSpecified || l4InRange(tuple, 'SRC', r);
}

/** find_appropriate_src: reuse the translation an earlier connection from the same source got. */
function appropriateSrc(t: NatTable, tuple: CtTuple, r: Range): CtTuple | undefined {
  for (const ct of t.bySource()) {
    const o = ct.orig;
    if (o.proto !== tuple.proto || o.src !== tuple.src || o.sport !== tuple.sport) continue;
    const inv = invertTuple(ct.reply)!;
    const result = { ...inv, dst: tuple.dst, dport: tuple.dport };
    if (inRange(result, r)) return result;
  }
  return undefined;
}

function rol32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** jhash2 (include/linux/jhash.h) over 32-bit words, as the kernel hashes addresses. */
export function jhash2(k: readonly number[], initval: number): number {
  let a = (0xdeadbeef + (k.length << 2) + initval) >>> 0;
  let b = a;
  let c = a;
  let i = 0;
  let len = k.length;
  while (len > 3) {
    a = (a + k[i]) >>> 0;
    b = (b + k[i + 1]) >>> 0;
    c = (c + k[i + 2]) >>> 0;
    // __jhash_mix
    a = (a - c) >>> 0; a = (a ^ rol32(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rol32(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rol32(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rol32(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rol32(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rol32(b, 4)) >>> 0; b = (b + a) >>> 0;
    len -= 3;
    i += 3;
  }
  if (len === 0) return c;
  if (len === 3) c = (c + k[i + 2]) >>> 0;
  if (len >= 2) b = (b + k[i + 1]) >>> 0;
  a = (a + k[i]) >>> 0;
  // __jhash_final
  c = (c ^ b) >>> 0; c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 24)) >>> 0;
  return c;
}

/** An address as the little-endian machine reads its network-order bytes. */
function rawWord(ip: number): number {
  return (((ip & 0xff) << 24) | ((ip >>> 8 & 0xff) << 16) | ((ip >>> 16 & 0xff) << 8) | (ip >>> 24)) >>> 0;
}

/**
 * find_best_ips_proto: pick the address from the range by hashing the source (and, unless
 * persistent, the destination), so a client keeps its address across connections.
 */
function bestIp(tuple: CtTuple, r: Range, zone: number): number {
  if (r.minIp === r.maxIp) return r.minIp;
  // struct nf_inet_addr is four words; an IPv4 address fills the first.
  const j = jhash2([rawWord(tuple.src), 0, 0, 0], r.persistent ? 0 : (rawWord(tuple.dst) ^ zone) >>> 0);
  const dist = (r.maxIp - r.minIp + 1) >>> 0;
  // reciprocal_scale(j, dist)
  return (r.minIp + Number((BigInt(j) * BigInt(dist)) >> 32n)) >>> 0;
}

/**
 * nf_nat_l4proto_unique_tuple: move the port (or ICMP id) within the range until the tuple is
 * free, starting from a random offset, in rounds of shrinking length as the kernel does.
 */
function uniqueL4(t: NatTable, tuple: CtTuple, r: Range, manip: NatManip, ct: CtEntry): void {
  const isIcmp = tuple.proto === IPPROTO_ICMP;
  if (!isIcmp && !hasPorts(tuple.proto)) return;
  let min: number;
  let size: number;
  if (isIcmp && !r.protoSpecified) {
    min = 0;
    size = 65536;
  } else if (!r.protoSpecified) {
    // A destination port is never changed unless a range says so.
    if (manip === 'DST') return;
    const port = keyOf(tuple, manip);
    // Loose convention: ports below 512 are for credential passing, keep them low.
    if (port < 1024) [min, size] = port < 512 ? [1, 511] : [600, 1023 - 600 + 1];
    else [min, size] = [1024, 65535 - 1024 + 1];
  } else {
    const [lo, hi] = r.minPort <= r.maxPort ? [r.minPort, r.maxPort] : [r.maxPort, r.minPort];
    min = lo;
    size = hi - lo + 1;
  }
  const set = (k: number): void => {
    if (isIcmp || manip === 'SRC') tuple.sport = k;
    else tuple.dport = k;
  };
  let off = r.randomAll || manip !== 'DST' ? t.random16() : 0;
  let attempts = Math.min(size, NF_NAT_MAX_ATTEMPTS);
  for (;;) {
    for (let i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
      set(min + (off % size));
      // nf_nat_used_tuple_harder: in its last attempts the kernel may evict a TIME_WAIT entry
      // whose sequence numbers this SYN has passed; without sequence numbers we never do.
      if (!usedTuple(t, tuple, ct)) return;
    }
    if (attempts >= size || attempts < 16) return;
    attempts = Math.floor(attempts / 2);
    off = t.random16();
  }
}

/** get_unique_tuple: the translated form of `orig` (the entry's tuple before this manip). */
function uniqueTuple(t: NatTable, orig: CtTuple, r: Range, ct: CtEntry, manip: NatManip): CtTuple {
  // 1) For source NAT, keep the tuple if it fits and is free, else reuse this source's mapping.
  if (manip === 'SRC' && !r.randomAll) {
    if (inRange(orig, r)) {
      if (!usedTupleNew(t, orig, ct)) return { ...orig };
    } else {
      const found = appropriateSrc(t, orig, r);
      if (found && !usedTuple(t, found, ct)) return found;
    }
  }
  // 2) Pick the address.
  const tuple = { ...orig };
  if (r.mapIps) {
    if (manip === 'SRC') tuple.src = bestIp(orig, r, ct.zone);
    else tuple.dst = bestIp(orig, r, ct.zone);
  }
  // 3) Keep the port if it is in range and free; otherwise search for one.
  if (!r.randomAll) {
    if (r.protoSpecified) {
      if (l4InRange(tuple, manip, r) && (r.minPort === r.maxPort || !usedTuple(t, tuple, ct))) return tuple;
    } else if (!usedTuple(t, tuple, ct)) {
      return tuple;
    }
  }
  uniqueL4(t, tuple, r, manip, ct);
  return tuple;
}

/**
 * nf_nat_setup_info: bind an unconfirmed entry for one manipulation. `range` null is the null
 * binding (nf_nat_alloc_null_binding), which still makes the tuple unique.
 */
export function setupNat(t: NatTable, ct: CtEntry, manip: NatManip, range: NatRange | null): void {
  if (ct.status.has('CONFIRMED') || natDone(ct, manip)) return;
  const r = toRange(range ?? nullRange(ct, manip));
  const curr = invertTuple(ct.reply)!;
  const next = uniqueTuple(t, curr, r, ct, manip);
  if (!tupleEqual(next, curr)) {
    ct.reply = invertTuple(next)!;
    ct.status.add(manip === 'SRC' ? 'SRC_NAT' : 'DST_NAT');
  }
  ct.status.add(doneBit(manip));
}

function nullRange(ct: CtEntry, manip: NatManip): NatRange {
  const ip = manip === 'SRC' ? ct.reply.dst : ct.reply.src;
  return { minIp: ip, maxIp: ip };
}

function doneBit(manip: NatManip): CtStatusBit {
  return manip === 'SRC' ? 'SRC_NAT_DONE' : 'DST_NAT_DONE';
}

/** nf_nat_initialized. */
export function natDone(ct: CtEntry, manip: NatManip): boolean {
  return ct.status.has(doneBit(manip));
}
