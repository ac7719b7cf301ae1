/**
 * Kinds the oracle's kernel lacks (dummy and ipip answer "Error: Unknown device type." there):
 * podlab supports them, so their output is checked against what iproute2 6.1 documents and
 * prints on kernels that have them, in the sim only. Loading ipip gives every namespace the
 * fallback device tunl0 (index 2 in namespaces made afterwards), as on a calico IPIP node.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simTranscript } from '../support/topology.ts';

const expected = (lines: string[]): string => `${lines.join('\n')}\n`;

describe('kinds only podlab has here', () => {
  it('dummy: NOARP, no carrier of its own to lose (UNKNOWN), a bridge port, deletion', async () => {
    const out = await simTranscript({
      name: 'dummy',
      inspect: [],
      script: `
ip netns add {A}
ip -n {A} link add d0 type dummy
ip -n {A} link show d0
ip -n {A} link set d0 up
ip -n {A} addr add 10.0.0.1/24 dev d0
ip -n {A} addr show d0
ip -n {A} route
ip -n {A} link add d1 address 02:00:00:00:00:11 mtu 9000 type dummy
ip -n {A} link add br0 type bridge
ip -n {A} link set d1 master br0
ip -n {A} link set d1 up
ip -n {A} link set br0 up
ip -n {A} -br link
ip -n {A} link del d0
ip -n {A} link show d0
`,
    });
    assert.equal(
      out,
      expected([
        '$ ip netns add {A}',
        '$ ip -n {A} link add d0 type dummy',
        '$ ip -n {A} link show d0',
        '2: d0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ether <mac1> brd ff:ff:ff:ff:ff:ff',
        '$ ip -n {A} link set d0 up',
        '$ ip -n {A} addr add 10.0.0.1/24 dev d0',
        '$ ip -n {A} addr show d0',
        '2: d0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/ether <mac1> brd ff:ff:ff:ff:ff:ff',
        '    inet 10.0.0.1/24 scope global d0',
        '       valid_lft forever preferred_lft forever',
        '    inet6 fe80::eui64(<mac1>)/64 scope link ',
        '       valid_lft forever preferred_lft forever',
        '$ ip -n {A} route',
        '10.0.0.0/24 dev d0 proto kernel scope link src 10.0.0.1 ',
        '$ ip -n {A} link add d1 address 02:00:00:00:00:11 mtu 9000 type dummy',
        '$ ip -n {A} link add br0 type bridge',
        '$ ip -n {A} link set d1 master br0',
        '$ ip -n {A} link set d1 up',
        '$ ip -n {A} link set br0 up',
        '$ ip -n {A} -br link',
        'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> ',
        'd0               UNKNOWN        <mac1> <BROADCAST,NOARP,UP,LOWER_UP> ',
        'd1               UNKNOWN        <mac2> <BROADCAST,NOARP,UP,LOWER_UP> ',
        'br0              UP             <mac2> <BROADCAST,MULTICAST,UP,LOWER_UP> ',
        '$ ip -n {A} link del d0',
        '$ ip -n {A} link show d0',
        'Device "d0" does not exist.',
        '[1]',
      ]),
    );
  });

  it('ipip: tunl0 in every namespace once loaded, point-to-point with a remote, one tunnel per endpoints, -d', async () => {
    const out = await simTranscript({
      name: 'ipip',
      inspect: [],
      script: `
ip netns add {A}
ip -n {A} link add t0 type ipip remote 192.168.0.2 local 192.168.0.1
ip -n {A} link add t1 type ipip local 192.168.0.1 ttl 64
ip -n {A} link add t2 type ipip local 192.168.0.1
ip -n {A} link add t3 type ipip
ip -n {A} link show
ip -n {A} -d link show t1
ip -n {A} -d link show tunl0
ip -n {A} link set t0 up
ip -n {A} link show t0
ip netns add {B}
ip -n {B} link show
ip -n {A} link del tunl0
ip -n {A} link set tunl0 netns {B}
ip -n {A} -br link
`,
    });
    assert.equal(
      out,
      expected([
        '$ ip netns add {A}',
        '$ ip -n {A} link add t0 type ipip remote 192.168.0.2 local 192.168.0.1',
        '$ ip -n {A} link add t1 type ipip local 192.168.0.1 ttl 64',
        '$ ip -n {A} link add t2 type ipip local 192.168.0.1',
        'RTNETLINK answers: File exists',
        '[2]',
        '$ ip -n {A} link add t3 type ipip',
        'RTNETLINK answers: File exists',
        '[2]',
        '$ ip -n {A} link show',
        '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 0.0.0.0 brd 0.0.0.0',
        '3: t0@NONE: <POINTOPOINT,NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 192.168.0.1 peer 192.168.0.2',
        '4: t1@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 192.168.0.1 brd 0.0.0.0',
        '$ ip -n {A} -d link show t1',
        '4: t1@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 192.168.0.1 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65515 ',
        '    ipip any remote any local 192.168.0.1 ttl 64 pmtudisc addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 ',
        '$ ip -n {A} -d link show tunl0',
        '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65515 ',
        '    ipip any remote any local any ttl inherit nopmtudisc addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 ',
        '$ ip -n {A} link set t0 up',
        '$ ip -n {A} link show t0',
        '3: t0@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 192.168.0.1 peer 192.168.0.2',
        '$ ip netns add {B}',
        '$ ip -n {B} link show',
        '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 0.0.0.0 brd 0.0.0.0',
        '$ ip -n {A} link del tunl0',
        '$ ip -n {A} link set tunl0 netns {B}',
        'Error: The interface netns is immutable.',
        '[2]',
        '$ ip -n {A} -br link',
        'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> ',
        'tunl0@NONE       DOWN           0.0.0.0 <NOARP> ',
        't0@NONE          UNKNOWN        192.168.0.1 <POINTOPOINT,NOARP,UP,LOWER_UP> ',
        't1@NONE          DOWN           192.168.0.1 <NOARP> ',
      ]),
    );
  });
});
