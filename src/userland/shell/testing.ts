/**
 * Test support for the shell: run a script in podlab's shell (over an in-memory filesystem, on a
 * virtual clock) and in the real `bash -c` (in a temp dir holding the same files), and compare.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command, System } from '../command.ts';
import { MemFs } from '../../host/sim/fs.ts';
import { Clock } from '../../kernel/clock.ts';
import { textCommands } from '../text/index.ts';
import { haveTool, testSystem } from '../text/testing.ts';
import { runShell, type ShellOptions } from './index.ts';

/** A System whose clock is virtual: time passes only while the shell waits (sleep, wait). */
export function clockSystem(start = 0): System & { clock: Clock } {
  const clock = new Clock(start);
  return { ...testSystem, clock, now: () => clock.now, sleep: (ms) => clock.sleep(ms), until: (p) => clock.until(p) };
}

export interface ShResult {
  status: number;
  stdout: string;
  stderr: string;
  fs: MemFs;
  opts: ShellOptions;
  sys: System & { clock: Clock };
}

/** Runs a script in podlab's shell as root in /root, with the text tools and `extra` commands. */
export async function sh(script: string, setup: { files?: Record<string, string>; stdin?: string; commands?: Record<string, Command> } = {}): Promise<ShResult> {
  const fs = new MemFs(setup.files ?? {});
  fs.mkdirs('/root');
  fs.mkdirs('/tmp');
  let stdout = '';
  let stderr = '';
  const sys = clockSystem();
  const opts: ShellOptions = {
    commands: new Map([...textCommands(), ...Object.entries(setup.commands ?? {})]),
    fs,
    cwd: '/root',
    env: { HOME: '/root', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    sys,
    stdin: setup.stdin ?? '',
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  const status = await runShell(script, opts);
  return { status, stdout, stderr, fs, opts, sys };
}

export interface BashCase {
  what: string;
  script: string;
  /** Files (relative to the cwd) present before the script runs. */
  files?: Record<string, string>;
  stdin?: string;
  /** Also compare stderr (with the temp dir's path replaced). */
  stderr?: boolean;
  /** Files (relative) whose contents afterwards must agree too. */
  check?: string[];
}

/** Whether bash is here for the differential tests; a reason to skip otherwise. */
export const noBash = haveTool('bash') ? false : 'bash not installed; differential shell case skipped';

/** Runs the case in real bash and in podlab's shell, each in a directory holding `files`. */
export async function runBoth(c: BashCase) {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-sh-'));
  try {
    const fs = new MemFs();
    fs.mkdirs(dir);
    for (const [n, d] of Object.entries(c.files ?? {})) {
      if (n.endsWith('/')) {
        mkdirSync(join(dir, n), { recursive: true });
        fs.mkdirs(join(dir, n));
        continue;
      }
      mkdirSync(dirname(join(dir, n)), { recursive: true });
      writeFileSync(join(dir, n), d);
      fs.write(join(dir, n), d);
    }
    const env = { PATH: '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC', HOME: dir };
    const real = spawnSync('bash', ['-c', c.script], { cwd: dir, env, input: c.stdin ?? '', encoding: 'utf8', timeout: 20000 });
    const realFiles = (c.check ?? []).map((n) => (existsSync(join(dir, n)) ? readFileSync(join(dir, n), 'utf8') : undefined));
    let stdout = '';
    let stderr = '';
    const status = await runShell(c.script, {
      commands: textCommands(),
      fs,
      cwd: dir,
      env: { ...env },
      sys: clockSystem(),
      stdin: c.stdin ?? '',
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    const emuFiles = (c.check ?? []).map((n) => fs.read(join(dir, n)));
    const scrub = (s: string) => s.split(dir).join('$DIR');
    return {
      real: { stdout: scrub(real.stdout), stderr: scrub(real.stderr), status: real.status, files: realFiles },
      emu: { stdout: scrub(stdout), stderr: scrub(stderr), status, files: emuFiles },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Asserts podlab's shell behaves as bash on the case (stdout, status, files, and stderr if asked). */
export async function assertLikeBash(c: BashCase): Promise<void> {
  const { real, emu } = await runBoth(c);
  assert.equal(emu.stdout, real.stdout, `stdout (real stderr: ${real.stderr}; emulated stderr: ${emu.stderr})`);
  if (c.stderr) assert.equal(emu.stderr, real.stderr, 'stderr');
  assert.equal(emu.status, real.status, `exit status (real stderr: ${real.stderr}; emulated stderr: ${emu.stderr})`);
  assert.deepEqual(emu.files, real.files, 'files written');
}
