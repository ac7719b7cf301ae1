/** Builtins about variables and options: export, unset, local, declare, readonly, set, shift, read, let, shopt. */
import { ArithError, evaluate } from './arith.ts';
import { saveVar } from './arrays.ts';
import { arithVars } from './expand.ts';
import { printCommand } from './print.ts';
import { getVar, ifsOf, shellError, shellQuote, type Builtin, type BuiltinContext, type ShellFlags, type ShellState } from './state.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Applies `NAME=value`, `NAME+=value` or a bare `NAME`; false (after bash's message) if NAME is invalid. */
function assignArg(ctx: BuiltinContext, state: ShellState, cmd: string, arg: string, bare: (name: string) => void): boolean {
  const m = /^([^=+]*)(\+?=)(.*)$/s.exec(arg);
  const name = m ? m[1] : arg;
  if (!NAME.test(name)) {
    shellError(state, ctx.stderr, `${cmd}: \`${arg}': not a valid identifier`);
    return false;
  }
  if (!m) bare(name);
  else state.env[name] = m[2] === '+=' ? (state.env[name] ?? '') + m[3] : m[3];
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
    if (a === '-f') mode = 'f';
    else if (a === '-v') mode = 'v';
    else if (a.startsWith('-') && a !== '-') continue;
    else if (mode !== 'f' && !NAME.test(a)) {
      shellError(state, ctx.stderr, `unset: \`${a}': not a valid identifier`);
      status = 1;
    } else if (mode === 'f' || (mode === 'either' && state.env[a] === undefined && state.functions.has(a))) state.functions.delete(a);
    else delete state.env[a];
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
  for (const a of ctx.argv.slice(1)) {
    if (/^[-+][a-zA-Z]+$/.test(a)) continue;
    const name = /^[^=+]*/.exec(a)![0];
    if (isLocal && NAME.test(name)) makeLocal(state, name);
    const ok = assignArg(ctx, state, cmd, a, (n) => {
      // `local x` declares x with no value: it reads as unset inside the function.
      if (isLocal) delete state.env[n];
    });
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

/** Splits a line read by `read` into `count` fields on $IFS; the last field takes the rest of the line. */
export function splitForRead(line: string, ifs: string, count: number): string[] {
  const isWs = (c: string) => ifs.includes(c) && (c === ' ' || c === '\t' || c === '\n');
  const isIfs = (c: string) => ifs.includes(c);
  let i = 0;
  while (i < line.length && isWs(line[i])) i++;
  const out: string[] = [];
  while (out.length < count - 1 && i < line.length) {
    let j = i;
    while (j < line.length && !isIfs(line[j])) j++;
    out.push(line.slice(i, j));
    i = j;
    while (i < line.length && isWs(line[i])) i++;
    if (i < line.length && isIfs(line[i]) && !isWs(line[i])) {
      i++;
      while (i < line.length && isWs(line[i])) i++;
    }
  }
  let rest = line.slice(i);
  let end = rest.length;
  while (end > 0 && isWs(rest[end - 1])) end--;
  rest = rest.slice(0, end);
  out.push(rest);
  while (out.length < count) out.push('');
  return out;
}

export const read: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  let raw = false;
  let delim = '\n';
  let nchars: number | undefined;
  let exact = false;
  const names: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (names.length || !a.startsWith('-') || a === '-') {
      names.push(a);
      continue;
    }
    if (a === '--') {
      names.push(...args.slice(k + 1));
      break;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'r') raw = true;
      else if (c === 's' || c === 'e') continue;
      else if ('dnNptuai'.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++k];
        if (v === undefined) {
          shellError(state, ctx.stderr, `read: -${c}: option requires an argument`);
          return 2;
        }
        if (c === 'd') delim = v.slice(0, 1);
        else if (c === 'n' || c === 'N') {
          nchars = Number(v);
          exact = c === 'N';
        } else if (c === 'u' && v !== '0') {
          shellError(state, ctx.stderr, `read: ${v}: invalid file descriptor: Bad file descriptor`);
          return 1;
        } else if (c === 'a') names.push(v);
        break;
      } else {
        shellError(state, ctx.stderr, `read: -${c}: invalid option`);
        return 2;
      }
    }
  }
  for (const n of names) {
    if (!NAME.test(n)) {
      shellError(state, ctx.stderr, `read: \`${n}': not a valid identifier`);
      return 1;
    }
  }
  const input = ctx.io.stdin;
  let line = '';
  let complete = true;
  if (nchars !== undefined) {
    if (exact) line = input.read(nchars);
    else {
      while (line.length < nchars) {
        const c = input.read(1);
        if (c === '' || c === delim) break;
        line += c;
      }
    }
    complete = line.length > 0;
  } else {
    while (true) {
      const r = input.readUntil(delim);
      if (!r) {
        complete = false;
        break;
      }
      // Without -r a backslash before the delimiter continues the line.
      if (!raw && r.complete && /(^|[^\\])(\\\\)*\\$/.test(r.text)) {
        line += r.text.slice(0, -1);
        continue;
      }
      line += r.text;
      complete = r.complete;
      break;
    }
  }
  if (!raw) line = line.replace(/\\(.)/gs, '$1');
  if (!names.length) state.env.REPLY = line;
  else {
    const fields = splitForRead(line, ifsOf(state), names.length);
    names.forEach((n, k) => (state.env[n] = fields[k]));
  }
  return complete ? 0 : 1;
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
