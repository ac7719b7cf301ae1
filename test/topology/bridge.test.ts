/**
 * Bridges against the real kernel: ports, the bridge's MAC and carrier as its ports come and
 * go, hairpin and other port settings, bridge options, and what cannot be enslaved. Ports get
 * fixed MACs wherever a bridge has two of them: the bridge takes the lowest port MAC, which with
 * random MACs would be a different port on each side.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('bridges', [
  {
    name: 'bridge with two veth ports, an address, both ports running',
    script: `
ip netns add {A}
ip -n {A} link add br0 type bridge
ip -n {A} link set br0 up
ip -n {A} link add v0 address 02:00:00:00:00:10 type veth peer name p0
ip -n {A} link add v1 address 02:00:00:00:00:20 type veth peer name p1
ip -n {A} link set v0 master br0
ip -n {A} link set v1 master br0
ip -n {A} addr add 10.1.0.1/24 dev br0
ip -n {A} link set v0 up
ip -n {A} link set p0 up
ip -n {A} link set v1 up
ip -n {A} link set p1 up
ip -n {A} link show master br0
ip -n {A} link show type bridge_slave
ip -n {A} link show type bridge
ip -n {A} route show table local dev br0
`,
  },
  {
    name: 'hairpin, learning and flooding on a port (type bridge_slave)',
    script: `
ip netns add {A}
ip -n {A} link add cni0 type bridge
ip -n {A} link add veth1 address 02:00:00:00:01:01 type veth peer name eth0
ip -n {A} link set veth1 master cni0
ip -n {A} link set veth1 type bridge_slave hairpin on
ip -n {A} link set veth1 type bridge_slave learning off flood off mcast_flood off
ip -n {A} link set veth1 type bridge_slave hairpin maybe
ip -n {A} link set eth0 type bridge_slave hairpin on
ip -n {A} link set veth1 type bridge_slave cost 100 priority 40
ip -n {A} -d link show veth1
ip -n {A} link set cni0 up
ip -n {A} link set veth1 up
ip -n {A} link set eth0 up
ip -n {A} -d link show veth1
`,
  },
  {
    name: 'bridge MAC and carrier: none until a port comes, the port MAC, zeros when it leaves',
    script: `
ip netns add {A}
ip -n {A} link add br0 type bridge
ip -n {A} link set br0 up
ip -n {A} -br link show br0
ip -n {A} link add v0 address 02:00:00:00:00:0a type veth peer name v1
ip -n {A} link set v0 master br0
ip -n {A} -br link show br0
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} -br link show br0
ip -n {A} link set v0 nomaster
ip -n {A} -br link show br0
ip -n {A} link set br0 down
ip -n {A} link set br0 up
`,
  },
  {
    name: 'bridge with its own address: no carrier from the start, keeps it with ports',
    script: `
ip netns add {A}
ip -n {A} link add br0 address 02:42:ac:11:00:01 type bridge
ip -n {A} link add br1 type bridge
ip -n {A} link set br0 up
ip -n {A} link set br1 up
ip -n {A} link set br1 address 02:42:ac:11:00:02
ip -n {A} link add v0 address 02:00:00:00:00:01 type veth peer name v1
ip -n {A} link set v0 master br0
ip -n {A} link set v0 up
ip -n {A} link set v1 up
`,
  },
  {
    name: 'bridge port goes down and up: bridge carrier, linkdown routes, forwarding state',
    script: `
ip netns add {A}
ip netns add {B}
ip -n {A} link add br0 type bridge
ip -n {A} link add veth0 address 02:00:00:00:00:31 type veth peer name eth0 netns {B}
ip -n {A} link set veth0 master br0
ip -n {A} addr add 10.9.0.1/24 dev br0
ip -n {A} link set br0 up
ip -n {A} link set veth0 up
ip -n {B} link set eth0 up
ip -n {A} route show table all
ip -n {B} link set eth0 down
ip -n {A} route show table all
ip -n {A} -d link show veth0
ip -n {B} link set eth0 up
ip -n {A} link set br0 down
ip -n {A} route show table all
ip -n {A} link set br0 up
`,
  },
  {
    name: 'bridge options at creation and later, and what cannot be a port',
    script: `
ip netns add {A}
ip -n {A} link add br0 type bridge ageing_time 12000 forward_delay 200 priority 100
ip -n {A} link add br1 type bridge stp_state 1 hello_time 300 max_age 3000
ip -n {A} link set br1 type bridge ageing_time 500
ip -n {A} link set br0 type bridge priority abc
ip -n {A} link add br2 type bridge bogus 1
ip -n {A} link set lo master br0
ip -n {A} link set br1 master br0
ip -n {A} link set br0 master br0
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 master v1
ip -n {A} link set v0 master nothere
ip -n {A} link set v0 master br0
ip -n {A} link set v0 master br1
ip -n {A} link show master br0
ip -n {A} link show master br1
`,
  },
  {
    name: 'bridge over a vxlan port (flannel with a cni0 bridge): TSO limits and MTU',
    script: `
ip netns add {A}
ip -n {A} link add eth0 type veth peer name eth1
ip -n {A} link set eth0 mtu 1500
ip -n {A} link add vx0 address 0a:58:0a:f4:00:01 type vxlan id 7 dstport 4789 dev eth0
ip -n {A} link add cni0 address 0a:58:0a:f4:00:02 type bridge
ip -n {A} link set vx0 master cni0
ip -n {A} link set vx0 up
ip -n {A} link set cni0 up
ip -n {A} addr add 10.244.0.1/24 dev cni0
`,
  },
  {
    name: 'every MAC fixed: bridge ids print MACs unpadded, compared as they are',
    rawMacs: true,
    script: `
ip netns add {A}
ip -n {A} link add br0 address 02:00:0a:00:00:01 type bridge
ip -n {A} link add v0 address 02:00:00:0b:00:01 type veth peer name v1 address 02:00:00:0b:00:02
ip -n {A} link add w0 address 02:00:00:0c:00:01 type veth peer name w1 address 02:00:00:0c:00:02
ip -n {A} link set v0 master br0
ip -n {A} link add br1 type bridge
ip -n {A} link set br1 address 0a:0b:0c:0d:0e:0f
ip -n {A} link set w0 master br1
ip -n {A} link set br0 up
ip -n {A} link set br1 up
ip -n {A} link set v0 up
ip -n {A} link set v1 up
`,
  },
  {
    name: 'deleting a port and adding another: port numbers are reused, the bridge MAC follows',
    script: `
ip netns add {A}
ip -n {A} link add br0 type bridge
ip -n {A} link add a0 address 02:00:00:00:00:0c type veth peer name a1
ip -n {A} link add b0 address 02:00:00:00:00:0b type veth peer name b1
ip -n {A} link add c0 address 02:00:00:00:00:0a type veth peer name c1
ip -n {A} link set a0 master br0
ip -n {A} link set b0 master br0
ip -n {A} -br link show br0
ip -n {A} link del b0
ip -n {A} link set c0 master br0
ip -n {A} -br link show br0
ip -n {A} link set br0 address 02:00:00:00:00:ff
ip -n {A} link set a0 nomaster
ip -n {A} -br link show br0
`,
  },
]);
