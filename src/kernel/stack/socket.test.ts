/**
 * UDP sockets as a program sees them: the source address an unbound socket sends from,
 * connect(2), IP_PKTINFO on receive and send, and ICMP errors reported by recv. The last test
 * asks the real kernel the same questions in a throw-away namespace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { realUnavailable, withNetns } from '../../../test/support/real.ts';
import { formatIPv4, parseIPv4 } from '../addr.ts';
import { RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN, RTPROT_BOOT } from '../fib.ts';
import { Kernel } from '../kernel.ts';
import type { Link } from '../link.ts';
import type { NetNs } from '../netns.ts';
import { textBytes } from '../wire.ts';
import { Inbox, socketsOf, type Datagram, type UdpSocket } from './socket.ts';

const ip = (s: string): number => parseIPv4(s)!;
const text = (d: Uint8Array): string => new TextDecoder().decode(d);

function route(ns: NetNs, dev: Link, dst: string, plen: number, gateway?: string): void {
  ns.addRoute({ table: RT_TABLE_MAIN, type: 'unicast', dst: ip(dst), plen, tos: 0, metric: 0, protocol: RTPROT_BOOT, scope: gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK, gateway: gateway === undefined ? undefined : ip(gateway), dev, onlink: false });
}

/**
 * Host `a`'s eth0 holds 10.0.0.1/24, the secondary 10.0.0.5/24 and 192.168.5.1/24; its default
 * route goes via 192.168.5.254, which is `b` (also holding 8.8.8.8, so the far end is local there).
 */
function hosts() {
  const k = new Kernel({ seed: 3 });
  const a = k.createNetns();
  const b = k.createNetns();
  const va = a.createLink({ name: 'eth0', kind: 'veth', peer: { name: 'eth0', ns: b } });
  const vb = va.peer!;
  for (const [ns, l] of [[a, va], [b, vb]] as const) {
    ns.setUp(l, true);
    ns.setUp(ns.lo(), true);
  }
  for (const addr of ['10.0.0.1', '10.0.0.5', '192.168.5.1']) a.addAddr(va, { addr: ip(addr), plen: 24 });
  b.addAddr(vb, { addr: ip('192.168.5.254'), plen: 24 });
  b.addAddr(vb, { addr: ip('8.8.8.8'), plen: 32 });
  route(a, va, '0.0.0.0', 0, '192.168.5.254');
  route(a, va, '172.16.0.0', 16);
  return { k, a, b };
}

/** Sends one datagram from a fresh unbound socket of `from` and returns the source `to` saw. */
async function sourceSeen(k: Kernel, from: NetNs, to: NetNs, dst: string): Promise<string> {
  const server = socketsOf(to).udpBind(0, 5353);
  const client = socketsOf(from).udpBind(0, 0);
  try {
    assert.equal(client.send(textBytes('q'), ip(dst), 5353), undefined);
    const d = await k.clock.until(server.inbox.next());
    return formatIPv4(d!.src);
  } finally {
    server.close();
    client.close();
  }
}

test('an unbound UDP socket sends to a loopback address from 127.0.0.1, not from an address of another device', async () => {
  const { k, a } = hosts();
  assert.equal(await sourceSeen(k, a, a, '127.0.0.1'), '127.0.0.1');
  assert.equal(await sourceSeen(k, a, a, '127.0.0.5'), '127.0.0.1');
});

test("an unbound UDP socket sends to the host's own addresses from the local route's source (a secondary's primary)", async () => {
  const { k, a } = hosts();
  assert.equal(await sourceSeen(k, a, a, '10.0.0.1'), '10.0.0.1');
  assert.equal(await sourceSeen(k, a, a, '10.0.0.5'), '10.0.0.1');
});

test("an unbound UDP socket leaving through a gateway sends from the device's address on the gateway's subnet", async () => {
  const { k, a, b } = hosts();
  assert.equal(await sourceSeen(k, a, b, '8.8.8.8'), '192.168.5.1');
});

test('connect on a UDP socket binds it to the source of the route to the peer', () => {
  const { a } = hosts();
  const cases: [string, string][] = [
    ['127.0.0.5', '127.0.0.1'],
    ['10.0.0.5', '10.0.0.1'],
    ['8.8.8.8', '192.168.5.1'],
    ['172.16.1.1', '10.0.0.1'],
  ];
  for (const [dst, src] of cases) {
    const s = socketsOf(a).udpBind(0, 0);
    assert.equal(s.connect(ip(dst), 53), undefined);
    assert.equal(formatIPv4(s.laddr), src, dst);
    assert.deepEqual(s.remote, { addr: ip(dst), port: 53 });
    s.close();
  }
});

test('connect on a UDP socket fails with ENETUNREACH without a route and keeps a bound address', () => {
  const { a } = hosts();
  const va = a.link('eth0')!;
  a.delRoute({ table: RT_TABLE_MAIN, dst: 0, plen: 0, dev: va });
  const s = socketsOf(a).udpBind(0, 0);
  assert.equal(s.connect(ip('8.8.8.8'), 53), 'ENETUNREACH');
  assert.equal(s.remote, undefined);
  const bound = socketsOf(a).udpBind(ip('10.0.0.5'), 0);
  assert.equal(bound.connect(ip('127.0.0.1'), 53), undefined);
  assert.equal(formatIPv4(bound.laddr), '10.0.0.5');
});

test('a datagram carries the address it was sent to, and a reply sent from it reaches the connected client', async () => {
  const { k, a } = hosts();
  const server = socketsOf(a).udpBind(0, 53);
  const client = socketsOf(a).udpBind(0, 0);
  client.connect(ip('10.0.0.5'), 53);
  client.send(textBytes('query'), ip('10.0.0.5'), 53);
  const d = (await k.clock.until(server.inbox.next()))!;
  assert.deepEqual([formatIPv4(d.src), formatIPv4(d.dst)], ['10.0.0.1', '10.0.0.5']);
  assert.equal(server.send(textBytes('answer'), d.src, d.sport, { src: d.dst }), undefined);
  const r = (await k.clock.until(client.recv())) as Datagram;
  assert.deepEqual([text(r.data), formatIPv4(r.src)], ['answer', '10.0.0.5']);
});

test("a reply from the route's source instead of the asked address is refused by the connected client", async () => {
  const { k, a } = hosts();
  const server = socketsOf(a).udpBind(0, 53);
  const client = socketsOf(a).udpBind(0, 0);
  client.connect(ip('10.0.0.5'), 53);
  client.send(textBytes('query'), ip('10.0.0.5'), 53);
  const d = (await k.clock.until(server.inbox.next()))!;
  assert.equal(server.send(textBytes('answer'), d.src, d.sport), undefined);
  await k.clock.advance(1000);
  assert.equal(client.inbox.size, 0);
});

test('sending from an address that is not ours fails with ENETUNREACH, from a broadcast or multicast one with EINVAL', () => {
  const { a } = hosts();
  const s = socketsOf(a).udpBind(0, 0);
  assert.equal(s.send(textBytes('x'), ip('10.0.0.1'), 53, { src: ip('9.9.9.9') }), 'ENETUNREACH');
  assert.equal(s.send(textBytes('x'), ip('10.0.0.1'), 53, { src: ip('224.0.0.1') }), 'EINVAL');
  assert.equal(s.send(textBytes('x'), ip('10.0.0.1'), 53, { src: 0xffffffff }), 'EINVAL');
});

/** A client connected to a closed port of b. */
function refusedClient(): { k: Kernel; s: UdpSocket } {
  const { k, a } = hosts();
  const s = socketsOf(a).udpBind(0, 0);
  assert.equal(s.connect(ip('8.8.8.8'), 9), undefined);
  return { k, s };
}

test('a recv blocked on a connected UDP socket returns ECONNREFUSED when the port unreachable arrives', async () => {
  const { k, s } = refusedClient();
  const pending = s.recv();
  s.send(textBytes('x'), ip('8.8.8.8'), 9);
  assert.deepEqual(await k.clock.until(pending), { error: 'ECONNREFUSED' });
  assert.deepEqual(s.errors, []);
});

test('a pending socket error is returned before queued datagrams, and only once', async () => {
  const { k, a } = hosts();
  const peer = socketsOf(a).udpBind(ip('127.0.0.1'), 5353);
  const s = socketsOf(a).udpBind(ip('127.0.0.1'), 0);
  s.connect(ip('127.0.0.1'), 5353);
  peer.send(textBytes('data'), ip('127.0.0.1'), s.lport);
  peer.close();
  s.send(textBytes('to a closed port'), ip('127.0.0.1'), 5353);
  assert.deepEqual(await k.clock.until(s.recv()), { error: 'ECONNREFUSED' });
  const d = (await k.clock.until(s.recv())) as Datagram;
  assert.equal(text(d.data), 'data');
});

test('closing a UDP socket ends a pending recv with undefined', async () => {
  const { k, s } = refusedClient();
  const pending = s.recv();
  s.close();
  assert.equal(await k.clock.until(pending), undefined);
});

test('an unconnected UDP socket is not told of ICMP errors', async () => {
  const { k, a } = hosts();
  const s = socketsOf(a).udpBind(0, 0);
  s.send(textBytes('x'), ip('8.8.8.8'), 9);
  await k.clock.advance(1000);
  assert.deepEqual(s.errors, []);
});

test('an inbox wait ended by wake() leaves the next item to the next reader', async () => {
  const box = new Inbox<string>();
  const interruptions: string[] = [];
  const waiting = box.nextOr(() => interruptions.shift());
  interruptions.push('interrupted');
  box.wake();
  assert.equal(await waiting, 'interrupted');
  box.push('item');
  assert.equal(await box.next(), 'item');
});

/** The questions of the tests above, asked of real sockets: one line per answer. */
const PROBE = String.raw`
import errno, socket, struct
IP_PKTINFO = 8
def src_of(dst):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect((dst, 53))
    print("src", dst, s.getsockname()[0]); s.close()
for dst in ["127.0.0.1", "127.0.0.5", "10.0.0.1", "10.0.0.5", "172.16.1.1", "8.8.8.8"]: src_of(dst)
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); server.bind(("0.0.0.0", 5353))
server.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for dst in ["127.0.0.1", "10.0.0.5"]:
    client.sendto(b"q", (dst, 5353))
    data, anc, flags, peer = server.recvmsg(100, 256)
    addr = [socket.inet_ntoa(struct.unpack("I4s4s", d)[2]) for l, t, d in anc if t == IP_PKTINFO][0]
    print("pktinfo", dst, "from", peer[0], "to", addr)
def reply_from(src):
    try:
        server.sendmsg([b"a"], [(socket.IPPROTO_IP, IP_PKTINFO, struct.pack("I4s4s", 0, socket.inet_aton(src), bytes(4)))], 0, peer)
        print("reply", src, "arrives from", client.recvfrom(100)[1][0])
    except OSError as e:
        print("reply", src, errno.errorcode[e.errno])
reply_from("10.0.0.5")
reply_from("9.9.9.9")
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.bind(("127.0.0.1", 0)); c.connect(("127.0.0.1", 5353))
server.sendto(b"data", c.getsockname()); server.close()
c.send(b"to a closed port")
for _ in range(2):
    try: print("recv", c.recv(100).decode())
    except OSError as e: print("recv", errno.errorcode[e.errno])
`;

const SETUP = [
  'ip link set lo up',
  'ip link add eth0 type veth peer name peer0',
  'ip link set eth0 up',
  'ip link set peer0 up',
  'ip addr add 10.0.0.1/24 dev eth0',
  'ip addr add 10.0.0.5/24 dev eth0',
  'ip addr add 192.168.5.1/24 dev eth0',
  'ip route add default via 192.168.5.254',
  'ip route add 172.16.0.0/16 dev eth0',
];

/** The same probe on the model's sockets. */
async function simProbe(): Promise<string[]> {
  const { k, a } = hosts();
  const out: string[] = [];
  const t = socketsOf(a);
  for (const dst of ['127.0.0.1', '127.0.0.5', '10.0.0.1', '10.0.0.5', '172.16.1.1', '8.8.8.8']) {
    const s = t.udpBind(0, 0);
    s.connect(ip(dst), 53);
    out.push(`src ${dst} ${formatIPv4(s.laddr)}`);
    s.close();
  }
  const server = t.udpBind(0, 5353);
  const client = t.udpBind(0, 0);
  let peer: Datagram | undefined;
  for (const dst of ['127.0.0.1', '10.0.0.5']) {
    client.send(textBytes('q'), ip(dst), 5353);
    peer = (await k.clock.until(server.inbox.next()))!;
    out.push(`pktinfo ${dst} from ${formatIPv4(peer.src)} to ${formatIPv4(peer.dst)}`);
  }
  for (const src of ['10.0.0.5', '9.9.9.9']) {
    const err = server.send(textBytes('a'), peer!.src, peer!.sport, { src: ip(src) });
    if (err) out.push(`reply ${src} ${err}`);
    else out.push(`reply ${src} arrives from ${formatIPv4((await k.clock.until(client.inbox.next()))!.src)}`);
  }
  const c = t.udpBind(ip('127.0.0.1'), 0);
  c.connect(ip('127.0.0.1'), 5353);
  server.send(textBytes('data'), ip('127.0.0.1'), c.lport);
  server.close();
  c.send(textBytes('to a closed port'), ip('127.0.0.1'), 5353);
  for (let i = 0; i < 2; i++) {
    const r = (await k.clock.until(c.recv()))!;
    out.push(`recv ${'error' in r ? r.error : text(r.data)}`);
  }
  return out;
}

function realUnavailableHere(): string | undefined {
  return realUnavailable() ?? (spawnSync('python3', ['-c', '']).status !== 0 ? 'python3 is not installed' : undefined);
}

test('source addresses, IP_PKTINFO and error reporting match the real kernel', { skip: realUnavailableHere() }, async () => {
  const real = withNetns((ns) => {
    for (const line of SETUP) assert.equal(ns.run(line).status, 0, line);
    const r = ns.run('python3 -', PROBE);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n');
  });
  assert.deepEqual(await simProbe(), real);
});
