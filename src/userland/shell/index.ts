/** The shell's entry point: parse a command line and run it against a command table and a host. */
import type { CommandTable, System } from '../command.ts';
import type { FileSystem } from '../../host/sim/fs.ts';
import { parse } from './parser.ts';
import { ShellSyntaxError } from './lexer.ts';
import { runList, type Io, type ShellState } from './exec.ts';

export interface ShellOptions {
  commands: CommandTable;
  fs: FileSystem;
  /** Working directory; `cd` writes the new one back here so a session keeps it between lines. */
  cwd: string;
  /** Variables; assignments and `export` change this object in place, so they persist likewise. */
  env: Record<string, string>;
  sys: System;
  /** Text every command reading the shell's stdin gets (each one gets all of it). */
  stdin?: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** `$?` as left by the previous line (default 0). */
  lastStatus?: number;
}

/** Runs one command line (may contain `;`, newlines, `&&`, pipes...) and returns its exit status. */
export async function runShell(line: string, opts: ShellOptions): Promise<number> {
  const state: ShellState = {
    commands: opts.commands,
    fs: opts.fs,
    sys: opts.sys,
    cwd: opts.cwd,
    env: opts.env,
    lastStatus: opts.lastStatus ?? 0,
    runScript,
  };
  const status = await runScript(line, state, { stdin: opts.stdin ?? '', stdout: opts.stdout, stderr: opts.stderr });
  opts.cwd = state.cwd;
  return status;
}

async function runScript(src: string, state: ShellState, io: Io): Promise<number> {
  let list;
  try {
    list = parse(src);
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    io.stderr(`bash: ${e.message}\n`);
    state.lastStatus = 2;
    return 2;
  }
  const status = await runList(list, state, io);
  return state.exitStatus ?? status;
}

export { parse } from './parser.ts';
export { tokenize, ShellSyntaxError } from './lexer.ts';
export type * from './ast.ts';
