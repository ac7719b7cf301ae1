/**
 * What the traffic tools (ping, nc, curl, tcpdump) share: waiting on the simulated network while
 * virtual time passes and a background job may be killed, cancellable timers, and host name
 * lookups through the host's /etc/hosts (there is no DNS in podlab).
 */
import { formatIPv4, parseIPv4 } from '../../kernel/addr.ts';
import type { TimerHandle } from '../../kernel/clock.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { hostNames } from '../names.ts';
import type { CommandContext } from '../command.ts';

/** How a wait ended: the awaited value, a kill of the job, or nothing left that could settle it. */
export type Waited<T> = { kind: 'done'; value: T } | { kind: 'killed' } | { kind: 'stuck' };

/**
 * Waits for `p`. In the foreground this is what makes virtual time pass (`sys.until`); in a
 * background job the foreground moves the clock and the job's signal ends the wait when killed.
 * `stuck` means nothing in the simulation can ever settle `p` (a real tool would hang there).
 */
export async function block<T>(ctx: CommandContext, p: Promise<T>): Promise<Waited<T>> {
  const signal = ctx.signal;
  if (signal?.aborted) return { kind: 'killed' };
  let onAbort: (() => void) | undefined;
  const killed = new Promise<Waited<T>>((resolve) => {
    onAbort = () => resolve({ kind: 'killed' });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const done = p.then((value): Waited<T> => ({ kind: 'done', value }));
  try {
    const r = await ctx.sys.until(Promise.race([done, killed]));
    return r ?? { kind: 'stuck' };
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** A timer on the namespace's clock that can be cancelled, so finished waits leave nothing behind. */
export interface Timer {
  promise: Promise<void>;
  cancel(): void;
}

export function timer(ns: NetNs, ms: number): Timer {
  let handle: TimerHandle | undefined;
  const promise = new Promise<void>((resolve) => {
    handle = ns.kernel.clock.after(ms, resolve);
  });
  return { promise, cancel: () => handle?.cancel() };
}

/** Timers of one program, cancelled together when it ends. */
export class Timers {
  private live = new Set<Timer>();

  constructor(private readonly ns: NetNs) {}

  /** Resolves after `ms`; `undefined` ms never resolves (no timer is set). */
  after(ms: number | undefined): Promise<void> {
    if (ms === undefined) return new Promise(() => {});
    const t = timer(this.ns, ms);
    this.live.add(t);
    void t.promise.then(() => this.live.delete(t));
    return t.promise;
  }

  cancelAll(): void {
    for (const t of this.live) t.cancel();
    this.live.clear();
  }
}

/** getaddrinfo for IPv4 with `hosts: files`: a dotted quad, or a name from /etc/hosts. */
export function resolveHost(ctx: CommandContext, name: string): number | undefined {
  return parseIPv4(name) ?? hostNames(ctx.fs).hostToAddr(name);
}

/** getnameinfo: the first /etc/hosts name of an address, if any. */
export function hostName(ctx: CommandContext, addr: number): string | undefined {
  const n = hostNames(ctx.fs).addrToName(addr);
  // addrToName also answers from /etc/networks; only host names count here.
  return n !== undefined && hostNames(ctx.fs).hostToAddr(n) === addr ? n : undefined;
}

export function ip(addr: number): string {
  return formatIPv4(addr);
}

/** The service name /etc/services gives a port, as getservbyport does. */
export function serviceName(ctx: CommandContext, port: number, proto: 'tcp' | 'udp'): string | undefined {
  return hostNames(ctx.fs).portToService(port, proto);
}

/** The signal a killed job died of (SIGTERM unless the shell says otherwise). */
export function killSignal(ctx: CommandContext): number {
  const r: unknown = ctx.signal?.reason;
  return typeof r === 'number' ? r : 15;
}

/** Bytes to text and back, as the tools pass stdin and sockets' data through. */
const enc = new TextEncoder();
const dec = new TextDecoder();
export const bytes = (s: string): Uint8Array => enc.encode(s);
export const text = (b: Uint8Array): string => dec.decode(b);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
