/**
 * A shell session on a simulated host: runs command lines with the host's commands, keeps cwd,
 * variables and `$?` between lines, and persists the host in a state file.
 *
 * The state file holds the seed, the start time and the journal of command lines (with their
 * stdin) run so far. The simulation is deterministic, so replaying the journal on a fresh host
 * rebuilds everything exactly — devices, MACs, routes, rules, counters, conntrack, files — with
 * no serialiser to keep in step with the model.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SimHost } from '../host/sim/host.ts';
import { allCommands } from '../userland/registry.ts';
import { runShell, type ShellOptions } from '../userland/shell/index.ts';

export interface SessionState {
  version: 2;
  seed: number;
  /** The host's clock at the start (ms since the epoch). */
  start: number;
  journal: { line: string; stdin: string }[];
}

type Sinks = { stdout(t: string): void; stderr(t: string): void };

export class Session {
  readonly opts: ShellOptions;
  readonly journal: SessionState['journal'] = [];
  private sinks: Sinks;

  constructor(
    readonly host: SimHost,
    out: Sinks,
    readonly seed = 1,
    readonly start = host.kernel.clock.now,
  ) {
    this.sinks = out;
    this.opts = {
      commands: allCommands(),
      fs: host.sys.files?.() ?? host.fs,
      cwd: '/root',
      env: { HOME: '/root', PATH: '/usr/sbin:/usr/bin:/sbin:/bin', USER: 'root' },
      sys: host.sys,
      stdout: (t) => this.sinks.stdout(t),
      stderr: (t) => this.sinks.stderr(t),
      lastStatus: 0,
    };
  }

  async run(line: string, stdin = ''): Promise<number> {
    this.journal.push({ line, stdin });
    this.opts.stdin = stdin;
    const status = await runShell(line, this.opts);
    this.opts.lastStatus = status;
    return status;
  }

  /** Opens the session kept in `file` (replaying its journal silently), or a fresh one. */
  static async open(file: string | undefined, out: Sinks, seed?: number): Promise<Session> {
    if (!file || !existsSync(file)) {
      const s = seed ?? 1;
      return new Session(new SimHost({ seed: s }), out, s);
    }
    const state = JSON.parse(readFileSync(file, 'utf8')) as SessionState;
    if (state.version !== 2) throw new Error(`${file}: not a podlab state file of this version`);
    const quiet = { stdout: () => {}, stderr: () => {} };
    const session = new Session(new SimHost({ seed: state.seed, clock: state.start }), quiet, state.seed, state.start);
    for (const { line, stdin } of state.journal) await session.run(line, stdin);
    session.sinks = out;
    return session;
  }

  save(file: string): void {
    const state: SessionState = { version: 2, seed: this.seed, start: this.start, journal: this.journal };
    writeFileSync(file, JSON.stringify(state) + '\n');
  }
}
