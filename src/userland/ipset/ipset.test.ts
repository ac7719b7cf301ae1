/**
 * ipset against the real tool: the same commands run in the sim and, as root with ipset
 * installed, inside a throw-away network namespace; listings, saves, errors and exit statuses
 * must agree byte for byte. Sets are created with a fixed initval so members hash into the same
 * buckets (and list in the same order) on both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SimHost } from '../../host/sim/host.ts';
import { allCommands } from '../registry.ts';
import { realUnavailable, withNetns } from '../../../test/support/real.ts';

const SCRIPT: string[] = [
  'ipset create ips hash:ip initval 0x11111111',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `ipset add ips 10.0.0.${i}`),
  'ipset add ips 10.0.0.1',
  'ipset add ips 10.0.0.1 -exist',
  'ipset del ips 10.0.0.4',
  'ipset del ips 10.9.9.9',
  'ipset test ips 10.0.0.2',
  'ipset test ips 10.0.0.4',
  'ipset add ips foo',
  'ipset create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 comment initval 0x2345abcd',
  'ipset add KUBE-CLUSTER-IP 10.96.0.1,tcp:443',
  'ipset add KUBE-CLUSTER-IP 10.96.0.10,udp:53',
  'ipset add KUBE-CLUSTER-IP 10.96.0.10,tcp:53',
  'ipset add KUBE-CLUSTER-IP 10.96.0.10,tcp:9153 comment "dns metrics"',
  'ipset add KUBE-CLUSTER-IP 10.96.0.11',
  'ipset add KUBE-CLUSTER-IP 10.96.0.11,xyz:1',
  'ipset create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536 initval 0x00000007',
  'ipset add KUBE-LOOP-BACK 10.244.1.2,tcp:8080,10.244.1.2',
  'ipset add KUBE-LOOP-BACK 10.244.1.3,tcp:8080,10.244.1.3',
  'ipset add KUBE-LOOP-BACK 10.244.1.3,tcp:8080',
  'ipset create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536 initval 0x1',
  'ipset add KUBE-LOAD-BALANCER-SOURCE-CIDR 1.1.1.1,tcp:80,10.0.0.0/8',
  'ipset create nets hash:net initval 0x5',
  'ipset add nets 10.0.0.0/8',
  'ipset add nets 10.1.0.0/16',
  'ipset add nets 192.168.1.7',
  'ipset test nets 10.1.2.3',
  'ipset test nets 11.1.2.3',
  'ipset create KUBE-NODE-PORT-TCP bitmap:port range 0-65535',
  'ipset add KUBE-NODE-PORT-TCP 30080',
  'ipset add KUBE-NODE-PORT-TCP 30001',
  'ipset create ports bitmap:port range 1000-2000 comment',
  'ipset add ports 1500 comment "hi"',
  'ipset create ips hash:ip',
  'ipset create ips hash:net -exist',
  'ipset create x bogus:type',
  'ipset add nosuch 1.2.3.4',
  'ipset swap ips nets',
  'ipset create ips2 hash:ip initval 0x3',
  'ipset add ips2 1.1.1.1',
  'ipset swap ips ips2',
  'ipset bogus',
  'ipset',
  'ipset list',
  'ipset list -n',
  'ipset list -t',
  'ipset save',
  'ipset list nosuch',
  'ipset flush ips2',
  'ipset rename ips2 ips3',
  'ipset destroy ips3',
  'ipset list -n',
];

const RESTORE = 'create r hash:ip,port initval 0x42\nadd r 1.1.1.1,tcp:80\nadd r 1.1.1.1,tcp:80\n';

/** Splits a command line the way the shell would (double quotes group). */
function argv(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

interface Out {
  stdout: string;
  stderr: string;
  status: number;
}

async function sim(): Promise<Out[]> {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: 'node1', commands: allCommands() });
  const outs: Out[] = [];
  for (const line of SCRIPT) {
    const r = await host.run(argv(line));
    outs.push({ stdout: r.stdout, stderr: r.stderr, status: r.code });
  }
  const r = await host.run(['ipset', 'restore'], { stdin: RESTORE });
  outs.push({ stdout: r.stdout, stderr: r.stderr, status: r.code });
  return outs;
}

test('ipset: the sim answers the script as expected (no kernel needed)', async () => {
  const outs = await sim();
  const at = (cmd: string): Out => outs[SCRIPT.lastIndexOf(cmd)];
  assert.equal(at('ipset add ips 10.0.0.1').stderr, "ipset v7.17: Element cannot be added to the set: it's already added\n");
  assert.equal(at('ipset test ips 10.0.0.2').stderr, 'Warning: 10.0.0.2 is in set ips.\n');
  assert.equal(at('ipset test ips 10.0.0.4').status, 1);
  assert.equal(at('ipset bogus').status, 2);
  assert.match(at('ipset save').stdout, /^create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 comment bucketsize 12 initval 0x2345abcd$/m);
  assert.match(at('ipset save').stdout, /^add KUBE-CLUSTER-IP 10\.96\.0\.10,tcp:9153 comment "dns metrics"$/m);
  assert.equal(outs.at(-1)!.stderr, "ipset v7.17: Error in line 3: Element cannot be added to the set: it's already added\n");
});

const skip = realUnavailable() ?? (spawnSync('ipset', ['version']).status !== 0 ? 'ipset is not installed (apt-get install ipset)' : undefined);

test('ipset: listings, saves and errors match the real ipset 7.x', { skip }, async () => {
  const mine = await sim();
  const real = withNetns((ns) => {
    const rs = ns.runMany(SCRIPT);
    rs.push(ns.run('ipset restore', RESTORE));
    ns.run('ipset destroy');
    return rs;
  });
  SCRIPT.concat('ipset restore').forEach((cmd, i) => {
    assert.deepEqual(mine[i], real[i], `${cmd}`);
  });
});
