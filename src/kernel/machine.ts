/**
 * A machine (a node): the kernel it runs on, its initial network namespace, the namespaces
 * mounted under its /run/netns (what `ip netns` manages), and its process table (what `ps`,
 * `ip netns pid` and `nsenter -t PID` look at). Several machines may share one simulated
 * kernel, as kind's node containers share the host's.
 */
import { KernelError } from './errno.ts';
import type { Kernel } from './kernel.ts';
import type { NetNs } from './netns.ts';

export interface Process {
  pid: number;
  ppid: number;
  argv: string[];
  netns: NetNs;
  uid: number;
  /** Start time, ms since the epoch. */
  start: number;
  /** Resident and virtual size in KiB, as ps prints them. */
  rss: number;
  vsz: number;
  tty: string;
  stat: string;
  /** Ends the process (SIGTERM/SIGKILL); the program's own cleanup runs here. */
  kill?(signal: number): void;
}

export class Machine {
  readonly kernel: Kernel;
  readonly root: NetNs;
  /** /run/netns/NAME → namespace, in creation order (ip netns list prints newest first). */
  readonly mounts = new Map<string, NetNs>();
  readonly procs = new Map<number, Process>();
  hostname: string;
  private nextPid: number;

  constructor(kernel: Kernel, opts: { root?: NetNs; hostname?: string; firstPid?: number } = {}) {
    this.kernel = kernel;
    this.root = opts.root ?? kernel.createNetns();
    this.hostname = opts.hostname ?? 'podlab';
    this.nextPid = opts.firstPid ?? 1;
  }

  /** `ip netns add NAME`: a new namespace with lo down, mounted at /run/netns/NAME. */
  addNetns(name: string): NetNs {
    if (this.mounts.has(name)) throw new KernelError('EEXIST');
    const ns = this.kernel.createNetns();
    this.mounts.set(name, ns);
    return ns;
  }

  /** `ip netns attach NAME PID` and CNI's pinning of a sandbox's namespace. */
  mountNetns(name: string, ns: NetNs): void {
    if (this.mounts.has(name)) throw new KernelError('EEXIST');
    this.mounts.set(name, ns);
  }

  /** `ip netns del NAME`: unmounts; the namespace dies when no process holds it either. */
  delNetns(name: string): void {
    const ns = this.mounts.get(name);
    if (!ns) throw new KernelError('ENOENT');
    this.mounts.delete(name);
    if (![...this.procs.values()].some((p) => p.netns === ns)) this.kernel.destroyNetns(ns);
  }

  nameOf(ns: NetNs): string | undefined {
    for (const [name, n] of this.mounts) if (n === ns) return name;
    return undefined;
  }

  spawn(p: Omit<Process, 'pid' | 'start' | 'rss' | 'vsz' | 'tty' | 'stat' | 'uid' | 'ppid'> & Partial<Process>): Process {
    const proc: Process = { pid: this.nextPid++, ppid: 0, uid: 0, start: this.kernel.clock.now, rss: 4, vsz: 1024, tty: '?', stat: 'S', ...p };
    this.procs.set(proc.pid, proc);
    return proc;
  }

  exit(pid: number): void {
    const p = this.procs.get(pid);
    if (!p) return;
    this.procs.delete(pid);
    // A namespace nobody mounts and no process holds goes away.
    if (p.netns !== this.root && this.nameOf(p.netns) === undefined && ![...this.procs.values()].some((q) => q.netns === p.netns)) this.kernel.destroyNetns(p.netns);
  }
}
