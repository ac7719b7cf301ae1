// cut: differential tests against GNU cut (fields, characters, ranges, delimiters, errors).
import { cut } from './cut.ts';
import { differential, IPTABLES_NAT_L, TRACE_LOG, type NamedCase } from './testing.ts';

const L = IPTABLES_NAT_L;
const T = TRACE_LOG;
const CSV = 'a,b,c,d\n1,2,3,4\nno-delim\n,,\n';

await differential('cut', cut, [
  { what: 'characters up to 140 (cut -c -140)', argv: ['cut', '-c', '-140'], stdin: T },
  { what: 'character list and ranges', argv: ['cut', '-c', '1,3-5,10-'], stdin: L },
  { what: 'single character', argv: ['cut', '-c1'], stdin: L },
  { what: 'bytes', argv: ['cut', '-b', '2-4'], stdin: 'abcdef\n' },
  { what: 'fields with a delimiter', argv: ['cut', '-d', ',', '-f', '2'], stdin: CSV },
  { what: 'field ranges', argv: ['cut', '-d,', '-f1,3-'], stdin: CSV },
  { what: 'open-start field range', argv: ['cut', '-d,', '-f-2'], stdin: CSV },
  { what: 'lines without delimiter are printed whole', argv: ['cut', '-d,', '-f2'], stdin: CSV },
  { what: '-s drops lines without delimiter', argv: ['cut', '-s', '-d,', '-f2'], stdin: CSV },
  { what: 'space delimiter on iptables output', argv: ['cut', '-d', ' ', '-f', '1'], stdin: L },
  { what: 'tab is the default delimiter', argv: ['cut', '-f2'], stdin: 'a\tb\tc\nx y\n' },
  { what: 'complement of fields', argv: ['cut', '--complement', '-d,', '-f2'], stdin: CSV },
  { what: 'complement of characters', argv: ['cut', '--complement', '-c', '2-3'], stdin: 'abcdef\n' },
  { what: 'output delimiter for fields', argv: ['cut', '-d,', '-f1,3', '--output-delimiter=:'], stdin: CSV },
  { what: 'overlapping ranges are merged', argv: ['cut', '-c', '3-5,1-4'], stdin: 'abcdefgh\n' },
  { what: 'field past the end gives empty', argv: ['cut', '-d,', '-f9'], stdin: CSV },
  { what: 'line without trailing newline', argv: ['cut', '-c1-2'], stdin: 'abc' },
  { what: 'files', argv: ['cut', '-c1-5', 'f', 'g'], files: { f: 'hello world\n', g: 'goodbye\n' } },
  { what: 'missing file: status 1', argv: ['cut', '-c1', 'nope'], stderr: true },
  { what: 'no list is an error', argv: ['cut', 'f'], files: { f: 'x\n' } },
  { what: 'field numbers start at 1', argv: ['cut', '-f0'], stdin: 'x\n' },
  { what: 'decreasing range is an error', argv: ['cut', '-c5-2'], stdin: 'x\n' },
  { what: 'multi-character delimiter is an error', argv: ['cut', '-d', 'ab', '-f1'], stdin: 'x\n' },
  { what: 'empty fields are kept', argv: ['cut', '-d,', '-f2,3'], stdin: ',,\na,,b\n' },
] satisfies NamedCase[]);
