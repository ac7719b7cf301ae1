// diff: differential tests against GNU diff (normal and unified formats, options, exit codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diff } from './diff.ts';
import { differential, IPTABLES_NAT_L, runEmu, type NamedCase } from './testing.ts';

const before = IPTABLES_NAT_L;
const after = before
  .replace('DNAT       tcp  --  anywhere             anywhere             /* default/web:http */ tcp to:10.102.117.8:1234\n', 'DNAT       tcp  --  anywhere             anywhere             /* default/web:http */ tcp to:10.102.117.9:1234\n')
  .replace('Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n\n', '')
  + 'Chain NEW (0 references)\ntarget     prot opt source               destination         \n';
const files = { 'before.txt': before, 'after.txt': after, same: before, empty: '', noeol: 'a\nb', eol: 'a\nb\n' };
const U = ['--label', 'a', '--label', 'b'];

const cases: NamedCase[] = [
  { what: 'identical files: no output, status 0', argv: ['diff', 'before.txt', 'same'], files },
  { what: 'normal format over iptables listings', argv: ['diff', 'before.txt', 'after.txt'], files },
  { what: 'unified format', argv: ['diff', '-u', ...U, 'before.txt', 'after.txt'], files },
  { what: 'unified with 1 line of context', argv: ['diff', '-U1', ...U, 'before.txt', 'after.txt'], files },
  { what: 'unified with no context', argv: ['diff', '-U', '0', ...U, 'before.txt', 'after.txt'], files },
  { what: 'brief reports a difference', argv: ['diff', '-q', 'before.txt', 'after.txt'], files },
  { what: 'brief is silent for identical files', argv: ['diff', '-q', 'before.txt', 'same'], files },
  { what: '-s reports identical files', argv: ['diff', '-s', 'before.txt', 'same'], files },
  { what: 'added lines against an empty file', argv: ['diff', 'empty', 'eol'], files },
  { what: 'deleted lines to an empty file', argv: ['diff', 'eol', 'empty'], files },
  { what: 'unified against an empty file', argv: ['diff', '-u', ...U, 'empty', 'eol'], files },
  { what: 'missing newline marker (normal)', argv: ['diff', 'noeol', 'eol'], files },
  { what: 'missing newline marker (unified)', argv: ['diff', '-u', ...U, 'eol', 'noeol'], files },
  { what: 'missing file is trouble (2)', argv: ['diff', 'before.txt', 'nope'], files, stderr: true },
  { what: 'stdin as -', argv: ['diff', '-', 'eol'], stdin: 'a\nc\n', files },
  { what: '-i ignores case', argv: ['diff', '-i', 'x', 'y'], files: { x: 'Chain\n', y: 'CHAIN\n' } },
  { what: '-w ignores all whitespace', argv: ['diff', '-w', 'x', 'y'], files: { x: 'a  b\n', y: 'a b \n' } },
  { what: '-b ignores changes in whitespace amount', argv: ['diff', '-b', 'x', 'y'], files: { x: 'a  b\nc\n', y: 'a b\nC\n' } },
  { what: 'duplicate line inserted: reported where GNU puts it', argv: ['diff', 'x', 'y'], files: { x: 'x\ny\n', y: 'x\nx\ny\n' } },
  { what: 'changed run slides down', argv: ['diff', 'x', 'y'], files: { x: 'a\nx\nx\nb\n', y: 'a\nx\nb\n' } },
  { what: 'change with context merges nearby hunks', argv: ['diff', '-u', ...U, 'x', 'y'], files: { x: '1\n2\n3\n4\n5\n6\n7\n8\n9\n', y: '1\nX\n3\n4\n5\n6\n7\nY\n9\n' } },
  { what: 'far apart changes make separate hunks', argv: ['diff', '-u', ...U, 'x', 'y'], files: { x: 'a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n', y: 'A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n' } },
];

// Pseudo-random small files: GNU's choice among equally short edit scripts must be reproduced.
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let t = 0; t < 40; t++) {
  const mk = () => Array.from({ length: Math.floor(rnd() * 25) }, () => 'abcdef'[Math.floor(rnd() * 6)]).join('\n') + (rnd() < 0.9 ? '\n' : '');
  const f = { x: mk(), y: mk() };
  cases.push({ what: `random edit script #${t} (normal)`, argv: ['diff', 'x', 'y'], files: f });
  cases.push({ what: `random edit script #${t} (unified)`, argv: ['diff', '-u', ...U, 'x', 'y'], files: f });
}

await differential('diff', diff, cases);

test('diff -u headers use the host clock when no --label is given', async () => {
  const r = await runEmu(diff, ['diff', '-u', 'x', 'y'], '', { x: 'a\n', y: 'b\n' });
  assert.equal(r.status, 1);
  assert.equal(r.stdout.split('\n')[0], '--- x\t1970-01-01 00:00:00.000000000 +0000');
  assert.equal(r.stdout.split('\n')[1], '+++ y\t1970-01-01 00:00:00.000000000 +0000');
});
