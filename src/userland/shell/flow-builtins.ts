/**
 * Builtins that steer the shell: break, continue, return, exit, exec, eval, source, bash/sh,
 * command, type, trap and getopts.
 */
import { resolvePath } from '../../host/sim/fs.ts';
import { commandPath } from './paths.ts';
import { printCommand } from './print.ts';
import { parseSignal, signalName, signalTable } from './signals.ts';
import {
  BreakSignal, ContinueSignal, ExitSignal, ReturnSignal, shellError,
  type Builtin, type BuiltinContext, type ShellFlags, type ShellState,
} from './state.ts';

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', '{', '}', '!', '[[', ']]', 'coproc']);

function loopControl(kind: 'break' | 'continue'): Builtin {
  return (ctx, state) => {
    const arg = ctx.argv[1] ?? '1';
    if (!/^-?[0-9]+$/.test(arg)) {
      shellError(state, ctx.stderr, `${kind}: ${arg}: numeric argument required`);
      return 1;
    }
    const n = Number(arg);
    if (n < 1) {
      shellError(state, ctx.stderr, `${kind}: ${arg}: loop count out of range`);
      return 1;
    }
    if (state.loopDepth === 0) {
      shellError(state, ctx.stderr, `${kind}: only meaningful in a \`for', \`while', or \`until' loop`);
      return 0;
    }
    const levels = Math.min(n, state.loopDepth);
    throw kind === 'break' ? new BreakSignal(levels) : new ContinueSignal(levels);
  };
}

export const breakBuiltin = loopControl('break');
export const continueBuiltin = loopControl('continue');

export const returnBuiltin: Builtin = (ctx, state) => {
  if (state.callDepth === 0) {
    shellError(state, ctx.stderr, "return: can only `return' from a function or sourced script");
    return 2;
  }
  const arg = ctx.argv[1];
  if (arg !== undefined && !/^[+-]?[0-9]+$/.test(arg)) {
    shellError(state, ctx.stderr, `return: ${arg}: numeric argument required`);
    throw new ReturnSignal(2);
  }
  throw new ReturnSignal(arg === undefined ? state.lastStatus : ((Number(arg) % 256) + 256) % 256);
};

export const exit: Builtin = (ctx, state) => {
  const arg = ctx.argv[1];
  let status = state.lastStatus;
  if (arg !== undefined) {
    if (!/^[+-]?[0-9]+$/.test(arg)) {
      shellError(state, ctx.stderr, `exit: ${arg}: numeric argument required`);
      status = 2;
    } else status = ((Number(arg) % 256) + 256) % 256;
  }
  throw new ExitSignal(status);
};

/** `exec cmd`: runs cmd and the shell ends with its status. (`exec` with only redirections is exec.ts's.) */
export const exec: Builtin = async (ctx, state) => {
  const argv = ctx.argv.slice(1).filter((a, k) => !(k === 0 && a === '--'));
  if (!argv.length) return 0;
  const status = await ctx.runArgv(argv, ctx.io, { quiet: true });
  if (status === 127 && !ctx.isBuiltin(argv[0]) && !state.commands.has(argv[0])) {
    shellError(state, ctx.stderr, `exec: ${argv[0]}: not found`);
  }
  throw new ExitSignal(status);
};

export const evalBuiltin: Builtin = (ctx) => {
  const src = ctx.argv.slice(1).join(' ');
  return src.trim() === '' ? 0 : ctx.runScript(src, ctx.io);
};

/** `source FILE [args]` / `. FILE`: runs the file in this shell; `return` ends it. */
export const source: Builtin = async (ctx, state) => {
  const file = ctx.argv[1];
  if (file === undefined) {
    shellError(state, ctx.stderr, `${ctx.argv[0]}: filename argument required`);
    ctx.stderr(`${ctx.argv[0]}: usage: ${ctx.argv[0]} filename [arguments]\n`);
    return 2;
  }
  const path = file.includes('/') ? resolvePath(state.cwd, file) : (commandPath(file, state) ?? resolvePath(state.cwd, file));
  const src = state.fs.isDir(path) ? undefined : state.fs.read(path);
  if (src === undefined) {
    shellError(state, ctx.stderr, `${file}: ${state.fs.isDir(path) ? 'is a directory' : 'No such file or directory'}`);
    return 1;
  }
  const saved = { positional: state.positional, name: state.name, line: state.line };
  if (ctx.argv.length > 2) state.positional = ctx.argv.slice(2);
  state.name = file;
  state.callDepth++;
  try {
    return await ctx.runScript(src, ctx.io);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    state.callDepth--;
    state.name = saved.name;
    state.line = saved.line;
    if (ctx.argv.length > 2) state.positional = saved.positional;
  }
};

const SHELL_FLAGS: Record<string, keyof ShellFlags> = { e: 'errexit', u: 'nounset', x: 'xtrace', f: 'noglob', C: 'noclobber' };

/** `bash -c SCRIPT [NAME [ARGS]]`, `bash FILE [ARGS]`, or a script on stdin: a new shell process. */
export const bashBuiltin: Builtin = async (ctx, state) => {
  const args = ctx.argv.slice(1);
  const flags: Partial<ShellFlags> = {};
  let command = false;
  let fromStdin = false;
  while (args.length && /^[-+]/.test(args[0])) {
    const a = args.shift()!;
    if (a === '--' || a === '-') break;
    if (a === '--version') {
      ctx.stdout('GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n');
      return 0;
    }
    if (a.startsWith('--')) continue; // --norc, --noprofile, --posix...
    for (const c of a.slice(1)) {
      if (c === 'c') command = true;
      else if (c === 's') fromStdin = true;
      else if (c === 'o') {
        const name = args.shift();
        if (name === 'pipefail') flags.pipefail = a[0] === '-';
        else if (name === 'errexit' || name === 'nounset' || name === 'xtrace' || name === 'noglob') flags[name] = a[0] === '-';
      } else if (c in SHELL_FLAGS) flags[SHELL_FLAGS[c]] = a[0] === '-';
    }
  }
  const self = ctx.argv[0].slice(ctx.argv[0].lastIndexOf('/') + 1);
  if (command) {
    if (!args.length) {
      ctx.stderr(`${self}: -c: option requires an argument\n`);
      return 2;
    }
    const [src, name, ...rest] = args;
    return ctx.runNewShell(src, name ?? self, rest, ctx.io, flags);
  }
  if (args.length && !fromStdin) {
    const path = resolvePath(state.cwd, args[0]);
    const src = state.fs.isDir(path) ? undefined : state.fs.read(path);
    if (src === undefined) {
      ctx.stderr(`${self}: ${args[0]}: ${state.fs.isDir(path) ? 'Is a directory' : 'No such file or directory'}\n`);
      return state.fs.isDir(path) ? 126 : 127;
    }
    return ctx.runNewShell(src.replace(/^#!.*\n/, '\n'), args[0], args.slice(1), ctx.io, flags);
  }
  return ctx.runNewShell(ctx.io.stdin.rest(), self, args, ctx.io, flags);
};

type Kind = 'keyword' | 'function' | 'builtin' | 'file';

function kindOf(name: string, ctx: BuiltinContext, state: ShellState): { kind: Kind; path?: string } | undefined {
  if (KEYWORDS.has(name)) return { kind: 'keyword' };
  if (state.functions.has(name)) return { kind: 'function' };
  if (ctx.isBuiltin(name)) return { kind: 'builtin' };
  const path = name.includes('/') ? (state.fs.read(resolvePath(state.cwd, name)) !== undefined || state.commands.has(name.slice(name.lastIndexOf('/') + 1)) ? name : undefined) : commandPath(name, state);
  return path ? { kind: 'file', path } : undefined;
}

function describeKind(name: string, k: { kind: Kind; path?: string }, state: ShellState): string {
  switch (k.kind) {
    case 'keyword':
      return `${name} is a shell keyword\n`;
    case 'function':
      return `${name} is a function\n${printCommand(state.functions.get(name)!)}\n`;
    case 'builtin':
      return `${name} is a shell builtin\n`;
    default:
      return `${name} is ${k.path}\n`;
  }
}

export const type: Builtin = (ctx, state) => {
  const opts = ctx.argv.slice(1).filter((a) => /^-[aftpP]+$/.test(a)).join('');
  const names = ctx.argv.slice(1).filter((a) => !/^-[aftpP]+$/.test(a));
  let status = 0;
  for (const n of names) {
    const k = kindOf(n, ctx, state);
    if (!k) {
      if (!opts.includes('t') && !opts.includes('p') && !opts.includes('P')) shellError(state, ctx.stderr, `type: ${n}: not found`);
      status = 1;
    } else if (opts.includes('t')) ctx.stdout(`${k.kind}\n`);
    else if (opts.includes('p') || opts.includes('P')) {
      if (k.path) ctx.stdout(`${k.path}\n`);
    } else ctx.stdout(describeKind(n, k, state));
  }
  return status;
};

/** `command -v/-V NAME`, or `command NAME ARGS` (skips functions). */
export const command: Builtin = async (ctx, state) => {
  const args = ctx.argv.slice(1);
  let mode = '';
  while (args.length && /^-[pvV]+$/.test(args[0])) mode += args.shift()!;
  if (args[0] === '--') args.shift();
  if (mode.includes('v') || mode.includes('V')) {
    let status = 0;
    for (const n of args) {
      const k = kindOf(n, ctx, state);
      if (!k) {
        if (mode.includes('V')) shellError(state, ctx.stderr, `command: ${n}: not found`);
        status = 1;
      } else if (mode.includes('V')) ctx.stdout(describeKind(n, k, state));
      else ctx.stdout(`${k.path ?? n}\n`);
    }
    return status;
  }
  if (!args.length) return 0;
  return ctx.runArgv(args, ctx.io);
};

/** The name a trap is kept under: EXIT, or the signal's SIG name. */
function trapName(spec: string): string | undefined {
  if (spec === '0' || spec.toUpperCase() === 'EXIT') return 'EXIT';
  if (['ERR', 'DEBUG', 'RETURN'].includes(spec.toUpperCase())) return spec.toUpperCase();
  const n = parseSignal(spec);
  return n === undefined || n === 0 ? undefined : `SIG${signalName(n)}`;
}

export const trap: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '-l') {
    ctx.stdout(signalTable());
    return 0;
  }
  if (!args.length || args[0] === '-p') {
    const only = args.slice(1).map(trapName);
    for (const [name, action] of state.traps) {
      if (only.length && !only.includes(name)) continue;
      ctx.stdout(`trap -- '${action.replace(/'/g, "'\\''")}' ${name}\n`);
    }
    return 0;
  }
  if (args[0] === '--') args.shift();
  // `trap SIG...` with a first argument that is a signal number resets them; `trap - SIG...` too.
  const reset = args[0] === '-' || (args.length === 1) || /^[0-9]+$/.test(args[0]);
  const action = reset ? undefined : args[0];
  const specs = args[0] === '-' || !reset ? args.slice(1) : args;
  let status = 0;
  for (const s of specs) {
    const name = trapName(s);
    if (!name) {
      shellError(state, ctx.stderr, `trap: ${s}: invalid signal specification`);
      status = 1;
    } else if (action === undefined) state.traps.delete(name);
    else state.traps.set(name, action);
  }
  return status;
};

/** Where getopts is inside a cluster of options (`-abc`), per shell. */
const getoptsPos = new WeakMap<Record<string, string>, { optind: number; sub: number }>();

export const getopts: Builtin = (ctx, state) => {
  const [optstring, name, ...given] = ctx.argv.slice(1);
  if (name === undefined) {
    ctx.stderr('getopts: usage: getopts optstring name [arg ...]\n');
    return 2;
  }
  const args = ctx.argv.length > 3 ? given : state.positional;
  const silent = optstring.startsWith(':');
  let optind = Number(state.env.OPTIND ?? '1') || 1;
  let pos = getoptsPos.get(state.env);
  if (!pos || pos.optind !== optind) pos = { optind, sub: 0 };
  const done = () => {
    state.env[name] = '?';
    state.env.OPTIND = String(optind);
    getoptsPos.set(state.env, { optind, sub: 0 });
    return 1;
  };
  if (pos.sub === 0) {
    const arg = args[optind - 1];
    if (arg === undefined || !arg.startsWith('-') || arg === '-') return done();
    if (arg === '--') {
      optind++;
      return done();
    }
    pos.sub = 1;
  }
  const arg = args[optind - 1];
  const c = arg[pos.sub++];
  const at = c === ':' ? -1 : optstring.indexOf(c);
  const advance = () => {
    if (pos!.sub >= arg.length) {
      optind++;
      pos!.sub = 0;
    }
  };
  delete state.env.OPTARG;
  if (at < 0) {
    if (silent) state.env.OPTARG = c;
    else ctx.stderr(`${state.name}: illegal option -- ${c}\n`);
    state.env[name] = '?';
    advance();
  } else if (optstring[at + 1] === ':') {
    if (pos.sub < arg.length) {
      state.env.OPTARG = arg.slice(pos.sub);
      optind++;
      pos.sub = 0;
      state.env[name] = c;
    } else if (optind < args.length) {
      state.env.OPTARG = args[optind];
      optind += 2;
      pos.sub = 0;
      state.env[name] = c;
    } else {
      optind++;
      pos.sub = 0;
      if (silent) {
        state.env[name] = ':';
        state.env.OPTARG = c;
      } else {
        ctx.stderr(`${state.name}: option requires an argument -- ${c}\n`);
        state.env[name] = '?';
      }
    }
  } else {
    state.env[name] = c;
    advance();
  }
  state.env.OPTIND = String(optind);
  getoptsPos.set(state.env, { optind, sub: pos.sub });
  return 0;
};

