/** cut: select bytes (-b), characters (-c) or delimited fields (-f) from each line (GNU coreutils). */
import type { Command } from '../command.ts';
import { getopt, has, last, UsageError } from './getopt.ts';
import { readInput, splitLines } from './io.ts';

/** A parsed LIST like `1,3-5,-2,7-`: 1-based inclusive ranges, sorted and merged. */
export function parseList(list: string): { lo: number; hi: number }[] {
  const ranges: { lo: number; hi: number }[] = [];
  for (const item of list.split(/[,\s]/)) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (!m || item === '' || item === '-') throw new UsageError(item === '-' ? "invalid range with no endpoint: -" : `invalid byte, character or field list`);
    const lo = m[1] === '' ? 1 : Number(m[1]);
    const hi = m[2] ? (m[3] === '' ? Infinity : Number(m[3])) : lo;
    if (lo === 0 || (m[3] !== '' && Number(m[3]) === 0 && m[2])) throw new UsageError('fields and positions are numbered from 1');
    if (hi < lo) throw new UsageError('invalid decreasing range');
    ranges.push({ lo, hi });
  }
  ranges.sort((a, b) => a.lo - b.lo);
  const merged: { lo: number; hi: number }[] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && r.lo <= prev.hi + 1) prev.hi = Math.max(prev.hi, r.hi);
    else merged.push({ ...r });
  }
  return merged;
}

function selected(ranges: { lo: number; hi: number }[], n: number, complement: boolean): boolean {
  return ranges.some((r) => n >= r.lo && n <= r.hi) !== complement;
}

export const cut: Command = (ctx) => {
  const fail = (msg: string) => {
    ctx.stderr(`cut: ${msg}\nTry 'cut --help' for more information.\n`);
    return 1;
  };
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      { key: 'b', short: 'b', long: 'bytes', arg: true },
      { key: 'c', short: 'c', long: 'characters', arg: true },
      { key: 'f', short: 'f', long: 'fields', arg: true },
      { key: 'd', short: 'd', long: 'delimiter', arg: true },
      { key: 's', short: 's', long: 'only-delimited' },
      { key: 'n', short: 'n' },
      { key: 'z', short: 'z', long: 'zero-terminated' },
      { key: 'complement', long: 'complement' },
      { key: 'od', long: 'output-delimiter', arg: true },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return fail(e.message);
  }
  const modes = p.opts.filter((o) => o.key === 'b' || o.key === 'c' || o.key === 'f');
  if (new Set(modes.map((o) => o.key)).size > 1 || modes.length > 1) return fail('only one list may be specified');
  if (!modes.length) return fail('you must specify a list of bytes, characters, or fields');
  const mode = modes[0].key;
  let ranges;
  try {
    ranges = parseList(modes[0].value);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return fail(e.message);
  }
  const delim = last(p, 'd') ?? '\t';
  if (has(p, 'd') && mode !== 'f') return fail('an input delimiter may be specified only when operating on fields');
  if (has(p, 's') && mode !== 'f') return fail('suppressing non-delimited lines makes sense\n\tonly when operating on fields');
  if ([...delim].length !== 1) return fail('the delimiter must be a single character');
  const complement = has(p, 'complement');
  const onlyDelimited = has(p, 's');
  const outDelim = last(p, 'od');

  let status = 0;
  let out = '';
  for (const f of p.operands.length ? p.operands : ['-']) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) {
      ctx.stderr(`cut: ${inp.error}\n`);
      status = 1;
      continue;
    }
    for (const line of splitLines(inp.data).lines) {
      if (mode === 'f') {
        if (!line.includes(delim)) {
          if (!onlyDelimited) out += line + '\n';
          continue;
        }
        const fields = line.split(delim);
        out += fields.filter((_, k) => selected(ranges, k + 1, complement)).join(outDelim ?? delim) + '\n';
      } else {
        // Characters and bytes are the same here (C locale, text is UTF-16 code units).
        let s = '';
        let prevSel = false;
        for (let k = 0; k < line.length; k++) {
          const sel = selected(ranges, k + 1, complement);
          // --output-delimiter separates runs of selected positions.
          if (sel && outDelim !== undefined && !prevSel && s !== '') s += outDelim;
          if (sel) s += line[k];
          prevSel = sel;
        }
        out += s + '\n';
      }
    }
  }
  ctx.stdout(out);
  return status;
};
