/**
 * /proc/sys as one namespace sees it: the namespace's sysctls (src/kernel/sysctl.ts) plus the few
 * the kernel computes (the live conntrack count, the UTS hostname), laid out as the kernel's
 * directory tree, with each file's mode and what writing a value does. The `sysctl` command and
 * the /proc file view both go through here, so they agree.
 */
import type { Errno } from '../../kernel/errno.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { conntrackOf } from '../../kernel/stack/state.ts';
import { SysctlError } from '../../kernel/sysctl.ts';
import type { System } from '../../userland/command.ts';

/** One file under /proc/sys. */
export interface SysFile {
  /** The file's content: the value and a newline. */
  read(): string;
  /** Whether the file's mode lets its owner write (0644 rather than 0444). */
  writable: boolean;
  /** Stores what a write(2) of `data` stores, or the errno the handler returns. */
  write(data: string): Errno | undefined;
}

/** A path under /proc/sys as its components: `net/ipv4/conf/flannel.1/rp_filter`. */
export type SysPath = string[];

/** Settings that are read-only in every namespace. */
const ALWAYS_RO = new Set(['net.netfilter.nf_conntrack_count']);

/** Settings only the initial namespace may change (their handlers are 0444 elsewhere). */
const INIT_NS_ONLY = new Set(['net.netfilter.nf_conntrack_max', 'net.netfilter.nf_conntrack_buckets']);

/** The kernel's dotted key for a path: components joined with dots, dots inside a name as slashes. */
export function keyOf(path: SysPath): string {
  return path.map((c) => c.replaceAll('.', '/')).join('.');
}

/** The path of a dotted key (`net.ipv4.conf.flannel/1.rp_filter` -> net/ipv4/conf/flannel.1/rp_filter). */
export function pathOf(key: string): SysPath {
  return key.split('.').map((c) => c.replaceAll('/', '.'));
}

/** The initial network namespace: the first one the kernel made. */
function isInitNs(ns: NetNs): boolean {
  return ns.kernel.namespaces.values().next().value === ns;
}

/**
 * proc_dointvec's parsing, for a write the model would take in any form: optional blanks, then
 * integers separated by blanks, then blanks or a newline. Anything else is EINVAL.
 */
function intVector(data: string): number[] | undefined {
  const t = data.replace(/\n$/, '');
  if (!/^\s*-?\d+(\s+-?\d+)*\s*$/.test(t)) return undefined;
  return t.trim().split(/\s+/).map(Number);
}

/** Range checks the model's Sysctl leaves to the handler (ipv4_local_port_range). */
function checkValue(ns: NetNs, key: string, data: string): Errno | undefined {
  if (key === 'net.ipv4.ip_local_port_range') {
    const v = intVector(data);
    if (!v || v.length !== 2) return 'EINVAL';
    const unprivileged = ns.sysctl.has('net.ipv4.ip_unprivileged_port_start') ? ns.sysctl.num('net.ipv4.ip_unprivileged_port_start') : 1024;
    if (v[1] < v[0] || v[0] < unprivileged || v[1] > 65535) return 'EINVAL';
  }
  return undefined;
}

export class ProcSys {
  constructor(private readonly sys: System) {}

  private get ns(): NetNs {
    return this.sys.netns();
  }

  /** Every file's dotted key, in no particular order. */
  private keys(): string[] {
    const keys = [...this.ns.sysctl.keys()];
    if (!keys.includes('net.netfilter.nf_conntrack_count')) keys.push('net.netfilter.nf_conntrack_count');
    keys.push('kernel.hostname');
    return keys;
  }

  /** The file at `path`, if there is one. */
  file(path: SysPath): SysFile | undefined {
    const key = keyOf(path);
    const ns = this.ns;
    if (key === 'kernel.hostname') {
      const machine = this.sys.machine();
      return {
        read: () => `${machine.hostname}\n`,
        writable: true,
        write: (data) => {
          const name = data.replace(/\n$/, '');
          if (name.length > 64) return 'EINVAL';
          machine.hostname = name;
          return undefined;
        },
      };
    }
    if (key === 'net.netfilter.nf_conntrack_count') {
      return { read: () => `${(this.sys.conntrack?.() ?? conntrackOf(ns)).count}\n`, writable: false, write: () => 'EPERM' };
    }
    if (!ns.sysctl.has(key)) return undefined;
    const writable = !ALWAYS_RO.has(key) && !key.endsWith('.mc_forwarding') && (!INIT_NS_ONLY.has(key) || isInitNs(ns));
    return {
      read: () => `${ns.sysctl.get(key)}\n`,
      writable,
      write: (data) => {
        if (!writable) return 'EPERM';
        const bad = checkValue(ns, key, data);
        if (bad) return bad;
        if (data.trim() === '') return 'EINVAL';
        try {
          ns.sysctl.set(key, data);
        } catch (e) {
          if (e instanceof SysctlError) return e.errno;
          throw e;
        }
        return undefined;
      },
    };
  }

  /** Whether `path` is a directory (the root is ""). */
  isDir(path: SysPath): boolean {
    if (path.length === 0) return true;
    const prefix = keyOf(path) + '.';
    return this.keys().some((k) => k.startsWith(prefix));
  }

  /** The names in a directory, sorted as the kernel's sysctl tree lists them (byte order). */
  list(path: SysPath): string[] {
    const prefix = path.length ? keyOf(path) + '.' : '';
    const names = new Set<string>();
    for (const k of this.keys()) if (k.startsWith(prefix)) names.add(pathOf(k.slice(prefix.length))[0]);
    return [...names].sort(byteOrder);
  }
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
