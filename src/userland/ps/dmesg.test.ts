// dmesg prints the simulated kernel's log as util-linux's dmesg prints the same records (given
// to the real one as a file with -F); journalctl -k prints them in the journal's short format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../../test/support/tools.ts';
import { SimHost } from '../../host/sim/host.ts';
import type { Command } from '../command.ts';
import { dmesg } from './dmesg.ts';
import { journalctl } from './journalctl.ts';

const table = new Map<string, Command>([['dmesg', dmesg], ['journalctl', journalctl]]);

const RECORDS: [number, number, string][] = [
  [6, 0, 'Linux version 6.1.0-podlab'],
  [6, 2_500.25, 'cni0: port 1(veth1c91f45a) entered blocking state'],
  [4, 3_601_123.456, 'nf_conntrack: nf_conntrack: table full, dropping packet'],
  [3, 86_400_000, 'IPVS: rr: TCP 10.96.0.1:443 - no destination available'],
  [7, 123_456_789.001, 'debug line'],
];

function host(): SimHost {
  const h = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: 'kind-worker' });
  for (const [level, t, text] of RECORDS) h.kernel.log.push({ level, t, text });
  return h;
}

const haveDmesg = spawnSync('dmesg', ['--version']).status === 0;

test('dmesg: the same lines as util-linux dmesg reading the same records', { skip: haveDmesg ? undefined : 'dmesg is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-dmesg-'));
  try {
    const h = host();
    // The raw form (`dmesg -r`) is what dmesg -F reads back.
    const raw = await runTool(h, table, 'dmesg -r');
    writeFileSync(join(dir, 'kmsg'), raw.stdout);
    for (const opts of ['', '-t', '-x', '-r', '-l warn', '-l err,warn', '-x -l info', '--notime --decode', '-k', '-l foo', '--nope', '-Z']) {
      const argv = ['dmesg', ...opts.split(' ').filter(Boolean)];
      const real = spawnSync('dmesg', ['-F', join(dir, 'kmsg'), ...argv.slice(1)], { encoding: 'utf8' });
      const sim = await runTool(h, table, argv);
      assert.equal(sim.stdout, real.stdout, `stdout of dmesg ${opts}`);
      assert.equal(sim.stderr, real.stderr, `stderr of dmesg ${opts}`);
      assert.equal(sim.status, real.status, `status of dmesg ${opts}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dmesg -T, -c and -C', async () => {
  const h = host();
  const t = await runTool(h, table, 'dmesg -T -l warn');
  // The machine booted an hour before the clock's start: 2024-01-01 minus one hour, plus 3601 s.
  assert.equal(t.stdout, '[Mon Jan  1 00:00:01 2024] nf_conntrack: nf_conntrack: table full, dropping packet\n');
  assert.equal((await runTool(h, table, 'dmesg -c')).stdout.split('\n').length, RECORDS.length + 1);
  assert.equal((await runTool(h, table, 'dmesg')).stdout, '');
  h.kernel.log.push({ level: 6, t: 200_000_000, text: 'after' });
  assert.equal((await runTool(h, table, 'dmesg')).stdout, '[200000.000000] after\n');
  await runTool(h, table, 'dmesg -C');
  assert.equal((await runTool(h, table, 'dmesg')).stdout, '');
});

test('journalctl -k: the journal\'s short format, with the hostname and the kernel tag', async () => {
  const h = host();
  const r = await runTool(h, table, 'journalctl -k --no-pager -n 2');
  assert.equal(r.stdout, 'Jan 01 23:00:00 kind-worker kernel: IPVS: rr: TCP 10.96.0.1:443 - no destination available\nJan 02 09:17:36 kind-worker kernel: debug line\n');
  const p = await runTool(h, table, 'journalctl -k -p warning -o short-precise');
  assert.equal(
    p.stdout,
    'Jan 01 00:00:01.123456 kind-worker kernel: nf_conntrack: nf_conntrack: table full, dropping packet\n' +
      'Jan 01 23:00:00.000000 kind-worker kernel: IPVS: rr: TCP 10.96.0.1:443 - no destination available\n',
  );
  assert.equal((await runTool(h, table, 'journalctl -k -g nomatch')).stdout, '-- No entries --\n');
  const bad = await runTool(h, table, 'journalctl --nope');
  assert.deepEqual([bad.stderr, bad.status], ["journalctl: unrecognized option '--nope'\n", 1]);
});
