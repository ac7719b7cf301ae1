/**
 * kubectl describe's output machinery: a prefix writer that indents by two spaces per level,
 * whose text is aligned at the end by a tabwriter (minwidth 0, padding 2), as tabbedString does.
 */
import { escapeTerminal } from '../print/get.ts';
import { DESCRIBE_TABWRITER, tabwrite } from '../print/tabwriter.ts';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

export class PrefixWriter {
  private text = '';

  /** Writes `s` after two spaces per level. Callers format as Go's fmt would; tabs separate columns. */
  write(level: number, s: string): void {
    this.text += escapeTerminal('  '.repeat(level) + s);
  }

  /** fmt.Sprintln of the arguments: joined by spaces, then a newline. */
  writeLine(...args: string[]): void {
    this.text += escapeTerminal(`${args.join(' ')}\n`);
  }

  /** The aligned text. */
  toString(): string {
    return tabwrite(this.text, DESCRIBE_TABWRITER);
  }
}

/** tabbedString: runs `f` against a fresh writer and returns the aligned result. */
export function tabbed(f: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  f(w);
  return w.toString();
}
