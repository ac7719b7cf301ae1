// The restore text the iptables proxier writes: upstream's TestOverallIPTablesRules golden
// output, and the fidelity statements of the research notes (§5) one by one, each through a
// proxier syncing a simulated node (so the sim's iptables-restore accepted every line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.ts';
import { makeService, makeSlice, simpleSlice, TEST_NODE, type ServiceJSON } from '../testkit.ts';
import type { ProxierConfig } from '../types.ts';
import { OVERALL_EXPECTED, overallObjects } from './fixtures.ts';
import { goHex, type IptablesProxierOptions } from './proxier.ts';
import { versionBefore } from '../names.ts';
import { probability } from './rules.ts';
import { sortRestoreText, testNode, UPSTREAM_FAKE, UPSTREAM_TEST } from './testkit.ts';

async function restoreText(objects: KObject[], config: Partial<ProxierConfig> = {}, opts: IptablesProxierOptions = UPSTREAM_TEST, fake = false): Promise<string> {
  const t = testNode(objects, config, opts, fake);
  assert.equal(await t.proxier.sync(), true, 'sync wrote the rules');
  return t.proxier.lastSync!.text;
}

const lines = (text: string, re: RegExp): string[] => text.split('\n').filter((l) => re.test(l));

/** checkIPTablesRuleJumps: every jump goes to a declared, non-empty chain; every declared per-service chain is used. */
function checkJumps(text: string): void {
  const nat = text.slice(text.indexOf('*nat'));
  const declared = new Set(lines(nat, /^:/).map((l) => l.slice(1).split(' ')[0]));
  const withRules = new Set(lines(nat, /^-A /).map((l) => l.split(' ')[1]));
  const jumpedTo = new Set(lines(nat, / -j KUBE-/).map((l) => /-j (KUBE-\S+)/.exec(l)![1]));
  for (const c of jumpedTo) {
    assert.ok(declared.has(c), `${c} is jumped to but not declared`);
    if (c !== 'KUBE-MARK-MASQ' && c !== 'KUBE-NODEPORTS') assert.ok(withRules.has(c), `${c} is jumped to but empty`);
  }
  for (const c of declared) if (/^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(c)) assert.ok(jumpedTo.has(c), `${c} is declared but unused`);
}

test('TestOverallIPTablesRules: the six-service fixture gives exactly upstream\'s restore text (its fake iptables, nfacct counters present)', async () => {
  const text = await restoreText(overallObjects(), {}, UPSTREAM_FAKE, true);
  assert.equal(sortRestoreText(text), OVERALL_EXPECTED);
  checkJumps(text);
});

test('TestOverallIPTablesRules without nfacct counters loads into the sim: the same text less the nfacct matches', async () => {
  const text = await restoreText(overallObjects());
  const expected = OVERALL_EXPECTED.split('\n')
    .filter((l) => !l.includes('localhost_nps_accepted_pkts'))
    .map((l) => l.replace(' -m nfacct --nfacct-name ct_state_invalid_dropped_pkts', ''))
    .join('\n');
  assert.equal(sortRestoreText(text), expected);
  checkJumps(text);
});

test('the payload is *filter then *nat, nat declaring KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ first', async () => {
  const text = await restoreText(overallObjects());
  assert.ok(text.startsWith('*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-PROXY-FIREWALL - [0:0]\n'));
  assert.ok(text.includes('COMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n'));
  // The nodeports tail call is the last rule of the whole nat payload.
  const nat = lines(text.slice(text.indexOf('*nat')), /^-A /);
  assert.equal(nat.at(-1), '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
});

test('probabilities are Go %0.10f of 1/n: 1/3, 1/2, ..., 1/100001', () => {
  assert.deepEqual([1, 2, 3, 4, 10].map(probability), ['1.0000000000', '0.5000000000', '0.3333333333', '0.2500000000', '0.1000000000']);
  assert.equal(probability(100001), '0.0000099999');
});

const threeEndpoints = (): KObject[] => [
  makeService('ns1', 'svc1', (s) => { s.spec!.clusterIP = '172.30.0.41'; s.spec!.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }]; }),
  simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.0.0.9', '10.0.0.10', '10.0.0.2']),
];

test('a 3-endpoint service dispatches with 0.3333333333, 0.5000000000 then unconditionally, endpoints in ip:port string order', async () => {
  const text = await restoreText(threeEndpoints());
  const svc = lines(text, /^-A KUBE-SVC-XPGD46QRK7WJZT7O .*-j KUBE-SEP-/);
  assert.equal(svc.length, 3);
  assert.match(svc[0], /"ns1\/svc1:p80 -> 10\.0\.0\.10:80" -m statistic --mode random --probability 0\.3333333333 -j KUBE-SEP-/);
  assert.match(svc[1], /"ns1\/svc1:p80 -> 10\.0\.0\.2:80" -m statistic --mode random --probability 0\.5000000000 -j KUBE-SEP-/);
  assert.match(svc[2], /"ns1\/svc1:p80 -> 10\.0\.0\.9:80" -j KUBE-SEP-/);
});

test('production defaults: mark 0x00004000 (Go %#08x), MASQUERADE --random-fully, no nfacct', async () => {
  assert.equal(goHex(0x4000), '0x00004000');
  const text = await restoreText(threeEndpoints(), {}, {});
  assert.ok(text.includes('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n'));
  assert.ok(text.includes('-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN\n-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000\n'));
  assert.ok(text.includes('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully\n'));
  assert.ok(text.includes('-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n'));
  assert.ok(!text.includes('nfacct'));
  // --iptables-masquerade-bit moves the mark.
  assert.ok((await restoreText(threeEndpoints(), { masqueradeBit: 15 }, {})).includes('--or-mark 0x00008000'));
});

const svc1 = (mutate: (s: ServiceJSON) => void = () => {}): KObject =>
  makeService('ns1', 'svc1', (s) => {
    s.spec!.clusterIP = '172.30.0.41';
    s.spec!.ports = [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }];
    mutate(s);
  });

test('--masquerade-all masquerades all cluster IP traffic; without a detector there is no cluster IP masquerade rule', async () => {
  const objs = [svc1(), simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1'])];
  assert.deepEqual(lines(await restoreText(objs, { masqueradeAll: true }), /^-A KUBE-SVC-.*KUBE-MARK-MASQ/),
    ['-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ']);
  assert.deepEqual(lines(await restoreText(objs, { clusterCIDR: undefined }), /^-A KUBE-SVC-.*KUBE-MARK-MASQ/), []);
});

test('localhost NodePorts off: the tail call excludes 127.0.0.0/8 and KUBE-FIREWALL is not written', async () => {
  const text = await restoreText([svc1(), simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1'])], { localhostNodePorts: false });
  assert.ok(text.includes('-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS\n'));
  assert.ok(!text.includes('KUBE-FIREWALL'));
  assert.ok(!text.includes('-d 127.0.0.0/8 --dport 3001'));
});

test('--nodeport-addresses: one tail call per matching node address instead of addrtype LOCAL', async () => {
  const t = testNode([svc1(), simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1'])], { nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'] }, UPSTREAM_TEST);
  // The node's own addresses, as `ip -4 -o addr show` lists them.
  await t.host.run(['ip', 'link', 'add', 'eth0', 'type', 'dummy']);
  await t.host.run(['ip', 'addr', 'add', '192.168.0.2/24', 'dev', 'eth0']);
  await t.host.run(['ip', 'addr', 'add', '192.168.1.2/24', 'dev', 'eth0']);
  await t.host.run(['ip', 'link', 'set', 'lo', 'up']);
  assert.ok(await t.proxier.sync());
  assert.deepEqual(lines(t.proxier.lastSync!.text, /-j KUBE-NODEPORTS$/), [
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 127.0.0.1 -j KUBE-NODEPORTS',
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS',
  ]);
});

test('ETP Local with a local endpoint: KUBE-EXT ends in KUBE-SVL, which holds only the local endpoint', async () => {
  const text = await restoreText([
    svc1((s) => { s.spec!.type = 'LoadBalancer'; s.spec!.externalTrafficPolicy = 'Local'; s.spec!.healthCheckNodePort = 30000; }),
    simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1', `10.180.2.1@${TEST_NODE}`]),
  ]);
  assert.deepEqual(lines(text, /^-A KUBE-EXT-/).at(-1), '-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVL-XPGD46QRK7WJZT7O');
  assert.deepEqual(lines(text, /^-A KUBE-SVL-/).map((l) => /-> (\S+)"/.exec(l)?.[1]), ['10.180.2.1:80']);
  assert.equal(lines(text, /^-A KUBE-SVC-XPGD46QRK7WJZT7O .*-j KUBE-SEP-/).length, 2);
  assert.deepEqual(lines(text, /health check node port/), ['-A KUBE-NODEPORTS -m comment --comment "ns1/svc1:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT']);
});

test('ITP Local without a local endpoint: the cluster IP is DROPped in filter, NodePort traffic still reaches every endpoint', async () => {
  const text = await restoreText([
    svc1((s) => { s.spec!.type = 'NodePort'; s.spec!.internalTrafficPolicy = 'Local'; }),
    simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1@node2']),
  ]);
  assert.deepEqual(lines(text, /^-A KUBE-SERVICES .*-j DROP/), ['-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP']);
  assert.ok(text.includes('-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O\n'));
  assert.ok(!text.includes('KUBE-SVL-'));
});

test('terminating endpoints: serving+terminating ones are used only when none is ready; not-serving ones never', async () => {
  const slice = (conds: { ready: boolean; serving: boolean; terminating: boolean }[]): KObject =>
    makeSlice('ns1', 'svc1', 1, (s) => {
      s.endpoints = conds.map((c, i) => ({ addresses: [`10.0.1.${i + 1}`], conditions: c }));
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
    });
  const targets = async (s: KObject): Promise<string[]> =>
    lines(await restoreText([svc1(), s]), /^-A KUBE-SVC-.*-> /).map((l) => /-> (\S+)"/.exec(l)![1]);
  assert.deepEqual(await targets(slice([
    { ready: true, serving: true, terminating: false },
    { ready: false, serving: true, terminating: true },
  ])), ['10.0.1.1:80']);
  assert.deepEqual(await targets(slice([
    { ready: false, serving: true, terminating: true },
    { ready: false, serving: false, terminating: true },
  ])), ['10.0.1.1:80']);
});

test('headless and ExternalName services produce no rules; a 0.0.0.0/0 source range means no KUBE-FW chain', async () => {
  const text = await restoreText([
    makeService('ns1', 'headless', (s) => { s.spec!.clusterIP = 'None'; s.spec!.ports = [{ name: 'p', port: 80, protocol: 'TCP' }]; }),
    makeService('ns1', 'ext', (s) => { s.spec!.type = 'ExternalName'; s.spec!.externalName = 'example.com'; s.spec!.clusterIP = ''; }),
    simpleSlice('ns1', 'headless', { name: 'p', port: 80 }, ['10.0.0.1']),
    svc1((s) => { s.spec!.type = 'LoadBalancer'; s.spec!.loadBalancerSourceRanges = ['0.0.0.0/0', '203.0.113.0/25']; s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }; }),
    simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1']),
  ]);
  assert.ok(!text.includes('headless') && !text.includes('ns1/ext'));
  assert.ok(!text.includes('KUBE-FW-'));
  assert.ok(text.includes('"ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-XPGD46QRK7WJZT7O'));
});

test('a source range containing the node IP also admits the LB IPs as sources (VIP loops back)', async () => {
  const text = await restoreText([
    svc1((s) => {
      s.spec!.type = 'LoadBalancer';
      s.spec!.loadBalancerSourceRanges = ['192.168.0.0/24', '203.0.113.0/25'];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }, { ip: '9.10.11.12', ipMode: 'Proxy' }] } };
    }),
    simpleSlice('ns1', 'svc1', { name: 'p80', port: 80 }, ['10.180.0.1']),
  ]);
  assert.deepEqual(lines(text, /^-A KUBE-FW-/).map((l) => l.replace(/^.*loadbalancer IP" |^.*--comment /, '')), [
    '-s 192.168.0.0/24 -j KUBE-EXT-XPGD46QRK7WJZT7O', '-s 203.0.113.0/25 -j KUBE-EXT-XPGD46QRK7WJZT7O',
    '-s 1.2.3.4 -j KUBE-EXT-XPGD46QRK7WJZT7O', '-s 5.6.7.8 -j KUBE-EXT-XPGD46QRK7WJZT7O',
    '"other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"',
  ]);
  // ipMode Proxy load balancers get no rules at all.
  assert.ok(!text.includes('9.10.11.12'));
  assert.equal(lines(text, /^-A KUBE-PROXY-FIREWALL/).length, 2);
});

test('no endpoints at all: filter REJECTs the cluster IP, external IPs, LB IPs and the NodePort; no nat chains', async () => {
  const text = await restoreText([
    svc1((s) => { s.spec!.type = 'LoadBalancer'; s.spec!.externalIPs = ['192.168.99.11']; s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }; }),
  ]);
  assert.deepEqual(lines(text, /-j REJECT$/).map((l) => l.split(' ').slice(1, 2)[0] + ' ' + (/-d (\S+)/.exec(l)?.[1] ?? /--dport (\d+)/.exec(l)![1])), [
    'KUBE-SERVICES 172.30.0.41', 'KUBE-EXTERNAL-SERVICES 192.168.99.11', 'KUBE-EXTERNAL-SERVICES 1.2.3.4', 'KUBE-EXTERNAL-SERVICES 3001',
  ]);
  assert.ok(!/KUBE-(SVC|SEP|EXT)-/.test(text));
});

test('large-cluster mode (over 1000 endpoints) drops comments from SEP and SVC->SEP rules only', async () => {
  const objs: KObject[] = [];
  for (let s = 0; s < 11; s++) {
    objs.push(makeService('ns', `svc${s}`, (x) => { x.spec!.clusterIP = `172.30.1.${s}`; x.spec!.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }]; }));
    objs.push(simpleSlice('ns', `svc${s}`, { name: 'p80', port: 80 }, Array.from({ length: 100 }, (_, i) => `10.${s}.${i >> 8}.${i & 255}`)));
  }
  const text = await restoreText(objs);
  assert.ok(lines(text, /^-A KUBE-SEP-/).every((l) => !l.includes('comment')));
  assert.ok(lines(text, /^-A KUBE-SVC-.*KUBE-SEP-/).every((l) => !l.includes('comment')));
  assert.ok(lines(text, /^-A KUBE-SERVICES .*cluster IP/).length === 11);
  assert.ok(text.includes('-A KUBE-SEP-') && /-A KUBE-SEP-\S+ -m tcp -p tcp -j DNAT --to-destination 10\.0\.0\.0:80/.test(text));
});

test('a multi-protocol port name gets one chain set per protocol; UDP rules use -m udp -p udp', async () => {
  const text = await restoreText([
    makeService('kube-system', 'kube-dns', (s) => {
      s.spec!.clusterIP = '10.96.0.10';
      s.spec!.ports = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }];
    }),
    makeSlice('kube-system', 'kube-dns', 1, (s) => {
      s.endpoints = [{ addresses: ['10.244.0.2'] }];
      s.ports = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }];
    }),
  ]);
  assert.ok(text.includes('-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU\n'));
  assert.ok(text.includes('-j KUBE-SVC-ERIFXISQEP7F7OF4\n'));
  assert.ok(text.includes('-m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53\n'));
});

test('kubeProxyVersion v1.16 names an unnamed port as the seed labs saw it (KUBE-SVC-7VVRITHJKDZHDQAD, "default/echo-service: cluster IP")', async () => {
  assert.ok(versionBefore('v1.16.3', 1, 19) && !versionBefore('v1.31.0', 1, 19) && !versionBefore(undefined, 1, 19));
  const objs = [
    makeService('default', 'echo-service', (s) => { s.spec!.clusterIP = '10.102.117.8'; s.spec!.ports = [{ port: 80, protocol: 'TCP', targetPort: 5678 }]; }),
    makeSlice('default', 'echo-service', 1, (s) => {
      s.endpoints = ['10.244.1.2', '10.244.2.4', '10.244.3.2'].map((ip) => ({ addresses: [ip] }));
      s.ports = [{ name: '', port: 5678, protocol: 'TCP' }];
    }),
  ];
  const text = await restoreText(objs, { kubeProxyVersion: 'v1.16.3', clusterCIDR: '10.244.0.0/16' });
  assert.ok(text.includes('-A KUBE-SERVICES -m comment --comment "default/echo-service: cluster IP" -m tcp -p tcp -d 10.102.117.8 --dport 80 -j KUBE-SVC-7VVRITHJKDZHDQAD\n'));
  assert.deepEqual(lines(text, /^-A KUBE-SVC-7VVRITHJKDZHDQAD .*KUBE-SEP/).map((l) => /(KUBE-SEP-\S+)$/.exec(l)![1]),
    ['KUBE-SEP-U2LTPJXAZEM2OQET', 'KUBE-SEP-AANMSM6QVJW3JS2Y', 'KUBE-SEP-NXPMRYPPF5OQRY2M']);
  assert.ok(text.includes('-A KUBE-SEP-U2LTPJXAZEM2OQET -m comment --comment default/echo-service: -s 10.244.1.2 -j KUBE-MARK-MASQ\n'));
  // The current release hashes the same port without the colon.
  assert.ok(!(await restoreText(objs, { clusterCIDR: '10.244.0.0/16' })).includes('7VVRITHJKDZHDQAD'));
});

test('an EndpointSlice port without a name is skipped, as upstream does (the controller always writes one)', async () => {
  const text = await restoreText([
    makeService('default', 'web', (s) => { s.spec!.clusterIP = '10.96.5.5'; s.spec!.ports = [{ port: 80, protocol: 'TCP' }]; }),
    makeSlice('default', 'web', 1, (s) => { s.endpoints = [{ addresses: ['10.244.1.9'] }]; s.ports = [{ port: 80, protocol: 'TCP' }]; }),
  ]);
  assert.ok(text.includes('"default/web has no endpoints"'));
});
