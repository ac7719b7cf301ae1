import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hardWayBridgeConf, sh, worker } from './testing.ts';

const env = (cmd: string, netns = 'cni-t') => ({
  CNI_COMMAND: cmd, CNI_CONTAINERID: 'c0ffee', CNI_NETNS: `/var/run/netns/${netns}`, CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin',
});

test('/opt/cni/bin/bridge run by hand with the CNI_* environment prints the result JSON', async () => {
  const h = worker();
  await h.writeFile('/tmp/conf.json', hardWayBridgeConf('10.200.0.0/24'));
  await sh(h, 'ip netns add cni-t');
  const out = await sh(h, 'CNI_COMMAND=ADD CNI_CONTAINERID=c0ffee CNI_NETNS=/var/run/netns/cni-t CNI_IFNAME=eth0 CNI_PATH=/opt/cni/bin /opt/cni/bin/bridge < /tmp/conf.json');
  const res = JSON.parse(out);
  assert.equal(res.cniVersion, '0.3.1');
  assert.deepEqual(res.ips, [{ version: '4', interface: 2, address: '10.200.0.2/24', gateway: '10.200.0.1' }]);
  assert.match(out, /^\{\n {4}"cniVersion": "0\.3\.1",\n {4}"interfaces": \[/);
  assert.match(await sh(h, 'ip -n cni-t a'), /inet 10\.200\.0\.2\/24/);
  await sh(h, '/opt/cni/bin/bridge < /tmp/conf.json', env('DEL'));
  assert.doesNotMatch(await sh(h, 'ip -n cni-t a'), /eth0/);
});

test('host-local run by hand allocates and releases in its dataDir', async () => {
  const h = worker();
  await h.writeFile('/tmp/conf.json', hardWayBridgeConf('10.200.0.0/24'));
  const out = await sh(h, 'host-local < /tmp/conf.json', env('ADD'));
  assert.deepEqual(JSON.parse(out), { cniVersion: '0.3.1', ips: [{ version: '4', address: '10.200.0.2/24', gateway: '10.200.0.1' }], routes: [{ dst: '0.0.0.0/0' }], dns: {} });
  assert.equal(await h.readFile('/var/lib/cni/networks/bridge/10.200.0.2'), 'c0ffee\r\neth0');
  await sh(h, 'host-local < /tmp/conf.json', env('CHECK'));
  await sh(h, 'host-local < /tmp/conf.json', env('DEL'));
  assert.equal(await h.readFile('/var/lib/cni/networks/bridge/10.200.0.2'), undefined);
});

test('a plugin prints the spec\'s error JSON and exits 1 when the environment is incomplete', async () => {
  const h = worker();
  await h.writeFile('/tmp/conf.json', hardWayBridgeConf('10.200.0.0/24'));
  const r = await h.run(['sh', '-c', 'CNI_COMMAND=ADD /opt/cni/bin/ptp < /tmp/conf.json']);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout), { cniVersion: '0.3.1', code: 4, msg: 'required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing' });
  const bad = await h.run(['sh', '-c', '/opt/cni/bin/bridge < /tmp/conf.json'], { env: env('ADD', 'cni-none') });
  assert.equal(bad.code, 1);
  assert.equal(JSON.parse(bad.stdout).msg, 'failed to open netns "/var/run/netns/cni-none": failed to Statfs "/var/run/netns/cni-none": no such file or directory');
});

test('VERSION lists the supported spec versions; loopback brings lo up', async () => {
  const h = worker();
  assert.deepEqual(JSON.parse(await sh(h, 'CNI_COMMAND=VERSION /opt/cni/bin/loopback < /dev/null')).supportedVersions, ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']);
  await sh(h, 'ip netns add cni-t');
  await h.writeFile('/tmp/lo.json', '{"cniVersion":"1.0.0","name":"lo","type":"loopback"}');
  const res = JSON.parse(await sh(h, 'loopback < /tmp/lo.json', env('ADD')));
  assert.deepEqual(res.interfaces, [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: '/var/run/netns/cni-t' }]);
  assert.match(await sh(h, 'ip -n cni-t link show lo'), /<LOOPBACK,UP,LOWER_UP>/);
});

test('`bridge` without CNI_COMMAND is still iproute2\'s bridge', async () => {
  const h = worker();
  await sh(h, 'ip link add br0 type bridge');
  assert.equal(await sh(h, 'bridge link'), '');
  assert.equal((await h.run(['sh', '-c', 'bridge -V'])).stdout.startsWith('bridge utility'), true);
});
