/**
 * Where commands live: the emulated commands have no files, so each is given the path it has on
 * Debian (iptables in /usr/sbin, grep in /usr/bin) for `command -v`, `type` and `[ -x ... ]`.
 */
import { resolvePath } from '../../host/sim/fs.ts';
import type { ShellState } from './state.ts';

/** Commands Debian installs in sbin. */
const SBIN = /^(?:ip|ip6?tables(?:-.*)?|ebtables|arptables|nft|tc|bridge|sysctl|conntrack|arp|route|ifconfig|ipvsadm|modprobe|lsmod|ipset|xtables-.*)$/;

const SBIN_DIRS = ['/usr/sbin', '/sbin', '/usr/local/sbin'];
const BIN_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];

function homeDirs(name: string): string[] {
  return SBIN.test(name) ? SBIN_DIRS : BIN_DIRS;
}

/** The path a PATH search finds for `name`, or undefined. */
export function commandPath(name: string, state: ShellState): string | undefined {
  const dirs = (state.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  for (const d of dirs) {
    const dir = d === '' ? state.cwd : d;
    const path = resolvePath(state.cwd, `${dir}/${name}`);
    if (state.fs.exists(path) && !state.fs.isDir(path)) return path;
    if (state.commands.has(name) && homeDirs(name).includes(dir)) return path;
  }
  return undefined;
}

/** Whether `path` is where one of the emulated commands lives (it counts as an executable file). */
export function isCommandFile(path: string, state: ShellState): boolean {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  return state.commands.has(name) && homeDirs(name).includes(path.slice(0, slash));
}
