/** tcpdump in the model: captures on a device and on any, filters, decodes, and its banner and summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FilterError } from './tcpdump-filter.ts';
import { Printer } from './tcpdump-print.ts';
import { ipv4, lab } from './testing.ts';
import type { Frame, IpPacket } from '../../kernel/wire.ts';

test('a capture with -c ends by itself and prints the summary; the banner goes to stderr', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec b tcpdump -n -i eth0 -c 4 icmp & sleep 1; ip netns exec a ping -c 2 -q -i 0.2 10.0.0.2 > /dev/null; wait');
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^00:00:01\.000000 IP 10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request, id \d+, seq 1, length 64$/);
  assert.match(lines[1], /^00:00:01\.000001 IP 10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo reply, id \d+, seq 1, length 64$/);
  assert.match(lines[2], /^00:00:01\.200000 IP 10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request/);
  assert.equal(
    r.err,
    'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n' +
      '4 packets captured\n4 packets received by filter\n0 packets dropped by kernel\n',
  );
});

test('TCP: absolute then relative sequence numbers, flags, options, HTTP first lines; -t drops the time', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec b nc -l 80 > /dev/null & ip netns exec a tcpdump -t -n -i eth0 -c 6 tcp & sleep 1; printf "GET / HTTP/1.1\\r\\n\\r\\n" | ip netns exec a nc -q 0 10.0.0.2 80; wait');
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0], /^IP 10\.0\.0\.1\.(\d+) > 10\.0\.0\.2\.80: Flags \[S\], seq \d+, win 64240, options \[mss 1460,sackOK,TS val \d+ ecr 0,nop,wscale 7\], length 0$/);
  assert.match(lines[1], /^IP 10\.0\.0\.2\.80 > 10\.0\.0\.1\.\d+: Flags \[S\.\], seq \d+, ack \d+, win 64240, options \[mss 1460,sackOK,TS val \d+ ecr \d+,nop,wscale 7\], length 0$/);
  assert.match(lines[2], /Flags \[\.\], ack 1, win 502, options \[nop,nop,TS val \d+ ecr \d+\], length 0$/);
  assert.match(lines[3], /Flags \[P\.\], seq 1:19, ack 1, win 502, options \[nop,nop,TS val \d+ ecr \d+\], length 18: HTTP: GET \/ HTTP\/1\.1$/);
  assert.match(lines[5], /Flags \[F\.\], seq 19, ack 1, win 502/);
});

test('-i any: device, direction and packet type columns; -e adds the cooked header', async () => {
  const l = lab();
  const r = await l.sh('ip netns exec b tcpdump -n -i any -c 4 & ip netns exec b tcpdump -e -n -i any -c 1 icmp > /tmp/e & sleep 1; ip netns exec a ping -c 1 10.0.0.2 > /dev/null; wait; cat /tmp/e');
  const lines = r.out.trimEnd().split('\n').map((x) => x.slice(16));
  assert.deepEqual(lines.slice(0, 4), [
    'eth0  B   ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28',
    'eth0  Out ARP, Reply 10.0.0.2 is-at ' + l.b.link('eth0')!.mac + ', length 28',
    lines[2].replace(/id \d+/, 'id ' + /id (\d+)/.exec(lines[2])![1]),
    lines[3],
  ]);
  assert.match(lines[2], /^eth0 {2}In {2}IP 10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request, id \d+, seq 1, length 64$/);
  assert.match(lines[4], new RegExp(`^eth0  In  ifindex ${l.b.link('eth0')!.ifindex} ${l.a.link('eth0')!.mac} ethertype IPv4 \\(0x0800\\), length 104: 10\\.0\\.0\\.1 > 10\\.0\\.0\\.2: ICMP echo request`));
});

test('a bridge captured in promiscuous mode sees the frames it forwards between its ports', async () => {
  const l = lab();
  const r = await l.sh(
    'ip netns add n; ip netns add x; ip netns add y; ip -n n link add br0 type bridge; ip -n n link set br0 up; ' +
      'ip -n n link add p1 type veth peer name eth0 netns x; ip -n n link add p2 type veth peer name eth0 netns y; ' +
      'ip -n n link set p1 master br0; ip -n n link set p2 master br0; ip -n n link set p1 up; ip -n n link set p2 up; ' +
      'ip -n x addr add 10.9.0.1/24 dev eth0; ip -n y addr add 10.9.0.2/24 dev eth0; ip -n x link set eth0 up; ip -n y link set eth0 up; ' +
      'ip netns exec n tcpdump -t -n -i br0 -c 2 icmp & ip netns exec n tcpdump -p -t -n -i br0 -c 1 > /tmp/nopromisc & ' +
      'sleep 1; ip netns exec x ping -c 1 10.9.0.2 > /dev/null; wait %1',
  );
  assert.match(r.out, /^IP 10\.9\.0\.1 > 10\.9\.0\.2: ICMP echo request, id \d+, seq 1, length 64\nIP 10\.9\.0\.2 > 10\.9\.0\.1: ICMP echo reply/);
  // Without promiscuous mode (-p) the bridge only sees the ARP broadcast it floods and passes up.
  assert.match(l.host.fs.read('/tmp/nopromisc') ?? '', /^ARP, Request who-has 10\.9\.0\.2 tell 10\.9\.0\.1, length 28\n$/);
});

test('errors: unknown device, device down, bad count, bad filter, unknown host and port', async () => {
  const l = lab();
  await l.sh('ip -n a link add d0 type veth peer name d1');
  for (const [args, err] of [
    ['-i eth9', 'tcpdump: eth9: No such device exists\n(No such device exists)\n'],
    ['-i d0', 'tcpdump: d0: That device is not up\n'],
    ['-c 0', 'tcpdump: invalid packet count 0\n'],
    ['-c x', 'tcpdump: invalid packet count x\n'],
    ['host', "tcpdump: can't parse filter expression: syntax error\n"],
    ['port abc', "tcpdump: unknown port 'abc'\n"],
    ['host nosuch', "tcpdump: unknown host 'nosuch'\n"],
  ]) {
    const r = await l.sh(`ip netns exec a tcpdump -n ${args}`);
    assert.deepEqual([r.status, r.out, r.err], [1, '', err], args);
  }
});

const frame = (ip: IpPacket): Frame => ({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', ip });
const tcpSyn = (sport: number, dport: number): Frame =>
  frame({ src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.2'), proto: 6, ttl: 64, id: 1, df: true, tos: 0, l4: { kind: 'tcp', sport, dport, seq: 1, ack: 0, flags: 2, win: 1, data: new Uint8Array(0) } });

test('filters: pcap precedence (not over and/or, and and or equal, left to right), qualifiers carried to bare values', () => {
  const names = { host: (n: string) => (n === 'b' ? ipv4('10.0.0.2') : undefined), port: (n: string) => (n === 'http' ? 80 : undefined) };
  const f = (e: string) => compileFilter(e.split(' '), names);
  const syn = tcpSyn(40000, 80);
  assert.equal(f('tcp and dst port http')(syn), true);
  assert.equal(f('src host b')(syn), false);
  assert.equal(f('host 10.0.0.9 or 10.0.0.2')(syn), true);
  assert.equal(f('not udp and port 80')(syn), true);
  assert.equal(f('udp and port 1 or tcp')(syn), true);
  assert.equal(f('net 10.0.0.0/24 and ( port 443 or port 80 )')(syn), true);
  assert.equal(f('portrange 79-81')(syn), true);
  assert.equal(f('arp')(syn), false);
  assert.throws(() => f('host'), FilterError);
  assert.throws(() => f('net 10.0.0.1/24'), /non-network bits/);
});

test('decodes: ICMP errors name what was unreachable; -v adds the IP header and the quoted packet', () => {
  const p = new Printer({ numeric: true, verbose: 0, ether: false, hostName: () => undefined, portName: () => undefined });
  const syn = tcpSyn(40000, 81).ip!;
  const err = (code: number): Frame => frame({ src: ipv4('10.0.0.2'), dst: ipv4('10.0.0.1'), proto: 1, ttl: 64, id: 2, df: false, tos: 0xc0, l4: { kind: 'icmp', type: 3, code, data: new Uint8Array(0), orig: syn } });
  assert.equal(p.ethernet(err(3)), 'IP 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 tcp port 81 unreachable, length 48');
  assert.equal(p.ethernet(err(1)), 'IP 10.0.0.2 > 10.0.0.1: ICMP host 10.0.0.2 unreachable, length 48');
  assert.equal(p.ethernet(err(13)), 'IP 10.0.0.2 > 10.0.0.1: ICMP host 10.0.0.2 unreachable - admin prohibited filter, length 48');
  const v = new Printer({ numeric: false, verbose: 1, ether: false, hostName: (a) => (a === ipv4('10.0.0.2') ? 'b' : undefined), portName: (n) => (n === 81 ? 'eighty-one' : undefined) });
  assert.equal(
    v.ethernet(err(3)),
    'IP (tos 0xc0, ttl 64, id 2, offset 0, flags [none], proto ICMP (1), length 68)\n    b > 10.0.0.1: ICMP b tcp port eighty-one unreachable, length 48\n\tIP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 40)\n    10.0.0.1.40000 > b.eighty-one: Flags [S], cksum 0xff4c (correct), seq 1, win 1, length 0',
  );
});
