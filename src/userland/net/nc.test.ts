/** nc in the model: listeners and clients in background jobs, -k, -u, -z scans, -v reports, timeouts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './testing.ts';

test('a listener prints what a client sends and exits when the client closes (-q 0 and -N both close)', async () => {
  const l = lab();
  const q = await l.sh('ip netns exec b nc -l 8080 & echo hello | ip netns exec a nc -q 0 10.0.0.2 8080; wait');
  assert.deepEqual([q.status, q.out, q.err], [0, 'hello\n', '']);
  const n = await l.sh('ip netns exec b nc -l -p 8081 & echo bye | ip netns exec a nc -N 10.0.0.2 8081; wait');
  assert.equal(n.out, 'bye\n');
});

test('the client prints what the server sends; a server with -q 0 closes after its own input', async () => {
  const l = lab();
  const r = await l.sh('echo pong | ip netns exec b nc -q 0 -l 10.0.0.2 8080 & sleep 1; echo ping | ip netns exec a nc 10.0.0.2 8080; echo rc=$?; wait');
  // The client got the server's line, then its end of stream, and so ended by itself.
  assert.equal(r.out, 'pong\nrc=0\n');
});

test('-k keeps listening for the next client; -v reports listening and each connection', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec b nc -lkvn 8080 & echo one | ip netns exec a nc -q 0 10.0.0.2 8080; echo two | ip netns exec a nc -q 0 10.0.0.2 8080; sleep 1; kill %1');
  assert.equal(r.out, 'one\ntwo\n');
  assert.match(r.err, /^Listening on 0\.0\.0\.0 8080\nConnection received on 10\.0\.0\.1 \d+\nConnection received on 10\.0\.0\.1 \d+\n$/);
});

test('-z scans: success is silent without -v; refused ports say so with -v; ranges and several ports', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec b nc -l 8080 & ip netns exec a nc -z 10.0.0.2 8080; echo rc=$?; ip netns exec a nc -zv 10.0.0.2 79-81 http-alt; echo rc=$?');
  assert.equal(r.out, 'rc=0\nrc=1\n');
  assert.equal(
    r.err,
    'nc: connect to 10.0.0.2 port 79 (tcp) failed: Connection refused\n' +
      'nc: connect to 10.0.0.2 port 80 (tcp) failed: Connection refused\n' +
      'nc: connect to 10.0.0.2 port 81 (tcp) failed: Connection refused\n' +
      'nc: connect to 10.0.0.2 port 8080 (tcp) failed: Connection refused\n',
  );
});

test('a name from /etc/hosts is reported with its address; services name the port in the success line', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a nc -l 127.0.0.1 80 & ip netns exec a nc -zv localhost 80; ip netns exec a nc -zv localhost 81');
  assert.equal(r.err, 'Connection to localhost (127.0.0.1) 80 port [tcp/http] succeeded!\nnc: connect to localhost (127.0.0.1) port 81 (tcp) failed: Connection refused\n');
});

test('-w: a connect nobody answers times out; an idle connection ends after the timeout', async () => {
  const l = lab();
  await l.sh('ip netns exec b iptables -A INPUT -p tcp --dport 9 -j DROP');
  const t = await l.sh('ip netns exec a nc -v -w 2 10.0.0.2 9');
  assert.deepEqual([t.status, t.err, t.ms], [1, 'nc: connect to 10.0.0.2 port 9 (tcp) timed out: Operation now in progress\n', 2000]);
  const idle = await l.sh('ip netns exec b nc -l 8080 & echo hi | ip netns exec a nc -w 1 10.0.0.2 8080; echo rc=$?');
  assert.deepEqual([idle.out, idle.ms], ['hi\nrc=0\n', 1000]);
});

test('UDP: the listener talks to the first sender; a refused UDP scan fails with -v only', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec b nc -lu 9000 & echo dgram | ip netns exec a nc -u -q 0 10.0.0.2 9000; sleep 1; kill %1');
  assert.equal(r.out, 'dgram\n');
  const scan = await l.sh('ip netns exec a nc -zu 10.0.0.2 9001; echo rc=$?; ip netns exec a nc -zuv 10.0.0.2 9001; echo rc=$?');
  assert.deepEqual([scan.out, scan.err], ['rc=0\nrc=1\n', '']);
});

test('usage errors: missing port, bad numbers, unknown service, too many listen arguments', async () => {
  const l = lab();
  const cases: [string, string][] = [
    ['-l', 'nc: missing port number\n'],
    ['10.0.0.2', 'nc: missing port number\n'],
    ['-w abc 10.0.0.2 80', 'nc: timeout invalid: abc\n'],
    ['-q x 10.0.0.2 80', 'nc: quit timer invalid: x\n'],
    ['10.0.0.2 99999', 'nc: port number too large: 99999\n'],
    ['10.0.0.2 0', 'nc: port number too small: 0\n'],
    ['10.0.0.2 nosuchservice', 'nc: port number invalid: nosuchservice\n'],
    // No /etc/resolv.conf: the resolver asks 127.0.0.1, where nothing listens (EAI_AGAIN, as glibc).
    ['nosuch 80', 'nc: getaddrinfo for host "nosuch" port 80: Temporary failure in name resolution\n'],
    ['-n nosuch 80', 'nc: getaddrinfo for host "nosuch" port 80: Name or service not known\n'],
    ['-l 10.9.9.9 8080', 'nc: Cannot assign requested address\n'],
    ['-s 10.9.9.9 10.0.0.2 81', 'nc: bind failed: Cannot assign requested address\n'],
  ];
  for (const [args, err] of cases) {
    const r = await l.sh(`ip netns exec a nc ${args}`);
    assert.deepEqual([r.status, r.err], [1, err], args);
  }
  const usage = await l.sh('ip netns exec a nc -l 10.0.0.1 8080 extra');
  assert.match(usage.err, /^usage: nc \[-46CDdFhklNnrStUuvZz\]/);
});
