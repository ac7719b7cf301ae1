/** The shell's entry point: run a script (one command line or many) against a command table and a host. */
import type { CommandTable, System } from '../command.ts';
import type { FileSystem } from '../../host/sim/fs.ts';
import type { ShellArray } from './arrays.ts';
import type { FunctionDef } from './ast.ts';
import { isolated, runScript } from './exec.ts';
import { JobTable } from './jobs.ts';
import { defaultFlags, Input, type ShellFlags, type ShellState } from './state.ts';

/** What a session keeps from one command line to the next besides cwd and variables. */
export interface ShellSession {
  arrays: Map<string, ShellArray>;
  functions: Map<string, FunctionDef>;
  jobs: JobTable;
  flags: ShellFlags;
  positional: string[];
  startedAt: number;
  random(): number;
}

/** $RANDOM's generator: a 32-bit LCG, seeded so every session draws the same numbers. */
function randomSource(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 16) & 0x7fff;
  };
}

export interface ShellOptions {
  commands: CommandTable;
  fs: FileSystem;
  /** Working directory; `cd` writes the new one back here so a session keeps it between lines. */
  cwd: string;
  /** Variables; assignments and `export` change this object in place, so they persist likewise. */
  env: Record<string, string>;
  sys: System;
  /** Input the script's commands read in turn (`read` a line, `cat` the rest). */
  stdin?: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** `$?` as left by the previous line (default 0). */
  lastStatus?: number;
  /**
   * Functions, background jobs, `set` options and positional parameters. Created on the first
   * run and kept here, so jobs started on one line can be listed, waited for or killed on the next.
   */
  session?: ShellSession;
  /** Aborted when the process running the script is killed (its signal number as the reason). */
  signal?: AbortSignal;
  /**
   * Called when the script starts a program (a command a real system would fork and exec, as
   * `sleep` or `ip`, not a builtin like `echo`); the returned function is called when it ends.
   * A host uses it to show the script's children in its process table.
   */
  onProgram?(argv: string[]): () => void;
}

/**
 * Runs a script and returns its exit status. Background jobs still running at the end are left
 * running (as `bash -c` leaves them): they go on while later waits move the host's clock.
 */
export async function runShell(script: string, opts: ShellOptions): Promise<number> {
  const session = (opts.session ??= {
    arrays: new Map(),
    functions: new Map(),
    jobs: new JobTable(),
    flags: defaultFlags(),
    positional: [],
    startedAt: opts.sys.now(),
    random: randomSource(1),
  });
  const state: ShellState = {
    commands: opts.commands,
    fs: opts.fs,
    sys: opts.sys,
    cwd: opts.cwd,
    env: opts.env,
    arrays: session.arrays,
    lastStatus: opts.lastStatus ?? 0,
    functions: session.functions,
    positional: session.positional,
    flags: session.flags,
    jobs: session.jobs,
    traps: new Map(),
    name: 'bash',
    arg0: 'bash',
    line: 1,
    loopDepth: 0,
    callDepth: 0,
    locals: [],
    errexitOff: 0,
    traceLevel: 0,
    startedAt: session.startedAt,
    random: session.random,
    execFds: new Map(),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgram ? { onProgram: opts.onProgram } : {}),
  };
  const io = { stdin: new Input(opts.stdin ?? ''), stdout: opts.stdout, stderr: opts.stderr };
  const status = await isolated(() => runScript(script, state, io), state, io);
  opts.cwd = state.cwd;
  session.positional = state.positional;
  return status;
}

export { parse } from './parser.ts';
export { tokenize, ShellSyntaxError } from './lexer.ts';
export type * from './ast.ts';
