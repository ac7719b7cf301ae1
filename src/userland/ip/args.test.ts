// iproute2's argument helpers: abbreviations, C number parsing, addresses and prefixes, and
// the complaints they print before exiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AF_INET, AF_INET6, AF_UNSPEC, Args, getAddr, getInteger, getPrefix1, getU8, getUnsigned, IpExit, matches, parseIPv6, parseLladdr, setErrSink, strtol } from './args.ts';

/** Runs `fn` with the error sink captured: what it printed and the exit status it threw, if any. */
function capture(fn: () => unknown): { err: string; exit?: number; value?: unknown } {
  let err = '';
  setErrSink((t) => (err += t));
  try {
    const value = fn();
    return { err, value };
  } catch (e) {
    if (e instanceof IpExit) return { err, exit: e.code };
    throw e;
  } finally {
    setErrSink(() => {});
  }
}

test('matches: a non-empty prefix of the keyword', () => {
  assert.ok(matches('a', 'address'));
  assert.ok(matches('addr', 'address'));
  assert.ok(!matches('', 'address'));
  assert.ok(!matches('addresses', 'address'));
  assert.ok(!matches('x', 'address'));
});

test('strtol and get_unsigned: base 0 takes hex and octal, the whole text must be a number', () => {
  assert.deepEqual(strtol('0x1f'), { value: 31, end: 4 });
  assert.deepEqual(strtol('017'), { value: 15, end: 3 });
  assert.deepEqual(strtol('12ab'), { value: 12, end: 2 });
  assert.deepEqual(strtol('zz'), { value: 0, end: 0 });
  assert.equal(getUnsigned('0x10'), 16);
  assert.equal(getUnsigned('10x'), undefined);
  assert.equal(getUnsigned('-1'), undefined);
  assert.equal(getUnsigned('4294967296'), undefined);
  assert.equal(getUnsigned(''), undefined);
  assert.equal(getInteger('-5'), -5);
  assert.equal(getU8('256'), undefined);
  assert.equal(getU8('255'), 255);
});

test('prefixes: /LEN or /dotted mask, default and any, too long', () => {
  assert.deepEqual([getPrefix1('10.1.0.0/16', AF_INET)?.v4, getPrefix1('10.1.0.0/16', AF_INET)?.bitlen], [0x0a010000, 16]);
  assert.equal(getPrefix1('10.1.0.0/255.255.0.0', AF_UNSPEC)?.bitlen, 16);
  assert.equal(getPrefix1('10.1.0.0/255.0.255.0', AF_UNSPEC), undefined);
  assert.equal(getPrefix1('10.1.0.0/33', AF_INET), undefined);
  assert.equal(getPrefix1('10.1.0.1', AF_INET)?.bitlen, 32);
  assert.equal(getPrefix1('default', AF_INET)?.bitlen, 0);
  assert.equal(getPrefix1('2001:db8::/32', AF_INET), undefined);
  assert.equal(getPrefix1('2001:db8::/32', AF_UNSPEC)?.family, AF_INET6);
  // get_addr_ipv4 fills the bytes it is given from the left: 10.1 is 10.1.0.0 (not inet_aton's 10.0.0.1).
  assert.equal(getPrefix1('10.1', AF_INET)?.v4, 0x0a010000);
});

test('getAddr prints the family it wanted and exits 1', () => {
  assert.deepEqual(capture(() => getAddr('x', AF_INET)), { err: 'Error: inet address is expected rather than "x".\n', exit: 1 });
  assert.deepEqual(capture(() => getAddr('x', AF_UNSPEC)), { err: 'Error: any valid address is expected rather than "x".\n', exit: 1 });
});

test('IPv6 text: compressed forms, embedded IPv4, and what is refused', () => {
  assert.deepEqual([...parseIPv6('::1')!], [...new Array(15).fill(0), 1]);
  assert.deepEqual([...parseIPv6('fe80::1:2')!.slice(0, 2)], [0xfe, 0x80]);
  assert.deepEqual([...parseIPv6('::ffff:10.0.0.1')!.slice(10)], [0xff, 0xff, 10, 0, 0, 1]);
  assert.equal(parseIPv6('1::2::3'), undefined);
  assert.equal(parseIPv6('12345::'), undefined);
  assert.equal(parseIPv6('1:2:3:4:5:6:7:8:9'), undefined);
});

test('link-layer addresses: each colon part read as hex, a bad part named alone', () => {
  assert.deepEqual(capture(() => parseLladdr('02:00:00:00:00:0a')).value, [2, 0, 0, 0, 0, 10]);
  assert.deepEqual(capture(() => parseLladdr('zz:00')), { err: '"zz" is invalid lladdr.\n', value: undefined });
  assert.deepEqual(capture(() => parseLladdr('10.0.0.1')).value, [10, 0, 0, 1]);
});

test('NEXT_ARG: running out of words is "Command line is not complete" and exit 255', () => {
  const a = new Args(['dev']);
  assert.deepEqual(capture(() => a.next()), { err: 'Command line is not complete. Try option "help"\n', exit: 255 });
});
