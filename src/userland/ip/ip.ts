/**
 * The `ip` command (ip.c): global options, `-n NETNS`, the object dispatch with matches()
 * abbreviations (`ip a`, `ip r`, `ip l s`), `-batch FILE` with `Command failed FILE:N`, and the
 * exit statuses iproute2 ends with.
 */
import type { CommandContext } from '../command.ts';
import { doIpaddr } from './addr.ts';
import { AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC, invarg, IpExit, matches, readFamily, setErrSink, sinkRestorer, stderr } from './args.ts';
import { defaultOptions, IpCtx, type IpOptions } from './context.ts';
import { doIplink } from './link.ts';
import { doIpneigh } from './neigh.ts';
import { doNetns, syncRunNetns } from './netns.ts';
import { doIproute } from './route.ts';

export const VERSION = 'ip utility, iproute2-6.1.0, libbpf 1.1.2';

type Handler = (ctx: IpCtx, argv: string[]) => number | Promise<number>;

/** The objects podlab implements; the others exist in iproute2 and are refused here. */
const OBJECTS: [string, Handler | undefined][] = [
  ['address', doIpaddr],
  ['addrlabel', undefined],
  ['maddress', undefined],
  ['route', doIproute],
  ['rule', undefined],
  ['neighbor', doIpneigh],
  ['neighbour', doIpneigh],
  ['ntable', undefined],
  ['ntbl', undefined],
  ['link', doIplink],
  ['l2tp', undefined],
  ['fou', undefined],
  ['ila', undefined],
  ['macsec', undefined],
  ['tunnel', undefined],
  ['tunl', undefined],
  ['tuntap', undefined],
  ['tap', undefined],
  ['token', undefined],
  ['tcpmetrics', undefined],
  ['tcp_metrics', undefined],
  ['monitor', undefined],
  ['xfrm', undefined],
  ['mroute', undefined],
  ['mrule', undefined],
  ['netns', doNetns],
  ['netconf', undefined],
  ['vrf', undefined],
  ['sr', undefined],
  ['nexthop', undefined],
  ['mptcp', undefined],
  ['ioam', undefined],
  ['help', undefined],
  ['stats', undefined],
];

function usage(): never {
  stderr(
    'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n' +
      '       ip [ -force ] -batch filename\n' +
      'where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |\n' +
      '                   link | macsec | maddress | monitor | mptcp | mroute | mrule |\n' +
      '                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n' +
      '                   ntbl | route | rule | sr | tap | tcpmetrics |\n' +
      '                   token | tunnel | tuntap | vrf | xfrm }\n' +
      '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n' +
      '                    -h[uman-readable] | -iec | -j[son] | -p[retty] |\n' +
      '                    -f[amily] { inet | inet6 | mpls | bridge | link } |\n' +
      '                    -4 | -6 | -M | -B | -0 |\n' +
      '                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n' +
      '                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n' +
      '                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |\n' +
      '                    -c[olor]}\n',
  );
  throw new IpExit(255);
}

/** do_cmd: the object's handler; its return value negated is the exit status. */
async function doCmd(ctx: IpCtx, argv: string[]): Promise<number> {
  const obj = argv[0];
  for (const [name, fn] of OBJECTS) {
    if (!matches(obj, name)) continue;
    if (name === 'help') usage();
    if (!fn) {
      stderr(`ip: "${name}" is not implemented in podlab\n`);
      return 1;
    }
    const restore = sinkRestorer();
    const r = await fn(ctx, argv.slice(1));
    restore();
    return -r;
  }
  stderr(`Object "${obj}" is unknown, try "ip help".\n`);
  return 1;
}

/** matches_color: `-c`, `-color[=always|auto|never]`. */
function isColorOption(opt: string): boolean {
  const eq = opt.indexOf('=');
  const name = eq < 0 ? opt : opt.slice(0, eq);
  const val = eq < 0 ? '' : opt.slice(eq + 1);
  return matches(name, '-color') && ['', 'always', 'auto', 'never'].includes(val);
}

/** getcmdline + makeargs: lines with `#` comments and `\` continuations split into words. */
function batchLines(text: string): { line: number; argv: string[] }[] {
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const out: { line: number; argv: string[] }[] = [];
  let lineNo = 0;
  for (let i = 0; i < raw.length; i++) {
    lineNo++;
    let line = raw[i].replace(/#.*/, '');
    while (line.endsWith('\\') && i + 1 < raw.length) {
      i++;
      lineNo++;
      line = line.slice(0, -1) + raw[i].replace(/#.*/, '');
    }
    out.push({ line: lineNo, argv: makeArgs(line) });
  }
  return out;
}

function makeArgs(line: string): string[] {
  const argv: string[] = [];
  let i = 0;
  const ws = ' \t\r\n';
  while (i < line.length) {
    while (i < line.length && ws.includes(line[i])) i++;
    if (i >= line.length) break;
    if (line[i] === "'" || line[i] === '"') {
      const q = line[i++];
      const end = line.indexOf(q, i);
      if (end < 0) {
        stderr('Unterminated quoted string\n');
        throw new IpExit(1);
      }
      argv.push(line.slice(i, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < line.length && !ws.includes(line[j])) j++;
      argv.push(line.slice(i, j));
      i = j + 1;
    }
  }
  return argv;
}

/** do_batch */
async function batch(ctx: IpCtx, name: string): Promise<number> {
  let text: string | undefined;
  if (name === '-') text = ctx.cmd.stdin;
  else {
    text = ctx.cmd.fs.read(name.startsWith('/') ? name : `${ctx.cmd.cwd.replace(/\/$/, '')}/${name}`);
    if (text === undefined) {
      stderr(`Cannot open file "${name}" for reading: No such file or directory\n`);
      return 1;
    }
  }
  const family = ctx.opts.family;
  ctx.opts.batchMode = true;
  const restore = sinkRestorer();
  let ret = 0;
  for (const { line, argv } of batchLines(text)) {
    if (!argv.length) continue;
    ctx.opts.family = family;
    const r = await doCmd(ctx, argv);
    restore();
    if (r !== 0) {
      stderr(`Command failed ${name}:${line}\n`);
      ret = 1;
      if (!ctx.opts.force) break;
    }
  }
  return ret;
}

/** Parses the global options; returns the rest of argv, or a status to exit with. */
function parseOptions(ctx: CommandContext, opts: IpOptions, argv: string[]): { rest: string[]; batch?: string; netns?: string } | number {
  let i = 0;
  let batchFile: string | undefined;
  let netns: string | undefined;
  const needArg = (): string => {
    if (i + 1 >= argv.length) usage();
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    let opt = argv[i];
    if (opt === '--') {
      i++;
      break;
    }
    if (opt[0] !== '-') break;
    if (opt[1] === '-') opt = opt.slice(1);
    if (matches(opt, '-loops')) opts.loops = parseInt(needArg(), 10) || 0;
    else if (matches(opt, '-family')) {
      const f = needArg();
      if (f === 'help') usage();
      opts.family = readFamily(f);
      if (opts.family === AF_UNSPEC) invarg('invalid protocol family', f);
    } else if (opt === '-4') opts.family = AF_INET;
    else if (opt === '-6') opts.family = AF_INET6;
    else if (opt === '-0') opts.family = AF_PACKET;
    else if (opt === '-M') opts.family = AF_MPLS;
    else if (opt === '-B') opts.family = AF_BRIDGE;
    else if (matches(opt, '-human') || matches(opt, '-human-readable')) {
      // human-readable counters: podlab's are small enough either way
    } else if (matches(opt, '-iec')) {
      // ditto
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++;
    else if (matches(opt, '-details')) opts.details++;
    else if (matches(opt, '-resolve')) opts.resolve++;
    else if (matches(opt, '-oneline')) opts.oneline++;
    else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) {
      // only `ip monitor` prints timestamps
    } else if (matches(opt, '-Version')) {
      ctx.stdout(`${VERSION}\n`);
      return 0;
    } else if (matches(opt, '-force')) opts.force++;
    else if (matches(opt, '-batch')) batchFile = needArg();
    else if (matches(opt, '-brief')) opts.brief++;
    else if (matches(opt, '-json')) opts.json++;
    else if (matches(opt, '-pretty')) opts.pretty++;
    else if (matches(opt, '-rcvbuf')) {
      const v = needArg();
      if (!/^\d+$/.test(v)) {
        stderr(`Invalid rcvbuf size '${v}'\n`);
        throw new IpExit(255);
      }
    } else if (isColorOption(opt)) {
      // colour is accepted and ignored
    } else if (matches(opt, '-help')) usage();
    else if (matches(opt, '-netns')) {
      if (i + 1 >= argv.length) {
        stderr('Command line is not complete. Try option "help"\n');
        throw new IpExit(255);
      }
      netns = argv[++i];
      if (!ctx.sys.machine().mounts.has(netns)) {
        stderr(`Cannot open network namespace "${netns}": No such file or directory\n`);
        throw new IpExit(255);
      }
    } else if (matches(opt, '-Numeric')) opts.numeric++;
    else if (matches(opt, '-all')) opts.doAll = true;
    else if (opt === '-echo') opts.echo++;
    else {
      stderr(`Option "${opt}" is unknown, try "ip -help".\n`);
      throw new IpExit(255);
    }
  }
  return { rest: argv.slice(i), batch: batchFile, netns };
}

export async function ip(cmd: CommandContext): Promise<number> {
  setErrSink((t) => cmd.stderr(t));
  const opts = defaultOptions();
  try {
    const parsed = parseOptions(cmd, opts, cmd.argv.slice(1));
    if (typeof parsed === 'number') return parsed;
    let sys = cmd.sys;
    if (parsed.netns !== undefined) sys = sys.inNetns(sys.machine().mounts.get(parsed.netns)!);
    const ctx = new IpCtx(cmd, sys, opts);
    syncRunNetns(ctx);
    if (parsed.batch !== undefined) return await batch(ctx, parsed.batch);
    if (!parsed.rest.length) usage();
    return (await doCmd(ctx, parsed.rest)) & 255;
  } catch (e) {
    if (e instanceof IpExit) return e.code & 255;
    throw e;
  }
}
