// Words: quoting, field splitting on $IFS, pathname globbing, brace expansion, here-documents,
// here-strings and `read`, each compared with the real `bash -c` over the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemFs } from '../../host/sim/fs.ts';
import { expandPathname } from './glob.ts';
import { matchPattern, removePrefix, removeSuffix, replacePattern } from './pattern.ts';
import { assertLikeBash, noBash, sh } from './testing.ts';

const FILES = { 'a.txt': 'hello\nworld\n', 'b.log': 'x\n', 'B.txt': 'B\n', '_x.txt': '', 'sub/c.txt': 'c\n', 'sub/d/e.txt': 'e\n', '.hidden': 'h\n', 'a-b/f': '', 'a/g': '' };

const cases: [string, string][] = [
  ['unquoted expansions split, quoted ones do not', 'x="a  b   c"; printf "[%s]" $x "$x"; echo'],
  ['"$@" and $* ', 'set -- "a b" c; printf "[%s]" "$@" $@ "$*" $*; echo'],
  ['"$@" with no parameters is no word', 'set --; printf "[%s]" "$@" x; echo; for a in "$@"; do echo no; done'],
  ['IFS with a non-blank separator', 'IFS=,; x="a,,b,"; set -- $x; echo $#; printf "[%s]" "$@"; echo'],
  ['IFS with blanks and commas', 'IFS=" ,"; x="a , , b"; set -- $x; echo $#; printf "[%s]" "$@"; echo'],
  ['single, double and ANSI-C quotes', `echo 'single "q"' "double 'q'" $'ansi\\tq'`],
  ['tilde', 'echo ~ ~/x ~root "~" | sed "s|$HOME|HOME|g"'],
  ['a quoted star in a variable', 'x="*.txt"; echo $x "$x"'],
  ['globs in the cwd', 'echo * .* sub/*'],
  ['globs that match nothing stay as written', 'echo nomatch* "quoted*" \\* sub/*.none'],
  ['bracket expressions and ?', 'echo [ab].txt ?.log sub/[!x]* [[:upper:]]*'],
  ['sorted bytewise (C locale)', 'echo a* _* B* */[fg]'],
  ['directories only with a trailing slash', 'echo */ sub/*/'],
  ['globs in arguments of a function', 'f() { for f in "$@"; do echo "[$f]"; done; }; f *.txt "a b"'],
  ['hidden files need a leading dot', 'echo .??* .h*'],
  ['set -f and nullglob', 'set -f; echo *.txt; set +f; echo *.log; shopt -s nullglob; echo x*.none y'],
  ['brace expansion', 'echo {a,b}{1,2} x{,.bak} {1..5} {a..e} {5..1} {1..10..3} {01..03} a{b{c,d},e}f "{a,b}" {a} {1..x}'],
  ['brace expansion with variables', 'x=1; echo {$x,2} ${x}{a,b}; printf "%s\\n" dir{1,2}/{a,b}'],
  ['here-document with expansions', 'cat <<EOF\nline $HOME $((1+1))\n  indented \\$x\nEOF'],
  ['quoted here-document', "cat <<'EOF'\nno $expansion `here`\nEOF"],
  ['here-document with tabs stripped', 'cat <<-EOF\n\ttab stripped\n\t\ttwo\n\tEOF'],
  ['here-document in a pipeline', 'cat <<EOF | tr a-z A-Z\nhello\nEOF'],
  ['two here-documents on one line', 'cat <<A; cat <<B\none\nA\ntwo\nB'],
  ['here-document in a command substitution', 'x=$(cat <<EOF\nin sub\nEOF\n); echo "$x"'],
  ['here-document feeding a loop', 'while read -r a b; do echo "$b-$a"; done <<EOF\n1 2\n3 4 5\nEOF'],
  ['here-document cut short by the end', 'cat <<EOF\na'],
  ['here-strings', 'grep -c o <<< "foo bar boo"; read a b <<< "one two three"; echo "$a|$b"'],
  ['read with IFS', 'IFS=: read x y z <<< "1:2:3:4"; echo $x $y $z'],
  ['read -r keeps backslashes', "printf 'x\\\\ny\\n' | { read v; echo \"$v\"; read -r w; echo \"$w\"; }"],
  ['reads share their input', '{ read a; read b; } < a.txt; echo "$b $a"; cat a.txt | { read x; cat; }'],
  ['read in a pipeline does not change the shell', 'echo one | read v; echo "[$v]"'],
  ['read at the end of input', 'read v < empty; echo $? "[$v]"; printf "no newline" | { read v; echo $? "$v"; }'],
  ['comments and line continuations', 'echo a # comment\necho b \\\n  c # more\n# whole line\necho "#not" a#b'],
  ['redirections', 'echo x >&2 2>/dev/null; echo y 2>&1 >/dev/null; echo a > f1; echo b >> f1; cat f1; cat < f1 | wc -l'],
  ['|& pipes stderr too', 'cat nope |& sed "s/^/E: /"'],
  ['exec redirections last for the rest of the shell', 'exec >log.txt; echo one; echo two >&2; f() { echo three; }; f; exec >&2; cat log.txt'],
  ['exec 2>&1 and exec < file', 'exec 2>&1; cat nope | sed "s/^/E:/"; exec < a.txt; read x; echo "got $x"; cat'],
  ['exec redirections in a subshell or a pipeline stay there', '(exec >sub.txt; echo in-sub); echo out; cat sub.txt; echo x | { exec >h.txt; echo piped; }; cat h.txt'],
];

for (const [what, script] of cases) {
  test(`${what} (same as bash -c ${JSON.stringify(script)})`, { skip: noBash }, async () => {
    await assertLikeBash({ what, script, files: FILES, stderr: true });
  });
}

test('patterns: classes, negation, escapes', () => {
  assert.ok(matchPattern('[[:digit:]]*', '1abc'));
  assert.ok(matchPattern('[!a]?', 'bc'));
  assert.ok(!matchPattern('\\*', 'x'));
  assert.ok(matchPattern('a[]]b', 'a]b'));
  assert.ok(matchPattern('[a-c]', 'b'));
  assert.ok(matchPattern('*', 'multi\nline'));
  assert.equal(removePrefix('a/b/c', '*/', false), 'b/c');
  assert.equal(removePrefix('a/b/c', '*/', true), 'c');
  assert.equal(removeSuffix('a.b.c', '.*', false), 'a.b');
  assert.equal(removeSuffix('a.b.c', '.*', true), 'a');
  assert.equal(replacePattern('aXbXc', 'X', '-', '//'), 'a-b-c');
  assert.equal(replacePattern('abc', 'a', 'z', '/%'), 'abc');
});

test('globbing walks directories level by level', () => {
  const fs = new MemFs({ '/r/x/1.txt': '', '/r/y/2.txt': '', '/r/y/3.log': '', '/r/z': '' });
  assert.deepEqual(expandPathname('*/*.txt', '/r', fs), ['x/1.txt', 'y/2.txt']);
  assert.deepEqual(expandPathname('/r/*/', '/', fs), ['/r/x/', '/r/y/']);
  assert.deepEqual(expandPathname('\\*', '/r', fs), []);
  assert.deepEqual(expandPathname('y/[23].*', '/r', fs), ['y/2.txt', 'y/3.log']);
});

test('the script stdin is shared by the commands that read it', async () => {
  const r = await sh('read first; cat', { stdin: 'one\ntwo\nthree\n' });
  assert.equal(r.stdout, 'two\nthree\n');
});

test('a here-document body keeps its line numbers for messages', async () => {
  const r = await sh('cat <<EOF\na\n$(nope)\nEOF');
  assert.equal(r.stderr, 'bash: line 3: nope: command not found\n');
});
