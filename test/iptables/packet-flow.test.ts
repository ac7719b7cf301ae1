// Packets through kube-proxy rulesets: for each packet, the chains it walks, the DNAT it gets,
// whether it is marked for masquerade, and the verdict; and the statistic split over 10,000
// packets from the seeded generator. Cases follow kube-proxy's own packet-flow tests
// (TestTracePacket on its TestOverallIPTablesRules fixture, corpus 020) and the seed 000 node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatIPv4, parseIPv4 } from '../../src/kernel/addr.ts';
import { evalContext, type HostView } from '../../src/kernel/netfilter/context.ts';
import { walkHook, type TraceStep } from '../../src/kernel/netfilter/eval.ts';
import type { Packet } from '../../src/kernel/netfilter/packet.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { SimHost, simRun } from '../support/sim.ts';
import { readCorpus } from './differential.ts';

const ip = (s: string): number => parseIPv4(s)!;

interface Flow {
  /** DNAT destination ip:port, if any. */
  dnat?: string;
  masq: boolean;
  verdict: string;
  /** Chains entered, in order, as table:chain. */
  chains: string[];
  steps: TraceStep[];
}

function load(rules: string): SimHost {
  const host = new SimHost({ seed: 42 });
  assert.equal(simRun(host, ['iptables-restore', '--counters'], rules).status, 0);
  return host;
}

/** A forwarded packet: PREROUTING (raw, mangle, nat), then FORWARD (mangle, filter) after DNAT. */
function forward(host: SimHost, view: HostView, p: { src: string; dst: string; proto?: number; dport: number; inIface?: string }): Flow {
  const pkt: Packet = {
    src: ip(p.src), dst: ip(p.dst), proto: p.proto ?? 6, sport: 40000, dport: p.dport, tcpFlags: 0x02, len: 60, ttl: 64,
    mark: 0, inIface: p.inIface ?? 'eth0',
    ct: { state: 'NEW', status: new Set(), dir: 'ORIGINAL', proto: p.proto ?? 6, origSrc: ip(p.src), origDst: ip(p.dst), replSrc: ip(p.dst), replDst: ip(p.src), mark: 0 },
  };
  const pre = walkHook(host.nf, 'PREROUTING', pkt, (t) => evalContext(view, 'PREROUTING', t));
  let dnat: string | undefined;
  const nat = pre.natRequests.find((n) => n.kind === 'DNAT');
  if (nat) {
    pkt.dst = nat.minIp!;
    if (nat.minPort !== undefined) pkt.dport = nat.minPort;
    dnat = `${formatIPv4(pkt.dst)}:${pkt.dport}`;
  }
  let steps = pre.steps;
  let verdict: string = pre.verdict;
  if (pre.verdict === 'ACCEPT') {
    pkt.outIface = 'veth0';
    const fwd = walkHook(host.nf, 'FORWARD', pkt, (t) => evalContext(view, 'FORWARD', t));
    steps = [...steps, ...fwd.steps];
    verdict = fwd.verdict === 'REJECT' ? `REJECT ${fwd.rejectWith}` : fwd.verdict;
  }
  const chains: string[] = [];
  for (const s of steps) {
    const c = `${s.table}:${s.chain}`;
    if (chains[chains.length - 1] !== c) chains.push(c);
  }
  return { dnat, masq: (pkt.mark & 0x4000) !== 0, verdict, chains, steps };
}

function view(local: string[], seed = 7): HostView {
  return { local: new Set(local.map(ip)), rng: new Rng(seed), now: () => 0, state: new Map() };
}

// kube-proxy's fake node: test-node 192.168.0.2, local external IP 192.168.99.11.
const fixture = (): { host: SimHost; v: HostView } => ({ host: load(readCorpus('020-kube-overall-test-fixture.rules')), v: view(['192.168.0.2', '192.168.99.11']) });

const cases: { name: string; src: string; dst: string; dport: number; dnat?: string; masq: boolean; verdict: string; via?: string[] }[] = [
  { name: 'pod to a ClusterIP is DNATed to its endpoint without masquerade', src: '10.0.0.2', dst: '172.30.0.41', dport: 80, dnat: '10.180.0.1:80', masq: false, verdict: 'ACCEPT',
    via: ['nat:PREROUTING', 'nat:KUBE-SERVICES', 'nat:KUBE-SVC-XPGD46QRK7WJZT7O', 'nat:KUBE-SEP-SXIVWICOYRO3J4NJ'] },
  { name: 'a source outside the cluster CIDR to a ClusterIP is marked for masquerade', src: '192.168.5.5', dst: '172.30.0.41', dport: 80, dnat: '10.180.0.1:80', masq: true, verdict: 'ACCEPT' },
  { name: 'hairpin: the endpoint itself to its ClusterIP is masqueraded', src: '10.180.0.1', dst: '172.30.0.41', dport: 80, dnat: '10.180.0.1:80', masq: true, verdict: 'ACCEPT' },
  { name: 'the node to an ETP=Local external IP with no local endpoint is short-circuited to the service and masqueraded', src: '192.168.0.2', dst: '192.168.99.22', dport: 80, dnat: '10.180.0.2:80', masq: true, verdict: 'ACCEPT',
    via: ['nat:KUBE-EXT-GNZBNJ2PO5MGZ6GT', 'nat:KUBE-MARK-MASQ', 'nat:KUBE-EXT-GNZBNJ2PO5MGZ6GT', 'nat:KUBE-SVC-GNZBNJ2PO5MGZ6GT'] },
  { name: 'an external client to an ETP=Local external IP with no local endpoint is dropped', src: '203.0.113.2', dst: '192.168.99.22', dport: 80, masq: false, verdict: 'DROP',
    via: ['filter:KUBE-EXTERNAL-SERVICES'] },
  { name: 'a ClusterIP without endpoints is rejected', src: '10.0.0.2', dst: '172.30.0.46', dport: 80, masq: false, verdict: 'REJECT icmp-port-unreachable', via: ['filter:KUBE-SERVICES'] },
  { name: 'a ClientIP-affinity service still reaches its one endpoint', src: '10.0.0.2', dst: '172.30.0.45', dport: 80, dnat: '10.180.0.3:80', masq: false, verdict: 'ACCEPT' },
  { name: 'an external client to a NodePort on the node goes through KUBE-NODEPORTS and is masqueraded', src: '203.0.113.2', dst: '192.168.0.2', dport: 3003, dnat: '10.180.0.3:80', masq: true, verdict: 'ACCEPT',
    via: ['nat:KUBE-NODEPORTS', 'nat:KUBE-EXT-X27LE4BHSL4DOUIK'] },
  { name: 'a blocked client to a load-balancer IP with source ranges is dropped by KUBE-PROXY-FIREWALL', src: '203.0.113.130', dst: '5.6.7.8', dport: 80, masq: false, verdict: 'DROP',
    via: ['nat:KUBE-FW-NUKIZ6OKUXPJNT4C', 'filter:KUBE-PROXY-FIREWALL'] },
  { name: 'an allowed client to that load-balancer IP reaches the endpoint, masqueraded', src: '203.0.113.2', dst: '5.6.7.8', dport: 80, dnat: '10.180.0.3:80', masq: true, verdict: 'ACCEPT' },
  { name: 'a port the ClusterIP does not serve matches nothing', src: '10.0.0.2', dst: '172.30.0.41', dport: 81, masq: false, verdict: 'ACCEPT' },
];

for (const c of cases) {
  test(`packet flow (kube-proxy fixture): ${c.name}`, () => {
    const { host, v } = fixture();
    const f = forward(host, v, c);
    assert.equal(f.dnat, c.dnat, `DNAT; chains ${f.chains.join(' > ')}`);
    assert.equal(f.masq, c.masq, `masquerade mark; chains ${f.chains.join(' > ')}`);
    assert.equal(f.verdict, c.verdict, `verdict; chains ${f.chains.join(' > ')}`);
    // The chains named are entered in that order (other chains may come between).
    let at = 0;
    for (const chain of c.via ?? []) {
      const k = f.chains.indexOf(chain, at);
      assert.ok(k >= 0, `${chain} (in order) not in ${f.chains.join(' > ')}`);
      at = k + 1;
    }
  });
}

test('the trace of a pod-to-ClusterIP packet on the seed 000 node names every rule hit, TRACE style', () => {
  const host = load(readFileSync(new URL('../../examples/iptables/kind-worker.rules', import.meta.url), 'utf8'));
  const f = forward(host, view(['172.17.0.2'], 3), { src: '10.244.2.2', dst: '10.102.117.8', dport: 80 });
  const lines = f.steps.filter((s) => s.table === 'nat').map((s) => `${s.table}:${s.chain}:${s.kind}:${s.num}`);
  // rule 3 of KUBE-SERVICES is the echo-service jump (rules 1-2 are the kubernetes service's masq/jump pair sorted before it).
  assert.equal(lines[0], 'nat:PREROUTING:rule:1');
  assert.match(lines[1], /^nat:KUBE-SERVICES:rule:\d+$/);
  assert.match(lines[2], /^nat:KUBE-SVC-7VVRITHJKDZHDQAD:rule:[123]$/);
  assert.match(lines[3], /^nat:KUBE-SEP-(U2LTPJXAZEM2OQET|AANMSM6QVJW3JS2Y|NXPMRYPPF5OQRY2M):rule:2$/);
  assert.equal(lines.length, 4);
  assert.ok(['10.244.1.2:5678', '10.244.2.4:5678', '10.244.3.2:5678'].includes(f.dnat!));
  assert.equal(f.masq, false);
});

function split(rulesFile: string, v: HostView, p: { src: string; dst: string; dport: number }, n: number): Map<string, number> {
  const host = load(rulesFile);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const f = forward(host, v, p);
    counts.set(f.dnat ?? '-', (counts.get(f.dnat ?? '-') ?? 0) + 1);
  }
  return counts;
}

test('over 10,000 packets the seeded statistic match spreads a 3-endpoint service 1/3 each, within 2%', () => {
  const counts = split(readFileSync(new URL('../../examples/iptables/kind-worker.rules', import.meta.url), 'utf8'), view(['172.17.0.2'], 11),
    { src: '10.244.2.2', dst: '10.102.117.8', dport: 80 }, 10000);
  assert.deepEqual([...counts.keys()].sort(), ['10.244.1.2:5678', '10.244.2.4:5678', '10.244.3.2:5678']);
  for (const [ep, c] of counts) assert.ok(Math.abs(c / 10000 - 1 / 3) < 0.02, `${ep}: ${c}`);
});

test('over 10,000 packets a 2-endpoint service splits 1/2 each, within 2%, and the same seed replays the same split', () => {
  const run = (): Map<string, number> => split(readCorpus('020-kube-overall-test-fixture.rules'), view(['192.168.0.2'], 5), { src: '10.0.0.2', dst: '172.30.0.44', dport: 80 }, 10000);
  const a = run();
  assert.deepEqual([...a.keys()].sort(), ['10.180.0.4:80', '10.180.0.5:80']);
  for (const [ep, c] of a) assert.ok(Math.abs(c / 10000 - 0.5) < 0.02, `${ep}: ${c}`);
  assert.deepEqual(run(), a);
});

test('the 10-endpoint service of corpus 004 spreads evenly within 2% over 10,000 packets', () => {
  const rules = readCorpus('004-kube-ten-endpoints.rules');
  const m = /-A KUBE-SERVICES .*-d (\d+\.\d+\.\d+\.\d+)(?:\/32)? .*--dport (\d+) -j KUBE-SVC/.exec(rules.replace(/-m tcp -p tcp -d/g, '-d'));
  assert.ok(m, 'a ClusterIP rule in corpus 004');
  const counts = split(rules, view(['192.168.0.2'], 9), { src: '10.0.0.2', dst: m[1], dport: Number(m[2]) }, 10000);
  assert.equal(counts.size, 10);
  for (const [ep, c] of counts) assert.ok(Math.abs(c / 10000 - 0.1) < 0.02, `${ep}: ${c}`);
});
