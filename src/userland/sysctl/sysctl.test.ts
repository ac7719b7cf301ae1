// `sysctl` prints, writes and fails as procps-ng 4.0.2 does over a real namespace's /proc/sys,
// for the same devices (one with a dot in its name) built in a real namespace and in a SimHost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealNetns, realUnavailable } from '../../../test/support/real.ts';
import { runTool } from '../../../test/support/tools.ts';
import { SimHost } from '../../host/sim/host.ts';
import type { Command } from '../command.ts';
import { sysctl } from './sysctl.ts';

const table = new Map<string, Command>([['sysctl', sysctl]]);

const CONF = '# comment\n; another\nnet.ipv4.ip_forward = 1\n  net.ipv4.conf.all.rp_filter=1\n-net.ipv4.nope = 3\nnet.ipv4.nope2 = 3\nbad line\n\nnet.ipv4.conf.flannel/1.rp_filter =  2  \nnet.netfilter.nf_conntrack_count = 5\n';

function commands(dir: string): string[] {
  return [
    'sysctl net.ipv4.ip_forward', 'sysctl -n net.ipv4.ip_forward', 'sysctl net/ipv4/ip_forward', 'sysctl -N net.ipv4.ip_forward',
    'sysctl -b net.ipv4.ip_forward', 'sysctl net.ipv4.ip_local_port_range', 'sysctl net.ipv4.conf.flannel/1.rp_filter',
    'sysctl net/ipv4/conf/flannel.1/rp_filter', 'sysctl net.ipv4.conf.eth0', 'sysctl -n net.ipv4.conf.lo', 'sysctl net.ipv4.conf',
    'sysctl -N net.ipv4.conf.all', 'sysctl -r rp_filter net.ipv4.conf', 'sysctl net.ipv4.ip_forward net.nope net.ipv4.ip_forward',
    'sysctl net.netfilter.nf_conntrack_count', 'sysctl net.netfilter.nf_conntrack_max',
    'sysctl net.ipv4.ip_forward=1', 'sysctl net.ipv4.conf', 'sysctl -w net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=2',
    'sysctl -w net.ipv4.conf.flannel/1.rp_filter=1', 'sysctl -q -w net.ipv4.conf.eth0.rp_filter=2', 'sysctl -n -w net.ipv4.ip_forward=1',
    'sysctl -N -w net.ipv4.ip_forward=0', 'sysctl net.ipv4.conf.all net.ipv4.conf.eth0 net.ipv4.conf.flannel/1',
    'sysctl -w net.ipv4.ip_local_port_range=30000\t40000', 'sysctl net.ipv4.ip_local_port_range',
    `sysctl -p ${dir}/sc.conf`, 'sysctl net.ipv4.conf.all.rp_filter net.ipv4.ip_forward',
    // bad input: each must fail as the real one does and change nothing
    'sysctl net.ipv4.nope', 'sysctl -e net.ipv4.nope', 'sysctl -w net.ipv4.nope=1', 'sysctl -e -w net.ipv4.nope=1',
    'sysctl -w net.ipv4.ip_forward=abc', 'sysctl -w net.ipv4.ip_forward=', 'sysctl -w net.ipv4.ip_forward',
    'sysctl -w net.netfilter.nf_conntrack_count=3', 'sysctl -w net.netfilter.nf_conntrack_max=198000', 'sysctl -w net.ipv4.conf=1',
    'sysctl -w net.ipv4.ip_local_port_range=1000', `sysctl -p ${dir}/nofile`, 'sysctl', 'sysctl -w', 'sysctl -N -q net.ipv4.ip_forward',
    'sysctl --bogus', 'sysctl -Z', 'sysctl -w -',
    'sysctl net.ipv4.ip_forward net.ipv4.conf.all.rp_filter net.netfilter.nf_conntrack_max net.ipv4.ip_local_port_range',
  ];
}

function realSetup(): string[] {
  return [
    'ip link add veth1 address 0a:00:00:00:01:01 type veth peer name eth0 address 0a:00:00:00:02:02',
    'ip link add flannel.1 address 0a:00:00:00:0f:01 type vxlan id 1 dstport 8472',
  ];
}

test('sysctl: same output, errors and exit status as procps over a real namespace', { skip: realUnavailable() }, async () => {
  const ns = new RealNetns();
  const dir = mkdtempSync(join(tmpdir(), 'podlab-sysctl-'));
  try {
    writeFileSync(join(dir, 'sc.conf'), CONF);
    for (const r of ns.runMany(realSetup())) assert.equal(r.status, 0, r.stderr);
    const cmds = commands(dir);
    // A value with a tab needs quoting for bash; the sim gets the words as they are.
    const real = ns.runMany(cmds.map((c) => c.replace(/=(\d+)\t(\d+)/, "='$1\t$2'")));
    const host = new SimHost({ seed: 3, clock: Date.UTC(2024, 0, 1) });
    host.fs.write(`${dir}/sc.conf`, CONF);
    const pod = host.machine.addNetns('t');
    pod.createLink({ name: 'veth1', kind: 'veth', mac: '0a:00:00:00:01:01', peer: { name: 'eth0', mac: '0a:00:00:00:02:02' } });
    pod.createLink({ name: 'flannel.1', kind: 'vxlan', mac: '0a:00:00:00:0f:01', vxlan: { vni: 1, dstport: 8472 } });
    const sys = host.inNetns(pod);
    for (const [k, line] of cmds.entries()) {
      const argv = line.split(' ');
      const sim = await runTool(host, table, argv, { sys });
      assert.equal(sim.stdout, real[k].stdout, `stdout of ${line}`);
      assert.equal(sim.stderr, real[k].stderr, `stderr of ${line}`);
      assert.equal(sim.status, real[k].status, `status of ${line}`);
    }
  } finally {
    ns.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
