/**
 * One simulated kernel: every network namespace (nodes, pods, the "docker network"), the
 * virtual clock, the seeded generator, the kernel log (dmesg), and the softirq-like work queue
 * that carries frames between devices in FIFO order, so no delivery recurses into another.
 */
import { Clock } from './clock.ts';
import { NetNs } from './netns.ts';
import { Rng } from './rng.ts';

export interface LogLine {
  /** Milliseconds since boot. */
  t: number;
  /** syslog level (4 warning, 6 info). */
  level: number;
  text: string;
}

/** The first inode number the kernel gives a network namespace after the initial ones. */
const FIRST_NS_INODE = 4026531840;

export class Kernel {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly bootTime: number;
  readonly namespaces = new Set<NetNs>();
  readonly log: LogLine[] = [];
  private logListeners = new Set<(l: LogLine) => void>();
  private nextInode = FIRST_NS_INODE + 0x3e8;
  private queue: (() => void)[] = [];
  private pumping = false;

  constructor(opts: { seed?: number; now?: number; clock?: Clock; rng?: Rng } = {}) {
    this.clock = opts.clock ?? new Clock(opts.now ?? Date.UTC(2024, 0, 1));
    this.rng = opts.rng ?? new Rng(opts.seed ?? 1);
    // The machine booted a while ago, so dmesg timestamps look like a running system's.
    this.bootTime = this.clock.now - 3_600_000;
  }

  createNetns(): NetNs {
    const ns = new NetNs(this, this.nextInode++);
    this.namespaces.add(ns);
    return ns;
  }

  /** A namespace goes away with its devices; veth peers elsewhere go with it. */
  destroyNetns(ns: NetNs): void {
    for (const link of [...ns.links.values()].reverse()) if (link.kind !== 'loopback') ns.deleteLink(link);
    this.namespaces.delete(ns);
    for (const other of this.namespaces) other.nsids.delete(ns);
  }

  /** Both ends of a cross-namespace veth know each other's namespace by id. */
  pairNsids(a: NetNs, b: NetNs): void {
    if (a === b) return;
    a.nsid(b);
    b.nsid(a);
  }

  /** printk: appends to the ring buffer `dmesg` reads. */
  printk(text: string, level = 6): void {
    const line = { t: this.clock.now - this.bootTime, level, text };
    this.log.push(line);
    for (const fn of this.logListeners) fn(line);
  }

  onLog(fn: (l: LogLine) => void): () => void {
    this.logListeners.add(fn);
    return () => this.logListeners.delete(fn);
  }

  /** Queues work (a frame arriving on a device) and runs the queue unless already running. */
  defer(fn: () => void): void {
    this.queue.push(fn);
    this.pump();
  }

  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let fn = this.queue.shift(); fn; fn = this.queue.shift()) fn();
    } finally {
      this.pumping = false;
    }
  }

  /** A random version-4 UUID from the seeded generator (netns names `cni-<uuid>`). */
  uuid(): string {
    return this.rng.uuid();
  }
}
