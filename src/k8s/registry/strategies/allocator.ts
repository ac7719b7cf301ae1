/**
 * Cluster IP and node port allocation as pkg/registry/core/service/ipallocator and
 * portallocator do it, with the state derived from the Services in the store (read inside the
 * write's transaction), so it survives restarts and rolls back with a failed request.
 *
 * Dynamic allocation follows upstream's random scan with an offset (ServiceIPStaticSubrange,
 * ServiceNodePortStaticSubrange): a random start in the upper band of the range, scanning
 * forward, and the lower ("static") band only when the upper one is full, so addresses like
 * 10.96.0.10 stay free for those who ask for them. The first address of the service CIDR
 * (10.96.0.1) belongs to the `kubernetes` Service and is never handed out dynamically.
 */
import { formatIPv4, maskOf, parseIPv4 } from '../../../kernel/addr.ts';
import type { KObject } from '../../api/object.ts';
import type { Rng } from '../../../kernel/rng.ts';
import type { StrategyContext } from '../strategy.ts';
import type { Store, StoreEvent } from '../../store/store.ts';
import { arr, isObj, type Obj } from './validation.ts';

export interface IPRange {
  /** `10.96.0.0/12` as configured. */
  cidr: string;
  network: number;
  prefix: number;
  /** The first allocatable address (network + 1). */
  base: number;
  /** How many addresses may be allocated (the network and broadcast addresses are not). */
  max: number;
  /** The static band's size: offsets below it are taken only when asked for or the rest is full. */
  offset: number;
}

/** The first IPv4 CIDR of the configured service CIDRs. */
export function ipRange(serviceCIDR: string): IPRange {
  const cidr = serviceCIDR.split(',').map((s) => s.trim()).find((c) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c)) ?? '10.96.0.0/12';
  const [ip, len] = cidr.split('/');
  const prefix = Number(len);
  const network = (parseIPv4(ip)! & maskOf(prefix)) >>> 0;
  const size = 2 ** (32 - prefix);
  const max = Math.max(0, size - 2);
  return { cidr: `${formatIPv4(network)}/${prefix}`, network, prefix, base: network + 1, max, offset: rangeOffset(size, 16, 256, 16) };
}

/** calculateRangeOffset: min(max(lo, size/step), hi), 0 for tiny ranges. */
function rangeOffset(size: number, lo: number, hi: number, step: number): number {
  if (size <= lo) return 0;
  const o = Math.floor(size / step);
  return o < lo ? lo : o > hi ? hi : o;
}

export interface PortRange {
  base: number;
  size: number;
  offset: number;
  /** `30000-32767`, as the range is named in errors. */
  text: string;
}

export function portRange([lo, hi]: [number, number]): PortRange {
  const size = hi - lo + 1;
  return { base: lo, size, offset: rangeOffset(size, 16, 128, 32), text: `${lo}-${hi}` };
}

/** Whether `ip` may be allocated from the range (inside it, not its network or broadcast address). */
export function ipInRange(r: IPRange, ip: number): boolean {
  const off = ip - r.base;
  return off >= 0 && off < r.max;
}

export interface InUse {
  ips: Set<number>;
  ports: Set<number>;
}

interface Usage {
  ips: number[];
  ports: number[];
}

/**
 * What every stored Service holds, by `namespace/name`, as of resourceVersion `rv`. Kept per
 * store and brought up to date by replaying the store's event log after `rv` (read inside the
 * write's transaction, the log includes the transaction's own pending writes), so an
 * allocation costs the writes since the last one instead of a list of every Service.
 *
 * A rolled-back transaction takes its log rows with it and the next writes reuse their
 * versions; `mark` identifies the event at `rv`, and a cache whose event is gone or different
 * was built on writes that never committed: it is rebuilt from a list of the Services.
 */
interface UsageCache {
  rv: number;
  mark: string | null;
  byKey: Map<string, Usage>;
}

const caches = new WeakMap<Store, UsageCache>();

function usageOf(svc: KObject): Usage {
  const spec = isObj(svc.spec) ? (svc.spec as Obj) : {};
  const ips: number[] = [];
  for (const ip of arr<string>(spec.clusterIPs)) {
    const n = parseIPv4(String(ip));
    if (n !== undefined) ips.push(n);
  }
  const ports: number[] = [];
  for (const p of arr(spec.ports)) if (typeof p.nodePort === 'number' && p.nodePort) ports.push(p.nodePort);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return { ips, ports };
}

function keyOf(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function markOf(e: StoreEvent): string {
  return `${e.rv}|${e.type}|${e.resource}|${e.object.metadata.uid ?? ''}|${e.object.metadata.resourceVersion ?? ''}`;
}

/** The store's events after `from`, or undefined when the log no longer reaches back that far. */
function eventsAfter(store: Store, from: number): StoreEvent[] | undefined {
  const out: StoreEvent[] = [];
  if (from < 0) return undefined;
  try {
    store.watch(from, (e) => out.push(e)).stop();
  } catch {
    return undefined;
  }
  return out;
}

function rebuild(store: Store, rv: number): UsageCache {
  const byKey = new Map<string, Usage>();
  for (const svc of store.list('services')) byKey.set(keyOf(svc), usageOf(svc));
  const last = rv > 0 ? eventsAfter(store, rv - 1)?.find((e) => e.rv === rv) : undefined;
  return { rv, mark: last ? markOf(last) : null, byKey };
}

/** Whether the log still holds the event the cache was built up to (or still none at its version). */
function sameMark(c: UsageCache, events: StoreEvent[]): boolean {
  const at = events.find((e) => e.rv === c.rv);
  return c.mark === null ? !at : !!at && markOf(at) === c.mark;
}

function usage(store: Store): Map<string, Usage> {
  const now = store.resourceVersion();
  let c = caches.get(store);
  const events = c && c.rv <= now ? eventsAfter(store, c.rv - 1) : undefined;
  if (!c || !events || !sameMark(c, events)) {
    c = rebuild(store, now);
    caches.set(store, c);
    return c.byKey;
  }
  for (const e of events) {
    if (e.rv <= c.rv || e.resource !== 'services') continue;
    if (e.type === 'DELETED') c.byKey.delete(keyOf(e.object));
    else c.byKey.set(keyOf(e.object), usageOf(e.object));
  }
  const last = events.length ? events[events.length - 1] : undefined;
  if (last && last.rv > c.rv) {
    c.rv = last.rv;
    c.mark = markOf(last);
  }
  return c.byKey;
}

/** The cluster IPs and node ports held by every Service except `self`. */
export function inUse(ctx: StrategyContext, self: KObject): InUse {
  const ips = new Set<number>();
  const ports = new Set<number>();
  const selfKey = keyOf(self);
  for (const [key, u] of usage(ctx.store)) {
    if (key === selfKey) continue;
    for (const ip of u.ips) ips.add(ip);
    for (const p of u.ports) ports.add(p);
  }
  return { ips, ports };
}

/** randomScanStrategyWithOffset.AllocateBit over offsets [0, max). */
function scan(max: number, offset: number, taken: (off: number) => boolean, rng: Rng): number | undefined {
  const upper = max - offset;
  if (upper > 0) {
    const start = rng.int(upper);
    for (let i = 0; i < upper; i++) {
      const at = offset + ((start + i) % upper);
      if (!taken(at)) return at;
    }
  }
  if (offset > 0) {
    const start = rng.int(offset);
    for (let i = 0; i < offset; i++) {
      const at = (start + i) % offset;
      if (!taken(at)) return at;
    }
  }
  return undefined;
}

/** The next free cluster IP, or undefined when the range is full. */
export function allocateIP(r: IPRange, used: Set<number>, rng: Rng): number | undefined {
  // Offset 0 is the first address, the `kubernetes` Service's.
  const off = scan(r.max, r.offset, (o) => o === 0 || used.has(r.base + o), rng);
  return off === undefined ? undefined : r.base + off;
}

export function allocatePort(r: PortRange, used: Set<number>, rng: Rng): number | undefined {
  const off = scan(r.size, r.offset, (o) => used.has(r.base + o), rng);
  return off === undefined ? undefined : r.base + off;
}

export function portInRange(r: PortRange, port: number): boolean {
  return port >= r.base && port < r.base + r.size;
}
