import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CniRuntime } from './runtime.ts';
import { chainName, chainComment } from './names.ts';
import { BRIDGE_CONF, hardWayBridgeConf, pod, sh, withBridge, worker } from './testing.ts';

test('the CNI- chain name is the hard-way lab\'s for its network and container id', () => {
  const id = '631cab5de5565cc432a3beca0e2aece0cef9285482b11f3eb0b46c134e457854';
  assert.equal(chainName('bridge', id), 'CNI-be726a77f15ea47ff32947a3');
  assert.equal(chainComment('bridge', id), `name: "bridge" id: "${id}"`);
});

test('bridge ADD puts the pod on cnio0 with the gateway on the bridge and the default route via it', async () => {
  const h = worker();
  await withBridge(h);
  const rt = await pod(h, 1);
  const res = await new CniRuntime(h).add(rt);
  assert.deepEqual(res.interfaces!.map((i) => i.name).slice(0, 1), ['cnio0']);
  const veth = res.interfaces![1].name;
  assert.match(veth, /^veth[0-9a-f]{8}$/);
  assert.deepEqual(res.interfaces![2], { name: 'eth0', mac: res.interfaces![2].mac, sandbox: `/var/run/netns/${rt.netns}` });
  assert.deepEqual(res.ips, [{ version: '4', interface: 2, address: '10.200.0.2/24', gateway: '10.200.0.1' }]);
  assert.deepEqual(res.routes, [{ dst: '0.0.0.0/0' }]);

  assert.equal(await sh(h, `ip -n ${rt.netns} route`), 'default via 10.200.0.1 dev eth0 \n10.200.0.0/24 dev eth0 proto kernel scope link src 10.200.0.2 \n');
  assert.equal(await sh(h, 'ip route'), '10.200.0.0/24 dev cnio0 proto kernel scope link src 10.200.0.1 \n');
  assert.match(await sh(h, 'ip a show cnio0'), /inet 10\.200\.0\.1\/24 brd 10\.200\.0\.255 scope global cnio0/);
  const mac = res.interfaces![0].mac!.replace(/:/g, '');
  assert.equal(await sh(h, 'brctl show cnio0'), `bridge name\tbridge id\t\tSTP enabled\tinterfaces\ncnio0\t\t8000.${mac}\tno\t\t${veth}\n`);
  assert.match(await sh(h, `ip link show ${veth}`), /master cnio0 state UP/);
});

test('ipMasq adds the CNI- chain with its comment to nat POSTROUTING, and DEL removes it', async () => {
  const h = worker();
  await withBridge(h);
  const rt = await pod(h, 1);
  const cni = new CniRuntime(h);
  await cni.add(rt);
  const chain = chainName('bridge', rt.containerId);
  const c = `"name: \\"bridge\\" id: \\"${rt.containerId}\\""`;
  assert.equal(await sh(h, 'iptables -t nat -S'), [
    '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT',
    `-N ${chain}`,
    `-A POSTROUTING -s 10.200.0.2/32 -m comment --comment ${c} -j ${chain}`,
    `-A ${chain} -d 10.200.0.0/24 -m comment --comment ${c} -j ACCEPT`,
    `-A ${chain} ! -d 224.0.0.0/4 -m comment --comment ${c} -j MASQUERADE`,
    '',
  ].join('\n'));
  assert.match(await sh(h, 'iptables -t nat -L POSTROUTING -n'), new RegExp(`${chain}  0    --  10\\.200\\.0\\.2 +0\\.0\\.0\\.0/0 +/\\* name: "bridge" id: "${rt.containerId}" \\*/`));
  await cni.del(rt);
  assert.doesNotMatch(await sh(h, 'iptables -t nat -S'), /CNI-/);
  assert.doesNotMatch(await sh(h, 'ip a'), /veth/);
  assert.deepEqual(await h.listDir('/var/lib/cni/networks/bridge'), ['last_reserved_ip.0', 'lock']);
  // The bridge stays, as upstream leaves it.
  assert.match(await sh(h, 'brctl show'), /^cnio0/m);
});

test('host-local allocates round-robin from the last reserved address, not the lowest free one', async () => {
  const h = worker();
  await withBridge(h);
  const cni = new CniRuntime(h);
  const a = await pod(h, 1);
  const b = await pod(h, 2);
  const c = await pod(h, 3);
  assert.equal((await cni.add(a)).ips![0].address, '10.200.0.2/24');
  assert.equal((await cni.add(b)).ips![0].address, '10.200.0.3/24');
  await cni.del(a);
  assert.equal((await cni.add(c)).ips![0].address, '10.200.0.4/24');
});

test('an exhausted /30 fails the ADD with host-local\'s message, wrapped as containerd logs it', async () => {
  const h = worker();
  await h.writeFile(BRIDGE_CONF, hardWayBridgeConf('10.0.0.0/30'));
  const cni = new CniRuntime(h);
  const a = await pod(h, 1);
  const b = await pod(h, 2);
  assert.equal((await cni.add(a)).ips![0].address, '10.0.0.2/30');
  await assert.rejects(cni.add(b), (e: Error & { code?: number; msg?: string }) => {
    assert.equal(e.message, 'plugin type="bridge" name="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.0.0.1-10.0.0.2');
    assert.equal(e.code, 999);
    assert.equal(e.msg, 'failed to allocate for range 0: no IP addresses available in range set: 10.0.0.1-10.0.0.2');
    return true;
  });
});

test('CHECK passes on a 1.0.0 network as set up and fails once the pod interface is gone', async () => {
  const h = worker();
  await h.writeFile(BRIDGE_CONF, hardWayBridgeConf('10.200.0.0/24').replace('"0.3.1"', '"1.0.0"'));
  const cni = new CniRuntime(h);
  const rt = await pod(h, 1);
  const res = await cni.add(rt);
  assert.deepEqual(res.ips, [{ interface: 2, address: '10.200.0.2/24', gateway: '10.200.0.1' }]);
  await cni.check(rt);
  await sh(h, `ip -n ${rt.netns} link del eth0`);
  await assert.rejects(cni.check(rt), /plugin type="bridge" name="bridge" failed \(check\): CNI veth created for bridge cnio0 was not found/);
});

test('the runtime reports a missing or broken configuration', async () => {
  const h = worker();
  const cni = new CniRuntime(h);
  const rt = await pod(h, 1);
  await assert.rejects(cni.add(rt), { message: 'no network config found in /etc/cni/net.d: cni plugin not initialized' });
  await h.writeFile('/etc/cni/net.d/10-x.conflist', JSON.stringify({ cniVersion: '0.3.1', name: 'x', plugins: [{ ipMasq: true }] }));
  await assert.rejects(cni.add(rt), { message: "failed to parse plugin config 0: error parsing configuration: missing 'type'", code: 7 });
  // The lexically first file wins: 05-other.conf is taken over 10-x.conflist.
  await h.writeFile('/etc/cni/net.d/05-other.conf', JSON.stringify({ cniVersion: '0.3.1', name: 'other', type: 'nosuch' }));
  await assert.rejects(cni.add(rt), { message: 'plugin type="nosuch" name="other" failed (add): failed to find plugin "nosuch" in path [/opt/cni/bin]' });
});
