// The model against the real kernel and the real conntrack: two namespaces joined by a veth,
// real flows (ping, UDP to a closed port and to an echo server, TCP to a listener, TCP to a
// closed port, DNAT to a listener, two clients SNATed onto one address and port), captured on
// the wire and replayed through the model. `conntrack -E`, `-L`, `/proc/net/nf_conntrack` and
// `-D` must print the same, once what cannot match is normalised: seconds that ticked while the
// real commands ran, and the port the kernel's random generator chose for the NAT collision.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealNetns, realUnavailable } from '../../../test/support/real.ts';
import { parseIPv4 } from '../../kernel/addr.ts';
import { testTable } from '../../kernel/conntrack/testing.ts';
import type { CtPacket } from '../../kernel/conntrack/tuple.ts';
import { procNfConntrack } from './format.ts';
import { lineTuples, parseCapture, replay } from './replay.ts';
import { runConntrack, sameLines } from './testing.ts';

const skip = realUnavailable() ?? (spawnSync('conntrack', ['-V']).status !== 0 ? 'the real conntrack is not installed (apt-get install conntrack)' : undefined);

/** Records every frame on a device with its direction, until SIGTERM. */
const CAPTURE = `
import signal, socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
s.bind((sys.argv[1], 0))
out = open(sys.argv[2], 'w')
signal.signal(signal.SIGTERM, lambda *a: (out.flush(), sys.exit(0)))
open(sys.argv[3], 'w').close()
while True:
    data, addr = s.recvfrom(65535)
    out.write('%.6f %d %s\\n' % (time.time(), addr[2], data.hex()))
    out.flush()
`;

const UDP_ECHO = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 5003))
while True:
    d, a = s.recvfrom(100)
    s.sendto(d, a)
`;

const UDP_ASK = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(b'hi', (sys.argv[1], int(sys.argv[2])))
if sys.argv[3] == 'wait':
    s.recv(100)
`;

/** Listings taken at one moment after the flows, on both sides. */
const LISTINGS = [
  '-L', '-L -o extended', '-L -o save', '-L -o xml', '-L -p tcp --state TIME_WAIT', '-L -n', '-L -g', '-L -j 10.9.0.3',
  '-L -s 10.9.0.0/24 -p udp', '-L -p icmp', '-L -u SEEN_REPLY', '-L -u UNREPLIED', '-L -q 10.9.0.3', '-L -p tcp --reply-port-src 8080',
  '-L -d 10.9.0.2 --mask-dst 255.255.255.0 -p tcp --dport 8082', '-C',
];

/** The flows, run in namespace A (10.9.0.1, .11 and .3) against B (10.9.0.2). */
function scenario(dir: string, b: string): string {
  return `set -e
D=${dir}
ip link add va type veth peer name vb netns ${b}
sysctl -qw net.ipv6.conf.va.disable_ipv6=1
ip netns exec ${b} sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
ip addr add 10.9.0.1/24 dev va; ip addr add 10.9.0.11/24 dev va; ip addr add 10.9.0.3/24 dev va
ip link set lo up; ip link set va up
ip netns exec ${b} ip addr add 10.9.0.2/24 dev vb
ip netns exec ${b} ip link set lo up; ip netns exec ${b} ip link set vb up
iptables -t nat -A OUTPUT -d 10.9.0.99 -p tcp --dport 80 -j DNAT --to-destination 10.9.0.2:8080
iptables -t nat -A POSTROUTING -p tcp --dport 8081 -j SNAT --to-source 10.9.0.3
iptables -t nat -A POSTROUTING -p tcp --dport 8082 -j SNAT --to-source 10.9.0.20-10.9.0.27
for i in $(seq 20 27); do ip addr add 10.9.0.$i/24 dev va; done
PIDS=
trap 'kill $PIDS 2>/dev/null || true' EXIT
python3 $D/capture.py va $D/frames $D/ready & PIDS="$PIDS $!"
conntrack -E >$D/events 2>$D/events.err & EV=$!; PIDS="$PIDS $EV"
for port in 5000 8080 8081 8082; do ip netns exec ${b} nc -lk -p $port >/dev/null & PIDS="$PIDS $!"; done
ip netns exec ${b} python3 $D/echo.py & PIDS="$PIDS $!"
until [ -e $D/ready ]; do sleep 0.02; done
sleep 0.3
ping -c1 -W1 10.9.0.2 >/dev/null; sleep 0.1
python3 $D/ask.py 10.9.0.2 5002 nowait; sleep 0.1
python3 $D/ask.py 10.9.0.2 5003 wait; sleep 0.1
echo hi | nc -q0 10.9.0.2 5000; sleep 0.1
nc -w1 10.9.0.2 5001 </dev/null || true; sleep 0.1
echo hi | nc -q0 10.9.0.99 80; sleep 0.1
echo hi | nc -q0 -s 10.9.0.1 -p 40000 10.9.0.2 8081; sleep 0.1
echo hi | nc -q0 -s 10.9.0.11 -p 40000 10.9.0.2 8081; sleep 0.1
echo hi | nc -q0 -s 10.9.0.1 10.9.0.2 8082; sleep 0.1
echo hi | nc -q0 -s 10.9.0.11 10.9.0.2 8082; sleep 0.2
date +%s.%N >$D/list.time
${LISTINGS.map((args, i) => `conntrack ${args} >$D/list.${i} 2>$D/list.${i}.err || true`).join('\n')}
cat /proc/net/nf_conntrack >$D/proc
date +%s.%N >$D/delete.time
conntrack -D -p tcp --dport 8081 >$D/delete 2>$D/delete.err || echo $? >$D/delete.rc
sleep 0.2
kill -INT $EV; wait $EV || true
`;
}

const ip = (s: string): number => parseIPv4(s)!;

/** The NAT rules of the scenario, as the model's nat table would apply them. */
function natRule(p: CtPacket, manip: 'SRC' | 'DST') {
  if (manip === 'DST' && p.proto === 6 && p.dst === ip('10.9.0.99') && p.dport === 80) return { minIp: ip('10.9.0.2'), maxIp: ip('10.9.0.2'), minPort: 8080, maxPort: 8080 };
  if (manip === 'SRC' && p.proto === 6 && p.dport === 8081) return { minIp: ip('10.9.0.3'), maxIp: ip('10.9.0.3') };
  // An address range: which address a client gets comes from jhash2 of its and the server's address.
  if (manip === 'SRC' && p.proto === 6 && p.dport === 8082) return { minIp: ip('10.9.0.20'), maxIp: ip('10.9.0.27') };
  return null;
}

/** Hides the port the kernel's random generator chose for the second client's SNAT. */
function hideSnatPort(text: string): string {
  return text
    .replace(/(src=10\.9\.0\.11 dst=10\.9\.0\.2 sport=40000 dport=8081 (?:\[UNREPLIED\] )?src=10\.9\.0\.2 dst=10\.9\.0\.3 sport=8081 dport=)\d+/g, '$1<snat>')
    .replace(/(-s 10\.9\.0\.11 -d 10\.9\.0\.2 .* --sport 40000 --dport 8081 .* --reply-port-dst )\d+/g, '$1<snat>')
    .replace(/(<src>10\.9\.0\.11<\/src>.*?<sport>40000<\/sport><dport>8081<\/dport>.*?<sport>8081<\/sport><dport>)\d+/g, '$1<snat>');
}

test('real flows replayed through the model give the same conntrack -E, -L, -D and /proc/net/nf_conntrack', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-ct-'));
  const a = new RealNetns();
  let b: RealNetns | undefined;
  try {
    b = new RealNetns();
    writeFileSync(join(dir, 'capture.py'), CAPTURE);
    writeFileSync(join(dir, 'echo.py'), UDP_ECHO);
    writeFileSync(join(dir, 'ask.py'), UDP_ASK);
    const r = a.run(scenario(dir, b.name));
    assert.equal(r.status, 0, `scenario failed: ${r.stderr}`);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

    const realEvents = read('events');
    const real = realEvents.split('\n').filter((l) => l.includes('[NEW]')).map((l) => lineTuples(l)!);
    const frames = parseCapture(read('frames'));
    assert.ok(frames.length > 20, 'the flows were captured');

    // The model, driven by the captured frames, with the real conntrack -E running on it.
    const t = testTable({ listen: false });
    const setTime = (s: number) => void (t.env.time = Math.round(s * 1000));
    setTime(frames[0].time);
    const stop = new AbortController();
    const watching = runConntrack(t.ct, ['conntrack', '-E'], { signal: stop.signal });
    replay(t.ct, frames, real, { nat: natRule }, setTime);

    setTime(Number(read('list.time')));
    const lists = [];
    for (const args of LISTINGS) lists.push(await runConntrack(t.ct, ['conntrack', ...args.split(' ')]));
    const proc = procNfConntrack(t.ct.entries(), t.env.time);
    setTime(Number(read('delete.time')));
    const del = await runConntrack(t.ct, ['conntrack', '-D', '-p', 'tcp', '--dport', '8081']);
    stop.abort();
    const events = await watching;

    sameLines(realEvents, events.stdout, 'conntrack -E', { ordered: true, tidy: hideSnatPort });
    assert.equal(events.stderr, read('events.err'));
    for (const [i, args] of LISTINGS.entries()) {
      sameLines(read(`list.${i}`), lists[i].stdout, `conntrack ${args}`, { tidy: hideSnatPort });
      assert.equal(lists[i].stderr, read(`list.${i}.err`), `stderr of conntrack ${args}`);
    }
    sameLines(read('proc'), proc, '/proc/net/nf_conntrack', { tidy: hideSnatPort });
    sameLines(read('delete'), del.stdout, 'conntrack -D', { tidy: hideSnatPort });
    assert.equal(del.stderr, read('delete.err'));
    // The collision really happened: the second client got another port, in both.
    const second = /src=10\.9\.0\.11 dst=10\.9\.0\.2 sport=40000 .* dport=(\d+)/.exec(lists[0].stdout);
    assert.ok(second && second[1] !== '40000', 'the model moved the second client off port 40000');
    assert.match(read('list.0'), /src=10\.9\.0\.11 dst=10\.9\.0\.2 sport=40000 dport=8081 src=10\.9\.0\.2 dst=10\.9\.0\.3 sport=8081 dport=(?!40000)\d+/);
  } finally {
    b?.close();
    a.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
