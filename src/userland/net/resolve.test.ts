import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIPv4 } from '../../kernel/addr.ts';
import { parseResolvConf, searchCandidates } from './resolve.ts';

const POD = 'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';

test("a pod's resolv.conf: the nameserver, the search list and ndots:5; glibc's timeout and attempts", () => {
  const c = parseResolvConf(POD);
  assert.deepEqual([c.nameservers.map(formatIPv4), c.search, c.ndots, c.timeoutMs, c.attempts], [['10.96.0.10'], ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], 5, 5000, 2]);
});

test('no nameserver means 127.0.0.1; the last search/domain line wins; options are clamped', () => {
  const c = parseResolvConf('search a b\ndomain c\noptions ndots:99 timeout:0 attempts:9\n');
  assert.deepEqual([c.nameservers.map(formatIPv4), c.search, c.ndots, c.timeoutMs, c.attempts], [['127.0.0.1'], ['c'], 15, 1000, 5]);
});

test('search expansion: fewer dots than ndots tries the search list first (echo-service -> echo-service.default.svc.cluster.local)', () => {
  const c = parseResolvConf(POD);
  assert.deepEqual(searchCandidates('echo-service', c), ['echo-service.default.svc.cluster.local', 'echo-service.svc.cluster.local', 'echo-service.cluster.local', 'echo-service']);
});

test('ndots: enough dots tries the name as is first; a trailing dot tries only the name', () => {
  assert.deepEqual(searchCandidates('a.b', { search: ['x'], ndots: 1 }), ['a.b', 'a.b.x']);
  assert.deepEqual(searchCandidates('kubernetes.default.svc.cluster.local', parseResolvConf(POD))[0], 'kubernetes.default.svc.cluster.local.default.svc.cluster.local');
  assert.deepEqual(searchCandidates('example.com.', parseResolvConf(POD)), ['example.com']);
});
