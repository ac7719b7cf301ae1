/**
 * Runs one expanded command as bash would find it: a function, a builtin, one of the host's
 * commands or a script file; and builds the contexts they get (CommandContext, BuiltinContext).
 */
import type { Command, CommandContext, System } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import type { FunctionDef } from './ast.ts';
import { restoreVar } from './arrays.ts';
import { BUILTINS, REAPS_JOBS, type Builtin } from './builtins.ts';
import { backgroundSystem } from './jobs.ts';
import {
  defaultFlags, Input, ReturnSignal, shellError, subshellState,
  type BuiltinContext, type Io, type Runner, type ShellFlags, type ShellState,
} from './state.ts';

/** bash's default FUNCNEST is unlimited; this only keeps runaway recursion from exhausting memory. */
const MAX_CALL_DEPTH = 2000;

/** Sets `NAME=value` prefixes for the duration of a function or builtin, then restores the old values. */
async function withTempVars(state: ShellState, assigned: [string, string][], fn: () => Promise<number>): Promise<number> {
  const saved = assigned.map(([k]) => [k, state.env[k]] as const);
  for (const [k, v] of assigned) state.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete state.env[k];
      else state.env[k] = v;
    }
  }
}

function commandContext(argv: string[], env: Record<string, string>, state: ShellState, io: Io, run: Runner): CommandContext {
  let taken: string | undefined;
  return {
    argv,
    // Reading stdin takes the rest of the stream (once: the command may read ctx.stdin again), so
    // the next reader of the same stream (`while read`) sees only what is left, and a command that
    // never reads it leaves it all.
    get stdin() {
      return (taken ??= io.stdin.rest());
    },
    stdout: io.stdout,
    stderr: io.stderr,
    fs: state.fs,
    cwd: state.cwd,
    env,
    sys: state.sys,
    signal: state.signal,
    exec: (args, opts = {}) => {
      const child = childState(state, opts.sys);
      const cio: Io = { stdin: opts.stdin !== undefined ? new Input(opts.stdin) : io.stdin, stdout: opts.stdout ?? io.stdout, stderr: opts.stderr ?? io.stderr };
      return run.isolated(() => runArgv(args, [], child, cio, {}, run), child, cio);
    },
    exists: (prog) => BUILTINS.has(prog) || state.commands.has(prog.slice(prog.lastIndexOf('/') + 1)) || (prog.includes('/') && state.fs.read(resolvePath(state.cwd, prog)) !== undefined),
  };
}

/** The state a child program runs in: its own copy, and another System (namespace) brings its own view of /proc and /sys. */
function childState(state: ShellState, sys: System | undefined): ShellState {
  const child = subshellState(state);
  if (sys && sys !== state.sys) {
    child.sys = state.signal ? backgroundSystem(sys) : sys;
    child.fs = sys.files?.() ?? state.fs;
  }
  return child;
}

function builtinContext(argv: string[], env: Record<string, string>, state: ShellState, io: Io, run: Runner): BuiltinContext {
  const ctx = commandContext(argv, env, state, io, run) as BuiltinContext;
  ctx.io = io;
  ctx.runArgv = (av, aio, opts) => runArgv(av, [], state, aio, opts ?? {}, run);
  ctx.runScript = (src, sio) => run.script(src, state, sio);
  ctx.runNewShell = (src, name, args, sio, flags) => runScriptFile(src, name, args, state.env, state, sio, run, flags);
  ctx.isBuiltin = (name) => BUILTINS.has(name);
  return ctx;
}

/** Runs an expanded command: a function, a builtin, one of the host's commands or a script file. */
export async function runArgv(argv: string[], assigned: [string, string][], state: ShellState, io: Io, opts: { functions?: boolean; quiet?: boolean }, run: Runner): Promise<number> {
  const name = argv[0];
  const fn = opts.functions ? state.functions.get(name) : undefined;
  if (fn) return withTempVars(state, assigned, () => callFunction(fn, argv, state, io, run));
  const builtin = BUILTINS.get(name) ?? programBuiltinAt(name, state);
  if (builtin) {
    // The builtins that reap jobs are the ones that are programs on a real system (sleep, cat, sh).
    const ended = REAPS_JOBS.has(name) && name !== 'wait' ? state.onProgram?.(argv) : undefined;
    try {
      const status = await withTempVars(state, assigned, async () => builtin(builtinContext(argv, { ...state.env }, state, io, run), state));
      if (REAPS_JOBS.has(name)) reapJobs(state, io);
      return status;
    } finally {
      ended?.();
    }
  }
  const env = { ...state.env, ...Object.fromEntries(assigned) };
  const command: Command | undefined = state.commands.get(name.slice(name.lastIndexOf('/') + 1));
  if (command) {
    const ended = state.onProgram?.(argv);
    try {
      const status = await runTableCommand(command, name, commandContext(argv, env, state, io, run), io);
      reapJobs(state, io);
      return status;
    } finally {
      ended?.();
    }
  }
  if (name.includes('/')) {
    const path = resolvePath(state.cwd, name);
    const src = state.fs.read(path);
    if (src !== undefined) return runScriptFile(src, name, argv.slice(1), env, state, io, run);
    if (opts.quiet) return 127;
    shellError(state, io.stderr, `${name}: ${state.fs.isDir(path) ? 'Is a directory' : 'No such file or directory'}`);
    return state.fs.isDir(path) ? 126 : 127;
  }
  if (!opts.quiet) shellError(state, io.stderr, `${name}: command not found`);
  return 127;
}

/**
 * The builtins that stand for programs (sleep, sh, cat, ...) also answer to a path where a real
 * system keeps them (`/bin/sh -c ...`, `/usr/bin/sleep 3600` in a container's command), unless
 * a file exists there.
 */
function programBuiltinAt(name: string, state: ShellState): Builtin | undefined {
  if (!name.includes('/')) return undefined;
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (!REAPS_JOBS.has(base) || base === 'wait' || !/^\/(usr\/)?s?bin\//.test(name)) return undefined;
  if (state.fs.read(resolvePath(state.cwd, name)) !== undefined) return undefined;
  return BUILTINS.get(base);
}

async function runTableCommand(command: Command, name: string, ctx: CommandContext, io: Io): Promise<number> {
  try {
    return await command(ctx);
  } catch (e) {
    // A command that throws behaves like a crashed process: a message and a failure status.
    io.stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** Runs a script file as a new bash would: its own variables (copied), functions, options and `$0`. */
function runScriptFile(src: string, name: string, args: string[], env: Record<string, string>, state: ShellState, io: Io, run: Runner, flags: Partial<ShellFlags> = {}): Promise<number> {
  const sub = subshellState(state);
  sub.env = { ...env };
  sub.arrays = new Map();
  sub.functions = new Map();
  sub.positional = args;
  sub.name = name;
  sub.arg0 = name;
  sub.callDepth = 0;
  sub.loopDepth = 0;
  sub.locals = [];
  sub.flags = { ...defaultFlags(), ...flags };
  return run.isolated(() => run.script(src.replace(/^#!.*\n/, '\n'), sub, io), sub, io);
}

function reapJobs(state: ShellState, io: Io): void {
  state.jobs.reap((line) => shellError(state, io.stderr, line));
}

async function callFunction(fn: FunctionDef, argv: string[], state: ShellState, io: Io, run: Runner): Promise<number> {
  if (state.callDepth >= MAX_CALL_DEPTH) {
    shellError(state, io.stderr, `${fn.name}: maximum function nesting level exceeded (${MAX_CALL_DEPTH})`);
    return 1;
  }
  const saved = { positional: state.positional, loopDepth: state.loopDepth };
  state.positional = argv.slice(1);
  state.loopDepth = 0;
  state.callDepth++;
  state.locals.push(new Map());
  try {
    return await run.command(fn.body, state, io);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    for (const [k, saved] of state.locals.pop()!) restoreVar(state, k, saved);
    state.positional = saved.positional;
    state.loopDepth = saved.loopDepth;
    state.callDepth--;
  }
}
