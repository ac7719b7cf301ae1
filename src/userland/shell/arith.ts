/**
 * Shell arithmetic (`$((...))`, `((...))`, `let`, `for ((...))`): bash's operators and precedence
 * over 64-bit signed integers, with variables read (recursively, as expressions) and assigned
 * through `vars`. Errors carry bash's wording and its "error token".
 */

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

/** An arithmetic error; `message` is what bash prints after `bash: line N: `. */
export class ArithError extends Error {}

type Tok = { kind: 'num'; text: string; pos: number } | { kind: 'name'; text: string; pos: number } | { kind: 'op'; text: string; pos: number } | { kind: 'end'; text: ''; pos: number };

const OPS = ['<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '^', '|', '?', ':', ',', '(', ')'];
const ASSIGN = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/** Binary operators by precedence level, lowest first (assignment, ?: and the comma are handled apart). */
const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

const wrap = (v: bigint) => BigInt.asIntN(64, v);

export function evaluate(expr: string, vars: ArithVars): bigint {
  return new Evaluator(expr, vars, 0).run();
}

class Evaluator {
  private toks: Tok[] = [];
  private i = 0;
  /** Above zero while parsing a branch that is not taken (`0 && x=1`): no effects, no errors. */
  private noeval = 0;

  constructor(
    private readonly expr: string,
    private readonly vars: ArithVars,
    private readonly depth: number,
  ) {}

  run(): bigint {
    this.toks = this.lex();
    if (this.toks.length === 1) return 0n;
    const v = this.comma();
    if (this.peek().kind !== 'end') {
      const t = this.peek();
      throw this.error(t.kind === 'op' && t.text !== '(' ? 'syntax error: invalid arithmetic operator' : 'syntax error in expression', t.pos);
    }
    return v;
  }

  private error(what: string, pos: number): ArithError {
    return new ArithError(`${this.expr.replace(/^\s+/, '')}: ${what} (error token is "${this.expr.slice(pos)}")`);
  }

  private lex(): Tok[] {
    const s = this.expr;
    const out: Tok[] = [];
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      const num = /^[0-9][0-9A-Za-z@_#]*/.exec(s.slice(i));
      if (num) {
        out.push({ kind: 'num', text: num[0], pos: i });
        i += num[0].length;
        continue;
      }
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
      if (name) {
        // `a[i+1]`: an array element; the subscript goes with the name to `vars`.
        let end = i + name[0].length;
        if (s[end] === '[') {
          let depth = 0;
          for (let k = end; k < s.length; k++) {
            if (s[k] === '[') depth++;
            else if (s[k] === ']' && --depth === 0) {
              end = k + 1;
              break;
            }
          }
        }
        out.push({ kind: 'name', text: s.slice(i, end), pos: i });
        i = end;
        continue;
      }
      const op = OPS.find((o) => s.startsWith(o, i));
      if (!op) throw this.error('syntax error: invalid arithmetic operator', i);
      out.push({ kind: 'op', text: op, pos: i });
      i += op.length;
    }
    out.push({ kind: 'end', text: '', pos: s.length });
    return out;
  }

  private peek(): Tok {
    return this.toks[this.i];
  }

  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t.kind === 'op' && ops.includes(t.text);
  }

  private comma(): bigint {
    let v = this.assign();
    while (this.isOp(',')) {
      this.i++;
      v = this.assign();
    }
    return v;
  }

  private assign(): bigint {
    const t = this.peek();
    const op = this.toks[this.i + 1];
    if (t.kind === 'name' && op.kind === 'op' && ASSIGN.has(op.text)) {
      this.i += 2;
      const rhs = this.assign();
      if (this.noeval) return rhs;
      const v = op.text === '=' ? rhs : this.binary(op.text.slice(0, -1), this.variable(t.text, t.pos), rhs, op.pos + op.text.length);
      this.vars.set(t.text, String(v));
      return v;
    }
    const v = this.ternary();
    if (this.isOp(...ASSIGN)) throw this.error('attempted assignment to non-variable', this.peek().pos);
    return v;
  }

  private ternary(): bigint {
    const cond = this.level(0);
    if (!this.isOp('?')) return cond;
    this.i++;
    if (!cond) this.noeval++;
    const a = this.comma();
    if (!cond) this.noeval--;
    if (!this.isOp(':')) throw this.error("`:' expected for conditional expression", this.peek().pos);
    this.i++;
    if (cond) this.noeval++;
    const b = this.ternary();
    if (cond) this.noeval--;
    return cond ? a : b;
  }

  private level(k: number): bigint {
    if (k === LEVELS.length) return this.power();
    let left = this.level(k + 1);
    while (this.isOp(...LEVELS[k])) {
      const op = this.peek().text;
      this.i++;
      // && and || do not evaluate their right side when the left decides.
      const skip = (op === '&&' && !left) || (op === '||' && !!left);
      if (skip) this.noeval++;
      const rpos = this.peek().pos;
      const right = this.level(k + 1);
      if (skip) this.noeval--;
      left = this.binary(op, left, right, rpos);
    }
    return left;
  }

  private binary(op: string, a: bigint, b: bigint, rpos: number): bigint {
    if (this.noeval) return 0n;
    switch (op) {
      case '||':
        return a || b ? 1n : 0n;
      case '&&':
        return a && b ? 1n : 0n;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '&':
        return a & b;
      case '==':
        return a === b ? 1n : 0n;
      case '!=':
        return a !== b ? 1n : 0n;
      case '<':
        return a < b ? 1n : 0n;
      case '>':
        return a > b ? 1n : 0n;
      case '<=':
        return a <= b ? 1n : 0n;
      case '>=':
        return a >= b ? 1n : 0n;
      case '<<':
        return wrap(a << (b & 63n));
      case '>>':
        return a >> (b & 63n);
      case '+':
        return wrap(a + b);
      case '-':
        return wrap(a - b);
      case '*':
        return wrap(a * b);
      case '**':
        if (b < 0n) throw this.error('exponent less than 0', rpos);
        return wrap(a ** b);
      default:
        if (b === 0n) throw this.error('division by 0', rpos);
        // INT64_MIN / -1 overflows in C; bash returns INT64_MIN (and 0 for the remainder).
        if (b === -1n && a === -(2n ** 63n)) return op === '/' ? a : 0n;
        return op === '/' ? a / b : a % b;
    }
  }

  /** `**` binds tighter than `*` and is right-associative; its operands are unary expressions. */
  private power(): bigint {
    const base = this.unary();
    if (!this.isOp('**')) return base;
    this.i++;
    const rpos = this.peek().pos;
    const exp = this.power();
    return this.binary('**', base, exp, rpos);
  }

  private unary(): bigint {
    const t = this.peek();
    if (t.kind === 'op') {
      switch (t.text) {
        case '!':
          this.i++;
          return this.unary() ? 0n : 1n;
        case '~':
          this.i++;
          return ~this.unary();
        case '-':
          this.i++;
          return wrap(-this.unary());
        case '+':
          this.i++;
          return this.unary();
        case '++':
        case '--': {
          this.i++;
          const n = this.peek();
          if (n.kind !== 'name') throw this.error('syntax error: operand expected', n.pos);
          this.i++;
          const v = wrap(this.variable(n.text, n.pos) + (t.text === '++' ? 1n : -1n));
          if (!this.noeval) this.vars.set(n.text, String(v));
          return v;
        }
      }
    }
    return this.postfix();
  }

  private postfix(): bigint {
    const t = this.peek();
    if (t.kind === 'name') {
      this.i++;
      const v = this.variable(t.text, t.pos);
      if (this.isOp('++', '--')) {
        const op = this.peek().text;
        this.i++;
        if (!this.noeval) this.vars.set(t.text, String(wrap(v + (op === '++' ? 1n : -1n))));
      }
      return v;
    }
    if (t.kind === 'num') {
      this.i++;
      return this.number(t.text, t.pos);
    }
    if (this.isOp('(')) {
      this.i++;
      const v = this.comma();
      if (!this.isOp(')')) throw this.error("missing `)'", this.peek().pos);
      this.i++;
      return v;
    }
    // At the end the culprit is the operator that wanted an operand.
    const pos = t.kind === 'end' && this.i > 0 ? this.toks[this.i - 1].pos : t.pos;
    throw this.error('syntax error: operand expected', pos);
  }

  /** A variable's value: empty or unset is 0, anything else is itself an expression. */
  private variable(name: string, pos: number): bigint {
    const raw = this.vars.get(name);
    if (raw === undefined || raw.trim() === '') return 0n;
    if (/^\s*-?[0-9]+\s*$/.test(raw) && !/^\s*-?0[0-9]/.test(raw)) return wrap(BigInt(raw.trim()));
    if (this.depth > 1000) throw this.error('expression recursion level exceeded', pos);
    return new Evaluator(raw, this.vars, this.depth + 1).run();
  }

  private number(text: string, pos: number): bigint {
    let base = 10;
    let digits = text;
    const hash = text.indexOf('#');
    if (hash >= 0) {
      base = Number(text.slice(0, hash));
      digits = text.slice(hash + 1);
      if (!/^[0-9]+$/.test(text.slice(0, hash)) || base < 2 || base > 64) throw this.error('invalid arithmetic base', pos);
    } else if (/^0[xX]/.test(text)) {
      base = 16;
      digits = text.slice(2);
    } else if (text.length > 1 && text[0] === '0') {
      base = 8;
      digits = text.slice(1);
    }
    let v = 0n;
    for (const c of digits) {
      let d: number;
      if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
      else if (c >= 'a' && c <= 'z') d = c.charCodeAt(0) - 87;
      else if (c >= 'A' && c <= 'Z') d = base <= 36 ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 29;
      else if (c === '@') d = 62;
      else if (c === '_') d = 63;
      else d = 99;
      if (d >= base) throw this.error('value too great for base', pos);
      v = wrap(v * BigInt(base) + BigInt(d));
    }
    return v;
  }
}
