/**
 * The host's files as a process in one network namespace sees them: the host's MemFs, with
 * /proc and /sys/class/net generated from the kernel model on every access. /proc/sys reads and
 * writes the namespace's sysctls (so `echo 1 > /proc/sys/net/ipv4/ip_forward` works through the
 * shell's redirections), /proc/net shows its devices, routes, neighbours and conntrack table,
 * /proc/PID the machine's processes, /sys/class/net its devices.
 */
import type { Process } from '../../kernel/machine.ts';
import type { System } from '../../userland/command.ts';
import { FsError, resolvePath, type FileSystem } from './fs.ts';
import { procNetArp, procNetConntrack, procNetDev, procNetRoute } from './procnet.ts';
import { byteOrder, ProcSys } from './procsys.ts';
import { isSysDir, sysfsLookup } from './sysfs.ts';

/** What a generated path is: a directory with names, or a file with content and maybe a writer. */
type Node =
  | { dir: string[] }
  | { file: () => string; write?: (data: string) => void };

const PROC_NET = ['arp', 'dev', 'nf_conntrack', 'route'];
const PROC_PID = ['cmdline', 'comm', 'ns', 'status'];

/** /proc/PID/status's State line for ps's one-letter state. */
const STATE_NAMES: Record<string, string> = { R: 'R (running)', S: 'S (sleeping)', D: 'D (disk sleep)', T: 'T (stopped)', Z: 'Z (zombie)', I: 'I (idle)' };

function procStatus(p: Process): string {
  const comm = procComm(p);
  const state = STATE_NAMES[p.stat[0]] ?? 'S (sleeping)';
  return (
    `Name:\t${comm}\nUmask:\t0022\nState:\t${state}\nTgid:\t${p.pid}\nNgid:\t0\nPid:\t${p.pid}\nPPid:\t${p.ppid}\nTracerPid:\t0\n` +
    `Uid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\nGid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\nFDSize:\t64\nGroups:\t \n` +
    `NStgid:\t${p.pid}\nNSpid:\t${p.pid}\nNSpgid:\t${p.pid}\nNSsid:\t${p.pid}\n` +
    `VmPeak:\t${String(p.vsz).padStart(8)} kB\nVmSize:\t${String(p.vsz).padStart(8)} kB\nVmRSS:\t${String(p.rss).padStart(8)} kB\nThreads:\t1\n`
  );
}

/** The kernel's comm: the program's base name, at most 15 bytes. */
export function procComm(p: Process): string {
  const a0 = p.argv[0] ?? '';
  return a0.slice(a0.lastIndexOf('/') + 1).slice(0, 15);
}

export class ProcFs implements FileSystem {
  private readonly procSys: ProcSys;

  constructor(
    private readonly base: FileSystem,
    private readonly sys: System,
  ) {
    this.procSys = new ProcSys(sys);
  }

  /** The generated node at an absolute path, undefined if the path is not generated (or does not exist there). */
  private node(path: string): Node | undefined | 'missing' {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'proc') return this.procNode(parts.slice(1));
    if (parts[0] === 'sys' && parts[1] === 'class' && parts[2] === 'net') {
      const n = sysfsLookup(this.sys.netns(), parts.slice(3));
      if (!n) return 'missing';
      if (isSysDir(n)) return { dir: [...n.keys()].sort(byteOrder) };
      return {
        file: () => {
          const v = n.read();
          if (v === 'EINVAL') throw new FsError(path, 'EINVAL');
          return v;
        },
        write: (data) => {
          if (!n.write) throw new FsError(path, 'EACCES');
          const t = data.trim();
          if (!/^\d+$/.test(t)) throw new FsError(path, 'EINVAL');
          const err = n.write(Number(t));
          if (err) throw new FsError(path, err);
        },
      };
    }
    if (parts[0] === 'sys' && parts.length <= 2 && (parts.length === 1 || parts[1] === 'class')) return { dir: parts.length === 1 ? ['class'] : ['net'] };
    return undefined;
  }

  private procNode(parts: string[]): Node | 'missing' {
    const machine = this.sys.machine();
    if (parts.length === 0) return { dir: [...[...machine.procs.keys()].map(String), 'net', 'sys', 'uptime'] };
    const [top, ...rest] = parts;
    if (top === 'uptime' && !rest.length) {
      const up = (this.sys.now() - machine.kernel.bootTime) / 1000;
      return { file: () => `${up.toFixed(2)} ${(up * 2).toFixed(2)}\n` };
    }
    if (top === 'sys') {
      if (this.procSys.isDir(rest)) return { dir: this.procSys.list(rest) };
      const f = this.procSys.file(rest);
      if (!f) return 'missing';
      const path = '/proc/sys/' + rest.join('/');
      return {
        file: () => f.read(),
        write: (data) => {
          const err = f.write(data);
          if (err) throw new FsError(path, err === 'EPERM' ? 'EACCES' : err === 'ERANGE' ? 'ERANGE' : 'EINVAL');
        },
      };
    }
    if (top === 'net') {
      if (!rest.length) return { dir: PROC_NET };
      if (rest.length > 1) return 'missing';
      const ns = this.sys.netns();
      switch (rest[0]) {
        case 'dev':
          return { file: () => procNetDev(ns) };
        case 'route':
          return { file: () => procNetRoute(ns) };
        case 'arp':
          return { file: () => procNetArp(ns) };
        case 'nf_conntrack':
          return { file: () => procNetConntrack(this.sys) };
        default:
          return 'missing';
      }
    }
    if (/^\d+$/.test(top)) {
      const p = machine.procs.get(Number(top));
      if (!p) return 'missing';
      if (!rest.length) return { dir: PROC_PID };
      if (rest.length === 1) {
        switch (rest[0]) {
          case 'cmdline':
            return { file: () => p.argv.map((a) => a + '\0').join('') };
          case 'comm':
            return { file: () => procComm(p) + '\n' };
          case 'status':
            return { file: () => procStatus(p) };
          case 'ns':
            return { dir: ['net'] };
          default:
            return 'missing';
        }
      }
      if (rest.length === 2 && rest[0] === 'ns' && rest[1] === 'net') return { file: () => '' };
      return 'missing';
    }
    return 'missing';
  }

  read(path: string): string | undefined {
    const p = resolvePath('/', path);
    const n = this.node(p);
    if (n === undefined) return this.base.read(p);
    if (n === 'missing' || 'dir' in n) return undefined;
    return n.file();
  }

  /**
   * Opening a /proc or /sys file for writing truncates nothing; what a shell writes into it
   * arrives here (from `write` with the whole text, or `append` at the end of a redirection).
   */
  write(path: string, data: string): void {
    const p = resolvePath('/', path);
    const n = this.node(p);
    if (n === undefined) return this.base.write(p, data);
    if (n === 'missing') throw new FsError(p, 'ENOENT');
    if ('dir' in n) throw new FsError(p, 'EISDIR');
    if (data === '') return;
    if (!n.write) throw new FsError(p, 'EACCES');
    n.write(data);
  }

  append(path: string, data: string): void {
    const p = resolvePath('/', path);
    if (this.node(p) === undefined) return this.base.append(p, data);
    this.write(p, data);
  }

  exists(path: string): boolean {
    const p = resolvePath('/', path);
    const n = this.node(p);
    if (n === undefined) return this.base.exists(p);
    return n !== 'missing';
  }

  isDir(path: string): boolean {
    const p = resolvePath('/', path);
    const n = this.node(p);
    if (n === undefined) return this.base.isDir(p);
    return n !== 'missing' && 'dir' in n;
  }

  remove(path: string): boolean {
    const p = resolvePath('/', path);
    if (this.node(p) !== undefined) return false;
    return this.base.remove(p);
  }

  list(dir: string): string[] {
    const p = resolvePath('/', dir);
    const n = this.node(p);
    if (n === undefined) {
      const names = this.base.list(p);
      // The generated trees hang off the real root.
      if (p === '/') return [...new Set([...names, 'proc', 'sys'])].sort();
      return names;
    }
    if (n === 'missing' || !('dir' in n)) return [];
    return [...n.dir].sort();
  }
}
