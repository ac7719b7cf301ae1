/**
 * A simulated Linux host: a filesystem, a machine on a simulated kernel (network namespaces,
 * processes), a clock and the seeded generator. Commands see it through the System interface,
 * bound to one network namespace at a time. It can be saved to and loaded from a JSON file, with
 * the rules kept in iptables-save form so the state file is readable and uses the real format.
 */
import { Kernel } from '../../kernel/kernel.ts';
import { Machine } from '../../kernel/machine.ts';
import type { Netfilter } from '../../kernel/netfilter/netfilter.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { Rng } from '../../kernel/rng.ts';
import type { System } from '../../userland/command.ts';
import { saveAll } from '../../userland/iptables/save.ts';
import { restore } from '../../userland/iptables/restore.ts';
import { hostNames } from '../../userland/names.ts';
import { defaultEtc } from './etc.ts';
import { MemFs } from './fs.ts';

export interface SimHostState {
  version: 1;
  fs: ReturnType<MemFs['toJSON']>;
  iptables: string;
  rng: number[];
  clock: number;
}

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

  machine(): Machine {
    return this.host.machine;
  }

  inNetns(ns: NetNs): System {
    return this.host.inNetns(ns);
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

  get rng(): Rng {
    return this.kernel.rng;
  }

  inNetns(ns: NetNs): System {
    return ns === this.machine.root ? this.sys : new NsSystem(this, ns);
  }

  toState(): SimHostState {
    return {
      version: 1,
      fs: this.fs.toJSON(),
      iptables: saveAll(this.nf, hostNames(this.fs), { counters: true, now: this.kernel.clock.now }),
      rng: this.rng.state(),
      clock: this.kernel.clock.now,
    };
  }

  static fromState(s: SimHostState): SimHost {
    const h = new SimHost({ kernel: new Kernel({ now: s.clock, rng: new Rng(s.rng) }) });
    h.fs = MemFs.fromJSON(s.fs);
    const r = restore(h.nf, s.iptables, { noflush: false, counters: true, test: false }, { fs: h.fs, stdout: () => {} });
    if (r.status !== 0) throw new Error(`corrupt state file: ${r.stderr}`);
    return h;
  }
}
