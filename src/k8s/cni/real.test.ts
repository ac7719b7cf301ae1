/**
 * The real plugins as the oracle: Debian's containernetworking-plugins (/usr/lib/cni) run in a
 * throw-away node namespace with a throw-away pod namespace, against the same configuration run
 * on the sim; the pod's routes, the nat table and host-local's files must agree (MACs and the
 * random veth name aside). Both namespaces are always deleted. Skipped without root or the package.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { realUnavailable } from '../../../test/support/real.ts';
import { sh, worker } from './testing.ts';

const BIN = '/usr/lib/cni';
const skip = realUnavailable() ?? (existsSync(`${BIN}/bridge`) ? undefined : 'containernetworking-plugins is not installed (apt-get install containernetworking-plugins)');

function conf(dataDir: string): string {
  return JSON.stringify({
    cniVersion: '0.3.1', name: 'bridge', type: 'bridge', bridge: 'cnio0', isGateway: true, ipMasq: true,
    ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.200.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] },
  });
}

/** The result with what is random on a real node (MACs, the veth name) masked. */
function masked(json: string): unknown {
  return JSON.parse(json.replace(/"([0-9a-f]{2}:){5}[0-9a-f]{2}"/g, '"MAC"').replace(/veth[0-9a-f]{8}/g, 'VETH').replace(/\/var\/run\/netns\/[^"]+/g, 'NETNS'));
}

test('bridge + host-local with ipMasq agree with the real plugins', { skip }, async () => {
  const node = `pl-t-${process.pid}-cninode`;
  const podNs = `pl-t-${process.pid}-cnipod`;
  const dataDir = `/tmp/${node}-ipam`;
  const run = (args: string[], input?: string) => spawnSync(args[0], args.slice(1), { encoding: 'utf8', input });
  try {
    for (const n of [node, podNs]) assert.equal(run(['ip', 'netns', 'add', n]).status, 0);
    const cniEnv = (cmd: string) => [`CNI_COMMAND=${cmd}`, 'CNI_CONTAINERID=c0ffee', `CNI_NETNS=/var/run/netns/${podNs}`, 'CNI_IFNAME=eth0', `CNI_PATH=${BIN}`];
    const add = run(['ip', 'netns', 'exec', node, 'env', ...cniEnv('ADD'), `${BIN}/bridge`], conf(dataDir));
    assert.equal(add.status, 0, add.stdout + add.stderr);
    const real = {
      result: masked(add.stdout),
      podRoutes: run(['ip', '-n', podNs, 'route']).stdout,
      nat: run(['ip', 'netns', 'exec', node, 'iptables', '-t', 'nat', '-S']).stdout,
      files: readdirSync(`${dataDir}/bridge`).sort(),
      reservation: readFileSync(`${dataDir}/bridge/10.200.0.2`, 'utf8'),
    };
    const del = run(['ip', 'netns', 'exec', node, 'env', ...cniEnv('DEL'), `${BIN}/bridge`], conf(dataDir));
    assert.equal(del.status, 0, del.stdout + del.stderr);
    const realAfter = run(['ip', 'netns', 'exec', node, 'iptables', '-t', 'nat', '-S']).stdout;

    const h = worker();
    await h.writeFile('/tmp/conf.json', conf(dataDir));
    await sh(h, `ip netns add ${podNs}`);
    const env = Object.fromEntries(cniEnv('ADD').map((kv) => kv.split('=') as [string, string]));
    const out = await sh(h, '/opt/cni/bin/bridge < /tmp/conf.json', env);
    assert.deepEqual({
      result: masked(out),
      podRoutes: await sh(h, `ip -n ${podNs} route`),
      nat: await sh(h, 'iptables -t nat -S'),
      files: await h.listDir(`${dataDir}/bridge`),
      reservation: await h.readFile(`${dataDir}/bridge/10.200.0.2`),
    }, real);
    await sh(h, '/opt/cni/bin/bridge < /tmp/conf.json', { ...env, CNI_COMMAND: 'DEL' });
    assert.equal(await sh(h, 'iptables -t nat -S'), realAfter);
  } finally {
    for (const n of [node, podNs]) run(['ip', 'netns', 'del', n]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
