// column: differential tests against util-linux column (bsdextrautils) in table and fill modes.
import { column } from './column.ts';
import { differential, TRACE_LOG, type NamedCase } from './testing.ts';

const TRACE = TRACE_LOG.split('\n').filter((l) => l.includes('TRACE')).map((l) => l.replace(/IN=/, '"; IN=')).join('\n') + '\n';

await differential('column', column, [
  { what: 'table from whitespace-separated text', argv: ['column', '-t'], stdin: 'a b  c\n\nlonger x\n  lead y\n' },
  { what: 'explicit separator is not greedy', argv: ['column', '-t', '-s', ';'], stdin: 'a;;b\nccc;d;e\n' },
  { what: "TRACE lines split at ';' (column -t -s $';')", argv: ['column', '-t', '-s', ';'], stdin: TRACE },
  { what: 'leading and trailing separators give empty cells', argv: ['column', '-t', '-s', ';'], stdin: 'x;\n;y\n' },
  { what: 'output separator', argv: ['column', '-t', '-o', ' | '], stdin: 'a b\ncc d\n' },
  { what: 'several separator characters', argv: ['column', '-t', '-s', ',:'], stdin: 'a,b:c\nddd:e,f\n' },
  { what: 'keep empty lines', argv: ['column', '-t', '-L', '-s', ';'], stdin: 'a;b\n\nc;d\n' },
  { what: 'header names', argv: ['column', '-t', '-N', 'PKTS,TARGET'], stdin: '12 ACCEPT\n4521 KUBE-FIREWALL\n' },
  { what: 'right-aligned column', argv: ['column', '-t', '-R', '1'], stdin: '12 ACCEPT\n4521 KUBE-FIREWALL\n' },
  { what: 'hidden column', argv: ['column', '-t', '-H', '2'], stdin: 'a b c\nd e f\n' },
  { what: 'column limit', argv: ['column', '-t', '-l', '2'], stdin: 'a b c d\n' },
  { what: 'tabs separate by default', argv: ['column', '-t'], stdin: 'a\tb c\n' },
  { what: 'fill mode down columns', argv: ['column'], stdin: 'a\nbb\nccc\ndddddddddd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\n' },
  { what: 'fill mode across rows with a width', argv: ['column', '-x', '-c', '20'], stdin: 'a\nbb\nccc\nd\n' },
  { what: 'fill mode with one entry', argv: ['column'], stdin: '1 2 3\n' },
  { what: 'missing file exits 1', argv: ['column', '-t', 'nope'] },
  { what: 'file input', argv: ['column', '-t', 'f'], files: { f: 'k v\nkey value\n' } },
] satisfies NamedCase[]);
