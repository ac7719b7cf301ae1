/**
 * The real kernel as the oracle: creates a network namespace of its own (named `pl-t-<pid>-<n>`),
 * runs real tools inside it with the sim host's /etc files bind-mounted (so name resolution
 * matches), and deletes it afterwards, also on failure. Never touches the machine's namespace.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultEtc } from '../../src/host/sim/etc.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

let probed: string | undefined | null = null;

/** Why the real-kernel tests cannot run here, or undefined when they can. */
export function realUnavailable(): string | undefined {
  if (probed !== null) return probed;
  if (process.getuid?.() !== 0) probed = 'not root: the differential tests need root to create network namespaces';
  else if (spawnSync('iptables', ['--version']).status !== 0) probed = 'iptables is not installed (apt-get install iptables)';
  else if (spawnSync('ip', ['-V']).status !== 0) probed = 'iproute2 is not installed';
  else probed = undefined;
  return probed;
}

let counter = 0;

/** A throw-away network namespace with the sim's /etc files; always removed by `close()`. */
export class RealNetns {
  readonly name = `pl-t-${process.pid}-${counter++}`;
  private readonly etcDir = `/etc/netns/${this.name}`;
  private readonly work = mkdtempSync(join(tmpdir(), 'podlab-real-'));

  constructor() {
    const r = spawnSync('ip', ['netns', 'add', this.name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip netns add ${this.name}: ${r.stderr}`);
    mkdirSync(this.etcDir, { recursive: true });
    for (const [path, content] of Object.entries(defaultEtc())) {
      if (path === '/etc/hostname') continue;
      const file = join(this.etcDir, path.slice('/etc/'.length));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }

  /** Runs each bash command line inside the namespace (one process for the whole batch). */
  runMany(commands: string[], stdin?: string): RunResult[] {
    let script = 'cd /\n';
    commands.forEach((c, k) => {
      script += `(${c}) <${stdin !== undefined ? join(this.work, 'stdin') : '/dev/null'} >${join(this.work, `${k}.out`)} 2>${join(this.work, `${k}.err`)}; echo $? >${join(this.work, `${k}.rc`)}\n`;
    });
    if (stdin !== undefined) writeFileSync(join(this.work, 'stdin'), stdin);
    writeFileSync(join(this.work, 'script.sh'), script);
    const r = spawnSync('ip', ['netns', 'exec', this.name, 'bash', join(this.work, 'script.sh')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`running in ${this.name} failed: ${r.stderr}`);
    return commands.map((_, k) => ({
      stdout: readFileSync(join(this.work, `${k}.out`), 'utf8'),
      stderr: readFileSync(join(this.work, `${k}.err`), 'utf8'),
      status: Number(readFileSync(join(this.work, `${k}.rc`), 'utf8').trim()),
    }));
  }

  run(command: string, stdin?: string): RunResult {
    return this.runMany([command], stdin)[0];
  }

  close(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
    rmSync(this.etcDir, { recursive: true, force: true });
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** Runs `fn` with a fresh namespace and always deletes it. */
export function withNetns<T>(fn: (ns: RealNetns) => T): T {
  const ns = new RealNetns();
  try {
    return fn(ns);
  } finally {
    ns.close();
  }
}
