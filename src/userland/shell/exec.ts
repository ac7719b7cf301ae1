/**
 * Runs parsed scripts: lists (starting `&` items as background jobs), and-or chains with `set -e`,
 * pipelines (stage by stage, each getting the previous one's whole output), simple commands (their
 * expansion and assignments; commands.ts runs what they name) and compound commands (compound.ts).
 */
import type { AndOr, CommandNode, List, Pipeline, SimpleCommand } from './ast.ts';
import { ARRAY_MARK, assignArray, encodeItems, setScalar } from './arrays.ts';
import { braceExpand } from './brace.ts';
import { runArgv } from './commands.ts';
import { checkKilled, runCompound } from './compound.ts';
import { assignElement, expandArrayItems, expandFields, expandString, ExpansionError, type Expander } from './expand.ts';
import { backgroundSystem } from './jobs.ts';
import { ShellSyntaxError } from './lexer.ts';
import { assignment, Script } from './parser.ts';
import { printAndOr } from './print.ts';
import { applyRedirects, RedirectError } from './redirect.ts';
import {
  BreakSignal, ContinueSignal, ExitSignal, getVar, Input, ReturnSignal, shellError, shellQuote, subshellState, withExecFds,
  type Io, type Runner, type ShellState,
} from './state.ts';

/** Builtins whose `NAME=value` arguments are assignments (expanded without splitting or globbing). */
const DECLARATIONS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

const runner: Runner = { list: runList, command: runCommand, script: runScript, isolated, expander };

export async function runList(list: List, state: ShellState, io: Io): Promise<number> {
  let status = 0;
  for (const item of list) {
    if (item.background) {
      startJob(item, state, withExecFds(io, state));
      status = 0;
    } else status = await runAndOr(item, state, withExecFds(io, state));
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

/**
 * Expands a command's words. After `export`, `local` and the like, `x=$y` arguments stay whole
 * (no splitting or globbing), and `a=(...)` reaches the builtin as ARRAY_MARK + its encoded items.
 */
async function expandArgs(cmd: SimpleCommand, ex: Expander): Promise<string[]> {
  const argv: string[] = [];
  let declaration = false;
  for (let k = 0; k < cmd.words.length; k++) {
    const a = declaration ? assignment(cmd.words[k]) : undefined;
    if (a) {
      const op = a.append ? '+=' : '=';
      const arr = a.value.length === 1 && a.value[0].kind === 'array' ? a.value[0] : undefined;
      if (arr) {
        const assoc = argv.some((x) => /^-[a-zA-Z]*A/.test(x));
        argv.push(`${a.name}${op}${ARRAY_MARK}${encodeItems(await expandArrayItems(arr.items, assoc, ex))}`);
      } else argv.push(`${a.name}${op}${await expandString(a.value, ex)}`);
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
    const argv = await expandArgs(cmd, ex);
    if (!argv.length) return await assignOnly(cmd, ex, io);
    if (argv.length === 1 && argv[0] === 'exec') return await execRedirects(cmd, ex, io);
    const assigned: [string, string][] = [];
    for (const a of cmd.assigns) {
      const v = await expandString(a.value, ex);
      assigned.push([a.name, a.append ? (getVar(state, a.name) ?? '') + v : v]);
    }
    const rio = await applyRedirects(cmd.redirects, ex, io);
    for (const [k, v] of assigned) trace(state, io, [`${k}=${shellQuote(v)}`]);
    trace(state, io, argv.map(shellQuote));
    return await runArgv(argv, assigned, state, rio, { functions: true }, runner);
  } catch (e) {
    if (e instanceof RedirectError) {
      shellError(state, io.stderr, e.message);
      return 1;
    }
    if (e instanceof ExpansionError) fatal(state, io, e);
    throw e;
  }
}

/** `exec` with only redirections: they stay in force for the rest of this shell (`exec >log 2>&1`). */
async function execRedirects(cmd: SimpleCommand, ex: Expander, io: Io): Promise<number> {
  const rio = await applyRedirects(cmd.redirects, ex, io);
  const fds = ex.state.execFds;
  if (rio.stdin !== io.stdin) fds.set(io.stdin, rio.stdin);
  if (rio.stdout !== io.stdout) fds.set(io.stdout, rio.stdout);
  if (rio.stderr !== io.stderr) fds.set(io.stderr, rio.stderr);
  return 0;
}

/**
 * A command that is only assignments (and redirections): they set shell variables, left to right
 * so each sees the ones before. The status is that of the last command substitution, else 0.
 */
async function assignOnly(cmd: SimpleCommand, ex: Expander, io: Io): Promise<number> {
  const state = ex.state;
  await applyRedirects(cmd.redirects, ex, io);
  for (const a of cmd.assigns) {
    const arr = a.value.length === 1 && a.value[0].kind === 'array' ? a.value[0] : undefined;
    if (arr) {
      const items = await expandArrayItems(arr.items, state.arrays.get(a.name)?.assoc ?? false, ex);
      trace(state, io, [`${a.name}=(${items.map((it) => shellQuote(it.value)).join(' ')})`]);
      assignArray(state, a.name, items, a.append);
      continue;
    }
    const v = await expandString(a.value, ex);
    trace(state, io, [`${a.name}${a.index ? '[...]' : ''}=${shellQuote(v)}`]);
    if (a.index) await assignElement(a.name, a.index, v, a.append, ex);
    else setScalar(state, a.name, a.append ? (getVar(state, a.name) ?? '') + v : v);
  }
  const substituted = cmd.words.length > 0 || cmd.assigns.some((a) => a.value.some((p) => p.kind === 'cmdsub'));
  return substituted ? state.lastStatus : 0;
}
