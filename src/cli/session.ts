/**
 * A shell session on a simulated host: runs command lines with the host's commands, keeps cwd,
 * variables and `$?` between lines, and loads/saves the host from a state file when asked.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SimHost, type SimHostState } from '../host/sim/host.ts';
import { allCommands } from '../userland/registry.ts';
import { runShell, type ShellOptions } from '../userland/shell/index.ts';

export class Session {
  readonly opts: ShellOptions;

  constructor(
    readonly host: SimHost,
    out: { stdout(t: string): void; stderr(t: string): void },
  ) {
    this.opts = {
      commands: allCommands(), fs: host.fs, cwd: '/root', env: { HOME: '/root', PATH: '/usr/sbin:/usr/bin:/sbin:/bin', USER: 'root' },
      sys: host.sys, stdout: out.stdout, stderr: out.stderr, lastStatus: 0,
    };
  }

  async run(line: string, stdin = ''): Promise<number> {
    this.opts.stdin = stdin;
    const status = await runShell(line, this.opts);
    this.opts.lastStatus = status;
    return status;
  }

  /** Loads the host kept in `file`, or a fresh one if the file does not exist yet. */
  static hostFromFile(file: string | undefined, seed?: number): SimHost {
    if (file && existsSync(file)) return SimHost.fromState(JSON.parse(readFileSync(file, 'utf8')) as SimHostState);
    return new SimHost({ seed });
  }

  static saveHost(file: string, host: SimHost): void {
    writeFileSync(file, JSON.stringify(host.toState()) + '\n');
  }
}
