/**
 * A simulated Linux host: a filesystem, a machine on a simulated kernel (network namespaces,
 * processes), a clock and the seeded generator. Commands see it through the System interface,
 * bound to one network namespace at a time. (Persistence is the session's journal: src/cli/session.ts.)
 */
import { Kernel } from '../../kernel/kernel.ts';
import { Machine } from '../../kernel/machine.ts';
import type { Netfilter } from '../../kernel/netfilter/netfilter.ts';
import type { NetNs } from '../../kernel/netns.ts';
import type { Conntrack } from '../../kernel/conntrack/conntrack.ts';
import { conntrackOf } from '../../kernel/stack/state.ts';
import type { System } from '../../userland/command.ts';
import { defaultEtc } from './etc.ts';
import { MemFs, type FileSystem } from './fs.ts';
import { ProcFs } from './procfs.ts';

/** The host's System as seen from one of its network namespaces. */
class NsSystem implements System {
  constructor(
    private readonly host: SimHost,
    private readonly ns: NetNs,
  ) {}

  netfilter(): Netfilter {
    return this.ns.nf;
  }

  netns(): NetNs {
    return this.ns;
  }

  conntrack(): Conntrack {
    return conntrackOf(this.ns);
  }

  machine(): Machine {
    return this.host.machine;
  }

  inNetns(ns: NetNs): System {
    return this.host.inNetns(ns);
  }

  /** The host's files with /proc and /sys/class/net showing this namespace. */
  files(): FileSystem {
    return new ProcFs(this.host.fs, this);
  }

  now(): number {
    return this.host.kernel.clock.now;
  }

  sleep(ms: number): Promise<void> {
    return this.host.kernel.clock.sleep(ms);
  }

  until<T>(p: Promise<T>): Promise<T | undefined> {
    return this.host.kernel.clock.until(p);
  }
}

export class SimHost {
  fs: MemFs;
  readonly kernel: Kernel;
  readonly machine: Machine;
  /** The System of the host's initial network namespace (what a root shell on it sees). */
  readonly sys: System;

  constructor(opts: { seed?: number; clock?: number; kernel?: Kernel; hostname?: string } = {}) {
    this.kernel = opts.kernel ?? new Kernel({ seed: opts.seed ?? 1, now: opts.clock ?? Date.now() });
    this.machine = new Machine(this.kernel, { hostname: opts.hostname });
    this.sys = new NsSystem(this, this.machine.root);
    this.fs = new MemFs(defaultEtc());
    this.fs.mkdirs('/tmp');
    this.fs.mkdirs('/root');
  }

  get nf(): Netfilter {
    return this.machine.root.nf;
  }

  get rng() {
    return this.kernel.rng;
  }

  inNetns(ns: NetNs): System {
    return ns === this.machine.root ? this.sys : new NsSystem(this, ns);
  }
}
