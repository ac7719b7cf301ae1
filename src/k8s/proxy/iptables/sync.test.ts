// Sync mechanics on a simulated node: jumps ensured with iptables -C/-I on full syncs only,
// partial syncs that rewrite the top-level chains and only the changed Services' chains,
// stale chains flushed and deleted, full resync after a failed restore or a lost canary,
// and the conntrack cleanup commands for UDP services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.ts';
import { makeService, simpleSlice } from '../testkit.ts';
import { IptablesProxier } from './proxier.ts';
import { testNode, UPSTREAM_TEST, type TestNode } from './testkit.ts';

const svc = (name: string, ip: string, protocol = 'TCP'): KObject =>
  makeService('ns', name, (s) => { s.spec!.clusterIP = ip; s.spec!.ports = [{ name: 'p', port: 80, protocol, nodePort: protocol === 'UDP' ? 30053 : undefined }]; if (protocol === 'UDP') s.spec!.type = 'NodePort'; });
const slice = (name: string, ips: string[], protocol = 'TCP'): KObject => simpleSlice('ns', name, { name: 'p', port: 80, protocol }, ips);

const declared = (text: string): string[] => text.split('\n').filter((l) => /^:KUBE-(SVC|SEP|EXT|FW|SVL)-/.test(l)).map((l) => l.slice(1).split(' ')[0]).sort();

async function save(t: TestNode, table: string): Promise<string> {
  return (await t.host.run(['iptables-save', '-t', table])).stdout;
}

function chainsOf(saved: string, prefix: RegExp): string[] {
  return saved.split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]).filter((c) => prefix.test(c)).sort();
}

test('a full sync ensures the canaries and the jumps with iptables -N/-C/-I, then loads with iptables-restore -w 5 -W 100000 --noflush --counters', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1'])], {}, UPSTREAM_TEST);
  assert.ok(await t.proxier.sync());
  assert.ok(t.commands.includes('iptables -w 5 -W 100000 -N KUBE-PROXY-CANARY -t mangle'));
  assert.ok(t.commands.includes('iptables -w 5 -W 100000 -C PREROUTING -t nat -m comment --comment kubernetes service portals -j KUBE-SERVICES'));
  assert.ok(t.commands.includes('iptables -w 5 -W 100000 -I PREROUTING -t nat -m comment --comment kubernetes service portals -j KUBE-SERVICES'));
  assert.ok(t.commands.includes('iptables-save -t nat'));
  assert.equal(t.commands.filter((c) => c.startsWith('iptables-restore')).join(), 'iptables-restore -w 5 -W 100000 --noflush --counters');
  // Each jump is prepended, so the last ensured comes first.
  const filter = await save(t, 'filter');
  assert.deepEqual(filter.split('\n').filter((l) => l.startsWith('-A INPUT')), [
    '-A INPUT -j KUBE-FIREWALL',
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  ]);
  const nat = await save(t, 'nat');
  assert.ok(nat.includes('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n'));
  assert.ok(nat.includes('-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING\n'));
  assert.ok((await save(t, 'mangle')).includes(':KUBE-PROXY-CANARY - [0:0]'));
});

test('a second full sync finds the jumps with -C and inserts nothing twice; a partial sync runs no iptables at all', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1'])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  t.commands.length = 0;
  await t.proxier.sync({ full: true });
  assert.ok(!t.commands.some((c) => c.includes(' -I ')), t.commands.join('\n'));
  assert.equal((await save(t, 'nat')).split('\n').filter((l) => l.startsWith('-A PREROUTING')).length, 1);
  t.commands.length = 0;
  await t.proxier.sync();
  assert.ok(!t.proxier.lastSync!.full);
  assert.deepEqual(t.commands.map((c) => c.split(' ')[0]), ['iptables-save', 'iptables-restore']);
});

test('partial sync: changing one Service rewrites all of KUBE-SERVICES but only that Service\'s chains; the others stay loaded', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1']), svc('b', '172.30.0.2'), slice('b', ['10.0.2.1'])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  const before = await save(t, 'nat');
  t.proxier.onEndpointSliceUpdate(slice('b', ['10.0.2.1']), slice('b', ['10.0.2.1', '10.0.2.2']));
  assert.ok(await t.proxier.sync());
  const s = t.proxier.lastSync!;
  assert.equal(s.full, false);
  assert.deepEqual(s.updatedServices, ['ns/b']);
  assert.ok(s.text.includes('-A KUBE-SERVICES -m comment --comment "ns/a:p cluster IP"'), 'unchanged services keep their KUBE-SERVICES rules');
  const bChains = declared(s.text);
  assert.equal(bChains.length, 3, bChains.join());
  assert.ok(!s.text.includes('ns/a:p -> '), 'unchanged service chains are not rewritten');
  const after = await save(t, 'nat');
  const rulesOfA = (saved: string): string[] => saved.split('\n').filter((l) => /^-A KUBE-(SVC|SEP)-/.test(l) && l.includes('ns/a:p'));
  assert.equal(rulesOfA(before).length, 4, 'SVC: masquerade + dispatch; SEP: hairpin + DNAT');
  assert.deepEqual(rulesOfA(after), rulesOfA(before));
  assert.equal(after.split('\n').filter((l) => l.includes('-> 10.0.2.')).length, 2);
});

test('removing an endpoint flushes and deletes its KUBE-SEP chain (:chain then -X); deleting a Service deletes all its chains', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1']), svc('b', '172.30.0.2'), slice('b', ['10.0.2.1', '10.0.2.2'])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  const sepsBefore = chainsOf(await save(t, 'nat'), /^KUBE-SEP-/);
  t.proxier.onEndpointSliceUpdate(slice('b', []), slice('b', ['10.0.2.1']));
  await t.proxier.sync();
  const s = t.proxier.lastSync!;
  assert.equal(s.deletedChains.length, 1);
  const gone = s.deletedChains[0];
  assert.match(gone, /^KUBE-SEP-/);
  assert.ok(s.text.includes(`:${gone} - [0:0]\n`) && s.text.includes(`-X ${gone}\n`));
  assert.deepEqual(chainsOf(await save(t, 'nat'), /^KUBE-SEP-/), sepsBefore.filter((c) => c !== gone));

  t.proxier.onServiceDelete(svc('a', '172.30.0.1'));
  await t.proxier.sync();
  assert.equal(t.proxier.lastSync!.deletedChains.length, 2);
  const nat = await save(t, 'nat');
  assert.ok(!nat.includes('ns/a'));
  assert.equal(chainsOf(nat, /^KUBE-(SVC|SEP)-/).length, 2, 'b\'s SVC and its one SEP remain');
});

test('nothing changed: a partial sync still rewrites the top-level chains and writes no per-service chain', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1'])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  await t.proxier.sync();
  assert.deepEqual(declared(t.proxier.lastSync!.text), []);
  assert.ok(t.proxier.lastSync!.text.includes('-A KUBE-SERVICES -m comment --comment "ns/a:p cluster IP"'));
  assert.equal((await save(t, 'nat')).split('\n').filter((l) => l.includes('ns/a:p -> ')).length, 1);
});

test('a failed restore makes the next sync full; nothing syncs before onSynced', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1'])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  const run = t.host.run;
  t.host.run = (argv, o) => (argv[0] === 'iptables-restore' ? Promise.resolve({ code: 1, stdout: '', stderr: 'iptables-restore: line 3 failed' }) : run(argv, o));
  t.proxier.onEndpointSliceUpdate(slice('a', []), slice('a', ['10.0.1.2']));
  assert.equal(await t.proxier.sync(), false);
  t.host.run = run;
  assert.ok(await t.proxier.sync());
  assert.equal(t.proxier.lastSync!.full, true);
  assert.ok(t.proxier.lastSync!.text.includes('-> 10.0.1.2:80'));

  const early = new IptablesProxier({ host: t.host, nodeName: 'n', nodeIPs: [] });
  assert.equal(await early.sync(), false);
});

test('a flushed table loses the canary: checkCanaries recreates it and the next sync is full, restoring the jumps', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1'])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  assert.equal(await t.proxier.checkCanaries(), false);
  await t.host.run(['iptables', '-t', 'nat', '-F']);
  await t.host.run(['iptables', '-t', 'nat', '-X']);
  assert.equal(await t.proxier.checkCanaries(), true);
  await t.proxier.sync();
  assert.equal(t.proxier.lastSync!.full, true);
  const nat = await save(t, 'nat');
  assert.ok(nat.includes('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'));
  assert.ok(nat.includes('ns/a:p -> 10.0.1.1:80'));
});

test('UDP: a port getting its first endpoint clears conntrack for its cluster IP and NodePort; a removed endpoint clears its NATed flows', async () => {
  const t = testNode([svc('dns', '172.30.0.10', 'UDP'), slice('dns', [], 'UDP')], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  assert.ok(!t.commands.some((c) => c.startsWith('conntrack')));
  t.proxier.onEndpointSliceUpdate(slice('dns', [], 'UDP'), slice('dns', ['10.0.3.1', '10.0.3.2'], 'UDP'));
  t.commands.length = 0;
  await t.proxier.sync();
  assert.deepEqual(t.commands.filter((c) => c.startsWith('conntrack')), [
    'conntrack -D --orig-dst 172.30.0.10 -p udp',
    'conntrack -D -p udp --dport 30053',
  ]);
  t.proxier.onEndpointSliceUpdate(slice('dns', [], 'UDP'), slice('dns', ['10.0.3.2'], 'UDP'));
  t.commands.length = 0;
  await t.proxier.sync();
  assert.deepEqual(t.commands.filter((c) => c.startsWith('conntrack')), [
    'conntrack -D -p udp --dport 30053 --dst-nat 10.0.3.1',
    'conntrack -D --orig-dst 172.30.0.10 --dst-nat 10.0.3.1 -p udp',
  ]);
  t.proxier.onServiceDelete(svc('dns', '172.30.0.10', 'UDP'));
  t.commands.length = 0;
  await t.proxier.sync();
  assert.deepEqual(t.commands.filter((c) => c.startsWith('conntrack')), ['conntrack -D --orig-dst 172.30.0.10 -p udp']);
});

test('TCP services never trigger conntrack cleanup', async () => {
  const t = testNode([svc('a', '172.30.0.1'), slice('a', [])], {}, UPSTREAM_TEST);
  await t.proxier.sync();
  t.proxier.onEndpointSliceUpdate(slice('a', []), slice('a', ['10.0.1.1']));
  await t.proxier.sync();
  t.proxier.onEndpointSliceUpdate(slice('a', []), slice('a', []));
  await t.proxier.sync();
  assert.ok(!t.commands.some((c) => c.startsWith('conntrack')));
});
