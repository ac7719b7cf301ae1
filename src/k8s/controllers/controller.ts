/**
 * What every controller (and the scheduler) shares: a work queue of object keys fed by store
 * events, and the reconcile step the manager runs for each key. Kept apart from manager.ts so
 * the scheduler can implement the same contract without an import cycle.
 */
import type { StoreEvent } from '../store/store.ts';
import type { Registry } from '../registry/registry.ts';
import type { EventRecorder } from './events.ts';
import type { ObjectCache } from './cache.ts';

/**
 * A de-duplicating FIFO of keys (client-go's workqueue without the rate limiter): a key added
 * twice before it is processed is processed once, in the order it was first added. Keys due
 * later (`addAfter`) wait in a side list until the manager's clock reaches them.
 */
export class WorkQueue {
  private items = new Set<string>();
  private delayed = new Map<string, number>();

  add(key: string): void {
    this.items.add(key);
  }

  /** Queues `key` once the clock reads `at` (ms); an earlier time already pending wins. */
  addAt(key: string, at: number): void {
    const cur = this.delayed.get(key);
    if (cur === undefined || at < cur) this.delayed.set(key, at);
  }

  /** Moves the delayed keys that are due into the queue; returns how many are still waiting. */
  promote(now: number): number {
    for (const [k, at] of [...this.delayed]) {
      if (at <= now) {
        this.delayed.delete(k);
        this.items.add(k);
      }
    }
    return this.delayed.size;
  }

  /** Every queued key, oldest first, leaving the queue empty. */
  take(): string[] {
    const out = [...this.items];
    this.items.clear();
    return out;
  }

  get size(): number {
    return this.items.size;
  }

  get waiting(): number {
    return this.delayed.size;
  }

  /** The earliest time a delayed key is due, if any. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const at of this.delayed.values()) if (min === undefined || at < min) min = at;
    return min;
  }
}

/** What the manager hands each controller. */
export interface ControllerContext {
  registry: Registry;
  recorder: EventRecorder;
  queue: WorkQueue;
  /** The shared read cache: its objects must be copied before they are changed. */
  cache: ObjectCache;
  /** Diagnostics (errors the controller recovers from); never part of the cluster's state. */
  log: (msg: string) => void;
}

export interface Controller {
  /** The controller's name as kube-controller-manager's --controllers flag spells it. */
  readonly name: string;
  /** Maps a committed store event to keys in the controller's queue. Must not write. */
  observe(e: StoreEvent): void;
  /** Queues what exists when the manager starts (an informer's initial list). */
  start(): void;
  /** Brings the object named by `key` to its desired state; may throw to be retried. */
  reconcile(key: string): void;
}

export function nsKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}
