// `ip` as a program: global options, batches, `ip netns exec`, and several invocations at once
// (each one's complaints must reach its own stderr even when they interleave).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimHost } from '../../host/sim/host.ts';
import { runShell } from '../shell/index.ts';
import { allCommands } from '../registry.ts';

const commands = allCommands();

function shell(host: SimHost) {
  return async (line: string, stdin = ''): Promise<{ out: string; err: string; status: number }> => {
    let out = '';
    let err = '';
    const status = await runShell(line, { commands, fs: host.fs, cwd: '/', env: {}, sys: host.sys, stdin, stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { out, err, status };
  };
}

test('-n and netns exec run in the named namespace; unknown names and programs fail as ip does', async () => {
  const sh = shell(new SimHost({ seed: 1 }));
  assert.equal((await sh('ip netns add a')).status, 0);
  assert.equal((await sh('ip -n a link add v0 type veth peer name v1')).status, 0);
  assert.match((await sh('ip netns exec a ip -br link')).out, /^lo +DOWN/m);
  assert.match((await sh('ip netns exec a ip -br link')).out, /^v0@v1 +DOWN/m);
  assert.deepEqual(await sh('ip -n b link'), { out: '', err: 'Cannot open network namespace "b": No such file or directory\n', status: 255 });
  assert.deepEqual(await sh('ip netns exec a podlab-missing'), { out: '', err: 'exec of "podlab-missing" failed: No such file or directory\n', status: 1 });
  assert.deepEqual(await sh('ip netns exec a ip link show v9'), { out: '', err: 'Device "v9" does not exist.\n', status: 1 });
  assert.equal((await sh('cat /run/netns/a')).status, 0);
  await sh('ip netns del a');
  assert.notEqual((await sh('cat /run/netns/a')).status, 0);
});

test('batch: line numbers in failures, -force, files from the filesystem', async () => {
  const host = new SimHost({ seed: 1 });
  const sh = shell(host);
  await sh('ip netns add a');
  host.fs.write('/tmp/cmds', 'link add d0 type dummy\n\n# nothing\nlink add d0 type dummy\nlink set d0 up\n');
  assert.deepEqual(await sh('ip -n a -batch /tmp/cmds'), { out: '', err: 'RTNETLINK answers: File exists\nCommand failed /tmp/cmds:4\n', status: 1 });
  assert.match((await sh('ip -n a -br link show d0')).out, /DOWN/);
  assert.deepEqual(await sh('ip -n a -force -batch -', 'link add d0 type dummy\nlink set d0 up\n'), { out: '', err: 'RTNETLINK answers: File exists\nCommand failed -:1\n', status: 1 });
  assert.match((await sh('ip -n a -br link show d0')).out, /UNKNOWN/);
  assert.deepEqual(await sh('ip -batch /nonexistent'), { out: '', err: 'Cannot open file "/nonexistent" for reading: No such file or directory\n', status: 1 });
});

test('invocations running at once keep their errors apart', async () => {
  const host = new SimHost({ seed: 1 });
  const sh = shell(host);
  await sh('ip netns add a');
  const bad = Array.from({ length: 20 }, () => 'link set nothere up').join('\n');
  const runs = await Promise.all([
    sh('ip -n a -force -batch -', bad),
    sh('ip netns exec a ip link show lo'),
    sh('ip -n a -force -batch -', 'foo\n'.repeat(20)),
    sh('ip netns exec a ip netns exec a ip -br link'),
  ]);
  assert.equal(runs[0].err, Array.from({ length: 20 }, (_, i) => `Cannot find device "nothere"\nCommand failed -:${i + 1}\n`).join(''));
  assert.equal(runs[1].err, '');
  assert.equal(runs[2].err, Array.from({ length: 20 }, (_, i) => `Object "foo" is unknown, try "ip help".\nCommand failed -:${i + 1}\n`).join(''));
  assert.equal(runs[3].err, '');
});
