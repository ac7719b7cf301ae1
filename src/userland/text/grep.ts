/** grep, egrep and fgrep: select lines matching POSIX BRE/ERE or fixed-string patterns (GNU grep 3). */
import type { Command, CommandContext } from '../command.ts';
import { getopt, has, last, UsageError, type OptDef } from './getopt.ts';
import { progName, readInput, splitLines } from './io.ts';
import { escapeLiteral, posixToJs, RegexSyntaxError } from './regex.ts';

const DEFS: OptDef[] = [
  { key: 'E', short: 'E', long: 'extended-regexp' },
  { key: 'F', short: 'F', long: 'fixed-strings' },
  { key: 'G', short: 'G', long: 'basic-regexp' },
  { key: 'P', short: 'P', long: 'perl-regexp' },
  { key: 'e', short: 'e', long: 'regexp', arg: true },
  { key: 'f', short: 'f', long: 'file', arg: true },
  { key: 'i', short: 'i', long: 'ignore-case' },
  { key: 'i', short: 'y' },
  { key: 'noi', long: 'no-ignore-case' },
  { key: 'v', short: 'v', long: 'invert-match' },
  { key: 'w', short: 'w', long: 'word-regexp' },
  { key: 'x', short: 'x', long: 'line-regexp' },
  { key: 'c', short: 'c', long: 'count' },
  { key: 'o', short: 'o', long: 'only-matching' },
  { key: 'q', short: 'q', long: 'quiet' },
  { key: 'q', long: 'silent' },
  { key: 's', short: 's', long: 'no-messages' },
  { key: 'n', short: 'n', long: 'line-number' },
  { key: 'h', short: 'h', long: 'no-filename' },
  { key: 'H', short: 'H', long: 'with-filename' },
  { key: 'l', short: 'l', long: 'files-with-matches' },
  { key: 'L', short: 'L', long: 'files-without-match' },
  { key: 'm', short: 'm', long: 'max-count', arg: true },
  { key: 'A', short: 'A', long: 'after-context', arg: true },
  { key: 'B', short: 'B', long: 'before-context', arg: true },
  { key: 'C', short: 'C', long: 'context', arg: true },
  { key: 'a', short: 'a', long: 'text' },
  { key: 'I', short: 'I' },
  { key: 'U', short: 'U', long: 'binary' },
  { key: 'lb', long: 'line-buffered' },
];

type Syntax = 'G' | 'E' | 'F' | 'P';

/** The compiled patterns of one grep run. */
class Matcher {
  private readonly res: RegExp[];
  constructor(patterns: string[], syntax: Syntax, opts: { icase: boolean; word: boolean; line: boolean }) {
    this.res = patterns.map((p) => {
      let src = syntax === 'F' ? escapeLiteral(p) : syntax === 'P' ? p : posixToJs(p, syntax === 'E' ? 'extended' : 'basic');
      if (opts.line) src = `^(?:${src})$`;
      else if (opts.word) src = `(?<!\\w)(?:${src})(?!\\w)`;
      return new RegExp(src, 'g' + (opts.icase ? 'i' : '') + (syntax === 'P' ? '' : 's'));
    });
  }

  test(line: string): boolean {
    return this.res.some((re) => {
      re.lastIndex = 0;
      return re.test(line);
    });
  }

  /** Non-empty matches, left to right; at one position the longest of the patterns' matches wins. */
  matches(line: string): string[] {
    const found: string[] = [];
    let pos = 0;
    while (pos <= line.length) {
      let best: { index: number; text: string } | undefined;
      for (const re of this.res) {
        re.lastIndex = pos;
        // Skip empty matches: -o never prints them, and they must not stop the scan.
        let m = re.exec(line);
        while (m && m[0] === '') {
          re.lastIndex = m.index + 1;
          if (re.lastIndex > line.length) {
            m = null;
            break;
          }
          m = re.exec(line);
        }
        if (m && (!best || m.index < best.index || (m.index === best.index && m[0].length > best.text.length))) {
          best = { index: m.index, text: m[0] };
        }
      }
      if (!best) break;
      found.push(best.text);
      pos = best.index + best.text.length;
    }
    return found;
  }
}

function syntaxOf(ctx: CommandContext, opts: ReturnType<typeof getopt>): Syntax {
  let syntax: Syntax = progName(ctx, 'grep') === 'egrep' ? 'E' : progName(ctx, 'grep') === 'fgrep' ? 'F' : 'G';
  for (const o of opts.opts) if (o.key === 'E' || o.key === 'F' || o.key === 'G' || o.key === 'P') syntax = o.key;
  return syntax;
}

function count(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${value}: invalid ${what} argument`);
  return Number(value);
}

export const grep: Command = (ctx) => {
  const err = (msg: string) => ctx.stderr(`grep: ${msg}\n`);
  // `--color[=WHEN]` has an optional argument, which getopt does not model; colour is ignored anyway.
  const args = ctx.argv.slice(1).filter((a) => !/^--colou?r(=.*)?$/.test(a));
  // `-5` means `-C 5`.
  const normalized = args.map((a) => (/^-\d+$/.test(a) ? `-C${a.slice(1)}` : a));
  let p: ReturnType<typeof getopt>;
  let maxCount: number | undefined;
  let after = 0;
  let before = 0;
  try {
    p = getopt(normalized, DEFS);
    maxCount = count(last(p, 'm'), 'max count');
    const c = count(last(p, 'C'), 'context length') ?? 0;
    after = count(last(p, 'A'), 'context length') ?? c;
    before = count(last(p, 'B'), 'context length') ?? c;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(e.message);
    ctx.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }

  const patterns: string[] = [];
  let explicit = false;
  for (const o of p.opts) {
    if (o.key === 'e') {
      explicit = true;
      patterns.push(...o.value.split('\n'));
    } else if (o.key === 'f') {
      explicit = true;
      const inp = readInput(ctx, o.value);
      if (inp.error !== undefined) {
        err(inp.error);
        return 2;
      }
      patterns.push(...splitLines(inp.data).lines);
    }
  }
  const operands = [...p.operands];
  if (!explicit) {
    if (!operands.length) {
      ctx.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
      return 2;
    }
    patterns.push(...operands.shift()!.split('\n'));
  }

  let icase = false;
  for (const o of p.opts) if (o.key === 'i') icase = true;
  else if (o.key === 'noi') icase = false;

  let matcher: Matcher;
  try {
    matcher = new Matcher(patterns, syntaxOf(ctx, p), { icase, word: has(p, 'w'), line: has(p, 'x') });
  } catch (e) {
    if (e instanceof RegexSyntaxError || e instanceof SyntaxError) {
      err((e as Error).message.replace(/^Invalid regular expression: /, ''));
      return 2;
    }
    throw e;
  }

  const invert = has(p, 'v');
  const quiet = has(p, 'q');
  const files = operands.length ? operands : ['-'];
  const withName = has(p, 'h') ? false : has(p, 'H') || files.length > 1;
  const opts = { invert, quiet, withName, maxCount, after, before, count: has(p, 'c'), only: has(p, 'o'), number: has(p, 'n'), listMatch: has(p, 'l'), listNoMatch: has(p, 'L') };

  let selectedAny = false;
  let trouble = false;
  for (const f of files) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) {
      if (!has(p, 's')) err(inp.error);
      trouble = true;
      continue;
    }
    const name = f === '-' ? '(standard input)' : f;
    if (grepOne(ctx, matcher, splitLines(inp.data).lines, name, opts)) selectedAny = true;
    if (quiet && selectedAny) return 0;
  }
  if (trouble && !(quiet && selectedAny)) return 2;
  return selectedAny ? 0 : 1;
};

interface RunOpts {
  invert: boolean;
  quiet: boolean;
  withName: boolean;
  maxCount: number | undefined;
  after: number;
  before: number;
  count: boolean;
  only: boolean;
  number: boolean;
  listMatch: boolean;
  listNoMatch: boolean;
}

/** Greps one input; returns whether any line was selected. */
function grepOne(ctx: CommandContext, m: Matcher, lines: string[], name: string, o: RunOpts): boolean {
  const prefix = (n: number, sep: string) => (o.withName ? name + sep : '') + (o.number ? n + sep : '');
  const plain = o.quiet || o.count || o.listMatch || o.listNoMatch;
  const context = !plain && !o.only && (o.after > 0 || o.before > 0);
  let selected = 0;
  let lastPrinted = -1; // index of the last line printed, for `--` separators and overlap
  let afterLeft = 0;
  let printedAny = false;
  const printLine = (idx: number, sep: string) => {
    if (context && printedAny && lastPrinted >= 0 && idx > lastPrinted + 1) ctx.stdout('--\n');
    ctx.stdout(prefix(idx + 1, sep) + lines[idx] + '\n');
    lastPrinted = idx;
    printedAny = true;
  };
  for (let idx = 0; idx < lines.length; idx++) {
    if (o.maxCount !== undefined && selected >= o.maxCount) {
      // GNU still prints the trailing context of the last selected line.
      if (context && afterLeft > 0) {
        const line = lines[idx];
        if (m.test(line) !== o.invert) break;
        printLine(idx, '-');
        afterLeft--;
        continue;
      }
      break;
    }
    const line = lines[idx];
    if (m.test(line) === o.invert) {
      if (context && afterLeft > 0) {
        printLine(idx, '-');
        afterLeft--;
      }
      continue;
    }
    selected++;
    if (o.quiet) return true;
    if (plain) continue;
    if (o.only) {
      if (!o.invert) for (const t of m.matches(line)) ctx.stdout(prefix(idx + 1, ':') + t + '\n');
      continue;
    }
    if (context) {
      for (let b = Math.max(lastPrinted + 1, idx - o.before); b < idx; b++) printLine(b, '-');
      afterLeft = o.after;
    }
    printLine(idx, ':');
  }
  if (o.count) ctx.stdout((o.withName ? name + ':' : '') + selected + '\n');
  if (o.listMatch && selected > 0) ctx.stdout(name + '\n');
  if (o.listNoMatch && selected === 0) ctx.stdout(name + '\n');
  return selected > 0;
}

/** `egrep` is `grep -E` and `fgrep` is `grep -F` (grep decides from argv[0]). */
export const egrep: Command = (ctx) => grep({ ...ctx, argv: ['egrep', ...ctx.argv.slice(1)] });
export const fgrep: Command = (ctx) => grep({ ...ctx, argv: ['fgrep', ...ctx.argv.slice(1)] });
