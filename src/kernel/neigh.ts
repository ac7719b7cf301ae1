/**
 * The neighbour (ARP) table of a namespace: entries by device and address with their NUD state,
 * packets waiting for resolution, and proxy entries (`ip neigh add proxy`). Reachable entries
 * turn STALE after the reachable time; the stack does the ARP exchange and calls `confirm`.
 */
import type { TimerHandle } from './clock.ts';
import type { Link } from './link.ts';
import type { Mac } from './mac.ts';
import type { NetNs } from './netns.ts';

/** NUD states; NONE is an entry that exists without any (left by a refused `ip neigh add`). */
export type NudState = 'NONE' | 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'NOARP' | 'PERMANENT';

export interface Neighbour {
  addr: number;
  dev: Link;
  lladdr?: Mac;
  state: NudState;
  router: boolean;
  /** When the entry was last confirmed reachable (ms). */
  confirmed: number;
  updated: number;
  /** Frames' worth of work waiting for the address (run once it resolves, dropped on failure). */
  pending: ((mac: Mac | undefined) => void)[];
  probes: number;
  timer?: TimerHandle;
}

/** base_reachable_time (30 s); the kernel picks the reachable time uniformly in [0.5, 1.5) of it. */
export const BASE_REACHABLE_MS = 30_000;

export class NeighTable {
  private entries = new Map<string, Neighbour>();
  /** Proxy entries: addresses answered on a device regardless of routes. */
  readonly proxies: { addr: number; dev: Link }[] = [];

  constructor(private readonly ns: NetNs) {}

  private key(dev: Link, addr: number): string {
    return `${dev.ifindex}/${addr}`;
  }

  get(dev: Link, addr: number): Neighbour | undefined {
    const n = this.entries.get(this.key(dev, addr));
    if (n) this.age(n);
    return n;
  }

  /** Entries for `ip neigh show`, most recently created first as the kernel's hash dump tends to list them. */
  list(): Neighbour[] {
    const all = [...this.entries.values()];
    for (const n of all) this.age(n);
    return all;
  }

  /** Creates or updates an entry (`ip neigh add/replace`, or learning from ARP). */
  set(dev: Link, addr: number, fields: Partial<Pick<Neighbour, 'lladdr' | 'state' | 'router'>>): Neighbour {
    const now = this.ns.kernel.clock.now;
    let n = this.entries.get(this.key(dev, addr));
    if (!n) {
      // arp_constructor: on a loopback device every neighbour is the same one, keyed 0.0.0.0;
      // creating another finds that one (___neigh_create's duplicate check) and updates it.
      if (dev.kind === 'loopback') addr = 0;
      n = this.entries.get(this.key(dev, addr));
    }
    if (!n) {
      n = { addr, dev, state: 'NOARP', router: false, confirmed: now, updated: now, pending: [], probes: 0 };
      this.entries.set(this.key(dev, addr), n);
    }
    Object.assign(n, fields);
    n.updated = now;
    if (fields.state === 'REACHABLE') n.confirmed = now;
    return n;
  }

  delete(n: Neighbour): void {
    n.timer?.cancel();
    this.entries.delete(this.key(n.dev, n.addr));
    for (const p of n.pending.splice(0)) p(undefined);
  }

  /** neigh_ifdown: a device going down or away forgets its neighbours (permanent ones survive a down). */
  flushDev(dev: Link, keepPermanent = false): void {
    for (const n of [...this.entries.values()]) if (n.dev === dev && !(keepPermanent && n.state === 'PERMANENT')) this.delete(n);
    for (let i = this.proxies.length - 1; i >= 0; i--) if (this.proxies[i].dev === dev && !keepPermanent) this.proxies.splice(i, 1);
  }

  /** REACHABLE → STALE once the reachable time has passed without confirmation. */
  private age(n: Neighbour): void {
    if (n.state === 'REACHABLE' && this.ns.kernel.clock.now - n.confirmed >= BASE_REACHABLE_MS) n.state = 'STALE';
  }
}
