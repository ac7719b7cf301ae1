/**
 * A kube-proxy node in the model: pods on a cni0 bridge, a ClusterIP service with two endpoints
 * (iptables rules as kube-proxy writes them), clients inside and outside the node. Checks what
 * the seeds and the linux-dataplane probe saw on a real kernel: spreading, client IP preserved
 * pod-to-service, hairpin needing the bridge port's hairpin flag, masquerade from outside, the
 * NAT tuple in conntrack, and TRACE lines in the kernel log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, parseIPv4 } from '../../src/kernel/addr.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { NetNs } from '../../src/kernel/netns.ts';
import { RT_SCOPE_LINK } from '../../src/kernel/fib.ts';
import { socketsOf } from '../../src/kernel/stack/socket.ts';
import { conntrackOf } from '../../src/kernel/stack/state.ts';
import { textBytes } from '../../src/kernel/wire.ts';
import { MemFs } from '../../src/host/sim/fs.ts';
import { restore } from '../../src/userland/iptables/restore.ts';

const ip = (s: string): number => parseIPv4(s)!;

const RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-A -s 10.244.1.2/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SEP-B -s 10.244.1.3/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 10.244.1.3:8080
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SVC-X ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-X -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A
-A KUBE-SVC-X -j KUBE-SEP-B
COMMIT
`;

interface Lab {
  k: Kernel;
  node: NetNs;
  pods: NetNs[];
  outside: NetNs;
  /** Who connected to each pod's server: pod name → client addresses seen. */
  seen: Map<string, string[]>;
}

function lab(opts: { hairpin: boolean; seed?: number }): Lab {
  const k = new Kernel({ seed: opts.seed ?? 3 });
  const node = k.createNetns();
  node.sysctl.set('net.ipv4.ip_forward', '1');
  node.setUp(node.lo(), true);
  const br = node.createLink({ name: 'cni0', kind: 'bridge' });
  node.addAddr(br, { addr: ip('10.244.1.1'), plen: 24 });
  node.setUp(br, true);
  const seen = new Map<string, string[]>();
  const pods: NetNs[] = [];
  ['a', 'b'].forEach((name, i) => {
    const pod = k.createNetns();
    const eth = pod.createLink({ name: 'eth0', kind: 'veth', peer: { name: `veth${name}`, ns: node } });
    const hv = eth.peer!;
    pod.addAddr(eth, { addr: ip(`10.244.1.${i + 2}`), plen: 24 });
    pod.setUp(pod.lo(), true);
    pod.setUp(eth, true);
    pod.addRoute({ table: 254, type: 'unicast', dst: 0, plen: 0, tos: 0, metric: 0, protocol: 3, scope: 0, gateway: ip('10.244.1.1'), dev: eth, onlink: false });
    node.setMaster(hv, br);
    hv.port!.hairpin = opts.hairpin;
    node.setUp(hv, true);
    const l = socketsOf(pod).tcpListen(0, 8080);
    seen.set(name, []);
    void (async () => {
      for (;;) {
        const c = await l.accept();
        if (!c) return;
        seen.get(name)!.push(formatIPv4(c.raddr));
        c.write(textBytes(name));
        c.close();
      }
    })();
    pods.push(pod);
  });
  const outside = k.createNetns();
  const o = outside.createLink({ name: 'eth0', kind: 'veth', peer: { name: 'eth0', ns: node } });
  outside.addAddr(o, { addr: ip('172.18.0.1'), plen: 16 });
  node.addAddr(o.peer!, { addr: ip('172.18.0.2'), plen: 16 });
  outside.setUp(o, true);
  node.setUp(o.peer!, true);
  outside.addRoute({ table: 254, type: 'unicast', dst: ip('10.96.0.0'), plen: 12, tos: 0, metric: 0, protocol: 3, scope: 0, gateway: ip('172.18.0.2'), dev: o, onlink: false });
  const r = restore(node.nf, RULES, { noflush: false, counters: false, test: false }, { fs: new MemFs({}), stdout: () => {} });
  assert.equal(r.status, 0, r.stderr);
  void RT_SCOPE_LINK;
  return { k, node, pods, outside, seen };
}

/**
 * Connects to the service and returns who answered; '' when nothing answered within 0.9 s (like
 * `curl -m 0.9`: before the first SYN retransmission, which would get a fresh endpoint choice
 * because the dropped SYN's conntrack entry was never confirmed).
 */
async function call(l: Lab, from: NetNs): Promise<string> {
  const answer = socketsOf(from)
    .tcpConnect(ip('10.96.0.10'), 80)
    .then(async (c) => {
      let s = '';
      for (let d = await c.read(); d; d = await c.read()) s += new TextDecoder().decode(d);
      c.close();
      return s;
    })
    .catch(() => '');
  return (await l.k.clock.until(Promise.race([answer, l.k.clock.sleep(900).then(() => '')]))) ?? '';
}

test('pod-to-service connections spread over both endpoints and keep the client address', async () => {
  const l = lab({ hairpin: true });
  const answers = new Map<string, number>();
  for (let i = 0; i < 40; i++) {
    const who = await call(l, l.pods[1]);
    answers.set(who, (answers.get(who) ?? 0) + 1);
  }
  assert.deepEqual([...answers.keys()].sort(), ['a', 'b']);
  // Pod b reaching pod a: no SNAT, pod a sees 10.244.1.3.
  assert.ok(l.seen.get('a')!.every((c) => c === '10.244.1.3'));
  // Pod b reaching itself (hairpin): masqueraded to the bridge address.
  assert.ok(l.seen.get('b')!.length > 0 && l.seen.get('b')!.every((c) => c === '10.244.1.1'));
});

test('hairpin to itself fails when the bridge port has hairpin off, other endpoints still answer', async () => {
  const l = lab({ hairpin: false });
  const results: string[] = [];
  for (let i = 0; i < 12; i++) results.push(await call(l, l.pods[1]));
  assert.ok(results.includes('a'));
  assert.ok(results.includes(''), 'a connection that picked the client itself times out');
  assert.ok(!results.includes('b'));
});

test('traffic from outside the node is masqueraded to the bridge address and conntrack shows both NATs', async () => {
  const l = lab({ hairpin: true });
  const who = await call(l, l.outside);
  assert.ok(who === 'a' || who === 'b');
  assert.deepEqual(l.seen.get(who), ['10.244.1.1']);
  const entries = conntrackOf(l.node).entries();
  assert.equal(entries.length, 1);
  const e = entries[0];
  assert.equal(formatIPv4(e.orig.src), '172.18.0.1');
  assert.equal(formatIPv4(e.orig.dst), '10.96.0.10');
  assert.equal(e.orig.dport, 80);
  assert.equal(formatIPv4(e.reply.src), who === 'a' ? '10.244.1.2' : '10.244.1.3');
  assert.equal(e.reply.sport, 8080);
  assert.equal(formatIPv4(e.reply.dst), '10.244.1.1');
  assert.ok(e.status.has('SRC_NAT') && e.status.has('DST_NAT'));
});

test('a raw-table TRACE rule logs every rule the packet traverses to the kernel log', async () => {
  const l = lab({ hairpin: true });
  const r = restore(l.node.nf, '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p tcp -d 10.96.0.10 --dport 80 -j TRACE\nCOMMIT\n', { noflush: true, counters: false, test: false }, { fs: new MemFs({}), stdout: () => {} });
  assert.equal(r.status, 0);
  await call(l, l.outside);
  const lines = l.k.log.map((x) => x.text).filter((t) => t.startsWith('TRACE:'));
  assert.ok(lines.length > 0);
  assert.match(lines[0], /^TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= MAC=[0-9a-f:]+ SRC=172\.18\.0\.1 DST=10\.96\.0\.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=\d+ DF PROTO=TCP SPT=\d+ DPT=80 /);
  assert.ok(lines.some((t) => t.startsWith('TRACE: nat:PREROUTING:rule:1 ')));
  assert.ok(lines.some((t) => t.startsWith('TRACE: nat:KUBE-SVC-X:rule:1 ')));
  assert.ok(lines.some((t) => /^TRACE: nat:KUBE-SEP-[AB]:rule:2 /.test(t)));
});

test('forwarded service traffic matches -m conntrack --ctstate DNAT in FORWARD, as kube-proxy and Docker rules rely on', async () => {
  const l = lab({ hairpin: true });
  const r = restore(l.node.nf, '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate DNAT -j ACCEPT\nCOMMIT\n', { noflush: true, counters: false, test: false }, { fs: new MemFs({}), stdout: () => {} });
  assert.equal(r.status, 0);
  assert.ok(await call(l, l.outside));
  assert.ok(l.node.nf.table('filter').chain('FORWARD')!.rules[0].counters.pkts > 0n);
});
