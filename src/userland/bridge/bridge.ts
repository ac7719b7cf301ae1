/**
 * iproute2's `bridge` (6.1): global options, then the object (`link`, `fdb`, `mdb`, `vlan`),
 * each with the wording and exit statuses of the real tool.
 */
import type { Command, CommandContext } from '../command.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { Args, Exit, matches, type BridgeOpts, type Out } from './common.ts';
import { doFdb } from './fdb.ts';
import { doLink } from './link.ts';
import { doMdb, doVlan } from './mdb.ts';

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

function run(ctx: CommandContext, io: Out): number {
  const argv = ctx.argv.slice(1);
  const opts: BridgeOpts = { stats: false, details: false, json: false, pretty: false };
  let ns: NetNs = ctx.sys.netns();
  while (argv.length) {
    let opt = argv[0];
    if (opt === '--') {
      argv.shift();
      break;
    }
    if (!opt.startsWith('-')) break;
    if (opt[1] === '-') opt = opt.slice(1);
    if (matches(opt, '-help')) {
      io.err(USAGE);
      return 255;
    } else if (matches(opt, '-Version')) {
      io.out('bridge utility, 6.1.0\n');
      return 0;
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats = true;
    else if (matches(opt, '-details')) opts.details = true;
    else if (matches(opt, '-oneline') || matches(opt, '-timestamp') || matches(opt, '-force') || matches(opt, '-compressvlans')) {
      // One-line output, timestamps and the rest change nothing the model prints.
    }
    else if (matches(opt, '-netns')) {
      argv.shift();
      const name = argv[0];
      if (name === undefined) {
        io.err('Command line is not complete. Try option "help"\n');
        return 255;
      }
      const target = ctx.sys.machine().mounts.get(name);
      if (!target) {
        io.err(`Cannot open network namespace "${name}": No such file or directory\n`);
        return 255;
      }
      ns = target;
    } else if (matches(opt, '-json')) opts.json = true;
    else if (matches(opt, '-pretty')) opts.pretty = true;
    else if (opt === '-color' || opt.startsWith('-color=')) {
      // No colours: output is never a terminal here.
    }
    else {
      io.err(`Option "${opt}" is unknown, try "bridge help".\n`);
      return 255;
    }
    argv.shift();
  }
  if (!argv.length) {
    io.err(USAGE);
    return 255;
  }
  const obj = argv[0];
  const args = new Args(argv.slice(1), io);
  const now = ctx.sys.now();
  if (matches(obj, 'link')) return doLink(ns, opts, args, io);
  if (matches(obj, 'fdb')) return doFdb(ns, opts, args, io, now);
  if (matches(obj, 'mdb')) return doMdb(ns, opts, args, io);
  if (matches(obj, 'vlan')) return doVlan(ns, opts, args, io);
  if (matches(obj, 'help')) {
    io.err(USAGE);
    return 255;
  }
  io.err(`Object "${obj}" is unknown, try "bridge help".\n`);
  return 255;
}

export const bridge: Command = (ctx) => {
  const io: Out = { out: ctx.stdout, err: ctx.stderr };
  try {
    return run(ctx, io);
  } catch (e) {
    if (e instanceof Exit) return e.status;
    throw e;
  }
};
