// wc: differential tests against GNU wc (counts and GNU's column widths).
import { wc } from './wc.ts';
import { differential, IPTABLES_NAT_L, type NamedCase } from './testing.ts';

const L = IPTABLES_NAT_L;
const files = { 'nat.txt': L, small: 'a b\nc\n', noeol: 'x y' };

await differential('wc', wc, [
  { what: 'line count of stdin has no padding', argv: ['wc', '-l'], stdin: L },
  { what: 'default counts of stdin are 7 wide', argv: ['wc'], stdin: L },
  { what: 'words', argv: ['wc', '-w'], stdin: L },
  { what: 'bytes', argv: ['wc', '-c'], stdin: L },
  { what: 'chars', argv: ['wc', '-m'], stdin: L },
  { what: 'max line length', argv: ['wc', '-L'], stdin: L },
  { what: 'one file, default counts: width from file size', argv: ['wc', 'nat.txt'], files },
  { what: 'one file, one count', argv: ['wc', '-l', 'nat.txt'], files },
  { what: 'several files with total', argv: ['wc', 'nat.txt', 'small'], files },
  { what: 'several files, lines only', argv: ['wc', '-l', 'nat.txt', 'small'], files },
  { what: 'file plus stdin', argv: ['wc', '-l', 'small', '-'], stdin: 'q\n', files },
  { what: 'no trailing newline', argv: ['wc', 'noeol'], files },
  { what: 'empty input', argv: ['wc'], stdin: '' },
  { what: 'lines and words', argv: ['wc', '-lw'], stdin: 'a b\n c\n' },
  { what: 'missing file: status 1 and the others counted', argv: ['wc', '-l', 'small', 'nope'], files },
] satisfies NamedCase[]);
