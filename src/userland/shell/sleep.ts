/**
 * GNU sleep as a builtin: `sleep 1`, `sleep 0.5`, `sleep 1m 30s` (arguments add up), suffixes s m h d.
 * Time is the host's: in the foreground the wait drives the simulated clock; in a background job
 * it waits for the foreground to move it. A killed job's sleep ends at once.
 */
import { abortable } from './jobs.ts';
import type { Builtin } from './state.ts';

const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in one operand (strtod syntax plus an optional unit), or undefined if it is not valid. */
export function parseInterval(arg: string): number | undefined {
  const m = /^\+?((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|0[xX][0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?)([smhd]?)$/i.exec(arg);
  if (!m) return undefined;
  const n = /^inf/i.test(m[1]) ? Infinity : /^0x/i.test(m[1]) ? parseInt(m[1], 16) : Number(m[1]);
  return Number.isNaN(n) ? undefined : n * UNITS[m[2].toLowerCase()];
}

const TRY = "Try 'sleep --help' for more information.\n";

export const sleep: Builtin = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '--') args.shift();
  else if (args[0]?.startsWith('-') && args[0].length > 1) {
    const opt = args[0].startsWith('--') ? `unrecognized option '${args[0]}'` : `invalid option -- '${args[0][1]}'`;
    ctx.stderr(`sleep: ${opt}\n${TRY}`);
    return 1;
  }
  if (!args.length) {
    ctx.stderr(`sleep: missing operand\n${TRY}`);
    return 1;
  }
  let seconds = 0;
  let bad = false;
  for (const a of args) {
    const s = parseInterval(a);
    if (s === undefined) {
      ctx.stderr(`sleep: invalid time interval '${a}'\n`);
      bad = true;
    } else seconds += s;
  }
  if (bad) {
    ctx.stderr(TRY);
    return 1;
  }
  const ms = seconds * 1000;
  // `sleep infinity` (or anything past any simulation's horizon) only ends when killed.
  const wait = ms > 1e15 ? new Promise<void>(() => {}) : ctx.sys.sleep(ms);
  await ctx.sys.until(abortable(wait, ctx.signal));
  return ctx.signal?.aborted ? 143 : 0;
};
