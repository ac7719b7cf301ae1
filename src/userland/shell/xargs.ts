/**
 * GNU xargs as a builtin (it must run the shell's commands): reads items from stdin (blanks and
 * newlines separate them, quotes and backslashes group them; or -0 / -d), and runs the command
 * with them: all at once, `-n N` at a time, `-L N` lines at a time, or once per line with `-I {}`.
 */
import { Input, type Builtin, type BuiltinContext } from './state.ts';

const TRY = "Try 'xargs --help' for more information.\n";

interface Options {
  maxArgs?: number;
  maxLines?: number;
  replace?: string;
  delim?: string;
  eof?: string;
  noRunIfEmpty: boolean;
  verbose: boolean;
  argFile?: string;
}

class UsageError extends Error {}

function count(value: string | undefined, opt: string): number {
  if (value === undefined || !/^\s*[+-]?[0-9]+$/.test(value)) throw new UsageError(`invalid number "${value ?? ''}" for -${opt} option`);
  const n = Number(value);
  if (n < 1) throw new UsageError(`value ${n} for -${opt} option should be >= 1`);
  return n;
}

/** `\n`, `\t`, `\0`, `\\` and octal/hex escapes in a -d delimiter. */
function delimiter(d: string): string {
  const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '0': '\0' };
  if (d.length === 1) return d;
  if (d[0] === '\\' && d.length === 2 && d[1] in esc) return esc[d[1]];
  if (/^\\x[0-9a-fA-F]{1,2}$/.test(d)) return String.fromCharCode(parseInt(d.slice(2), 16));
  if (/^\\[0-7]{1,3}$/.test(d)) return String.fromCharCode(parseInt(d.slice(1), 8));
  throw new UsageError('invalid input delimiter specification ' + d + ': the delimiter must be either a single character or an escape sequence starting with \\.');
}

/** Parses options up to the command; returns the options and the initial command line. */
function parseOptions(args: string[]): { opts: Options; command: string[] } {
  const opts: Options = { noRunIfEmpty: false, verbose: false };
  let k = 0;
  const value = (inline: string, opt: string): string => {
    if (inline !== '') return inline;
    if (k + 1 >= args.length) throw new UsageError(`option requires an argument -- '${opt}'`);
    return args[++k];
  };
  for (; k < args.length; k++) {
    const a = args[k];
    if (a === '--') {
      k++;
      break;
    }
    if (a.startsWith('--')) {
      const [name, v] = a.slice(2).split(/=(.*)/s);
      const need = () => v ?? (k + 1 < args.length ? args[++k] : undefined);
      if (name === 'null') opts.delim = '\0';
      else if (name === 'delimiter') opts.delim = delimiter(need() ?? '');
      else if (name === 'max-args') opts.maxArgs = count(need(), 'n');
      else if (name === 'max-lines') opts.maxLines = v === undefined ? 1 : count(v, 'L');
      else if (name === 'replace') opts.replace = v ?? '{}';
      else if (name === 'no-run-if-empty') opts.noRunIfEmpty = true;
      else if (name === 'verbose') opts.verbose = true;
      else if (name === 'arg-file') opts.argFile = need();
      else if (name === 'eof') opts.eof = v;
      else if (name === 'max-procs' || name === 'max-chars') need();
      else if (name !== 'exit' && name !== 'open-tty' && name !== 'interactive') throw new UsageError(`unrecognized option '${a}'`);
      continue;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const rest = a.slice(j + 1);
      if (c === '0') opts.delim = '\0';
      else if (c === 'r') opts.noRunIfEmpty = true;
      else if (c === 't') opts.verbose = true;
      else if (c === 'x' || c === 'p' || c === 'o') continue;
      else if (c === 'i' || c === 'e' || c === 'l') {
        // Options whose argument is optional and must be attached.
        if (c === 'i') opts.replace = rest || '{}';
        else if (c === 'e') opts.eof = rest || undefined;
        else opts.maxLines = rest ? count(rest, 'l') : 1;
        if (c === 'i') opts.maxArgs = undefined;
        break;
      } else if ('nLIdEsPa'.includes(c)) {
        const v = value(rest, c);
        if (c === 'n') {
          opts.maxArgs = count(v, 'n');
          opts.replace = undefined;
        } else if (c === 'L') opts.maxLines = count(v, 'L');
        else if (c === 'I') {
          opts.replace = v;
          opts.maxArgs = undefined;
        } else if (c === 'd') opts.delim = delimiter(v);
        else if (c === 'E') opts.eof = v;
        else if (c === 'a') opts.argFile = v;
        break;
      } else throw new UsageError(`invalid option -- '${c}'`);
    }
  }
  return { opts, command: args.slice(k) };
}

/** Splits input into items the default way; `error` names an unmatched quote (items before it still count). */
function tokens(text: string, eof: string | undefined, keepBlanks: boolean): { lines: string[][]; error?: string } {
  const lines: string[][] = [];
  let line: string[] = [];
  let cur = '';
  let inItem = false;
  const end = () => {
    if (inItem) line.push(cur);
    cur = '';
    inItem = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      end();
      // A line ending in a blank continues on the next one (for -L).
      if (line.length && (keepBlanks || (text[i - 1] !== ' ' && text[i - 1] !== '\t'))) {
        lines.push(line);
        line = [];
      }
      if (eof !== undefined && lines.length && lines[lines.length - 1].includes(eof)) break;
      continue;
    }
    if ((c === ' ' || c === '\t') && !keepBlanks) {
      end();
      continue;
    }
    if ((c === ' ' || c === '\t') && !inItem) continue;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close < 0 || (nl >= 0 && nl < close)) {
        end();
        if (line.length) lines.push(line);
        return { lines, error: `unmatched ${c === "'" ? 'single' : 'double'} quote; by default quotes are special to xargs unless you use the -0 option` };
      }
      cur += text.slice(i + 1, close);
      inItem = true;
      i = close;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inItem = true;
      continue;
    }
    cur += c;
    inItem = true;
  }
  end();
  if (line.length) lines.push(line);
  // -E: input ends at the first item equal to the end-of-file string.
  if (eof !== undefined) {
    const out: string[][] = [];
    for (const l of lines) {
      const at = l.indexOf(eof);
      if (at >= 0) {
        if (at > 0) out.push(l.slice(0, at));
        return { lines: out };
      }
      out.push(l);
    }
  }
  return { lines };
}

function run(ctx: BuiltinContext, argv: string[], verbose: boolean): Promise<number> {
  if (verbose) ctx.stderr(argv.join(' ') + '\n');
  // Commands xargs runs read /dev/null, not xargs's own input.
  return ctx.runArgv(argv, { stdin: new Input(''), stdout: ctx.stdout, stderr: ctx.stderr }, { quiet: true });
}

export const xargs: Builtin = async (ctx, state) => {
  let parsed;
  try {
    parsed = parseOptions(ctx.argv.slice(1));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`xargs: ${e.message}\n${TRY}`);
    return 1;
  }
  const { opts } = parsed;
  const command = parsed.command.length ? parsed.command : ['echo'];
  let input: string;
  if (opts.argFile !== undefined) {
    const path = opts.argFile.startsWith('/') ? opts.argFile : `${state.cwd}/${opts.argFile}`;
    const data = state.fs.read(path);
    if (data === undefined) {
      ctx.stderr(`xargs: ${opts.argFile}: No such file or directory\n`);
      return 1;
    }
    input = data;
  } else input = ctx.io.stdin.rest();

  let groups: string[][];
  let error: string | undefined;
  if (opts.delim !== undefined) {
    const items = input.split(opts.delim);
    if (items[items.length - 1] === '') items.pop();
    groups = chunk(items, opts.replace !== undefined ? 1 : (opts.maxArgs ?? opts.maxLines ?? Infinity));
  } else if (opts.replace !== undefined) {
    const t = tokens(input, opts.eof, true);
    error = t.error;
    groups = t.lines.map((l) => [l.join(' ')]);
  } else {
    const t = tokens(input, opts.eof, false);
    error = t.error;
    if (opts.maxLines !== undefined) groups = chunk(t.lines, opts.maxLines).map((ls) => ls.flat());
    else groups = chunk(t.lines.flat(), opts.maxArgs ?? Infinity);
  }
  if (!groups.length && !opts.noRunIfEmpty && opts.replace === undefined && !error) groups = [[]];

  let status = 0;
  for (const g of groups) {
    const argv = opts.replace !== undefined ? command.map((a) => a.split(opts.replace!).join(g[0])) : [...command, ...g];
    const s = await run(ctx, argv, opts.verbose);
    if (s === 127) {
      ctx.stderr(`xargs: ${argv[0]}: No such file or directory\n`);
      return 127;
    }
    if (s === 255) {
      ctx.stderr(`xargs: ${argv[0]}: exited with status 255; aborting\n`);
      return 124;
    }
    if (s > 128) {
      ctx.stderr(`xargs: ${argv[0]}: terminated by signal ${s - 128}\n`);
      return 125;
    }
    if (s !== 0) status = 123;
  }
  if (error) {
    ctx.stderr(`xargs: ${error}\n`);
    return 1;
  }
  return status;
};

function chunk<T>(items: T[], size: number): T[][] {
  if (size === Infinity) return items.length ? [items] : [];
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size));
  return out;
}
