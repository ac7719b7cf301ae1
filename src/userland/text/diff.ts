/**
 * diff: GNU diffutils' normal format (default), unified format (-u, -U N) and -q, with -i/-b/-w
 * to ignore case and whitespace. Exit 0 when the files are the same, 1 when they differ, 2 on trouble.
 *
 * Unified headers show each file's modification time, which the in-memory filesystem does not
 * keep: both files get the host clock's current time (ctx.sys.now()), in UTC. Use --label to
 * set the header text exactly (as the tests do when comparing with GNU diff).
 */
import type { Command, CommandContext } from '../command.ts';
import { getopt, has, last, UsageError } from './getopt.ts';
import { readInput } from './io.ts';
import { compareLines, hunks, type Hunk } from './diff-core.ts';

interface Side {
  name: string;
  lines: string[];
  /** The last line ends without a newline. */
  noEol: boolean;
}

function toSide(name: string, data: string): Side {
  const noEol = data !== '' && !data.endsWith('\n');
  const body = data.endsWith('\n') ? data.slice(0, -1) : data;
  return { name, lines: data === '' ? [] : body.split('\n'), noEol };
}

/** `2001-02-03 04:05:06.000000000 +0000`, GNU's default unified-header time format, in UTC. */
function headerTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = p(d.getUTCMilliseconds(), 3) + '000000';
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${nanos} +0000`;
}

const NO_EOL = '\\ No newline at end of file\n';

export const diff: Command = (ctx) => {
  const trouble = (msg: string) => {
    ctx.stderr(`diff: ${msg}\n`);
    return 2;
  };
  let p;
  try {
    p = getopt(ctx.argv.slice(1).filter((a) => !/^--colou?r(=.*)?$/.test(a)), [
      { key: 'u', short: 'u' },
      { key: 'U', short: 'U', long: 'unified', arg: true },
      { key: 'q', short: 'q', long: 'brief' },
      { key: 's', short: 's', long: 'report-identical-files' },
      { key: 'i', short: 'i', long: 'ignore-case' },
      { key: 'b', short: 'b', long: 'ignore-space-change' },
      { key: 'w', short: 'w', long: 'ignore-all-space' },
      { key: 'E', short: 'E', long: 'ignore-tab-expansion' },
      { key: 'Z', short: 'Z', long: 'ignore-trailing-space' },
      { key: 'a', short: 'a', long: 'text' },
      { key: 'normal', long: 'normal' },
      { key: 'label', long: 'label', arg: true },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`diff: ${e.message}\ndiff: Try 'diff --help' for more information.\n`);
    return 2;
  }
  if (p.operands.length !== 2) {
    ctx.stderr(p.operands.length < 2 ? `diff: missing operand after '${p.operands[p.operands.length - 1] ?? 'diff'}'\n` : `diff: extra operand '${p.operands[2]}'\n`);
    ctx.stderr("diff: Try 'diff --help' for more information.\n");
    return 2;
  }
  const sides: Side[] = [];
  for (const f of p.operands) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) return trouble(inp.error);
    sides.push(toSide(f, inp.data));
  }
  const [a, b] = sides;

  // Lines are compared through keys: equal keys for lines that -i/-b/-w make equal.
  const norm = (l: string) => {
    if (has(p, 'w')) l = l.replace(/[ \t\r\f\v]+/g, '');
    else if (has(p, 'b')) l = l.replace(/[ \t\r\f\v]+$/, '').replace(/[ \t\r\f\v]+/g, ' ');
    else if (has(p, 'Z')) l = l.replace(/[ \t\r\f\v]+$/, '');
    if (has(p, 'i')) l = l.toLowerCase();
    return l;
  };
  const ids = new Map<string, number>();
  const key = (s: Side) =>
    s.lines.map((l, k) => {
      // A last line without newline differs from the same text with one.
      const t = norm(l) + (s.noEol && k === s.lines.length - 1 ? '\u0000noeol' : '');
      let id = ids.get(t);
      if (id === undefined) ids.set(t, (id = ids.size));
      return id;
    });
  const unifiedArg = last(p, 'U');
  const isUnified = unifiedArg !== undefined || has(p, 'u');
  const context = unifiedArg === undefined ? 3 : Number(unifiedArg);
  if (!Number.isInteger(context) || context < 0) return trouble(`invalid context length '${unifiedArg}'`);
  const hs = hunks(compareLines(key(a), key(b), isUnified ? context : 0));
  if (!hs.length) {
    if (has(p, 's')) ctx.stdout(`Files ${a.name} and ${b.name} are identical\n`);
    return 0;
  }
  if (has(p, 'q')) {
    ctx.stdout(`Files ${a.name} and ${b.name} differ\n`);
    return 1;
  }
  if (isUnified) {
    const labels = p.opts.filter((o) => o.key === 'label').map((o) => o.value);
    ctx.stdout(unified(ctx, a, b, hs, context, labels));
  } else ctx.stdout(normal(a, b, hs));
  return 1;
};

function range(from: number, to: number): string {
  // 1-based inclusive range of lines [from, to) given 0-based half-open indexes.
  return to - from <= 1 ? String(to - from === 1 ? from + 1 : from) : `${from + 1},${to}`;
}

function lineOut(prefix: string, s: Side, k: number): string {
  return prefix + s.lines[k] + '\n' + (s.noEol && k === s.lines.length - 1 ? NO_EOL : '');
}

function normal(a: Side, b: Side, hs: Hunk[]): string {
  let out = '';
  for (const h of hs) {
    const del = h.a1 > h.a0;
    const ins = h.b1 > h.b0;
    const op = del && ins ? 'c' : del ? 'd' : 'a';
    out += `${del ? range(h.a0, h.a1) : String(h.a0)}${op}${ins ? range(h.b0, h.b1) : String(h.b0)}\n`;
    for (let k = h.a0; k < h.a1; k++) out += lineOut('< ', a, k);
    if (del && ins) out += '---\n';
    for (let k = h.b0; k < h.b1; k++) out += lineOut('> ', b, k);
  }
  return out;
}

function unifiedRange(start: number, count: number): string {
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

function unified(ctx: CommandContext, a: Side, b: Side, hs: Hunk[], context: number, labels: string[]): string {
  const time = headerTime(ctx.sys.now());
  let out = `--- ${labels[0] ?? `${a.name}\t${time}`}\n+++ ${labels[1] ?? `${b.name}\t${time}`}\n`;
  // Group changes whose gap is at most 2*context unchanged lines into one hunk (GNU find_hunk).
  let g = 0;
  while (g < hs.length) {
    let e = g;
    while (e + 1 < hs.length && hs[e + 1].a0 - hs[e].a1 <= 2 * context) e++;
    const aStart = Math.max(0, hs[g].a0 - context);
    const bStart = Math.max(0, hs[g].b0 - context);
    const aEnd = Math.min(a.lines.length, hs[e].a1 + context);
    const bEnd = Math.min(b.lines.length, hs[e].b1 + context);
    out += `@@ -${unifiedRange(aStart, aEnd - aStart)} +${unifiedRange(bStart, bEnd - bStart)} @@\n`;
    let i = aStart;
    for (let k = g; k <= e; k++) {
      const h = hs[k];
      for (; i < h.a0; i++) out += lineOut(' ', a, i);
      for (let x = h.a0; x < h.a1; x++) out += lineOut('-', a, x);
      for (let y = h.b0; y < h.b1; y++) out += lineOut('+', b, y);
      i = h.a1;
    }
    for (; i < aEnd; i++) out += lineOut(' ', a, i);
    g = e + 1;
  }
  return out;
}
