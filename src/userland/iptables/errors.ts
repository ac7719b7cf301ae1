/**
 * iptables' two kinds of failure and how they print: a parameter problem (exit 2, with the
 * `Try 'iptables -h'` hint) and a problem the kernel reported (exit 1, `iptables: MSG.`).
 */
import { XtError } from '../../kernel/netfilter/xt/types.ts';

export { XtError };

export const VERSION = 'v1.8.9 (nf_tables)';

/** A parameter problem detected while parsing (exit status 2). */
export function paramProblem(message: string): XtError {
  return new XtError(message, 2, true);
}

/** A failure reported by the kernel side, printed as `iptables: MESSAGE.` (exit status 1). */
export class KernelError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

/** Renders an error the way `prog` (iptables, iptables-restore, ...) prints it. */
export function renderError(prog: string, e: unknown, line?: number): { text: string; status: number } {
  if (e instanceof XtError) {
    let text = e.bare ? `${e.message}\n` : `${prog} ${VERSION}: ${e.message}\n`;
    if (line !== undefined) text += `Error occurred at line: ${line}\n`;
    if (e.showHelpHint) text += `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
    return { text, status: e.status };
  }
  if (e instanceof KernelError) return { text: `${prog}: ${e.message}\n`, status: e.status };
  throw e;
}
