/**
 * IPv4 routes against the real kernel: what each add/replace/change/append/prepend does
 * to a table, deletion matching, dump filters and order, `ip route get`, and the errors.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('routes', [
  {
    name: 'route add/del/append/prepend/replace/change, gateways, onlink, types and route get',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.1/16 dev v0
ip -n {A} addr add 10.0.0.5/24 dev v0 scope link
ip -n {A} route add 10.9.0.0/16 via 10.0.0.254
ip -n {A} route add 10.9.0.0/16 via 10.0.0.254
ip -n {A} route add 10.8.0.0/16 via 10.5.0.1
ip -n {A} route add 10.8.0.0/16 via 10.0.0.1
ip -n {A} route add 10.8.0.0/16 via 10.0.0.2 dev v1
ip -n {A} route add 10.8.0.0/16 via 10.5.0.1 dev v0 onlink
ip -n {A} route add 10.7.0.0/16 via 10.5.0.1 onlink
ip -n {A} route add 10.6.0.0/16 dev v9
ip -n {A} route add 10.6.0.0/16 dev v0 to 10.5.0.0/16
ip -n {A} route add 10.6.0.0/33 dev v0
ip -n {A} route add x dev v0
ip -n {A} route del 10.99.0.0/16
ip -n {A} route add 10.9.0.0/16 via 10.0.0.253 metric 10
ip -n {A} route append 10.9.0.0/16 via 10.0.0.252
ip -n {A} route prepend 10.9.0.0/16 via 10.0.0.251
ip -n {A} route append 10.9.0.0/16 via 10.0.0.252
ip -n {A} route show
ip -n {A} route replace 10.9.0.0/16 via 10.0.0.250
ip -n {A} route change 10.10.0.0/16 via 10.0.0.250
ip -n {A} route change 10.9.0.0/16 via 10.0.0.249 metric 10
ip -n {A} route del 10.9.0.0/16
ip -n {A} route del 10.9.0.0/16 via 10.0.0.251
ip -n {A} route get 10.9.1.1
ip -n {A} route get 10.0.0.7
ip -n {A} route get 10.0.0.1
ip -n {A} route get 8.8.8.8
ip -n {A} route get 10.0.0.255
ip -n {A} route get 10.9.1.1 from 10.0.0.1
ip -n {A} route get 10.9.1.1 oif v1
ip -n {A} route add default via 10.0.0.254
ip -n {A} route add blackhole 10.50.0.0/16
ip -n {A} route add unreachable 10.51.0.0/16
ip -n {A} route add prohibit 10.52.0.0/16
ip -n {A} route add throw 10.53.0.0/16
ip -n {A} route add 10.54.0.0/16 dev v0 proto static scope global src 10.0.0.1 table 100
ip -n {A} route add local 10.55.0.1 dev v0
ip -n {A} route show table 100
ip -n {A} route show table 101
ip -n {A} route get 10.50.1.1
ip -n {A} route get 10.51.1.1
ip -n {A} route get 10.52.1.1
ip -n {A} route get 10.53.1.1
ip -n {A} route get 1.2.3.4
`,
  },
  {
    name: 'route filters (proto, scope, type, dev, via, src, root/match/exact, metric), flush and get variants',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link add v2 type veth peer name v3
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.1.0.1/24 dev v1
ip -n {A} route add 10.2.0.0/16 dev v2
ip -n {A} route add 10.2.0.0/16 via 10.0.0.5 dev v2 onlink
ip -n {A} route add 10.3.0.0/16 via 10.0.0.5 src 10.9.9.9
ip -n {A} route add 10.3.0.0/16 via 10.0.0.5 src 10.1.0.1
ip -n {A} route add 10.4.0.0/16 via 10.0.0.5 scope host
ip -n {A} route add 10.5.0.0/16 via 10.0.0.5 scope link
ip -n {A} route add 10.6.0.0/16 dev v0 scope host
ip -n {A} route add local 10.7.0.1 dev v0 scope link
ip -n {A} route add blackhole 10.8.0.0/16 dev v0
ip -n {A} route add 10.9.0.0/16 via 10.0.0.1 onlink dev v0
ip -n {A} route add 10.10.0.0/16 via 10.0.0.5 dev v0 proto 99
ip -n {A} route add 10.11.0.0/16 via 10.0.0.5 dev v0 proto static metric 100 mtu 1400
ip -n {A} route add 10.12.0.0/16 via 10.0.0.5 table 7
ip -n {A} route add 10.13.0.0/16 dev v0 tos 0x10
ip -n {A} route add 10.14.0.0/16 nexthop via 10.0.0.5
ip -n {A} route add 10.15.0.0/16 via 10.1.0.5
ip -n {A} route add 10.15.0.0/16 via 10.1.0.6 metric 50
ip -n {A} route show
ip -n {A} route show proto kernel
ip -n {A} route show proto static
ip -n {A} route show scope link
ip -n {A} route show type local table local
ip -n {A} route show dev v1
ip -n {A} route show via 10.0.0.5
ip -n {A} route show src 10.1.0.1
ip -n {A} route show root 10.0.0.0/8
ip -n {A} route show match 10.15.3.4
ip -n {A} route show exact 10.15.0.0/16
ip -n {A} route show 10.15.0.0/16
ip -n {A} route show table 7
ip -n {A} route show metric 50
ip -n {A} route show table main proto boot
ip -n {A} route del 10.15.0.0/16 metric 50
ip -n {A} route del 10.15.0.0/16 dev v0
ip -n {A} route del 10.11.0.0/16 proto kernel
ip -n {A} route del 10.11.0.0/16 proto static
ip -n {A} route flush dev v1
ip -n {A} route flush proto 99
ip -n {A} route flush table 7
ip -n {A} -s route flush table 7
ip -n {A} route flush cache
ip -n {A} route show table all
ip -n {A} addr del 10.1.0.1/24 dev v1
ip -n {A} route show table all
ip -n {A} route get 10.0.0.7 from 10.9.9.9
ip -n {A} route get 10.0.0.7 iif v0
ip -n {A} route get 10.0.0.7/24
ip -n {A} route get
ip -n {A} route get fibmatch 10.0.0.7
ip -n {A} route get 255.255.255.255
ip -n {A} route get 224.0.0.5
ip -n {A} route get 127.0.0.1
ip -n {A} route list table local type broadcast
ip -n {A} route test 10.0.0.0/24 dev v0
`,
  },
  {
    name: 'carrier and admin state: linkdown routes, routes flushed on down, last address removal disables IP',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link add br0 type bridge
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.1.0.1/24 dev br0
ip -n {A} link set v0 up
ip -n {A} link set br0 up
ip -n {A} route add 10.2.0.0/16 via 10.0.0.2
ip -n {A} route add 10.3.0.0/16 dev v0 metric 5
ip -n {A} route add 10.4.0.0/16 via 10.1.0.2 dev br0
ip -n {A} route show table all
ip -n {A} route get 10.2.1.1
ip -n {A} route get 10.3.1.1
ip -n {A} link set v1 up
ip -n {A} route show
ip -n {A} link set v1 down
ip -n {A} route show
ip -n {A} link set v0 down
ip -n {A} route show table all
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} route show table all
ip -n {A} route add 10.2.0.0/16 via 10.0.0.2
ip -n {A} route add 10.5.0.0/16 via 10.0.0.2 src 10.0.0.1
ip -n {A} addr add 10.0.0.9/24 dev v0
ip -n {A} addr del 10.0.0.1/24 dev v0
ip -n {A} route show table all
ip -n {A} addr del 10.0.0.9/24 dev v0
ip -n {A} route show table all
ip -n {A} link set br0 down
ip -n {A} route show table all
`,
  },
  {
    name: 'replace/change/append/prepend against metric, tos and type; default routes by metric',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.1.0.1/24 dev v1
ip -n {A} route replace default via 10.0.0.254
ip -n {A} route replace default via 10.1.0.254
ip -n {A} route add default via 10.0.0.253 metric 100
ip -n {A} route add default via 10.0.0.252 metric 50
ip -n {A} route show
ip -n {A} route get 1.1.1.1
ip -n {A} route del default
ip -n {A} route show
ip -n {A} route del default metric 100
ip -n {A} route show
ip -n {A} route replace 10.9.0.0/16 via 10.0.0.2 metric 10
ip -n {A} route replace 10.9.0.0/16 via 10.1.0.2 metric 20
ip -n {A} route replace 10.9.0.0/16 dev v1 metric 10
ip -n {A} route change 10.9.0.0/16 via 10.0.0.3 metric 20
ip -n {A} route change 10.9.0.0/16 via 10.0.0.3 metric 30
ip -n {A} route show 10.9.0.0/16
ip -n {A} route append 10.9.0.0/16 via 10.0.0.4 metric 10
ip -n {A} route prepend 10.9.0.0/16 via 10.0.0.5 metric 10
ip -n {A} route add 10.9.0.0/16 via 10.0.0.6 metric 10
ip -n {A} route add 10.9.0.0/16 via 10.0.0.6 metric 10 tos 8
ip -n {A} route show 10.9.0.0/16
ip -n {A} route replace 10.9.0.0/16 via 10.0.0.7 metric 10
ip -n {A} route show 10.9.0.0/16
ip -n {A} route replace blackhole 10.9.0.0/16 metric 10
ip -n {A} route replace unreachable 10.9.0.0/16 metric 20
ip -n {A} route show 10.9.0.0/16
ip -n {A} route del 10.9.0.0/16 type blackhole
ip -n {A} route del 10.9.0.0/16 type unicast
ip -n {A} route show 10.9.0.0/16
ip -n {A} route replace 10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 metric 5
ip -n {A} route show table all
ip -n {A} route flush 10.9.0.0/16
ip -n {A} route show
`,
  },
  {
    name: 'route errors: unreachable and invalid gateways, bad arguments, invalid prefixes, missing tables',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} route add 10.9.0.0/16 via 10.5.5.5
ip -n {A} route add 10.9.0.0/16 via 10.5.5.5 dev v0
ip -n {A} route add 10.9.0.0/16 via 10.0.0.1
ip -n {A} route add 10.9.0.0/16 via 10.0.0.255
ip -n {A} route add 10.9.0.0/16 via 10.0.0.0
ip -n {A} route add 10.9.0.0/16 via 224.0.0.1
ip -n {A} route add 10.9.0.0/16 via 10.0.0.2 dev v1
ip -n {A} route add 10.9.0.0/16 via 10.0.0.2 dev v1 onlink
ip -n {A} route add 10.9.0.0/16 dev v0 scope host via 10.0.0.2
ip -n {A} route add 10.9.0.0/16
ip -n {A} route add 10.9.0.0/16 dev
ip -n {A} route add 10.9.0.0/16 via
ip -n {A} route add 10.9.0.0/16 via x
ip -n {A} route add 10.9.0.0/16 dev v0 metric x
ip -n {A} route add 10.9.0.0/16 dev v0 table x
ip -n {A} route add 10.9.0.0/16 dev v0 proto x
ip -n {A} route add 10.9.0.0/16 dev v0 scope x
ip -n {A} route add 10.9.0.0/16 dev v0 mtu x
ip -n {A} route add 10.9.0.0/16 dev v0 foo
ip -n {A} route add 10.9.0.0/16 dev v0 src 10.7.7.7
ip -n {A} route add 10.9.0.1/16 dev v0
ip -n {A} route add default dev v0 via 10.0.0.2 via 10.0.0.3
ip -n {A} route add bogus 10.9.0.0/16 dev v0
ip -n {A} route del 10.0.0.0/24 dev v1
ip -n {A} route del 10.0.0.0/24 via 10.0.0.9
ip -n {A} route del 10.0.0.1/24
ip -n {A} route del 10.0.0.0/24 table 55
ip -n {A} route foo
ip -n {A} route get 10.0.0.5 from 10.0.0.99
ip -n {A} route get 10.0.0.5 oif v9
ip -n {A} route get x
ip -n {A} route show table 99999999999
ip -n {A} route show dev v9
ip -n {A} route
`,
  },
]);
