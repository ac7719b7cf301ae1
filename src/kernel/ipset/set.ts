/**
 * One ipset as the kernel keeps it: members in hash buckets (jhash2 of the element struct with
 * the set's initval, so listings come out in the kernel's order) or in a port bitmap, the create
 * options, per-member comments, and the memory accounting `ipset list` prints.
 */
import { jhash2 } from '../conntrack/nat.ts';
import { elemKey, hashWords, maskOf, SET_TYPES, type Elem, type SetType, type SetTypeName } from './types.ts';

export interface CreateOpts {
  hashsize?: number;
  maxelem?: number;
  initval?: number;
  bucketsize?: number;
  /** bitmap:port's range. */
  range?: [number, number];
  comment?: boolean;
  counters?: boolean;
  timeout?: number;
}

export interface Member {
  elem: Elem;
  comment?: string;
}

/** Two slots per new bucket and per growth step (AHASH_INIT_SIZE). */
const AHASH_INIT_SIZE = 2;
/** sizeof(struct hbucket) plus the rcu head: what a new bucket costs besides its slots. */
const HBUCKET_SIZE = 32;
/** A comment's allocation: struct ip_set_comment_rcu (rcu head) before the string and its NUL. */
const COMMENT_OVERHEAD = 16 + 1;
/** Extension slots (ip_set_extensions): length and alignment, in the kernel's order. */
const EXT_TIMEOUT = 8;
const EXT_COUNTER = 16;
const EXT_COMMENT = 8;
/** IPSET_MIMINAL_HASHSIZE. */
const MIN_HASHSIZE = 64;

interface Bucket {
  /** Slots in insertion order; undefined where a member was deleted (reused first). */
  slots: (Member | undefined)[];
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** htable_bits: the smallest power of two holding `hashsize` buckets (at least 64). */
export function hashBits(hashsize: number): number {
  let bits = 0;
  while (1 << bits < Math.max(hashsize, MIN_HASHSIZE)) bits++;
  return bits;
}

export class IpSet {
  readonly type: SetType;
  readonly opts: Required<Pick<CreateOpts, 'hashsize' | 'maxelem' | 'initval' | 'bucketsize'>> & CreateOpts;
  private readonly buckets = new Map<number, Bucket>();
  /** Members by key, for lookups; bitmap sets keep only this. */
  private readonly byKey = new Map<string, Member>();
  private extSize = 0;

  constructor(public name: string, type: SetTypeName, opts: CreateOpts, random32: () => number) {
    this.type = SET_TYPES.get(type)!;
    const bits = hashBits(opts.hashsize ?? 1024);
    this.opts = {
      ...opts,
      hashsize: 1 << bits,
      maxelem: opts.maxelem ?? 65536,
      bucketsize: opts.bucketsize ?? 12,
      initval: opts.initval ?? random32(),
    };
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The bytes one member takes with its extensions (ip_set_elem_len). */
  private dsize(): number {
    let len = this.type.elemSize;
    let a = this.type.kind === 'hash' ? 4 : 1;
    const exts = [this.opts.timeout !== undefined ? EXT_TIMEOUT : 0, this.opts.counters ? EXT_COUNTER : 0, this.opts.comment ? EXT_COMMENT : 0];
    for (const ext of exts) {
      if (!ext) continue;
      a = 8;
      len = align(len, 8) + ext;
    }
    return align(len, a);
  }

  private bucketOf(e: Elem): number {
    return jhash2(hashWords(this.type.name, e), this.opts.initval) & (this.opts.hashsize - 1);
  }

  has(e: Elem): boolean {
    return this.byKey.has(elemKey(this.type.name, e));
  }

  get(e: Elem): Member | undefined {
    return this.byKey.get(elemKey(this.type.name, e));
  }

  /** Adds a member; 'exists' if it is already there (its comment is then replaced), 'full' at maxelem. */
  add(m: Member): 'ok' | 'exists' | 'full' {
    const key = elemKey(this.type.name, m.elem);
    const old = this.byKey.get(key);
    if (old) return 'exists';
    if (this.type.kind === 'hash' && this.byKey.size >= this.opts.maxelem) return 'full';
    this.byKey.set(key, m);
    if (m.comment !== undefined && this.opts.comment) this.extSize += m.comment.length + COMMENT_OVERHEAD;
    if (this.type.kind === 'bitmap') return 'ok';
    const idx = this.bucketOf(m.elem);
    let b = this.buckets.get(idx);
    if (!b) {
      b = { slots: [] };
      this.buckets.set(idx, b);
      this.extSize += HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize();
    }
    const hole = b.slots.indexOf(undefined);
    if (hole >= 0) b.slots[hole] = m;
    else {
      if (b.slots.length > 0 && b.slots.length % AHASH_INIT_SIZE === 0) this.extSize += AHASH_INIT_SIZE * this.dsize();
      b.slots.push(m);
    }
    return 'ok';
  }

  /** Replaces a member's comment (`add -exist` of a present member). */
  update(m: Member): void {
    const old = this.get(m.elem);
    if (!old || !this.opts.comment) return;
    this.extSize += (m.comment?.length ?? -COMMENT_OVERHEAD) - (old.comment?.length ?? -COMMENT_OVERHEAD);
    old.comment = m.comment;
  }

  del(e: Elem): boolean {
    const key = elemKey(this.type.name, e);
    const m = this.byKey.get(key);
    if (!m) return false;
    this.byKey.delete(key);
    if (m.comment !== undefined && this.opts.comment) this.extSize -= m.comment.length + COMMENT_OVERHEAD;
    if (this.type.kind === 'bitmap') return true;
    const idx = this.bucketOf(e);
    const b = this.buckets.get(idx)!;
    b.slots[b.slots.indexOf(m)] = undefined;
    if (b.slots.every((s) => s === undefined)) {
      // An emptied bucket is freed with all its slots.
      this.extSize -= HBUCKET_SIZE + align(b.slots.length, AHASH_INIT_SIZE) * this.dsize();
      this.buckets.delete(idx);
    }
    return true;
  }

  flush(): void {
    this.byKey.clear();
    this.buckets.clear();
    this.extSize = 0;
  }

  /** Members in the order the kernel lists them: bucket by bucket, slot by slot; bitmaps by port. */
  members(): Member[] {
    if (this.type.kind === 'bitmap') return [...this.byKey.values()].sort((a, b) => a.elem.port! - b.elem.port!);
    const out: Member[] = [];
    for (const idx of [...this.buckets.keys()].sort((a, b) => a - b)) for (const m of this.buckets.get(idx)!.slots) if (m) out.push(m);
    return out;
  }

  /** `Size in memory:` (mtype_head's memsize). */
  memory(): number {
    if (this.type.kind === 'bitmap') {
      const [lo, hi] = this.opts.range!;
      const elements = hi - lo + 1;
      return this.type.emptyMemory + Math.ceil(elements / 64) * 8 + (this.dsize() > 0 ? elements * this.dsize() : 0) + this.extSize;
    }
    // One lock region per 1024 buckets beyond the first (ahash_sizeof_regions).
    const regions = Math.max(1, this.opts.hashsize >> 10);
    return this.type.emptyMemory + (regions - 1) * 24 + this.extSize;
  }

  /**
   * Packet lookup: whether the set holds the element built from the packet. Network dimensions
   * are tried from the longest prefix present, as the kernel walks h->nets.
   */
  lookup(e: Elem): boolean {
    const netDim = this.type.dims.includes('net');
    if (!netDim) return this.has(e);
    const addr = this.type.name === 'hash:net' ? e.ip! : e.ip2!;
    const prefixes = new Set<number>();
    for (const m of this.byKey.values()) prefixes.add(m.elem.cidr!);
    for (const cidr of [...prefixes].sort((a, b) => b - a)) {
      const masked = (addr & maskOf(cidr)) >>> 0;
      const probe = this.type.name === 'hash:net' ? { ip: masked, cidr } : { ...e, ip2: masked, cidr };
      if (this.has(probe)) return true;
    }
    return false;
  }
}
