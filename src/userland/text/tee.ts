/** tee: copy stdin to stdout and to each file (-a appends). */
import type { Command } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { getopt, has, UsageError } from './getopt.ts';

export const tee: Command = (ctx) => {
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      { key: 'a', short: 'a', long: 'append' },
      { key: 'i', short: 'i', long: 'ignore-interrupts' },
      { key: 'p', short: 'p' },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`tee: ${e.message}\nTry 'tee --help' for more information.\n`);
    return 1;
  }
  let status = 0;
  for (const f of p.operands) {
    const path = resolvePath(ctx.cwd, f);
    if (path === '/dev/null') continue;
    if (path === '/dev/stdout') {
      ctx.stdout(ctx.stdin);
      continue;
    }
    if (path === '/dev/stderr') {
      ctx.stderr(ctx.stdin);
      continue;
    }
    if (ctx.fs.isDir(path)) {
      ctx.stderr(`tee: ${f}: Is a directory\n`);
      status = 1;
      continue;
    }
    if (has(p, 'a')) ctx.fs.append(path, ctx.stdin);
    else ctx.fs.write(path, ctx.stdin);
  }
  ctx.stdout(ctx.stdin);
  return status;
};
