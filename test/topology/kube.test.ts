/**
 * Kubernetes node networking as CNI plugins configure it (kindnet, flannel, docker,
 * calico), checked against the real kernel with the same commands.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('kube', [
  {
    name: 'kindnet-style node: /32 host ends, per-pod routes, pods with on-link gateway and src routes',
    script: `
ip netns add {node}
ip netns add {pod1}
ip netns add {pod2}
ip -n {node} link add veth81ebcd7c type veth peer name eth0 netns {pod1}
ip -n {node} link add veth2f3a9b10 type veth peer name eth0 netns {pod2}
ip -n {node} link set veth81ebcd7c up
ip -n {node} link set veth2f3a9b10 up
ip -n {node} addr add 10.244.2.1/32 dev veth81ebcd7c
ip -n {node} addr add 10.244.2.1/32 dev veth2f3a9b10
ip -n {node} route add 10.244.2.2/32 dev veth81ebcd7c scope host
ip -n {node} route add 10.244.2.3/32 dev veth2f3a9b10 scope host
ip -n {pod1} link set lo up
ip -n {pod1} link set eth0 up
ip -n {pod1} addr add 10.244.2.2/24 dev eth0
ip -n {pod1} route replace 10.244.2.0/24 via 10.244.2.1 src 10.244.2.2
ip -n {pod1} route add 10.244.2.1 dev eth0 scope link
ip -n {pod1} route replace 10.244.2.0/24 via 10.244.2.1 src 10.244.2.2
ip -n {pod1} route add default via 10.244.2.1
ip -n {pod2} link set lo up
ip -n {pod2} link set eth0 up
ip -n {pod2} addr add 10.244.2.3/24 dev eth0
ip -n {pod2} route add 10.244.2.1 dev eth0 scope link
ip -n {pod2} route replace 10.244.2.0/24 via 10.244.2.1 src 10.244.2.3
ip -n {pod2} route add default via 10.244.2.1 src 10.244.2.3
ip -n {pod1} route get 10.244.2.3
ip -n {pod1} route get 10.96.0.1
ip -n {node} route get 10.244.2.2
`,
  },
  {
    name: 'two nodes joined through a bridge namespace, each routing to the other\'s pod CIDR',
    script: `
ip netns add {net}
ip netns add {n1}
ip netns add {n2}
ip -n {net} link add br0 address 02:42:ac:12:00:01 type bridge
ip -n {net} link set br0 up
ip -n {net} addr add 172.18.0.1/16 dev br0
ip -n {net} link add veth1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:42:ac:12:00:02 netns {n1}
ip -n {net} link add veth2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:42:ac:12:00:03 netns {n2}
ip -n {net} link set veth1 master br0
ip -n {net} link set veth2 master br0
ip -n {net} link set veth1 up
ip -n {net} link set veth2 up
ip -n {n1} link set lo up
ip -n {n1} link set eth0 up
ip -n {n1} addr add 172.18.0.2/16 dev eth0
ip -n {n1} route add default via 172.18.0.1
ip -n {n1} route add 10.244.2.0/24 via 172.18.0.3
ip -n {n2} link set lo up
ip -n {n2} link set eth0 up
ip -n {n2} addr add 172.18.0.3/16 dev eth0
ip -n {n2} route add default via 172.18.0.1
ip -n {n2} route add 10.244.1.0/24 via 172.18.0.2
ip -n {n1} route get 10.244.2.7
ip -n {n1} route get 10.96.0.1
ip -n {n2} route get 172.18.0.3
ip -n {n2} route get 172.18.255.255
`,
  },
  {
    name: 'flannel vxlan: flannel.1 id 1 dstport 8472 nolearning mtu 1450, onlink routes, permanent neighbours',
    script: `
ip netns add {node}
ip -n {node} link add eth0 type veth peer name ext0
ip -n {node} link set eth0 up
ip -n {node} link set ext0 up
ip -n {node} addr add 172.18.0.2/16 dev eth0
ip -n {node} link add flannel.1 type vxlan id 1 dstport 8472 local 172.18.0.2 dev eth0 nolearning
ip -n {node} link set flannel.1 mtu 1450
ip -n {node} link set flannel.1 up
ip -n {node} addr add 10.244.0.0/32 dev flannel.1
ip -n {node} route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
ip -n {node} neigh add 10.244.1.0 lladdr 0a:58:0a:f4:01:00 dev flannel.1 nud permanent
ip -n {node} neigh add 10.244.2.0 lladdr 0a:58:0a:f4:02:00 dev flannel.1
ip -n {node} neigh add 10.244.2.0 lladdr 0a:58:0a:f4:02:00 dev flannel.1
ip -n {node} neigh replace 10.244.2.0 lladdr 0a:58:0a:f4:02:01 dev flannel.1
ip -n {node} neigh show dev flannel.1
ip -n {node} neigh del 10.244.9.0 dev flannel.1
ip -n {node} neigh add 10.244.3.0 dev flannel.1
ip -n {node} route get 10.244.1.5
ip -n {node} link set flannel.1 mtu 1500
ip -n {node} link add vx2 type vxlan id 1 dstport 8472
ip -n {node} link add vx3 type vxlan id 2
ip -n {node} link add vx4 type vxlan dstport 4789
`,
  },
  {
    name: 'docker bridge: docker0 with veth ports, containers with default routes, a container removed',
    script: `
ip netns add {H}
ip netns add {C1}
ip netns add {C2}
ip -n {H} link set lo up
ip -n {H} link add docker0 type bridge
ip -n {H} addr add 172.17.0.1/16 brd + dev docker0
ip -n {H} link set docker0 up
ip -n {H} link add veth1a2b3c4 type veth peer name eth0 netns {C1}
ip -n {H} link set veth1a2b3c4 master docker0 up
ip -n {C1} link set lo up
ip -n {C1} addr add 172.17.0.2/16 brd 172.17.255.255 dev eth0
ip -n {C1} link set eth0 up
ip -n {C1} route add default via 172.17.0.1
ip -n {H} link add veth5d6e7f8 type veth peer name eth0 netns {C2}
ip -n {H} link set veth5d6e7f8 master docker0
ip -n {H} link set veth5d6e7f8 up
ip -n {C2} link set lo up
ip -n {C2} link set eth0 up
ip -n {C2} addr add 172.17.0.3/16 brd 172.17.255.255 dev eth0
ip -n {C2} route add default via 172.17.0.1 dev eth0
ip -n {C2} route get 172.17.0.2
ip -n {C2} route get 8.8.8.8
ip -n {H} route get 172.17.0.3
ip -n {H} link show master docker0
ip -n {H} -br link show type veth
ip netns del {C1}
ip -n {H} link show master docker0
ip -n {H} -d link show docker0
`,
  },
  {
    name: 'calico-style: ee:ee:.. host veths with no address, 169.254.1.1 gateway, blackhole block route',
    script: `
ip netns add {N}
ip netns add {P}
ip -n {N} link set lo up
ip -n {N} link add eth0 type veth peer name up0
ip -n {N} addr add 192.168.1.10/24 dev eth0
ip -n {N} link set eth0 up
ip -n {N} link set up0 up
ip -n {N} route add default via 192.168.1.1 dev eth0
ip -n {N} link add cali1f2e3d4c5b6 address ee:ee:ee:ee:ee:ee type veth peer name eth0 netns {P}
ip -n {N} link set cali1f2e3d4c5b6 up
ip -n {N} route add 10.244.7.5/32 dev cali1f2e3d4c5b6 scope link
ip -n {N} route add blackhole 10.244.7.0/26 proto 80
ip -n {P} link set lo up
ip -n {P} addr add 10.244.7.5/32 dev eth0
ip -n {P} link set eth0 up
ip -n {P} route add 169.254.1.1 dev eth0 scope link
ip -n {P} route add default via 169.254.1.1 dev eth0
ip -n {P} neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0
ip -n {N} route show
ip -n {N} route get 10.244.7.5
ip -n {N} route get 10.244.7.9
ip -n {P} route get 10.244.7.1
ip -n {P} route get 192.168.1.10
ip -n {P} neigh show
ip -n {N} route show proto bird
`,
  },
  {
    name: 'pod lifecycle: pods deleted with their namespace or link, recreated, ifindexes and routes follow',
    script: `
ip netns add {node}
ip netns add {pod1}
ip netns add {pod2}
ip -n {node} link set lo up
ip -n {node} link add veth11111111 type veth peer name eth0 netns {pod1}
ip -n {node} link set veth11111111 up
ip -n {node} addr add 10.244.1.1/32 dev veth11111111
ip -n {node} route add 10.244.1.2/32 dev veth11111111 scope host
ip -n {pod1} link set eth0 up
ip -n {pod1} addr add 10.244.1.2/24 dev eth0
ip -n {pod1} route add default via 10.244.1.1
ip -n {node} link add veth22222222 type veth peer name eth0 netns {pod2}
ip -n {node} link set veth22222222 up
ip -n {node} addr add 10.244.1.1/32 dev veth22222222
ip -n {node} route add 10.244.1.3/32 dev veth22222222 scope host
ip -n {pod2} link set eth0 up
ip -n {pod2} addr add 10.244.1.3/24 dev eth0
ip -n {node} route show table all
ip netns del {pod1}
ip -n {node} route show table all
ip -n {node} link show
ip netns add {pod1}
ip -n {node} link add veth33333333 type veth peer name eth0 netns {pod1}
ip -n {node} link set veth33333333 up
ip -n {node} addr add 10.244.1.1/32 dev veth33333333
ip -n {node} route add 10.244.1.4/32 dev veth33333333 scope host
ip -n {pod1} link set eth0 up
ip -n {pod1} addr add 10.244.1.4/24 dev eth0
ip -n {node} link show
ip -n {node} -br addr
ip -n {pod2} link del eth0
ip -n {node} route show
ip -n {node} route get 10.244.1.4
`,
  },
]);
