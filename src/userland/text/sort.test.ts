// sort: differential tests against GNU sort in the C locale (keys, numeric, unique, stability).
import { sort } from './sort.ts';
import { differential, IPTABLES_NVL, IPTABLES_NAT_L, type NamedCase } from './testing.ts';

const V = IPTABLES_NVL.split('\n').filter((l) => /^ +\d/.test(l)).join('\n') + '\n';
const L = IPTABLES_NAT_L;
const MIX = 'b\na\nB\n10\n9\n-1\n 2\na\n\nA b\na B\n1.5\n1e3\n';

await differential('sort', sort, [
  { what: 'plain byte order (C locale)', argv: ['sort'], stdin: MIX },
  { what: 'reverse', argv: ['sort', '-r'], stdin: MIX },
  { what: 'numeric', argv: ['sort', '-n'], stdin: MIX },
  { what: 'numeric reverse', argv: ['sort', '-rn'], stdin: MIX },
  { what: 'unique', argv: ['sort', '-u'], stdin: MIX },
  { what: 'fold case', argv: ['sort', '-f'], stdin: MIX },
  { what: 'fold case unique keeps the first', argv: ['sort', '-fu'], stdin: MIX },
  { what: 'packet counters by first field numerically', argv: ['sort', '-k1,1n'], stdin: V },
  { what: 'packet counters descending', argv: ['sort', '-k1,1nr'], stdin: V },
  { what: 'by target field', argv: ['sort', '-k3,3'], stdin: V },
  { what: 'by target then packets', argv: ['sort', '-k3,3', '-k1,1n'], stdin: V },
  { what: 'key without end runs to the end of line', argv: ['sort', '-k2'], stdin: L },
  { what: 'key with leading blanks counts them (no -b)', argv: ['sort', '-k2,2'], stdin: ' b x\na  a\nc c\n' },
  { what: '-b skips leading blanks', argv: ['sort', '-b', '-k2,2'], stdin: ' b x\na  a\nc c\n' },
  { what: 'key option b', argv: ['sort', '-k2b,2'], stdin: ' b x\na  a\nc c\n' },
  { what: 'field separator', argv: ['sort', '-t', ':', '-k2,2n'], stdin: 'a:10\nb:9\nc:100\n' },
  { what: 'character positions in keys', argv: ['sort', '-k1.2,1.3'], stdin: 'xcb\nyab\nzaa\n' },
  { what: 'last-resort comparison on equal keys', argv: ['sort', '-k2,2'], stdin: 'z 1\na 1\nm 0\n' },
  { what: 'stable keeps input order on equal keys', argv: ['sort', '-s', '-k2,2'], stdin: 'z 1\na 1\nm 0\n' },
  { what: 'unique by key', argv: ['sort', '-u', '-k2,2'], stdin: 'z 1\na 1\nm 0\n' },
  { what: 'global reverse applies to the last resort', argv: ['sort', '-r', '-k2,2'], stdin: 'z 1\na 1\nm 0\n' },
  { what: 'key reverse does not apply to the last resort', argv: ['sort', '-k2,2r'], stdin: 'z 1\na 1\nm 0\n' },
  { what: 'human numeric', argv: ['sort', '-h'], stdin: '612K\n52200\n1M\n720\n598K\n' },
  { what: 'general numeric', argv: ['sort', '-g'], stdin: '1e3\n10\nabc\n-5\n0.5\n' },
  { what: 'version sort', argv: ['sort', '-V'], stdin: 'v1.10\nv1.9\nv1.2\n' },
  { what: 'numeric with negative and decimals', argv: ['sort', '-n'], stdin: '-1.5\n-1\n0\n.5\n-0\n2\n' },
  { what: 'files and missing newline', argv: ['sort', 'f', 'g'], files: { f: 'b\na', g: 'c\n' } },
  { what: 'check mode: sorted', argv: ['sort', '-c'], stdin: 'a\nb\n' },
  { what: 'check mode: disorder exits 1', argv: ['sort', '-c'], stdin: 'b\na\n', stderr: true },
  { what: 'missing file exits 2', argv: ['sort', 'nope'] },
  { what: 'dictionary order', argv: ['sort', '-d'], stdin: 'a-c\nab\n_b\n' },
  { what: 'IP addresses by octets', argv: ['sort', '-t.', '-k1,1n', '-k2,2n', '-k3,3n', '-k4,4n'], stdin: '10.96.0.10\n10.1.2.3\n172.17.0.3\n10.96.0.9\n' },
] satisfies NamedCase[]);
