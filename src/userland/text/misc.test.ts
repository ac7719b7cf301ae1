// uniq, tr, seq, cat, printf: differential tests against GNU coreutils.
import { uniq } from './uniq.ts';
import { tr } from './tr.ts';
import { seq } from './seq.ts';
import { cat } from './cat.ts';
import { printf } from './printf.ts';
import { differential, IPTABLES_NAT_L, type NamedCase } from './testing.ts';

const R = 'a\na\nb\nB\nb\nc\nc\nc\n';

await differential('uniq', uniq, [
  { what: 'collapse adjacent duplicates', argv: ['uniq'], stdin: R },
  { what: 'counts', argv: ['uniq', '-c'], stdin: R },
  { what: 'only duplicated', argv: ['uniq', '-d'], stdin: R },
  { what: 'only unique', argv: ['uniq', '-u'], stdin: R },
  { what: 'ignore case', argv: ['uniq', '-ic'], stdin: R },
  { what: 'skip fields', argv: ['uniq', '-f1'], stdin: '1 a\n2 a\n3 b\n' },
  { what: 'skip chars and check chars', argv: ['uniq', '-s1', '-w1'], stdin: 'xa1\nya2\nzb3\n' },
] satisfies NamedCase[]);

await differential('tr', tr, [
  { what: 'translate ranges', argv: ['tr', 'a-z', 'A-Z'], stdin: 'Chain kube\n' },
  { what: 'classes', argv: ['tr', '[:lower:]', '[:upper:]'], stdin: 'Chain kube\n' },
  { what: 'delete', argv: ['tr', '-d', '0-9'], stdin: 'a1b22c\n' },
  { what: 'squeeze spaces', argv: ['tr', '-s', ' '], stdin: IPTABLES_NAT_L },
  { what: 'squeeze and translate', argv: ['tr', '-s', ' ', '\\t'], stdin: 'a   b  c\n' },
  { what: 'complement delete', argv: ['tr', '-cd', '0-9\\n'], stdin: 'pkts 4521 bytes 612K\n' },
  { what: 'short set2 is padded with its last char', argv: ['tr', 'abc', 'x'], stdin: 'aabbcc\n' },
  { what: 'escapes', argv: ['tr', '\\n', ','], stdin: 'a\nb\n' },
] satisfies NamedCase[]);

await differential('seq', seq, [
  { what: 'count to N', argv: ['seq', '5'] },
  { what: 'first and last', argv: ['seq', '3', '6'] },
  { what: 'increment', argv: ['seq', '1', '3', '10'] },
  { what: 'separator', argv: ['seq', '-s', ',', '4'] },
  { what: 'equal width', argv: ['seq', '-w', '8', '11'] },
  { what: 'descending', argv: ['seq', '5', '-2', '1'] },
] satisfies NamedCase[]);

await differential('cat', cat, [
  { what: 'stdin through', argv: ['cat'], stdin: 'a\nb' },
  { what: 'number lines', argv: ['cat', '-n'], stdin: 'a\n\nb\n' },
  { what: 'number non-blank', argv: ['cat', '-b'], stdin: 'a\n\nb\n' },
  { what: 'squeeze blank', argv: ['cat', '-s'], stdin: 'a\n\n\n\nb\n' },
  { what: 'show ends and tabs', argv: ['cat', '-A'], stdin: 'a\tb\n' },
  { what: 'files and stdin', argv: ['cat', 'f', '-', 'g'], stdin: 'in\n', files: { f: 'F\n', g: 'G\n' } },
  { what: 'missing file: status 1, others printed', argv: ['cat', 'f', 'nope'], files: { f: 'F\n' }, stderr: true },
] satisfies NamedCase[]);

await differential('printf', printf, [
  { what: 'strings and padding', argv: ['printf', '%-10s|%5s|\\n', 'ab', 'cd'] },
  { what: 'format reused for extra arguments', argv: ['printf', '%s=%d\\n', 'a', '1', 'b', '2'] },
  { what: 'hex and octal', argv: ['printf', '%x %X %o %#x\\n', '255', '255', '8', '16'] },
  { what: 'zero padding and precision', argv: ['printf', '%05d %.2f %8.3f\\n', '42', '3.14159', '2.5'] },
  { what: '%b expands escapes in arguments', argv: ['printf', '%b', 'a\\tb\\n'] },
  { what: 'percent literal', argv: ['printf', '100%%\\n'] },
] satisfies NamedCase[]);
