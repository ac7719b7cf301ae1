/**
 * Runs a parsed command line: and-or lists, pipelines (sequentially, each stage getting the
 * previous stage's whole stdout), redirections, assignments, builtins and table commands.
 */
import type { Command, CommandContext, CommandTable, System } from '../command.ts';
import { FsError, resolvePath, type FileSystem } from '../../host/sim/fs.ts';
import type { AndOr, CommandNode, List, Pipeline, Redirect, SimpleCommand } from './ast.ts';
import { expandString, expandWord, type ExpandEnv } from './expand.ts';
import { BUILTINS, type Builtin } from './builtins.ts';

/** Everything a running shell owns; `cd`, `export` and assignments change it. */
export interface ShellState {
  commands: CommandTable;
  fs: FileSystem;
  sys: System;
  cwd: string;
  env: Record<string, string>;
  lastStatus: number;
  /** Set by `exit`: stop running and return this status. */
  exitStatus?: number;
  /** Runs a nested script in this state (for `$(...)`); provided by the entry point. */
  runScript(src: string, state: ShellState, io: Io): Promise<number>;
}

export type Sink = (text: string) => void;

/** Where a command's fds point. Only 0, 1 and 2 exist. */
export interface Io {
  stdin: string;
  stdout: Sink;
  stderr: Sink;
}

const discard: Sink = () => {};

/** Thrown by a failed redirection: the command is not run and its status is 1. */
class RedirectError extends Error {}

export async function runList(list: List, state: ShellState, io: Io): Promise<number> {
  for (const item of list) {
    await runAndOr(item, state, io);
    if (state.exitStatus !== undefined) break;
  }
  return state.lastStatus;
}

async function runAndOr(node: AndOr, state: ShellState, io: Io): Promise<void> {
  state.lastStatus = await runPipeline(node.first, state, io);
  for (const { op, pipeline } of node.rest) {
    if (state.exitStatus !== undefined) return;
    if ((op === '&&') === (state.lastStatus === 0)) state.lastStatus = await runPipeline(pipeline, state, io);
  }
}

async function runPipeline(p: Pipeline, state: ShellState, io: Io): Promise<number> {
  let input = io.stdin;
  let status = 0;
  for (let k = 0; k < p.commands.length; k++) {
    const last = k === p.commands.length - 1;
    let captured = '';
    const stageIo: Io = { stdin: input, stdout: last ? io.stdout : (t) => (captured += t), stderr: io.stderr };
    // Every stage but a lone command runs in a subshell, as in bash: `cd` or `exit` there do not
    // affect this shell.
    const stageState = p.commands.length > 1 ? subshellState(state) : state;
    status = await runCommand(p.commands[k], stageState, stageIo);
    input = captured;
  }
  return p.negate ? (status === 0 ? 1 : 0) : status;
}

function subshellState(state: ShellState): ShellState {
  return { ...state, env: { ...state.env }, exitStatus: undefined };
}

function expandEnv(state: ShellState, io: Io): ExpandEnv {
  return {
    vars: state.env,
    lastStatus: state.lastStatus,
    substitute: async (script) => {
      let out = '';
      const sub = subshellState(state);
      await state.runScript(script, sub, { stdin: io.stdin, stdout: (t) => (out += t), stderr: io.stderr });
      state.lastStatus = sub.lastStatus;
      return out;
    },
  };
}

async function runCommand(node: CommandNode, state: ShellState, io: Io): Promise<number> {
  const flushes: (() => void)[] = [];
  try {
    if (node.type === 'simple') return await runSimple(node, state, io, flushes);
    const rio = await applyRedirects(node.redirects, state, io, flushes);
    if (node.type === 'group') return await runList(node.body, state, rio);
    const sub = subshellState(state);
    return await runList(node.body, sub, rio);
  } catch (e) {
    if (e instanceof RedirectError) {
      io.stderr(`bash: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    for (const f of flushes) f();
  }
}

async function runSimple(cmd: SimpleCommand, state: ShellState, io: Io, flushes: (() => void)[]): Promise<number> {
  const env = expandEnv(state, io);
  const argv: string[] = [];
  for (const w of cmd.words) argv.push(...(await expandWord(w, env)));
  const assigned: Record<string, string> = {};
  for (const a of cmd.assigns) assigned[a.name] = await expandString(a.value, env);
  const rio = await applyRedirects(cmd.redirects, state, io, flushes);

  if (!argv.length) {
    // Bare assignments set shell variables (every variable is exported: there is no separate set).
    Object.assign(state.env, assigned);
    // The status is that of the last command substitution, if any ran, else 0.
    return cmd.words.length || cmd.assigns.some((a) => a.value.some((p) => p.kind === 'cmdsub')) ? state.lastStatus : 0;
  }

  const name = argv[0];
  const builtin: Builtin | undefined = BUILTINS.get(name);
  const ctx: CommandContext = {
    argv,
    stdin: rio.stdin,
    stdout: rio.stdout,
    stderr: rio.stderr,
    fs: state.fs,
    cwd: state.cwd,
    env: { ...state.env, ...assigned },
    sys: state.sys,
    exec: (args, opts = {}) => runProgram(args, childState(state, opts.sys), { stdin: opts.stdin ?? rio.stdin, stdout: opts.stdout ?? rio.stdout, stderr: opts.stderr ?? rio.stderr }),
    exists: (prog) => state.commands.has(prog.slice(prog.lastIndexOf('/') + 1)),
  };
  if (builtin) return await builtin(ctx, state);

  return runProgram(argv, state, rio, ctx);
}

/** The state a child program runs in: another System (namespace) brings its own view of /proc and /sys. */
function childState(state: ShellState, sys: System | undefined): ShellState {
  if (!sys || sys === state.sys) return state;
  return { ...state, sys, fs: sys.files?.() ?? state.fs };
}

/**
 * Runs a program from the command table (not a builtin): what execvp does for the shell and for
 * commands that run others (`ip netns exec`, `nsenter`, `xargs`).
 */
async function runProgram(argv: string[], state: ShellState, rio: Io, given?: CommandContext): Promise<number> {
  const name = argv[0];
  const ctx: CommandContext = given ?? {
    argv,
    stdin: rio.stdin,
    stdout: rio.stdout,
    stderr: rio.stderr,
    fs: state.fs,
    cwd: state.cwd,
    env: { ...state.env },
    sys: state.sys,
    exec: (args, opts = {}) => runProgram(args, childState(state, opts.sys), { stdin: opts.stdin ?? rio.stdin, stdout: opts.stdout ?? rio.stdout, stderr: opts.stderr ?? rio.stderr }),
    exists: (prog) => state.commands.has(prog.slice(prog.lastIndexOf('/') + 1)),
  };
  const command: Command | undefined = state.commands.get(name.slice(name.lastIndexOf('/') + 1));
  if (!command) {
    rio.stderr(name.includes('/') ? `bash: ${name}: No such file or directory\n` : `bash: ${name}: command not found\n`);
    return 127;
  }
  try {
    return await command(ctx);
  } catch (e) {
    // A command that throws behaves like a crashed process: a message and a failure status.
    if (e instanceof FsError) {
      rio.stderr(`${name}: ${e.message}\n`);
      return 1;
    }
    rio.stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/**
 * Applies redirections left to right, so `>f 2>&1` sends both to f while `2>&1 >f` does not.
 * Output files are truncated when opened (as the kernel does) and written when the command ends.
 */
async function applyRedirects(redirects: Redirect[], state: ShellState, io: Io, flushes: (() => void)[]): Promise<Io> {
  if (!redirects.length) return io;
  const fds: (Sink | undefined)[] = [undefined, io.stdout, io.stderr];
  let stdin = io.stdin;
  const env = expandEnv(state, io);
  for (const r of redirects) {
    if (r.op === '<<<') {
      stdin = (await expandString(r.target, env)) + '\n';
      continue;
    }
    const fields = await expandWord(r.target, env);
    if (fields.length !== 1) throw new RedirectError(`${r.target.map((p) => (p.kind === 'lit' ? p.text : '$' + (p.kind === 'param' ? p.name : '(...)'))).join('')}: ambiguous redirect`);
    const target = fields[0];
    if (r.fd > 2) continue; // no such descriptors here; accept and ignore
    if (r.op === '>&' || r.op === '<&') {
      if (target === '-') fds[r.fd] = discard;
      else if (/^[12]$/.test(target)) {
        if (r.fd === 0) throw new RedirectError(`${target}: Bad file descriptor`);
        fds[r.fd] = fds[Number(target)];
      } else if (target === '0' && r.fd === 0) continue;
      else if (r.op === '>&' && r.fd === 1 && !/^\d+$/.test(target)) {
        // `>&file` is bash's old spelling of `&>file`.
        const sink = openOut(target, false, state, fds, flushes);
        fds[1] = sink;
        fds[2] = sink;
      } else throw new RedirectError(`${target}: Bad file descriptor`);
      continue;
    }
    if (r.op === '<') {
      stdin = readIn(target, state, io);
      continue;
    }
    const append = r.op === '>>' || r.op === '&>>';
    const sink = openOut(target, append, state, fds, flushes);
    if (r.op === '&>' || r.op === '&>>') {
      fds[1] = sink;
      fds[2] = sink;
    } else if (r.fd === 0) continue;
    else fds[r.fd] = sink;
  }
  return { stdin, stdout: fds[1] ?? discard, stderr: fds[2] ?? discard };
}

function readIn(target: string, state: ShellState, io: Io): string {
  const path = resolvePath(state.cwd, target);
  if (path === '/dev/null') return '';
  if (path === '/dev/stdin') return io.stdin;
  if (state.fs.isDir(path)) throw new RedirectError(`${target}: Is a directory`);
  const data = state.fs.read(path);
  if (data === undefined) throw new RedirectError(`${target}: No such file or directory`);
  return data;
}

/** Opens an output file: truncates now (unless appending) and buffers writes until the command ends. */
function openOut(target: string, append: boolean, state: ShellState, fds: (Sink | undefined)[], flushes: (() => void)[]): Sink {
  const path = resolvePath(state.cwd, target);
  if (path === '/dev/null') return discard;
  if (path === '/dev/stdout' || path === '/dev/fd/1') return fds[1] ?? discard;
  if (path === '/dev/stderr' || path === '/dev/fd/2') return fds[2] ?? discard;
  if (path === '/dev/tty') return fds[1] ?? discard;
  if (state.fs.isDir(path)) throw new RedirectError(`${target}: Is a directory`);
  try {
    if (!append || !state.fs.exists(path)) state.fs.write(path, '');
  } catch (e) {
    if (e instanceof FsError) throw new RedirectError(`${target}: ${e.message.slice(e.path.length + 2)}`);
    throw e;
  }
  let buffer = '';
  flushes.push(() => {
    if (buffer) state.fs.append(path, buffer);
    buffer = '';
  });
  return (t) => {
    buffer += t;
  };
}
