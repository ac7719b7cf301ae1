// Control flow, functions, test/[ ], [[ ]], arithmetic and parameter expansion: each script runs in
// podlab's shell and in the real `bash -c`, and stdout, stderr and the exit status must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from '../command.ts';
import { assertLikeBash, noBash, sh } from './testing.ts';

const FILES = { 'a.txt': 'hello\nworld\n', 'b.log': 'x\n', 'sub/c.txt': 'c\n', 'empty': '' };

const cases: [string, string][] = [
  ['if/elif/else', 'if false; then echo a; elif true; then echo b; else echo c; fi'],
  ['if over several lines', 'if [ -f a.txt ]; then\n  echo multi\n  echo line\nfi'],
  ['if with a negated condition', 'if ! grep -q zzz a.txt; then echo absent; fi'],
  ['a function as a condition', 'ls_() { return 1; }; if ls_; then echo t; else echo f; fi'],
  ['while with a test', 'x=3; while [ $x -gt 0 ]; do echo $x; x=$((x-1)); done'],
  ['until', 'x=0; until [ $x -ge 3 ]; do x=$((x+1)); done; echo $x'],
  ['while (( ))', 'i=0; while (( i < 3 )); do echo $i; (( i++ )); done'],
  ['for over words', 'for i in a b c; do echo $i; done'],
  ['for over a glob', 'for f in *.txt; do echo "file $f"; done'],
  ['for over a command substitution', 'for i in $(seq 3); do echo -n "$i "; done; echo'],
  ['C-style for', 'for ((i=0; i<3; i++)); do echo $i; done'],
  ['empty for list', 'for x in; do echo no; done; echo ok'],
  ['break and continue', 'for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done'],
  ['continue 2', 'for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done'],
  ['break N beyond the loops there are', 'for i in 1 2 3; do break 5; done; echo $i'],
  ['break out of while true', 'x=1; while true; do x=$((x+1)); [ $x -gt 5 ] && break; done; echo $x'],
  ['break outside a loop', 'break; echo $?'],
  ['continue outside a loop', 'continue; echo $?'],
  ['a loop redirected to a file', 'for x in 1 2 3; do echo $x; done > out.txt; cat out.txt'],
  ['a loop piped', 'for i in 1 2 3; do echo $i; done | sort -r'],
  ['while read over a file', 'while read line; do echo "got: $line"; done < a.txt'],
  ['while read in a pipeline', 'seq 3 | while read n; do echo "n=$n"; done'],
  ['counting lines with while read', 'n=0; while read l; do n=$((n+1)); done < a.txt; echo $n'],
  ['case with globs', 'case abc in a*) echo A;; b*) echo B;; esac'],
  ['case with | and ;&', 'case x in a|x) echo one;& b) echo two;; c) echo three;; esac'],
  ['case with ;;&', 'case y in y) echo 1;;& *) echo 2;; esac'],
  ['case with a quoted space and brackets', 'case "hello world" in *" "*) echo space;; *) echo none;; esac; case Z in [[:upper:]]) echo upper;; esac'],
  ['case over lines, (pattern) and no match', 'x=5\ncase $x in\n  (foo) echo foo ;;\n  [0-9]) echo digit ;;\n  *) echo other ;;\nesac\ncase q in a) ;; esac; echo $?'],
  ['groups and subshells', 'x=1; { x=2; }; (x=3); echo $x; (echo sub; exit 4); echo $?'],
  ['a group in a pipeline', '{ echo a; echo b; } | wc -l'],
  ['subshell keeps cd', '(cd sub; pwd | sed "s|.*/||"); pwd | sed "s|.*/||" | grep -c podlab'],
  ['&& and ||', 'true && echo yes || echo no; false && echo yes || echo no; echo a && { echo b; false; } || echo c'],
  ['! negation', '! true; echo $?; ! false; echo $?'],
  ['functions and positional parameters', 'f() { echo "args: $# $1 $2 $@"; return 3; }; f a "b c"; echo $?'],
  ['$@, $* and shift in a function', 'f() { echo $# "$@" "$*" $0; shift; echo "$1"; }; f a "b c" d'],
  ['return with and without a status', 'f() { return 5; }; f; echo $?; g() { false; return; }; g; echo $?'],
  ['return outside a function', 'return; echo $?'],
  ['function keyword forms', 'function g { echo g$1; }; g 1; function h() { echo h; }; h'],
  ['a function with a redirection', 'f() { echo in; } > out.txt; f; cat out.txt'],
  ['local variables are dynamic', 'f() { local x=1; g; echo $x; }; g() { x=2; }; x=0; f; echo $x'],
  ['recursion', 'f() {\n  local n=$1\n  if [ $n -le 1 ]; then echo 1; return; fi\n  echo $(( n * $(f $((n-1))) ))\n}\nf 5'],
  ['break in a function does not break the caller', 'f() { break; }; for i in 1 2; do f 2>/dev/null; echo $i; done'],
  ['set -- and shift', 'set -- x y z; echo $# $2; shift; echo $@; shift 5; echo $?'],
  ['set -e stops at a failure', 'set -e; echo a; false; echo b'],
  ['set -e spares conditions and && lists', 'set -e; if false; then :; fi; false && true; ! true; { false && true; }; echo yes'],
  ['set -e and a function', 'set -e; f() { false && true; }; f; echo no'],
  ['set -e and a failing assignment', 'set -e; x=$(false); echo no'],
  ['set -e and a subshell', 'set -e; (false); echo no'],
  ['set -o pipefail', 'false | true; echo $?; set -o pipefail; false | true; echo $?'],
  ['set -x', 'set -x; x=1; echo "a b" $x c\\"d; f() { echo in; }; f; y=$(echo q)'],
  ['set -u', 'set -u; echo ${nope:-fine}; echo $nope; echo after'],
  ['exit stops the script', 'echo a; exit 7; echo no'],
  ['exit with a bad argument', 'exit abc; echo after'],
  ['trap EXIT', "trap 'echo bye' EXIT; echo hi; exit 3"],
  ['eval', "eval 'echo a; echo $?'; eval \"x=5\"; echo $x"],
  ['test: strings and integers', '[ abc = abc ]; echo $?; [ 1 -lt 2 ]; echo $?; [ -z "" ]; echo $?; [ -n "" ]; echo $?; [ ! -f a.txt ]; echo $?'],
  ['test: -a, -o and parentheses', '[ 1 -eq 1 -a 2 -eq 3 ]; echo $?; [ 1 -eq 1 -o 2 -eq 3 ]; echo $?; test a != b; echo $?; [ \\( 1 -eq 1 \\) -a ! -z x ]; echo $?'],
  ['test: files', '[ -f a.txt ] && echo file; [ -d sub ] && echo dir; [ -e nope ] || echo none; [ -s b.log ] && echo nonempty; [ -s empty ] || echo empty; [ -x sub ]; echo $?'],
  ['test: by argument count', '[ "" ]; echo $?; [ -n ]; echo $?; [ ! ]; echo $?; [ = ]; echo $?; [ "a" "b" ]; echo $?'],
  ['test: integer forms and string order', '[ 01 -eq 1 ]; echo $?; [ " 2 " -gt 1 ]; echo $?; [ abc \\< abd ]; echo $?'],
  ['test: errors', '[ 1 -eq a ]; echo $?; [ -q x ]; echo $?; test 1 -gt; echo $?'],
  ['[ without ]', '[ a'],
  ['[[ ]]', '[[ abc == a* ]] && echo m1; [[ abc == "a*" ]] || echo m2; [[ -n $x ]] || echo empty; [[ 10 -gt 9 && b > a ]] && echo m3'],
  ['[[ =~ ]]', '[[ foo123 =~ ^foo[0-9]+$ ]] && echo re; [[ x.y =~ "." ]] && echo dot; [[ ab =~ ^(a|b)+$ ]] && echo alt'],
  ['arithmetic', 'echo $((1+2*3)) $((10/3)) $((10%3)) $((2**8)) $((1<2)) $((5>3 && 0)) $((x=5, x*2)) $((-7/2))'],
  ['arithmetic bases and bit operators', 'echo $(( 2#1010 )) $(( 0x10 )) $(( 010 )) $(( 1 << 4 )) $(( 7 & 3 )) $(( 7 ^ 2 )) $(( ~0 )) $(( !5 ))'],
  ['arithmetic assignment and let', 'x=10; (( x += 5, y = x * 2 )); echo $x $y; let z=x+y; echo $z'],
  ['?: does not evaluate the other branch', 'echo $(( 3 > 2 ? 10 : 20 )) $(( 0 ? 1/0 : 5 ))'],
  ['variables in arithmetic are expressions', 'y=7; x="y+1"; echo $((x * 2)) $((unset_var + 1))'],
  ['(( )) status', 'x=5; (( x > 3 )) && echo big; (( x++ )); echo $x; (( 0 )); echo $?'],
  ['division by zero', 'echo $(( 5 / 0 + 1 )); echo no'],
  ['arithmetic syntax errors', 'echo $((1 @ 2))'],
  ['(( )) errors are not fatal', '((1/0)); echo after $?'],
  ['a number too big for its base', 'echo $((09))'],
  ['defaults and alternatives', 'echo ${#HOME} ${UNSET:-def} ${UNSET-d2} x${UNSET:+alt}y; unset x; x=; echo "${x-unset}${x:-empty}" "${HOME+set}" "${NOPE+set}"'],
  ['assigning defaults and +=', 'a=1; a+=2; echo $a; echo ${u-unset} ${u:-e} ${u=set} $u'],
  ['pattern removal', 'v=hello.tar.gz; echo ${v%.gz} ${v%%.*} ${v#*.} ${v##*.}; p=/usr/local/bin/tool; echo ${p##*/} ${p%/*}'],
  ['replacement, case and substrings', 'x=hello; echo ${x^} ${x^^} ${x:1:3} ${x: -2} ${x/l/L} ${x//l/L} ${x:10}; y="A B"; echo "${y,,}" "${y,}"; p=/a/b; echo ${p//\\//:}'],
  ['patterns inside double quotes stay patterns', 'path=/a/b/c.tar.gz; echo "${path##*/}" "${path%/*}" "${path##*.}"; s="  padded  "; t="${s#"${s%%[![:space:]]*}"}"; t="${t%"${t##*[![:space:]]}"}"; echo "[$t]"'],
  ['assignments run left to right', 'x=1 y=$x; echo $y'],
  ['slices of $@', 'set -- a b c d; echo ${@:2} ${@:2:2} ${*: -1} ${#@}'],
  ['${x@Q}', "v='it'\\''s'; echo \"$v\" ${v@Q} ${v@U}"],
  ['${x:?}', 'echo ${x:?oops}; echo after'],
  ['a bad substitution', 'echo ${x!}; echo after'],
  ['command substitution status', 'a=$(false) b=$(true); echo $?; x=$(exit 3); echo $?; true; echo $? $(false) $?'],
  ['nested command substitution', 'echo "$(echo "nested $(echo deep)")"; echo `echo back \\`echo tick\\``; echo $(( $(echo 2) + 3 ))'],
  ['command substitution strips trailing newlines', "v=$(printf 'a\\n\\n\\n'); echo \"[$v]\"; echo \"$(echo a; echo b)\" | wc -l"],
  ['prefix assignments', 'x=1 y=2; echo $x$y; x=3 echo $x; IFS=: read a b <<< "1:2"; echo "$a $b [$IFS]"'],
  ['unset variables and functions', 'x=5; unset x; echo "[${x-unset}]"; f() { :; }; unset -f f; f; echo $?'],
  ['cd errors and cd -', 'cd /nonexistent; echo $?; cd sub && pwd | sed "s|.*/||"; cd - | sed "s|.*/||"'],
  ['getopts', 'while getopts "ab:c" o -a -b val -c rest; do echo "$o ${OPTARG-} $OPTIND"; done'],
  ['printf -v and declare', "printf -v v '%03d' 7; echo $v; declare x=1 y; echo $x; declare -p x"],
  ['type and command -v', 'type echo if; type -t cd; command -v echo; command -v nope; echo $?'],
  ['bash -c and bash -s', "bash -c 'echo $0 $1 $#' x y z; echo 'echo hi $1' | bash -s a"],
  ['an unknown command', 'foo; echo $?'],
  ['line numbers in messages', 'echo a\nfoo\necho $LINENO\necho $(\nbar)'],
];

for (const [what, script] of cases) {
  test(`${what} (same as bash -c ${JSON.stringify(script)})`, { skip: noBash }, async () => {
    await assertLikeBash({ what, script, files: FILES, stderr: true });
  });
}

test('a function nesting too deep fails instead of exhausting memory', async () => {
  const r = await sh('f() { f; }; f; echo $?');
  assert.equal(r.stdout, '1\n');
  assert.match(r.stderr, /f: maximum function nesting level exceeded/);
});

test('functions and set options persist between command lines of a session', async () => {
  const r = await sh('f() { echo hi $1; }; set -u');
  let out = '';
  let err = '';
  await (await import('./index.ts')).runShell('f there; echo $nope', { ...r.opts, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  assert.equal(out, 'hi there\n');
  assert.equal(err, 'bash: line 1: nope: unbound variable\n');
});

test('a script file runs as a new shell with its own $0 and arguments', async () => {
  const r = await sh('./s.sh a b; echo $?; bash s.sh c; source ./s.sh d', { files: { '/root/s.sh': '#!/bin/bash\necho "$0 $1 $#"\nexit 3\n' } });
  // A sourced file runs in this shell: $0 stays bash, and its exit ends the shell.
  assert.equal(r.stdout, './s.sh a 2\n3\ns.sh c 1\nbash d 1\n');
  assert.equal(r.status, 3);
});

test('a command that runs another (CommandContext.exec) reaches builtins in a child shell', async () => {
  const run: Command = (ctx) => ctx.exec!(ctx.argv.slice(1));
  const r = await sh('run echo hi; run cd /tmp; pwd; run bash -c "exit 4"; echo $?; run nope; echo $?', { commands: { run } });
  assert.equal(r.stdout, 'hi\n/root\n4\n127\n');
});
