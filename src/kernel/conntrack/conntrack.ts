/**
 * The connection tracking table of one network namespace (nf_conntrack_core.c): lookup or
 * creation of the entry a packet belongs to (nf_conntrack_in), insertion when the packet leaves
 * netfilter (__nf_conntrack_confirm), expiry, the table limit with early drop, NAT bindings,
 * the events ctnetlink listeners see, and the per-CPU statistics.
 *
 * Known simplifications: only confirmed entries count towards nf_conntrack_max (a packet is
 * handled from in() to confirm() without interruption, so unconfirmed entries never pile up);
 * a clash at confirm time always drops the packet (the kernel may merge identical flows); and
 * expired entries are removed when the table is next looked at, or by gc().
 */
import type { Rng } from '../rng.ts';
import {
  snapshot, secondsLeft, type CtEntry, type CtEvent, type CtEventBit, type CtRequester, type CtStatusBit, type TcpState, type TrackCtx, type TrackVerdict,
} from './entry.ts';
import { genericPacket } from './generic.ts';
import { icmpPacket, isIcmpError, NR_ICMP_TYPES } from './icmp.ts';
import { natDone, setupNat, type NatManip, type NatRange, type NatTable } from './nat.ts';
import { RateLimit } from './ratelimit.ts';
import { ctSysctl, timeoutMs } from './sysctl.ts';
import { tcpPacket } from './tcp.ts';
import {
  IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, invertTuple, packetTuple, tupleEqual, tupleKey,
  type CtPacket, type CtTuple,
} from './tuple.ts';
import { udpPacket } from './udp.ts';

export interface CtEnv {
  /** Milliseconds of the namespace's clock. */
  now(): number;
  /** A sysctl's value, e.g. 'net.netfilter.nf_conntrack_max' (NaN or undefined: the default). */
  sysctl(key: string): number;
  rng: Rng;
  /** The kernel log (dmesg), one line without timestamp. */
  log(line: string): void;
  /** The namespace's inode number if it is not the initial namespace (the table-full warning names it). */
  netnsInum?: number;
  /** CPUs `conntrack -S` reports; 2 unless said otherwise. */
  cpus?: number;
}

export type CtDir = 'ORIGINAL' | 'REPLY';

/** An entry as `conntrack -I` describes it. */
export interface CtCreate {
  orig: CtTuple;
  reply: CtTuple;
  /** Seconds. */
  timeout: number;
  status: readonly CtStatusBit[];
  tcpState?: TcpState;
  mark?: number;
  zone?: number;
}

export type CtResult =
  | { kind: 'tracked'; entry: CtEntry; dir: CtDir; state: 'NEW' | 'ESTABLISHED' | 'RELATED'; isNew: boolean }
  | { kind: 'invalid' }
  | { kind: 'drop'; reason: 'table-full' };

/** The counters of one CPU, named as `conntrack -S` prints them (CTA_STATS_*). */
export interface CtCpuStats {
  found: number;
  invalid: number;
  insert: number;
  insert_failed: number;
  drop: number;
  early_drop: number;
  error: number;
  search_restart: number;
  clash_resolve: number;
  chaintoolong: number;
}

interface Hashed {
  entry: CtEntry;
  dir: CtDir;
}

function zeroStats(): CtCpuStats {
  return { found: 0, invalid: 0, insert: 0, insert_failed: 0, drop: 0, early_drop: 0, error: 0, search_restart: 0, clash_resolve: 0, chaintoolong: 0 };
}

export class Conntrack {
  /** Both tuples of every confirmed entry. */
  private readonly hash = new Map<string, Hashed>();
  /** Confirmed entries in insertion order. */
  private readonly table = new Set<CtEntry>();
  private readonly listeners = new Set<(ev: CtEvent) => void>();
  private readonly cpuStats: CtCpuStats[];
  private readonly warn = new RateLimit();
  private seq = 0;
  /** No confirmed entry expires before this time (so most lookups skip the expiry scan). */
  private earliest = Infinity;
  private readonly ctx: TrackCtx;
  private readonly nat: NatTable;

  constructor(private readonly env: CtEnv) {
    this.cpuStats = Array.from({ length: env.cpus ?? 2 }, zeroStats);
    this.ctx = {
      now: () => env.now(),
      timeout: (name) => timeoutMs(env.sysctl, name),
      sysctl: (name) => ctSysctl(env.sysctl, name),
      refresh: (e, ms) => this.refresh(e, ms),
      event: (e, bit) => void e.priv.cached.add(bit),
      kill: (e) => this.remove(e),
    };
    this.nat = {
      taken: (tuple, ignored) => this.taken(tuple, ignored),
      find: (tuple, zone) => this.lookup(tuple, zone),
      bySource: () => [...this.table].filter((e) => e.status.has('SRC_NAT_DONE')).reverse(),
      random16: () => env.rng.u32() & 0xffff,
    };
  }

  now(): number {
    return this.env.now();
  }

  /**
   * nf_conntrack_in: the entry a packet belongs to, creating an unconfirmed one for the first
   * packet of a flow, and the packet's effect on the protocol state and timeout.
   */
  in(p: CtPacket): CtResult {
    this.expireDue();
    const zone = p.zone ?? 0;
    if (p.proto === IPPROTO_ICMP) {
      const type = p.icmpType ?? 0;
      if (type > NR_ICMP_TYPES) return this.fail('error');
      if (isIcmpError(type)) return this.icmpError(p, zone);
    }
    const tuple = packetTuple(p);
    // One retry: the TCP tracker may drop a closed entry so that a SYN opens a fresh one.
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = this.lookup(tuple, zone);
      let entry: CtEntry;
      let dir: CtDir;
      if (found) {
        ({ entry, dir } = found);
        // Events of an earlier packet that was never confirmed go out before this one's.
        this.deliver(entry);
      } else {
        const reply = invertTuple(tuple);
        if (!reply) return this.fail('invalid');
        if (!this.makeRoom()) {
          this.stat('drop');
          return { kind: 'drop', reason: 'table-full' };
        }
        entry = this.alloc(tuple, reply, zone);
        dir = 'ORIGINAL';
      }
      const state = dir === 'REPLY' || entry.status.has('SEEN_REPLY') ? 'ESTABLISHED' : entry.status.has('EXPECTED') ? 'RELATED' : 'NEW';
      const verdict = this.track(entry, dir, p);
      if (verdict === 'repeat') {
        this.remove(entry);
        continue;
      }
      if (verdict === 'invalid') return this.fail('invalid');
      if (dir === 'REPLY' && !entry.status.has('SEEN_REPLY')) {
        entry.status.add('SEEN_REPLY');
        entry.priv.cached.add('REPLY');
      }
      // The kernel sends a packet's events when it is confirmed on the way out; for entries
      // already in the table nothing else can happen before that, so send them now.
      if (entry.status.has('CONFIRMED')) this.deliver(entry);
      return { kind: 'tracked', entry, dir, state, isNew: !entry.status.has('CONFIRMED') };
    }
    return this.fail('invalid');
  }

  /**
   * __nf_conntrack_confirm, as a packet leaves netfilter (POSTROUTING or INPUT): inserts a new
   * entry into the table (the NEW event). For an entry already confirmed it delivers what the
   * packet changed since in() (e.g. a mark set through setMark). False when the entry clashes
   * with one already in the table: drop the packet.
   */
  confirm(e: CtEntry): boolean {
    if (e.status.has('DYING')) return false;
    if (e.status.has('CONFIRMED')) {
      this.deliver(e);
      return true;
    }
    this.expireDue();
    if (this.hash.has(tupleKey(e.orig, e.zone)) || this.hash.has(tupleKey(e.reply, e.zone))) {
      this.stat('insert_failed');
      this.stat('drop');
      return false;
    }
    this.insert(e);
    e.priv.cached.add(e.status.has('EXPECTED') ? 'RELATED' : 'NEW');
    this.deliver(e);
    return true;
  }

  /** Puts an entry into the table; its timeout now runs. */
  private insert(e: CtEntry): void {
    e.status.add('CONFIRMED');
    e.expires = this.env.now() + e.priv.timeout;
    this.earliest = Math.min(this.earliest, e.expires);
    this.table.add(e);
    this.hash.set(tupleKey(e.orig, e.zone), { entry: e, dir: 'ORIGINAL' });
    this.hash.set(tupleKey(e.reply, e.zone), { entry: e, dir: 'REPLY' });
  }

  /**
   * nf_nat_setup_info for an unconfirmed entry: `range` from the NAT target (null for the null
   * binding the NAT hook makes when no rule matched). Picks a reply tuple unique in the table.
   */
  setupNat(e: CtEntry, manip: NatManip, range: NatRange | null): void {
    this.expireDue();
    setupNat(this.nat, e, manip, range);
  }

  natDone(e: CtEntry, manip: NatManip): boolean {
    return natDone(e, manip);
  }

  /** Confirmed, live entries in insertion order. */
  entries(): CtEntry[] {
    this.expire();
    return [...this.table];
  }

  /** The confirmed entry holding `tuple` (in either direction). */
  find(tuple: CtTuple, zone = 0): Hashed | undefined {
    this.expireDue();
    return this.lookup(tuple, zone);
  }

  /** Removes an entry, as `conntrack -D` does (DESTROY names the requester). */
  delete(e: CtEntry, by?: CtRequester): void {
    this.remove(e, by);
  }

  /** Removes every entry; returns how many there were. */
  flush(by?: CtRequester): number {
    this.expire();
    const all = [...this.table];
    for (const e of all) this.remove(e, by);
    return all.length;
  }

  /** Sets the connection mark (CONNMARK, `conntrack -U -m`), raising an UPDATE event. */
  setMark(e: CtEntry, mark: number): void {
    if (e.mark === mark >>> 0) return;
    e.mark = mark >>> 0;
    e.priv.cached.add('MARK');
  }

  /**
   * ctnetlink_create_conntrack (`conntrack -I`): an entry made by hand, confirmed at once, or
   * why not: a tuple is already in the table (EEXIST) or the table is full (ENOMEM).
   */
  create(spec: CtCreate, by?: CtRequester): CtEntry | 'EEXIST' | 'ENOMEM' {
    this.expireDue();
    if (this.lookup(spec.orig, spec.zone ?? 0) || this.lookup(spec.reply, spec.zone ?? 0)) return 'EEXIST';
    if (!this.makeRoom()) return 'ENOMEM';
    const e = this.alloc({ ...spec.orig }, { ...spec.reply }, spec.zone ?? 0);
    // Created over netlink while the creator listens: the entry always gets an event cache.
    e.priv.ecache ||= this.listeners.size > 0;
    for (const b of spec.status) e.status.add(b);
    e.mark = spec.mark ?? 0;
    if (spec.orig.proto === IPPROTO_TCP) {
      e.tcpState = spec.tcpState ?? 'NONE';
      // conntrack marks hand-made entries as closing once past TIME_WAIT, so a SYN may reopen them.
      const closing = e.tcpState === 'TIME_WAIT' || e.tcpState === 'CLOSE' || e.tcpState === 'SYN_SENT2';
      e.priv.tcp = { lastIndex: 5, lastDir: 0, closeInit: [closing, closing], simultaneousOpen: false, challengeAck: false };
    }
    e.priv.timeout = spec.timeout * 1000;
    this.insert(e);
    this.emitNow(e, 'NEW', by);
    return e;
  }

  /** ctnetlink_change_conntrack (`conntrack -U`): new mark, timeout or status bits; one UPDATE event. */
  update(e: CtEntry, change: { mark?: number; timeout?: number; status?: readonly CtStatusBit[] }, by?: CtRequester): void {
    if (change.mark !== undefined) e.mark = change.mark >>> 0;
    if (change.timeout !== undefined && !e.status.has('FIXED_TIMEOUT')) {
      e.expires = this.env.now() + change.timeout * 1000;
      this.earliest = Math.min(this.earliest, e.expires);
    }
    for (const b of change.status ?? []) e.status.add(b);
    if (e.status.has('CONFIRMED')) this.emitNow(e, 'UPDATE', by);
  }

  /** Calls `fn` with every event from now on; returns the unsubscribe function. */
  subscribe(fn: (ev: CtEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Removes expired entries (the kernel's gc worker); returns how many. */
  gc(): number {
    return this.expire();
  }

  /** When the next entry expires (for scheduling gc), if any. */
  nextExpiry(): number | undefined {
    let min = Infinity;
    for (const e of this.table) min = Math.min(min, e.expires);
    return min === Infinity ? undefined : min;
  }

  /** Per-CPU counters, for `conntrack -S`. */
  stats(): CtCpuStats[] {
    return this.cpuStats.map((s) => ({ ...s }));
  }

  get count(): number {
    this.expireDue();
    return this.table.size;
  }

  // --- internals ---

  private stat(name: keyof CtCpuStats): void {
    // Packets are not spread over CPUs here; all count on the first.
    this.cpuStats[0][name]++;
  }

  private fail(name: 'invalid' | 'error'): CtResult {
    this.stat(name);
    return { kind: 'invalid' };
  }

  private lookup(tuple: CtTuple, zone: number): Hashed | undefined {
    return this.hash.get(tupleKey(tuple, zone));
  }

  private alloc(orig: CtTuple, reply: CtTuple, zone: number): CtEntry {
    const events = ctSysctl(this.env.sysctl, 'events');
    return {
      id: this.env.rng.u32(),
      orig,
      reply,
      status: new Set(),
      mark: 0,
      use: 1,
      zone,
      expires: this.env.now(),
      priv: {
        timeout: 0,
        // events=2 (the default) gives entries an event cache only while someone listens.
        ecache: events === 1 || (events === 2 && this.listeners.size > 0),
        cached: new Set(),
        seq: this.seq++,
      },
    };
  }

  private track(e: CtEntry, dir: CtDir, p: CtPacket): TrackVerdict {
    switch (e.orig.proto) {
      case IPPROTO_TCP:
        return tcpPacket(e, dir === 'ORIGINAL' ? 0 : 1, p, this.ctx);
      case IPPROTO_UDP:
      case IPPROTO_UDPLITE:
        return udpPacket(e, this.ctx);
      case IPPROTO_ICMP:
        return icmpPacket(e, this.ctx);
      default:
        return genericPacket(e, this.ctx);
    }
  }

  /** nf_conntrack_inet_error: an ICMP error is RELATED to the entry of the packet it quotes. */
  private icmpError(p: CtPacket, zone: number): CtResult {
    if (!p.inner) return this.fail('error');
    const quoted = invertTuple(packetTuple(p.inner));
    const found = quoted && this.lookup(quoted, zone);
    if (!found) return this.fail('error');
    // The error must be addressed where that direction's packets go ("outer daddr != inner").
    const tuple = found.dir === 'ORIGINAL' ? found.entry.orig : found.entry.reply;
    if (tuple.dst !== p.dst) return this.fail('error');
    return { kind: 'tracked', entry: found.entry, dir: found.dir, state: 'RELATED', isNew: false };
  }

  /** nf_conntrack_tuple_taken: some other confirmed entry already uses `tuple`. */
  private taken(tuple: CtTuple, ignored: CtEntry): boolean {
    const h = this.lookup(tuple, ignored.zone);
    if (!h || h.entry === ignored) return false;
    // The same flow seen twice (identical original tuples) is left to the confirm step.
    if (tupleEqual(h.entry.orig, ignored.orig)) return false;
    this.stat('found');
    return true;
  }

  private refresh(e: CtEntry, ms: number): void {
    if (e.status.has('FIXED_TIMEOUT')) return;
    const now = this.env.now();
    e.expires = now + ms;
    if (e.status.has('CONFIRMED')) this.earliest = Math.min(this.earliest, e.expires);
    else e.priv.timeout = ms;
  }

  /**
   * Room for one more entry: above nf_conntrack_max, evict an entry that is not assured
   * (early_drop), or refuse and warn, rate-limited as net_warn_ratelimited does.
   */
  private makeRoom(): boolean {
    const max = ctSysctl(this.env.sysctl, 'max');
    if (!max || this.table.size + 1 <= max) return true;
    for (const e of this.table) {
      if (e.status.has('ASSURED')) continue;
      this.remove(e);
      this.stat('early_drop');
      return true;
    }
    const inum = this.env.netnsInum;
    const msg = inum === undefined ? 'nf_conntrack: table full, dropping packet' : `nf_conntrack: table full in netns ${inum}, dropping packet`;
    // pr_fmt adds the module name in front of the message's own prefix.
    this.warn.log(this.env.now(), `nf_conntrack: ${msg}`, this.env.log);
    return false;
  }

  /** Removes expired entries if any may have expired. */
  private expireDue(): void {
    if (this.env.now() >= this.earliest) this.expire();
  }

  private expire(): number {
    const now = this.env.now();
    let n = 0;
    let earliest = Infinity;
    for (const e of [...this.table]) {
      if (e.expires <= now) {
        this.remove(e);
        n++;
      } else {
        earliest = Math.min(earliest, e.expires);
      }
    }
    this.earliest = earliest;
    return n;
  }

  /** nf_ct_delete: unhash and report DESTROY. */
  private remove(e: CtEntry, by?: CtRequester): void {
    if (e.status.has('DYING')) return;
    e.status.add('DYING');
    if (!e.status.has('CONFIRMED')) return;
    this.table.delete(e);
    this.hash.delete(tupleKey(e.orig, e.zone));
    this.hash.delete(tupleKey(e.reply, e.zone));
    if (!e.priv.ecache) return;
    const left = secondsLeft(e, this.env.now());
    // A destroyed entry's timeout is only reported when some time was left (skip_zero).
    this.emit({ type: 'DESTROY', entry: snapshot(e), timeout: left > 0 ? left : undefined, time: this.env.now(), withMark: e.mark !== 0, portid: by?.portid, progname: by?.progname });
  }

  /** nf_ct_deliver_cached_events: one NEW or UPDATE message for what the packet changed. */
  private deliver(e: CtEntry): void {
    const bits = e.priv.cached;
    if (bits.size === 0) return;
    const isNew = bits.has('NEW') || bits.has('RELATED');
    e.priv.cached = new Set<CtEventBit>();
    if (!e.priv.ecache || e.status.has('DYING')) return;
    this.emit({ type: isNew ? 'NEW' : 'UPDATE', entry: snapshot(e), timeout: secondsLeft(e, this.env.now()), time: this.env.now(), withMark: e.mark !== 0 || bits.has('MARK') });
  }

  /** An event reported at once (changes made over netlink), naming who made them. */
  private emitNow(e: CtEntry, type: 'NEW' | 'UPDATE', by?: CtRequester): void {
    e.priv.cached = new Set<CtEventBit>();
    if (!e.priv.ecache) return;
    this.emit({ type, entry: snapshot(e), timeout: secondsLeft(e, this.env.now()), time: this.env.now(), withMark: true, portid: by?.portid, progname: by?.progname });
  }

  /** A netlink port id as the kernel assigns one to an unbound socket (a negative number). */
  netlinkPortid(): number {
    return (this.env.rng.u32() | 0x80000000) >>> 0;
  }

  private emit(ev: CtEvent): void {
    for (const fn of [...this.listeners]) fn(ev);
  }
}
