/**
 * Runs compound commands: groups, subshells, if, while/until, both for loops, case, `(( ))` and
 * `[[ ]]`. Loops unwind on break/continue signals; conditions run with `set -e` suspended.
 */
import type { CompoundCommand, List } from './ast.ts';
import { ArithError, evaluate } from './arith.ts';
import { setScalar } from './arrays.ts';
import { runCond } from './cond.ts';
import { arithValue, arithVars, expandPattern, expandString, expandWords, type Expander } from './expand.ts';
import { matchPattern } from './pattern.ts';
import { BreakSignal, ContinueSignal, ExitSignal, shellError, subshellState, type Io, type Runner, type ShellState } from './state.ts';

/** A killed background job stops at the next command it would run. */
export function checkKilled(state: ShellState): void {
  if (state.signal?.aborted) throw new ExitSignal(143);
}

/** Runs a list as a condition: a failure there does not trigger `set -e`. */
async function condition(list: List, state: ShellState, io: Io, run: Runner): Promise<number> {
  state.errexitOff++;
  try {
    return await run.list(list, state, io);
  } finally {
    state.errexitOff--;
  }
}

/** One pass of a loop body; false when a `break` ends the loop. Counts above one unwind outer loops. */
async function pass(body: () => Promise<number>): Promise<boolean> {
  try {
    await body();
    return true;
  } catch (e) {
    if (e instanceof BreakSignal) {
      if (--e.levels > 0) throw e;
      return false;
    }
    if (e instanceof ContinueSignal) {
      if (--e.levels > 0) throw e;
      return true;
    }
    throw e;
  }
}

/**
 * A loop pass that took no (virtual) time lets the clock move by a millisecond when other work is
 * pending: a background job's busy loop must not starve the foreground, and a foreground loop
 * polling for a job's result must let that job run.
 */
async function yieldTime(state: ShellState, startedAt: number): Promise<void> {
  if (state.sys.now() !== startedAt) return;
  if (state.signal || state.jobs.list().some((j) => j.status === undefined)) await state.sys.until(state.sys.sleep(1));
}

async function loop(state: ShellState, next: () => Promise<boolean>, body: () => Promise<number>): Promise<number> {
  let status = 0;
  state.loopDepth++;
  try {
    while (true) {
      checkKilled(state);
      const startedAt = state.sys.now();
      if (!(await next())) break;
      const goOn = await pass(body);
      status = state.lastStatus;
      if (!goOn) break;
      await yieldTime(state, startedAt);
    }
  } finally {
    state.loopDepth--;
  }
  return status;
}

export async function runCompound(node: CompoundCommand, state: ShellState, io: Io, run: Runner): Promise<number> {
  const ex = run.expander(state, io);
  switch (node.type) {
    case 'group':
      return run.list(node.body, state, io);
    case 'subshell': {
      const sub = subshellState(state);
      return run.isolated(() => run.list(node.body, sub, io), sub, io);
    }
    case 'if': {
      for (const clause of node.clauses) {
        if ((await condition(clause.cond, state, io, run)) === 0) return run.list(clause.body, state, io);
      }
      return node.otherwise ? run.list(node.otherwise, state, io) : 0;
    }
    case 'while':
    case 'until': {
      const want = node.type === 'while';
      return loop(
        state,
        async () => ((await condition(node.cond, state, io, run)) === 0) === want,
        () => run.list(node.body, state, io),
      );
    }
    case 'for': {
      const words = node.words ? await expandWords(node.words, ex) : [...state.positional];
      let k = 0;
      return loop(
        state,
        async () => {
          if (k >= words.length) return false;
          setScalar(state, node.name, words[k++]);
          return true;
        },
        () => run.list(node.body, state, io),
      );
    }
    case 'arithfor': {
      await arithValue(node.init, ex);
      let first = true;
      return loop(
        state,
        async () => {
          if (!first) await arithValue(node.step, ex);
          first = false;
          return node.test.every((p) => p.kind === 'lit' && p.text.trim() === '') || (await arithValue(node.test, ex)) !== 0n;
        },
        () => run.list(node.body, state, io),
      );
    }
    case 'case':
      return runCase(node, state, io, run, ex);
    case 'arith':
      try {
        return evaluate(await expandString(node.expr, ex), arithVars(state)) !== 0n ? 0 : 1;
      } catch (e) {
        if (!(e instanceof ArithError)) throw e;
        shellError(state, io.stderr, `((: ${e.message}`);
        return 1;
      }
    case 'cond':
      return runCond(node.expr, ex, io.stderr);
  }
}

async function runCase(node: Extract<CompoundCommand, { type: 'case' }>, state: ShellState, io: Io, run: Runner, ex: Expander): Promise<number> {
  const word = await expandString(node.word, ex);
  const body = (k: number) => (node.items[k].body.length ? run.list(node.items[k].body, state, io) : Promise.resolve(0));
  let status = 0;
  for (let k = 0; k < node.items.length; k++) {
    let matched = false;
    for (const p of node.items[k].patterns) {
      if (matchPattern(await expandPattern(p, ex), word)) {
        matched = true;
        break;
      }
    }
    if (!matched) continue;
    status = await body(k);
    // `;&` runs the next body without testing it; `;;&` goes on testing the next patterns.
    while (node.items[k].end === ';&' && k + 1 < node.items.length) status = await body(++k);
    if (node.items[k].end !== ';;&') break;
  }
  return status;
}

