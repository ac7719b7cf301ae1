/** cat: concatenate files (or stdin) with GNU's -n, -b, -s, -E, -A numbering/marking options. */
import type { Command } from '../command.ts';
import { getopt, has, UsageError } from './getopt.ts';
import { readInput } from './io.ts';

export const cat: Command = (ctx) => {
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      { key: 'n', short: 'n', long: 'number' },
      { key: 'b', short: 'b', long: 'number-nonblank' },
      { key: 's', short: 's', long: 'squeeze-blank' },
      { key: 'E', short: 'E', long: 'show-ends' },
      { key: 'T', short: 'T', long: 'show-tabs' },
      { key: 'A', short: 'A', long: 'show-all' },
      { key: 'u', short: 'u' },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`cat: ${e.message}\nTry 'cat --help' for more information.\n`);
    return 1;
  }
  const nonblank = has(p, 'b');
  const number = nonblank || has(p, 'n');
  const ends = has(p, 'E') || has(p, 'A');
  const tabs = has(p, 'T') || has(p, 'A');
  const squeeze = has(p, 's');
  const plain = !number && !ends && !tabs && !squeeze;
  let status = 0;
  let lineNo = 0;
  let prevBlank = false;
  for (const f of p.operands.length ? p.operands : ['-']) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) {
      ctx.stderr(`cat: ${inp.error}\n`);
      status = 1;
      continue;
    }
    if (plain) {
      ctx.stdout(inp.data);
      continue;
    }
    // Line by line; the final piece after the last newline (if any) is a line without newline.
    const pieces = inp.data.split('\n');
    let out = '';
    for (let k = 0; k < pieces.length; k++) {
      const last = k === pieces.length - 1;
      if (last && pieces[k] === '') break;
      let line = pieces[k];
      const blank = line === '';
      if (squeeze && blank && prevBlank) continue;
      prevBlank = blank;
      if (tabs) line = line.replace(/\t/g, '^I');
      if (number && !(nonblank && blank)) out += String(++lineNo).padStart(6) + '\t';
      out += line + (last ? '' : ends ? '$\n' : '\n');
    }
    ctx.stdout(out);
  }
  return status;
};
