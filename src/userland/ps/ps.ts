/**
 * procps-ng's `ps` (4.0.2) over the machine's process table: the default, `-f`, BSD `u`
 * (`ps aux`) and `-o FORMAT` listings with their column widths, process selection (`-e`, `-A`,
 * `ax`, `-p`, `-C`), `--no-headers`, and the errors it gives for unknown formats and bad lists.
 * Processes here use no CPU time, so %CPU, C and TIME read zero.
 */
import type { Command, CommandContext } from '../command.ts';
import type { Process } from '../../kernel/machine.ts';
import { args, comm, elapsed, ctime, startMedium, startShort, userName } from './procinfo.ts';

interface Env {
  now: number;
  bootTime: number;
  user(uid: number): string;
}

interface Column {
  header: string;
  width: number;
  right: boolean;
  value(p: Process, env: Env): string;
}

/** Memory the machine has, in KiB (for %MEM). */
const MEM_TOTAL_KB = 16 * 1024 * 1024;

/** procps prints tenths, truncated (pr_pmem: rss * 1000 / total). */
const pct = (tenths: number): string => `${Math.floor(tenths / 10)}.${Math.floor(tenths) % 10}`;
const col = (header: string, width: number, right: boolean, value: Column['value']): Column => ({ header, width, right, value });

/** The format specifiers ps knows here, with the header and width procps gives each (PIDs for a pid_max of 4194304). */
const SPECS: Record<string, () => Column> = {
  pid: () => col('PID', 7, true, (p) => String(p.pid)),
  ppid: () => col('PPID', 7, true, (p) => String(p.ppid)),
  user: () => col('USER', 8, false, (p, e) => e.user(p.uid)),
  euser: () => col('EUSER', 8, false, (p, e) => e.user(p.uid)),
  uname: () => col('USER', 8, false, (p, e) => e.user(p.uid)),
  uid: () => col('UID', 5, true, (p) => String(p.uid)),
  euid: () => col('EUID', 5, true, (p) => String(p.uid)),
  comm: () => col('COMMAND', 15, false, (p) => comm(p)),
  ucmd: () => col('CMD', 15, false, (p) => comm(p)),
  ucomm: () => col('COMMAND', 15, false, (p) => comm(p)),
  args: () => col('COMMAND', 27, false, (p) => args(p)),
  command: () => col('COMMAND', 27, false, (p) => args(p)),
  cmd: () => col('CMD', 27, false, (p) => args(p)),
  stat: () => col('STAT', 4, false, (p) => p.stat),
  s: () => col('S', 1, false, (p) => p.stat[0]),
  tty: () => col('TT', 8, false, (p) => p.tty),
  tt: () => col('TT', 8, false, (p) => p.tty),
  tname: () => col('TTY', 8, false, (p) => p.tty),
  vsz: () => col('VSZ', 6, true, (p) => String(p.vsz)),
  vsize: () => col('VSZ', 6, true, (p) => String(p.vsz)),
  rss: () => col('RSS', 5, true, (p) => String(p.rss)),
  rssize: () => col('RSS', 5, true, (p) => String(p.rss)),
  rsz: () => col('RSZ', 5, true, (p) => String(p.rss)),
  etime: () => col('ELAPSED', 11, true, (p, e) => elapsed(e.now - p.start)),
  etimes: () => col('ELAPSED', 7, true, (p, e) => String(Math.max(0, Math.floor((e.now - p.start) / 1000)))),
  time: () => col('TIME', 8, true, () => '00:00:00'),
  cputime: () => col('TIME', 8, true, () => '00:00:00'),
  bsdtime: () => col('TIME', 6, true, () => '0:00'),
  stime: () => col('STIME', 5, false, (p, e) => startShort(p.start, e.now)),
  start_time: () => col('START', 5, false, (p, e) => startShort(p.start, e.now)),
  bsdstart: () => col('START', 6, true, (p, e) => startShort(p.start, e.now)),
  start: () => col('STARTED', 8, true, (p, e) => startMedium(p.start, e.now)),
  lstart: () => col('STARTED', 24, true, (p) => ctime(p.start)),
  '%cpu': () => col('%CPU', 4, true, () => pct(0)),
  pcpu: () => col('%CPU', 4, true, () => pct(0)),
  '%mem': () => col('%MEM', 4, true, (p) => pct((p.rss * 1000) / MEM_TOTAL_KB)),
  pmem: () => col('%MEM', 4, true, (p) => pct((p.rss * 1000) / MEM_TOTAL_KB)),
  c: () => col('C', 2, true, () => '0'),
  netns: () => col('NETNS', 10, true, (p) => String(p.netns.inode)),
};

/** Named formats: the default, -f, BSD u (its START and TIME are the BSD forms). */
const DEFAULT_FMT = ['pid', 'tname', 'time', 'ucmd'];
const FULL_FMT = ['uid_hack', 'pid', 'ppid', 'c', 'stime', 'tname', 'time', 'cmd'];
const USER_FMT = ['user', 'pid', '%cpu', '%mem', 'vsz', 'rss', 'tname', 'stat', 'bsdstart_u', 'bsdtime', 'command'];

function specColumn(name: string): Column | undefined {
  if (name === 'uid_hack') return col('UID', 8, false, (p, e) => e.user(p.uid));
  // aux's START is five wide and left-aligned like STIME.
  if (name === 'bsdstart_u') return col('START', 5, false, (p, e) => startShort(p.start, e.now));
  return SPECS[name]?.();
}

const USAGE_TAIL = `
Usage:
 ps [options]

 Try 'ps --help <simple|list|output|threads|misc|all>'
  or 'ps --help <s|l|o|t|m|a>'
 for additional help text.

For more details see ps(1).
`;

class PsError extends Error {}

interface Request {
  all: boolean;
  bsdA: boolean;
  bsdX: boolean;
  pids?: number[];
  names?: string[];
  format?: Column[];
  full: boolean;
  bsdUser: boolean;
  headers: boolean;
}

/** `-o` lists: comma or space separated, each `name` or `name=HEADER` (an empty header hides it). */
function parseFormat(text: string): Column[] {
  return text
    .split(/[ ,]+/)
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf('=');
      const raw = eq < 0 ? item : item.slice(0, eq);
      const name = raw.toLowerCase();
      const c = name === 'uid_hack' || name === 'bsdstart_u' ? undefined : specColumn(name);
      if (!c) throw new PsError(`unknown user-defined format specifier "${raw}"`);
      if (eq >= 0) {
        c.header = item.slice(eq + 1);
        c.width = Math.max(c.width, c.header.length);
      }
      return c;
    });
}

function parsePids(text: string): number[] {
  const items = text.split(/[ ,]+/).filter(Boolean);
  if (!items.length || !items.every((x) => /^\d+$/.test(x) && Number(x) > 0)) throw new PsError('process ID list syntax error');
  return items.map(Number);
}

function parseArgs(argv: string[]): Request {
  const r: Request = { all: false, bsdA: false, bsdX: false, full: false, bsdUser: false, headers: true };
  const addFormat = (t: string): void => {
    r.format = [...(r.format ?? []), ...parseFormat(t)];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      if (i + 1 >= argv.length) throw new PsError('something broke');
      return argv[++i];
    };
    if (a.startsWith('--')) {
      const [name, val] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
      if (name === 'no-headers' || name === 'no-heading') r.headers = false;
      else if (name === 'pid') r.pids = [...(r.pids ?? []), ...parsePids(val ?? next())];
      else if (name === 'format') addFormat(val ?? next());
      else throw new PsError('unknown gnu long option');
      continue;
    }
    if (a.startsWith('-')) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const rest = a.slice(j + 1);
        if (c === 'e' || c === 'A') r.all = true;
        else if (c === 'f') r.full = true;
        else if (c === 'p' || c === 'q') {
          r.pids = [...(r.pids ?? []), ...parsePids(rest || next())];
          break;
        } else if (c === 'C') {
          r.names = [...(r.names ?? []), ...(rest || next()).split(',')];
          break;
        } else if (c === 'o') {
          addFormat(rest || next());
          break;
        } else throw new PsError('unsupported SysV option');
      }
      continue;
    }
    // BSD options: letters without a dash.
    for (let j = 0; j < a.length; j++) {
      const c = a[j];
      const rest = a.slice(j + 1);
      if (c === 'a') r.bsdA = true;
      else if (c === 'x') r.bsdX = true;
      else if (c === 'u') r.bsdUser = true;
      else if (c === 'h') r.headers = false;
      else if (c === 'w') continue;
      else if (c === 'o') {
        addFormat(rest || next());
        break;
      } else if (c === 'p') {
        r.pids = [...(r.pids ?? []), ...parsePids(rest || next())];
        break;
      } else throw new PsError('unsupported option (BSD syntax)');
    }
  }
  return r;
}

function select(r: Request, procs: Process[]): Process[] {
  const filtered = r.pids !== undefined || r.names !== undefined;
  return procs.filter((p) => {
    if (r.pids?.includes(p.pid)) return true;
    if (r.names?.includes(comm(p))) return true;
    if (filtered && !r.all && !(r.bsdA && r.bsdX)) return false;
    if (r.all || (r.bsdA && r.bsdX)) return true;
    if (r.bsdA) return p.tty !== '?';
    // Without a selection ps lists the caller's own processes on its terminal; ours run without one.
    return p.uid === 0 && (r.bsdX || p.tty === '?');
  });
}

/** Lays the columns out as procps does: padded to width, separated by a space, a left-aligned last column unpadded. */
function render(cols: Column[], rows: Process[], env: Env, headers: boolean): string {
  const line = (cells: string[]): string =>
    cells.map((v, k) => (cols[k].right ? v.padStart(cols[k].width) : k === cols.length - 1 ? v : v.padEnd(cols[k].width))).join(' ') + '\n';
  let out = '';
  if (headers && cols.some((c) => c.header !== '')) out += line(cols.map((c) => c.header));
  for (const p of rows) out += line(cols.map((c) => c.value(p, env)));
  return out;
}

function run(ctx: CommandContext): number {
  let r: Request;
  try {
    r = parseArgs(ctx.argv.slice(1));
  } catch (e) {
    if (!(e instanceof PsError)) throw e;
    ctx.stderr(`error: ${e.message}\n${USAGE_TAIL}`);
    return 1;
  }
  const machine = ctx.sys.machine();
  const env: Env = { now: ctx.sys.now(), bootTime: machine.kernel.bootTime, user: (uid) => userName(ctx.fs, uid) };
  const cols = r.format ?? (r.bsdUser ? USER_FMT : r.full ? FULL_FMT : DEFAULT_FMT).map((n) => specColumn(n)!);
  const rows = select(r, [...machine.procs.values()].sort((a, b) => a.pid - b.pid));
  ctx.stdout(render(cols, rows, env, r.headers));
  return rows.length ? 0 : 1;
}

export const ps: Command = (ctx) => run(ctx);
