/** ping in the model: replies, errors, timing rules (count, interval, deadline, linger) and statistics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './testing.ts';
import { finishText, formatTime, PingStats } from './ping-stats.ts';

test('a reachable peer: replies with deterministic times and the statistics block; the run takes (count-1) intervals', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a ping -c 3 10.0.0.2');
  assert.equal(r.status, 0);
  assert.equal(r.ms, 2000);
  assert.equal(
    r.out,
    'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n' +
      '64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.032 ms\n' +
      '64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.034 ms\n' +
      '64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=0.036 ms\n' +
      '\n--- 10.0.0.2 ping statistics ---\n' +
      '3 packets transmitted, 3 received, 0% packet loss, time 2000ms\n' +
      'rtt min/avg/max/mdev = 0.032/0.034/0.036/0.001 ms\n',
  );
});

test('an unanswered ARP gives Destination Host Unreachable from our own address after three seconds', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a ping -c 1 10.0.0.9');
  assert.equal(r.status, 1);
  assert.equal(r.ms, 3000);
  assert.match(r.out, /From 10\.0\.0\.1 icmp_seq=1 Destination Host Unreachable\n/);
  assert.match(r.out, /1 packets transmitted, 0 received, \+1 errors, 100% packet loss, time 0ms\n\n$/);
});

test('silence: the last probe is waited for the linger time (-W), a deadline (-w) keeps probing past -c', async () => {
  const l = lab();
  l.a.addRoute({ table: 254, type: 'unicast', dst: 0xc0a80500, plen: 24, tos: 0, metric: 0, protocol: 4, scope: 0, gateway: 0x0a000002, dev: l.a.link('eth0'), onlink: false });
  const linger = await l.sh('ip netns exec a ping -c 2 -W 3 192.168.5.5');
  assert.equal(linger.ms, 1000 + 3000);
  assert.match(linger.out, /2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n$/);
  const deadline = await l.sh('ip netns exec a ping -c 2 -w 4 192.168.5.5');
  assert.equal(deadline.ms, 4000);
  assert.equal(deadline.status, 1);
  assert.match(deadline.out, /4 packets transmitted, 0 received, 100% packet loss, time 3000ms\n/);
});

test('setup errors: no route, unknown name, missing device, foreign source; exit status 2 and nothing on stdout', async () => {
  const l = lab();
  for (const [args, err] of [
    ['192.168.1.1', 'ping: connect: Network is unreachable\n'],
    // No /etc/resolv.conf: the resolver asks 127.0.0.1, where nothing listens (EAI_AGAIN, as glibc).
    ['foo', 'ping: foo: Temporary failure in name resolution\n'],
    ['-I eth9 10.0.0.2', 'ping: SO_BINDTODEVICE eth9: No such device\n'],
    ['-I 10.9.9.9 10.0.0.2', 'ping: bind: Cannot assign requested address\n'],
  ]) {
    const r = await l.sh(`ip netns exec a ping -c 1 ${args}`);
    assert.deepEqual([r.status, r.out, r.err], [2, '', err], args);
  }
});

test('names from /etc/hosts print as name (address); -I shows the source in the header; -q keeps only the summary', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a ping -c 1 localhost');
  assert.match(r.out, /^PING localhost \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from localhost \(127\.0\.0\.1\): icmp_seq=1 ttl=64 time=/);
  const i = await l.sh('ip netns exec a ping -c 1 -I eth0 10.0.0.2');
  assert.match(i.out, /^PING 10\.0\.0\.2 \(10\.0\.0\.2\) from 10\.0\.0\.1 eth0: 56\(84\) bytes of data\.\n/);
  const q = await l.sh('ip netns exec a ping -q -c 2 -i 0.5 10.0.0.2');
  assert.equal(q.out.split('\n').length, 6);
  assert.equal(q.ms, 500);
});

test('small payloads carry no timestamp: no time= and no rtt line; -s sizes the reply', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a ping -c 1 -s 8 10.0.0.2');
  assert.match(r.out, /^PING 10\.0\.0\.2 \(10\.0\.0\.2\) 8\(36\) bytes of data\.\n16 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64\n/);
  assert.match(r.out, /time 0ms\n\n$/);
  const big = await l.sh('ip netns exec a ping -c 1 -s 1000 10.0.0.2');
  assert.match(big.out, /1008 bytes from 10\.0\.0\.2/);
});

test('-M do beyond the MTU is a local error counted in +errors; OUTPUT DROP is silent loss', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a ping -c 1 -M do -s 2000 10.0.0.2');
  assert.equal(r.err, 'ping: local error: message too long, mtu=1500\n');
  assert.match(r.out, /1 packets transmitted, 0 received, \+1 errors/);
  await l.sh('ip netns exec a iptables -A OUTPUT -p icmp -j DROP');
  const d = await l.sh('ip netns exec a ping -c 1 -W 1 10.0.0.2');
  assert.equal(d.err, '');
  assert.match(d.out, /1 packets transmitted, 0 received, 100% packet loss/);
});

test('REJECT at the peer: Destination Port Unreachable from the peer, one error per probe', async () => {
  const l = lab();
  await l.sh('ip netns exec b iptables -A INPUT -p icmp -j REJECT');
  const r = await l.sh('ip netns exec a ping -c 2 -i 0.2 10.0.0.2');
  assert.match(r.out, /From 10\.0\.0\.2 icmp_seq=1 Destination Port Unreachable\nFrom 10\.0\.0\.2 icmp_seq=2 Destination Port Unreachable\n/);
  assert.match(r.out, /2 packets transmitted, 0 received, \+2 errors, 100% packet loss/);
});

test('a background ping stops when its job is killed', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec a ping 10.0.0.2 > /tmp/p & sleep 3; kill %1; wait; cat /tmp/p');
  assert.equal(r.ms, 3000);
  assert.match(r.out, /icmp_seq=3 ttl=64/);
  assert.doesNotMatch(r.out, /icmp_seq=5/);
});

test('formatting: time= precision by magnitude, %g loss, pipe and duplicates in the summary', () => {
  assert.deepEqual([45, 1234, 12345, 123456].map(formatTime), ['0.045', '1.23', '12.3', '123']);
  const s = new PingStats();
  s.transmitted = 3;
  s.reply(1, 50);
  s.reply(1, 60);
  s.transmitted = 3;
  s.errors = 1;
  s.acknowledge(1);
  assert.equal(
    finishText('h', s, 2002, true),
    '\n--- h ping statistics ---\n3 packets transmitted, 1 received, +1 duplicates, +1 errors, 66.6667% packet loss, time 2002ms\nrtt min/avg/max/mdev = 0.050/0.055/0.060/0.005 ms, pipe 3\n',
  );
});
