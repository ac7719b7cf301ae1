/** Input helpers shared by the text tools: reading operands (files or `-`) and splitting lines. */
import type { CommandContext } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';

export type Input = { name: string; data: string; error?: undefined } | { name: string; data?: undefined; error: string };

/** Reads one operand: `-` is stdin; errors are worded as GNU tools print them after `prog: `. */
export function readInput(ctx: CommandContext, name: string): Input {
  if (name === '-') return { name, data: ctx.stdin };
  const path = resolvePath(ctx.cwd, name);
  if (path === '/dev/stdin') return { name, data: ctx.stdin };
  if (path === '/dev/null') return { name, data: '' };
  if (ctx.fs.isDir(path)) return { name, error: `${name}: Is a directory` };
  const data = ctx.fs.read(path);
  if (data === undefined) return { name, error: `${name}: No such file or directory` };
  return { name, data };
}

/**
 * Splits text into lines without their newlines. `complete` is false when the last line had no
 * trailing newline (some tools, like sed and diff, care).
 */
export function splitLines(text: string): { lines: string[]; complete: boolean } {
  if (text === '') return { lines: [], complete: true };
  const complete = text.endsWith('\n');
  const lines = (complete ? text.slice(0, -1) : text).split('\n');
  return { lines, complete };
}

/** The name a command was invoked as, without its directory (`/usr/bin/grep` -> `grep`). */
export function progName(ctx: CommandContext, fallback: string): string {
  const a = ctx.argv[0] ?? fallback;
  return a.slice(a.lastIndexOf('/') + 1) || fallback;
}
