/**
 * The IPVS proxier end to end in the sim: a node (SimHost) with three pods on a cni0 bridge and
 * a ClusterIP Service over them. After a sync, `ipvsadm -Ln` shows the virtual server and its
 * Masq real servers as in seed 003, the ipsets and iptables rules are upstream's, connections
 * to the VIP spread round-robin over the pods, and conntrack shows IPVS's DNAT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, parseIPv4 } from '../../../kernel/addr.ts';
import type { NetNs } from '../../../kernel/netns.ts';
import { socketsOf } from '../../../kernel/stack/socket.ts';
import { textBytes } from '../../../kernel/wire.ts';
import { SimHost } from '../../../host/sim/host.ts';
import { allCommands } from '../../../userland/registry.ts';
import { makeService, simpleSlice } from '../testkit.ts';
import { IpvsProxier } from './proxier.ts';
import { masqMark, planSync } from './plan.ts';

const ip = (s: string): number => parseIPv4(s)!;

function service(): ReturnType<typeof makeService> {
  return makeService('default', 'echo', (s) => {
    s.spec!.clusterIP = '10.96.0.10';
    s.spec!.clusterIPs = ['10.96.0.10'];
    s.spec!.ports = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }];
  });
}

async function node(): Promise<{ host: SimHost; pods: NetNs[]; seen: string[] }> {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: 'node1', commands: allCommands() });
  const root = host.machine.root;
  root.setUp(root.lo(), true);
  const br = root.createLink({ name: 'cni0', kind: 'bridge' });
  root.addAddr(br, { addr: ip('10.244.1.1'), plen: 24 });
  root.setUp(br, true);
  const seen: string[] = [];
  const pods = ['a', 'b', 'c'].map((name, i) => {
    const pod = host.kernel.createNetns();
    const eth = pod.createLink({ name: 'eth0', kind: 'veth', peer: { name: `veth${name}`, ns: root } });
    pod.addAddr(eth, { addr: ip(`10.244.1.${i + 2}`), plen: 24 });
    pod.setUp(pod.lo(), true);
    pod.setUp(eth, true);
    pod.addRoute({ table: 254, type: 'unicast', dst: 0, plen: 0, tos: 0, metric: 0, protocol: 3, scope: 0, gateway: ip('10.244.1.1'), dev: eth, onlink: false });
    root.setMaster(eth.peer!, br);
    eth.peer!.port!.hairpin = true;
    root.setUp(eth.peer!, true);
    const l = socketsOf(pod).tcpListen(0, 8080);
    void (async () => {
      for (;;) {
        const c = await l.accept();
        if (!c) return;
        seen.push(`${name}<-${formatIPv4(c.raddr)}`);
        c.write(textBytes(name));
        c.close();
      }
    })();
    return pod;
  });
  const proxier = new IpvsProxier({ host, nodeName: 'node1', nodeIPs: ['172.18.0.2'], clusterCIDR: '10.244.0.0/16' });
  proxier.onServiceAdd(service());
  proxier.onEndpointSliceAdd(simpleSlice('default', 'echo', { name: 'http', port: 8080 }, ['10.244.1.2@node1', '10.244.1.3@node1', '10.244.1.4@node1']));
  proxier.onSynced();
  assert.equal(await host.kernel.clock.until(proxier.sync()), true);
  return { host, pods, seen };
}

async function call(host: SimHost, from: NetNs): Promise<string> {
  const answer = socketsOf(from)
    .tcpConnect(ip('10.96.0.10'), 80)
    .then(async (c) => {
      let s = '';
      for (let d = await c.read(); d; d = await c.read()) s += new TextDecoder().decode(d);
      c.close();
      return s;
    })
    .catch((e: unknown) => `error: ${String(e)}`);
  return (await host.kernel.clock.until(Promise.race([answer, host.kernel.clock.sleep(900).then(() => 'timeout')]))) ?? 'stuck';
}

test('plan: upstream iptables rules for one ClusterIP service', () => {
  const plan = planSync({
    ports: [],
    nodeIPs: [],
    scheduler: 'rr',
    masqueradeAll: false,
    clusterCIDR: '10.244.0.0/16',
    masqueradeBit: 14,
  });
  assert.equal(masqMark(14), '0x004000');
  assert.match(plan.iptables, /^\*nat\n:KUBE-SERVICES - \[0:0\]\n:KUBE-POSTROUTING - \[0:0\]\n:KUBE-NODE-PORT - \[0:0\]\n:KUBE-LOAD-BALANCER - \[0:0\]\n:KUBE-MARK-MASQ - \[0:0\]\n-A KUBE-SERVICES -s 127\.0\.0\.0\/8 -j RETURN\n/);
  assert.ok(plan.iptables.includes('-A KUBE-POSTROUTING -m mark ! --mark 0x004000/0x004000 -j RETURN\n-A KUBE-POSTROUTING -j MARK --xor-mark 0x004000\n'));
  assert.ok(plan.iptables.includes('-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT\n'));
});

test('ipvs proxier: ipvsadm -Ln, ipsets and rules after a sync', async () => {
  const { host } = await node();
  const ls = await host.run(['ipvsadm', '-Ln']);
  assert.equal(ls.stdout, [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    'TCP  10.96.0.10:80 rr',
    '  -> 10.244.1.2:8080              Masq    1      0          0         ',
    '  -> 10.244.1.3:8080              Masq    1      0          0         ',
    '  -> 10.244.1.4:8080              Masq    1      0          0         ',
    '',
  ].join('\n'));
  const one = await host.run(['ipvsadm', '-Ln', '-t', '10.96.0.10:80']);
  assert.ok(one.stdout.startsWith('Prot LocalAddress:Port Scheduler Flags\n'));
  const sets = await host.run(['ipset', 'list', 'KUBE-CLUSTER-IP']);
  assert.match(sets.stdout, /Members:\n10\.96\.0\.10,tcp:80\n$/);
  assert.match((await host.run(['ipset', 'list', 'KUBE-LOOP-BACK'])).stdout, /10\.244\.1\.2,tcp:8080,10\.244\.1\.2/);
  const addrs = await host.run(['ip', '-4', 'addr', 'show', 'dev', 'kube-ipvs0']);
  assert.match(addrs.stdout, /inet 10\.96\.0\.10\/32 scope global kube-ipvs0/);
  const nat = await host.run(['iptables-save', '-t', 'nat']);
  assert.match(nat.stdout, /-A KUBE-SERVICES ! -s 10\.244\.0\.0\/16 -m comment --comment "Kubernetes service cluster ip \+ port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ/);
  assert.equal((await host.run(['sysctl', '-n', 'net.ipv4.vs.conntrack'])).stdout, '1\n');
});

test('ipvs proxier: connections to the VIP go round-robin to the pods, with DNAT in conntrack', async () => {
  const { host, pods, seen } = await node();
  const answers: string[] = [];
  for (let i = 0; i < 6; i++) answers.push(await call(host, pods[0]));
  // rr over three servers: each answers twice, in a fixed rotation.
  assert.deepEqual([...answers].sort(), ['a', 'a', 'b', 'b', 'c', 'c']);
  assert.deepEqual(answers.slice(0, 3), answers.slice(3));
  // Pod a reaching itself through the VIP is hairpinned: KUBE-LOOP-BACK masquerades it.
  assert.ok(seen.includes('a<-10.244.1.1'), seen.join(' '));
  assert.ok(seen.includes('b<-10.244.1.2'), seen.join(' '));
  const stats = await host.run(['ipvsadm', '-Ln', '--stats']);
  assert.match(stats.stdout, /TCP {2}10\.96\.0\.10:80 {23}6 /);
  const ls = await host.run(['ipvsadm', '-Ln']);
  assert.match(ls.stdout, /-> 10\.244\.1\.3:8080 {14}Masq {4}1 {6}0 {10}2 /);
  const ct = await host.run(['conntrack', '-L', '-d', '10.96.0.10']);
  assert.match(ct.stdout, /tcp +6 \d+ TIME_WAIT src=10\.244\.1\.2 dst=10\.96\.0\.10 sport=\d+ dport=80 src=10\.244\.1\.3 dst=10\.244\.1\.2 sport=8080 dport=\d+ \[ASSURED\]/);
  const conns = await host.run(['ipvsadm', '-Lnc']);
  assert.match(conns.stdout, /^TCP 0[12]:\d\d {2}TIME_WAIT {3}10\.244\.1\.2:\d+ +10\.96\.0\.10:80 +10\.244\.1\.\d:8080\n/m);
});

test('ipvs proxier: removing an endpoint removes its real server, the service goes when deleted', async () => {
  const { host } = await node();
  const proxier = new IpvsProxier({ host, nodeName: 'node1', nodeIPs: ['172.18.0.2'], clusterCIDR: '10.244.0.0/16' });
  proxier.onServiceAdd(service());
  proxier.onEndpointSliceAdd(simpleSlice('default', 'echo', { name: 'http', port: 8080 }, ['10.244.1.2@node1']));
  proxier.onSynced();
  await host.kernel.clock.until(proxier.sync());
  assert.doesNotMatch((await host.run(['ipvsadm', '-Ln'])).stdout, /10\.244\.1\.3/);
  proxier.onServiceDelete(service());
  await host.kernel.clock.until(proxier.sync());
  assert.equal((await host.run(['ipvsadm', '-Sn'])).stdout, '');
  assert.doesNotMatch((await host.run(['ip', '-4', 'addr', 'show', 'dev', 'kube-ipvs0'])).stdout, /10\.96\.0\.10/);
  assert.match((await host.run(['ipset', 'list', 'KUBE-CLUSTER-IP'])).stdout, /Number of entries: 0\n/);
});
