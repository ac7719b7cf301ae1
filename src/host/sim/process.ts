/**
 * Programs on a simulated host: `run` (a tool to completion) and `spawn` (a long-running
 * process) for the Host contract. Both go through podlab's shell with the host's command table,
 * so argv is resolved as a real system would (a table command, a program-like builtin such as
 * `sleep` or `sh`, or a script file), and every program a process starts appears in the
 * machine's process table as its child while it runs (`ps aux`, `ip netns pid`).
 */
import type { HostProcess, ProcessSpec, RunOptions, RunResult } from '../host.ts';
import type { CommandTable, System } from '../../userland/command.ts';
import type { Machine } from '../../kernel/machine.ts';
import { runShell } from '../../userland/shell/index.ts';
import { BUILTINS, REAPS_JOBS } from '../../userland/shell/builtins.ts';
import { backgroundSystem } from '../../userland/shell/jobs.ts';
import type { FileSystem } from './fs.ts';

/** Quotes argv words for the shell (`'a b'`, `'it'\''s'`). */
export function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface ProgramEnv {
  commands: CommandTable;
  fs: FileSystem;
  sys: System;
  machine: Machine;
}

/** Whether `prog` would be found: a table command or program-like builtin by basename, or a file. */
export function programExists(env: Pick<ProgramEnv, 'commands' | 'fs'>, prog: string): boolean {
  const base = prog.slice(prog.lastIndexOf('/') + 1);
  if (env.commands.has(base)) return true;
  if (BUILTINS.has(base) && REAPS_JOBS.has(base) && base !== 'wait') return true;
  return prog.includes('/') && env.fs.read(prog) !== undefined;
}

/** The PATH a process starts with, as a container runtime sets it. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs argv to completion; a tool's waits do not move a simulated clock unless `foreground`. */
export async function runProgram(env: ProgramEnv, argv: string[], o: RunOptions): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await runShell(shellQuote(argv), {
    commands: env.commands, fs: env.fs, cwd: '/',
    env: { PATH: DEFAULT_PATH, HOME: '/root', ...o.env },
    sys: o.foreground ? env.sys : backgroundSystem(env.sys),
    stdin: o.stdin ?? '',
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

/** Starts a process; its own program is `argv`, every program it starts is listed as its child. */
export function spawnProgram(env: ProgramEnv, spec: ProcessSpec): HostProcess {
  const { machine } = env;
  const controller = new AbortController();
  let settle!: (status: number) => void;
  let status: number | undefined;
  const exited = new Promise<number>((resolve) => (settle = resolve));
  const children = new Set<number>();
  const proc = machine.spawn({
    argv: spec.argv, netns: env.sys.netns(), ppid: spec.ppid ?? 0,
    kill: (sig) => handle.kill(sig),
  });
  const finish = (code: number): void => {
    if (status !== undefined) return;
    status = code;
    for (const c of children) machine.exit(c);
    machine.exit(proc.pid);
    settle(code);
  };
  let first = true;
  const onProgram = (argv: string[]): (() => void) => {
    // The first program is the process itself (argv); later ones are its children.
    if (first) {
      first = false;
      return () => {};
    }
    const child = machine.spawn({ argv, netns: env.sys.netns(), ppid: proc.pid, stat: 'S' });
    children.add(child.pid);
    return () => {
      children.delete(child.pid);
      machine.exit(child.pid);
    };
  };
  const handle: HostProcess = {
    pid: proc.pid,
    exited,
    kill(sig = 15) {
      if (status !== undefined) return;
      controller.abort(sig);
      finish(128 + sig);
    },
  };
  void runShell(shellQuote(spec.argv), {
    commands: env.commands, fs: env.fs, cwd: spec.cwd ?? '/',
    env: { PATH: DEFAULT_PATH, HOME: '/root', ...(spec.hostname ? { HOSTNAME: spec.hostname } : {}), ...spec.env },
    sys: spec.foreground ? env.sys : backgroundSystem(env.sys),
    stdin: spec.stdin ?? '',
    stdout: (t) => {
      if (status === undefined) spec.stdout?.(t);
    },
    stderr: (t) => {
      if (status === undefined) spec.stderr?.(t);
    },
    signal: controller.signal,
    onProgram,
  }).then(finish, (e: unknown) => {
    spec.stderr?.(`${e instanceof Error ? e.message : String(e)}\n`);
    finish(1);
  });
  return handle;
}
