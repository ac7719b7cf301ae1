// `bridge` and `brctl` print what the real iproute2 6.1 and bridge-utils 1.7.1 print for the same
// bridge, ports (one of them with its peer in a "pod" namespace) and vxlan device, built with
// `ip` in real namespaces and with the kernel model in a SimHost, MACs fixed on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealNetns, realUnavailable } from '../../../test/support/real.ts';
import { runTool } from '../../../test/support/tools.ts';
import { SimHost } from '../../host/sim/host.ts';
import type { NetNs } from '../../kernel/netns.ts';
import type { Command } from '../command.ts';
import { bridge } from './bridge.ts';
import { brctl } from './brctl.ts';

const table = new Map<string, Command>([['bridge', bridge], ['brctl', brctl]]);

/** The node: cni0 with veth1 (peer eth0 here), veth2 (peer eth0 in the pod), a down port va, and flannel.1. */
function realSetup(pod: string): string[] {
  return [
    'ip link add cni0 type bridge',
    'ip link set cni0 address 0a:00:00:00:00:01',
    'ip link add veth1 address 0a:00:00:00:01:01 type veth peer name eth0 address 0a:00:00:00:02:02',
    `ip link add veth2 address 0a:00:00:00:03:01 type veth peer name eth0 address 0a:00:00:00:03:02 netns ${pod}`,
    'ip link add va address 0a:00:00:00:0a:01 type veth peer name vb address 0a:00:00:00:0b:01',
    // Learning off, so traffic the real kernel sends on its own (IPv6 ND, MLD) teaches the bridge nothing.
    'ip link set veth1 master cni0', 'ip link set veth2 master cni0', 'ip link set va master cni0',
    'bridge link set dev veth1 learning off', 'bridge link set dev veth2 learning off',
    'ip link set cni0 up', 'ip link set veth1 up', 'ip link set eth0 up', 'ip link set veth2 up',
    `ip -n ${pod} link set eth0 up`,
    'ip link add flannel.1 address 0a:00:00:00:0f:01 type vxlan id 1 dstport 8472 nolearning',
    'ip link add br9 type bridge', 'ip link set br9 address 0a:00:00:00:09:09',
  ];
}

function simSetup(host: SimHost): { node: NetNs; pod: NetNs } {
  const node = host.machine.root;
  const pod = host.machine.addNetns('pod');
  const cni0 = node.createLink({ name: 'cni0', kind: 'bridge' });
  node.setMac(cni0, '0a:00:00:00:00:01');
  const veth1 = node.createLink({ name: 'veth1', kind: 'veth', mac: '0a:00:00:00:01:01', peer: { name: 'eth0', mac: '0a:00:00:00:02:02' } });
  const veth2 = node.createLink({ name: 'veth2', kind: 'veth', mac: '0a:00:00:00:03:01', peer: { name: 'eth0', ns: pod, mac: '0a:00:00:00:03:02' } });
  const va = node.createLink({ name: 'va', kind: 'veth', mac: '0a:00:00:00:0a:01', peer: { name: 'vb', mac: '0a:00:00:00:0b:01' } });
  for (const p of [veth1, veth2, va]) node.setMaster(p, cni0);
  veth1.port!.learning = false;
  veth2.port!.learning = false;
  for (const l of [cni0, veth1, node.mustLink('eth0'), veth2]) node.setUp(l, true);
  pod.setUp(pod.mustLink('eth0'), true);
  node.createLink({ name: 'flannel.1', kind: 'vxlan', mac: '0a:00:00:00:0f:01', vxlan: { vni: 1, dstport: 8472, learning: false } });
  const br9 = node.createLink({ name: 'br9', kind: 'bridge' });
  node.setMac(br9, '0a:00:00:00:09:09');
  return { node, pod };
}

/** Read-only views first, then changes interleaved with views of their effect, then bad input. */
const COMMANDS = [
  'bridge link', 'bridge link show', 'bridge -d link', 'bridge link show dev veth2', 'bridge -j link', 'bridge -j -p -d link show dev veth1',
  'bridge fdb show', 'bridge fdb', 'bridge fdb show br cni0', 'bridge fdb show dev veth1', 'bridge fdb show brport va', 'bridge -j fdb show br cni0',
  'bridge fdb show state permanent dev eth0', 'bridge vlan show',
  'brctl show', 'brctl show cni0', 'brctl show br9 cni0', 'brctl showmacs cni0', 'brctl showmacs br9',
  'bridge fdb add 00:00:00:00:00:00 dev flannel.1 dst 172.18.0.3 self permanent',
  'bridge fdb append 00:00:00:00:00:00 dev flannel.1 dst 172.18.0.4 self permanent',
  'bridge fdb add 0a:00:00:00:00:77 dev flannel.1 dst 172.18.0.3 self permanent',
  'bridge fdb replace 0a:00:00:00:00:77 dev flannel.1 dst 172.18.0.5 self permanent',
  'bridge fdb add 0a:00:00:00:00:78 dev flannel.1 dst 172.18.0.6 static port 4790 vni 7',
  'bridge fdb show dev flannel.1', 'bridge -j fdb show dev flannel.1',
  'bridge fdb del 00:00:00:00:00:00 dev flannel.1 dst 172.18.0.4',
  'bridge fdb add 0a:00:00:00:00:99 dev veth1 master static', 'bridge fdb add 0a:00:00:00:00:98 dev veth1 master dynamic',
  'bridge fdb add 0a:00:00:00:00:97 dev veth1 master', 'bridge fdb add 0a:00:00:00:00:96 dev eth0',
  'bridge fdb add 01:00:5e:00:00:05 dev eth0', 'bridge fdb show', 'brctl showmacs cni0',
  'bridge fdb del 0a:00:00:00:00:99 dev veth1 master', 'bridge fdb del 0a:00:00:00:00:96 dev eth0', 'bridge fdb show dev veth1', 'bridge fdb show dev eth0',
  'bridge link set dev veth1 hairpin on', 'bridge link set dev veth1 learning on flood off cost 7 priority 5', 'bridge -d link show dev veth1',
  'bridge link set dev veth1 learning off flood on cost 2 priority 32',
  'brctl hairpin cni0 veth1 off', 'brctl stp cni0 on', 'brctl setageing cni0 100', 'brctl show', 'brctl stp cni0 off', 'brctl setageing cni0 300',
  'brctl addbr br8', 'brctl addif br8 vb', 'brctl show br8', 'brctl showmacs br8', 'brctl delif br8 vb', 'brctl show br8', 'brctl delbr br8',
  // bad input: each must fail as the real one does and change nothing
  'bridge fdb add 00:00:00:00:00:00 dev flannel.1 dst 172.18.0.3 self permanent', 'bridge fdb add 0a:00:00:00:00:55 dev flannel.1',
  'bridge fdb add zz dev flannel.1', 'bridge fdb add 0a:00:00:00:00:55 dev nope', 'bridge fdb add 0a:00:00:00:00:55',
  'bridge fdb add 0a:00:00:00:00:55 dev flannel.1 dst bad', 'bridge fdb add 0a:00:00:00:00:55 dev eth0 master',
  'bridge fdb del 0a:00:00:00:00:55 dev flannel.1', 'bridge fdb add 0a:00:00:00:00:55 dev veth1 master vlan 5',
  'bridge fdb show br nope', 'bridge fdb show dev nope', 'bridge fdb show dev', 'bridge fdb show state bogus', 'bridge fdb foo',
  'bridge link show dev nope', 'bridge link set dev nope hairpin on', 'bridge link set dev eth0 hairpin on',
  'bridge link set dev veth1 hairpin maybe', 'bridge link set hairpin on', 'bridge link set dev veth1 bogus', 'bridge link foo',
  'bridge link show dev veth1 dev eth0', 'bridge foo', 'bridge', 'bridge -x link',
  'brctl show br7', 'brctl show eth0', 'brctl showmacs br7', 'brctl showmacs eth0', 'brctl addbr cni0', 'brctl delbr br7', 'brctl delbr cni0',
  'brctl delbr eth0', 'brctl addif br7 eth0', 'brctl addif cni0 nope', 'brctl addif cni0 veth1', 'brctl addif cni0 cni0', 'brctl addif eth0 vb',
  'brctl delif cni0 eth0', 'brctl delif br7 veth1', 'brctl stp cni0 maybe', 'brctl setageing cni0 abc', 'brctl setageing br7 10',
  'brctl hairpin cni0 eth0 on', 'brctl hairpin br7 veth1 on', 'brctl', 'brctl foo', 'brctl addbr', 'brctl showmacs', 'brctl -5',
  'brctl setfd cni0 1', 'brctl setportprio cni0 veth1 x',
  'bridge -d link', 'bridge fdb show', 'brctl show',
];

test('bridge and brctl: same output, errors and exit status as the real tools', { skip: realUnavailable() }, async () => {
  const pod = new RealNetns();
  const node = new RealNetns();
  try {
    const setup = node.runMany(realSetup(pod.name));
    for (const [k, r] of setup.entries()) assert.equal(r.status, 0, `${realSetup(pod.name)[k]}: ${r.stderr}`);
    const real = node.runMany(COMMANDS);
    const host = new SimHost({ seed: 7, clock: Date.UTC(2024, 0, 1) });
    simSetup(host);
    // A learned entry's ageing timer is wall-clock time since it was added: a few hundredths on a busy machine.
    const ages = (t: string): string => t.replace(/(\tno\t\t) *\d+\.\d\d$/gm, '$1AGE');
    for (const [k, line] of COMMANDS.entries()) {
      const sim = await runTool(host, table, line);
      assert.equal(ages(sim.stdout), ages(real[k].stdout), `stdout of ${line}`);
      assert.equal(sim.stderr, real[k].stderr, `stderr of ${line}`);
      assert.equal(sim.status, real[k].status, `status of ${line}`);
    }
  } finally {
    node.close();
    pod.close();
  }
});

// The mdb holds what snooping learned from MLD reports, which the real kernel sends after a random
// delay, so it is checked against the form the real one settles on rather than raced.
test('bridge mdb: the groups snooped from each port, newest first, then the bridge\'s own', async () => {
  const host = new SimHost({ seed: 7, clock: Date.UTC(2024, 0, 1) });
  simSetup(host);
  const r = await runTool(host, table, 'bridge mdb show');
  assert.equal(
    r.stdout,
    'dev cni0 port veth2 grp ff02::1:ff00:302 temp\ndev cni0 port veth1 grp ff02::1:ff00:202 temp\n' +
      'dev cni0 port cni0 grp ff02::6a temp\ndev cni0 port cni0 grp ff02::1:ff00:1 temp\n',
  );
});
