/**
 * The `read` builtin: one line (or -d record, or -n/-N characters) from the shared input, split on
 * $IFS into the named variables (the last one takes the rest), or into an array with -a.
 */
import { assignArray } from './arrays.ts';
import { ifsOf, shellError, type Builtin } from './state.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
  let arrayName: string | undefined;
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
        } else if (c === 'a') arrayName = v;
        break;
      } else {
        shellError(state, ctx.stderr, `read: -${c}: invalid option`);
        return 2;
      }
    }
  }
  for (const n of arrayName === undefined ? names : [arrayName]) {
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
  if (arrayName !== undefined) {
    const fields = splitForRead(line, ifsOf(state), line.length + 1);
    while (fields.length && fields[fields.length - 1] === '') fields.pop();
    assignArray(state, arrayName, fields.map((value) => ({ value })), false, false);
  } else if (!names.length) state.env.REPLY = line;
  else {
    const fields = splitForRead(line, ifsOf(state), names.length);
    names.forEach((n, k) => (state.env[n] = fields[k]));
  }
  return complete ? 0 : 1;
};
