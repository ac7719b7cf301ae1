/**
 * Runs parsed scripts: lists (starting `&` items as background jobs), and-or chains with `set -e`,
 * pipelines (stage by stage, each getting the previous one's whole output), simple commands
 * (functions, builtins, the host's commands, script files) and compound commands via compound.ts.
 */
import type { Command, CommandContext, System } from '../command.ts';
import { FsError, resolvePath } from '../../host/sim/fs.ts';
import type { AndOr, CommandNode, FunctionDef, List, Pipeline, SimpleCommand } from './ast.ts';
import { BUILTINS, REAPS_JOBS } from './builtins.ts';
import { restoreVar } from './arrays.ts';
import { braceExpand } from './brace.ts';
import { checkKilled, runCompound, type Runner } from './compound.ts';
import { expandFields, expandString, ExpansionError, type Expander } from './expand.ts';
import { backgroundSystem } from './jobs.ts';
import { ShellSyntaxError } from './lexer.ts';
import { assignment, Script } from './parser.ts';
import { printAndOr } from './print.ts';
import { applyRedirects, RedirectError } from './redirect.ts';
import {
  BreakSignal, ContinueSignal, defaultFlags, ExitSignal, Input, ReturnSignal, shellError, shellQuote, subshellState,
  type BuiltinContext, type Io, type ShellFlags, type ShellState,
} from './state.ts';

/** Builtins whose `NAME=value` arguments are assignments (expanded without splitting or globbing). */
const DECLARATIONS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

/** bash's default FUNCNEST is unlimited; this only keeps runaway recursion from exhausting memory. */
const MAX_CALL_DEPTH = 2000;

const runner: Runner = { list: runList, isolated, expander };

export async function runList(list: List, state: ShellState, io: Io): Promise<number> {
  let status = 0;
  for (const item of list) {
    if (item.background) {
      startJob(item, state, io);
      status = 0;
    } else status = await runAndOr(item, state, io);
  }
  return list.length ? status : state.lastStatus;
}

/** Parses and runs script text line by line; a syntax error ends it with status 2. */
export async function runScript(src: string, state: ShellState, io: Io, baseLine = 1): Promise<number> {
  let script: Script;
  try {
    script = new Script(src, baseLine);
    for (const w of script.warnings) io.stderr(`${state.name}: ${w}\n`);
    while (true) {
      const list = script.next();
      if (!list) break;
      await runList(list, state, io);
    }
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    io.stderr(`${state.name}: ${e.message}\n`);
    state.lastStatus = 2;
    return 2;
  }
  return state.lastStatus;
}

/**
 * Runs `fn` as a separate (sub)shell with state `sub`: `exit` (and a stray break or return) ends
 * only it, and its EXIT trap runs when it ends.
 */
export async function isolated(fn: () => Promise<number>, sub: ShellState, io: Io): Promise<number> {
  let status: number;
  try {
    status = await fn();
  } catch (e) {
    if (e instanceof ExitSignal) status = e.status;
    else if (e instanceof ReturnSignal) status = e.status;
    else if (e instanceof BreakSignal || e instanceof ContinueSignal) status = sub.lastStatus;
    else throw e;
  }
  sub.lastStatus = status;
  return runExitTrap(sub, io, status);
}

/** Runs the EXIT trap, if any, once; the status stays that of the shell unless the trap exits. */
export async function runExitTrap(state: ShellState, io: Io, status: number): Promise<number> {
  const action = state.traps.get('EXIT');
  if (action === undefined) return status;
  state.traps.delete('EXIT');
  try {
    await runScript(action, state, io);
  } catch (e) {
    if (e instanceof ExitSignal) return e.status;
    throw e;
  }
  return status;
}

function startJob(item: AndOr, state: ShellState, io: Io): void {
  state.jobs.start(printAndOr(item), async (signal) => {
    const sub = subshellState(state);
    sub.signal = signal;
    sub.sys = backgroundSystem(state.sys);
    // A killed job's commands may run on a little; nothing they print is seen.
    const live = (sink: (t: string) => void) => (t: string) => {
      if (!signal.aborted) sink(t);
    };
    const jio: Io = { stdin: new Input(''), stdout: live(io.stdout), stderr: live(io.stderr) };
    try {
      return await isolated(() => runAndOr({ ...item, background: false }, sub, jio), sub, jio);
    } catch (e) {
      // A bug in a command must not become an unhandled rejection in the background.
      jio.stderr(`${state.name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  });
  state.lastStatus = 0;
}

async function runAndOr(node: AndOr, state: ShellState, io: Io): Promise<number> {
  const n = node.rest.length;
  let status = await runChecked(node.first, state, io, n > 0);
  for (let k = 0; k < n; k++) {
    const { op, pipeline } = node.rest[k];
    if ((op === '&&') === (status === 0)) status = await runChecked(pipeline, state, io, k < n - 1);
  }
  return status;
}

/** Runs a pipeline and applies `set -e` to it unless it is `exempt` (not the last of an and-or chain). */
async function runChecked(p: Pipeline, state: ShellState, io: Io, exempt: boolean): Promise<number> {
  if (exempt) state.errexitOff++;
  let status: number;
  try {
    status = await runPipeline(p, state, io);
  } finally {
    if (exempt) state.errexitOff--;
  }
  state.lastStatus = status;
  if (status !== 0 && !exempt && !p.negate && state.flags.errexit && state.errexitOff === 0) {
    // bash does not exit for a failing if, loop, case or group: only for what failed inside it.
    const last = p.commands[p.commands.length - 1];
    if (last.type === 'simple' || last.type === 'subshell' || last.type === 'arith' || last.type === 'cond') throw new ExitSignal(status);
  }
  return status;
}

/** `time`: the (virtual) time the pipeline took, on the shell's stderr. The CPU times are zero here. */
async function timed(p: Pipeline, state: ShellState, io: Io): Promise<number> {
  const start = state.sys.now();
  const status = await runPipeline({ ...p, time: undefined }, state, io);
  const secs = (state.sys.now() - start) / 1000;
  if (p.time === 'posix') io.stderr(`real ${secs.toFixed(2)}\nuser 0.00\nsys 0.00\n`);
  else io.stderr(`\nreal\t${Math.floor(secs / 60)}m${(secs % 60).toFixed(3)}s\nuser\t0m0.000s\nsys\t0m0.000s\n`);
  return status;
}

async function runPipeline(p: Pipeline, state: ShellState, io: Io): Promise<number> {
  if (p.time) return timed(p, state, io);
  let status: number;
  if (p.commands.length === 1) status = await runCommand(p.commands[0], state, io);
  else {
    let input = io.stdin;
    const statuses: number[] = [];
    for (let k = 0; k < p.commands.length; k++) {
      const last = k === p.commands.length - 1;
      let captured = '';
      const capture = (t: string) => {
        captured += t;
      };
      const stageIo: Io = { stdin: input, stdout: last ? io.stdout : capture, stderr: !last && p.stderrToo[k] ? capture : io.stderr };
      // Every stage runs in a subshell, as in bash: `cd` or `exit` there do not affect this shell.
      const sub = subshellState(state);
      statuses.push(await isolated(() => runCommand(p.commands[k], sub, stageIo), sub, stageIo));
      input = new Input(captured);
    }
    status = statuses[statuses.length - 1];
    if (state.flags.pipefail) status = [...statuses].reverse().find((s) => s !== 0) ?? 0;
  }
  return p.negate ? (status === 0 ? 1 : 0) : status;
}

export function expander(state: ShellState, io: Io): Expander {
  return {
    state,
    substitute: async (script, line) => {
      let out = '';
      const sub = subshellState(state);
      sub.traceLevel++;
      const sio: Io = {
        stdin: io.stdin,
        stdout: (t) => {
          out += t;
        },
        stderr: io.stderr,
      };
      state.lastStatus = await isolated(() => runScript(script, sub, sio, line), sub, sio);
      return out;
    },
  };
}

/** Prints a fatal expansion error and ends the (sub)shell, as bash does in a script. */
function fatal(state: ShellState, io: Io, e: ExpansionError): never {
  shellError(state, io.stderr, e.message);
  throw new ExitSignal(e.status);
}

export async function runCommand(node: CommandNode, state: ShellState, io: Io): Promise<number> {
  if (node.type === 'simple') return runSimple(node, state, io);
  state.line = node.line;
  if (node.type === 'function') {
    state.functions.set(node.name, node);
    return 0;
  }
  checkKilled(state);
  try {
    const rio = await applyRedirects(node.redirects, expander(state, io), io);
    return await runCompound(node, state, rio, runner);
  } catch (e) {
    if (e instanceof RedirectError) {
      shellError(state, io.stderr, e.message);
      return 1;
    }
    if (e instanceof ExpansionError) fatal(state, io, e);
    throw e;
  }
}

/** Expands a command's words; `export x=$y` and the like keep assignment-style arguments whole. */
async function expandArgs(cmd: SimpleCommand, ex: Expander): Promise<string[]> {
  const argv: string[] = [];
  let declaration = false;
  for (let k = 0; k < cmd.words.length; k++) {
    const a = declaration ? assignment(cmd.words[k]) : undefined;
    if (a) {
      argv.push(`${a.name}${a.append ? '+=' : '='}${await expandString(a.value, ex)}`);
      continue;
    }
    for (const w of braceExpand(cmd.words[k])) argv.push(...(await expandFields(w, ex)));
    if (k === 0) declaration = DECLARATIONS.has(argv[0] ?? '');
  }
  return argv;
}

function trace(state: ShellState, io: Io, words: string[]): void {
  if (state.flags.xtrace) io.stderr(`${'+'.repeat(state.traceLevel + 1)} ${words.join(' ')}\n`);
}

async function runSimple(cmd: SimpleCommand, state: ShellState, io: Io): Promise<number> {
  state.line = cmd.line;
  checkKilled(state);
  const ex = expander(state, io);
  try {
    let argv: string[];
    const assigned: [string, string][] = [];
    try {
      argv = await expandArgs(cmd, ex);
      for (const a of cmd.assigns) {
        const v = await expandString(a.value, ex);
        assigned.push([a.name, a.append ? (state.env[a.name] ?? '') + v : v]);
      }
    } catch (e) {
      if (e instanceof ExpansionError) fatal(state, io, e);
      throw e;
    }
    const rio = await applyRedirects(cmd.redirects, ex, io);
    for (const [k, v] of assigned) trace(state, io, [`${k}=${shellQuote(v)}`]);
    if (!argv.length) {
      // Bare assignments set shell variables; the status is that of the last command substitution.
      for (const [k, v] of assigned) state.env[k] = v;
      const substituted = cmd.assigns.some((a) => a.value.some((p) => p.kind === 'cmdsub')) || cmd.words.length > 0;
      return substituted ? state.lastStatus : 0;
    }
    trace(state, io, argv.map(shellQuote));
    return await runArgv(argv, assigned, state, rio, { functions: true });
  } catch (e) {
    if (e instanceof RedirectError) {
      shellError(state, io.stderr, e.message);
      return 1;
    }
    if (e instanceof ExpansionError) fatal(state, io, e);
    throw e;
  }
}

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

function commandContext(argv: string[], env: Record<string, string>, state: ShellState, io: Io): CommandContext {
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
      return isolated(() => runArgv(args, [], child, cio, {}), child, cio);
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

function builtinContext(argv: string[], env: Record<string, string>, state: ShellState, io: Io): BuiltinContext {
  const ctx = commandContext(argv, env, state, io) as BuiltinContext;
  ctx.io = io;
  ctx.runArgv = (av, aio, opts) => runArgv(av, [], state, aio, opts ?? {});
  ctx.runScript = (src, sio) => runScript(src, state, sio);
  ctx.runNewShell = (src, name, args, sio, flags) => runScriptFile(src, name, args, state.env, state, sio, flags);
  ctx.isBuiltin = (name) => BUILTINS.has(name);
  return ctx;
}

/** Runs an expanded command: a function, a builtin, one of the host's commands or a script file. */
async function runArgv(argv: string[], assigned: [string, string][], state: ShellState, io: Io, opts: { functions?: boolean; quiet?: boolean }): Promise<number> {
  const name = argv[0];
  const fn = opts.functions ? state.functions.get(name) : undefined;
  if (fn) return withTempVars(state, assigned, () => callFunction(fn, argv, state, io));
  const builtin = BUILTINS.get(name);
  if (builtin) {
    const status = await withTempVars(state, assigned, async () => builtin(builtinContext(argv, { ...state.env }, state, io), state));
    if (REAPS_JOBS.has(name)) reapJobs(state, io);
    return status;
  }
  const env = { ...state.env, ...Object.fromEntries(assigned) };
  const command: Command | undefined = state.commands.get(name.slice(name.lastIndexOf('/') + 1));
  if (command) {
    const status = await runTableCommand(command, name, commandContext(argv, env, state, io), io);
    reapJobs(state, io);
    return status;
  }
  if (name.includes('/')) {
    const path = resolvePath(state.cwd, name);
    const src = state.fs.read(path);
    if (src !== undefined) return runScriptFile(src, name, argv.slice(1), env, state, io);
    if (opts.quiet) return 127;
    shellError(state, io.stderr, `${name}: ${state.fs.isDir(path) ? 'Is a directory' : 'No such file or directory'}`);
    return state.fs.isDir(path) ? 126 : 127;
  }
  if (!opts.quiet) shellError(state, io.stderr, `${name}: command not found`);
  return 127;
}

async function runTableCommand(command: Command, name: string, ctx: CommandContext, io: Io): Promise<number> {
  try {
    return await command(ctx);
  } catch (e) {
    // A command that throws behaves like a crashed process: a message and a failure status.
    const msg = e instanceof FsError || e instanceof Error ? e.message : String(e);
    io.stderr(`${name}: ${msg}\n`);
    return 1;
  }
}

/** Runs a script file as a new bash would: its own variables (copied), functions, options and `$0`. */
export async function runScriptFile(src: string, name: string, args: string[], env: Record<string, string>, state: ShellState, io: Io, flags: Partial<ShellFlags> = {}): Promise<number> {
  const sub = subshellState(state);
  sub.env = { ...env };
  sub.functions = new Map();
  sub.positional = args;
  sub.name = name;
  sub.arg0 = name;
  sub.callDepth = 0;
  sub.loopDepth = 0;
  sub.locals = [];
  sub.flags = { ...defaultFlags(), ...flags };
  return isolated(() => runScript(src.replace(/^#!.*\n/, '\n'), sub, io), sub, io);
}

function reapJobs(state: ShellState, io: Io): void {
  state.jobs.reap((line) => shellError(state, io.stderr, line));
}

export async function callFunction(fn: FunctionDef, argv: string[], state: ShellState, io: Io): Promise<number> {
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
    return await runCommand(fn.body, state, io);
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
