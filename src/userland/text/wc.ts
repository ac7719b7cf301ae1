/** wc: count lines, words, characters and bytes, aligned in columns as GNU coreutils does. */
import type { Command } from '../command.ts';
import { getopt, has, UsageError } from './getopt.ts';
import { readInput } from './io.ts';

interface Counts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  maxLine: number;
}

function countText(s: string): Counts {
  let lines = 0;
  let words = 0;
  let inWord = false;
  let maxLine = 0;
  let col = 0;
  for (const ch of s) {
    if (ch === '\n') {
      lines++;
      maxLine = Math.max(maxLine, col);
      col = 0;
    } else if (ch === '\t') col += 8 - (col % 8);
    else col++;
    // C-locale word boundaries: words are runs of non-whitespace.
    const space = ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v';
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  maxLine = Math.max(maxLine, col);
  return { lines, words, chars: [...s].length, bytes: Buffer.byteLength(s), maxLine };
}

export const wc: Command = (ctx) => {
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      { key: 'l', short: 'l', long: 'lines' },
      { key: 'w', short: 'w', long: 'words' },
      { key: 'c', short: 'c', long: 'bytes' },
      { key: 'm', short: 'm', long: 'chars' },
      { key: 'L', short: 'L', long: 'max-line-length' },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`wc: ${e.message}\nTry 'wc --help' for more information.\n`);
    return 1;
  }
  let show = { lines: has(p, 'l'), words: has(p, 'w'), chars: has(p, 'm'), bytes: has(p, 'c'), maxLine: has(p, 'L') };
  if (!Object.values(show).some(Boolean)) show = { lines: true, words: true, chars: false, bytes: true, maxLine: false };
  const keys = (['lines', 'words', 'chars', 'bytes', 'maxLine'] as const).filter((k) => show[k]);
  const files = p.operands.length ? p.operands : ['-'];
  const inputs = files.map((f) => ({ f, inp: readInput(ctx, f) }));

  // GNU's width: digits of the total size of the regular files, at least 7 if any input is not a
  // regular file (stdin), and 1 when a single count of a single input is printed.
  let width = 1;
  if (!(files.length === 1 && keys.length === 1) && inputs[0].inp.error === undefined) {
    let total = 0;
    let min = 1;
    for (const { f, inp } of inputs) {
      if (inp.error !== undefined) continue;
      if (f === '-') min = 7;
      else total += Buffer.byteLength(inp.data);
    }
    width = Math.max(String(total).length, min);
  }
  const line = (c: Counts, name: string | undefined) => keys.map((k) => String(c[k]).padStart(width)).join(' ') + (name === undefined ? '' : ' ' + name) + '\n';

  let status = 0;
  const total: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
  let out = '';
  for (const { f, inp } of inputs) {
    if (inp.error !== undefined) {
      ctx.stdout(out);
      out = '';
      ctx.stderr(`wc: ${inp.error}\n`);
      status = 1;
      continue;
    }
    const c = countText(inp.data);
    for (const k of keys) total[k] = k === 'maxLine' ? Math.max(total[k], c[k]) : total[k] + c[k];
    out += line(c, f === '-' && !p.operands.length ? undefined : f);
  }
  if (files.length > 1) out += line(total, 'total');
  ctx.stdout(out);
  return status;
};
