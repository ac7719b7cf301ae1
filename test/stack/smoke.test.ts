/** First end-to-end packets through the model: ping, TCP, UDP between two namespaces over a veth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kernel } from '../../src/kernel/kernel.ts';
import { parseIPv4 } from '../../src/kernel/addr.ts';
import { socketsOf } from '../../src/kernel/stack/socket.ts';
import { conntrackOf } from '../../src/kernel/stack/state.ts';
import { textBytes } from '../../src/kernel/wire.ts';

const ip = (s: string): number => parseIPv4(s)!;

function pair() {
  const k = new Kernel({ seed: 7 });
  const a = k.createNetns();
  const b = k.createNetns();
  const va = a.createLink({ name: 'eth0', kind: 'veth', peer: { name: 'eth0', ns: b } });
  const vb = va.peer!;
  a.addAddr(va, { addr: ip('10.0.0.1'), plen: 24 });
  b.addAddr(vb, { addr: ip('10.0.0.2'), plen: 24 });
  for (const [ns, l] of [[a, va], [b, vb]] as const) {
    ns.setUp(l, true);
    ns.setUp(ns.lo(), true);
  }
  return { k, a, b, va, vb };
}

test('a ping over a veth gets its echo reply after ARP resolves the peer', async () => {
  const { k, a, b } = pair();
  const s = socketsOf(a).pingSocket();
  assert.equal(s.send(ip('10.0.0.2'), 1, new Uint8Array(56)), undefined);
  const m = await k.clock.until(s.inbox.next());
  assert.equal(m?.icmp.type, 0);
  assert.equal(m?.from, ip('10.0.0.2'));
  assert.equal(b.neigh.list().length, 1);
  assert.equal(a.neigh.get(a.link('eth0')!, ip('10.0.0.2'))?.state, 'REACHABLE');
});

test('TCP connects, carries data both ways and tears down to TIME_WAIT on the closing side', async () => {
  const { k, a, b } = pair();
  const l = socketsOf(b).tcpListen(0, 8080);
  const c = await k.clock.until(socketsOf(a).tcpConnect(ip('10.0.0.2'), 8080));
  assert.ok(c);
  const s = await k.clock.until(l.accept());
  assert.ok(s);
  c.write(textBytes('hello'));
  const got = await k.clock.until(s.read());
  assert.equal(new TextDecoder().decode(got), 'hello');
  s.write(textBytes('world'));
  assert.equal(new TextDecoder().decode(await k.clock.until(c.read())), 'world');
  c.close();
  assert.equal(await k.clock.until(s.read()), undefined);
  s.close();
  assert.equal(c.state, 'TIME_WAIT');
  assert.equal(s.state, 'CLOSED');
});

test('TCP to a closed port is refused by a RST; UDP to one gets port unreachable', async () => {
  const { k, a } = pair();
  await assert.rejects(k.clock.until(socketsOf(a).tcpConnect(ip('10.0.0.2'), 9)), /Connection refused/);
  const u = socketsOf(a).udpBind(0, 0);
  u.remote = { addr: ip('10.0.0.2'), port: 53 };
  u.send(textBytes('x'), ip('10.0.0.2'), 53);
  assert.deepEqual(u.errors, ['ECONNREFUSED']);
});

test('conntrack on the receiving side records the TCP connection as ESTABLISHED and ASSURED', async () => {
  const { k, a, b } = pair();
  const l = socketsOf(b).tcpListen(0, 80);
  const c = await k.clock.until(socketsOf(a).tcpConnect(ip('10.0.0.2'), 80));
  await k.clock.until(l.accept());
  assert.ok(c);
  const e = conntrackOf(b).entries();
  assert.equal(e.length, 1);
  assert.equal(e[0].tcpState, 'ESTABLISHED');
  assert.ok(e[0].status.has('ASSURED'));
});
