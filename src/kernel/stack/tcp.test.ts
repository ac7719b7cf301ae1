/**
 * TCP connect's end states: given up by the caller, timed out by the kernel, and the source
 * address it takes from the route. Every wait is on the virtual clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, parseIPv4 } from '../addr.ts';
import { RT_SCOPE_UNIVERSE, RT_TABLE_MAIN, RTPROT_BOOT } from '../fib.ts';
import { Kernel } from '../kernel.ts';
import { TCP_SYN } from '../wire.ts';
import { socketsOf } from './socket.ts';
import { stackOf } from './state.ts';

const ip = (s: string): number => parseIPv4(s)!;

/**
 * `a` (10.0.0.1 and 192.168.5.1 on eth0) reaches 10.9.0.0/16 via `b` (192.168.5.254), which does
 * not forward: SYNs there vanish without an answer. `synsAtB` counts the SYNs b receives.
 */
function blackholed() {
  const k = new Kernel({ seed: 5 });
  const a = k.createNetns();
  const b = k.createNetns();
  const va = a.createLink({ name: 'eth0', kind: 'veth', peer: { name: 'eth0', ns: b } });
  for (const [ns, l] of [[a, va], [b, va.peer!]] as const) {
    ns.setUp(l, true);
    ns.setUp(ns.lo(), true);
  }
  a.addAddr(va, { addr: ip('10.0.0.1'), plen: 24 });
  a.addAddr(va, { addr: ip('192.168.5.1'), plen: 24 });
  b.addAddr(va.peer!, { addr: ip('192.168.5.254'), plen: 24 });
  a.addRoute({ table: RT_TABLE_MAIN, type: 'unicast', dst: ip('10.9.0.0'), plen: 16, tos: 0, metric: 0, protocol: RTPROT_BOOT, scope: RT_SCOPE_UNIVERSE, gateway: ip('192.168.5.254'), dev: va, onlink: false });
  const syns = { count: 0 };
  stackOf(b).taps.add((dir, frame) => {
    const l4 = frame.ip?.l4;
    if (dir === 'in' && l4?.kind === 'tcp' && l4.flags & TCP_SYN) syns.count++;
  });
  return { k, a, syns };
}

test('a connect given up through its signal leaves nothing in the socket table and sends no more SYNs', async () => {
  const { k, a, syns } = blackholed();
  const table = socketsOf(a);
  const giveUp = new AbortController();
  const connecting = table.tcpConnect(ip('10.9.0.9'), 53, { signal: giveUp.signal });
  const outcome = connecting.then(
    () => 'connected',
    (e: unknown) => e,
  );
  // The first retransmission is due after 1 s: 2.5 s sees the SYN and one retransmission.
  await k.clock.advance(2500);
  assert.equal(syns.count, 2);
  assert.deepEqual([...table.conns].map((c) => c.state), ['SYN_SENT']);
  giveUp.abort('gave up');
  assert.equal(await outcome, 'gave up');
  assert.equal(table.conns.size, 0);
  await k.clock.advance(200_000);
  assert.equal(syns.count, 2);
});

test('a connect with an already aborted signal sends nothing', async () => {
  const { k, a, syns } = blackholed();
  const giveUp = new AbortController();
  giveUp.abort('never mind');
  await assert.rejects(socketsOf(a).tcpConnect(ip('10.9.0.9'), 53, { signal: giveUp.signal }), (e) => e === 'never mind');
  await k.clock.advance(1000);
  assert.equal(syns.count, 0);
  assert.equal(socketsOf(a).conns.size, 0);
});

test('a connect whose SYN retries run out fails with ETIMEDOUT and leaves nothing in the socket table', async () => {
  const { k, a, syns } = blackholed();
  const table = socketsOf(a);
  await assert.rejects(k.clock.until(table.tcpConnect(ip('10.9.0.9'), 53)), /Connection timed out/);
  // net.ipv4.tcp_syn_retries = 6: the SYN and six retransmissions.
  assert.equal(syns.count, 7);
  assert.equal(table.conns.size, 0);
});

test("a TCP connect through a gateway takes the device's address on the gateway's subnet", async () => {
  const { k, a } = blackholed();
  const giveUp = new AbortController();
  const connecting = socketsOf(a).tcpConnect(ip('10.9.0.9'), 53, { signal: giveUp.signal });
  connecting.catch(() => {});
  const [c] = socketsOf(a).conns;
  assert.equal(formatIPv4(c.laddr), '192.168.5.1');
  giveUp.abort();
  await k.clock.until(connecting.catch(() => undefined));
});

test('a connect without a route is refused at once with ENETUNREACH, creating no connection', async () => {
  const { a } = blackholed();
  await assert.rejects(socketsOf(a).tcpConnect(ip('172.16.0.1'), 53), /Network is unreachable/);
  assert.equal(socketsOf(a).conns.size, 0);
});
