/**
 * Argument and setup errors of ping, nc, curl and tcpdump, real vs podlab, in an empty namespace
 * (only lo, down): every case fails before a packet could leave, so the real tools are safe to
 * run and their messages, streams and exit statuses must match exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimHost } from '../../src/host/sim/host.ts';
import { allCommands } from '../../src/userland/registry.ts';
import { runShell } from '../../src/userland/shell/index.ts';
import { withNetns, type RunResult } from '../support/real.ts';
import { trafficUnavailable } from '../support/traffic.ts';

const skip = trafficUnavailable() ?? false;

const CASES = [
  'ping -c abc 1.1.1.1',
  'ping -c 0 1.1.1.1',
  'ping -s -1 1.1.1.1',
  'ping -t 256 1.1.1.1',
  'ping -w x 1.1.1.1',
  'ping -W -1 1.1.1.1',
  'ping -M foo 1.1.1.1',
  'ping',
  'ping -c',
  'ping -x',
  'ping -c 1 10.0.0.2',
  'ping -V',
  'nc -l',
  'nc -z 10.0.0.2',
  'nc -w abc 10.0.0.2 80',
  'nc -q x 10.0.0.2 80',
  'nc 10.0.0.2 99999',
  'nc 10.0.0.2 0',
  'nc 10.0.0.2 abc',
  'nc -Y',
  'nc -x',
  'nc -l 10.0.0.2 8080 extra',
  'nc -zv 10.0.0.2 80 81',
  'nc -h',
  'curl',
  'curl --foo http://x',
  'curl -m abc http://x',
  'curl -m',
  'curl --max-time=5 http://x',
  'curl -sS http://10.0.0.2:99999/',
  'curl -sS http://10.0.0.2/',
  'curl -s http://10.0.0.2/',
  'tcpdump -i eth9',
  'tcpdump -n -i eth9 -c 0',
  'tcpdump -c x',
  'tcpdump -Z',
  'tcpdump -i lo',
];

/** curl's elapsed milliseconds are the only thing that may differ. */
const norm = (r: RunResult): RunResult => ({ ...r, stderr: r.stderr.replace(/after \d+ ms/g, 'after <n> ms') });

test('argument and setup errors match the real tools', { skip }, async () => {
  // `timeout` keeps a case that unexpectedly waits (a listener) from hanging the test.
  const real = withNetns((ns) => ns.runMany(CASES.map((c) => `timeout 5 ${c}`)));
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1) });
  host.machine.addNetns('t');
  const commands = allCommands();
  const problems: string[] = [];
  for (const [k, c] of CASES.entries()) {
    let stdout = '';
    let stderr = '';
    const status = await runShell(`ip netns exec t ${c}`, { commands, fs: host.fs, cwd: '/', env: {}, sys: host.sys, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    const a = norm(real[k]);
    const b = norm({ stdout, stderr, status });
    if (a.stdout !== b.stdout || a.stderr !== b.stderr || a.status !== b.status) problems.push(`$ ${c}\nreal:   ${JSON.stringify(a)}\npodlab: ${JSON.stringify(b)}`);
  }
  assert.equal(problems.length, 0, problems.join('\n'));
});
