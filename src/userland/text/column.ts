/**
 * column (util-linux 2.38, as Debian 12's bsdextrautils ships it): -t tables with -s/-o/-N/-R/-H/-l/-L,
 * and the default mode that fills entries into tab-aligned columns (-c width, -x across).
 */
import type { Command } from '../command.ts';
import { getopt, has, last, UsageError } from './getopt.ts';
import { readInput, splitLines } from './io.ts';

/** Display width: one column per code point (C locale; no East Asian wide characters). */
const width = (s: string) => [...s].length;

/**
 * Splits a line into cells. With the default separators (blanks) runs of separators count as
 * one and leading ones are skipped (util-linux's "greedy" mode); an explicit -s is not greedy.
 */
function cells(line: string, seps: string, greedy: boolean, limit: number): string[] {
  const isSep = (c: string) => seps.includes(c);
  const out: string[] = [];
  let cur = '';
  let i = 0;
  const chars = [...line];
  if (greedy) while (i < chars.length && isSep(chars[i])) i++;
  for (; i < chars.length; i++) {
    const c = chars[i];
    if (isSep(c) && (limit <= 0 || out.length < limit - 1)) {
      out.push(cur);
      cur = '';
      if (greedy) {
        while (i + 1 < chars.length && isSep(chars[i + 1])) i++;
        if (i + 1 >= chars.length) return out;
      }
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export const column: Command = (ctx) => {
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      { key: 't', short: 't', long: 'table' },
      { key: 's', short: 's', long: 'separator', arg: true },
      { key: 'o', short: 'o', long: 'output-separator', arg: true },
      { key: 'c', short: 'c', long: 'output-width', arg: true },
      { key: 'x', short: 'x', long: 'fillrows' },
      { key: 'N', short: 'N', long: 'table-columns', arg: true },
      { key: 'R', short: 'R', long: 'table-right', arg: true },
      { key: 'H', short: 'H', long: 'table-hide', arg: true },
      { key: 'l', short: 'l', long: 'table-columns-limit', arg: true },
      { key: 'L', short: 'L', long: 'keep-empty-lines' },
      { key: 'e', short: 'e', long: 'table-header-repeat' },
      { key: 'n', short: 'n', long: 'table-name', arg: true },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`column: ${e.message}\nTry 'column --help' for more information.\n`);
    return 1;
  }
  let text = '';
  for (const f of p.operands.length ? p.operands : ['-']) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) {
      ctx.stderr(`column: ${inp.error}\n`);
      return 1;
    }
    text += inp.data;
  }
  const lines = splitLines(text).lines;
  const out = has(p, 't') ? table(lines, p) : fill(lines, Number(last(p, 'c') ?? ctx.env.COLUMNS ?? 80) || 80, has(p, 'x'));
  ctx.stdout(out);
  return 0;
};

/** Column names or 1-based numbers from a comma list (-R, -H) as 0-based indexes. */
function columnIndexes(list: string | undefined, names: string[]): Set<number> {
  const set = new Set<number>();
  if (list === undefined) return set;
  for (const item of list.split(',')) {
    const byName = names.indexOf(item);
    if (byName >= 0) set.add(byName);
    else if (/^\d+$/.test(item)) set.add(Number(item) - 1);
  }
  return set;
}

function table(lines: string[], p: ReturnType<typeof getopt>): string {
  const sepOpt = last(p, 's');
  const seps = sepOpt ?? ' \t';
  const greedy = sepOpt === undefined;
  const outSep = last(p, 'o') ?? '  ';
  const limit = Number(last(p, 'l') ?? 0);
  const names = last(p, 'N')?.split(',') ?? [];
  const keepEmpty = has(p, 'L');
  const rows: string[][] = [];
  if (names.length) rows.push(names);
  for (const line of lines) {
    if (line === '' || (greedy && [...line].every((c) => seps.includes(c)))) {
      if (keepEmpty) rows.push([]);
      continue;
    }
    rows.push(seps === '' ? [line] : cells(line, seps, greedy, limit));
  }
  const ncols = Math.max(0, ...rows.map((r) => r.length));
  const right = columnIndexes(last(p, 'R'), names);
  const hidden = columnIndexes(last(p, 'H'), names);
  const visible = [...Array(ncols).keys()].filter((c) => !hidden.has(c));
  const widths = visible.map((c) => Math.max(0, ...rows.map((r) => width(r[c] ?? ''))));
  let out = '';
  for (const r of rows) {
    let line = '';
    visible.forEach((c, k) => {
      const cell = r[c] ?? '';
      const lastCol = k === visible.length - 1;
      const pad = ' '.repeat(widths[k] - width(cell));
      if (right.has(c)) line += pad + cell;
      else line += lastCol ? cell : cell + pad;
      if (!lastCol) line += outSep;
    });
    out += line + '\n';
  }
  return out;
}

/** Default mode: entries down the columns (or across with -x), separated by tabs, 8-column stops. */
function fill(lines: string[], termWidth: number, across: boolean): string {
  const entries = lines.filter((l) => l !== '');
  if (!entries.length) return '';
  let maxLen = Math.max(...entries.map(width));
  maxLen = (maxLen + 8) & ~7;
  const numCols = Math.max(1, Math.floor(termWidth / maxLen));
  if (maxLen > termWidth || numCols === 1) return entries.map((e) => e + '\n').join('');
  const tabsTo = (chcnt: number, endcol: number): { s: string; chcnt: number } => {
    let s = '';
    let cnt;
    while ((cnt = (chcnt + 8) & ~7) <= endcol) {
      s += '\t';
      chcnt = cnt;
    }
    return { s, chcnt };
  };
  let out = '';
  if (across) {
    let chcnt = 0;
    let endcol = maxLen;
    for (let i = 0; i < entries.length; i++) {
      out += entries[i];
      chcnt += width(entries[i]);
      if ((i + 1) % numCols === 0 || i === entries.length - 1) {
        out += '\n';
        chcnt = 0;
        endcol = maxLen;
        continue;
      }
      const t = tabsTo(chcnt, endcol);
      out += t.s;
      chcnt = t.chcnt;
      endcol += maxLen;
    }
    return out;
  }
  const numRows = Math.ceil(entries.length / numCols);
  for (let row = 0; row < numRows; row++) {
    let endcol = maxLen;
    let chcnt = 0;
    for (let base = row, col = 0; col < numCols; col++) {
      out += entries[base];
      chcnt += width(entries[base]);
      base += numRows;
      if (base >= entries.length) break;
      const t = tabsTo(chcnt, endcol);
      out += t.s;
      chcnt = t.chcnt;
      endcol += maxLen;
    }
    out += '\n';
  }
  return out;
}
