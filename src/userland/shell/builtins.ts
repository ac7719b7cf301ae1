/**
 * The builtin table, and the small builtins: echo, cd, pwd, printf -v, true/false/:, umask.
 * Some entries (cat, tee, sleep, xargs) are programs on a real system, built in here because they
 * need the shell (its clock waits, its command table) or were already at hand.
 */
import { resolvePath } from '../../host/sim/fs.ts';
import { cat } from '../text/cat.ts';
import { printf } from '../text/printf.ts';
import { tee } from '../text/tee.ts';
import { bashBuiltin, breakBuiltin, command, continueBuiltin, evalBuiltin, exec, exit, getopts, returnBuiltin, source, trap, type } from './flow-builtins.ts';
import { disown, fgbg, jobs, kill, wait } from './job-builtins.ts';
import { sleep } from './sleep.ts';
import { shellError, type Builtin, type ShellState } from './state.ts';
import { test } from './test-builtin.ts';
import { read } from './read.ts';
import { declare, exportBuiltin, let_, local, readonly, set, shift, shopt, unset } from './var-builtins.ts';
import { xargs } from './xargs.ts';

export type { Builtin };

const ECHO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** bash's echo: `-n`, `-e`, `-E` (combinable, e.g. `-ne`); anything else is printed. */
const echo: Builtin = (ctx) => {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    for (const f of args.shift()!.slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
    }
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = { stop: false };
    text = decodeEchoEscapes(text, cut);
    if (cut.stop) newline = false;
  }
  ctx.stdout(newline ? text + '\n' : text);
  return 0;
};

/** Decodes `echo -e` escapes; `\c` ends the output (and suppresses the newline). */
function decodeEchoEscapes(s: string, cut: { stop: boolean }): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const e = s[++i];
    if (e in ECHO_ESCAPES) out += ECHO_ESCAPES[e];
    else if (e === 'c') {
      cut.stop = true;
      return out;
    } else if (e === '0') {
      const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m || '0', 8) & 0xff);
      i += m.length;
    } else if (e === 'x' && /^[0-9a-fA-F]/.test(s[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else out += '\\' + e;
  }
  return out;
}

const cd: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1).filter((a) => a !== '-L' && a !== '-P' && a !== '--');
  if (args.length > 1) {
    shellError(state, ctx.stderr, 'cd: too many arguments');
    return 1;
  }
  let target = args[0] ?? state.env.HOME;
  if (target === undefined) {
    shellError(state, ctx.stderr, 'cd: HOME not set');
    return 1;
  }
  const dash = target === '-';
  if (dash) {
    if (state.env.OLDPWD === undefined) {
      shellError(state, ctx.stderr, 'cd: OLDPWD not set');
      return 1;
    }
    target = state.env.OLDPWD;
  }
  const path = resolvePath(state.cwd, target);
  if (!state.fs.isDir(path)) {
    shellError(state, ctx.stderr, `cd: ${target}: ${state.fs.exists(path) ? 'Not a directory' : 'No such file or directory'}`);
    return 1;
  }
  state.env.OLDPWD = state.cwd;
  state.cwd = path;
  state.env.PWD = path;
  if (dash) ctx.stdout(path + '\n');
  return 0;
};

/** printf, plus bash's `-v VAR` (print into a variable). */
const printfBuiltin: Builtin = async (ctx, state) => {
  if (ctx.argv[1] !== '-v') return printf(ctx);
  const name = ctx.argv[2];
  if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    shellError(state, ctx.stderr, `printf: \`${name ?? ''}': not a valid identifier`);
    return 2;
  }
  let out = '';
  const status = await printf({ ...ctx, argv: [ctx.argv[0], ...ctx.argv.slice(3)], stdout: (t) => (out += t) });
  state.env[name] = out;
  return status;
};

const umask: Builtin = (ctx, state: ShellState) => {
  const arg = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  if (arg === undefined) ctx.stdout(ctx.argv.includes('-S') ? 'u=rwx,g=rx,o=rx\n' : '0022\n');
  else if (!/^[0-7]{1,4}$/.test(arg) && !/^[ugoa]*[=+-]/.test(arg)) {
    shellError(state, ctx.stderr, `umask: ${arg}: octal number out of range`);
    return 1;
  }
  return 0;
};

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['echo', echo],
  ['printf', printfBuiltin],
  ['true', () => 0],
  [':', () => 0],
  ['false', () => 1],
  ['cd', cd],
  ['pwd', (ctx, state) => (ctx.stdout(state.cwd + '\n'), 0)],
  ['export', exportBuiltin],
  ['unset', unset],
  ['local', local],
  ['declare', declare],
  ['typeset', declare],
  ['readonly', readonly],
  ['set', set],
  ['shift', shift],
  ['read', read],
  ['let', let_],
  ['shopt', shopt],
  ['exit', exit],
  ['return', returnBuiltin],
  ['break', breakBuiltin],
  ['continue', continueBuiltin],
  ['exec', exec],
  ['eval', evalBuiltin],
  ['source', source],
  ['.', source],
  ['bash', bashBuiltin],
  ['sh', bashBuiltin],
  ['command', command],
  ['type', type],
  ['trap', trap],
  ['getopts', getopts],
  ['test', test],
  ['[', test],
  ['jobs', jobs],
  ['wait', wait],
  ['kill', kill],
  ['fg', fgbg],
  ['bg', fgbg],
  ['disown', disown],
  ['hash', () => 0],
  ['umask', umask],
  ['sleep', sleep],
  ['xargs', xargs],
  ['cat', cat],
  ['tee', tee],
]);

/**
 * After these the shell reaps finished jobs, as bash does once it has waited for a child: the
 * entries that are programs on a real system, and `wait`.
 */
export const REAPS_JOBS: ReadonlySet<string> = new Set(['sleep', 'xargs', 'cat', 'tee', 'bash', 'sh', 'wait']);
