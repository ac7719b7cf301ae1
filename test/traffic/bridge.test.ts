/** Pods on one bridge (a kind/bridge-CNI node): ping, TCP connects, HTTP and captures, real vs podlab. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTraffic, describeTraffic, trafficUnavailable, type Scenario } from '../support/traffic.ts';

const skip = trafficUnavailable() ?? false;

const NODE = `
ip netns add {node}
ip netns add {a}
ip netns add {b}
ip -n {node} link add cni0 type bridge
ip -n {node} link set cni0 address 02:42:0a:f4:00:01
ip -n {node} addr add 10.244.0.1/24 dev cni0
ip -n {node} link set cni0 up
ip -n {node} link add veth-a type veth peer name eth0 netns {a}
ip -n {node} link add veth-b type veth peer name eth0 netns {b}
ip -n {node} link set veth-a master cni0
ip -n {node} link set veth-b master cni0
ip -n {node} link set veth-a up
ip -n {node} link set veth-b up
ip -n {a} addr add 10.244.0.2/24 dev eth0
ip -n {a} link set eth0 up
ip -n {a} link set lo up
ip -n {a} route add default via 10.244.0.1
ip -n {b} addr add 10.244.0.3/24 dev eth0
ip -n {b} link set eth0 up
ip -n {b} link set lo up
ip -n {b} route add default via 10.244.0.1
`;

export const scenario: Scenario = {
  name: 'same-bridge pods',
  setup: NODE,
  servers: [{ ns: 'b', port: 8080, text: 'pod-b' }],
  probes: [
    { ns: 'a', cmd: 'ping -c 2 -i 0.2 10.244.0.3', capture: { ns: 'b', args: '-i eth0 -c 6 icmp or arp' } },
    { ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080' },
    { ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 81', capture: { ns: 'node', args: '-i cni0 -c 2 tcp port 81' } },
    { ns: 'a', cmd: 'curl -s http://10.244.0.3:8080/', capture: { ns: 'a', args: '-i eth0 -c 3 tcp port 8080' } },
    { ns: 'a', cmd: 'curl -sS http://10.244.0.3:8081/' },
    { ns: 'a', cmd: 'ping -c 1 10.244.0.9' },
    { ns: 'a', cmd: 'ping -c 2 -i 0.2 -q 10.244.0.1', capture: { ns: 'node', args: '-i any -c 8 icmp' } },
    { ns: 'a', cmd: 'ping -c 1 10.244.0.3', capture: { ns: 'b', args: '-v -i eth0 -c 2 icmp' } },
    { ns: 'a', cmd: 'curl -s http://10.244.0.3:8080/', capture: { ns: 'b', args: '-v -i eth0 -c 4 tcp port 8080' } },
  ],
};

test('same-bridge pods: ping, nc -z, curl and captures behave as on a real kernel', { skip }, async () => {
  const { diffs } = await compareTraffic(scenario);
  assert.equal(diffs.length, 0, describeTraffic(diffs));
});
