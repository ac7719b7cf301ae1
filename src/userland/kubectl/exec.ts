/**
 * `kubectl exec POD [-c C] [-i] [-t] -- CMD…`: the pod and default container found as kubectl
 * does, the command run through the transport's exec (in process) or the WebSocket
 * `v5.channel.k8s.io` protocol (HTTPS), and `command terminated with exit code N`.
 */
import type { ExecIO, ExecRequest } from '../../k8s/apiserver/streams/types.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, ExitCode, usageError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { containerFor, podFor } from './pods.ts';
import { webSocketExec } from './streams.ts';

const EXEC_FLAGS: FlagSpec[] = [
  { name: 'container', short: 'c', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'pod-running-timeout', kind: 'duration' },
  { name: 'quiet', short: 'q', kind: 'bool' },
  { name: 'stdin', short: 'i', kind: 'bool' },
  { name: 'tty', short: 't', kind: 'bool' },
];

/** The exec session's IO on the command's side: stdin from ctx.stdin, output to ctx.stdout/stderr. */
function commandIO(k: Kctx, withStdin: boolean, signal: AbortSignal): ExecIO {
  const text = k.ctx.stdin;
  return {
    ...(withStdin ? {
      stdin: (async function* () {
        if (text) yield Buffer.from(text);
      })(),
    } : {}),
    stdout: (d) => k.out(typeof d === 'string' ? d : d.toString('utf8')),
    stderr: (d) => k.err(typeof d === 'string' ? d : d.toString('utf8')),
    onResize: () => undefined,
    signal,
  };
}

async function runExec(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  const dash = f.parsed.dashAt;
  if (args.length === 0 || dash === 0) throw new CmdError('pod, type/name or --filename must be specified');
  if (dash < 0 && args.length > 1) throw usageError(k.cmdPath, 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  if (dash > 1) throw usageError(k.cmdPath, 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  const command = dash < 0 ? [] : args.slice(dash);
  if (!command.length) throw new CmdError('you must specify at least one command for the container');
  const stdin = f.bool('stdin');
  let tty = f.bool('tty');
  if (tty && !stdin) tty = false;
  else if (tty && !k.deps.terminal) {
    tty = false;
    if (!f.bool('quiet')) k.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }
  const { pod } = await podFor(k, args[0]);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CmdError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  // A container named with -c goes to the server as given: it is the server that refuses a wrong one.
  const container = f.str('container') || containerFor(k, pod, '', f.bool('quiet'));
  const req: ExecRequest = {
    namespace: pod.metadata.namespace ?? k.namespace, pod: pod.metadata.name ?? '', container, command,
    stdin, stdout: true, stderr: !tty, tty,
  };
  const ctl = new AbortController();
  const outer = k.signal;
  const onAbort = (): void => ctl.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort);
  let code: number;
  try {
    const transport = k.transport();
    if (transport.exec) {
      code = await transport.exec(req, commandIO(k, stdin, ctl.signal));
    } else {
      code = await webSocketExec(k.target(), k.cmdPath, req, commandIO(k, stdin, ctl.signal));
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
  if (code !== 0) {
    k.err(`command terminated with exit code ${code}\n`);
    throw new ExitCode(code);
  }
  return 0;
}

export const execCmd: Subcommand = { name: 'exec', flags: EXEC_FLAGS, run: runExec };
