/**
 * `ipvsadm` (1.31): administers the namespace's IPVS table — virtual services (-A/-E/-D/-C),
 * real servers (-a/-e/-d), listings (-L/-l with -n, -c, --stats, --rate, --thresholds,
 * --persistent-conn, --timeout, --daemon), counters (-Z), timeouts (--set), and the rule form
 * (-S) that -R reads back. Kernel refusals print libipvs's ipvs_strerror text and exit 255.
 */
import { KernelError, type Errno } from '../../kernel/errno.ts';
import { ipvsOf, type ServiceKey } from '../../kernel/ipvs/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { hostNames } from '../names.ts';
import { IpvsadmExit, parseArgs, type Cmd, type Parsed } from './args.ts';
import { connList, serviceEntry, sortServices, timeoutLine, title, VERSION_LINE, type Fmt } from './format.ts';
import { usage, VERSION } from './help.ts';

/** ipvs_strerror's table: per request, then for any request; else strerror. */
const ERRORS: Partial<Record<Cmd, Partial<Record<Errno, string>>>> = {
  'add-service': { EEXIST: 'Service already exists', ENOENT: 'Scheduler or persistence engine not found' },
  'edit-service': { ESRCH: 'No such service', ENOENT: 'Scheduler or persistence engine not found' },
  'delete-service': { ESRCH: 'No such service' },
  zero: { ESRCH: 'No such service' },
  list: { ESRCH: 'No such service' },
  'add-server': { ESRCH: 'Service not defined', EEXIST: 'Destination already exists' },
  'edit-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  'delete-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  'stop-daemon': { ESRCH: 'No daemon is running' },
};

function errText(cmd: Cmd, e: KernelError): string {
  return ERRORS[cmd]?.[e.errno as Errno] ?? (e.errno === 'EINVAL' ? 'Invalid operation.  Possibly wrong module version, address not unicast, ...' : e.message);
}

/** Runs one command line; returns the exit status (process_options' result). */
function run(ctx: CommandContext, argv: string[], fromRestore: boolean): number {
  const ns = ctx.sys.netns();
  const names = hostNames(ctx.sys.files?.() ?? ctx.fs);
  const parsed = parseArgs(argv, names);
  if (parsed === 'help') {
    ctx.stdout(usage(argv[0]));
    return 0;
  }
  if (parsed === 'version') {
    ctx.stdout(VERSION);
    return 0;
  }
  const p: Parsed = parsed;
  const st = ipvsOf(ns);
  const now = ctx.sys.now();
  const fmt: Fmt = {
    numeric: p.opts.has('numeric'), stats: p.opts.has('stats'), rate: p.opts.has('rate'), thresholds: p.opts.has('thresholds'),
    persistentConn: p.opts.has('persistent-conn'), exact: p.opts.has('exact'), nosort: p.opts.has('nosort'), names, now,
  };
  const key: ServiceKey = { ...p.svc };
  const spec = { ...key, sched: p.sched ?? 'wlc', persistent: p.persistent, netmask: p.netmask, onePacket: p.onePacket };
  try {
    switch (p.cmd) {
      case 'list':
        if (p.opts.has('connection')) ctx.stdout(connList(st.conns.list(), fmt));
        else if (p.opts.has('service-address')) {
          const svc = st.config.find(key);
          if (!svc) {
            ctx.stderr(`${errText('list', new KernelError('ESRCH'))}\n`);
            return 1;
          }
          st.conns.list();
          ctx.stdout(title(fmt) + serviceEntry(svc, fmt));
        } else if (p.opts.has('timeout')) ctx.stdout(timeoutLine(st.conns.timeouts));
        else if (!p.opts.has('daemon')) listAll(ctx, fmt);
        return 0;
      case 'save':
        listAll(ctx, { ...fmt, rule: true });
        return 0;
      case 'restore':
        if (fromRestore) {
          ctx.stderr(`Try \`${argv[0]} -h' or '${argv[0]} --help' for more information.\n`);
          return 255;
        }
        return restore(ctx, argv[0]);
      case 'flush':
        st.config.flush();
        st.conns.dropWhere(() => true);
        return 0;
      case 'add-service': st.config.addService(spec); return 0;
      case 'edit-service': st.config.editService(spec); return 0;
      case 'delete-service': {
        const svc = st.config.delService(key);
        st.conns.dropWhere((c) => c.svc === svc && c.template);
        return 0;
      }
      case 'zero': st.config.zero(p.opts.has('service-address') ? key : undefined); return 0;
      case 'add-server': st.config.addDest(key, p.dest); return 0;
      case 'edit-server': st.config.editDest(key, p.dest); return 0;
      case 'delete-server': st.config.delDest(key, p.dest.addr, p.dest.port); return 0;
      case 'set': {
        const [tcp, tcpfin, udp] = p.timeouts!;
        // Zero keeps the current value.
        if (tcp) st.conns.timeouts.tcp = tcp;
        if (tcpfin) st.conns.timeouts.tcpfin = tcpfin;
        if (udp) st.conns.timeouts.udp = udp;
        return 0;
      }
      case 'start-daemon': case 'stop-daemon':
        throw new KernelError(p.cmd === 'stop-daemon' ? 'ESRCH' : 'EOPNOTSUPP');
    }
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    ctx.stderr(`${errText(p.cmd, e)}\n`);
    return 255;
  }
}

function listAll(ctx: CommandContext, fmt: Fmt): void {
  const st = ipvsOf(ctx.sys.netns());
  st.conns.list();
  const svcs = fmt.nosort ? [...st.config.services] : sortServices(st.config.services);
  ctx.stdout((fmt.rule ? '' : VERSION_LINE) + title(fmt) + svcs.map((s) => serviceEntry(s, fmt)).join(''));
}

/** restore_table: each stdin line is a command line of its own; the last status is returned. */
function restore(ctx: CommandContext, prog: string): number {
  let status = 0;
  for (const line of ctx.stdin.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0 || words[0].startsWith('#')) continue;
    status = run(ctx, [prog, ...words], true);
  }
  return status;
}

export const ipvsadm: Command = (ctx) => {
  try {
    return run(ctx, ctx.argv, false);
  } catch (e) {
    if (!(e instanceof IpvsadmExit)) throw e;
    // fail() prints the message and a newline; tryhelp and popt errors come with their own.
    ctx.stderr(e.status === 2 ? `${e.text}\n` : e.text);
    return e.status;
  }
};
