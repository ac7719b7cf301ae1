/** A VXLAN overlay between two nodes (flannel's port 8472 and the IANA port 4789), real vs podlab, with tcpdump on the underlay. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTraffic, describeTraffic, trafficUnavailable, type Scenario } from '../support/traffic.ts';

const skip = trafficUnavailable() ?? false;

export const vxlan: Scenario = {
  name: 'VXLAN between two nodes',
  setup: `
ip netns add {n1}
ip netns add {n2}
ip -n {n1} link add eth0 type veth peer name eth0 netns {n2}
ip -n {n1} addr add 172.18.0.2/16 dev eth0
ip -n {n2} addr add 172.18.0.3/16 dev eth0
ip -n {n1} link set eth0 up
ip -n {n2} link set eth0 up
ip -n {n1} link add flannel.1 type vxlan id 1 dstport 8472 remote 172.18.0.3 dev eth0
ip -n {n2} link add flannel.1 type vxlan id 1 dstport 8472 remote 172.18.0.2 dev eth0
ip -n {n1} link add vx7 type vxlan id 7 dstport 4789 remote 172.18.0.3 dev eth0
ip -n {n2} link add vx7 type vxlan id 7 dstport 4789 remote 172.18.0.2 dev eth0
ip -n {n1} addr add 10.244.1.0/16 dev flannel.1
ip -n {n2} addr add 10.244.2.0/16 dev flannel.1
ip -n {n1} addr add 10.77.0.1/24 dev vx7
ip -n {n2} addr add 10.77.0.2/24 dev vx7
ip -n {n1} link set flannel.1 up
ip -n {n2} link set flannel.1 up
ip -n {n1} link set vx7 up
ip -n {n2} link set vx7 up
`,
  servers: [{ ns: 'n2', port: 8080, text: 'over-vxlan' }],
  probes: [
    { ns: 'n1', cmd: 'ping -c 1 10.244.2.0', capture: { ns: 'n2', args: '-i eth0 -c 4 udp port 8472' } },
    { ns: 'n1', cmd: 'ping -c 1 10.77.0.2', capture: { ns: 'n1', args: '-i eth0 -c 4 -e udp port 4789' } },
    { ns: 'n1', cmd: 'curl -s http://10.244.2.0:8080/', capture: { ns: 'n2', args: '-i flannel.1 -c 3 tcp' } },
  ],
};

test('VXLAN between two nodes: outcomes and captures as on a real kernel', { skip }, async () => {
  const { diffs } = await compareTraffic(vxlan);
  assert.equal(diffs.length, 0, describeTraffic(diffs));
});
