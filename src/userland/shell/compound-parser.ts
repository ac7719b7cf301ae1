/**
 * Parses compound commands: `{ }`, `( )`, if, while/until, for (both forms), case, `(( ))`,
 * `[[ ]]` and function definitions. The token-level helpers come from the Parser.
 */
import type { Case, CaseItem, CommandNode, CompoundCommand, CondExpr, FunctionDef, Word } from './ast.ts';
import { plain, type Token } from './lexer.ts';
import type { Parser } from './parser.ts';
import { ShellSyntaxError } from './syntax.ts';

const STARTERS = new Set(['{', 'if', 'while', 'until', 'for', 'case', '[[']);

export function isCompoundStart(p: Parser): boolean {
  const t = p.peek();
  if (!t) return false;
  if (t.type === 'arith') return true;
  if (t.type === 'op') return t.op === '(';
  return STARTERS.has(plain(t) ?? '');
}

export function compoundCommand(p: Parser): CompoundCommand {
  const t = p.next();
  const line = t.line;
  if (t.type === 'op') {
    const body = p.body();
    p.expectOp(')');
    return { type: 'subshell', body, redirects: [], line };
  }
  if (t.type === 'arith') return { type: 'arith', expr: t.expr, raw: t.text, redirects: [], line };
  switch (plain(t)) {
    case '{': {
      const body = p.body();
      p.expectWord('}');
      return { type: 'group', body, redirects: [], line };
    }
    case 'if': {
      const clauses = [{ cond: p.body(), body: (p.expectWord('then'), p.body()) }];
      let otherwise;
      while (p.isWord('elif')) {
        p.next();
        const cond = p.body();
        p.expectWord('then');
        clauses.push({ cond, body: p.body() });
      }
      if (p.isWord('else')) {
        p.next();
        otherwise = p.body();
      }
      p.expectWord('fi');
      return { type: 'if', clauses, otherwise, redirects: [], line };
    }
    case 'while':
    case 'until': {
      const cond = p.body();
      return { type: plain(t) as 'while' | 'until', cond, body: doGroup(p), redirects: [], line };
    }
    case 'for':
      return forLoop(p, line);
    case 'case':
      return caseCommand(p, line);
    default: {
      const expr = condOr(p);
      if (!p.isWord(']]')) throw p.unexpected();
      p.next();
      return { type: 'cond', expr, raw: p.sourceFrom(t), redirects: [], line };
    }
  }
}

/** `do list done` */
function doGroup(p: Parser) {
  p.expectWord('do');
  const body = p.body();
  p.expectWord('done');
  return body;
}

function forLoop(p: Parser, line: number): CompoundCommand {
  const t = p.peek();
  if (t?.type === 'arith') {
    p.next();
    const [init, test, step] = arithClauses(p, t);
    if (p.isOp(';')) p.next();
    p.skipNewlines();
    return { type: 'arithfor', init, test, step, raw: t.text, body: doGroup(p), redirects: [], line };
  }
  if (t?.type !== 'word') throw p.unexpected();
  p.next();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.raw)) throw new ShellSyntaxError(`\`${t.raw}': not a valid identifier`);
  p.skipNewlines();
  let words: Word[] | undefined;
  let raws: string[] | undefined;
  if (p.isWord('in')) {
    p.next();
    words = [];
    raws = [];
    for (let w = p.peek(); w?.type === 'word'; w = p.peek()) {
      words.push(w.word);
      raws.push(w.raw);
      p.next();
    }
    if (!p.isOp(';') && !p.isOp('newline')) throw p.unexpected();
    p.next();
  } else if (p.isOp(';')) p.next();
  p.skipNewlines();
  return { type: 'for', name: t.raw, words, raws, body: doGroup(p), redirects: [], line };
}

/** The three `;`-separated expressions of `for ((init; test; step))`. */
function arithClauses(p: Parser, t: Extract<Token, { type: 'arith' }>): [Word, Word, Word] {
  const src = p.reader.src;
  const cuts: number[] = [];
  let depth = 0;
  for (let k = t.start + 2; k < t.end - 2; k++) {
    if (src[k] === '(') depth++;
    else if (src[k] === ')') depth--;
    else if (src[k] === ';' && depth === 0) cuts.push(k);
  }
  if (cuts.length !== 2) throw new ShellSyntaxError("syntax error: `;' unexpected");
  const bounds = [t.start + 2, cuts[0], cuts[0] + 1, cuts[1], cuts[1] + 1, t.end - 2];
  return [0, 2, 4].map((k) => p.reader.arith(bounds[k], bounds[k + 1])) as [Word, Word, Word];
}

function caseCommand(p: Parser, line: number): Case {
  const w = p.peek();
  if (w?.type !== 'word') throw p.unexpected();
  p.next();
  p.skipNewlines();
  p.expectWord('in');
  p.skipNewlines();
  const items: CaseItem[] = [];
  while (!p.isWord('esac')) {
    if (p.isOp('(')) p.next();
    const patterns: Word[] = [];
    const raws: string[] = [];
    while (true) {
      const pt = p.peek();
      if (pt?.type !== 'word') throw p.unexpected();
      p.next();
      patterns.push(pt.word);
      raws.push(pt.raw);
      if (!p.isOp('|')) break;
      p.next();
    }
    p.expectOp(')');
    const body = p.list();
    const end = p.peek();
    if (end?.type === 'op' && (end.op === ';;' || end.op === ';&' || end.op === ';;&')) {
      p.next();
      p.skipNewlines();
      items.push({ patterns, raws, body, end: end.op });
    } else {
      items.push({ patterns, raws, body, end: ';;' });
      if (!p.isWord('esac')) throw p.unexpected();
    }
  }
  p.next();
  return { type: 'case', word: w.word, raw: w.raw, items, redirects: [], line };
}

const UNARY = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-G', '-L', '-N', '-O', '-S', '-z', '-n', '-o', '-v', '-R']);
const BINARY = new Set(['=', '==', '!=', '=~', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function skipNewlines(p: Parser): void {
  p.skipNewlines();
}

function condOr(p: Parser): CondExpr {
  let left = condAnd(p);
  while (p.isOp('||')) {
    p.next();
    skipNewlines(p);
    left = { kind: 'or', left, right: condAnd(p) };
  }
  return left;
}

function condAnd(p: Parser): CondExpr {
  let left = condNot(p);
  while (p.isOp('&&')) {
    p.next();
    skipNewlines(p);
    left = { kind: 'and', left, right: condNot(p) };
  }
  return left;
}

function condNot(p: Parser): CondExpr {
  skipNewlines(p);
  if (p.isWord('!')) {
    p.next();
    return { kind: 'not', expr: condNot(p) };
  }
  return condPrimary(p);
}

function condPrimary(p: Parser): CondExpr {
  if (p.isOp('(')) {
    p.next();
    const e = condOr(p);
    skipNewlines(p);
    p.expectOp(')');
    return e;
  }
  const t = p.peek();
  if (t?.type !== 'word' || p.isWord(']]')) throw p.unexpected();
  p.next();
  const op = plain(t);
  const after = p.peek();
  if (op && UNARY.has(op) && after?.type === 'word' && plain(after) !== ']]') {
    p.next();
    return { kind: 'unary', op, arg: after.word };
  }
  const bop = binaryOp(p.peek());
  if (!bop) return { kind: 'word', word: t.word };
  p.next();
  if (bop === '=~') return { kind: 'binary', op: bop, left: t.word, right: regexWord(p) };
  const right = p.peek();
  if (right?.type !== 'word') throw p.unexpected();
  p.next();
  return { kind: 'binary', op: bop, left: t.word, right: right.word };
}

function binaryOp(t: Token | undefined): string | undefined {
  if (t?.type === 'redir' && t.fd === undefined && (t.op === '<' || t.op === '>')) return t.op;
  const w = plain(t);
  return w && BINARY.has(w) ? w : undefined;
}

/** The right side of `=~`: everything up to `]]`, `&&` or `||`, with `(`, `|` and `)` literal. */
function regexWord(p: Parser): Word {
  const first = p.peek();
  let last: Token | undefined;
  let depth = 0;
  for (let t = p.peek(); t; t = p.peek()) {
    if (plain(t) === ']]' || (t.type === 'op' && (t.op === '&&' || t.op === '||' || t.op === 'newline'))) break;
    if (t.type === 'op' && t.op === '(') depth++;
    if (t.type === 'op' && t.op === ')' && depth-- === 0) break;
    last = p.next();
  }
  if (!first || !last) throw p.unexpected();
  return p.reader.literalWord(first.start, last.end);
}

/** `function name [()] compound-command` */
export function functionDefinition(p: Parser): CommandNode {
  const kw = p.next();
  const name = p.peek();
  if (name?.type !== 'word') throw p.unexpected();
  p.next();
  if (p.isOp('(')) {
    p.next();
    p.expectOp(')');
  }
  return functionBody(p, name.raw, kw.line);
}

/** After `name ()`: newlines, then the compound command that is the function's body. */
export function functionBody(p: Parser, name: string, line: number): FunctionDef {
  p.skipNewlines();
  if (!isCompoundStart(p)) throw p.unexpected();
  const body = compoundCommand(p);
  body.redirects.push(...p.redirects());
  return { type: 'function', name, body, line };
}
