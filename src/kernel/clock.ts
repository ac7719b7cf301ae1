/**
 * Virtual time for the simulated kernel: a clock that moves only when someone waits, and timers
 * that fire in time order (ties in the order they were set), so every run replays identically.
 *
 * Code that waits (a `sleep`, ping's interval, a TCP retransmission) asks for a promise with
 * `sleep` or `at`; whoever is in the foreground drives time with `until(p)`, which fires timers
 * one by one, letting the promise continuations of each run before the next, until `p` settles
 * or nothing is left to fire.
 */

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

/** Lets pending promise continuations (and the ones they schedule) run. */
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Clock {
  private timers: Timer[] = [];
  private seq = 0;

  /** `now` is milliseconds since the epoch (the wall clock tools print). */
  constructor(public now: number) {}

  /** Calls `fn` when the clock reaches `now + ms`. */
  after(ms: number, fn: () => void): TimerHandle {
    const t: Timer = { at: this.now + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    // Keep sorted by (at, seq); timers are few, so insertion from the end is cheap.
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1].at > t.at || (this.timers[i - 1].at === t.at && this.timers[i - 1].seq > t.seq))) i--;
    this.timers.splice(i, 0, t);
    return { cancel: () => void (t.cancelled = true) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Whether any live timer is pending. */
  get idle(): boolean {
    return !this.timers.some((t) => !t.cancelled);
  }

  /**
   * Fires timers in order until `p` settles. If no timer is left and `p` is still pending,
   * returns `undefined` for it (a deadlock: nothing in the simulation can settle it).
   */
  async until<T>(p: Promise<T>): Promise<T | undefined> {
    let done = false;
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    p.then(
      (v) => {
        done = true;
        value = v;
      },
      (e: unknown) => {
        done = true;
        failed = true;
        error = e;
      },
    );
    await flushMicrotasks();
    while (!done) {
      const t = this.timers.shift();
      if (!t) break;
      if (t.cancelled) continue;
      if (t.at > this.now) this.now = t.at;
      t.fn();
      await flushMicrotasks();
    }
    if (failed) throw error;
    return value;
  }

  /** Advances the clock by `ms`, firing every timer due by then. */
  async advance(ms: number): Promise<void> {
    await this.until(this.sleep(ms));
  }
}
