/**
 * The topology harness itself: which script lines it refuses (anything that could touch the
 * host's own namespaces) and what its normaliser maps (and what it must leave alone).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalise, parseScript, splitWords, UnsafeLine, type Topology, type Transcript } from '../support/topology.ts';

const refuses = (script: string, stdin?: string): void => assert.throws(() => parseScript(script, stdin), UnsafeLine, script);

describe('topology scripts', () => {
  it('accepts commands confined to the namespaces the script names', () => {
    const { lines, names, created } = parseScript(`
# a comment
ip netns add {A}
ip netns add {B}
ip -n {A} link add v0 type veth peer name v1 netns {B}
ip -netns {B} -d link show
ip netns exec {A} ip route get 10.0.0.1
ip netns exec {A} sysctl -w net.ipv4.ip_forward=1
ip -n {A} netns set {B} 7
ip netns list
ip netns del {B}
`);
    assert.equal(lines.length, 9);
    assert.deepEqual(names, ['A', 'B']);
    assert.deepEqual(created, ['A', 'B']);
  });

  it('refuses anything that would act on the root namespace or on namespaces it does not own', () => {
    refuses('ip link add v0 type veth');
    refuses('ip a');
    refuses('ip netns add real');
    refuses('ip netns del real');
    refuses('ip -all netns del');
    refuses('ip -all netns exec ip link');
    refuses('ip netns attach {A} 1');
    refuses('ip -n {A} link set v0 netns 1');
    refuses('ip -n {A} link set v0 netns real');
    refuses('ip -n {A} link add v0 type veth peer name v1 netns init');
    refuses('ip -n real link show');
    refuses('ip -batch /tmp/cmds');
    refuses('ip -batch -');
    refuses('sysctl -w net.ipv4.ip_forward=1');
    refuses('ip netns exec {A} rm -rf /');
    refuses('ip netns exec {A} sysctl -w kernel.pid_max=100');
    refuses('ip netns exec {A} ip link; ip link del eth0');
    refuses('ip -n {A} link show $(ip link)');
  });

  it('checks a batch on stdin line by line', () => {
    parseScript('ip netns add {A}\nip -n {A} -batch -', 'link add v0 type dummy\n# comment\naddr show\n');
    refuses('ip netns add {A}\nip -n {A} -batch -', 'link add v0 type dummy\nnetns del real\n');
  });

  it('splits words on blanks and quotes and refuses shell syntax', () => {
    assert.deepEqual(splitWords(`ip -n x link set v0 alias 'a b' "c"`), ['ip', '-n', 'x', 'link', 'set', 'v0', 'alias', 'a b', 'c']);
    assert.throws(() => splitWords('echo "$HOME"'), UnsafeLine);
    assert.throws(() => splitWords('a > b'), UnsafeLine);
  });
});

describe('normaliser', () => {
  const tr = (command: string, stdout: string): Transcript => ({ steps: [{ command, result: { stdout, stderr: '', status: 0 } }] });
  const out = (t: Topology, command: string, stdout: string): string => normalise(tr(command, stdout), t, ['A', 'B']).steps[0].result.stdout;
  const t: Topology = { name: 't', script: '' };

  it('maps MACs to first-seen tokens, the same MAC to the same token, padded or not', () => {
    const text = '    link/ether 2a:00:0b:0c:0d:0e brd ff:ff:ff:ff:ff:ff\n    link/ether 3a:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff\nbridge_id 8000.2a:0:b:c:d:e\n';
    assert.equal(out(t, 'ip -n {A} -d link', text), '    link/ether <mac1> brd ff:ff:ff:ff:ff:ff\n    link/ether <mac2> brd ff:ff:ff:ff:ff:ff\nbridge_id 8000.<mac1>\n');
  });

  it('keeps the all-zero, broadcast and STP group addresses, and everything with rawMacs', () => {
    const text = 'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 group_address 01:80:c2:00:00:00\n';
    assert.equal(out(t, 'ip -n {A} -d link', text), text);
    assert.equal(out({ ...t, rawMacs: true }, 'ip -n {A} link', 'link/ether 02:00:00:00:00:01\n'), 'link/ether 02:00:00:00:00:01\n');
  });

  it('writes an EUI-64 link-local address as the token of the MAC it comes from', () => {
    const text = 'link/ether 2a:00:0b:0c:0d:0e\ninet6 fe80::2800:bff:fe0c:d0e/64 scope link\ninet6 fe80::1/64 scope link\n';
    assert.equal(out(t, 'ip -n {A} addr', text), 'link/ether <mac1>\ninet6 fe80::eui64(<mac1>)/64 scope link\ninet6 fe80::1/64 scope link\n');
  });

  it('masks running timers but not stopped ones (the gc timer always)', () => {
    const text = 'hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 forward_delay_timer   12.34\n';
    assert.equal(out(t, 'ip -n {A} -d link', text), 'hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer <t> forward_delay_timer <t>\n');
  });

  it('sorts neighbours and keeps only the topology\'s namespaces in netns list, sorted', () => {
    assert.equal(out(t, 'ip -n {A} neigh', '10.0.0.3 dev v0 FAILED\n10.0.0.2 dev v0 FAILED\n'), '10.0.0.2 dev v0 FAILED\n10.0.0.3 dev v0 FAILED\n');
    assert.equal(out(t, 'ip -n {A} netns list', '{B} (id: 1)\nsomeone-else\n{A}\n'), '{A}\n{B} (id: 1)\n');
  });

  it('maps ifindexes only when asked', () => {
    const text = '7: v0@if9: <BROADCAST>\n9: v1@if7: <BROADCAST>\n';
    assert.equal(out(t, 'ip -n {A} link', text), text);
    assert.equal(out({ ...t, mapIfindex: true }, 'ip -n {A} link', text), '<if1>: v0@if<if2>: <BROADCAST>\n<if2>: v1@if<if1>: <BROADCAST>\n');
  });
});
