/**
 * A simulated Linux host: a filesystem, one network namespace's netfilter state, a clock and
 * the seeded generator. It can be saved to and loaded from a JSON file, with the rules kept
 * in iptables-save form so the state file is readable and uses the real format.
 */
import { Netfilter } from '../../kernel/netfilter/netfilter.ts';
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

export class SimHost implements System {
  fs: MemFs;
  nf = new Netfilter();
  rng: Rng;
  /** Milliseconds since the epoch; advances only when the simulation says so. */
  clock: number;

  constructor(opts: { seed?: number; clock?: number } = {}) {
    this.fs = new MemFs(defaultEtc());
    this.fs.mkdirs('/tmp');
    this.fs.mkdirs('/root');
    this.rng = new Rng(opts.seed ?? 1);
    this.clock = opts.clock ?? Date.now();
  }

  netfilter(): Netfilter {
    return this.nf;
  }

  now(): number {
    return this.clock;
  }

  toState(): SimHostState {
    return {
      version: 1,
      fs: this.fs.toJSON(),
      iptables: saveAll(this.nf, hostNames(this.fs), { counters: true, now: this.clock }),
      rng: this.rng.state(),
      clock: this.clock,
    };
  }

  static fromState(s: SimHostState): SimHost {
    const h = new SimHost({ clock: s.clock });
    h.fs = MemFs.fromJSON(s.fs);
    h.rng = new Rng(s.rng);
    const r = restore(h.nf, s.iptables, { noflush: false, counters: true, test: false }, { fs: h.fs, stdout: () => {} });
    if (r.status !== 0) throw new Error(`corrupt state file: ${r.stderr}`);
    return h;
  }
}
