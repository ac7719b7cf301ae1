// sed: differential tests against GNU sed (scripts, addresses, s/// flags, branching, -n/-E/-s/-i).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sed } from './sed.ts';
import { differential, IPTABLES_NAT_L, runEmu, TRACE_LOG, type NamedCase } from './testing.ts';

const L = IPTABLES_NAT_L;
const N = '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n';
const TRACE = TRACE_LOG.split('\n').filter((l) => l.includes('TRACE')).join('\n') + '\n';

const cases: NamedCase[] = [
  { what: 'substitute first occurrence', argv: ['sed', 's/IN=/"; IN=/'], stdin: TRACE },
  { what: 'ERE with an interval removes the MAC', argv: ['sed', '-E', 's/MAC=.{42}//'], stdin: TRACE },
  { what: 'global substitution', argv: ['sed', 's/ /_/g'], stdin: 'a b c\n' },
  { what: 'nth occurrence', argv: ['sed', 's/a/X/2'], stdin: 'aaaa\n' },
  { what: 'nth and following with g', argv: ['sed', 's/a/X/2g'], stdin: 'aaaa\n' },
  { what: 'empty matches follow GNU rules (b*)', argv: ['sed', 's/b*/X/g'], stdin: 'abc\n' },
  { what: 'empty matches everywhere (x*)', argv: ['sed', 's/x*/-/g'], stdin: 'abc\n' },
  { what: 'empty match as the 2nd occurrence', argv: ['sed', 's/l*/X/2'], stdin: 'hello\n' },
  { what: 'ampersand is the match', argv: ['sed', 's/[0-9]\\+/<&>/g'], stdin: 'a12b3\n' },
  { what: 'escaped ampersand is literal', argv: ['sed', 's/a/\\&/'], stdin: 'abc\n' },
  { what: 'back-references in BRE', argv: ['sed', 's/\\(.*\\)=\\(.*\\)/\\2=\\1/'], stdin: 'key=value\n' },
  { what: 'back-references in ERE', argv: ['sed', '-E', 's/(tcp|udp) dpt:([a-z]+)/\\2\\/\\1/'], stdin: L },
  { what: 'case-insensitive flag', argv: ['sed', 's/chain/CHAIN/I'], stdin: L },
  { what: 'p flag with -n prints only substituted lines', argv: ['sed', '-n', 's/DNAT/dnat/p'], stdin: L },
  { what: 'other delimiter', argv: ['sed', 's|/8|/16|'], stdin: L },
  { what: 'escaped delimiter in regex', argv: ['sed', 's/\\//|/g'], stdin: 'a/b/c\n' },
  { what: 'newline in replacement', argv: ['sed', 's/ /\\n/'], stdin: 'a b c\n' },
  { what: 'case conversion \\U \\E', argv: ['sed', 's/\\(chain\\) \\(.*\\)/\\U\\1\\E \\2/I'], stdin: 'chain input\n' },
  { what: 'case conversion \\u', argv: ['sed', 's/\\w\\+/\\u&/g'], stdin: 'hello big world\n' },
  { what: 'delete lines matching', argv: ['sed', '/^Chain/d'], stdin: L },
  { what: 'print a line number', argv: ['sed', '-n', '3p'], stdin: N },
  { what: 'last line address', argv: ['sed', '-n', '$p'], stdin: N },
  { what: 'line range', argv: ['sed', '-n', '2,4p'], stdin: N },
  { what: 'range to the end', argv: ['sed', '5,$d'], stdin: N },
  { what: 'regex range', argv: ['sed', '-n', '/KUBE-SEP/,/^$/p'], stdin: L },
  { what: 'range whose end is before its start selects one line', argv: ['sed', '-n', '5,2p'], stdin: N },
  { what: 'addr,+N', argv: ['sed', '-n', '/3/,+2p'], stdin: N },
  { what: 'addr,~N', argv: ['sed', '-n', '2,~4p'], stdin: N },
  { what: 'first~step', argv: ['sed', '-n', '1~3p'], stdin: N },
  { what: '0,/re/ can end on line 1', argv: ['sed', '0,/1/s//X/'], stdin: '1\n1\n' },
  { what: 'negated address', argv: ['sed', '/KUBE/!d'], stdin: L },
  { what: 'quit after a line', argv: ['sed', '3q'], stdin: N },
  { what: 'quit with exit code', argv: ['sed', '2q5'], stdin: N },
  { what: 'Q quits without printing', argv: ['sed', '3Q'], stdin: N },
  { what: 'semicolon-separated script', argv: ['sed', '-n', '/Chain/{s/ (.*//;p}'], stdin: L },
  { what: 'multiple -e', argv: ['sed', '-e', 's/a/b/', '-e', 's/b/c/'], stdin: 'a\n' },
  { what: '-E with + and groups', argv: ['sed', '-E', 's/([0-9]+)\\.([0-9]+)/\\2.\\1/g'], stdin: '10.96 and 1.2\n' },
  { what: '-r is -E', argv: ['sed', '-r', 's/a+/X/'], stdin: 'caaat\n' },
  { what: 'append, insert, change (one-liner GNU forms)', argv: ['sed', '2a after\n3i before\n4c changed'], stdin: N },
  { what: 'a\\ text form', argv: ['sed', '1a\\\nnew line'], stdin: 'x\ny\n' },
  { what: 'change on a range prints once', argv: ['sed', '2,4c\\\ngone'], stdin: N },
  { what: 'line number command', argv: ['sed', '-n', '/DNAT/='], stdin: L },
  { what: 'y transliterates', argv: ['sed', 'y/abc/xyz/'], stdin: 'aabbcc\n' },
  { what: 'N joins lines', argv: ['sed', 'N;s/\\n/ /'], stdin: N },
  { what: 'N at the last line prints and exits (GNU)', argv: ['sed', '$!N;s/\\n/+/'], stdin: '1\n2\n3\n' },
  { what: 'N;P;D sliding window', argv: ['sed', '$!N;P;D'], stdin: '1\n2\n3\n' },
  { what: 'join all lines with a loop', argv: ['sed', ':a;N;$!ba;s/\\n/,/g'], stdin: N },
  { what: 't branches after a substitution', argv: ['sed', ':a;s/^\\([0-9]*\\)\\([0-9]\\{3\\}\\)/\\1,\\2/;ta'], stdin: '1234567\n' },
  { what: 'hold space: reverse lines (tac)', argv: ['sed', '-n', '1!G;h;$p'], stdin: '1\n2\n3\n' },
  { what: 'x and g commands', argv: ['sed', 'x;$!d;g'], stdin: 'a\nb\n' },
  { what: 'missing final newline is preserved', argv: ['sed', 's/b/B/'], stdin: 'a\nb' },
  { what: 'p on a line without newline', argv: ['sed', 'p'], stdin: 'a' },
  { what: 'dot matches the embedded newline', argv: ['sed', 'N;s/a.b/X/'], stdin: 'a\nb\n' },
  { what: 'bracket class with alpha', argv: ['sed', 's/[[:alpha:]]*//'], stdin: 'abc123\n' },
  { what: 'empty regex reuses the last one', argv: ['sed', '/DNAT/s//dnat/'], stdin: L },
  { what: 'files are concatenated', argv: ['sed', '-n', '$=', 'a', 'b'], files: { a: '1\n2\n', b: '3\n' } },
  { what: '-s treats files separately', argv: ['sed', '-s', '-n', '$p', 'a', 'b'], files: { a: '1\n2\n', b: '3\n' } },
  { what: 'missing input file: status 2, others still processed', argv: ['sed', 'p', 'nope', 'a'], files: { a: 'x\n' }, stderr: true },
  { what: 'comment in script', argv: ['sed', '# comment\ns/a/b/'], stdin: 'a\n' },
  { what: 'l shows unprintables', argv: ['sed', '-n', 'l'], stdin: 'a\tb\\c\n' },
  { what: 'unknown command exits 1', argv: ['sed', 'k'], stdin: 'a\n' },
  { what: 'unterminated s exits 1', argv: ['sed', 's/a/b'], stdin: 'a\n' },
  { what: 'ERE alternation in address', argv: ['sed', '-En', '/DNAT|MASQ/p'], stdin: L },
  { what: 'I address flag', argv: ['sed', '-n', '/dnat/Ip'], stdin: L },
  { what: 'w /dev/stdout', argv: ['sed', '-n', '/DNAT/w /dev/stdout'], stdin: L },
  { what: 'cut-like column extraction', argv: ['sed', '-E', 's/^([^ ]+) +([^ ]+).*/\\2 \\1/'], stdin: L },
  { what: 'blocks with nested addresses', argv: ['sed', '-n', '/^Chain/{/KUBE/p}'], stdin: L },
  { what: 'anchored global substitution only at start', argv: ['sed', 's/^a/X/g'], stdin: 'aaa\n' },
  { what: 'tab escape in replacement', argv: ['sed', 's/ /\\t/'], stdin: 'a b\n' },
];

await differential('sed', sed, cases);

test('sed -i edits the file in place', async () => {
  const r = await runEmu(sed, ['sed', '-i', 's/a/b/', 'f'], '', { f: 'a\na\n' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.fs.read('/home/user/f'), 'b\nb\n');
});

test('sed w writes matching lines to a file', async () => {
  const r = await runEmu(sed, ['sed', '-n', '/x/w out'], 'x1\ny\nx2\n');
  assert.equal(r.fs.read('/home/user/out'), 'x1\nx2\n');
});
