/**
 * `ip netns` (ipnetns.c): the namespaces mounted under /run/netns (the machine's mounts, kept
 * in step with the files there), their ids as the current namespace numbers them, and running a
 * program in one (`exec`, through the shell's exec with that namespace's System).
 */
import { KernelError } from '../../kernel/errno.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { getInteger, invarg, IpExit, matches, sinkRestorer, stderr } from './args.ts';
import type { IpCtx } from './context.ts';
import { kernelErrorText } from './context.ts';
import { mountedNetns } from './nsnames.ts';

const RUN_DIR = '/run/netns';

/** Makes /run/netns/NAME exist exactly for the machine's mounts. */
export function syncRunNetns(ctx: IpCtx): void {
  const fs = ctx.cmd.fs;
  const mounts = ctx.sys.machine().mounts;
  for (const name of mounts.keys()) if (!fs.exists(`${RUN_DIR}/${name}`)) fs.write(`${RUN_DIR}/${name}`, '');
  if (fs.isDir(RUN_DIR)) for (const name of fs.list(RUN_DIR)) if (!mounts.has(name)) fs.remove(`${RUN_DIR}/${name}`);
}

function usage(): never {
  stderr(
    'Usage:\tip netns list\n' +
      '\tip netns add NAME\n' +
      '\tip netns attach NAME PID\n' +
      '\tip netns set NAME NETNSID\n' +
      '\tip [-all] netns delete [NAME]\n' +
      '\tip netns identify [PID]\n' +
      '\tip netns pids NAME\n' +
      '\tip [-all] netns exec [NAME] cmd ...\n' +
      '\tip netns monitor\n' +
      '\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n' +
      'NETNSID := auto | POSITIVE-INT\n',
  );
  throw new IpExit(255);
}

/** invalid_name */
function invalidName(name: string): boolean {
  return !name || name.length > 255 || name.includes('/') || name === '.' || name === '..';
}

function list(ctx: IpCtx): number {
  const out = ctx.out;
  out.begin();
  for (const [name, ns] of mountedNetns(ctx)) {
    out.openObject();
    out.any('name', name, name);
    const id = ctx.ns.nsids.get(ns);
    if (id !== undefined) out.any('id', ` (id: ${id})`, id);
    out.fp('\n');
    out.closeObject();
  }
  out.end();
  return 0;
}

function listId(ctx: IpCtx): number {
  const names = new Map<number, string>();
  for (const [name, ns] of mountedNetns(ctx)) {
    const id = ctx.ns.nsids.get(ns);
    if (id !== undefined && !names.has(id)) names.set(id, name);
  }
  const out = ctx.out;
  out.begin();
  for (const id of [...ctx.ns.nsids.values()].sort((x, y) => x - y)) {
    out.openObject();
    out.any('nsid', `nsid ${id} `, id);
    const name = names.get(id);
    if (name !== undefined) out.any('name', `(iproute2 netns name: ${name})`, name);
    out.fp('\n');
    out.closeObject();
  }
  out.end();
  return 0;
}

function add(ctx: IpCtx, args: string[]): number {
  if (args.length < 1) {
    stderr('No netns name specified\n');
    return -1;
  }
  const name = args[0];
  const m = ctx.sys.machine();
  if (m.mounts.has(name) || ctx.cmd.fs.exists(`${RUN_DIR}/${name}`)) {
    stderr(`Cannot create namespace file "${RUN_DIR}/${name}": File exists\n`);
    return -1;
  }
  m.addNetns(name);
  ctx.cmd.fs.write(`${RUN_DIR}/${name}`, '');
  return 0;
}

function attach(ctx: IpCtx, args: string[]): number {
  if (args.length < 2) {
    stderr('No netns name and PID specified\n');
    return -1;
  }
  const [name, pidText] = args;
  const pid = getInteger(pidText);
  if (pid === undefined || pid === 0) {
    stderr(`Invalid PID: ${pidText}\n`);
    return -1;
  }
  const m = ctx.sys.machine();
  if (m.mounts.has(name)) {
    stderr(`Cannot create namespace file "${RUN_DIR}/${name}": File exists\n`);
    return -1;
  }
  const p = m.procs.get(pid);
  if (!p) {
    stderr(`Bind /proc/${pid}/ns/net -> ${RUN_DIR}/${name} failed: No such file or directory\n`);
    return -1;
  }
  m.mountNetns(name, p.netns);
  ctx.cmd.fs.write(`${RUN_DIR}/${name}`, '');
  return 0;
}

function del(ctx: IpCtx, name: string): number {
  const m = ctx.sys.machine();
  if (!m.mounts.has(name)) {
    stderr(`Cannot remove namespace file "${RUN_DIR}/${name}": No such file or directory\n`);
    return -1;
  }
  m.delNetns(name);
  ctx.cmd.fs.remove(`${RUN_DIR}/${name}`);
  return 0;
}

function set(ctx: IpCtx, args: string[]): number {
  if (args.length < 1) {
    stderr('No netns name specified\n');
    return -1;
  }
  if (args.length < 2) {
    stderr('No nsid specified\n');
    return -1;
  }
  const [name, idText] = args;
  let id = -1;
  if (idText !== 'auto') {
    const v = getInteger(idText);
    if (v === undefined) invarg('Invalid "netnsid" value', idText);
    if (v < 0) invarg('"netnsid" value should be >= 0', idText);
    id = v;
  }
  const target = ctx.sys.machine().mounts.get(name);
  if (!target) {
    stderr(`Cannot open network namespace "${name}": No such file or directory\n`);
    return -1;
  }
  try {
    ctx.ns.setNsid(target, id);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    stderr(kernelErrorText(e));
    return -2;
  }
  return 0;
}

function pids(ctx: IpCtx, args: string[]): number {
  if (args.length < 1) {
    stderr('No netns name specified\n');
    return -1;
  }
  if (args.length > 1) {
    stderr('extra arguments specified\n');
    return -1;
  }
  const ns = ctx.sys.machine().mounts.get(args[0]);
  if (!ns) {
    stderr('Cannot open network namespace: No such file or directory\n');
    return -1;
  }
  for (const p of [...ctx.sys.machine().procs.values()].sort((a, b) => a.pid - b.pid)) if (p.netns === ns) ctx.cmd.stdout(`${p.pid}\n`);
  return 0;
}

function identify(ctx: IpCtx, args: string[]): number {
  if (args.length > 1) {
    stderr('extra arguments specified\n');
    return -1;
  }
  let ns: NetNs | undefined = ctx.ns;
  if (args.length) {
    if (!/^\d*$/.test(args[0])) {
      stderr(`Specified string '${args[0]}' is not a pid\n`);
      return -1;
    }
    ns = ctx.sys.machine().procs.get(Number(args[0]))?.netns;
    if (!ns) {
      stderr('Cannot open network namespace: No such file or directory\n');
      return -1;
    }
  }
  // Every matching entry overwrites the name, so the last one in directory order wins.
  let name = '';
  for (const [n, m] of mountedNetns(ctx)) if (m === ns) name = n;
  ctx.cmd.stdout(`${name}\n`);
  return 0;
}

/**
 * `ip netns exec NAME CMD...`: the program runs in that namespace (ip execs it, so its status
 * is ip's). Returns the child's status negated, as do_cmd expects.
 */
async function exec(ctx: IpCtx, args: string[]): Promise<number> {
  if (args.length < 1 && !ctx.opts.doAll) {
    stderr('No netns name specified\n');
    return -1;
  }
  if ((args.length < 2 && !ctx.opts.doAll) || (args.length < 1 && ctx.opts.doAll)) {
    stderr('No command specified\n');
    return -1;
  }
  if (ctx.opts.doAll) {
    for (const [name, ns] of mountedNetns(ctx)) {
      ctx.cmd.stdout(`\nnetns: ${name}\n`);
      const restore = sinkRestorer();
      await run(ctx, ns, args);
      restore();
    }
    return 0;
  }
  const ns = ctx.sys.machine().mounts.get(args[0]);
  if (!ns) {
    stderr(`Cannot open network namespace "${args[0]}": No such file or directory\n`);
    return 1;
  }
  return -(await run(ctx, ns, args.slice(1)));
}

async function run(ctx: IpCtx, ns: NetNs, argv: string[]): Promise<number> {
  const cmd = ctx.cmd;
  if (!cmd.exec || !cmd.exists?.(argv[0])) {
    stderr(`exec of "${argv[0]}" failed: No such file or directory\n`);
    return 1;
  }
  return cmd.exec(argv, { sys: ctx.sys.inNetns(ns) });
}

export async function doNetns(ctx: IpCtx, argv: string[]): Promise<number> {
  syncRunNetns(ctx);
  if (argv.length < 1) return list(ctx);
  if (!ctx.opts.doAll && argv.length > 1 && invalidName(argv[1])) {
    stderr(`Invalid netns name "${argv[1]}"\n`);
    throw new IpExit(255);
  }
  const [c, ...rest] = argv;
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return list(ctx);
  if (matches(c, 'list-id')) return listId(ctx);
  if (matches(c, 'help')) usage();
  if (matches(c, 'add')) return add(ctx, rest);
  if (matches(c, 'set')) return set(ctx, rest);
  if (matches(c, 'delete')) {
    if (ctx.opts.doAll) {
      for (const [name] of mountedNetns(ctx)) del(ctx, name);
      return 0;
    }
    if (rest.length < 1) {
      stderr('No netns name specified\n');
      return -1;
    }
    return del(ctx, rest[0]);
  }
  if (matches(c, 'identify')) return identify(ctx, rest);
  if (matches(c, 'pids')) return pids(ctx, rest);
  if (matches(c, 'exec')) return exec(ctx, rest);
  if (matches(c, 'monitor')) return 0;
  if (matches(c, 'attach')) return attach(ctx, rest);
  stderr(`Command "${c}" is unknown, try "ip netns help".\n`);
  throw new IpExit(255);
}
