/**
 * Routed pod networks, real vs podlab: kindnet-style point-to-point /32 pods behind a node, two
 * nodes with pod-CIDR routes, a node with forwarding off, and rp_filter on an asymmetric path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTraffic, describeTraffic, trafficUnavailable, type Scenario } from '../support/traffic.ts';

const skip = trafficUnavailable() ?? false;

/** kindnet's ptp pods: the node's veth holds the gateway address, a /32 route per pod. */
const ptpNode = (forwarding: 0 | 1): string => `
ip netns add {node}
ip netns add {a}
ip netns add {b}
ip netns exec {node} sysctl -qw net.ipv4.ip_forward=${forwarding}
ip -n {node} link add veth-a type veth peer name eth0 netns {a}
ip -n {node} link add veth-b type veth peer name eth0 netns {b}
ip -n {node} addr add 10.244.1.1/32 dev veth-a
ip -n {node} addr add 10.244.1.1/32 dev veth-b
ip -n {node} link set veth-a up
ip -n {node} link set veth-b up
ip -n {node} route add 10.244.1.2/32 dev veth-a
ip -n {node} route add 10.244.1.3/32 dev veth-b
ip -n {a} addr add 10.244.1.2/32 dev eth0
ip -n {a} link set eth0 up
ip -n {a} link set lo up
ip -n {a} route add 10.244.1.1/32 dev eth0 scope link
ip -n {a} route add default via 10.244.1.1 dev eth0
ip -n {b} addr add 10.244.1.3/32 dev eth0
ip -n {b} link set eth0 up
ip -n {b} link set lo up
ip -n {b} route add 10.244.1.1/32 dev eth0 scope link
ip -n {b} route add default via 10.244.1.1 dev eth0
`;

export const ptp: Scenario = {
  name: 'ptp pods',
  setup: ptpNode(1),
  servers: [{ ns: 'b', port: 8080, text: 'pod-b' }],
  probes: [
    { ns: 'a', cmd: 'ping -c 2 -i 0.2 10.244.1.3', capture: { ns: 'node', args: '-i any -c 8 icmp' } },
    { ns: 'a', cmd: 'curl -s http://10.244.1.3:8080/' },
    { ns: 'a', cmd: 'nc -z -v -w 1 10.244.1.3 81' },
    { ns: 'a', cmd: 'ping -c 1 10.244.1.1' },
  ],
};

export const noForward: Scenario = {
  name: 'forwarding off',
  setup: ptpNode(0),
  servers: [{ ns: 'b', port: 8080, text: 'pod-b' }],
  probes: [
    { ns: 'a', cmd: 'ping -c 1 -W 1 10.244.1.3', capture: { ns: 'node', args: '-i veth-a -c 1 icmp' } },
    { ns: 'a', cmd: 'nc -z -v -w 1 10.244.1.3 8080' },
    { ns: 'a', cmd: 'curl -sS -m 1 http://10.244.1.3:8080/' },
    { ns: 'a', cmd: 'ping -c 1 10.244.1.1' },
  ],
};

/** Two kind nodes on one network, each with a bridge of pods and a route to the other's pod CIDR. */
export const twoNodes: Scenario = {
  name: 'two nodes',
  setup: `
ip netns add {n1}
ip netns add {n2}
ip netns add {p1}
ip netns add {p2}
ip -n {n1} link add eth0 type veth peer name eth0 netns {n2}
ip -n {n1} addr add 172.18.0.2/16 dev eth0
ip -n {n2} addr add 172.18.0.3/16 dev eth0
ip -n {n1} link set eth0 up
ip -n {n2} link set eth0 up
ip netns exec {n1} sysctl -qw net.ipv4.ip_forward=1
ip netns exec {n2} sysctl -qw net.ipv4.ip_forward=1
ip -n {n1} link add cni0 type bridge
ip -n {n2} link add cni0 type bridge
ip -n {n1} addr add 10.244.1.1/24 dev cni0
ip -n {n2} addr add 10.244.2.1/24 dev cni0
ip -n {n1} link set cni0 up
ip -n {n2} link set cni0 up
ip -n {n1} link add veth-p1 type veth peer name eth0 netns {p1}
ip -n {n2} link add veth-p2 type veth peer name eth0 netns {p2}
ip -n {n1} link set veth-p1 master cni0
ip -n {n2} link set veth-p2 master cni0
ip -n {n1} link set veth-p1 up
ip -n {n2} link set veth-p2 up
ip -n {p1} addr add 10.244.1.2/24 dev eth0
ip -n {p2} addr add 10.244.2.2/24 dev eth0
ip -n {p1} link set eth0 up
ip -n {p2} link set eth0 up
ip -n {p1} route add default via 10.244.1.1
ip -n {p2} route add default via 10.244.2.1
ip -n {n1} route add 10.244.2.0/24 via 172.18.0.3
ip -n {n2} route add 10.244.1.0/24 via 172.18.0.2
`,
  servers: [{ ns: 'p2', port: 8080, text: 'pod-on-node2' }],
  probes: [
    { ns: 'p1', cmd: 'ping -c 2 -i 0.2 10.244.2.2', capture: { ns: 'n2', args: '-i eth0 -c 4 icmp' } },
    { ns: 'p1', cmd: 'curl -s http://10.244.2.2:8080/', capture: { ns: 'n1', args: '-i eth0 -c 3 tcp' } },
    { ns: 'p1', cmd: 'ping -c 1 10.244.3.2' },
    { ns: 'p1', cmd: 'ping -c 1 -t 1 10.244.2.2' },
  ],
};

/** A client with two links to a router and a route that leaves by one and comes back by the other. */
export const rpFilter: Scenario = {
  name: 'rp_filter',
  setup: `
ip netns add {c}
ip netns add {r}
ip -n {c} link add eth0 type veth peer name r1 netns {r}
ip -n {c} link add eth1 type veth peer name r2 netns {r}
ip -n {c} addr add 10.0.1.2/24 dev eth0
ip -n {c} addr add 10.0.2.2/24 dev eth1
ip -n {r} addr add 10.0.1.1/24 dev r1
ip -n {r} addr add 10.0.2.1/24 dev r2
ip -n {r} addr add 10.0.9.1/32 dev lo
ip -n {c} link set eth0 up
ip -n {c} link set eth1 up
ip -n {r} link set r1 up
ip -n {r} link set r2 up
ip -n {r} link set lo up
ip -n {c} route add 10.0.9.0/24 via 10.0.1.1 dev eth0 src 10.0.2.2
ip netns exec {c} sysctl -qw net.ipv4.conf.all.rp_filter=0
ip netns exec {r} sysctl -qw net.ipv4.conf.all.rp_filter=1
`,
  servers: [{ ns: 'r', port: 8080, text: 'router' }],
  probes: [
    { ns: 'c', cmd: 'ping -c 1 -W 1 10.0.9.1', capture: { ns: 'r', args: '-i r1 -c 1 icmp' } },
    { ns: 'c', cmd: 'nc -z -v -w 1 10.0.9.1 8080' },
    { before: 'ip netns exec {r} sysctl -qw net.ipv4.conf.all.rp_filter=2', ns: 'c', cmd: 'ping -c 1 -W 1 10.0.9.1', capture: { ns: 'r', args: '-i any -c 2 icmp' } },
    { ns: 'c', cmd: 'curl -s http://10.0.9.1:8080/' },
    { before: 'ip netns exec {r} sysctl -qw net.ipv4.conf.all.rp_filter=0', ns: 'c', cmd: 'nc -z -v -w 1 10.0.9.1 8080' },
  ],
};

for (const sc of [ptp, noForward, twoNodes, rpFilter]) {
  test(`${sc.name}: outcomes and captures as on a real kernel`, { skip }, async () => {
    const { diffs } = await compareTraffic(sc);
    assert.equal(diffs.length, 0, describeTraffic(diffs));
  });
}
