/**
 * NAT on a node, real vs podlab: a ClusterIP DNAT (one endpoint, and two chosen by statistic
 * random), MASQUERADE towards a network that has no route back to the pods, hairpin through the
 * DNAT with the bridge port's hairpin flag off and on, and DNAT to 127.0.0.1 needing
 * route_localnet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTraffic, describeTraffic, trafficUnavailable, type Scenario } from '../support/traffic.ts';

const skip = trafficUnavailable() ?? false;

/** A node with three pods on cni0 and a link to an outside network with no route to the pods. */
const NODE = `
ip netns add {node}
ip netns add {a}
ip netns add {b}
ip netns add {c}
ip netns add {ext}
ip netns exec {node} sysctl -qw net.ipv4.ip_forward=1
ip -n {node} link add cni0 type bridge
ip -n {node} addr add 10.244.0.1/24 dev cni0
ip -n {node} link set cni0 up
ip -n {node} link set lo up
ip -n {node} link add veth-a type veth peer name eth0 netns {a}
ip -n {node} link add veth-b type veth peer name eth0 netns {b}
ip -n {node} link add veth-c type veth peer name eth0 netns {c}
ip -n {node} link set veth-a master cni0
ip -n {node} link set veth-b master cni0
ip -n {node} link set veth-c master cni0
ip -n {node} link set veth-a up
ip -n {node} link set veth-b up
ip -n {node} link set veth-c up
ip -n {a} addr add 10.244.0.2/24 dev eth0
ip -n {b} addr add 10.244.0.3/24 dev eth0
ip -n {c} addr add 10.244.0.4/24 dev eth0
ip -n {a} link set eth0 up
ip -n {b} link set eth0 up
ip -n {c} link set eth0 up
ip -n {a} route add default via 10.244.0.1
ip -n {b} route add default via 10.244.0.1
ip -n {c} route add default via 10.244.0.1
ip -n {node} link add eth0 type veth peer name eth0 netns {ext}
ip -n {node} addr add 172.18.0.2/16 dev eth0
ip -n {ext} addr add 172.18.0.100/16 dev eth0
ip -n {node} link set eth0 up
ip -n {ext} link set eth0 up
ip -n {node} route add default via 172.18.0.100
`;

const SERVERS = [
  { ns: 'a', port: 8080, text: 'pod-a' },
  { ns: 'b', port: 8080, text: 'pod-b' },
  { ns: 'c', port: 8080, text: 'pod-c' },
  { ns: 'ext', port: 8080, text: 'outside' },
];

export const clusterIp: Scenario = {
  name: 'ClusterIP DNAT',
  setup: `${NODE}
ip netns exec {node} iptables -t nat -N KUBE-SVC-ONE
ip netns exec {node} iptables -t nat -N KUBE-SVC-TWO
ip netns exec {node} iptables -t nat -A PREROUTING -d 10.96.0.11/32 -p tcp --dport 80 -j KUBE-SVC-ONE
ip netns exec {node} iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p tcp --dport 80 -j KUBE-SVC-TWO
ip netns exec {node} iptables -t nat -A KUBE-SVC-ONE -p tcp -j DNAT --to-destination 10.244.0.3:8080
ip netns exec {node} iptables -t nat -A KUBE-SVC-TWO -m statistic --mode random --probability 0.5 -p tcp -j DNAT --to-destination 10.244.0.3:8080
ip netns exec {node} iptables -t nat -A KUBE-SVC-TWO -p tcp -j DNAT --to-destination 10.244.0.4:8080
`,
  servers: SERVERS,
  probes: [
    // The endpoint sees the client's own address: DNAT alone keeps the source.
    { ns: 'a', cmd: 'curl -s http://10.96.0.11/', capture: { ns: 'b', args: '-i eth0 -c 2 tcp port 8080' } },
    { ns: 'a', cmd: 'nc -z -v -w 1 10.96.0.11 80' },
    { ns: 'a', cmd: 'curl -s -m 1 http://10.96.0.10/', repeat: 16, distinct: true },
    // No rule for ICMP: the node routes the ClusterIP like any other address, out to the gateway.
    { ns: 'a', cmd: 'ping -c 1 -W 1 10.96.0.11', capture: { ns: 'ext', args: '-i eth0 -c 1 icmp' } },
  ],
};

export const masquerade: Scenario = {
  name: 'MASQUERADE to the outside',
  setup: NODE,
  servers: SERVERS,
  probes: [
    { ns: 'a', cmd: 'curl -sS -m 1 http://172.18.0.100:8080/', capture: { ns: 'ext', args: '-i eth0 -c 1 tcp port 8080' } },
    {
      before: "ip netns exec {node} iptables -t nat -A POSTROUTING -s 10.244.0.0/24 '!' -d 10.244.0.0/24 -j MASQUERADE",
      ns: 'a',
      cmd: 'curl -sS -m 1 http://172.18.0.100:8080/',
      capture: { ns: 'ext', args: '-i eth0 -c 2 tcp port 8080' },
    },
    { ns: 'a', cmd: 'ping -c 1 172.18.0.100', capture: { ns: 'ext', args: '-i eth0 -c 2 icmp' } },
  ],
};

export const hairpin: Scenario = {
  name: 'hairpin through a DNAT',
  setup: `${NODE}
ip netns exec {node} iptables -t nat -A PREROUTING -d 10.96.0.12/32 -p tcp --dport 80 -j DNAT --to-destination 10.244.0.2:8080
ip netns exec {node} iptables -t nat -A POSTROUTING -s 10.244.0.2/32 -d 10.244.0.2/32 -p tcp --dport 8080 -j MASQUERADE
`,
  servers: SERVERS,
  probes: [
    { ns: 'a', cmd: 'curl -sS -m 1 http://10.96.0.12/' },
    { ns: 'b', cmd: 'curl -sS -m 1 http://10.96.0.12/' },
    { before: 'ip netns exec {node} bridge link set dev veth-a hairpin on', ns: 'a', cmd: 'curl -sS -m 1 http://10.96.0.12/', capture: { ns: 'a', args: '-i eth0 -c 2 tcp port 8080' } },
    { before: 'ip netns exec {node} bridge link set dev veth-a hairpin off', ns: 'a', cmd: 'nc -z -v -w 1 10.96.0.12 80' },
  ],
};

export const localnet: Scenario = {
  name: 'DNAT to 127.0.0.1',
  setup: `${NODE}
ip netns exec {node} iptables -t nat -A PREROUTING -p tcp --dport 30080 -j DNAT --to-destination 127.0.0.1:8080
`,
  servers: [{ ns: 'node', port: 8080, text: 'node-local', addr: '127.0.0.1' }],
  probes: [
    { ns: 'a', cmd: 'curl -sS -m 1 http://10.244.0.1:30080/' },
    { before: 'ip netns exec {node} sysctl -qw net.ipv4.conf.all.route_localnet=1', ns: 'a', cmd: 'curl -sS -m 1 http://10.244.0.1:30080/' },
    { ns: 'ext', cmd: 'curl -sS -m 1 http://172.18.0.2:30080/' },
  ],
};

for (const sc of [clusterIp, masquerade, hairpin, localnet]) {
  test(`${sc.name}: outcomes and captures as on a real kernel`, { skip }, async () => {
    const { diffs } = await compareTraffic(sc);
    assert.equal(diffs.length, 0, describeTraffic(diffs));
  });
}
