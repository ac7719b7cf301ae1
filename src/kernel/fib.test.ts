// The FIB's table rules: where RTM_NEWROUTE's modes put a route, the dump order, which route a
// delete finds, and lookups across the merged local/main tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fib, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, RT_TABLE_MAIN, type Route } from './fib.ts';
import { KernelError } from './errno.ts';
import type { Link } from './link.ts';

const dev = { name: 'v0', adminUp: true } as unknown as Link;
const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

function route(p: Partial<Omit<Route, 'dst'>> & { dst: string | number; plen: number }): Omit<Route, 'seq'> {
  const { dst, ...rest } = p;
  return { table: RT_TABLE_MAIN, type: 'unicast', tos: 0, metric: 0, protocol: 3, scope: RT_SCOPE_UNIVERSE, dev, onlink: false, ...rest, dst: typeof dst === 'string' ? ip(dst) : dst };
}

const gateways = (f: Fib): (string | undefined)[] =>
  f.table(RT_TABLE_MAIN).map((r) => (r.gateway === undefined ? undefined : [r.gateway >>> 24, (r.gateway >>> 16) & 255, (r.gateway >>> 8) & 255, r.gateway & 255].join('.')));

test('dump order: ascending prefix, the longer first for one address, then TOS high to low, then metric', () => {
  const f = new Fib();
  f.insert(route({ dst: '10.0.0.0', plen: 8, gateway: ip('1.0.0.1') }), 'add');
  f.insert(route({ dst: '10.0.0.0', plen: 16, gateway: ip('1.0.0.2') }), 'add');
  f.insert(route({ dst: '9.0.0.0', plen: 8, gateway: ip('1.0.0.3') }), 'add');
  f.insert(route({ dst: '10.0.0.0', plen: 16, metric: 5, gateway: ip('1.0.0.4') }), 'add');
  f.insert(route({ dst: '10.0.0.0', plen: 16, tos: 8, gateway: ip('1.0.0.5') }), 'add');
  assert.deepEqual(gateways(f), ['1.0.0.3', '1.0.0.5', '1.0.0.2', '1.0.0.4', '1.0.0.1']);
});

test('add refuses a second route with the same key; append and prepend place it; an identical one is EEXIST', () => {
  const f = new Fib();
  f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.1') }), 'add');
  assert.throws(() => f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.2') }), 'add'), (e: unknown) => e instanceof KernelError && e.errno === 'EEXIST');
  f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.2') }), 'append');
  f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.3') }), 'prepend');
  assert.throws(() => f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.2') }), 'append'), (e: unknown) => e instanceof KernelError && e.errno === 'EEXIST');
  assert.deepEqual(gateways(f), ['1.0.0.3', '1.0.0.1', '1.0.0.2']);
});

test('replace swaps the first route of the key (or adds); change needs one to exist', () => {
  const f = new Fib();
  f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.1') }), 'replace');
  f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.2') }), 'append');
  f.insert(route({ dst: '10.9.0.0', plen: 16, gateway: ip('1.0.0.9') }), 'replace');
  assert.deepEqual(gateways(f), ['1.0.0.9', '1.0.0.2']);
  assert.throws(() => f.insert(route({ dst: '10.8.0.0', plen: 16, gateway: ip('1.0.0.1') }), 'change'), (e: unknown) => e instanceof KernelError && e.errno === 'ENOENT');
  // A different metric is a different key: replace adds.
  f.insert(route({ dst: '10.9.0.0', plen: 16, metric: 7, gateway: ip('1.0.0.7') }), 'replace');
  assert.deepEqual(gateways(f), ['1.0.0.9', '1.0.0.2', '1.0.0.7']);
});

test('delete finds the first route matching what was given; metric 0 and no protocol match any', () => {
  const f = new Fib();
  f.insert(route({ dst: '10.9.0.0', plen: 16, metric: 5, gateway: ip('1.0.0.1') }), 'add');
  f.insert(route({ dst: '10.9.0.0', plen: 16, metric: 9, gateway: ip('1.0.0.2') }), 'add');
  assert.equal(f.match({ table: RT_TABLE_MAIN, dst: ip('10.9.0.0'), plen: 16 })?.metric, 5);
  assert.equal(f.match({ table: RT_TABLE_MAIN, dst: ip('10.9.0.0'), plen: 16, gateway: ip('1.0.0.2') })?.metric, 9);
  assert.equal(f.match({ table: RT_TABLE_MAIN, dst: ip('10.9.0.0'), plen: 16, metric: 7 }), undefined);
  assert.equal(f.match({ table: 100, dst: ip('10.9.0.0'), plen: 16 }), undefined);
});

test('tables exist from their first route on; `table all` walks them by id & 255, newest first', () => {
  const f = new Fib();
  assert.ok(!f.hasTable(100));
  f.insert(route({ table: RT_TABLE_MAIN, dst: '10.0.0.0', plen: 8 }), 'add');
  f.insert(route({ table: 356, dst: '10.0.0.0', plen: 8 }), 'add');
  f.insert(route({ table: 100, dst: '10.0.0.0', plen: 8 }), 'add');
  f.insert(route({ table: RT_TABLE_LOCAL, type: 'local', scope: RT_SCOPE_HOST, dst: '10.0.0.1', plen: 32 }), 'add');
  assert.deepEqual(f.tableOrder(), [100, 356, RT_TABLE_MAIN, RT_TABLE_LOCAL]);
  f.remove(f.table(100)[0]);
  assert.ok(f.hasTable(100));
});

test('lookup: the longest prefix across local and main together, then the first usable route', () => {
  const f = new Fib();
  const down = { name: 'v1', adminUp: false } as unknown as Link;
  f.insert(route({ table: RT_TABLE_LOCAL, type: 'local', scope: RT_SCOPE_HOST, dst: '127.0.0.0', plen: 8 }), 'add');
  f.insert(route({ dst: '127.5.0.0', plen: 16, scope: RT_SCOPE_LINK }), 'add');
  f.insert(route({ dst: '10.0.0.0', plen: 24, dev: down, scope: RT_SCOPE_LINK }), 'add');
  f.insert(route({ dst: '10.0.0.0', plen: 8, gateway: ip('1.0.0.1') }), 'add');
  f.insert(route({ dst: '10.1.0.0', plen: 16, type: 'unreachable', dev: undefined }), 'add');
  assert.equal(f.lookup(ip('127.5.0.9'))?.route.type, 'unicast');
  assert.equal(f.lookup(ip('127.6.0.9'))?.route.type, 'local');
  // The /24's device is down: the /8 answers.
  assert.equal(f.lookup(ip('10.0.0.5'))?.nexthop, ip('1.0.0.1'));
  assert.equal(f.lookup(ip('10.1.2.3'))?.route.type, 'unreachable');
  assert.equal(f.lookup(ip('8.8.8.8')), undefined);
});
