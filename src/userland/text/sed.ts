/** sed: the stream editor (GNU sed 4 behaviour for -n -e -f -E/-r -s -i and the common commands). */
import type { Command, CommandContext } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { getopt, has, UsageError } from './getopt.ts';
import { readInput, splitLines } from './io.ts';
import { RegexSyntaxError } from './regex.ts';
import { parseSed, SedSyntaxError, type Address, type Instr, type ReplPart, type SedRegex } from './sed-parse.ts';

/** One input line and whether it ended with a newline (the very last line may not). */
interface Line {
  text: string;
  newline: boolean;
}

/** The input lines of a run, knowing whether the current line is the last. */
class LineSource {
  private pos = 0;
  lineNo = 0;
  constructor(private readonly lines: Line[]) {}
  next(): Line | undefined {
    if (this.pos >= this.lines.length) return undefined;
    this.lineNo++;
    return this.lines[this.pos++];
  }
  atEnd(): boolean {
    return this.pos >= this.lines.length;
  }
}

/** Thrown to leave the script (q/Q); carries the exit code. */
class Quit {
  constructor(readonly code: number, readonly autoprint: boolean) {}
}

class Runner {
  private hold = '';
  private lastRegex: RegExp | null = null;
  private out = '';
  /** The previous output line lacked its newline; add it before writing anything else. */
  private missingNewline = false;
  private readonly wfiles = new Map<string, string>();
  constructor(
    private readonly prog: Instr[],
    private readonly ctx: CommandContext,
    private readonly quiet: boolean,
    private readonly debugName: string,
  ) {}

  private emit(text: string, newline: boolean): void {
    if (this.missingNewline) this.out += '\n';
    this.out += text + (newline ? '\n' : '');
    this.missingNewline = !newline;
  }

  private resolve(r: SedRegex): RegExp {
    if (r.re) this.lastRegex = r.re;
    if (!this.lastRegex) throw new SedRuntimeError('no previous regular expression');
    return this.lastRegex;
  }

  private test(r: SedRegex, s: string): boolean {
    const re = this.resolve(r);
    re.lastIndex = 0;
    return re.test(s);
  }

  private write(file: string, text: string): void {
    if (file === '/dev/stdout') this.emit(text, true);
    else if (file === '/dev/stderr') this.ctx.stderr(text + '\n');
    else this.wfiles.set(file, (this.wfiles.get(file) ?? '') + text + '\n');
  }

  /** Opens `w` files at start (they are truncated even if never written). */
  openWriteFiles(): void {
    for (const ins of this.prog) {
      const f = ins.cmd.name === 'w' || ins.cmd.name === 'W' ? ins.cmd.file : ins.cmd.name === 's' ? ins.cmd.wfile : undefined;
      if (f !== undefined && f !== '/dev/stdout' && f !== '/dev/stderr') this.wfiles.set(f, '');
    }
  }

  flushWriteFiles(): void {
    for (const [f, data] of this.wfiles) this.ctx.fs.write(resolvePath(this.ctx.cwd, f), data);
  }

  takeOutput(): string {
    const o = this.out;
    this.out = '';
    return o;
  }

  private matchAddr(a: Address, ps: string, lineNo: number, last: boolean): boolean {
    switch (a.kind) {
      case 'line':
        return lineNo === a.n;
      case 'last':
        return last;
      case 'regex':
        return this.test(a.regex, ps);
      case 'step':
        return a.step <= 0 ? lineNo === a.first : lineNo >= a.first && (lineNo - a.first) % a.step === 0;
      default:
        return false;
    }
  }

  /** Whether an instruction applies to this line, updating its range state (POSIX/GNU range rules). */
  private selects(ins: Instr, ps: string, lineNo: number, last: boolean): boolean {
    if (!ins.a1) return true;
    if (!ins.a2) return this.matchAddr(ins.a1, ps, lineNo, last);
    if (ins.active) {
      const a2 = ins.a2;
      let ends: boolean;
      if (a2.kind === 'line' || a2.kind === 'plus' || a2.kind === 'mult') ends = lineNo >= ins.endLine;
      else ends = this.matchAddr(a2, ps, lineNo, last);
      if (a2.kind === 'line' && lineNo > ins.endLine) {
        ins.active = false;
        return false;
      }
      if (ends) ins.active = false;
      return true;
    }
    const zeroStart = ins.a1.kind === 'line' && ins.a1.n === 0;
    if (!zeroStart && !this.matchAddr(ins.a1, ps, lineNo, last)) return false;
    const a2 = ins.a2;
    if (zeroStart) {
      // `0,/re/`: the regex may end the range on the very first line.
      if (lineNo !== 1 && !ins.active) return false;
      if (this.matchAddr(a2, ps, lineNo, last)) return true;
      ins.active = true;
      return true;
    }
    if (a2.kind === 'line') {
      if (a2.n > lineNo) {
        ins.active = true;
        ins.endLine = a2.n;
      }
    } else if (a2.kind === 'plus') {
      if (a2.n > 0) {
        ins.active = true;
        ins.endLine = lineNo + a2.n;
      }
    } else if (a2.kind === 'mult') {
      if (a2.n > 0 && lineNo % a2.n !== 0) {
        ins.active = true;
        ins.endLine = Math.ceil(lineNo / a2.n) * a2.n;
      }
    } else if (a2.kind === 'last') {
      if (!last) ins.active = true;
    } else ins.active = true; // a regex end is only looked for from the next line on
    return true;
  }

  /** Runs the script over all lines of `src`. Returns the exit code requested by q/Q, if any. */
  run(src: LineSource): number | undefined {
    let line = src.next();
    while (line) {
      let ps = line.text;
      let newline = line.newline;
      let appendQueue: string[] = [];
      let substituted = false;
      let autoprint = !this.quiet;
      let pc = 0;
      let restart = false;
      const flushAppends = () => {
        for (const a of appendQueue) {
          this.out += (this.missingNewline ? '\n' : '') + a;
          this.missingNewline = false;
        }
        appendQueue = [];
      };
      try {
        while (pc < this.prog.length) {
          const ins = this.prog[pc];
          const selected = this.selects(ins, ps, src.lineNo, src.atEnd()) !== ins.negate;
          const cmd = ins.cmd;
          if (!selected) {
            pc = cmd.name === '{' ? cmd.end + 1 : pc + 1;
            continue;
          }
          pc++;
          switch (cmd.name) {
            case '{':
            case '}':
            case ':':
            case '#':
              break;
            case '=':
              this.emit(String(src.lineNo), true);
              break;
            case 'a':
              appendQueue.push(cmd.text + '\n');
              break;
            case 'i':
              this.emit(cmd.text, true);
              break;
            case 'c':
              // In a range, the text replaces the whole range: print it at the range's end only.
              if (!ins.a2 || !ins.active || ins.negate) this.emit(cmd.text, true);
              autoprint = false;
              pc = this.prog.length;
              break;
            case 'd':
              autoprint = false;
              pc = this.prog.length;
              break;
            case 'D': {
              const nl = ps.indexOf('\n');
              if (nl < 0) {
                autoprint = false;
                pc = this.prog.length;
              } else {
                ps = ps.slice(nl + 1);
                restart = true;
                pc = this.prog.length;
                autoprint = false;
              }
              break;
            }
            case 'g':
              ps = this.hold;
              break;
            case 'G':
              ps += '\n' + this.hold;
              break;
            case 'h':
              this.hold = ps;
              break;
            case 'H':
              this.hold += '\n' + ps;
              break;
            case 'x':
              [ps, this.hold] = [this.hold, ps];
              break;
            case 'z':
              ps = '';
              break;
            case 'F':
              this.emit(this.debugName, true);
              break;
            case 'l':
              this.emit(listForm(ps, cmd.width ?? 70), true);
              break;
            case 'p':
              this.emit(ps, newline);
              break;
            case 'P': {
              const nl = ps.indexOf('\n');
              this.emit(nl < 0 ? ps : ps.slice(0, nl), nl < 0 ? newline : true);
              break;
            }
            case 'n':
              if (src.atEnd()) {
                // GNU: without a next line, `n` ends the script (autoprinting unless -n).
                throw new Quit(0, true);
              }
              if (autoprint) this.emit(ps, newline);
              flushAppends();
              line = src.next()!;
              ps = line.text;
              newline = line.newline;
              break;
            case 'N':
              if (src.atEnd()) throw new Quit(0, true);
              flushAppends();
              line = src.next()!;
              ps += '\n' + line.text;
              newline = line.newline;
              break;
            case 'q':
              throw new Quit(cmd.code, true);
            case 'Q':
              throw new Quit(cmd.code, false);
            case 'r': {
              const data = this.ctx.fs.read(resolvePath(this.ctx.cwd, cmd.file));
              if (data !== undefined && data !== '') appendQueue.push(data.endsWith('\n') ? data : data + '\n');
              break;
            }
            case 'R':
              break;
            case 'w':
              this.write(cmd.file, ps);
              break;
            case 'W': {
              const nl = ps.indexOf('\n');
              this.write(cmd.file, nl < 0 ? ps : ps.slice(0, nl));
              break;
            }
            case 'b':
              pc = cmd.target;
              break;
            case 't':
              if (substituted) {
                substituted = false;
                pc = cmd.target;
              }
              break;
            case 'T':
              if (!substituted) pc = cmd.target;
              else substituted = false;
              break;
            case 'y': {
              const from = [...cmd.from];
              const to = [...cmd.to];
              ps = [...ps].map((ch) => {
                const k = from.indexOf(ch);
                return k < 0 ? ch : to[k];
              }).join('');
              break;
            }
            case 's': {
              const r = substitute(ps, this.resolve(cmd.regex), cmd.repl, cmd.global, cmd.nth);
              if (r !== undefined) {
                ps = r;
                substituted = true;
                for (let k = 0; k < cmd.print; k++) this.emit(ps, newline);
                if (cmd.wfile !== undefined) this.write(cmd.wfile, ps);
              }
              break;
            }
          }
        }
      } catch (e) {
        if (!(e instanceof Quit)) throw e;
        if (e.autoprint && !this.quiet) this.emit(ps, newline);
        flushAppends();
        return e.code;
      }
      if (autoprint) this.emit(ps, newline);
      flushAppends();
      if (restart) {
        // `D` with text left: run the script again on what is left, without reading a line.
        line = { text: ps, newline };
        continue;
      }
      line = src.next();
    }
    return undefined;
  }
}

class SedRuntimeError extends Error {}

/** `s///` on one pattern space with GNU's empty-match rules; undefined when nothing matched. */
export function substitute(ps: string, re: RegExp, repl: ReplPart[], global: boolean, nth: number): string | undefined {
  let out = '';
  let pos = 0;
  let count = 0;
  let replaced = false;
  let lastEnd = -1;
  while (pos <= ps.length) {
    re.lastIndex = pos;
    const m = re.exec(ps);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0] === '' && start === lastEnd) {
      // An empty match right where the previous match ended does not count (GNU, POSIX).
      if (start >= ps.length) break;
      out += ps.slice(pos, start + 1);
      pos = start + 1;
      continue;
    }
    count++;
    out += ps.slice(pos, start);
    if (count >= nth) {
      out += expandReplacement(repl, m);
      replaced = true;
    } else out += m[0];
    lastEnd = end;
    pos = end;
    if (replaced && !global) break;
    if (m[0] === '') {
      if (start >= ps.length) break;
      out += ps[start];
      pos = start + 1;
    }
  }
  if (!replaced) return undefined;
  return out + ps.slice(pos);
}

function expandReplacement(repl: ReplPart[], m: RegExpExecArray): string {
  let out = '';
  let mode: 'L' | 'U' | '' = '';
  let once: 'l' | 'u' | '' = '';
  const add = (t: string) => {
    if (!t) return;
    if (mode === 'L') t = t.toLowerCase();
    else if (mode === 'U') t = t.toUpperCase();
    if (once) {
      t = (once === 'l' ? t[0].toLowerCase() : t[0].toUpperCase()) + t.slice(1);
      once = '';
    }
    out += t;
  };
  for (const p of repl) {
    if (p.kind === 'text') add(p.text);
    else if (p.kind === 'group') add(m[p.n] ?? '');
    else if (p.op === 'l' || p.op === 'u') once = p.op;
    else if (p.op === 'E') {
      mode = '';
      once = '';
    } else mode = p.op;
  }
  return out;
}

/** The `l` command's unambiguous form: escapes, `\ooo` for other bytes, `$` at the end, wrapped. */
function listForm(s: string, width: number): string {
  const ESC: Record<string, string> = { '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  const pieces = [...s].map((ch) => {
    if (ch in ESC) return ESC[ch];
    const c = ch.charCodeAt(0);
    if (c < 32 || c >= 127) return '\\' + c.toString(8).padStart(3, '0');
    return ch;
  });
  if (width <= 1) return pieces.join('') + '$';
  let out = '';
  let col = 0;
  for (const p of pieces) {
    if (col + p.length > width - 1) {
      out += '\\\n';
      col = 0;
    }
    out += p;
    col += p.length;
  }
  return out + '$';
}

export const sed: Command = (ctx) => {
  let p;
  try {
    // `-i[SUFFIX]`: the backup suffix is accepted and ignored (there are no backups to keep).
    const args = ctx.argv.slice(1).map((a) => (/^-i./.test(a) || a.startsWith('--in-place=') ? '-i' : a));
    p = getopt(args, [
      { key: 'n', short: 'n', long: 'quiet' },
      { key: 'n', long: 'silent' },
      { key: 'e', short: 'e', long: 'expression', arg: true },
      { key: 'f', short: 'f', long: 'file', arg: true },
      { key: 'E', short: 'E', long: 'regexp-extended' },
      { key: 'E', short: 'r' },
      { key: 's', short: 's', long: 'separate' },
      { key: 'i', short: 'i', long: 'in-place' },
      { key: 'u', short: 'u', long: 'unbuffered' },
      { key: 'z', short: 'z', long: 'null-data' },
      { key: 'posix', long: 'posix' },
      { key: 'debug', long: 'debug' },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`sed: ${e.message}\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n`);
    return 1;
  }
  const pieces: string[] = [];
  for (const o of p.opts) {
    if (o.key === 'e') pieces.push(o.value);
    else if (o.key === 'f') {
      const inp = readInput(ctx, o.value);
      if (inp.error !== undefined) {
        ctx.stderr(`sed: couldn't open file ${inp.error.replace(/: No such file or directory$/, '')}: No such file or directory\n`);
        return 1;
      }
      pieces.push(inp.data.replace(/\n$/, ''));
    }
  }
  const operands = [...p.operands];
  if (!pieces.length) {
    if (!operands.length) {
      ctx.stderr('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n');
      return 1;
    }
    pieces.push(operands.shift()!);
  }
  let prog: Instr[];
  try {
    prog = parseSed(pieces.join('\n'), has(p, 'E') ? 'extended' : 'basic');
  } catch (e) {
    if (e instanceof SedSyntaxError) {
      ctx.stderr(`sed: -e expression #1, char ${e.pos}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof RegexSyntaxError || e instanceof SyntaxError) {
      ctx.stderr(`sed: -e expression #1, char 0: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  const inPlace = has(p, 'i');
  const separate = inPlace || has(p, 's');
  const files = operands.length ? operands : ['-'];
  const runner = new Runner(prog, ctx, has(p, 'n'), files[0] === '-' ? '-' : files[0]);
  runner.openWriteFiles();
  let status = 0;
  const toLines = (data: string): Line[] => {
    const { lines, complete } = splitLines(data);
    return lines.map((text, k) => ({ text, newline: k < lines.length - 1 || complete }));
  };
  try {
    if (separate) {
      for (const f of files) {
        const inp = readInput(ctx, f);
        if (inp.error !== undefined) {
          ctx.stderr(`sed: can't read ${inp.error}\n`);
          status = 2;
          continue;
        }
        for (const ins of prog) ins.active = false;
        const code = runner.run(new LineSource(toLines(inp.data)));
        const out = runner.takeOutput();
        if (inPlace && f !== '-') ctx.fs.write(resolvePath(ctx.cwd, f), out);
        else ctx.stdout(out);
        if (code !== undefined) return code;
      }
    } else {
      const all: Line[] = [];
      for (const f of files) {
        const inp = readInput(ctx, f);
        if (inp.error !== undefined) {
          ctx.stderr(`sed: can't read ${inp.error}\n`);
          status = 2;
          continue;
        }
        // A file without a final newline still gets one when more input follows it.
        if (all.length) all[all.length - 1].newline = true;
        all.push(...toLines(inp.data));
      }
      const code = runner.run(new LineSource(all));
      ctx.stdout(runner.takeOutput());
      if (code !== undefined) return code;
    }
  } catch (e) {
    if (e instanceof SedRuntimeError) {
      ctx.stdout(runner.takeOutput());
      ctx.stderr(`sed: ${e.message}\n`);
      return 4;
    }
    throw e;
  } finally {
    runner.flushWriteFiles();
  }
  return status;
};
