/**
 * How conntrack fails (exit_error): `conntrack v1.4.7 (conntrack-tools): MSG`, then for a
 * parameter problem the `Try ...` hint and status 2, otherwise status 1.
 */

export const VERSION = '1.4.7';
export const PREFIX = `conntrack v${VERSION} (conntrack-tools): `;

export class CtToolError extends Error {
  constructor(
    message: string,
    /** 2 PARAMETER_PROBLEM, 1 OTHER_PROBLEM; 139 for the crash some inputs cause. */
    readonly status: 1 | 2 | 139 = 2,
  ) {
    super(message);
  }
}

export const paramProblem = (msg: string): CtToolError => new CtToolError(msg, 2);
export const otherProblem = (msg: string): CtToolError => new CtToolError(msg, 1);

export function renderError(e: CtToolError): string {
  if (e.status === 139) return '';
  let text = `${PREFIX}${e.message}\n`;
  if (e.status === 2) text += "Try `conntrack -h' or 'conntrack --help' for more information.\n";
  return text;
}
