/**
 * Filtering verdicts, real vs podlab: REJECT with ICMP errors and with tcp-reset, DROP, in a
 * pod's INPUT and OUTPUT and in the node's FORWARD chain between pods of one bridge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTraffic, describeTraffic, trafficUnavailable, type Scenario } from '../support/traffic.ts';

const skip = trafficUnavailable() ?? false;

const NODE = `
ip netns add {node}
ip netns add {a}
ip netns add {b}
ip -n {node} link add cni0 type bridge
ip -n {node} addr add 10.244.0.1/24 dev cni0
ip -n {node} link set cni0 up
ip -n {node} link add veth-a type veth peer name eth0 netns {a}
ip -n {node} link add veth-b type veth peer name eth0 netns {b}
ip -n {node} link set veth-a master cni0
ip -n {node} link set veth-b master cni0
ip -n {node} link set veth-a up
ip -n {node} link set veth-b up
ip -n {a} addr add 10.244.0.2/24 dev eth0
ip -n {b} addr add 10.244.0.3/24 dev eth0
ip -n {a} link set eth0 up
ip -n {b} link set eth0 up
ip -n {a} link set lo up
ip -n {b} link set lo up
`;

const SERVERS = [{ ns: 'b', port: 8080, text: 'pod-b' }];

export const inputVerdicts: Scenario = {
  name: 'INPUT REJECT and DROP in the server pod',
  setup: NODE,
  servers: SERVERS,
  probes: [
    { before: 'ip netns exec {b} iptables -A INPUT -p tcp --dport 8080 -j REJECT', ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080', capture: { ns: 'a', args: '-i eth0 -c 2 tcp or icmp' } },
    { ns: 'a', cmd: 'curl -sS -m 1 http://10.244.0.3:8080/' },
    { before: 'ip netns exec {b} iptables -R INPUT 1 -p tcp --dport 8080 -j REJECT --reject-with tcp-reset', ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080', capture: { ns: 'a', args: '-i eth0 -c 2 tcp' } },
    { ns: 'a', cmd: 'curl -sS -m 1 http://10.244.0.3:8080/' },
    { before: 'ip netns exec {b} iptables -R INPUT 1 -p tcp --dport 8080 -j DROP', ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080' },
    { ns: 'a', cmd: 'curl -sS -m 1 http://10.244.0.3:8080/' },
    { before: 'ip netns exec {b} iptables -A INPUT -p icmp -j REJECT', ns: 'a', cmd: 'ping -c 2 -i 0.2 10.244.0.3', capture: { ns: 'a', args: '-i eth0 -c 4 icmp' } },
    { before: 'ip netns exec {b} iptables -R INPUT 2 -p icmp -j REJECT --reject-with icmp-host-prohibited', ns: 'a', cmd: 'ping -c 1 10.244.0.3' },
    { before: 'ip netns exec {b} iptables -R INPUT 2 -p icmp -j REJECT --reject-with icmp-admin-prohibited', ns: 'a', cmd: 'ping -c 1 10.244.0.3' },
    { before: 'ip netns exec {b} iptables -R INPUT 2 -p icmp -j DROP', ns: 'a', cmd: 'ping -c 1 -W 1 10.244.0.3' },
    { before: 'ip netns exec {b} iptables -A INPUT -p udp -j REJECT', ns: 'a', cmd: 'nc -u -z -v 10.244.0.3 9999' },
  ],
};

export const outputVerdicts: Scenario = {
  name: 'OUTPUT REJECT and DROP in the client pod',
  setup: NODE,
  servers: SERVERS,
  probes: [
    { before: 'ip netns exec {a} iptables -A OUTPUT -p icmp -j DROP', ns: 'a', cmd: 'ping -c 2 -i 0.2 -W 1 10.244.0.3' },
    { before: 'ip netns exec {a} iptables -R OUTPUT 1 -p icmp -j REJECT', ns: 'a', cmd: 'ping -c 2 -i 0.2 -W 1 10.244.0.3' },
    // Only echo requests rejected: the ICMP error REJECT sends back passes OUTPUT and reaches ping.
    { before: 'ip netns exec {a} iptables -R OUTPUT 1 -p icmp --icmp-type echo-request -j REJECT', ns: 'a', cmd: 'ping -c 2 -i 0.2 -W 1 10.244.0.3' },
    { before: 'ip netns exec {a} iptables -A OUTPUT -p tcp --dport 8080 -j REJECT --reject-with tcp-reset', ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080' },
    // The ICMP error comes back while connect() holds the socket: only the SYN retransmitted a
    // second later fails the connection (-m 2 leaves time for it; -m 1 would race it).
    { before: 'ip netns exec {a} iptables -R OUTPUT 2 -p tcp --dport 8080 -j REJECT', ns: 'a', cmd: 'curl -sS -m 2 http://10.244.0.3:8080/' },
    { before: 'ip netns exec {a} iptables -R OUTPUT 2 -p tcp --dport 8080 -j DROP', ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080' },
  ],
};

export const forwardVerdicts: Scenario = {
  name: 'FORWARD REJECT between pods of one bridge (br_netfilter)',
  setup: `${NODE}
ip netns exec {node} iptables -A FORWARD -d 10.244.0.3/32 -p tcp --dport 8080 -j REJECT --reject-with tcp-reset
ip netns exec {node} iptables -A FORWARD -d 10.244.0.3/32 -p icmp -j REJECT --reject-with icmp-net-prohibited
`,
  servers: SERVERS,
  probes: [
    { ns: 'a', cmd: 'nc -z -v -w 1 10.244.0.3 8080', capture: { ns: 'b', args: '-i eth0 -c 1 tcp' } },
    { ns: 'a', cmd: 'ping -c 1 10.244.0.3' },
    { before: 'ip netns exec {node} iptables -P FORWARD DROP', ns: 'b', cmd: 'ping -c 1 -W 1 10.244.0.2' },
  ],
};

for (const sc of [inputVerdicts, outputVerdicts, forwardVerdicts]) {
  test(`${sc.name}: outcomes and captures as on a real kernel`, { skip }, async () => {
    const { diffs } = await compareTraffic(sc);
    assert.equal(diffs.length, 0, describeTraffic(diffs));
  });
}
