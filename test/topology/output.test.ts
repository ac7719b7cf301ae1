/**
 * How ip prints (JSON, statistics, -o, -br, -4/-6, -N) and how it parses its command line
 * (abbreviations, global options, help, batch), against the real binary.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('output and options', [
  {
    name: 'JSON, pretty JSON, statistics, oneline, brief, families and numeric output',
    rawMacs: true,
    script: `
ip netns add {A}
ip -n {A} link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
ip -n {A} link set v0 up
ip -n {A} link set lo up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} route add 10.2.0.0/16 via 10.0.0.9 metric 7
ip -n {A} neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0
ip -n {A} -j link
ip -n {A} -j addr
ip -n {A} -j route
ip -n {A} -j route show table all
ip -n {A} -j neigh
ip -n {A} -j -p link show v0
ip -n {A} -j -p addr show dev v0
ip -n {A} -j -d link show v0
ip -n {A} -j route get 10.2.3.4
ip -n {A} -j -br link
ip -n {A} -j -br addr
ip -n {A} -s link show v0
ip -n {A} -s -s link show v0
ip -n {A} -s addr show dev v0
ip -n {A} -o link
ip -n {A} -o addr show dev v0
ip -n {A} -4 addr
ip -n {A} -6 addr
ip -n {A} -6 route
ip -n {A} -6 route show table local
ip -n {A} -4 route show table all
ip -n {A} -br -4 addr
ip -n {A} -d route
ip -n {A} -N route show table all
`,
  },
  {
    name: 'abbreviations, global options, help texts and usage errors',
    script: `
ip netns add {A}
ip -n {A} l
ip -n {A} li a v0 ty veth pe na v1
ip -n {A} l s v0 up
ip -n {A} li set dev v1 up
ip -n {A} a a 10.0.0.1/24 dev v0
ip -n {A} a
ip -n {A} a s v0
ip -n {A} ad sh dev v0
ip -n {A} r
ip -n {A} ro l
ip -n {A} r g 10.0.0.2
ip -n {A} n
ip -n {A} neighbour show
ip -n {A} -4 a
ip -n {A} -f inet a
ip -n {A} -family inet6 a s lo
ip -n {A} -0 a
ip -n {A} -c=never -br a
ip -n {A} -color=never -br l
ip -n {A} -stat l s lo
ip -n {A} -o -4 a
ip -n {A} -oneline l
ip -n {A} -details -brief l
ip -n {A} -N r s table all
ip -n {A} -r r
ip -n {A} -z l
ip -n {A} -V
ip -n {A} lin help
ip -n {A} help
ip -n {A} a help
ip -n {A} r help
ip -n {A} n help
ip -n {A} netns help
ip -n {A} l s
ip -n {A} l set
ip -n {A} a add
ip -n {A} r add
ip -n {A} l del
ip -n {A} lnk
ip -n {A} link show dev
ip -n {A} l sh v0 v1
`,
  },
  {
    name: 'batch from stdin: stops at the first error, -force goes on and reports each failure',
    stdin: `link add v0 type veth peer name v1
link set v0 up
addr add 10.0.0.1/24 dev v0
addr add 10.0.0.1/24 dev v0
link set v1 up
route add 10.9.0.0/16 via 10.0.0.9
route add 10.9.0.0/16 via 10.0.0.9
route add 10.8.0.0/16 via 10.0.0.9
foo
route add 10.7.0.0/16 via 10.0.0.9
`,
    script: `
ip netns add {A}
ip -n {A} -batch -
ip -n {A} link show
ip -n {A} -force -batch -
ip -n {A} route show
`,
  },
]);
