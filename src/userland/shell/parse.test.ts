// The parser: the syntax tree for compound commands, and syntax errors worded as bash words them
// (`bash: syntax error near unexpected token `fi'`, status 2), stopping the script where bash would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from './parser.ts';
import { printAndOr } from './print.ts';
import { sh } from './testing.ts';

const errors: [string, string][] = [
  ['if true; fi', "syntax error near unexpected token `fi'"],
  ['echo a;; echo b', "syntax error near unexpected token `;;'"],
  ['while true; do echo; done done', "syntax error near unexpected token `done'"],
  ['{ }', "syntax error near unexpected token `}'"],
  ['( )', "syntax error near unexpected token `)'"],
  ['echo ( a )', "syntax error near unexpected token `a'"],
  ['f() echo hi', "syntax error near unexpected token `echo'"],
  ['echo a | | b', "syntax error near unexpected token `|'"],
  ['echo >', "syntax error near unexpected token `newline'"],
  ['if true; then\n  echo x', 'syntax error: unexpected end of file'],
  ['case x in a) echo;; b', 'syntax error: unexpected end of file'],
  ["echo 'abc", "unexpected EOF while looking for matching `''"],
  ['echo "abc', 'unexpected EOF while looking for matching `"\''],
  ['echo $(echo', "unexpected EOF while looking for matching `)'"],
  ['then', "syntax error near unexpected token `then'"],
];

for (const [script, message] of errors) {
  test(`syntax error: ${JSON.stringify(script)}`, async () => {
    const r = await sh(script);
    assert.equal(r.stderr, `bash: ${message}\n`);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
  });
}

test('lines before a syntax error run, as bash reads a script line by line', async () => {
  const r = await sh('echo first\necho second; fi\necho never');
  assert.equal(r.stdout, 'first\n');
  assert.equal(r.status, 2);
});

test('a loop spanning lines is one command', async () => {
  const r = await sh('for i in 1 2\ndo\n  echo $i\ndone\necho end');
  assert.equal(r.stdout, '1\n2\nend\n');
});

test('parser builds compound commands', () => {
  const [item] = parse('if a; then b; elif c; then d; else e; fi > out');
  const cmd = item.first.commands[0];
  assert.equal(cmd.type, 'if');
  assert.ok(cmd.type === 'if' && cmd.clauses.length === 2 && cmd.otherwise?.length === 1 && cmd.redirects[0].op === '>');
  const [c] = parse('case $x in a|b) x;; (c) y;& *) ;; esac');
  const cs = c.first.commands[0];
  assert.ok(cs.type === 'case' && cs.items.length === 3 && cs.items[0].patterns.length === 2 && cs.items[1].end === ';&');
  const [f] = parse('f() { echo; }');
  assert.equal(f.first.commands[0].type, 'function');
  const [bg, fg] = parse('sleep 1 & echo');
  assert.ok(bg.background && !fg.background);
});

test('reserved words are only reserved where a command starts', async () => {
  const r = await sh('echo if then fi done; x=fi; echo $x');
  assert.equal(r.stdout, 'if then fi done\nfi\n');
});

test('commands print back as bash shows them in jobs', () => {
  const show = (s: string) => printAndOr(parse(s)[0]);
  assert.equal(show('sleep 5   "a  b" \'c\'  $x >/dev/null 2>&1 <  /dev/null'), 'sleep 5 "a  b" \'c\' $x > /dev/null 2>&1 < /dev/null');
  assert.equal(show('{ sleep 5; sleep 6; }'), '{ sleep 5; sleep 6; }');
  assert.equal(show('(sleep 5)'), '( sleep 5 )');
  assert.equal(show('x=1 sleep 5|cat'), 'x=1 sleep 5 | cat');
  assert.equal(show('sleep 5 && sleep 4 || true'), 'sleep 5 && sleep 4 || true');
  assert.equal(show('while true; do sleep 1; done'), 'while true; do\n    sleep 1;\ndone');
  assert.equal(show('for i in a b; do sleep 1; done'), 'for i in a b;\ndo\n    sleep 1;\ndone');
  assert.equal(show('if true; then sleep 2; else sleep 3; fi'), 'if true; then\n    sleep 2;\nelse\n    sleep 3;\nfi');
  assert.equal(show('case x in a) sleep 3;; *) sleep 4;; esac'), 'case x in \n    a)\n        sleep 3\n    ;;\n    *)\n        sleep 4\n    ;;\nesac');
});
