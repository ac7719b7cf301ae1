/**
 * Runs the node tools (bridge, brctl, ethtool, sysctl, ps, ...) on a SimHost for the
 * differential tests: one command line, split into words, run as a process in a given
 * namespace, with its output collected. Commands that run other programs get an `exec` that
 * runs them from the same table.
 */
import type { SimHost } from '../../src/host/sim/host.ts';
import type { Command, CommandContext, System } from '../../src/userland/command.ts';
import type { RunResult } from './real.ts';
import { words } from './sim.ts';

export type Table = ReadonlyMap<string, Command>;

export async function runTool(host: SimHost, table: Table, line: string | string[], opts: { sys?: System; stdin?: string } = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const status = await runIn(host, table, typeof line === 'string' ? words(line) : line, opts.sys ?? host.sys, opts.stdin ?? '', (t) => (stdout += t), (t) => (stderr += t));
  return { stdout, stderr, status };
}

async function runIn(host: SimHost, table: Table, argv: string[], sys: System, stdin: string, out: (t: string) => void, err: (t: string) => void): Promise<number> {
  const name = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  const cmd = table.get(name);
  if (!cmd) {
    err(`bash: ${argv[0]}: command not found\n`);
    return 127;
  }
  const ctx: CommandContext = {
    argv, stdin, fs: sys.files?.() ?? host.fs, cwd: '/', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, sys,
    stdout: out, stderr: err,
    exec: (args, o = {}) => runIn(host, table, args, o.sys ?? sys, o.stdin ?? stdin, o.stdout ?? out, o.stderr ?? err),
    exists: (prog) => table.has(prog.slice(prog.lastIndexOf('/') + 1)),
  };
  return await cmd(ctx);
}
