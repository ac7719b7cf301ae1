/**
 * kubectl's error reporting (cmdutil.CheckErr): how a server Status, an invalid object, an
 * unknown resource type, a connection failure or a usage mistake is worded on stderr, and the
 * exit code that goes with it.
 */
import { StatusError } from '../../k8s/api/errors.ts';
import { ConfigError } from './kubeconfig.ts';
import { ConnectionError } from './transport.ts';

/** A failure with kubectl's message; `error: ` is added unless the text already starts with it. */
export class CmdError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

/** Text printed verbatim (kubectl's usage errors, multi-line messages), then exit `code`. */
export class RawError extends Error {
  constructor(readonly text: string, readonly code = 1) {
    super(text);
  }
}

/** An exit with `code` and nothing more to print (the command already reported). */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A usage error: `error: MSG` and `See 'kubectl CMD -h' for help and examples` (cmdutil.UsageErrorf). */
export function usageError(cmdPath: string, msg: string): RawError {
  return new RawError(`error: ${msg}\nSee '${cmdPath} -h' for help and examples\n`);
}

/** No such resource type: `the server doesn't have a resource type "foo"`. */
export class NoMatchError extends Error {
  constructor(readonly resource: string, readonly group = '', readonly version = '') {
    super(noMatchText(resource, group, version));
  }
}

function noMatchText(resource: string, group: string, version: string): string {
  if (group && version) return `the server doesn't have a resource type "${resource}" in group "${group}" and version "${version}"`;
  if (group) return `the server doesn't have a resource type "${resource}" in group "${group}"`;
  if (version) return `the server doesn't have a resource type "${resource}" in version "${version}"`;
  return `the server doesn't have a resource type "${resource}"`;
}

/**
 * utilerrors.Aggregate: several failures reported together. Its own text is Go's (`msg`, or
 * `[msg1, msg2]`); kubectl prints an aggregate of one as that one error, and a larger one (or one
 * nested in an aggregate of one) as one line per error, each in messageForError's words.
 */
export class GoAggregate extends Error {
  constructor(readonly errors: unknown[]) {
    const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));
    super(errors.length === 1 ? text(errors[0]) : `[${errors.map(text).join(', ')}]`);
  }
}

/** The `errs` ending of most commands: nothing, the one error, or their aggregate. */
export function throwErrors(errs: unknown[]): void {
  if (errs.length === 1) throw errs[0];
  if (errs.length > 1) throw new GoAggregate(errs);
}

/** StandardErrorMessage: the API and network errors kubectl words itself; undefined for the others. */
export function standardMessage(e: unknown): string | undefined {
  if (e instanceof StatusError) {
    if (e.reason === 'Unauthorized') return `error: You must be logged in to the server (${e.message})`;
    if (e.reason) return `Error from server (${e.reason}): ${e.message}`;
    return `Error from server: ${e.message}`;
  }
  if (e instanceof ConnectionError) return e.message;
  return undefined;
}

/** messageForError: the standard message, else the error's own text. */
export function messageFor(e: unknown): string {
  return standardMessage(e) ?? (e instanceof Error ? e.message : String(e));
}

/** An invalid object's message: `The Service "x" is invalid: <cause>` or one `* cause` line each. */
function invalidMessage(e: StatusError): string {
  const d = e.details;
  if (!d) return `The request is invalid${e.message ? `: ${e.message}` : ''}\n`;
  let s = 'The request is invalid';
  if (d.kind || d.name) s = `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid`;
  else if (d.causes?.length && d.causes[0].field) s = `The request is invalid: ${d.causes[0].field}`;
  if (!d.causes?.length) return `${s}\n`;
  const msgs = [...new Set(d.causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
  if (msgs.length === 1) return `${s}: ${msgs[0]}\n`;
  return `${s}: \n${msgs.map((m) => `* ${m}\n`).join('')}`;
}

/** What kubectl prints for `e` and the exit code (cmdutil.checkErr). */
export function renderError(e: unknown): { text: string; code: number } {
  const nl = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  if (e instanceof ExitCode) return { text: '', code: e.code };
  if (e instanceof RawError) return { text: e.text, code: e.code };
  if (e instanceof StatusError && e.reason === 'Invalid') return { text: invalidMessage(e), code: 1 };
  if (e instanceof NoMatchError) return { text: `error: ${e.message}\n`, code: 1 };
  if (e instanceof ConfigError) return { text: nl(`${e.prefix}${e.message}`), code: 1 };
  if (e instanceof GoAggregate) {
    // checkErr unwraps one level of an aggregate of one; an aggregate left is printed line by line.
    const x = e.errors.length === 1 ? e.errors[0] : e;
    if (x instanceof GoAggregate) return { text: x.errors.map((y) => nl(messageFor(y))).join(''), code: 1 };
    return renderError(x);
  }
  const std = standardMessage(e);
  if (std !== undefined) return { text: nl(std), code: 1 };
  const msg = e instanceof Error ? e.message : String(e);
  const code = e instanceof CmdError ? e.code : 1;
  return { text: nl(msg.startsWith('error: ') ? msg : `error: ${msg}`), code };
}

/** AddSourceToErr: `error when creating "f.yaml": <message>`, keeping a Status's reason. */
export function withSource(verb: string, source: string | undefined, e: unknown): unknown {
  if (!source) return e;
  if (e instanceof StatusError) {
    return new StatusError(e.code, e.reason, `error when ${verb} "${source}": ${e.message}`, e.details);
  }
  if (e instanceof Error && !(e instanceof ConnectionError)) return new CmdError(`error when ${verb} "${source}": ${e.message}`);
  return e;
}
