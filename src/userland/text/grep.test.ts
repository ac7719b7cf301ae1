// grep: differential tests against GNU grep over iptables listings, plus emulator-only checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grep, egrep, fgrep } from './grep.ts';
import { differential, IPTABLES_NAT_L, IPTABLES_NVL, runEmu, TRACE_LOG, type NamedCase } from './testing.ts';

const L = IPTABLES_NAT_L;
const V = IPTABLES_NVL;
const files = { 'nat.txt': L, 'filter.txt': V, trace: TRACE_LOG };

const cases: NamedCase[] = [
  { what: 'fixed IP address selects the rule lines', argv: ['grep', '10.102.117.8'], stdin: L },
  { what: 'ERE alternation with empty-line anchor (iptables -nvL | egrep)', argv: ['grep', '-E', 'Chain|pkts|^$|1234'], stdin: V },
  { what: 'BRE treats | literally', argv: ['grep', 'Chain|pkts'], stdin: V },
  { what: 'BRE \\| is alternation (GNU)', argv: ['grep', 'Chain\\|pkts'], stdin: V },
  { what: 'plus sign is literal in BRE', argv: ['grep', '+'], stdin: 'a+b\nab\n' },
  { what: 'escaped plus is one-or-more in BRE', argv: ['grep', 'x\\+y'], stdin: 'xy\nxxy\ny\n' },
  { what: 'plus is one-or-more in ERE', argv: ['grep', '-E', 'KUBE-SVC-[A-Z0-9]+ '], stdin: L },
  { what: 'invert match', argv: ['grep', '-v', 'KUBE'], stdin: L },
  { what: 'count of matching lines', argv: ['grep', '-c', 'Chain'], stdin: L },
  { what: 'count with invert', argv: ['grep', '-vc', 'Chain'], stdin: L },
  { what: 'line numbers', argv: ['grep', '-n', 'DNAT'], stdin: L },
  { what: 'case-insensitive', argv: ['grep', '-i', 'masquerade'], stdin: L },
  { what: 'word match does not match inside a longer word', argv: ['grep', '-w', 'KUBE-SERVICES'], stdin: L },
  { what: 'word match of an IP', argv: ['grep', '-w', '10.96.0.1'], stdin: L },
  { what: 'whole-line match', argv: ['grep', '-x', 'Chain INPUT (policy ACCEPT)'], stdin: L },
  { what: 'only-matching prints each match', argv: ['grep', '-oE', '[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+'], stdin: L },
  { what: 'only-matching with line numbers', argv: ['grep', '-noE', 'dpt:[a-z0-9]+'], stdin: L },
  { what: 'quiet success', argv: ['grep', '-q', 'DNAT'], stdin: L },
  { what: 'quiet failure', argv: ['grep', '-q', 'NOPE'], stdin: L },
  { what: 'no match exits 1', argv: ['grep', 'NOPE'], stdin: L },
  { what: 'multiple -e patterns', argv: ['grep', '-e', 'DNAT', '-e', 'MASQUERADE'], stdin: L },
  { what: 'bracket class [[:digit:]]', argv: ['grep', '-E', '^ +[[:digit:]]+ +[[:digit:]]+K'], stdin: V },
  { what: 'negated bracket', argv: ['grep', '^[^C ]'], stdin: L },
  { what: 'interval in BRE', argv: ['grep', '[0-9]\\{4\\}'], stdin: V },
  { what: 'interval in ERE', argv: ['grep', '-E', '[0-9]{4}'], stdin: V },
  { what: 'group and back-reference', argv: ['grep', '-E', '(to:)[0-9.]+:\\1?'], stdin: L },
  { what: 'BRE group back-reference', argv: ['grep', '\\(a\\)\\1'], stdin: 'aa\nab\n' },
  { what: 'star at start of BRE is literal', argv: ['grep', '*a'], stdin: '*a\na\n' },
  { what: 'ERE brace without interval is literal', argv: ['grep', '-E', 'a{b'], stdin: 'a{b\nab\n' },
  { what: 'dot matches any character', argv: ['grep', '10.96.0.1.'], stdin: L },
  { what: 'fixed strings treat dots literally', argv: ['grep', '-F', '127.0.0.0/8'], stdin: L },
  { what: 'fixed strings with brackets', argv: ['grep', '-F', '[x]'], stdin: 'a[x]\nx\n' },
  { what: 'word boundaries \\< \\>', argv: ['grep', '\\<tcp\\>'], stdin: L },
  { what: 'trailing context -A', argv: ['grep', '-A', '2', 'KUBE-SEP'], stdin: L },
  { what: 'leading context -B', argv: ['grep', '-B1', 'DNAT'], stdin: L },
  { what: 'context -C with group separators', argv: ['grep', '-C1', 'ACCEPT'], stdin: V },
  { what: 'max count', argv: ['grep', '-m2', 'KUBE'], stdin: L },
  { what: 'files get name prefixes', argv: ['grep', 'DROP', 'filter.txt', 'nat.txt'], files },
  { what: '-h suppresses names', argv: ['grep', '-h', 'DROP', 'filter.txt', 'nat.txt'], files },
  { what: '-H forces a name', argv: ['grep', '-H', 'DNAT', 'nat.txt'], files },
  { what: '-c per file', argv: ['grep', '-c', 'ACCEPT', 'filter.txt', 'nat.txt'], files },
  { what: '-l lists matching files', argv: ['grep', '-l', 'DNAT', 'filter.txt', 'nat.txt'], files },
  { what: '-L lists non-matching files', argv: ['grep', '-L', 'DNAT', 'filter.txt', 'nat.txt'], files },
  { what: 'missing file is an error (status 2) with GNU message', argv: ['grep', 'x', 'nope.txt'], files, stderr: true },
  { what: 'missing file with a match elsewhere still exits 2', argv: ['grep', 'DNAT', 'nat.txt', 'nope.txt'], files },
  { what: '-s silences missing-file messages', argv: ['grep', '-s', 'x', 'nope.txt'], files, stderr: true },
  { what: 'TRACE lines of a kernel log', argv: ['grep', 'TRACE', 'trace'], files },
  { what: 'unmatched ( in ERE is an error', argv: ['grep', '-E', '('], stdin: 'x\n', stderr: true },
  { what: 'unmatched [ is an error', argv: ['grep', '[a'], stdin: 'x\n', stderr: true },
  { what: 'bare [:space:] is an error', argv: ['grep', '[:space:]'], stdin: 'x\n', stderr: true },
  { what: 'empty pattern matches all lines', argv: ['grep', ''], stdin: 'a\n\nb\n' },
  { what: 'pattern with newline is two patterns', argv: ['grep', 'DNAT\nMARK '], stdin: L },
  { what: 'last line without newline is printed with one', argv: ['grep', 'b'], stdin: 'a\nb' },
  { what: 'options after operands (GNU permutation)', argv: ['grep', 'dnat', '-i'], stdin: L },
  { what: '-- ends options', argv: ['grep', '--', '-v'], stdin: 'a-v\nb\n' },
  { what: 'long options', argv: ['grep', '--count', '--ignore-case', 'kube'], stdin: L },
  { what: 'dollar anchor', argv: ['grep', 'ACCEPT)$'], stdin: L },
  { what: 'caret in the middle of a BRE is literal', argv: ['grep', 'a^b'], stdin: 'a^b\nab\n' },
  { what: 'escaped dots', argv: ['grep', '0\\.0\\.0\\.0/0 *10'], stdin: V },
  { what: '-w with -o', argv: ['grep', '-ow', 'tcp'], stdin: L },
  { what: '-x with -v', argv: ['grep', '-xv', ''], stdin: 'a\n\nb\n' },
  { what: 'space class', argv: ['grep', '-c', '[[:space:]]$'], stdin: L },
];

await differential('grep', grep, cases);

await differential('grep', egrep, [
  { what: 'egrep is grep -E', argv: ['egrep', 'Chain|pkts|^$|1234'], stdin: V },
]);
await differential('grep', fgrep, [{ what: 'fgrep is grep -F', argv: ['fgrep', 'a.c'], stdin: 'abc\na.c\n' }]);

test('grep reads patterns from a file with -f', async () => {
  const r = await runEmu(grep, ['grep', '-f', 'pats', 'nat.txt'], '', { pats: 'DNAT\nMARK \n', 'nat.txt': L });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^DNAT/m);
  assert.match(r.stdout, /^MARK/m);
});

test('grep with no pattern prints usage and exits 2', async () => {
  const r = await runEmu(grep, ['grep'], '');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Usage: grep/);
});

test('grep -o with alternation picks the longest branch like GNU (leftmost-longest)', { skip: 'known gap: JS regexes are leftmost-first, so grep -o prints KUBE where GNU prints KUBE-SVC' }, async () => {
  const r = await runEmu(grep, ['grep', '-oE', 'KUBE|KUBE-SVC'], 'KUBE-SVC-X\n');
  assert.equal(r.stdout, 'KUBE-SVC\n');
});
