/**
 * util-linux's `lsns` (2.38): the namespaces the machine's processes are in, one line each with
 * how many processes share it, the lowest PID, its user and command, and for network namespaces
 * the id this namespace gives it (NETNSID) and where it is mounted (NSFS, /run/netns/NAME). The
 * model keeps separate network namespaces only; every process shares one namespace of each
 * other type.
 */
import type { Command, CommandContext } from '../command.ts';
import type { Process } from '../../kernel/machine.ts';
import { args, userName } from './procinfo.ts';

const TYPES = ['mnt', 'net', 'time', 'cgroup', 'pid', 'user', 'uts', 'ipc'] as const;
type NsType = (typeof TYPES)[number];

/** The inodes of the namespaces (other than network ones) all of a machine's processes share. */
const SHARED_INODES: Record<Exclude<NsType, 'net'>, number> = {
  mnt: 4026531832, time: 4026531834, cgroup: 4026531835, pid: 4026531836, user: 4026531837, uts: 4026531838, ipc: 4026531839,
};

interface Row {
  ns: number;
  type: NsType;
  procs: Process[];
  nsfs: string;
  netnsid: string;
}

interface ColumnDef {
  right: boolean;
  value(r: Row, ctx: CommandContext): string;
}

const COLUMNS: Record<string, ColumnDef> = {
  NS: { right: true, value: (r) => String(r.ns) },
  TYPE: { right: false, value: (r) => r.type },
  PATH: { right: false, value: (r) => `/proc/${r.procs[0].pid}/ns/${r.type}` },
  NPROCS: { right: true, value: (r) => String(r.procs.length) },
  PID: { right: true, value: (r) => String(r.procs[0].pid) },
  PPID: { right: true, value: (r) => String(r.procs[0].ppid) },
  COMMAND: { right: false, value: (r) => args(r.procs[0]) },
  UID: { right: true, value: (r) => String(r.procs[0].uid) },
  USER: { right: false, value: (r, ctx) => userName(ctx.fs, r.procs[0].uid) },
  NETNSID: { right: true, value: (r) => r.netnsid },
  NSFS: { right: false, value: (r) => r.nsfs },
};

class Fail extends Error {}

function rows(ctx: CommandContext, types: Set<NsType>, onlyPid?: number): Row[] {
  const machine = ctx.sys.machine();
  const here = ctx.sys.netns();
  const procs = [...machine.procs.values()].sort((a, b) => a.pid - b.pid);
  const out: Row[] = [];
  for (const type of TYPES) {
    if (!types.has(type)) continue;
    const groups = new Map<number, Row>();
    for (const p of procs) {
      const inode = type === 'net' ? p.netns.inode : SHARED_INODES[type];
      let row = groups.get(inode);
      if (!row) {
        const netnsid = type === 'net' ? (here.nsids.has(p.netns) ? String(here.nsids.get(p.netns)) : 'unassigned') : '';
        const nsfs = type === 'net' ? [...machine.mounts].filter(([, ns]) => ns === p.netns).map(([name]) => `/run/netns/${name}`)[0] ?? '' : '';
        groups.set(inode, (row = { ns: inode, type, procs: [], nsfs, netnsid }));
      }
      row.procs.push(p);
    }
    out.push(...groups.values());
  }
  const shown = onlyPid === undefined ? out : out.filter((r) => r.procs.some((p) => p.pid === onlyPid));
  return shown.sort((a, b) => a.ns - b.ns);
}

function table(ctx: CommandContext, cols: string[], data: Row[], headings: boolean): string {
  const cells = data.map((r) => cols.map((c) => COLUMNS[c].value(r, ctx)));
  // libsmartcols sizes columns for their headers even when it does not print them (-n).
  const widths = cols.map((c, k) => Math.max(c.length, ...cells.map((row) => row[k].length)));
  const line = (row: string[]): string =>
    row.map((v, k) => (COLUMNS[cols[k]].right ? v.padStart(widths[k]) : k === cols.length - 1 ? v : v.padEnd(widths[k]))).join(' ') + '\n';
  return (headings ? line(cols) : '') + cells.map(line).join('');
}

function run(ctx: CommandContext): number {
  const argv = ctx.argv.slice(1);
  const types = new Set<NsType>();
  let headings = true;
  let output: string[] | undefined;
  let pid: number | undefined;
  let only: number | undefined;
  const bad = (msg: string): never => {
    throw new Fail(`lsns: ${msg}\nTry 'lsns --help' for more information.`);
  };
  const addType = (t: string): void => {
    if (!(TYPES as readonly string[]).includes(t)) throw new Fail(`lsns: unknown namespace type: ${t}`);
    types.add(t as NsType);
  };
  const setOutput = (v: string): void => {
    output = v.split(',').map((c) => {
      const name = c.toUpperCase();
      if (!COLUMNS[name]) throw new Fail(`lsns: unknown column: ${c}`);
      return name;
    });
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string): string => argv[++i] ?? bad(`option requires an argument -- '${name}'`);
    if (a.startsWith('--')) {
      const [name, val] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
      if (name === 'type') addType(val ?? value('type'));
      else if (name === 'output') setOutput(val ?? value('output'));
      else if (name === 'task') pid = Number(val ?? value('task'));
      else if (name === 'noheadings') headings = false;
      else if (!['list', 'notruncate', 'nowrap'].includes(name)) bad(`unrecognized option '${a}'`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const rest = a.slice(j + 1);
        if (c === 't') addType(rest || value('t'));
        else if (c === 'o') setOutput(rest || value('o'));
        else if (c === 'p') pid = Number(rest || value('p'));
        else if (c === 'n') {
          headings = false;
          continue;
        } else if (c === 'l' || c === 'u' || c === 'W') continue;
        else bad(`invalid option -- '${c}'`);
        break;
      }
      continue;
    }
    // A namespace given by inode: just that one.
    only = Number(a);
  }
  const all = types.size === 0;
  const shownTypes = all ? new Set(TYPES) : types;
  const cols = output ?? (types.has('net') ? ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'NETNSID', 'NSFS', 'COMMAND'] : ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND']);
  const data = rows(ctx, shownTypes, pid).filter((r) => only === undefined || r.ns === only);
  if (data.length) ctx.stdout(table(ctx, cols, data, headings));
  return 0;
}

export const lsns: Command = (ctx) => {
  try {
    return run(ctx);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    ctx.stderr(`${e.message}\n`);
    return 1;
  }
};
