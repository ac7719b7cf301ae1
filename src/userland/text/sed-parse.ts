/** Parses sed scripts (GNU sed 4 syntax) into a flat program with resolved block and branch targets. */
import { posixToJs, type Flavor } from './regex.ts';

/** A compiled regex; `null` source means "the last regex used" (an empty `//`). */
export interface SedRegex {
  re: RegExp | null;
}

export type Address =
  | { kind: 'line'; n: number }
  | { kind: 'last' }
  | { kind: 'regex'; regex: SedRegex }
  | { kind: 'step'; first: number; step: number }
  /** Only as the second address: `+N` and `~N`. */
  | { kind: 'plus'; n: number }
  | { kind: 'mult'; n: number };

export type ReplPart = { kind: 'text'; text: string } | { kind: 'group'; n: number } | { kind: 'case'; op: 'L' | 'U' | 'l' | 'u' | 'E' };

export type SedCmd =
  | { name: '{'; end: number }
  | { name: '}' }
  | { name: 's'; regex: SedRegex; repl: ReplPart[]; global: boolean; nth: number; print: number; wfile?: string }
  | { name: 'y'; from: string; to: string }
  | { name: 'a' | 'i' | 'c'; text: string }
  | { name: 'b' | 't' | 'T'; label: string; target: number }
  | { name: ':'; label: string }
  | { name: 'q' | 'Q'; code: number }
  | { name: 'r' | 'w' | 'R' | 'W'; file: string }
  | { name: 'l'; width?: number }
  | { name: '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x' | 'z' | 'F' | '#' };

export interface Instr {
  a1?: Address;
  a2?: Address;
  negate: boolean;
  cmd: SedCmd;
  /** Range state, per instruction. */
  active: boolean;
  endLine: number;
}

/** A script error; `message` is GNU's wording after `sed: -e expression #1, char N: `. */
export class SedSyntaxError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

export function parseSed(script: string, flavor: Flavor): Instr[] {
  return new SedParser(script, flavor).parse();
}

class SedParser {
  private i = 0;
  private readonly prog: Instr[] = [];
  constructor(private readonly s: string, private readonly flavor: Flavor) {}

  private fail(msg: string): never {
    throw new SedSyntaxError(msg, this.i);
  }

  private skipWs(): void {
    while (this.i < this.s.length && /[ \t]/.test(this.s[this.i])) this.i++;
  }

  parse(): Instr[] {
    const blocks: number[] = [];
    while (true) {
      while (this.i < this.s.length && /[ \t\n;]/.test(this.s[this.i])) this.i++;
      if (this.i >= this.s.length) break;
      if (this.s[this.i] === '#') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
        continue;
      }
      const instr: Instr = { negate: false, cmd: { name: '#' }, active: false, endLine: 0 };
      instr.a1 = this.address(false);
      if (instr.a1) {
        this.skipWs();
        if (this.s[this.i] === ',') {
          this.i++;
          this.skipWs();
          instr.a2 = this.address(true);
          if (!instr.a2) this.fail('unexpected `,\'');
        }
      }
      if (instr.a1?.kind === 'line' && instr.a1.n === 0 && instr.a2?.kind !== 'regex') this.fail('invalid usage of line address 0');
      this.skipWs();
      while (this.s[this.i] === '!') {
        instr.negate = true;
        this.i++;
        this.skipWs();
      }
      const name = this.s[this.i++];
      if (name === undefined) this.fail('missing command');
      instr.cmd = this.command(name, instr);
      if (instr.cmd.name === '{') blocks.push(this.prog.length);
      if (instr.cmd.name === '}') {
        if (instr.a1) this.fail('} doesn\'t want any addresses');
        const open = blocks.pop();
        if (open === undefined) this.fail('unexpected `}\'');
        (this.prog[open].cmd as { end: number }).end = this.prog.length;
      }
      this.prog.push(instr);
      this.endOfCommand(instr.cmd.name);
    }
    if (blocks.length) {
      this.i = this.s.length;
      this.fail('unmatched `{\'');
    }
    // Resolve branch targets to instruction indexes (end of script when the label is empty).
    for (const ins of this.prog) {
      if (ins.cmd.name === 'b' || ins.cmd.name === 't' || ins.cmd.name === 'T') {
        const label = ins.cmd.label;
        if (label === '') ins.cmd.target = this.prog.length;
        else {
          const at = this.prog.findIndex((x) => x.cmd.name === ':' && x.cmd.label === label);
          if (at < 0) throw new SedSyntaxError(`can't find label for jump to \`${label}'`, 0);
          ins.cmd.target = at;
        }
      }
    }
    return this.prog;
  }

  /** After a command: only blanks, then `;`, newline, `}` or `#` may follow. */
  private endOfCommand(name: string): void {
    if ('{aicrwRW:btT'.includes(name)) return; // `{` may be followed by a command; the rest consumed their line
    this.skipWs();
    const c = this.s[this.i];
    if (c === undefined || c === ';' || c === '\n' || c === '}' || c === '#') return;
    this.fail(`extra characters after command`);
  }

  private number(): number | undefined {
    const m = /^\d+/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return Number(m[0]);
  }

  private address(second: boolean): Address | undefined {
    const c = this.s[this.i];
    if (c === '$') {
      this.i++;
      return { kind: 'last' };
    }
    if (second && (c === '+' || c === '~')) {
      this.i++;
      const n = this.number();
      if (n === undefined) this.fail('expected number');
      return c === '+' ? { kind: 'plus', n } : { kind: 'mult', n };
    }
    if (c !== undefined && c >= '0' && c <= '9') {
      const n = this.number()!;
      if (this.s[this.i] === '~') {
        this.i++;
        const step = this.number() ?? 0;
        return { kind: 'step', first: n, step };
      }
      return { kind: 'line', n };
    }
    if (c === '/' || c === '\\') {
      this.i++;
      let delim = '/';
      if (c === '\\') delim = this.s[this.i++];
      const src = this.delimited(delim, true);
      let flags = '';
      while (this.s[this.i] === 'I' || this.s[this.i] === 'M') flags += this.s[this.i++];
      return { kind: 'regex', regex: this.regex(src, flags) };
    }
    return undefined;
  }

  /**
   * Reads up to an unescaped `delim`. In regexes `\delim` becomes a plain delim (escaped again
   * if it is special) and `\n` a newline; other escapes are kept for the regex translator.
   */
  private delimited(delim: string, isRegex: boolean): string {
    let out = '';
    while (true) {
      const c = this.s[this.i];
      if (c === undefined) this.fail(`unterminated address regex`);
      if (c === delim) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = this.s[this.i + 1];
        this.i += 2;
        if (n === delim) out += delim === '&' && !isRegex ? '\\&' : delim;
        else if (n === '\n') out += isRegex ? '\\n' : '\n';
        else out += '\\' + (n ?? '');
        continue;
      }
      if (isRegex && c === '[') {
        // Inside a bracket expression the delimiter is not special.
        const m = /^\[\^?\]?(\[[:.=][^\]]*[:.=]\]|[^\]])*\]/.exec(this.s.slice(this.i));
        if (m) {
          out += m[0];
          this.i += m[0].length;
          continue;
        }
      }
      if (c === '\n' && isRegex) this.fail('unterminated address regex');
      out += c;
      this.i++;
    }
  }

  private regex(src: string, flags: string): SedRegex {
    if (src === '') return { re: null };
    const js = posixToJs(src, this.flavor, { sedEscapes: true });
    // `s`: in sed, `.` matches the newlines that N/G put into the pattern space.
    return { re: new RegExp(js, 'gs' + (flags.includes('I') ? 'i' : '') + (flags.includes('M') ? 'm' : '')) };
  }

  private restOfLine(): string {
    const end = this.s.indexOf('\n', this.i);
    const text = this.s.slice(this.i, end < 0 ? undefined : end);
    this.i = end < 0 ? this.s.length : end;
    return text;
  }

  /** A label: up to newline or `;` (GNU), blanks trimmed. */
  private label(): string {
    this.skipWs();
    const m = /^[^\n;]*/.exec(this.s.slice(this.i))![0];
    this.i += m.length;
    return m.trim();
  }

  private command(name: string, instr: Instr): SedCmd {
    switch (name) {
      case '{':
        return { name: '{', end: -1 };
      case '}':
      case '=':
      case 'd':
      case 'D':
      case 'g':
      case 'G':
      case 'h':
      case 'H':
      case 'n':
      case 'N':
      case 'p':
      case 'P':
      case 'x':
      case 'z':
      case 'F':
        return { name };
      case 'l': {
        this.skipWs();
        const w = this.number();
        return w === undefined ? { name: 'l' } : { name: 'l', width: w };
      }
      case 'q':
      case 'Q': {
        this.skipWs();
        return { name, code: this.number() ?? 0 };
      }
      case ':': {
        if (instr.a1) this.fail(': doesn\'t want any addresses');
        const label = this.label();
        if (!label) this.fail('":" lacks a label');
        return { name: ':', label };
      }
      case 'b':
      case 't':
      case 'T':
        return { name, label: this.label(), target: -1 };
      case 'r':
      case 'R':
      case 'w':
      case 'W':
        this.skipWs();
        return { name, file: this.restOfLine() };
      case 'a':
      case 'i':
      case 'c':
        return { name, text: this.text() };
      case 's':
        return this.substitute();
      case 'y': {
        const delim = this.s[this.i++];
        const from = unescapeY(this.delimited(delim, false));
        const to = unescapeY(this.delimited(delim, false));
        if ([...from].length !== [...to].length) this.fail('strings for `y\' command are different lengths');
        return { name: 'y', from, to };
      }
      default:
        this.i--;
        return this.fail(`unknown command: \`${name}'`);
    }
  }

  /** Text of a/i/c: `a\` + lines (each ending in `\` continues), or GNU's one-line `a text`. */
  private text(): string {
    this.skipWs();
    if (this.s[this.i] === '\\') {
      this.i++;
      this.skipWs();
      if (this.s[this.i] === '\n') this.i++;
    }
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') {
        const n = this.s[this.i + 1];
        this.i += 2;
        if (n !== undefined) out += n;
        continue;
      }
      if (c === '\n') break;
      out += c;
      this.i++;
    }
    return out;
  }

  private substitute(): SedCmd {
    const delim = this.s[this.i++];
    if (delim === undefined || delim === '\n' || delim === '\\') this.fail('unterminated `s\' command');
    const src = this.delimited(delim, true);
    const repl = this.replacement(delim);
    let global = false;
    let nth = 1;
    let print = 0;
    let flags = '';
    let wfile: string | undefined;
    while (true) {
      const c = this.s[this.i];
      if (c === 'g') global = true;
      else if (c === 'p') print++;
      else if (c === 'i' || c === 'I') flags += 'I';
      else if (c === 'm' || c === 'M') flags += 'M';
      else if (c === 'e') this.fail('the `e\' flag is not supported');
      else if (c !== undefined && c >= '0' && c <= '9') {
        nth = this.number()!;
        if (nth === 0) this.fail('number option to `s\' command may not be zero');
        continue;
      } else if (c === 'w') {
        this.i++;
        this.skipWs();
        wfile = this.restOfLine();
        break;
      } else break;
      this.i++;
    }
    const cmd: SedCmd = { name: 's', regex: this.regex(src, flags), repl, global, nth, print };
    if (wfile !== undefined) cmd.wfile = wfile;
    return cmd;
  }

  private replacement(delim: string): ReplPart[] {
    const parts: ReplPart[] = [];
    const text = (t: string) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') last.text += t;
      else parts.push({ kind: 'text', text: t });
    };
    const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };
    while (true) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unterminated `s\' command');
      this.i++;
      if (c === delim) return parts;
      if (c === '&') parts.push({ kind: 'group', n: 0 });
      else if (c === '\\') {
        const n = this.s[this.i++];
        if (n === undefined) this.fail('unterminated `s\' command');
        if (n >= '0' && n <= '9') parts.push({ kind: 'group', n: Number(n) });
        else if ('LUluE'.includes(n)) parts.push({ kind: 'case', op: n as 'L' });
        else if (n in ESC) text(ESC[n]);
        else text(n);
      } else text(c);
    }
  }
}

function unescapeY(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === '\\' ? '\\' : '\\' + c));
}
