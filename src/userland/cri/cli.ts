/**
 * What the three runtime tools share on the command line: flag parsing (pflag's rules, which
 * docker's cobra uses and which cover crictl's and ctr's urfave/cli forms), Go's tabwriter
 * tables, and the error forms of logrus (crictl) and ctr.
 */
import type { CommandContext } from '../command.ts';
import { FlagError, Flags, parseFlags, type FlagSpec } from '../kubectl/flags.ts';
import { tabwrite, type TabwriterOptions } from '../kubectl/print/tabwriter.ts';

export { Flags, FlagError, type FlagSpec };

/** A failure the tool reports in its own words; `status` is its exit code. */
export class ToolError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

export function parse(argv: string[], specs: readonly FlagSpec[]): Flags {
  return new Flags(parseFlags(argv, specs));
}

/** Rows joined with tabs and aligned as Go's tabwriter.NewWriter(w, minwidth, 1, padding, ' ', 0) does. */
export function table(rows: string[][], opts: TabwriterOptions, trailingTab = false): string {
  if (!rows.length) return '';
  return tabwrite(rows.map((r) => r.join('\t') + (trailingTab ? '\t' : '') + '\n').join(''), opts);
}

/** The index of the first word that is not a flag (or a flag's value), for tools with global flags before the subcommand. */
export function splitGlobal(argv: string[], valueFlags: ReadonlySet<string>): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') return i;
    if (a === '--') return i + 1;
    if (!a.includes('=') && valueFlags.has(a)) i++;
  }
  return argv.length;
}

/** Runs a tool body, printing a ToolError or a flag error through `report`. */
export async function guard(ctx: CommandContext, body: () => number | Promise<number>, report: (msg: string) => string, flagStatus = 1): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof ToolError) {
      ctx.stderr(report(e.message));
      return e.status;
    }
    if (e instanceof FlagError) {
      ctx.stderr(report(e.message));
      return flagStatus;
    }
    throw e;
  }
}
