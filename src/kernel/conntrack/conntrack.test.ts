// The conntrack table against what the kernel's trackers do: TCP states and timeouts, UDP
// streams, ICMP queries and RELATED errors, expiry, the table limit and the events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icmp, ip, left, tcp, testTable, udp, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TestTable } from './testing.ts';
import type { CtEntry } from './entry.ts';
import { toCtInfo } from './ctinfo.ts';

const C = '10.0.0.1';
const S = '10.0.0.2';

function tracked(r: ReturnType<TestTable['pass']>): { entry: CtEntry; dir: string; state: string; isNew: boolean } {
  assert.equal(r.kind, 'tracked');
  return r as never;
}

/** A client at C:40000 connects to S:80 and completes the handshake. */
function handshake(t: TestTable): CtEntry {
  const syn = tracked(t.pass(tcp(C, 40000, S, 80, TCP_SYN)));
  assert.deepEqual([syn.dir, syn.state, syn.isNew], ['ORIGINAL', 'NEW', true]);
  const e = syn.entry;
  assert.equal(e.tcpState, 'SYN_SENT');
  assert.equal(left(t, e), 120);
  assert.ok(!e.status.has('SEEN_REPLY'));
  const synack = tracked(t.pass(tcp(S, 80, C, 40000, TCP_SYN | TCP_ACK)));
  assert.deepEqual([synack.entry, synack.dir, synack.state], [e, 'REPLY', 'ESTABLISHED']);
  assert.equal(e.tcpState, 'SYN_RECV');
  assert.equal(left(t, e), 60);
  assert.ok(e.status.has('SEEN_REPLY') && !e.status.has('ASSURED'));
  const ack = tracked(t.pass(tcp(C, 40000, S, 80, TCP_ACK)));
  assert.deepEqual([ack.dir, ack.state], ['ORIGINAL', 'ESTABLISHED']);
  return e;
}

test('TCP handshake: SYN_SENT 120, SYN_RECV 60, then ESTABLISHED and ASSURED for the sysctl timeout', () => {
  const t = testTable();
  const e = handshake(t);
  assert.equal(e.tcpState, 'ESTABLISHED');
  assert.ok(e.status.has('ASSURED'));
  assert.equal(left(t, e), 432000);

  const t2 = testTable({ sysctls: { 'net.netfilter.nf_conntrack_tcp_timeout_established': 7200 } });
  assert.equal(left(t2, handshake(t2)), 7200);
});

test('TCP FIN teardown goes FIN_WAIT 120, LAST_ACK 30, TIME_WAIT 120', () => {
  const t = testTable();
  const e = handshake(t);
  t.pass(tcp(C, 40000, S, 80, TCP_FIN | TCP_ACK));
  assert.deepEqual([e.tcpState, left(t, e)], ['FIN_WAIT', 120]);
  t.pass(tcp(S, 80, C, 40000, TCP_ACK));
  assert.deepEqual([e.tcpState, left(t, e)], ['CLOSE_WAIT', 60]);
  t.pass(tcp(S, 80, C, 40000, TCP_FIN | TCP_ACK));
  assert.deepEqual([e.tcpState, left(t, e)], ['LAST_ACK', 30]);
  t.pass(tcp(C, 40000, S, 80, TCP_ACK));
  assert.deepEqual([e.tcpState, left(t, e)], ['TIME_WAIT', 120]);
  t.advance(120_000);
  assert.equal(t.ct.entries().length, 0);
});

test('TCP RST in an established connection: CLOSE for 10 s', () => {
  const t = testTable();
  const e = handshake(t);
  t.pass(tcp(S, 80, C, 40000, TCP_RST | TCP_ACK));
  assert.deepEqual([e.tcpState, left(t, e)], ['CLOSE', 10]);
  assert.equal(t.ct.count, 1);
});

test('TCP SYN to nothing stays SYN_SENT UNREPLIED until it times out; a retransmitted SYN does not renew it', () => {
  const t = testTable();
  const e = tracked(t.pass(tcp(C, 40001, S, 81, TCP_SYN))).entry;
  t.advance(3000);
  t.pass(tcp(C, 40001, S, 81, TCP_SYN));
  assert.deepEqual([e.tcpState, left(t, e), e.status.has('SEEN_REPLY')], ['SYN_SENT', 117, false]);
  t.advance(117_000);
  assert.deepEqual(t.ct.entries(), []);
  assert.deepEqual(t.events.map((ev) => [ev.type, ev.timeout]), [['NEW', 120], ['DESTROY', undefined]]);
});

test('TCP SYN answered by RST (closed port): the entry is destroyed at once, in state CLOSE', () => {
  const t = testTable();
  t.pass(tcp(C, 40002, S, 5001, TCP_SYN));
  const r = tracked(t.pass(tcp(S, 5001, C, 40002, TCP_RST | TCP_ACK)));
  assert.equal(r.dir, 'REPLY');
  assert.equal(t.ct.count, 0);
  assert.deepEqual(t.events.map((ev) => [ev.type, ev.entry.tcpState, ev.timeout, ev.entry.status.has('SEEN_REPLY')]), [
    ['NEW', 'SYN_SENT', 120, false],
    ['DESTROY', 'CLOSE', 120, false],
  ]);
});

test('TCP packets the state table rejects are invalid and create nothing', () => {
  const t = testTable();
  assert.equal(t.pass(tcp(C, 1, S, 2, TCP_SYN | TCP_ACK)).kind, 'invalid');
  assert.equal(t.pass(tcp(C, 1, S, 2, TCP_FIN | TCP_ACK)).kind, 'invalid');
  assert.equal(t.pass(tcp(C, 1, S, 2, TCP_SYN | TCP_FIN)).kind, 'invalid', 'SYN+FIN is not a valid flag combination');
  assert.equal(t.pass(tcp(C, 1, S, 2, 0)).kind, 'invalid');
  // An ACK in SYN_SENT from the client is invalid too.
  t.pass(tcp(C, 3, S, 4, TCP_SYN));
  assert.equal(t.pass(tcp(C, 3, S, 4, TCP_ACK)).kind, 'invalid');
  assert.equal(t.ct.count, 1);
  assert.equal(t.ct.stats()[0].invalid, 5);
});

test('TCP pickup of a connection under way (tcp_loose): ESTABLISHED, but only 300 s until a reply', () => {
  const t = testTable();
  const e = tracked(t.pass(tcp(C, 5, S, 6, TCP_ACK))).entry;
  assert.deepEqual([e.tcpState, left(t, e), e.status.has('ASSURED')], ['ESTABLISHED', 300, false]);
  t.pass(tcp(S, 6, C, 5, TCP_ACK));
  t.pass(tcp(C, 5, S, 6, TCP_ACK));
  assert.deepEqual([left(t, e), e.status.has('ASSURED')], [432000, true]);
  const strict = testTable({ sysctls: { 'net.netfilter.nf_conntrack_tcp_loose': 0 } });
  assert.equal(strict.pass(tcp(C, 5, S, 6, TCP_ACK)).kind, 'invalid');
});

test('TCP SYN on a TIME_WAIT entry reopens the connection as a new entry', () => {
  const t = testTable();
  const e = handshake(t);
  t.pass(tcp(C, 40000, S, 80, TCP_FIN | TCP_ACK));
  t.pass(tcp(S, 80, C, 40000, TCP_FIN | TCP_ACK));
  t.pass(tcp(C, 40000, S, 80, TCP_ACK));
  assert.equal(e.tcpState, 'TIME_WAIT');
  const again = tracked(t.pass(tcp(C, 40000, S, 80, TCP_SYN)));
  assert.notEqual(again.entry, e);
  assert.deepEqual([again.state, again.isNew, again.entry.tcpState], ['NEW', true, 'SYN_SENT']);
  assert.deepEqual(t.events.slice(-2).map((ev) => [ev.type, ev.entry.tcpState]), [['DESTROY', 'TIME_WAIT'], ['NEW', 'SYN_SENT']]);
});

test('the TCP handshake raises the events conntrack -E shows on the real kernel', () => {
  const t = testTable();
  const e = handshake(t);
  t.pass(tcp(C, 40000, S, 80, TCP_ACK | 0x08));
  t.pass(tcp(C, 40000, S, 80, TCP_FIN | TCP_ACK));
  t.pass(tcp(S, 80, C, 40000, TCP_FIN | TCP_ACK));
  t.pass(tcp(C, 40000, S, 80, TCP_ACK));
  assert.equal(e.tcpState, 'TIME_WAIT');
  assert.deepEqual(t.events.map((ev) => `${ev.type} ${ev.timeout} ${ev.entry.tcpState} ${ev.entry.status.has('SEEN_REPLY') ? '' : 'UNREPLIED'}${ev.entry.status.has('ASSURED') ? 'ASSURED' : ''}`), [
    'NEW 120 SYN_SENT UNREPLIED',
    'UPDATE 60 SYN_RECV ',
    'UPDATE 432000 ESTABLISHED ASSURED',
    'UPDATE 120 FIN_WAIT ASSURED',
    'UPDATE 30 LAST_ACK ASSURED',
    'UPDATE 120 TIME_WAIT ASSURED',
  ]);
});

test('entries created while nobody listens carry no event cache (nf_conntrack_events=2)', () => {
  const t = testTable({ listen: false });
  t.pass(tcp(C, 7, S, 8, TCP_SYN));
  const seen: string[] = [];
  t.ct.subscribe((ev) => seen.push(ev.type));
  t.pass(tcp(S, 8, C, 7, TCP_SYN | TCP_ACK));
  t.pass(udp(C, 9, S, 10));
  assert.deepEqual(seen, ['NEW'], 'only the entry created after subscribing reports');
});

test('UDP: 30 s unreplied, 30 s right after the reply, the stream timeout and ASSURED once older than 2 s', () => {
  const t = testTable();
  const e = tracked(t.pass(udp(C, 5353, S, 53))).entry;
  assert.equal(left(t, e), 30);
  const reply = tracked(t.pass(udp(S, 53, C, 5353)));
  assert.deepEqual([reply.dir, reply.state], ['REPLY', 'ESTABLISHED']);
  assert.deepEqual([left(t, e), e.status.has('SEEN_REPLY'), e.status.has('ASSURED')], [30, true, false]);
  t.pass(udp(C, 5353, S, 53));
  assert.deepEqual([left(t, e), e.status.has('ASSURED')], [30, false], 'within 2 s of creation it is not a stream yet');
  t.advance(2001);
  t.pass(udp(C, 5353, S, 53));
  assert.deepEqual([left(t, e), e.status.has('ASSURED')], [120, true]);
  assert.deepEqual(t.events.map((ev) => `${ev.type} ${ev.timeout}`), ['NEW 30', 'UPDATE 30', 'UPDATE 120']);
});

test('ICMP echo: request opens, reply is ESTABLISHED; a reply without request is invalid', () => {
  const t = testTable();
  const e = tracked(t.pass(icmp(C, S, 8, 77))).entry;
  assert.deepEqual([e.orig.sport, e.orig.dport, e.reply.dport, left(t, e)], [77, 0x0800, 0x0000, 30]);
  const r = tracked(t.pass(icmp(S, C, 0, 77)));
  assert.deepEqual([r.entry, r.dir, r.state], [e, 'REPLY', 'ESTABLISHED']);
  assert.equal(t.pass(icmp(S, C, 0, 78)).kind, 'invalid');
  assert.equal(t.pass(icmp(S, C, 9, 0)).kind, 'invalid', 'router advertisements cannot be tracked');
  assert.equal(t.ct.count, 1);
});

test('ICMP errors quoting a tracked packet are RELATED to its entry; others are invalid', () => {
  const t = testTable();
  const sent = udp(C, 40000, S, 5002);
  const e = tracked(t.pass(sent)).entry;
  const r = tracked(t.pass(icmp(S, C, 3, 0, sent, 3)));
  assert.deepEqual([r.entry, r.dir, r.state, r.isNew], [e, 'REPLY', 'RELATED', false]);
  assert.ok(!e.status.has('SEEN_REPLY'), 'an error is not a reply');
  // An error about a packet never seen, or addressed elsewhere, is invalid.
  assert.equal(t.pass(icmp(S, C, 3, 0, udp(C, 1, S, 2), 3)).kind, 'invalid');
  assert.equal(t.pass(icmp(S, '10.0.0.9', 3, 0, sent, 3)).kind, 'invalid');
  assert.equal(t.pass(icmp(S, C, 3, 0, undefined, 3)).kind, 'invalid');
  assert.equal(t.ct.stats()[0].error, 3);
  // Time exceeded for a ping in flight, seen by the router the ping goes through.
  const ping = icmp(C, S, 8, 5);
  const p = tracked(t.pass(ping)).entry;
  const te = tracked(t.pass(icmp('10.0.0.254', C, 11, 0, ping)));
  assert.deepEqual([te.entry, te.state, te.dir], [p, 'RELATED', 'REPLY']);
});

test('the CtInfo helper gives iptables matches the entry, direction, ctstate and NAT status', () => {
  const t = testTable();
  const r = tracked(t.ct.in(tcp(C, 40000, '10.96.0.10', 80, TCP_SYN)));
  t.ct.setupNat(r.entry, 'DST', { minIp: ip(S), maxIp: ip(S), minPort: 8080, maxPort: 8080 });
  t.ct.confirm(r.entry);
  const info = toCtInfo(r.entry, 'ORIGINAL', 'NEW', t.env.time);
  assert.deepEqual([...info.status].sort(), ['CONFIRMED', 'DNAT']);
  assert.deepEqual([info.replSrc, info.replSrcPort, info.origDstPort, info.expires], [ip(S), 8080, 80, 120]);
});
