/**
 * `[[ ... ]]`: like test, but words are not split or globbed, `==`/`!=` match patterns, `=~` matches
 * an extended regular expression, `<`/`>` compare strings, and `-eq`... evaluate arithmetic.
 */
import type { CondExpr } from './ast.ts';
import { ArithError, evaluate } from './arith.ts';
import { arithVars, expandPattern, expandRegex, expandString, type Expander } from './expand.ts';
import { matchPattern } from './pattern.ts';
import { binaryTest, unaryTest } from './test-builtin.ts';
import { shellError, type Sink } from './state.ts';
import { posixToJs, RegexSyntaxError } from '../text/regex.ts';

/** Thrown for a condition that cannot be evaluated: the status is 2 (bad regex) or 1 (bad arithmetic). */
class CondError extends Error {
  constructor(readonly status: number) {
    super();
  }
}

async function evalExpr(e: CondExpr, ex: Expander, stderr: Sink): Promise<boolean> {
  switch (e.kind) {
    case 'and':
      return (await evalExpr(e.left, ex, stderr)) && evalExpr(e.right, ex, stderr);
    case 'or':
      return (await evalExpr(e.left, ex, stderr)) || evalExpr(e.right, ex, stderr);
    case 'not':
      return !(await evalExpr(e.expr, ex, stderr));
    case 'word':
      return (await expandString(e.word, ex)) !== '';
    case 'unary':
      return unaryTest(e.op, await expandString(e.arg, ex), ex.state);
  }
  const left = await expandString(e.left, ex);
  if (e.op === '==' || e.op === '=' || e.op === '!=') {
    const matched = matchPattern(await expandPattern(e.right, ex), left);
    return e.op === '!=' ? !matched : matched;
  }
  if (e.op === '=~') {
    let re: RegExp;
    try {
      re = new RegExp(posixToJs(await expandRegex(e.right, ex), 'extended'));
    } catch (err) {
      if (err instanceof RegexSyntaxError || err instanceof SyntaxError) throw new CondError(2);
      throw err;
    }
    const m = re.exec(left);
    if (m) ex.state.env.BASH_REMATCH = m[0];
    return m !== null;
  }
  const right = await expandString(e.right, ex);
  const toInt = (s: string) => {
    try {
      return evaluate(s, arithVars(ex.state));
    } catch (err) {
      if (!(err instanceof ArithError)) throw err;
      shellError(ex.state, stderr, err.message);
      throw new CondError(1);
    }
  };
  return binaryTest(e.op, left, right, ex.state, toInt);
}

/** The status of `[[ expr ]]`: 0 true, 1 false, 2 for a bad regular expression. */
export async function runCond(e: CondExpr, ex: Expander, stderr: Sink): Promise<number> {
  try {
    return (await evalExpr(e, ex, stderr)) ? 0 : 1;
  } catch (err) {
    if (err instanceof CondError) return err.status;
    throw err;
  }
}
