// nf_conntrack_max: early drop of unassured entries, then drops with the kernel's rate-limited warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tcp, testTable, udp, TCP_ACK, TCP_SYN } from './testing.ts';

const MAX = { 'net.netfilter.nf_conntrack_max': 2 };

test('a full table evicts an entry that is not assured', () => {
  const t = testTable({ sysctls: MAX });
  t.pass(udp('10.0.0.1', 1, '10.0.0.2', 53));
  t.pass(udp('10.0.0.1', 2, '10.0.0.2', 53));
  const r = t.pass(udp('10.0.0.1', 3, '10.0.0.2', 53));
  assert.equal(r.kind, 'tracked');
  assert.deepEqual(t.ct.entries().map((e) => e.orig.sport), [2, 3]);
  assert.equal(t.ct.stats()[0].early_drop, 1);
  assert.deepEqual(t.events.map((e) => e.type), ['NEW', 'NEW', 'DESTROY', 'NEW']);
});

test('a table full of assured entries drops new flows and logs the kernel warning, rate-limited', () => {
  const t = testTable({ sysctls: MAX });
  for (const port of [1, 2]) {
    t.pass(tcp('10.0.0.1', port, '10.0.0.2', 80, TCP_SYN));
    t.pass(tcp('10.0.0.2', 80, '10.0.0.1', port, TCP_SYN | TCP_ACK));
    t.pass(tcp('10.0.0.1', port, '10.0.0.2', 80, TCP_ACK));
  }
  assert.deepEqual(t.pass(udp('10.0.0.1', 3, '10.0.0.2', 53)), { kind: 'drop', reason: 'table-full' });
  assert.deepEqual(t.env.logs, ['nf_conntrack: nf_conntrack: table full, dropping packet']);
  // Packets of existing connections still pass.
  assert.equal(t.pass(tcp('10.0.0.1', 1, '10.0.0.2', 80, TCP_ACK)).kind, 'tracked');
  for (let i = 0; i < 14; i++) t.pass(udp('10.0.0.1', 100 + i, '10.0.0.2', 53));
  assert.equal(t.env.logs.length, 10, 'net_ratelimit: 10 messages per 5 s');
  t.advance(5001);
  t.pass(udp('10.0.0.1', 200, '10.0.0.2', 53));
  assert.deepEqual(t.env.logs.slice(10), ['net_ratelimit: 5 callbacks suppressed', 'nf_conntrack: nf_conntrack: table full, dropping packet']);
  assert.equal(t.ct.stats()[0].drop, 16);
  assert.equal(t.ct.count, 2);
});

test('outside the initial namespace the warning names the namespace', () => {
  const t = testTable({ sysctls: { 'net.netfilter.nf_conntrack_max': 1 }, netnsInum: 4026532300 });
  t.pass(tcp('10.0.0.1', 1, '10.0.0.2', 80, TCP_SYN));
  t.pass(tcp('10.0.0.2', 80, '10.0.0.1', 1, TCP_SYN | TCP_ACK));
  t.pass(tcp('10.0.0.1', 1, '10.0.0.2', 80, TCP_ACK));
  t.pass(udp('10.0.0.1', 3, '10.0.0.2', 53));
  assert.deepEqual(t.env.logs, ['nf_conntrack: nf_conntrack: table full in netns 4026532300, dropping packet']);
});
