/**
 * Go's text/tabwriter, which kubectl aligns its columns with: tab-terminated cells, column
 * widths computed per block of consecutive lines that share the column, left alignment.
 */

export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  minwidth: number;
  /** Padding added to the widest cell of a column. */
  padding: number;
  /** The character cells are padded with (kubectl and describe use a space). */
  padchar?: string;
}

/** kubectl get's writer (printers.GetNewTabWriter): minwidth 6, padding 3. */
export const GET_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe's writer (tabbedString): minwidth 0, padding 2. */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

/** The display width Go's tabwriter gives a cell: its count of code points (utf8.RuneCount). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Aligns `text` as tabwriter does on Flush. A cell is text ended by a tab; the text after a
 * line's last tab is not a cell and is never padded. A column's width is set by the block of
 * consecutive lines that have a cell in that column, so a line with fewer cells ends the block.
 */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const pad = opts.padchar ?? ' ';
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        s += cells[j];
        if (j < cells.length - 1 && j < widths.length) s += pad.repeat(Math.max(0, widths[j] - width(cells[j])));
      }
      out.push(s);
    }
  };

  // format() of tabwriter.go: find the blocks of column `widths.length`, recursing rightwards.
  const format = (line0: number, line1: number): void => {
    const col = widths.length;
    for (let i = line0; i < line1; i++) {
      if (col >= lines[i].length - 1) continue;
      writeLines(line0, i);
      line0 = i;
      let w = opts.minwidth;
      for (; i < line1; i++) {
        const cells = lines[i];
        if (col >= cells.length - 1) break;
        w = Math.max(w, width(cells[col]) + opts.padding);
      }
      widths.push(w);
      format(line0, i);
      widths.pop();
      line0 = i;
      i--; // the outer loop's increment must look at line `i` again
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
