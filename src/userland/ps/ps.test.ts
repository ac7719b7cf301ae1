// ps lays out a process the way procps-ng 4.0.2 lays out the same process: a real `sleep` is
// started, its attributes copied into a simulated machine's process table, and both listings
// compared column for column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { runTool } from '../../../test/support/tools.ts';
import { SimHost } from '../../host/sim/host.ts';
import type { Process } from '../../kernel/machine.ts';
import type { Command } from '../command.ts';
import { ps } from './ps.ts';

const table = new Map<string, Command>([['ps', ps]]);

const realPs = (args: string[]): { stdout: string; stderr: string; status: number } => {
  const r = spawnSync('ps', args, { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC', LC_ALL: 'C' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
};

const havePs = spawnSync('ps', ['--version']).status === 0 && realPs(['-o', 'pid=', '-p', '1']).status === 0;

test('ps: the same columns as procps for the same process', { skip: havePs ? undefined : 'procps ps is not usable here' }, async () => {
  const child = spawn('sleep', ['300', '1'], { stdio: 'ignore', detached: false });
  try {
    const pid = child.pid!;
    await new Promise((r) => setTimeout(r, 50));
    const [ppid, uid, vsz, rss, stat, lstart] = realPs(['-o', 'ppid=,uid=,vsz=,rss=,stat=', '-p', String(pid)]).stdout.trim().split(/\s+/).concat(
      realPs(['-o', 'lstart=', '-p', String(pid)]).stdout.trim(),
    );
    const host = new SimHost({ seed: 1, clock: Date.now() });
    const m = host.machine;
    const p: Process = {
      pid, ppid: Number(ppid), argv: ['sleep', '300', '1'], netns: m.root, uid: Number(uid), start: Date.parse(lstart + ' UTC'),
      rss: Number(rss), vsz: Number(vsz), tty: '?', stat,
    };
    m.procs.set(pid, p);
    const cases = [
      ['-p', String(pid)], ['-f', '-p', String(pid)], ['-p', String(pid), '-o', 'pid,ppid,user,uid,comm,args'],
      ['-p', String(pid), '-o', 'comm,pid,stat,tty,vsz,rss,time,stime'], ['-p', String(pid), '-o', 'pid=,comm='],
      ['-p', String(pid), '-o', 'pid=PROCESS,comm=Name'], ['-p', String(pid), '-o', 'args,pid'], ['-p', String(pid), '--no-headers'],
      ['-p', String(pid), '-o', 'user,cmd', '-o', 'pid'], ['-C', 'sleep', '-o', 'pid,cmd'], ['-p', '99999999', '-o', 'pid'],
      ['-o', 'foo'], ['-p', 'abc'],
    ];
    for (const argv of cases) {
      const real = realPs(argv);
      // The real machine has other sleeps; keep the one we made.
      const keep = (out: string): string => out.split('\n').filter((l, k) => k === 0 || l === '' || new RegExp(`\\b${pid}\\b`).test(l)).join('\n');
      const sim = await runTool(host, table, ['ps', ...argv]);
      const label = `ps ${argv.join(' ')}`;
      assert.equal(sim.stdout, argv[0] === '-C' ? keep(real.stdout) : real.stdout, `stdout of ${label}`);
      assert.equal(sim.stderr, real.stderr, `stderr of ${label}`);
      assert.equal(sim.status, real.status, `status of ${label}`);
    }
  } finally {
    child.kill();
  }
});

test('ps aux and ps -ef over a node\'s processes', async () => {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 2, 12, 0) });
  const m = host.machine;
  const pause = m.spawn({ argv: ['/pause'], netns: m.addNetns('cni-1'), rss: 444, vsz: 972 });
  host.kernel.clock.now += 90_000;
  m.spawn({ argv: ['/agnhost', 'netexec', '--http-port=8080'], netns: pause.netns, ppid: 1, rss: 10240, vsz: 740128 });
  const aux = await runTool(host, table, 'ps aux');
  assert.equal(
    aux.stdout,
    'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n' +
      'root           1  0.0  0.0    972   444 ?        S    12:00   0:00 /pause\n' +
      'root           2  0.0  0.0 740128 10240 ?        S    12:01   0:00 /agnhost netexec --http-port=8080\n',
  );
  const ef = await runTool(host, table, 'ps -ef');
  assert.equal(
    ef.stdout,
    'UID          PID    PPID  C STIME TTY          TIME CMD\n' +
      'root           1       0  0 12:00 ?        00:00:00 /pause\n' +
      'root           2       1  0 12:01 ?        00:00:00 /agnhost netexec --http-port=8080\n',
  );
  const netns = await runTool(host, table, 'ps -e -o pid,netns,comm');
  assert.equal(netns.stdout, `    PID      NETNS COMMAND\n      1 ${pause.netns.inode} pause\n      2 ${pause.netns.inode} agnhost\n`);
});
