// NAT bindings: reply tuples stay unique in the table, as get_unique_tuple makes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icmp, ip, tcp, testTable, udp, TCP_SYN, type TestTable } from './testing.ts';
import type { CtEntry } from './entry.ts';
import type { NatRange } from './nat.ts';
import { jhash2 } from './nat.ts';
import type { CtPacket } from './tuple.ts';

const PUBLIC = ip('203.0.113.1');
const masq: NatRange = { minIp: PUBLIC, maxIp: PUBLIC };

/** A packet through the NAT hooks: `dnat` at PREROUTING, `snat` at POSTROUTING, then confirm. */
function natPass(t: TestTable, p: CtPacket, snat: NatRange | null, dnat: NatRange | null = null): CtEntry {
  const r = t.ct.in(p);
  assert.equal(r.kind, 'tracked');
  const e = (r as { entry: CtEntry }).entry;
  t.ct.setupNat(e, 'DST', dnat);
  t.ct.setupNat(e, 'SRC', snat);
  assert.ok(t.ct.confirm(e), 'confirmed without clash');
  return e;
}

test('two clients masqueraded to the same address and port get different ports', () => {
  const t = testTable();
  const a = natPass(t, tcp('10.0.0.1', 40000, '198.51.100.7', 443, TCP_SYN), masq);
  const b = natPass(t, tcp('10.0.0.2', 40000, '198.51.100.7', 443, TCP_SYN), masq);
  assert.deepEqual([a.reply.dst, a.reply.dport, a.status.has('SRC_NAT')], [PUBLIC, 40000, true], 'the first keeps its port');
  assert.equal(b.reply.dst, PUBLIC);
  assert.notEqual(b.reply.dport, 40000);
  assert.ok(b.reply.dport >= 1024 && b.reply.dport <= 65535, 'an ephemeral port, as for ports >= 1024');
  assert.ok(b.status.has('SRC_NAT') && b.status.has('SRC_NAT_DONE') && b.status.has('DST_NAT_DONE'));
  assert.ok(!b.status.has('DST_NAT'), 'the null DST binding changes nothing');
  // The choice comes from the seeded generator: the same seed picks the same port.
  const t2 = testTable();
  natPass(t2, tcp('10.0.0.1', 40000, '198.51.100.7', 443, TCP_SYN), masq);
  assert.equal(natPass(t2, tcp('10.0.0.2', 40000, '198.51.100.7', 443, TCP_SYN), masq).reply.dport, b.reply.dport);
  assert.ok(t.ct.stats()[0].found >= 1, 'the clash was found');
});

test('low source ports stay low: below 512 in 1-511, below 1024 in 600-1023', () => {
  const t = testTable();
  natPass(t, udp('10.0.0.1', 123, '198.51.100.7', 123), masq);
  natPass(t, udp('10.0.0.1', 700, '198.51.100.7', 123), masq);
  const a = natPass(t, udp('10.0.0.2', 123, '198.51.100.7', 123), masq);
  const b = natPass(t, udp('10.0.0.2', 700, '198.51.100.7', 123), masq);
  assert.ok(a.reply.dport >= 1 && a.reply.dport <= 511 && a.reply.dport !== 123);
  assert.ok(b.reply.dport >= 600 && b.reply.dport <= 1023 && b.reply.dport !== 700);
});

test('a port range is searched until a free port is found, and random-fully skips the original port', () => {
  const t = testTable();
  const range: NatRange = { minIp: PUBLIC, maxIp: PUBLIC, minPort: 5000, maxPort: 5002 };
  const ports = [1, 2, 3].map((i) => natPass(t, tcp(`10.0.0.${i}`, 5000, '198.51.100.7', 80, TCP_SYN), range).reply.dport);
  assert.deepEqual([...ports].sort(), [5000, 5001, 5002]);
  const rf = testTable();
  const p = natPass(rf, tcp('10.0.0.1', 40000, '198.51.100.7', 80, TCP_SYN), { minIp: PUBLIC, maxIp: PUBLIC, randomFully: true });
  assert.ok(p.reply.dport >= 1024);
  assert.notEqual(p.reply.dport, 40000);
});

test('DNAT rewrites the reply source and port; replies and later packets find the entry', () => {
  const t = testTable();
  const e = natPass(t, tcp('10.0.0.1', 40000, '10.96.0.10', 80, TCP_SYN), null, { minIp: ip('10.244.1.5'), maxIp: ip('10.244.1.5'), minPort: 8080, maxPort: 8080 });
  assert.deepEqual([e.reply.src, e.reply.sport, e.reply.dst, e.reply.dport], [ip('10.244.1.5'), 8080, ip('10.0.0.1'), 40000]);
  assert.ok(e.status.has('DST_NAT') && !e.status.has('SRC_NAT'));
  const r = t.ct.in({ src: ip('10.244.1.5'), dst: ip('10.0.0.1'), proto: 6, sport: 8080, dport: 40000, tcpFlags: 0x12, len: 60 });
  assert.ok(r.kind === 'tracked' && r.entry === e && r.dir === 'REPLY');
});

test('a source keeps its translation for a new destination (find_appropriate_src)', () => {
  const t = testTable();
  const range: NatRange = { minIp: PUBLIC, maxIp: PUBLIC, minPort: 20000, maxPort: 30000 };
  const a = natPass(t, udp('10.0.0.1', 999, '198.51.100.7', 53), range);
  const b = natPass(t, udp('10.0.0.1', 999, '198.51.100.8', 53), range);
  assert.ok(a.reply.dport >= 20000 && a.reply.dport <= 30000);
  assert.equal(b.reply.dport, a.reply.dport);
});

test('ICMP ids are remapped like ports when two pings clash', () => {
  const t = testTable();
  const a = natPass(t, icmp('10.0.0.1', '198.51.100.7', 8, 42), masq);
  const b = natPass(t, icmp('10.0.0.2', '198.51.100.7', 8, 42), masq);
  assert.equal(a.reply.sport, 42);
  assert.notEqual(b.reply.sport, 42);
  assert.equal(b.reply.dport, 0, 'the reply tuple still expects an echo reply');
});

test('an address range picks by jhash2 of source and destination, or of the source alone when persistent', () => {
  // jhash2 as the kernel computes it (values from include/linux/jhash.h run in C).
  assert.equal(jhash2([], 0), 0xdeadbeef);
  const t = testTable();
  const range = (persistent: boolean): NatRange => ({ minIp: ip('203.0.113.1'), maxIp: ip('203.0.113.8'), persistent });
  const to = (dst: string, persistent = false): number => natPass(t, udp('10.0.0.1', 1000 + t.ct.count, dst, 53), range(persistent)).reply.dst;
  const chosen = new Set([to('198.51.100.1'), to('198.51.100.2'), to('198.51.100.3'), to('198.51.100.4')]);
  for (const a of chosen) assert.ok(a >= ip('203.0.113.1') && a <= ip('203.0.113.8'));
  assert.equal(to('198.51.100.5', true), to('198.51.100.6', true), 'persistent ignores the destination');
});
