/**
 * Named namespaces (ip netns) and the neighbour table against the real kernel.
 */
import { defineTopologies } from '../support/topology.ts';

defineTopologies('netns and neighbours', [
  {
    name: 'netns add/del/set/list/list-id/exec/identify, ids as each namespace sees them',
    script: `
ip netns add {A}
ip netns add {B}
ip netns add {A}
ip -n {A} netns set {B} 7
ip -n {A} netns set {B} 8
ip -n {A} netns set {missing} 3
ip -n {B} netns set {A} x
ip -n {B} netns set {A} -1
ip -n {B} netns set {A} auto
ip -n {A} netns list
ip -n {B} netns list
ip -n {A} netns list-id
ip -n {A} link add v0 type veth peer name v1 netns {B}
ip -n {A} link show v0
ip -n {B} link show v1
ip netns exec {A} ip link show lo
ip netns exec {A} ip -o addr
ip netns exec {missing} ip link
ip netns exec {A} podlab-missing
ip netns exec {A}
ip netns exec {A} false
ip netns del {missing}
ip -n {A} netns del {B}
ip -n {A} link show
ip netns identify
`,
  },
  {
    name: 'nsids allocated by veths across three namespaces, links moved around and a namespace deleted',
    script: `
ip netns add {A}
ip netns add {B}
ip netns add {C}
ip -n {A} netns list-id
ip -n {A} link add a2b type veth peer name b2a netns {B}
ip -n {A} netns list-id
ip -n {B} netns list-id
ip -n {B} link add b2c type veth peer name c2b netns {C}
ip -n {C} link add c2a type veth peer name a2c netns {A}
ip -n {A} netns list-id
ip -n {B} netns list-id
ip -n {C} netns list-id
ip -n {A} netns list
ip -n {B} netns list
ip -n {C} netns list
ip -n {A} link show
ip -n {C} -d link show
ip -n {A} -br link
ip -n {B} link set b2a netns {C}
ip -n {C} link show b2a
ip -n {A} link show a2b
ip -n {C} link set b2a netns {A}
ip -n {A} link show
ip netns del {B}
ip -n {A} link show
ip -n {C} link show
ip -n {A} netns list-id
`,
  },
  {
    name: 'neighbours: add/replace/change/del, states, proxy entries, filters and flushes',
    script: `
ip netns add {A}
ip -n {A} link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
ip -n {A} link set v0 up
ip -n {A} link set v1 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
ip -n {A} neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud reachable
ip -n {A} neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud stale
ip -n {A} neigh add 10.0.0.5 dev v0 nud noarp
ip -n {A} neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev v0 nud noarp
ip -n {A} neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0 router
ip -n {A} neigh add proxy 10.0.0.50 dev v0
ip -n {A} neigh add 10.0.0.8 lladdr zz dev v0
ip -n {A} neigh add 10.0.0.8 lladdr 02:00:00:00:00:08
ip -n {A} neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev v9
ip -n {A} neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev v0 nud bogus
ip -n {A} neigh show
ip -n {A} neigh show nud none
ip -n {A} neigh show nud stale
ip -n {A} neigh show proxy
ip -n {A} neigh show dev v0
ip -n {A} neigh show 10.0.0.2
ip -n {A} neigh get 10.0.0.2 dev v0
ip -n {A} neigh get 10.0.0.9 dev v0
ip -n {A} neigh change 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0
ip -n {A} neigh del 10.0.0.7 dev v0
ip -n {A} neigh del 10.0.0.7 dev v0
ip -n {A} neigh del proxy 10.0.0.50 dev v0
ip -n {A} neigh flush dev v0
ip -n {A} neigh show nud none
ip -n {A} neigh flush
ip -n {A} neigh flush all
ip -n {A} link set v1 down
ip -n {A} neigh show nud none
ip -n {A} link set v0 down
ip -n {A} neigh show nud none
`,
  },
  {
    name: 'neighbours on loopback (keyed 0.0.0.0), forgotten on down and on last address removal',
    script: `
ip netns add {A}
ip -n {A} link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
ip -n {A} link set v0 up
ip -n {A} addr add 10.0.0.1/24 dev v0
ip -n {A} neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
ip -n {A} neigh replace 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0
ip -n {A} neigh replace 10.0.0.3 lladdr 02:00:00:00:00:33 dev v0 nud reachable
ip -n {A} neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0
ip -n {A} neigh change 10.0.0.2 lladdr 02:00:00:00:00:22 dev v0
ip -n {A} neigh add 10.9.9.9 lladdr 02:00:00:00:00:09 dev v0
ip -n {A} neigh add 10.0.0.255 lladdr 02:00:00:00:00:09 dev v0
ip -n {A} neigh add 224.0.0.1 lladdr 02:00:00:00:00:09 dev v0
ip -n {A} neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev lo
ip -n {A} neigh show
ip -n {A} -4 neigh show
ip -n {A} neigh show to 10.0.0.0/30
ip -n {A} neigh show nud permanent
ip -n {A} link set v1 up
ip -n {A} link set v1 down
ip -n {A} neigh show
ip -n {A} addr del 10.0.0.1/24 dev v0
ip -n {A} neigh show
ip -n {A} route show table all
ip -n {A} neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
ip -n {A} link set v0 down
ip -n {A} neigh show
ip -n {A} neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
ip -n {A} neigh show
`,
  },
]);
