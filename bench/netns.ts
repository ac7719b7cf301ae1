/**
 * Network stack benchmarks: pods (namespace + veth on a bridge + routes) created per second in
 * the model beside the same work with real `ip -batch` in real namespaces, and TCP connections
 * per second forwarded through a node that carries a kube-proxy ruleset.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { formatIPv4, parseIPv4 } from '../src/kernel/addr.ts';
import { Kernel } from '../src/kernel/kernel.ts';
import type { NetNs } from '../src/kernel/netns.ts';
import { socketsOf } from '../src/kernel/stack/socket.ts';
import { textBytes } from '../src/kernel/wire.ts';
import { MemFs } from '../src/host/sim/fs.ts';
import { restore } from '../src/userland/iptables/restore.ts';
import { realUnavailable } from '../test/support/real.ts';

const ip = (s: string): number => parseIPv4(s)!;
const route = (ns: NetNs, dst: string, plen: number, gw: string | undefined, dev: string) =>
  ns.addRoute({ table: 254, type: 'unicast', dst: ip(dst), plen, tos: 0, metric: 0, protocol: 3, scope: gw ? 0 : 253, gateway: gw ? ip(gw) : undefined, dev: ns.link(dev)!, onlink: false });

/** Pod i's address in 10.244.0.0/16 (skipping .0 and the bridge's .1). */
const podAddr = (i: number): string => formatIPv4(ip('10.244.0.2') + i + Math.floor((i + 2) / 254) * 2);

/** In the model: a node with cni0 and `pods` pods, each a namespace with eth0 on the bridge. */
export function simPods(pods: number): number {
  const k = new Kernel({ seed: 1 });
  const t0 = performance.now();
  const node = k.createNetns();
  const br = node.createLink({ name: 'cni0', kind: 'bridge' });
  node.addAddr(br, { addr: ip('10.244.0.1'), plen: 16 });
  node.setUp(br, true);
  for (let i = 0; i < pods; i++) {
    const pod = k.createNetns();
    pod.setUp(pod.lo(), true);
    const eth = pod.createLink({ name: 'eth0', kind: 'veth', peer: { name: `veth${i.toString(16).padStart(8, '0')}`, ns: node } });
    pod.addAddr(eth, { addr: ip(podAddr(i)), plen: 16 });
    pod.setUp(eth, true);
    route(pod, '0.0.0.0', 0, '10.244.0.1', 'eth0');
    node.setMaster(eth.peer!, br);
    node.setUp(eth.peer!, true);
  }
  return performance.now() - t0;
}

/** The same with the real kernel, batched as the linux backend will do it (research §4.1). */
export function realPods(pods: number): number | string {
  const why = realUnavailable();
  if (why) return why;
  const prefix = `pl-b-${process.pid}`;
  const names = Array.from({ length: pods }, (_, i) => `${prefix}-${i}`);
  const node = `${prefix}-node`;
  const t0 = performance.now();
  try {
    const batch = (args: string[], input: string): void => {
      const r = spawnSync('ip', [...args, '-batch', '-'], { input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ip ${args.join(' ')} -batch: ${r.stderr}`);
    };
    batch([], [node, ...names].map((n) => `netns add ${n}\n`).join(''));
    batch(['-n', node], 'link add cni0 type bridge\naddr add 10.244.0.1/16 dev cni0\nlink set cni0 up\n');
    names.forEach((n, i) => {
      const veth = `veth${i.toString(16).padStart(8, '0')}`;
      batch(['-n', n], `link set lo up\nlink add eth0 type veth peer name ${veth} netns ${node}\naddr add ${podAddr(i)}/16 dev eth0\nlink set eth0 up\nroute add default via 10.244.0.1 dev eth0\n`);
    });
    batch(['-n', node], names.map((_, i) => `link set veth${i.toString(16).padStart(8, '0')} master cni0 up\n`).join(''));
    return performance.now() - t0;
  } finally {
    spawnSync('ip', ['-force', '-batch', '-'], { input: [node, ...names].map((n) => `netns del ${n}\n`).join('') });
  }
}

/**
 * Connections per second from a client namespace through a node with `rules` (kube-proxy nat
 * text) to endpoints in a server namespace: handshake, one write each way, close.
 */
export async function forwardedConnections(rules: string, service: { ip: string; port: number }, endpoints: string[], n: number): Promise<number> {
  const k = new Kernel({ seed: 2 });
  const node = k.createNetns();
  const client = k.createNetns();
  const server = k.createNetns();
  node.sysctl.set('net.ipv4.ip_forward', '1');
  const wire = (a: NetNs, an: string, b: NetNs, bn: string, aAddr: string, bAddr: string, plen: number): void => {
    const l = a.createLink({ name: an, kind: 'veth', peer: { name: bn, ns: b } });
    a.addAddr(l, { addr: ip(aAddr), plen });
    b.addAddr(l.peer!, { addr: ip(bAddr), plen });
    a.setUp(l, true);
    b.setUp(l.peer!, true);
  };
  wire(client, 'eth0', node, 'eth0', '172.18.0.1', '172.18.0.2', 24);
  wire(server, 'eth0', node, 'eth1', '192.168.9.2', '192.168.9.1', 24);
  for (const ep of endpoints) server.addAddr(server.link('eth0')!, { addr: ip(ep), plen: 32 });
  route(client, '10.96.0.0', 12, '172.18.0.2', 'eth0');
  route(node, '10.240.0.0', 12, '192.168.9.2', 'eth1');
  route(server, '0.0.0.0', 0, '192.168.9.1', 'eth0');
  const r = restore(node.nf, rules, { noflush: false, counters: false, test: false }, { fs: new MemFs({}), stdout: () => {} });
  if (r.status !== 0) throw new Error(r.stderr);
  const l = socketsOf(server).tcpListen(0, 8080);
  void (async () => {
    for (let c = await l.accept(); c; c = await l.accept()) {
      c.write(textBytes('ok'));
      c.close();
    }
  })();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const c = await k.clock.until(socketsOf(client).tcpConnect(ip(service.ip), service.port));
    if (!c) throw new Error('connection failed');
    c.write(textBytes('hi'));
    await k.clock.until(c.read());
    c.close();
  }
  return performance.now() - t0;
}
