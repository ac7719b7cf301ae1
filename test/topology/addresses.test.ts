/**
 * IPv4 (and by-hand IPv6) addresses against the real kernel: what each address makes the
 * kernel route, secondaries, labels, scopes, deletion and flushing, and the errors.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('addresses', [
  {
    name: 'secondary addresses, labels, scopes, metrics, noprefixroute, deletion and flush',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.2/24 dev v0
ip -n {A} addr add 10.0.0.3/24 dev v0 label v0:1
ip -n {A} addr add 10.0.1.1/24 dev v0 scope link
ip -n {A} addr add 127.0.0.5/8 dev v0
ip -n {A} addr add 10.9.9.9/24 brd 10.9.9.255 dev v0 metric 100
ip -n {A} addr add 10.8.8.8/24 dev v0 noprefixroute
ip -n {A} a show dev v0
ip -n {A} route show table all
ip -n {A} addr show dev v0 secondary
ip -n {A} addr show dev v0 primary
ip -n {A} addr show label v0:1
ip -n {A} addr show to 10.0.0.0/24
ip -n {A} -4 addr show scope link
ip -n {A} addr del 10.0.0.2/24 dev v0
ip -n {A} addr del 10.0.0.1 dev v0
ip -n {A} addr del 10.7.0.1/24 dev v0
ip -n {A} a show dev v0
ip -n {A} route show table all
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.2/24 dev v0
ip -n {A} addr del 10.0.0.1/24 dev v0
ip -n {A} a show dev v0
ip -n {A} addr flush dev v0 scope link
ip -n {A} a show dev v0
ip -n {A} addr flush dev v0
ip -n {A} addr flush
ip -n {A} a show dev v0
ip -n {A} route show table all
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add dev v0
ip -n {A} addr add 10.0.0.1/24
ip -n {A} addr replace 10.0.0.1/24 dev v0 metric 5
ip -n {A} addr change 10.0.0.9/24 dev v0
ip -n {A} route show
`,
  },
  {
    name: 'addresses with peers, broadcasts, /31 and /32: the routes the kernel derives',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} route show table all
ip -n {A} link set v0 up
ip -n {A} addr add 10.0.0.2/24 dev v0
ip -n {A} addr add 10.1.0.1/16 brd + dev v0
ip -n {A} addr add 10.5.0.1/16 brd - dev v0
ip -n {A} addr add 10.6.0.1/24 broadcast 10.6.0.127 dev v0
ip -n {A} addr add 10.2.0.1/32 dev v0
ip -n {A} addr add 10.3.0.1 peer 10.3.0.2 dev v0
ip -n {A} addr add 10.7.0.1 peer 10.7.0.0/24 dev v0
ip -n {A} addr add 10.4.0.1/31 dev v0
ip -n {A} addr add 10.8.0.1/255.255.0.0 dev v0
ip -n {A} addr add 0.0.0.5/8 dev v0
ip -n {A} route show table all
ip -n {A} addr del 10.3.0.1 peer 10.3.0.2 dev v0
ip -n {A} addr del 10.6.0.1/24 dev v0
ip -n {A} route show table all
`,
  },
  {
    name: 'address errors: duplicates, scope clashes, bad prefixes, no device, wildcard deletion',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.9/24 dev v0 scope host
ip -n {A} addr add 10.0.0.300/24 dev v0
ip -n {A} addr add 10.0.0.3/33 dev v0
ip -n {A} addr add x dev v0
ip -n {A} addr add 10.0.0.3/24
ip -n {A} addr add 10.0.0.3/24 dev v9
ip -n {A} addr add 10.0.0.3/24 10.0.0.4/24 dev v0
ip -n {A} addr add 10.0.0.3/24 dev v0 scope bogus
ip -n {A} addr add 10.0.0.3/24 dev v0 brd 10.0.0.255 brd 10.0.0.255
ip -n {A} addr add 10.0.0.3/24 dev v0 metric x
ip -n {A} addr add 10.0.0.3/24 dev v0 nodad
ip -n {A} addr add 10.0.0.3/24 dev v0 tentative
ip -n {A} addr add 10.0.0.4/24 dev v0 valid_lft forever preferred_lft forever
ip -n {A} addr del 10.0.0.1 dev v0
ip -n {A} addr del 10.0.0.99/24 dev v0
ip -n {A} addr show dev v0
ip -n {A} addr show dev v9
ip -n {A} addr show nothere
ip -n {A} addr show scope bogus
ip -n {A} addr flush
ip -n {A} addr foo
`,
  },
  {
    name: 'loopback up and down: 127.0.0.1 and ::1 come and stay or go; 127/8 on another device',
    script: `
ip netns add {A}
ip -n {A} link set lo up
ip -n {A} addr show dev lo
ip -n {A} route show table local
ip -n {A} link set lo down
ip -n {A} addr show dev lo
ip -n {A} route show table all
ip -n {A} link set lo up
ip -n {A} addr add 127.0.0.2/8 dev lo
ip -n {A} addr add 127.1.0.1/16 dev lo
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} addr add 127.5.0.1/16 dev v0
ip -n {A} route get 127.0.0.1
ip -n {A} route get 127.5.0.9
`,
  },
  {
    name: 'IPv6 addresses by hand: their order by scope, prefix and local routes, deletion',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} addr add 2001:db8:1::1/64 dev v0
ip -n {A} addr add fe80::1/64 dev v0
ip -n {A} addr add 2001:db8:2::1/48 dev v0
ip -n {A} addr add 2001:db8:1::1/64 dev v0
ip -n {A} -6 addr show dev v0
ip -n {A} -6 route
ip -n {A} addr del 2001:db8:1::1/64 dev v0
ip -n {A} addr del fe80::1/64 dev v0
ip -n {A} -6 route show table all
`,
  },
  {
    name: 'addr flush with statistics, by scope, label and prefix',
    script: `
ip netns add {A}
ip -n {A} link add v0 type veth peer name v1
ip -n {A} link set v0 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} addr add 10.0.0.2/24 dev v0
ip -n {A} addr add 10.0.1.1/24 dev v0 label v0:a
ip -n {A} addr add 10.0.2.1/24 dev v0 scope link
ip -n {A} -s addr flush dev v0 label v0:a
ip -n {A} -s addr flush dev v0 to 10.0.0.0/24
ip -n {A} -s -s addr flush dev v0 scope link
ip -n {A} -s addr flush dev v0 scope link
ip -n {A} -4 addr flush dev v0
ip -n {A} addr show
`,
  },
]);
