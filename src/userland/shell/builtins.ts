/** Shell builtins: commands that need the shell's own state (cd, export, exit) or that bash provides itself. */
import type { CommandContext } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import type { ShellState } from './exec.ts';
import { cat } from '../text/cat.ts';
import { tee } from '../text/tee.ts';
import { printf } from '../text/printf.ts';

export type Builtin = (ctx: CommandContext, state: ShellState) => number | Promise<number>;

const ECHO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** bash's echo: `-n`, `-e`, `-E` (combinable, e.g. `-ne`); anything else is printed. */
function echo(ctx: CommandContext): number {
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
}

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

function cd(ctx: CommandContext, state: ShellState): number {
  const args = ctx.argv.slice(1).filter((a) => a !== '-L' && a !== '-P');
  if (args.length > 1) {
    ctx.stderr('bash: cd: too many arguments\n');
    return 1;
  }
  let target = args[0] ?? state.env.HOME;
  if (target === undefined) {
    ctx.stderr('bash: cd: HOME not set\n');
    return 1;
  }
  const dash = target === '-';
  if (dash) target = state.env.OLDPWD ?? state.cwd;
  const path = resolvePath(state.cwd, target);
  if (!state.fs.isDir(path)) {
    ctx.stderr(`bash: cd: ${target}: ${state.fs.exists(path) ? 'Not a directory' : 'No such file or directory'}\n`);
    return 1;
  }
  state.env.OLDPWD = state.cwd;
  state.cwd = path;
  state.env.PWD = path;
  if (dash) ctx.stdout(path + '\n');
  return 0;
}

function exportBuiltin(ctx: CommandContext, state: ShellState): number {
  const args = ctx.argv.slice(1).filter((a) => a !== '-n');
  if (!args.length || (args.length === 1 && args[0] === '-p')) {
    for (const k of Object.keys(state.env).sort()) ctx.stdout(`declare -x ${k}="${state.env[k].replace(/["\\$`]/g, '\\$&')}"\n`);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(a);
    if (!m) {
      ctx.stderr(`bash: export: \`${a}': not a valid identifier\n`);
      status = 1;
    } else if (m[2] !== undefined) state.env[m[1]] = m[2];
    else state.env[m[1]] ??= '';
  }
  return status;
}

function unset(ctx: CommandContext, state: ShellState): number {
  for (const a of ctx.argv.slice(1)) if (!a.startsWith('-')) delete state.env[a];
  return 0;
}

function exit(ctx: CommandContext, state: ShellState): number {
  const arg = ctx.argv[1];
  let status = state.lastStatus;
  if (arg !== undefined) {
    if (!/^[+-]?\d+$/.test(arg)) {
      ctx.stderr(`bash: exit: ${arg}: numeric argument required\n`);
      status = 2;
    } else status = ((Number(arg) % 256) + 256) % 256;
  }
  state.exitStatus = status;
  return status;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['echo', echo],
  ['printf', printf],
  ['true', () => 0],
  [':', () => 0],
  ['false', () => 1],
  ['cd', cd],
  ['pwd', (ctx, state) => (ctx.stdout(state.cwd + '\n'), 0)],
  ['export', exportBuiltin],
  ['unset', unset],
  ['exit', exit],
  ['cat', cat],
  ['tee', tee],
]);
