/**
 * Devices against the real kernel: veth pairs in one namespace and across several, link
 * settings and their errors, up/down sequences, moves between namespaces, macvlan and vxlan.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('links', [
  {
    name: 'veth pair in one namespace: names, indexes, M-DOWN, up on one side only',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link show
ip -n {A} link set v0 up
ip -n {A} link show v0
ip -n {A} link set v1 up
ip -n {A} link set v0 down
ip -n {A} -br link
`,
  },
  {
    name: 'veth pair across namespaces: @ifN, link-netns, the DOWN quirk of equal indexes',
    script: `
ip netns add {A}
ip netns add {B}
ip -n {A} link add v0 type veth peer name v1 netns {B}
ip -n {A} link set v0 up
ip -n {A} link show v0
ip -n {B} link set v1 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {B} addr add 10.0.0.2/24 dev v1
ip -n {B} link set v1 down
ip -n {A} link show v0
`,
  },
  {
    name: 'link errors: taken names, long names, unknown types and commands, devices that are not there',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link add v0 type veth peer name v2
ip -n {A} link add v2 type veth peer name v1
ip -n {A} link add v3 type veth peer name v3
ip -n {A} link add thisnameistoolong0 type veth
ip -n {A} link add v5 type veth
ip -n {A} link add v6 type foo
ip -n {A} link add v7
ip -n {A} link set v9 up
ip -n {A} link set v0 mtu 70000
ip -n {A} link set v0 mtu 10
ip -n {A} link set v0 mtu 9000
ip -n {A} link set v0 mtu abc
ip -n {A} link set v0 address zz
ip -n {A} link set v0 address 02:00:00:00:00:01
ip -n {A} link set v0 address 01:00:00:00:00:01
ip -n {A} link set v0 master v1
ip -n {A} link set v0 master nothere
ip -n {A} link set v0 name v1
ip -n {A} link set v0 up
ip -n {A} link set v0 name vx
ip -n {A} link set vx foo
ip -n {A} link foo
ip -n {A} foo
ip -n {A} link del lo
ip -n {A} link del v9
ip -n {A} link show dev v9
ip -n {A} addr show dev v9
ip -n {C} link show
ip -n {A} link set v1 netns {nothere}
`,
  },
  {
    name: 'link settings: alias, txqueuelen, promisc, arp, multicast, allmulticast, group, rename, show filters',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 alias "pod eth0"
ip -n {A} link set v0 txqueuelen 500
ip -n {A} link set v0 promisc on
ip -n {A} link set v0 arp off
ip -n {A} link set v0 multicast off
ip -n {A} link set v0 allmulticast on
ip -n {A} link set v1 group 5
ip -n {A} link show v0
ip -n {A} link show group 5
ip -n {A} link set v0 promisc maybe
ip -n {A} link set v0 arp on promisc off
ip -n {A} link set v0 address 02:aa:bb:cc:dd:ee
ip -n {A} link set v0 address 02:aa:bb:cc:dd
ip -n {A} link set v0 mtu 1400 up
ip -n {A} link set dev v0 name veth0
ip -n {A} link set dev veth0 name v1
ip -n {A} link set dev veth0 name bad/name
ip -n {A} link set dev veth0 name 0123456789abcdef
ip -n {A} link show up
ip -n {A} link show type veth
ip -n {A} link show type bridge
ip -n {A} link add br0 type bridge
ip -n {A} link set v1 master br0
ip -n {A} link show master br0
ip -n {A} link show type bridge_slave
ip -n {A} link show nomaster
ip -n {A} link set lo master br0
ip -n {A} link set br0 master br0
ip -n {A} link add br1 type bridge
ip -n {A} link set br1 master br0
ip -n {A} link set v1 master br1
ip -n {A} link set v1 type bridge_slave hairpin on learning off
ip -n {A} link set veth0 type bridge_slave hairpin on
ip -n {A} link set br0 type bridge ageing_time 1000 forward_delay 400
ip -n {A} link set veth0 type bridge ageing_time 1000
ip -n {A} link replace veth0 type veth
ip -n {A} link del veth0
ip -n {A} link add name x0 dev x1 type veth
ip -n {A} link add type veth
ip -n {A} link add v5 type veth peer v6 peer v7
ip -n {A} link add v5 type veth peer name v6 type veth
ip -n {A} link add v5 type veth foo
ip -n {A} link add v8 mtu 9000 type veth peer name v9 mtu 1400
ip -n {A} link add v10 index 50 type veth peer name v11 index 60
ip -n {A} link add v12 index 50 type veth
ip -n {A} link add v13 txqueuelen 20 numtxqueues 4 type veth
ip -n {A} link add v14 up type veth peer name v15 up
ip -n {A} link add v16 address 01:00:00:00:00:01 type veth
`,
  },
  {
    name: 'down/up sequences across namespaces: carrier, linkdown routes, kernel routes coming back',
    script: `
ip netns add {A}
ip netns add {B}
ip -n {A} link add v0 address 02:00:00:00:00:0a type veth peer name v1 address 02:00:00:00:00:0b netns {B}
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {B} addr add 10.0.0.2/24 dev v1
ip -n {A} link set v0 up
ip -n {A} route show table all
ip -n {B} link set v1 up
ip -n {A} route show table all
ip -n {B} link set v1 down
ip -n {A} route show table all
ip -n {A} -br link
ip -n {B} link set v1 up
ip -n {A} route add 10.1.0.0/16 via 10.0.0.2
ip -n {A} link set v0 down
ip -n {A} route show table all
ip -n {A} link set v0 up
ip -n {A} route show table all
ip -n {A} a
`,
  },
  {
    name: 'moving links between namespaces: kept or new ifindex, nsids, immovable lo and bridges, name clashes',
    script: `
ip netns add {A}
ip netns add {B}
ip netns add {C}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link add v2 type veth peer name v3
ip -n {A} link set v0 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} link set v1 netns {B}
ip -n {A} link set v3 netns {C}
ip -n {C} link set v3 name eth0
ip -n {C} link set eth0 netns {B}
ip -n {B} link set v1 up
ip -n {A} netns list
ip -n {B} netns list
ip -n {C} netns list
ip -n {A} link set lo netns {B}
ip -n {B} link add v0 type veth peer name x0 netns {C}
ip -n {B} link set v0 netns {A}
ip -n {C} link del x0
`,
  },
  {
    name: 'macvlan: modes, no lower device, lower device errors, bad mode',
    script: `
ip netns add {A}
ip -n {A} link add eth0 type veth peer name peer0
ip -n {A} link set eth0 up
ip -n {A} link add link eth0 name mv0 type macvlan mode bridge
ip -n {A} link add link eth0 name mv1 type macvlan
ip -n {A} link set mv0 up
ip -n {A} link set peer0 up
ip -n {A} addr add 192.168.50.2/24 dev mv0
ip -n {A} link add mv2 type macvlan mode bridge
ip -n {A} link add link nothere name mv3 type macvlan
ip -n {A} link add link lo name mv4 type macvlan
ip -n {A} link add link eth0 name mv5 type macvlan mode foo
`,
  },
  {
    name: 'macvlan whose lower device goes down: M-DOWN, LOWERLAYERDOWN, promiscuity of the lower device',
    script: `
ip netns add {A}
ip -n {A} link add eth0 type veth peer name eth1
ip -n {A} link add link eth0 name mv0 type macvlan mode bridge
ip -n {A} link add link eth0 name mv1 type macvlan mode private
ip -n {A} link set mv0 up
ip -n {A} link set eth0 up
ip -n {A} link set eth1 up
ip -n {A} link set mv1 up
ip -n {A} -d link show eth0
ip -n {A} link set eth1 down
ip -n {A} -br link
ip -n {A} link set eth0 down
ip -n {A} -br link
ip -n {A} link del eth0
ip -n {A} link show
`,
  },
  {
    name: 'vxlan: remote, group, local, dev, ttl, srcport, ageing, learning, MTU limits and errors',
    script: `
ip netns add {A}
ip -n {A} link add eth0 address 02:00:00:00:00:01 type veth peer name eth1 address 02:00:00:00:00:02
ip -n {A} addr add 192.168.0.1/24 dev eth0
ip -n {A} link set eth0 mtu 9000
ip -n {A} link add vx0 type vxlan id 42 remote 192.168.0.2 local 192.168.0.1 dev eth0 dstport 4789 ttl 64 srcport 1000 2000
ip -n {A} link add vx1 type vxlan id 43 group 239.1.1.1 dev eth0 dstport 4789
ip -n {A} link add vx2 type vxlan id 44 group 239.1.1.1 dstport 4789
ip -n {A} link add vx3 type vxlan id 45 remote 239.1.1.1 dstport 4789
ip -n {A} link add vx4 type vxlan id 16777216 dstport 4789
ip -n {A} link add vx5 type vxlan id 46 dstport 4789 ttl 300
ip -n {A} link add vx6 type vxlan id 47 dstport 4789 dev nothere
ip -n {A} link add vx7 type vxlan id 48 dstport 4789 learning nolearning
ip -n {A} link add vx8 type vxlan id 49 dstport 4789 bogus
ip -n {A} link add vx9 type vxlan id 50 dstport 4789 dev eth0 mtu 9000
ip -n {A} link add vx10 mtu 8950 type vxlan id 51 dstport 4789 dev eth0
ip -n {A} link add vx11 type vxlan id 52 dstport 4789 dev eth0 ageing 100
ip -n {A} link set vx0 up
ip -n {A} link set vx0 mtu 9000
ip -n {A} link set vx0 mtu 8950
ip -n {A} link set vx0 type vxlan nolearning
ip -n {A} link set eth0 master vx0
`,
  },
  {
    name: 'vxlan, bridge and macvlan moved to another namespace: link-netns of where they were made',
    script: `
ip netns add {A}
ip netns add {B}
ip -n {A} link add vx0 type vxlan id 5 dstport 4789
ip -n {A} link set vx0 netns {B}
ip -n {A} link add br0 type bridge
ip -n {A} link set br0 netns {B}
ip -n {A} link add v0 netns {B} type veth peer name v1
ip -n {A} link add v2 type veth peer name v3 netns {B}
ip -n {A} link add link v1 name mv0 type macvlan mode private
ip -n {A} link set mv0 netns {B}
ip -n {A} link set v1 up
ip -n {B} link set v0 up
ip -n {B} link set mv0 up
ip -n {A} addr add 2001:db8::1/64 dev v1
ip -n {A} addr add fe80::1/64 dev v1
ip -n {A} -6 addr show dev v1
ip -n {A} -6 route
ip -n {A} addr del 2001:db8::1/64 dev v1
ip -n {A} -6 route show table all
ip -n {B} link set v0 down
ip -n {A} link del v1
ip -n {B} link
`,
  },
  {
    name: 'unnamed devices and peers (veth%d), ifindex choice with index, queues and attributes the peer inherits',
    script: `
ip netns add {A}
ip -n {A} link add type veth
ip -n {A} link add type veth peer name p0
ip -n {A} link add n0 type veth
ip -n {A} link add n1 index 40 type veth peer name n2 index 30
ip -n {A} link add n3 index 40 type veth
ip -n {A} link add n4 mtu 9000 txqueuelen 64 numtxqueues 3 numrxqueues 5 type veth
ip -n {A} link add n5 mtu 9000 type veth peer name n6
ip -n {A} link add n7 up type veth peer name n8 up
ip -n {A} link add n9 up type veth peer name n10
ip -n {A} link add type bridge
ip -n {A} link add type bridge
`,
  },
  {
    name: 'vxlan variants: group with dev, local, remote with dev (MTU 1450, TSO from the underlay), tos/ttl/df, errors, deleted with the underlay',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} addr add 192.168.0.1/24 dev v0
ip -n {A} link set v0 up
ip -n {A} link add vx0 type vxlan id 42 group 239.1.1.1 dev v0 dstport 4789
ip -n {A} link add vx1 type vxlan id 43 local 192.168.0.1 dstport 0
ip -n {A} link add vx2 type vxlan id 44 remote 192.168.0.2 dev v0 dstport 4790 ttl 64 tos inherit
ip -n {A} link add vx3 type vxlan id 45 remote 192.168.0.2 local 192.168.0.1 learning
ip -n {A} link add vx4 type vxlan id 42 dstport 4789
ip -n {A} link add vx5 type vxlan id 46 group 192.168.0.2
ip -n {A} link add vx6 type vxlan id 16777216
ip -n {A} link add vx7 type vxlan
ip -n {A} link add vx8 type vxlan id 47 dstport 8472 ttl 300
ip -n {A} link add vx9 type vxlan id 48 dev v9
ip -n {A} link set vx2 up
ip -n {A} link set vx1 up
ip -n {A} link set vx3 up
ip -n {A} link set vx0 up
ip -n {A} link set vx2 mtu 1500
ip -n {A} link set vx2 mtu 1450
ip -n {A} link add vxa type vxlan id 50 ttl inherit df set tos 0x10 dstport 4789
ip -n {A} link add vxb type vxlan id 51 df inherit tos bogus dstport 4789
ip -n {A} link add vxc type vxlan id 52 df maybe dstport 4789
ip -n {A} -j -d link show vx2
ip -n {A} -j -d link show vxa
ip -n {A} link set v0 down
ip -n {A} -d link show
ip -n {A} link del v0
ip -n {A} -d link show
`,
  },
]);
