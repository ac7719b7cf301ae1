/**
 * Running podlab's kubectl on the real machine (`podlab kubectl …`, the differential tests):
 * the machine's files as a FileSystem, a System that only keeps time, and one call that runs
 * a command line and collects its output and exit code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileSystem } from '../../host/sim/fs.ts';
import type { CommandContext, System } from '../command.ts';
import { makeKubectl, type KubectlDeps } from './index.ts';

/** The machine's own filesystem behind the FileSystem contract (kubeconfig files are written 0600, as kubectl does). */
export class HostFs implements FileSystem {
  read(path: string): string | undefined {
    try {
      return statSync(path).isDirectory() ? undefined : readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  write(path: string, data: string): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    if (/kubeconfig|\.kube\/config$/.test(path)) chmodSync(path, 0o600);
  }

  append(path: string, data: string): void {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, data);
  }

  exists(path: string): boolean {
    return existsSync(path);
  }

  isDir(path: string): boolean {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  remove(path: string): boolean {
    if (!existsSync(path)) return false;
    rmSync(path, { recursive: true, force: true });
    return true;
  }

  list(dir: string): string[] {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  }
}

function unsupported(what: string): never {
  throw new Error(`kubectl on the host has no ${what}`);
}

/** A System with the wall clock and nothing else (kubectl needs no network namespace). */
export const hostSystem: System = {
  netfilter: () => unsupported('netfilter'),
  netns: () => unsupported('network namespace'),
  machine: () => unsupported('machine'),
  inNetns: () => unsupported('network namespace'),
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  until: (p) => p,
};

export interface HostRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs `kubectl ARGS` with the process's environment (or `env`), collecting the output. */
export async function runOnHost(args: string[], o: { env?: Record<string, string>; stdin?: string; cwd?: string; deps?: KubectlDeps; signal?: AbortSignal; argv0?: string; stdout?(t: string): void; stderr?(t: string): void } = {}): Promise<HostRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    argv: [o.argv0 ?? 'kubectl', ...args],
    stdin: o.stdin ?? '',
    stdout: o.stdout ?? ((t) => (stdout += t)),
    stderr: o.stderr ?? ((t) => (stderr += t)),
    fs: new HostFs(),
    cwd: o.cwd ?? process.cwd(),
    env: o.env ?? Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    sys: hostSystem,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const code = await makeKubectl(o.deps)(ctx);
  return { stdout, stderr, code };
}

/**
 * `podlab kubectl ARGS`: podlab's kubectl on this machine's terminal. Reads stdin only when the
 * command line asks for it (`-f -`, `-i`), and turns ^C into the end of a long command
 * (port-forward, `-w`, `logs -f`).
 */
export async function runKubectlCli(args: string[], deps: KubectlDeps = {}): Promise<number> {
  const wantsStdin = !process.stdin.isTTY && args.some((a) => a === '-' || a === '--stdin' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(a) || a === '--filename=-' || a === '-f-');
  const stdin = wantsStdin ? readFileSync(0, 'utf8') : '';
  const ac = new AbortController();
  const onSigint = (): void => ac.abort(2);
  process.on('SIGINT', onSigint);
  try {
    const r = await runOnHost(args, {
      stdin, signal: ac.signal,
      deps: { terminal: !!process.stdin.isTTY && !!process.stdout.isTTY, ...deps },
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
    });
    return r.code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
