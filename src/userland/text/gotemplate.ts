/**
 * A subset of Go's text/template, for the `--format` and `-o go-template` flags of docker,
 * crictl and kubectl: text and `{{ }}` actions with trim markers, pipelines, field chains,
 * variables, `if`/`else if`/`range`/`with`, the builtins (and, or, not, len, index, print,
 * printf, println, eq, ne, lt, le, gt, ge, slice) and caller-supplied functions.
 *
 * Values are JSON-like. Plain objects are Go maps (missing keys print `<no value>`, they print
 * as `map[k:v]`); objects passed through `goStruct` are Go structs (fields in order, printed as
 * `{v1 v2}`, a missing field is an error). A field holding a JS function is a method: it is
 * called with the command's arguments (docker's `{{.Label "k"}}`).
 */
import { goFloatG } from '../kubectl/print/gofmt.ts';

const structTypes = new WeakMap<object, string>();

/** Marks `o` as a Go struct of type `type` (for printing and for the error messages). */
export function goStruct<T extends object>(o: T, type = 'struct'): T {
  structTypes.set(o, type);
  return o;
}

const isStruct = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && structTypes.has(v);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !structTypes.has(v);

/** A template that failed to parse or to execute; `message` is Go's text without the program's prefix. */
export class TemplateError extends Error {
  constructor(message: string, readonly phase: 'parse' | 'exec') {
    super(message);
  }
}

// ---- values as Go prints them ----

/** fmt's %v of a value. */
export function goValue(v: unknown): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : goFloatG(v);
  if (typeof v === 'function') return '<func>';
  const inner = (x: unknown): string => (x === undefined ? '<nil>' : goValue(x));
  if (Array.isArray(v)) return `[${v.map(inner).join(' ')}]`;
  const o = v as Record<string, unknown>;
  if (isStruct(o)) return `{${Object.values(o).filter((x) => typeof x !== 'function').map(inner).join(' ')}}`;
  return `map[${Object.keys(o).sort().map((k) => `${k}:${inner(o[k])}`).join(' ')}]`;
}

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (JSON_ESCAPES[ch]) out += JSON_ESCAPES[ch];
    else if (c < 0x20 || c === 0x2028 || c === 0x2029 || (escapeHTML && (ch === '<' || ch === '>' || ch === '&'))) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * encoding/json's Marshal (compact): map keys sorted, struct fields in order, fields holding
 * undefined left out (omitempty). With `indent`, MarshalIndent's layout.
 */
export function goJson(v: unknown, opts: { escapeHTML?: boolean; indent?: string } = {}): string {
  const esc = opts.escapeHTML ?? true;
  const step = opts.indent;
  const enc = (x: unknown, pad: string): string => {
    if (x === null || x === undefined || typeof x === 'function') return 'null';
    if (typeof x === 'string') return jsonString(x, esc);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'number') return Number.isFinite(x) ? (Number.isInteger(x) && Math.abs(x) < 1e21 ? BigInt(x).toString() : String(x)) : 'null';
    const inner = step === undefined ? '' : pad + step;
    const nl = step === undefined ? '' : '\n';
    const sep = step === undefined ? ':' : ': ';
    if (Array.isArray(x)) {
      if (!x.length) return '[]';
      return `[${nl}${x.map((e) => inner + enc(e, inner)).join(`,${nl}`)}${nl}${step === undefined ? '' : pad}]`;
    }
    const o = x as Record<string, unknown>;
    let keys = Object.keys(o).filter((k) => o[k] !== undefined && typeof o[k] !== 'function');
    if (!isStruct(o)) keys = keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (!keys.length) return '{}';
    return `{${nl}${keys.map((k) => `${inner}${jsonString(k, esc)}${sep}${enc(o[k], inner)}`).join(`,${nl}`)}${nl}${step === undefined ? '' : pad}}`;
  };
  return enc(v, '');
}

function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

// ---- printf ----

/** fmt.Sprintf for the verbs templates use: %v %s %d %q %t %x %X %f %e %g %%, flags `-0+ `, width, precision. */
export function goSprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  const re = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, width, prec, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof a === 'number' ? BigInt(Math.trunc(a)).toString() : `%!d(${typeName(a)}=${goValue(a)})`;
        if (flags.includes('+') && typeof a === 'number' && a >= 0) s = `+${s}`;
        break;
      case 's':
      case 'v':
        s = goValue(a);
        if (prec !== undefined && verb === 's') s = [...s].slice(0, Number(prec)).join('');
        break;
      case 'q':
        s = typeof a === 'string' ? jsonString(a, false) : `%!q(${typeName(a)}=${goValue(a)})`;
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : `%!t(${typeName(a)}=${goValue(a)})`;
        break;
      case 'x':
      case 'X':
        s = typeof a === 'number' ? Math.trunc(a).toString(16) : Buffer.from(goValue(a)).toString('hex');
        if (verb === 'X') s = s.toUpperCase();
        break;
      case 'f':
      case 'e':
      case 'g':
        if (typeof a !== 'number') s = `%!${verb}(${typeName(a)}=${goValue(a)})`;
        else if (verb === 'f') s = a.toFixed(prec === undefined ? 6 : Number(prec));
        else if (verb === 'e') s = a.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
        else s = goFloatG(a);
        break;
      default:
        s = `%!${verb}(${typeName(a)}=${goValue(a)})`;
    }
    const w = width === undefined ? 0 : Number(width);
    if ([...s].length < w) {
      const fill = w - [...s].length;
      if (flags.includes('-')) s += ' '.repeat(fill);
      else if (flags.includes('0') && /^[-+]?\d/.test(s)) s = s.replace(/^([-+]?)/, `$1${'0'.repeat(fill)}`);
      else s = ' '.repeat(fill) + s;
    }
    out += s;
  }
  out += format.slice(last);
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${goValue(a)}`).join(', ')})`;
  return out;
}

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  return isStruct(v) ? structTypes.get(v)! : 'map[string]interface {}';
}

// ---- lexing and parsing ----

type Operand =
  | { kind: 'field'; recv?: Operand; names: string[]; pos: number; text: string }
  | { kind: 'dot' }
  | { kind: 'var'; name: string; names: string[]; pos: number; text: string }
  | { kind: 'lit'; value: unknown }
  | { kind: 'ident'; name: string; pos: number }
  | { kind: 'pipe'; pipe: Pipeline; names: string[]; pos: number; text: string };

interface Pipeline {
  decl: string[];
  cmds: Operand[][];
}

interface ControlNode {
  kind: 'if' | 'range' | 'with';
  pipe: Pipeline;
  list: Node[];
  elseList: Node[];
}

type Node = { kind: 'text'; text: string } | { kind: 'action'; pipe: Pipeline } | ControlNode;

const BUILTINS = new Set(['and', 'or', 'not', 'len', 'index', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'slice']);

type Tok = { t: string; v: string; pos: number };

class Parser {
  private toks: Tok[] = [];
  private i = 0;

  constructor(private readonly src: string, private readonly funcs: ReadonlySet<string>) {}

  private line(pos: number): number {
    return this.src.slice(0, pos).split('\n').length;
  }

  private fail(pos: number, msg: string): never {
    throw new TemplateError(`template: :${this.line(pos)}: ${msg}`, 'parse');
  }

  /** Splits the source into text and the tokens of each action. */
  parse(): Node[] {
    const items: ({ text: string } | { toks: Tok[]; pos: number })[] = [];
    let at = 0;
    let trimNext = false;
    while (at <= this.src.length) {
      const open = this.src.indexOf('{{', at);
      let text = this.src.slice(at, open < 0 ? undefined : open);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
      if (open < 0) {
        if (text) items.push({ text });
        break;
      }
      let p = open + 2;
      if (/^-[ \t\r\n]/.test(this.src.slice(p))) {
        text = text.replace(/[ \t\r\n]+$/, '');
        p += 1;
      }
      if (text) items.push({ text });
      // A comment, {{/* ... */}}, prints nothing.
      const comment = /^\s*\/\*[\s\S]*?\*\/(\s-)?}}/.exec(this.src.slice(p));
      if (comment) {
        trimNext = comment[1] !== undefined;
        at = p + comment[0].length;
        continue;
      }
      const { toks, end, trim } = this.lexAction(p);
      items.push({ toks, pos: p });
      trimNext = trim;
      at = end;
    }
    this.items = items;
    this.k = 0;
    const list = this.list(new Set());
    if (this.k < this.items.length) this.fail(0, `unexpected {{${this.peekKeyword()}}}`);
    return list.nodes;
  }

  private items: ({ text: string } | { toks: Tok[]; pos: number })[] = [];
  private k = 0;

  private lexAction(p: number): { toks: Tok[]; end: number; trim: boolean } {
    const toks: Tok[] = [];
    const s = this.src;
    while (true) {
      if (p >= s.length) this.fail(p, 'unclosed action');
      const c = s[p];
      if (/[ \t\r\n]/.test(c)) {
        if (/^[ \t\r\n]-}}/.test(s.slice(p, p + 4))) return { toks, end: p + 4, trim: true };
        p++;
        continue;
      }
      if (s.startsWith('}}', p)) return { toks, end: p + 2, trim: false };
      const rest = s.slice(p);
      let m: RegExpExecArray | null;
      if ((m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest))) toks.push({ t: 'str', v: JSON.parse(m[0].replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string, pos: p });
      else if ((m = /^`[^`]*`/.exec(rest))) toks.push({ t: 'str', v: m[0].slice(1, -1), pos: p });
      else if ((m = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(rest))) toks.push({ t: 'field', v: m[0], pos: p });
      else if ((m = /^\$[A-Za-z0-9_]*/.exec(rest))) toks.push({ t: 'var', v: m[0], pos: p });
      else if ((m = /^[-+]?(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)/.exec(rest))) toks.push({ t: 'num', v: m[0], pos: p });
      else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) toks.push({ t: 'ident', v: m[0], pos: p });
      else if ((m = /^(?::=|=|\||\(|\)|,|\.)/.exec(rest))) toks.push({ t: m[0], v: m[0], pos: p });
      else this.fail(p, `unexpected "${c}" in command`);
      p += m[0].length;
    }
  }

  private peekKeyword(): string {
    const it = this.items[this.k];
    return it && 'toks' in it ? (it.toks[0]?.v ?? '') : '';
  }

  /** Parses nodes until one of `stops` ({{end}}, {{else}}); returns which stopped it. */
  private list(stops: Set<string>): { nodes: Node[]; stop?: string; stopToks?: Tok[] } {
    const nodes: Node[] = [];
    while (this.k < this.items.length) {
      const it = this.items[this.k++];
      if ('text' in it) {
        nodes.push({ kind: 'text', text: it.text });
        continue;
      }
      const first = it.toks[0];
      if (!first) this.fail(it.pos, 'missing value for command');
      if (first.t === 'ident' && (first.v === 'end' || first.v === 'else')) {
        if (!stops.has(first.v)) this.fail(first.pos, `unexpected {{${first.v}}}`);
        return { nodes, stop: first.v, stopToks: it.toks };
      }
      if (first.t === 'ident' && (first.v === 'if' || first.v === 'range' || first.v === 'with')) {
        nodes.push(this.control(first.v, it.toks.slice(1), first.pos));
        continue;
      }
      if (first.t === 'ident' && ['define', 'template', 'block', 'break', 'continue'].includes(first.v)) this.fail(first.pos, `{{${first.v}}} is not supported`);
      nodes.push({ kind: 'action', pipe: this.pipeline(it.toks, it.pos) });
    }
    if (stops.size) this.fail(this.src.length, 'unexpected EOF');
    return { nodes };
  }

  private control(kind: 'if' | 'range' | 'with', toks: Tok[], pos: number): Node {
    const pipe = this.pipeline(toks, pos);
    const body = this.list(new Set(['end', 'else']));
    let elseList: Node[] = [];
    if (body.stop === 'else') {
      const rest = body.stopToks!.slice(1);
      if (rest.length && rest[0].t === 'ident' && (rest[0].v === 'if' || rest[0].v === 'with')) {
        // {{else if X}} is {{else}}{{if X}}...{{end}}{{end}} sharing the one {{end}}.
        elseList = [this.control(rest[0].v as 'if' | 'with', rest.slice(1), rest[0].pos)];
        return { kind, pipe, list: body.nodes, elseList };
      }
      const e = this.list(new Set(['end']));
      elseList = e.nodes;
    }
    return { kind, pipe, list: body.nodes, elseList };
  }

  private pipeline(toks: Tok[], pos: number): Pipeline {
    this.toks = toks;
    this.i = 0;
    const decl: string[] = [];
    const save = this.i;
    while (this.toks[this.i]?.t === 'var') {
      decl.push(this.toks[this.i].v);
      this.i++;
      if (this.toks[this.i]?.t === ',') {
        this.i++;
        continue;
      }
      if (this.toks[this.i]?.t === ':=' || this.toks[this.i]?.t === '=') {
        this.i++;
        break;
      }
      decl.length = 0;
      this.i = save;
      break;
    }
    const cmds: Operand[][] = [];
    while (true) {
      const cmd: Operand[] = [];
      while (this.i < this.toks.length && this.toks[this.i].t !== '|' && this.toks[this.i].t !== ')') cmd.push(this.operand());
      if (!cmd.length) this.fail(this.toks[this.i]?.pos ?? pos, 'missing value for command');
      cmds.push(cmd);
      if (this.toks[this.i]?.t !== '|') break;
      this.i++;
    }
    if (this.i < this.toks.length && this.toks[this.i].t === ')') this.fail(this.toks[this.i].pos, 'unexpected right paren');
    return { decl, cmds };
  }

  private operand(): Operand {
    const tok = this.toks[this.i++];
    const chain = (): string[] => {
      const next = this.toks[this.i];
      if (next?.t === 'field' && next.pos === this.toks[this.i - 1].pos + this.toks[this.i - 1].v.length) {
        this.i++;
        return next.v.slice(1).split('.');
      }
      return [];
    };
    switch (tok.t) {
      case 'field':
        return { kind: 'field', names: tok.v.slice(1).split('.'), pos: tok.pos, text: tok.v };
      case '.':
        return { kind: 'dot' };
      case 'var': {
        const names = chain();
        return { kind: 'var', name: tok.v, names, pos: tok.pos, text: tok.v + names.map((n) => `.${n}`).join('') };
      }
      case 'str':
        return { kind: 'lit', value: tok.v };
      case 'num':
        return { kind: 'lit', value: Number(tok.v) };
      case 'ident':
        if (tok.v === 'true' || tok.v === 'false') return { kind: 'lit', value: tok.v === 'true' };
        if (tok.v === 'nil') return { kind: 'lit', value: null };
        if (!BUILTINS.has(tok.v) && !this.funcs.has(tok.v)) this.fail(tok.pos, `function "${tok.v}" not defined`);
        return { kind: 'ident', name: tok.v, pos: tok.pos };
      case '(': {
        const saveToks = this.toks;
        let depth = 1;
        let j = this.i;
        for (; j < saveToks.length && depth; j++) depth += saveToks[j].t === '(' ? 1 : saveToks[j].t === ')' ? -1 : 0;
        if (depth) this.fail(tok.pos, 'unclosed left paren');
        const inner = saveToks.slice(this.i, j - 1);
        const saveI = j;
        const pipe = this.pipeline(inner, tok.pos);
        this.toks = saveToks;
        this.i = saveI;
        const names = chain();
        return { kind: 'pipe', pipe, names, pos: tok.pos, text: `(${this.src.slice(tok.pos + 1, saveToks[j - 1].pos)})` };
      }
      default:
        this.fail(tok.pos, `unexpected "${tok.v}" in operand`);
    }
  }

  /** The byte offset of `pos` within its line (Go's column in exec errors). */
  col(pos: number): string {
    return `${this.line(pos)}:${pos - (this.src.lastIndexOf('\n', pos - 1) + 1)}`;
  }
}

// ---- execution ----

export type TemplateFunc = (...args: unknown[]) => unknown;

export interface TemplateOptions {
  /** Functions beyond the builtins (docker's json, join, upper, ...). */
  funcs?: Record<string, TemplateFunc>;
  /** Go's Option("missingkey=error"): a missing map key is an error instead of `<no value>`. */
  missingKeyError?: boolean;
}

class Exec {
  private out = '';
  private vars: [string, unknown][] = [];

  constructor(private readonly parser: Parser, private readonly opts: TemplateOptions) {}

  run(nodes: Node[], dot: unknown): string {
    this.vars = [['$', dot]];
    this.walk(nodes, dot);
    return this.out;
  }

  private fail(pos: number, text: string, msg: string): never {
    throw new TemplateError(`template: :${this.parser.col(pos)}: executing "" at <${text}>: ${msg}`, 'exec');
  }

  private walk(nodes: Node[], dot: unknown): void {
    for (const n of nodes) {
      if (n.kind === 'text') this.out += n.text;
      else if (n.kind === 'action') {
        const v = this.pipeline(n.pipe, dot);
        if (!n.pipe.decl.length) this.out += goValue(v);
      } else {
        const mark = this.vars.length;
        const v = this.pipeline(n.pipe, dot);
        if (n.kind === 'if') this.walk(truth(v) ? n.list : n.elseList, dot);
        else if (n.kind === 'with') this.walk(truth(v) ? n.list : n.elseList, truth(v) ? v : dot);
        else this.range(n, v, dot);
        this.vars.length = mark;
      }
    }
  }

  private range(n: ControlNode, v: unknown, dot: unknown): void {
    const entries: [unknown, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : isMap(v)
        ? Object.keys(v).sort().map((k) => [k, v[k]])
        : typeof v === 'number'
          ? Array.from({ length: v }, (_, i) => [i, i])
          : [];
    if (!entries.length) {
      this.walk(n.elseList, dot);
      return;
    }
    const mark = this.vars.length;
    for (const [k, x] of entries) {
      const d = n.pipe.decl;
      if (d.length === 1) this.setVar(d[0], x);
      if (d.length === 2) {
        this.setVar(d[0], k);
        this.setVar(d[1], x);
      }
      this.walk(n.list, x);
      this.vars.length = mark + d.length;
    }
  }

  private setVar(name: string, v: unknown): void {
    this.vars.push([name, v]);
  }

  private pipeline(p: Pipeline, dot: unknown): unknown {
    let v: unknown;
    let first = true;
    for (const cmd of p.cmds) {
      v = this.command(cmd, dot, first ? [] : [v]);
      first = false;
    }
    // In a range's declaration the variables are the loop's; elsewhere `$x := pipeline` binds now.
    if (p.decl.length === 1) this.setVar(p.decl[0], v);
    return v;
  }

  private command(cmd: Operand[], dot: unknown, final: unknown[]): unknown {
    const [head, ...rest] = cmd;
    const args = (): unknown[] => [...rest.map((o) => this.operand(o, dot)), ...final];
    switch (head.kind) {
      case 'ident':
        return this.call(head.name, args(), head.pos);
      case 'field':
        return this.chain(dot, head.names, head.pos, head.text, args());
      case 'var':
        return this.chain(this.lookupVar(head.name, head.pos), head.names, head.pos, head.text, args());
      case 'pipe':
        return this.chain(this.pipeline(head.pipe, dot), head.names, head.pos, head.text, args());
      default:
        if (rest.length || final.length) throw new TemplateError(`template: :1: can't give argument to non-function ${goValue(this.operand(head, dot))}`, 'exec');
        return this.operand(head, dot);
    }
  }

  private operand(o: Operand, dot: unknown): unknown {
    switch (o.kind) {
      case 'dot':
        return dot;
      case 'lit':
        return o.value;
      case 'field':
        return this.chain(dot, o.names, o.pos, o.text, []);
      case 'var':
        return this.chain(this.lookupVar(o.name, o.pos), o.names, o.pos, o.text, []);
      case 'pipe':
        return this.chain(this.pipeline(o.pipe, dot), o.names, o.pos, o.text, []);
      case 'ident':
        return this.call(o.name, [], o.pos);
    }
  }

  private lookupVar(name: string, pos: number): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i][0] === name) return this.vars[i][1];
    throw new TemplateError(`template: :${this.parser.col(pos).split(':')[0]}: undefined variable "${name}"`, 'parse');
  }

  /** Follows `.A.B.C` from `v`; the last name may be a method called with `args`. */
  private chain(v: unknown, names: string[], pos: number, text: string, args: unknown[]): unknown {
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const last = i === names.length - 1;
      if (v === undefined || v === null) this.fail(pos, text, `nil pointer evaluating interface {}.${name}`);
      if (isStruct(v) || isMap(v)) {
        if (!(name in v)) {
          if (isStruct(v)) this.fail(pos, text, `can't evaluate field ${name} in type ${structTypes.get(v)}`);
          if (this.opts.missingKeyError) this.fail(pos, text, `map has no entry for key "${name}"`);
        }
        const f = v[name];
        if (typeof f === 'function') {
          v = (f as TemplateFunc)(...(last ? args : []));
          if (last) return v;
          continue;
        }
        v = f;
      } else {
        this.fail(pos, text, `can't evaluate field ${name} in type ${typeName(v)}`);
      }
    }
    if (args.length) this.fail(pos, text, `${names.length ? names[names.length - 1] : text} has arguments but cannot be invoked as function`);
    return v;
  }

  private call(name: string, args: unknown[], pos: number): unknown {
    const extra = this.opts.funcs?.[name];
    if (extra) return extra(...args);
    const need = (n: number): void => {
      if (args.length < n) this.fail(pos, name, `wrong number of args for ${name}: want ${n} got ${args.length}`);
    };
    const cmp = (a: unknown, b: unknown): number => {
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) this.fail(pos, name, `error calling ${name}: incompatible types for comparison`);
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    };
    switch (name) {
      case 'and':
        need(1);
        return args.find((a) => !truth(a)) ?? args[args.length - 1];
      case 'or':
        need(1);
        return args.find((a) => truth(a)) ?? args[args.length - 1];
      case 'not':
        need(1);
        return !truth(args[0]);
      case 'len': {
        need(1);
        const a = args[0];
        if (typeof a === 'string') return Buffer.byteLength(a);
        if (Array.isArray(a)) return a.length;
        if (isMap(a)) return Object.keys(a).length;
        return this.fail(pos, name, `error calling len: len of type ${typeName(a)}`);
      }
      case 'index': {
        need(1);
        let v = args[0];
        for (const k of args.slice(1)) {
          if (Array.isArray(v) && typeof k === 'number') {
            if (k < 0 || k >= v.length) this.fail(pos, name, `error calling index: index out of range: ${k}`);
            v = v[k];
          } else if (isMap(v)) v = v[String(k)];
          else if (v === undefined || v === null) this.fail(pos, name, 'error calling index: index of untyped nil');
          else this.fail(pos, name, `error calling index: can't index item of type ${typeName(v)}`);
        }
        return v;
      }
      case 'slice': {
        need(1);
        const [v, from = 0, to] = args as [unknown, number, number | undefined];
        if (typeof v === 'string') return v.slice(from, to);
        if (Array.isArray(v)) return v.slice(from, to);
        return this.fail(pos, name, `error calling slice: can't slice item of type ${typeName(v)}`);
      }
      case 'print':
        return args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + goValue(a)).join('');
      case 'println':
        return `${args.map(goValue).join(' ')}\n`;
      case 'printf':
        need(1);
        return goSprintf(String(args[0]), args.slice(1));
      case 'eq':
        need(2);
        return args.slice(1).some((b) => args[0] === b);
      case 'ne':
        need(2);
        return args[0] !== args[1];
      case 'lt':
        need(2);
        return cmp(args[0], args[1]) < 0;
      case 'le':
        need(2);
        return cmp(args[0], args[1]) <= 0;
      case 'gt':
        need(2);
        return cmp(args[0], args[1]) > 0;
      case 'ge':
        need(2);
        return cmp(args[0], args[1]) >= 0;
    }
    return this.fail(pos, name, `function "${name}" not defined`);
  }
}

/** A parsed template, executable over many values (docker formats each container with one). */
export class GoTemplate {
  private readonly nodes: Node[];
  private readonly parser: Parser;

  /** Throws TemplateError (phase 'parse') with Go's message when `src` does not parse. */
  constructor(src: string, private readonly opts: TemplateOptions = {}) {
    this.parser = new Parser(src, new Set(Object.keys(opts.funcs ?? {})));
    this.nodes = this.parser.parse();
  }

  /** Executes over `data`; throws TemplateError (phase 'exec') as Go's Execute fails. */
  execute(data: unknown, opts: Pick<TemplateOptions, 'missingKeyError'> = {}): string {
    return new Exec(this.parser, { ...this.opts, ...opts }).run(this.nodes, data);
  }
}
