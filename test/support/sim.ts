/** Runs emulated commands on a SimHost and collects what they print, for tests. */
import { SimHost } from '../../src/host/sim/host.ts';
import type { CommandContext } from '../../src/userland/command.ts';
import { netfilterCommands } from '../../src/userland/registry.ts';
import type { RunResult } from './real.ts';

const commands = netfilterCommands();

/** Runs one command (argv already split) on the host. */
export function simRun(host: SimHost, argv: string[], stdin = ''): RunResult {
  const cmd = commands.get(argv[0].split('/').pop()!);
  if (!cmd) throw new Error(`no such command ${argv[0]}`);
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    argv, stdin, fs: host.fs, cwd: '/', env: {}, sys: host.sys,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
  };
  const status = cmd(ctx);
  if (typeof status !== 'number') throw new Error('async command in simRun');
  return { stdout, stderr, status };
}

/** Splits a simple command line (double quotes, no shell syntax) into words. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

export { SimHost };
