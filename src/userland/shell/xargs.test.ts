// xargs (a builtin here, since it runs the shell's commands), compared with GNU xargs under bash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLikeBash, noBash, sh } from './testing.ts';

const cases: [string, string][] = [
  ['all items in one command', 'printf "a b\\nc\\n" | xargs echo X'],
  ['echo by default', 'echo a b c | xargs'],
  ['-n', 'echo a b c d e | xargs -n 2 echo X'],
  ['-I {}', 'printf "a\\nb c\\n" | xargs -I {} echo "<{}>" {}'],
  ['-I strips leading blanks and keeps inner ones', 'printf "  x  y\\n z\\n" | xargs -I% echo [%]'],
  ['-L', 'printf "1 2\\n3\\n" | xargs -L1 echo'],
  ['quotes and backslashes group items', 'echo "a \\"b c\\" \'d e\' f\\ g" | xargs -n1'],
  ['an unmatched quote', 'echo "a \'b" | xargs; echo $?'],
  ['-0', 'printf "a\\0b c\\0" | xargs -0 -n1 echo'],
  ['-d', 'printf "a,b" | xargs -d , -n1 echo'],
  ['no input runs the command once, -r not at all', 'true | xargs echo hi; true | xargs -r echo hi'],
  ['-t', 'echo a b | xargs -t echo'],
  ['a failing command gives 123', 'echo a | xargs false; echo $?'],
  ['an unknown command gives 127', 'echo a | xargs nope; echo $?'],
  ['a bad -n', 'echo a | xargs -n 0 echo; echo $?'],
  ['xargs feeding grep', 'printf "a.txt\\n" | xargs grep -c o'],
  ['xargs with a pipe after it', 'seq 5 | xargs -n2 | wc -l'],
];

for (const [what, script] of cases) {
  test(`xargs: ${what} (same as bash -c ${JSON.stringify(script)})`, { skip: noBash }, async () => {
    await assertLikeBash({ what, script, files: { 'a.txt': 'foo\nbar\n' }, stderr: true });
  });
}

test('commands run by xargs read nothing from its input', async () => {
  const r = await sh('printf "1\\n2\\n" | xargs -n1 cat');
  assert.equal(r.stderr, 'cat: 1: No such file or directory\ncat: 2: No such file or directory\n');
  assert.equal(r.status, 123);
});

test('xargs runs builtins such as kill', async () => {
  const r = await sh('sleep 10 & echo $! | xargs kill; wait $!; echo $?');
  assert.equal(r.stdout, '143\n');
});
