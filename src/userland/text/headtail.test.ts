// head and tail: differential tests against GNU coreutils.
import { head, tail } from './headtail.ts';
import { differential, type NamedCase } from './testing.ts';

const N = Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const files = { a: N, b: 'x\ny\n', noeol: 'p\nq' };

await differential('head', head, [
  { what: 'first 10 lines by default', argv: ['head'], stdin: N },
  { what: '-n 3', argv: ['head', '-n', '3'], stdin: N },
  { what: '-3 (obsolete form)', argv: ['head', '-3'], stdin: N },
  { what: 'all but the last 12 lines', argv: ['head', '-n', '-12'], stdin: N },
  { what: 'bytes', argv: ['head', '-c', '7'], stdin: N },
  { what: 'all but the last bytes', argv: ['head', '-c', '-80'], stdin: N },
  { what: 'headers for several files', argv: ['head', '-n1', 'a', 'b'], files },
  { what: '-q drops headers', argv: ['head', '-qn1', 'a', 'b'], files },
  { what: 'missing newline kept', argv: ['head', 'noeol'], files },
  { what: 'missing file exits 1', argv: ['head', 'nope', 'b'], files },
] satisfies NamedCase[]);

await differential('tail', tail, [
  { what: 'last 10 lines by default', argv: ['tail'], stdin: N },
  { what: '-n 2', argv: ['tail', '-n', '2'], stdin: N },
  { what: '-n +14 from line 14', argv: ['tail', '-n', '+14'], stdin: N },
  { what: '-2 (obsolete form)', argv: ['tail', '-2'], stdin: N },
  { what: 'bytes', argv: ['tail', '-c', '5'], stdin: N },
  { what: 'bytes from offset', argv: ['tail', '-c', '+120'], stdin: N },
  { what: 'headers for several files', argv: ['tail', '-n1', 'a', 'b'], files },
  { what: 'missing newline kept', argv: ['tail', '-n1', 'noeol'], files },
  { what: 'zero lines', argv: ['tail', '-n0'], stdin: N },
] satisfies NamedCase[]);
