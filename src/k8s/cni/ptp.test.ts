import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CniRuntime } from './runtime.ts';
import { chainName } from './names.ts';
import { pod, sh, withKindnet, worker } from './testing.ts';

test('kindnet ADD gives the pod 10.244.1.2/24 with the ptp routes and the node a /32 route to it', async () => {
  const h = worker();
  await withKindnet(h);
  const rt = await pod(h, 1);
  const res = await new CniRuntime(h).add(rt);
  const host = res.interfaces![0].name;
  assert.match(host, /^veth[0-9a-f]{8}$/);
  assert.deepEqual(res.ips, [{ version: '4', interface: 1, address: '10.244.1.2/24', gateway: '10.244.1.1' }]);
  assert.equal(res.interfaces![1].sandbox, `/var/run/netns/${rt.netns}`);

  assert.equal(await sh(h, `ip -n ${rt.netns} route`),
    'default via 10.244.1.1 dev eth0 \n10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.2 \n10.244.1.1 dev eth0 scope link src 10.244.1.2 \n');
  assert.match(await sh(h, `ip -n ${rt.netns} a show eth0`), /inet 10\.244\.1\.2\/24 brd 10\.244\.1\.255 scope global eth0/);
  assert.equal(await sh(h, 'ip route'), `10.244.1.2 dev ${host} scope host \n`);
  const node = await sh(h, 'ip a');
  assert.match(node, new RegExp(`${host}@if\\d+: <BROADCAST,MULTICAST,UP,LOWER_UP>.*\\n.*link-netns ${rt.netns}\\n    inet 10\\.244\\.1\\.1/32 brd 10\\.244\\.1\\.1 scope global ${host}`));
  assert.equal(await sh(h, 'sysctl -n net.ipv4.ip_forward'), '1\n');
});

test('kindnet reservations live in its dataDir, one file per address holding id CRLF ifname', async () => {
  const h = worker();
  await withKindnet(h);
  const a = await pod(h, 1);
  const b = await pod(h, 2);
  const cni = new CniRuntime(h);
  await cni.add(a);
  await cni.add(b);
  assert.deepEqual(await h.listDir('/run/cni-ipam-state/kindnet'), ['10.244.1.2', '10.244.1.3', 'last_reserved_ip.0', 'lock']);
  assert.equal(await h.readFile('/run/cni-ipam-state/kindnet/10.244.1.3'), `${b.containerId}\r\neth0`);
  assert.equal(await h.readFile('/run/cni-ipam-state/kindnet/last_reserved_ip.0'), '10.244.1.3');
});

test('portmap writes the CNI-HOSTPORT chains and a CNI-DN chain for the pod, and DEL removes the pod chain', async () => {
  const h = worker();
  await withKindnet(h);
  const rt = await pod(h, 1, { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] });
  const cni = new CniRuntime(h);
  await cni.add(rt);
  const dn = chainName('kindnet', rt.containerId, 'DN-');
  const comment = `"dnat name: \\"kindnet\\" id: \\"${rt.containerId}\\""`;
  assert.equal(await sh(h, 'iptables -t nat -S'), [
    '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT',
    `-N ${dn}`, '-N CNI-HOSTPORT-DNAT', '-N CNI-HOSTPORT-MASQ', '-N CNI-HOSTPORT-SETMARK',
    '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
    '-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
    '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
    `-A ${dn} -s 10.244.1.0/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK`,
    `-A ${dn} -s 127.0.0.1/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK`,
    `-A ${dn} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.244.1.2:80`,
    `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment ${comment} -m multiport --dports 8080 -j ${dn}`,
    '-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE',
    '-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000',
    '',
  ].join('\n'));
  await cni.del(rt);
  const after = await sh(h, 'iptables -t nat -S');
  assert.doesNotMatch(after, /CNI-DN-/);
  assert.match(after, /-N CNI-HOSTPORT-DNAT/);
});

test('kindnet DEL leaves no veth, no route, no reservation and no cached result', async () => {
  const h = worker();
  await withKindnet(h);
  const rt = await pod(h, 1);
  const cni = new CniRuntime(h);
  await cni.add(rt);
  assert.ok(await h.readFile(`/var/lib/cni/results/kindnet-${rt.containerId}-eth0`));
  await cni.del(rt);
  assert.doesNotMatch(await sh(h, 'ip a'), /veth/);
  assert.equal(await sh(h, 'ip route'), '');
  assert.doesNotMatch(await sh(h, `ip -n ${rt.netns} a`), /eth0/);
  assert.deepEqual(await h.listDir('/run/cni-ipam-state/kindnet'), ['last_reserved_ip.0', 'lock']);
  assert.equal(await h.readFile(`/var/lib/cni/results/kindnet-${rt.containerId}-eth0`), undefined);
  // DEL again (the kubelet retries) and after the namespace is gone are not errors.
  await cni.del(rt);
  await sh(h, `ip netns del ${rt.netns}`);
  await cni.del(rt);
});

test('CHECK of a 0.3.1 network is refused as libcni refuses it', async () => {
  const h = worker();
  await withKindnet(h);
  const rt = await pod(h, 1);
  const cni = new CniRuntime(h);
  await cni.add(rt);
  await assert.rejects(cni.check(rt), { message: 'configuration version "0.3.1" does not support the CHECK command', code: 1 });
});
