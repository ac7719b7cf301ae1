/** uniq: collapse adjacent repeated lines (-c counts, -d/-u select, -i, -f/-s/-w compare parts). */
import type { Command } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { getopt, has, last, UsageError } from './getopt.ts';
import { readInput, splitLines } from './io.ts';

export const uniq: Command = (ctx) => {
  let p;
  try {
    const args = ctx.argv.slice(1).map((a) => (/^-\d+$/.test(a) ? `-f${a.slice(1)}` : /^\+\d+$/.test(a) ? `-s${a.slice(1)}` : a));
    p = getopt(args, [
      { key: 'c', short: 'c', long: 'count' },
      { key: 'd', short: 'd', long: 'repeated' },
      { key: 'u', short: 'u', long: 'unique' },
      { key: 'i', short: 'i', long: 'ignore-case' },
      { key: 'f', short: 'f', long: 'skip-fields', arg: true },
      { key: 's', short: 's', long: 'skip-chars', arg: true },
      { key: 'w', short: 'w', long: 'check-chars', arg: true },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`uniq: ${e.message}\nTry 'uniq --help' for more information.\n`);
    return 1;
  }
  if (p.operands.length > 2) {
    ctx.stderr(`uniq: extra operand '${p.operands[2]}'\nTry 'uniq --help' for more information.\n`);
    return 1;
  }
  const inp = readInput(ctx, p.operands[0] ?? '-');
  if (inp.error !== undefined) {
    ctx.stderr(`uniq: ${inp.error}\n`);
    return 1;
  }
  const skipFields = Number(last(p, 'f') ?? 0);
  const skipChars = Number(last(p, 's') ?? 0);
  const check = last(p, 'w') === undefined ? Infinity : Number(last(p, 'w'));
  const icase = has(p, 'i');
  const key = (line: string) => {
    let s = line;
    for (let k = 0; k < skipFields; k++) s = s.replace(/^[ \t]*[^ \t]*/, '');
    s = s.slice(skipChars);
    if (check !== Infinity) s = s.slice(0, check);
    return icase ? s.toLowerCase() : s;
  };
  const onlyDup = has(p, 'd');
  const onlyUniq = has(p, 'u');
  const count = has(p, 'c');
  let out = '';
  const lines = splitLines(inp.data).lines;
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    const k = key(lines[i]);
    while (j < lines.length && key(lines[j]) === k) j++;
    const n = j - i;
    if ((!onlyDup || n > 1) && (!onlyUniq || n === 1)) out += (count ? String(n).padStart(7) + ' ' : '') + lines[i] + '\n';
    i = j;
  }
  if (p.operands[1] !== undefined && p.operands[1] !== '-') ctx.fs.write(resolvePath(ctx.cwd, p.operands[1]), out);
  else ctx.stdout(out);
  return 0;
};
