/** Builtins about variables and options: export, unset, local, declare, readonly, set, shift, let, shopt. */
import { ArithError, evaluate } from './arith.ts';
import { ARRAY_MARK, assignArray, declareArray, decodeItems, resolveIndex, saveVar, setScalar, unsetVar } from './arrays.ts';
import { arithVars } from './expand.ts';
import { printCommand } from './print.ts';
import { getVar, shellError, shellQuote, type Builtin, type BuiltinContext, type ShellFlags, type ShellState } from './state.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Applies `NAME=value`, `NAME+=value`, `NAME=(items)` (as expandArgs encodes it) or a bare `NAME`;
 * false (after bash's message) if NAME is invalid. `kind` is `a`/`A` for `declare -a`/`-A`.
 */
function assignArg(ctx: BuiltinContext, state: ShellState, cmd: string, arg: string, bare: (name: string) => void, kind = ''): boolean {
  const m = /^([^=+[]*)(\+?=)(.*)$/s.exec(arg);
  const name = m ? m[1] : arg;
  if (!NAME.test(name)) {
    shellError(state, ctx.stderr, `${cmd}: \`${arg}': not a valid identifier`);
    return false;
  }
  const append = m?.[2] === '+=';
  if (!m) {
    bare(name);
    if (kind && !state.arrays.has(name)) assignArray(state, name, [], false, kind === 'A');
  } else if (m[3].startsWith(ARRAY_MARK)) assignArray(state, name, decodeItems(m[3].slice(1)), append, kind ? kind === 'A' : undefined);
  else if (kind) assignArray(state, name, [{ key: '0', value: m[3] }], append, kind === 'A');
  else setScalar(state, name, append ? (getVar(state, name) ?? '') + m[3] : m[3]);
  return true;
}

/** Makes `name` local to the running function: its value is restored when the function returns. */
function makeLocal(state: ShellState, name: string): void {
  const scope = state.locals[state.locals.length - 1];
  if (!scope.has(name)) scope.set(name, saveVar(state, name));
}

function declareLine(name: string, value: string): string {
  return `declare -x ${name}="${value.replace(/["\\$`]/g, '\\$&')}"\n`;
}

export const exportBuiltin: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  const fns = args.includes('-f');
  const names = args.filter((a) => !/^-[fnp]+$/.test(a));
  if (!names.length) {
    for (const k of Object.keys(state.env).sort()) ctx.stdout(declareLine(k, state.env[k]));
    return 0;
  }
  let status = 0;
  for (const a of names) {
    if (fns) {
      if (!state.functions.has(a)) {
        shellError(state, ctx.stderr, `export: ${a}: not a function`);
        status = 1;
      }
      continue;
    }
    if (!assignArg(ctx, state, 'export', a, () => {})) status = 1;
  }
  return status;
};

export const unset: Builtin = (ctx, state) => {
  let mode: 'v' | 'f' | 'either' = 'either';
  let status = 0;
  for (const a of ctx.argv.slice(1)) {
    const element = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(a);
    if (a === '-f') mode = 'f';
    else if (a === '-v') mode = 'v';
    else if (a.startsWith('-') && a !== '-') continue;
    else if (element && mode !== 'f') {
      const arr = state.arrays.get(element[1]);
      if (arr) arr.items.delete(arr.assoc ? element[2] : (resolveIndex(arr, evaluate(element[2], arithVars(state))) ?? ''));
      else if (element[2] === '0' || element[2] === '@' || element[2] === '*') unsetVar(state, element[1]);
    } else if (mode !== 'f' && !NAME.test(a)) {
      shellError(state, ctx.stderr, `unset: \`${a}': not a valid identifier`);
      status = 1;
    } else if (mode === 'f' || (mode === 'either' && getVar(state, a) === undefined && state.functions.has(a))) state.functions.delete(a);
    else unsetVar(state, a);
  }
  return status;
};

export const local: Builtin = (ctx, state) => {
  if (!state.locals.length) {
    shellError(state, ctx.stderr, 'local: can only be used in a function');
    return 1;
  }
  return declareVars(ctx, state, 'local', true);
};

/** declare/typeset: in a function the names are local (unless -g); -p prints, -f/-F list functions. */
export const declare: Builtin = (ctx, state) => {
  const flags = ctx.argv.slice(1).filter((a) => /^[-+][a-zA-Z]+$/.test(a)).join('');
  const names = ctx.argv.slice(1).filter((a) => !/^[-+][a-zA-Z]+$/.test(a));
  if (flags.includes('f') || flags.includes('F')) {
    const list = names.length ? names : [...state.functions.keys()].sort();
    let status = 0;
    for (const n of list) {
      const fn = state.functions.get(n);
      if (!fn) status = 1;
      else ctx.stdout(flags.includes('F') ? `declare -f ${n}\n` : `${printCommand(fn)}\n`);
    }
    return status;
  }
  if (flags.includes('p') || !names.length) {
    const list = names.length ? names : Object.keys(state.env).sort();
    let status = 0;
    for (const n of list) {
      const arr = state.arrays.get(n);
      if (arr) {
        ctx.stdout(declareArray(n, arr) + '\n');
        continue;
      }
      const v = getVar(state, n);
      if (v === undefined) {
        shellError(state, ctx.stderr, `declare: ${n}: not found`);
        status = 1;
      } else ctx.stdout(names.length ? `declare -- ${n}="${v.replace(/["\\$`]/g, '\\$&')}"\n` : `${n}=${shellQuote(v)}\n`);
    }
    return status;
  }
  return declareVars(ctx, state, ctx.argv[0], state.locals.length > 0 && !flags.includes('g'));
};

function declareVars(ctx: BuiltinContext, state: ShellState, cmd: string, isLocal: boolean): number {
  let status = 0;
  const flags = ctx.argv.slice(1).filter((a) => /^[-+][a-zA-Z]+$/.test(a)).join('');
  const kind = flags.includes('A') ? 'A' : flags.includes('a') ? 'a' : '';
  for (const a of ctx.argv.slice(1)) {
    if (/^[-+][a-zA-Z]+$/.test(a)) continue;
    const name = /^[^=+]*/.exec(a)![0];
    if (isLocal && NAME.test(name)) makeLocal(state, name);
    const ok = assignArg(ctx, state, cmd, a, (n) => {
      // `local x` declares x with no value: it reads as unset inside the function.
      if (isLocal) unsetVar(state, n);
    }, kind);
    if (!ok) status = 1;
  }
  return status;
}

export const readonly: Builtin = (ctx, state) => {
  let status = 0;
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith('-')) continue;
    if (!assignArg(ctx, state, 'readonly', a, () => {})) status = 1;
  }
  return status;
};

const LONG_OPTIONS: Record<string, keyof ShellFlags | null> = {
  errexit: 'errexit',
  nounset: 'nounset',
  xtrace: 'xtrace',
  noglob: 'noglob',
  pipefail: 'pipefail',
  noclobber: 'noclobber',
  // Accepted and without effect here.
  allexport: null, braceexpand: null, emacs: null, errtrace: null, functrace: null, hashall: null, histexpand: null, history: null,
  ignoreeof: null, 'interactive-comments': null, keyword: null, monitor: null, noexec: null, nolog: null, notify: null, onecmd: null,
  physical: null, posix: null, privileged: null, verbose: null, vi: null,
};
const SHORT_OPTIONS: Record<string, keyof ShellFlags | null> = { e: 'errexit', u: 'nounset', x: 'xtrace', f: 'noglob', C: 'noclobber', a: null, b: null, h: null, k: null, m: null, n: null, p: null, t: null, v: null, B: null, E: null, H: null, P: null, T: null };

export const set: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  if (!args.length) {
    for (const k of Object.keys(state.env).sort()) ctx.stdout(`${k}=${shellQuote(state.env[k])}\n`);
    return 0;
  }
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k];
    if (a === '--') {
      state.positional = args.slice(k + 1);
      return 0;
    }
    if (a === '-' || a === '+') {
      state.positional = args.slice(k + 1);
      return 0;
    }
    if (!/^[-+]/.test(a)) break;
    const on = a[0] === '-';
    for (const c of a.slice(1)) {
      if (c === 'o') {
        const name = args[++k];
        if (name === undefined) {
          for (const [n, f] of Object.entries(LONG_OPTIONS)) ctx.stdout(on ? `${n.padEnd(15)}\t${f && state.flags[f] ? 'on' : 'off'}\n` : `set ${f && state.flags[f] ? '-' : '+'}o ${n}\n`);
          continue;
        }
        if (!(name in LONG_OPTIONS)) {
          shellError(state, ctx.stderr, `set: ${name}: invalid option name`);
          return 1;
        }
        const f = LONG_OPTIONS[name];
        if (f) state.flags[f] = on;
      } else if (c in SHORT_OPTIONS) {
        const f = SHORT_OPTIONS[c];
        if (f) state.flags[f] = on;
      } else {
        shellError(state, ctx.stderr, `set: ${a[0]}${c}: invalid option`);
        ctx.stderr('set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n');
        return 2;
      }
    }
  }
  if (k < args.length) state.positional = args.slice(k);
  return 0;
};

export const shift: Builtin = (ctx, state) => {
  const arg = ctx.argv[1] ?? '1';
  if (!/^[0-9]+$/.test(arg)) {
    shellError(state, ctx.stderr, `shift: ${arg}: numeric argument required`);
    return 1;
  }
  const n = Number(arg);
  if (n > state.positional.length) return 1;
  state.positional = state.positional.slice(n);
  return 0;
};

export const let_: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  if (!args.length) {
    shellError(state, ctx.stderr, 'let: expression expected');
    return 1;
  }
  let last = 0n;
  for (const a of args) {
    try {
      last = evaluate(a, arithVars(state));
    } catch (e) {
      if (!(e instanceof ArithError)) throw e;
      shellError(state, ctx.stderr, `let: ${e.message}`);
      return 1;
    }
  }
  return last === 0n ? 1 : 0;
};

const SHOPT = new Set(['nullglob', 'extglob', 'globstar', 'dotglob', 'nocaseglob', 'failglob', 'expand_aliases', 'lastpipe', 'inherit_errexit', 'pipefail', 'nocasematch', 'sourcepath', 'checkwinsize', 'histappend']);

/** shopt: accepted so scripts run; only `nullglob` changes anything here. */
export const shopt: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  const on = args.includes('-s');
  const off = args.includes('-u');
  let status = 0;
  for (const n of args.filter((a) => !a.startsWith('-'))) {
    if (!SHOPT.has(n)) {
      shellError(state, ctx.stderr, `shopt: ${n}: invalid shell option name`);
      status = 1;
    } else if (n === 'nullglob' && (on || off)) state.flags.nullglob = on;
    else if (!on && !off) ctx.stdout(`${n.padEnd(15)}\t${n === 'nullglob' && state.flags.nullglob ? 'on' : 'off'}\n`);
  }
  return status;
};
