import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseDuration, parseFlags, type FlagSpec } from './flags.ts';

const SPECS: FlagSpec[] = [
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'stdin', short: 'i', kind: 'bool' },
  { name: 'tty', short: 't', kind: 'bool' },
  { name: 'container', short: 'c', kind: 'string' },
  { name: 'replicas', kind: 'int' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'env', kind: 'array' },
  { name: 'dry-run', kind: 'string', noOptDefault: 'unchanged' },
];

test('flags and arguments interleave, and -- ends the flags and is remembered', () => {
  const p = parseFlags(['pod', '-n', 'ns', '--replicas=3', 'x', '--', '-n', 'ls'], SPECS);
  assert.deepEqual(p.args, ['pod', 'x', '-n', 'ls']);
  assert.equal(p.dashAt, 2);
  assert.equal(p.flags.get('namespace'), 'ns');
  assert.equal(p.flags.get('replicas'), 3);
});

test('grouped shorthands: -it sets both booleans, -cweb and -c=web give the value', () => {
  assert.deepEqual([...parseFlags(['-it'], SPECS).flags], [['stdin', true], ['tty', true]]);
  assert.equal(parseFlags(['-cweb'], SPECS).flags.get('container'), 'web');
  assert.equal(parseFlags(['-c=web'], SPECS).flags.get('container'), 'web');
  assert.equal(parseFlags(['-itc', 'web'], SPECS).flags.get('container'), 'web');
});

test('string slices split on commas and accumulate; string arrays keep each value whole', () => {
  const p = parseFlags(['-f', 'a.yaml,b.yaml', '-f', 'c.yaml', '--env', 'A=1,2', '--env', 'B=3'], SPECS);
  assert.deepEqual(p.flags.get('filename'), ['a.yaml', 'b.yaml', 'c.yaml']);
  assert.deepEqual(p.flags.get('env'), ['A=1,2', 'B=3']);
});

test('a flag with a default for no value takes it alone, and a value only with =', () => {
  assert.equal(parseFlags(['--dry-run', 'x'], SPECS).flags.get('dry-run'), 'unchanged');
  assert.equal(parseFlags(['--dry-run=client'], SPECS).flags.get('dry-run'), 'client');
});

test("pflag's error messages", () => {
  const err = (argv: string[]): string => {
    try {
      parseFlags(argv, SPECS);
    } catch (e) {
      assert.ok(e instanceof FlagError);
      return e.message;
    }
    return '';
  };
  assert.equal(err(['--foo']), 'unknown flag: --foo');
  assert.equal(err(['-x']), "unknown shorthand flag: 'x' in -x");
  assert.equal(err(['-ix']), "unknown shorthand flag: 'x' in -x");
  assert.equal(err(['--namespace']), 'flag needs an argument: --namespace');
  assert.equal(err(['-n']), "flag needs an argument: 'n' in -n");
  assert.equal(err(['--replicas', 'abc']), 'invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax');
  assert.equal(err(['-i=maybe']), 'invalid argument "maybe" for "-i, --stdin" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  assert.equal(err(['---x']), 'bad flag syntax: ---x');
});

test("Go durations: 1m30s, 500ms, 2h, and junk is refused", () => {
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('5'), undefined);
  assert.equal(parseDuration('abc'), undefined);
});
