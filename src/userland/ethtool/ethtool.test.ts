// `ethtool` prints what ethtool 6.1 prints on this kernel for each kind of virtual device (veth
// with its peer in another namespace, bridge with and without ports, vxlan, macvlan, lo), and
// fails the same way for devices without drivers, statistics, or existence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealNetns, realUnavailable } from '../../../test/support/real.ts';
import { runTool } from '../../../test/support/tools.ts';
import { SimHost } from '../../host/sim/host.ts';
import type { Command } from '../command.ts';
import { ethtool } from './ethtool.ts';

const table = new Map<string, Command>([['ethtool', ethtool]]);

function realSetup(pod: string): string[] {
  return [
    'ip link add cni0 type bridge', 'ip link add br1 type bridge',
    'ip link add veth1 address 0a:00:00:00:01:01 type veth peer name eth0 address 0a:00:00:00:02:02',
    `ip link add veth2 address 0a:00:00:00:03:01 type veth peer name eth0 address 0a:00:00:00:03:02 netns ${pod}`,
    'ip link set veth1 master cni0', 'ip link set cni0 up', 'ip link set veth1 up', 'ip link set eth0 up', 'ip link set br1 up',
    'ip link add flannel.1 type vxlan id 1 dstport 8472', 'ip link add mv0 link eth0 type macvlan mode bridge',
  ];
}

const DEVICES = ['veth1', 'eth0', 'veth2', 'cni0', 'br1', 'flannel.1', 'mv0', 'lo', 'nope'];
const COMMANDS = [
  ...DEVICES.flatMap((d) => [`ethtool ${d}`, `ethtool -i ${d}`, `ethtool -S ${d}`, `ethtool --driver ${d}`, `ethtool --statistics ${d}`, `ethtool -k ${d}`]),
  'ethtool', 'ethtool -i', 'ethtool -S veth1 extra', 'ethtool -S -i veth1', 'ethtool -X veth1', 'ethtool veth1 extra',
];

test('ethtool: settings, driver and statistics as the real one for each kind of device', { skip: realUnavailable() }, async () => {
  const pod = new RealNetns();
  const node = new RealNetns();
  try {
    for (const r of node.runMany(realSetup(pod.name))) assert.equal(r.status, 0, r.stderr);
    const real = node.runMany(COMMANDS);
    const host = new SimHost({ seed: 5, clock: Date.UTC(2024, 0, 1) });
    const ns = host.machine.root;
    const p = host.machine.addNetns('pod');
    const cni0 = ns.createLink({ name: 'cni0', kind: 'bridge' });
    const br1 = ns.createLink({ name: 'br1', kind: 'bridge' });
    const veth1 = ns.createLink({ name: 'veth1', kind: 'veth', mac: '0a:00:00:00:01:01', peer: { name: 'eth0', mac: '0a:00:00:00:02:02' } });
    ns.createLink({ name: 'veth2', kind: 'veth', mac: '0a:00:00:00:03:01', peer: { name: 'eth0', ns: p, mac: '0a:00:00:00:03:02' } });
    ns.setMaster(veth1, cni0);
    for (const l of [cni0, veth1, ns.mustLink('eth0'), br1]) ns.setUp(l, true);
    ns.createLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, dstport: 8472 } });
    ns.createLink({ name: 'mv0', kind: 'macvlan', macvlan: { lower: ns.mustLink('eth0'), mode: 'bridge' } });
    for (const [k, line] of COMMANDS.entries()) {
      const sim = await runTool(host, table, line);
      assert.equal(sim.stdout, real[k].stdout, `stdout of ${line}`);
      assert.equal(sim.stderr, real[k].stderr, `stderr of ${line}`);
      assert.equal(sim.status, real[k].status, `status of ${line}`);
    }
  } finally {
    node.close();
    pod.close();
  }
});
