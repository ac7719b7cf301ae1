/**
 * util-linux's `nsenter` (2.38): runs a program in the namespaces of a process (`-t PID -n`) or
 * of a namespace file (`--net=/run/netns/NAME`, `/proc/PID/ns/net`). The model has one kind of
 * namespace, the network one: asking for the others (mount, UTS, IPC, PID, ...) is accepted and
 * checked the same way but leaves the program where it was.
 */
import type { Command, CommandContext } from '../command.ts';
import type { NetNs } from '../../kernel/netns.ts';

/** The namespace files in the order nsenter opens them. */
const NS_KINDS = [
  { name: 'user', short: 'U', long: 'user' },
  { name: 'cgroup', short: 'C', long: 'cgroup' },
  { name: 'ipc', short: 'i', long: 'ipc' },
  { name: 'uts', short: 'u', long: 'uts' },
  { name: 'net', short: 'n', long: 'net' },
  { name: 'pid', short: 'p', long: 'pid' },
  { name: 'mnt', short: 'm', long: 'mount' },
  { name: 'time', short: 'T', long: 'time' },
];

const HELP = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all              enter all namespaces
 -t, --target <pid>     target process to get namespaces from
 -m, --mount[=<file>]   enter mount namespace
 -u, --uts[=<file>]     enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]     enter System V IPC namespace
 -n, --net[=<file>]     enter network namespace
 -p, --pid[=<file>]     enter pid namespace
 -C, --cgroup[=<file>]  enter cgroup namespace
 -U, --user[=<file>]    enter user namespace
 -T, --time[=<file>]    enter time namespace
 -S, --setuid <uid>     set uid in entered namespace
 -G, --setgid <gid>     set gid in entered namespace
     --preserve-credentials do not touch uids or gids
 -r, --root[=<dir>]     set the root directory
 -w, --wd[=<dir>]       set the working directory
 -W. --wdns <dir>       set the working directory in namespace
 -F, --no-fork          do not fork before exec'ing <program>
 -Z, --follow-context   set SELinux context according to --target PID

 -h, --help             display this help
 -V, --version          display version

For more details see nsenter(1).
`;

/** -h and -V: their text goes to stdout and nsenter exits 0. */
class Info extends Error {}

class Fail extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

interface Request {
  target?: number;
  /** Namespaces asked for, by name, with the file given for each (or undefined: the target's). */
  ns: Map<string, string | undefined>;
  all: boolean;
  program: string[];
}

const LONG_WITH_ARG = new Set(['target', 'setuid', 'setgid', 'wdns']);
const LONG_OPTIONAL = new Set(['root', 'wd']);
const LONG_FLAGS = new Set(['all', 'no-fork', 'preserve-credentials', 'follow-context', 'help', 'version']);

function parse(argv: string[]): Request {
  const r: Request = { ns: new Map(), all: false, program: [] };
  const bad = (msg: string): never => {
    throw new Fail(`nsenter: ${msg}\nTry 'nsenter --help' for more information.`);
  };
  const setTarget = (v: string): void => {
    if (!/^\d+$/.test(v)) throw new Fail(`nsenter: failed to parse pid: '${v}'`);
    r.target = Number(v);
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const val = eq < 0 ? undefined : a.slice(eq + 1);
      const kind = NS_KINDS.find((k) => k.long === name);
      if (kind) r.ns.set(kind.name, val);
      else if (name === 'target') setTarget(val ?? argv[++i] ?? bad(`option '--target' requires an argument`));
      else if (name === 'all') r.all = true;
      else if (name === 'help') throw new Info(HELP);
      else if (name === 'version') throw new Info('nsenter from util-linux 2.38.1\n');
      else if (LONG_WITH_ARG.has(name)) {
        if (val === undefined && ++i >= argv.length) bad(`option '--${name}' requires an argument`);
      } else if (!LONG_OPTIONAL.has(name) && !LONG_FLAGS.has(name)) bad(`unrecognized option '${a}'`);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const rest = a.slice(j + 1);
      const kind = NS_KINDS.find((k) => k.short === c);
      if (kind) {
        // Optional arguments attach only in the `-nFILE` form.
        r.ns.set(kind.name, rest || undefined);
        break;
      }
      if (c === 't') {
        setTarget(rest || (argv[++i] ?? bad(`option requires an argument -- 't'`)));
        break;
      }
      if (c === 'S' || c === 'G' || c === 'W') {
        if (!rest && ++i >= argv.length) bad(`option requires an argument -- '${c}'`);
        break;
      }
      if (c === 'r' || c === 'w') break;
      if (c === 'h') throw new Info(HELP);
      if (c === 'V') throw new Info('nsenter from util-linux 2.38.1\n');
      if (c === 'a') r.all = true;
      else if (c === 'F' || c === 'Z') continue;
      else bad(`invalid option -- '${c}'`);
    }
  }
  r.program = argv.slice(i);
  return r;
}

/** The network namespace a namespace file stands for, or the error opening it gives. */
function openNsFile(ctx: CommandContext, path: string): NetNs {
  const machine = ctx.sys.machine();
  const m = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(path);
  if (m) {
    const ns = machine.mounts.get(m[1]);
    if (ns) return ns;
  }
  const p = /^\/proc\/(\d+|self)\/ns\/net$/.exec(path);
  if (p) {
    if (p[1] === 'self') return ctx.sys.netns();
    const proc = machine.procs.get(Number(p[1]));
    if (proc) return proc.netns;
  }
  if (ctx.fs.exists(path)) throw new Fail(`nsenter: reassociate to namespace 'ns/net' failed: Invalid argument`);
  throw new Fail(`nsenter: cannot open ${path}: No such file or directory`);
}

async function run(ctx: CommandContext): Promise<number> {
  const r = parse(ctx.argv.slice(1));
  // -t with nothing else enters every namespace of the target, as -a does.
  const wanted = r.all || (r.target !== undefined && r.ns.size === 0) ? new Map(NS_KINDS.map((k) => [k.name, r.ns.get(k.name)])) : r.ns;
  let netns: NetNs | undefined;
  const machine = ctx.sys.machine();
  for (const kind of NS_KINDS) {
    if (!wanted.has(kind.name)) continue;
    const file = wanted.get(kind.name);
    let path = file;
    if (path === undefined) {
      if (r.target === undefined) throw new Fail(`nsenter: neither filename nor target pid supplied for ns/${kind.name}`);
      path = `/proc/${r.target}/ns/${kind.name}`;
    }
    if (kind.name !== 'net') {
      // The model has no such namespace to switch to; it only checks the file exists.
      const p = /^\/proc\/(\d+)\/ns\//.exec(path);
      if (p && !machine.procs.has(Number(p[1]))) throw new Fail(`nsenter: cannot open ${path}: No such file or directory`);
      continue;
    }
    netns = openNsFile(ctx, path);
  }
  const program = r.program.length ? r.program : [ctx.env.SHELL || '/bin/sh'];
  if (!ctx.exec || !ctx.exists?.(program[0])) throw new Fail(`nsenter: failed to execute ${program[0]}: No such file or directory`, 127);
  return ctx.exec(program, netns ? { sys: ctx.sys.inNetns(netns) } : {});
}

export const nsenter: Command = async (ctx) => {
  try {
    return await run(ctx);
  } catch (e) {
    if (e instanceof Info) {
      ctx.stdout(e.message);
      return 0;
    }
    if (!(e instanceof Fail)) throw e;
    ctx.stderr(`${e.message}\n`);
    return e.status;
  }
};
