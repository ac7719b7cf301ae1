// addrconf as podlab models it: EUI-64 link-local addresses, inet_ntop's text, the fib6 dump
// order, and when devices get and lose their IPv6 configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRoute6, formatIPv6, linkLocalOf, type Route6 } from './inet6.ts';
import { SimHost } from '../host/sim/host.ts';
import type { Link } from './link.ts';

test('EUI-64: the universal/local bit flipped and ff:fe in the middle', () => {
  assert.equal(formatIPv6(linkLocalOf('3a:1b:2c:3d:4e:5f')), 'fe80::381b:2cff:fe3d:4e5f');
  assert.equal(formatIPv6(linkLocalOf('02:00:00:00:00:01')), 'fe80::ff:fe00:1');
});

test('inet_ntop: lowercase, the first longest zero run compressed, single zero groups kept', () => {
  const a = (...g: number[]): Uint8Array => Uint8Array.from(g.flatMap((x) => [x >> 8, x & 255]));
  assert.equal(formatIPv6(a(0, 0, 0, 0, 0, 0, 0, 1)), '::1');
  assert.equal(formatIPv6(a(0, 0, 0, 0, 0, 0, 0, 0)), '::');
  assert.equal(formatIPv6(a(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1)), '2001:db8:0:1::1');
  assert.equal(formatIPv6(a(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)), '2001:db8::1:0:0:1');
  assert.equal(formatIPv6(a(0xff02, 0, 0, 0, 0, 0, 0, 0xfb)), 'ff02::fb');
  assert.equal(formatIPv6(a(1, 0, 2, 0, 3, 0, 4, 0)), '1:0:2:0:3:0:4:0');
});

test('fib6 dump order: addresses ascend, a prefix after the prefixes inside it, then metric', () => {
  const dev = {} as Link;
  const r = (text: number[], plen: number, metric = 256, seq = 0): Route6 => ({ table: 254, type: 'unicast', dst: Uint8Array.from([...text, ...new Array(16 - text.length).fill(0)]), plen, dev, metric, seq });
  const routes = [r([0xff], 8), r([0xfe, 0x80], 64, 256, 1), r([0xfe, 0x80], 64, 100, 2), r([0x20, 0x01, 0x0d, 0xb8], 32), r([0x20, 0x01, 0x0d, 0xb8, 0, 1], 48)];
  const key = (x: Route6): string => `${formatIPv6(x.dst)}/${x.plen} ${x.metric}`;
  assert.deepEqual([...routes].sort(compareRoute6).map(key), ['2001:db8:1::/48 256', '2001:db8::/32 256', 'fe80::/64 100', 'fe80::/64 256', 'ff00::/8 256']);
});

test('a device gets its link-local address once up with carrier, keeps it without, loses it when down', () => {
  const host = new SimHost({ seed: 3 });
  const ns = host.sys.netns();
  const v0 = ns.createLink({ name: 'v0', kind: 'veth', peer: { name: 'v1' } });
  const v1 = ns.link('v1')!;
  const lls = (l: Link): string[] => ns.inet6.addresses(l).map((a) => `${formatIPv6(a.addr)}/${a.plen}`);
  ns.setUp(v0, true);
  // The peer is down: no carrier, so addrconf waits.
  assert.deepEqual(lls(v0), []);
  ns.setUp(v1, true);
  assert.deepEqual(lls(v0), [`${formatIPv6(linkLocalOf(v0.mac))}/64`]);
  ns.setUp(v1, false);
  assert.deepEqual(lls(v0), [`${formatIPv6(linkLocalOf(v0.mac))}/64`]);
  ns.setUp(v0, false);
  assert.deepEqual(lls(v0), []);
});
