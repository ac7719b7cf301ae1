/**
 * What a running shell owns (variables, functions, options, jobs...), the streams a command gets,
 * and the signals thrown to unwind control flow (break, continue, return, exit).
 */
import type { CommandContext, CommandTable, System } from '../command.ts';
import type { FileSystem } from '../../host/sim/fs.ts';
import type { CommandNode, FunctionDef, List } from './ast.ts';
import type { Expander } from './expand.ts';
import { copyArrays, scalarOf, type SavedVar, type ShellArray } from './arrays.ts';
import type { JobTable } from './jobs.ts';

export type Sink = (text: string) => void;

/**
 * A stream of input text that the commands reading it share, each taking what it reads: `read`
 * takes a line, anything else takes the rest (as `cat` would), so `while read l` walks a file.
 */
export class Input {
  private pos = 0;
  constructor(private readonly text: string) {}

  rest(): string {
    const r = this.text.slice(this.pos);
    this.pos = this.text.length;
    return r;
  }

  /** Text up to `delim` (consumed, not returned); undefined at the end of input. */
  readUntil(delim: string): { text: string; complete: boolean } | undefined {
    if (this.pos >= this.text.length) return undefined;
    const at = delim === '' ? this.text.indexOf('\0', this.pos) : this.text.indexOf(delim, this.pos);
    if (at < 0) return { text: this.rest(), complete: false };
    const text = this.text.slice(this.pos, at);
    this.pos = at + Math.max(1, delim.length);
    return { text, complete: true };
  }

  /** Up to `n` characters. */
  read(n: number): string {
    const r = this.text.slice(this.pos, this.pos + n);
    this.pos += r.length;
    return r;
  }
}

/** Where a command's fds point. Only 0, 1 and 2 exist. */
export interface Io {
  stdin: Input;
  stdout: Sink;
  stderr: Sink;
}

/** `set -e`, `-u`, `-x`, `-f`, `-o pipefail`, `-C`, and `shopt -s nullglob`. */
export interface ShellFlags {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  noglob: boolean;
  pipefail: boolean;
  noclobber: boolean;
  nullglob: boolean;
}

export function defaultFlags(): ShellFlags {
  return { errexit: false, nounset: false, xtrace: false, noglob: false, pipefail: false, noclobber: false, nullglob: false };
}

export interface ShellState {
  commands: CommandTable;
  fs: FileSystem;
  sys: System;
  cwd: string;
  /** Variables (every one is exported: there is no separate set of shell-only variables). */
  env: Record<string, string>;
  /** Array variables (never exported). */
  arrays: Map<string, ShellArray>;
  lastStatus: number;
  functions: Map<string, FunctionDef>;
  positional: string[];
  flags: ShellFlags;
  jobs: JobTable;
  /** `trap` actions by signal name (only EXIT is ever run). */
  traps: Map<string, string>;
  /** The name messages start with: `bash`, or the path of the script being run or sourced. */
  name: string;
  /** `$0`: `bash`, or the script's path (a sourced file does not change it). */
  arg0: string;
  /** Line of the command being run, for messages and $LINENO. */
  line: number;
  /** Loops around the running command in this function (break/continue need one). */
  loopDepth: number;
  /** Function calls (and sourced files) in progress: `return` needs one. */
  callDepth: number;
  /** Variables saved by `local`, one map per function call in progress. */
  locals: Map<string, SavedVar>[];
  /** Above zero while a failure must not trigger `set -e` (conditions, left of && and ||). */
  errexitOff: number;
  /** Command substitutions deep (the number of `+` in `set -x` output). */
  traceLevel: number;
  /** Set inside a background job: aborted when the job is killed. */
  signal?: AbortSignal;
  /** A program started (ShellOptions.onProgram); returns what to call when it ends. */
  onProgram?(argv: string[]): () => void;
  /** When the session started (host time, ms), for $SECONDS. */
  startedAt: number;
  /** $RANDOM: 0..32767 from a generator seeded per session, so runs repeat. */
  random(): number;
  /**
   * What `exec >file` (no command) did: each stream it replaced maps to its replacement, and
   * every later command of this shell that would use the old one gets the new one instead.
   */
  execFds: Map<Sink | Input, Sink | Input>;
}

/** The streams a command gets once `exec` redirections of its shell are applied. */
export function withExecFds(io: Io, state: ShellState): Io {
  if (!state.execFds.size) return io;
  const follow = <T extends Sink | Input>(x: T): T => {
    for (let k = 0; k < 10 && state.execFds.has(x); k++) x = state.execFds.get(x) as T;
    return x;
  };
  return { stdin: follow(io.stdin), stdout: follow(io.stdout), stderr: follow(io.stderr) };
}

/** A copy of the state for `( ... )`, pipeline stages, `$(...)` and jobs: changes do not come back. */
export function subshellState(state: ShellState): ShellState {
  return {
    ...state,
    env: { ...state.env },
    arrays: copyArrays(state.arrays),
    functions: new Map(state.functions),
    positional: [...state.positional],
    flags: { ...state.flags },
    jobs: state.jobs.forSubshell(),
    traps: new Map(),
    locals: state.locals.map((m) => new Map(m)),
    execFds: new Map(state.execFds),
  };
}

/** What builtins get beyond a command's context: the shell's streams and ways to run more shell. */
export interface BuiltinContext extends CommandContext {
  io: Io;
  /**
   * Runs argv as a command: a builtin or one of the host's commands, and a function only with
   * `functions` (as `command` and xargs do not). With `quiet`, an unknown command is status 127
   * without bash's message (xargs prints its own).
   */
  runArgv(argv: string[], io: Io, opts?: { functions?: boolean; quiet?: boolean }): Promise<number>;
  /** Parses and runs script text in this shell (eval, source). */
  runScript(src: string, io: Io): Promise<number>;
  /** Runs script text as a new bash process named `name` with arguments `args` (bash -c, bash FILE). */
  runNewShell(src: string, name: string, args: string[], io: Io, flags?: Partial<ShellFlags>): Promise<number>;
  isBuiltin(name: string): boolean;
}

export type Builtin = (ctx: BuiltinContext, state: ShellState) => number | Promise<number>;

/** The executor's entry points, handed to the modules it uses (so they need not import it back). */
export interface Runner {
  list(list: List, state: ShellState, io: Io): Promise<number>;
  command(node: CommandNode, state: ShellState, io: Io): Promise<number>;
  /** Parses and runs script text (starting at `baseLine`) in `state`. */
  script(src: string, state: ShellState, io: Io, baseLine?: number): Promise<number>;
  /** Runs `fn` as a subshell with `sub`: exit, return and stray break end only it. */
  isolated(fn: () => Promise<number>, sub: ShellState, io: Io): Promise<number>;
  expander(state: ShellState, io: Io): Expander;
}

/** Prints an error as bash does in a script: `bash: line 3: msg`. */
export function shellError(state: ShellState, sink: Sink, msg: string): void {
  sink(`${state.name}: line ${state.line}: ${msg}\n`);
}

export class BreakSignal {
  constructor(public levels: number) {}
}
export class ContinueSignal {
  constructor(public levels: number) {}
}
export class ReturnSignal {
  constructor(readonly status: number) {}
}
/** `exit`, a `set -e` failure, a fatal expansion error or a killed job: the (sub)shell ends. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** A variable's value, with the special parameters bash computes. */
export function getVar(state: ShellState, name: string): string | undefined {
  if (/^[0-9]+$/.test(name)) return name === '0' ? state.arg0 : state.positional[Number(name) - 1];
  switch (name) {
    case '?':
      return String(state.lastStatus);
    case '$':
      return String(state.jobs.shellPid);
    case '!':
      return state.jobs.lastPid === undefined ? undefined : String(state.jobs.lastPid);
    case '#':
      return String(state.positional.length);
    case '-':
      return flagLetters(state.flags);
    case '@':
    case '*':
      return state.positional.join(' ');
    case 'LINENO':
      return String(state.line);
  }
  const v = scalarOf(state, name);
  if (v !== undefined) return v;
  // Shell variables bash always has; scripts test $EUID to check they run as root.
  switch (name) {
    case 'EUID':
    case 'UID':
      return '0';
    case 'IFS':
      return ' \t\n';
    case 'PWD':
      return state.cwd;
    case 'SECONDS':
      return String(Math.floor((state.sys.now() - state.startedAt) / 1000));
    case 'RANDOM':
      return String(state.random());
    case 'BASHPID':
      return String(state.jobs.shellPid);
  }
  return undefined;
}

function flagLetters(f: ShellFlags): string {
  return (f.errexit ? 'e' : '') + (f.noglob ? 'f' : '') + 'h' + (f.nounset ? 'u' : '') + (f.xtrace ? 'x' : '') + 'B' + (f.noclobber ? 'C' : '');
}

/** The field separators: $IFS, or space, tab and newline when it is unset. */
export function ifsOf(state: ShellState): string {
  return state.env.IFS ?? ' \t\n';
}

/** Quotes a word the way `set -x` and `declare -p`-style listings print it. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_./:=@%+,^-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}
