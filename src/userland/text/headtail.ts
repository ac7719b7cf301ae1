/** head and tail: the first or last lines (-n) or bytes (-c) of files, with `==> f <==` headers. */
import type { Command, CommandContext } from '../command.ts';
import { getopt, has, UsageError } from './getopt.ts';
import { readInput } from './io.ts';

/** Splits text into lines that keep their newline (the last may have none). */
function linesWithNl(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function run(ctx: CommandContext, which: 'head' | 'tail'): number {
  const fail = (msg: string) => {
    ctx.stderr(`${which}: ${msg}\nTry '${which} --help' for more information.\n`);
    return 1;
  };
  // Obsolete forms: `head -5`, `tail -5`, `tail +5`.
  const argv = ctx.argv.slice(1);
  const args = argv.map((a, k) => {
    const isValue = k > 0 && /^(-[nc]|--lines|--bytes)$/.test(argv[k - 1]);
    if (/^-\d+$/.test(a) && !isValue) return `-n${a.slice(1)}`;
    if (which === 'tail' && k === 0 && /^\+\d+$/.test(a)) return `-n${a}`;
    return a;
  });
  let p;
  try {
    p = getopt(args, [
      { key: 'n', short: 'n', long: 'lines', arg: true },
      { key: 'c', short: 'c', long: 'bytes', arg: true },
      { key: 'q', short: 'q', long: 'quiet' },
      { key: 'q', long: 'silent' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'f', short: 'f', long: 'follow' },
      { key: 'F', short: 'F' },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return fail(e.message);
  }
  // The last of -n/-c wins.
  const spec = [...p.opts].reverse().find((o) => o.key === 'n' || o.key === 'c');
  const bytes = spec?.key === 'c';
  const raw = spec?.value ?? '10';
  const m = /^([+-]?)(\d+)([a-zA-Z]*)$/.exec(raw);
  const mult: Record<string, number> = { '': 1, b: 512, k: 1024, K: 1024, kB: 1000, KB: 1000, m: 1048576, M: 1048576, MB: 1000000, G: 1 << 30 };
  if (!m || !(m[3] in mult)) {
    ctx.stderr(`${which}: invalid number of ${bytes ? 'bytes' : 'lines'}: '${raw}'\n`);
    return 1;
  }
  const n = Number(m[2]) * mult[m[3]];
  const sign = m[1];
  const files = p.operands.length ? p.operands : ['-'];
  const headers = has(p, 'v') || (files.length > 1 && !has(p, 'q'));
  let status = 0;
  let first = true;
  for (const f of files) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) {
      ctx.stderr(`${which}: cannot open '${f}' for reading: ${inp.error.slice(f.length + 2)}\n`);
      status = 1;
      continue;
    }
    if (headers) ctx.stdout(`${first ? '' : '\n'}==> ${f === '-' ? 'standard input' : f} <==\n`);
    first = false;
    const data = inp.data;
    if (bytes) {
      if (which === 'head') ctx.stdout(sign === '-' ? data.slice(0, Math.max(0, data.length - n)) : data.slice(0, n));
      else ctx.stdout(sign === '+' ? data.slice(Math.max(0, n - 1)) : n === 0 ? '' : data.slice(-n));
      continue;
    }
    const lines = linesWithNl(data);
    let sel: string[];
    if (which === 'head') sel = sign === '-' ? lines.slice(0, Math.max(0, lines.length - n)) : lines.slice(0, n);
    else sel = sign === '+' ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n);
    ctx.stdout(sel.join(''));
  }
  return status;
}

export const head: Command = (ctx) => run(ctx, 'head');
export const tail: Command = (ctx) => run(ctx, 'tail');
