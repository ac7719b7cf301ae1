// Array variables (indexed and associative), compared with the real `bash -c`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeItems, encodeItems } from './arrays.ts';
import { assertLikeBash, noBash } from './testing.ts';

const cases: [string, string][] = [
  ['elements, count, "${a[@]}" and $a', 'a=(1 "2 3" 4); echo ${a[1]} ${#a[@]} "${a[@]}" $a; printf "[%s]" "${a[@]}"; echo; declare -p a'],
  ['sparse arrays, negative indices, unset of an element', 'a=(x y z); a[5]=w; echo ${!a[@]} ${a[-1]} ${#a[1]}; unset "a[1]"; echo ${a[@]} ${!a[*]}'],
  ['+=, arithmetic subscripts, slices and replacement', 'a=(); a+=(p q); a+=(r); echo ${a[*]} ${#a[@]}; i=1; echo ${a[i]} ${a[$i+1]} ${a[@]:1} ${a[@]/q/Q}'],
  ['associative arrays', 'declare -A m=([k1]=v1 [k2]="v 2"); m[k3]=v3; echo ${m[k2]} ${#m[@]}; for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done | sort'],
  ['local -a and read -a', 'f() { local -a arr=(1 2); echo ${arr[@]}; }; f; read -a parts <<< "x y z"; echo ${parts[2]} ${#parts[@]}'],
  ['elements in arithmetic; a scalar assignment sets element 0', 'a=(1 2 3); echo $(( a[1] + a[2] )); (( a[0]++ )); echo ${a[0]}; a=5; echo ${a[@]}'],
  ['a scalar read as an array', 'x=scalar; echo ${x[0]} ${x[@]} ${#x[@]}'],
  ['declare -p', 'a=(1 2); declare -p a; declare -A b; b[x]=1; declare -p b'],
  ['looping over indices', 'arr=(a b c); for i in "${!arr[@]}"; do echo "$i: ${arr[i]}"; done'],
  ['an empty array under set -u', 'set -u; a=(); echo "${a[@]}" ok; echo ${#a[@]}'],
  ['an array of a glob', 'files=(*.txt); echo "${#files[@]} ${files[0]}"'],
  ['case changes and "${a[*]}" with IFS', 'a=(one two three); echo "${a[@]^}" "${a[*]}"; IFS=,; echo "${a[*]}"'],
  ['keyed items', 'a=([2]=c [0]=a b); echo ${a[@]} ${!a[@]}'],
  ['a local array hides the global one', 'f() { local a=(l1 l2); echo ${a[1]}; }; a=(g1 g2); f; echo ${a[1]}'],
  ['unset of the whole array', 'a=(1 2 3); unset a; echo "[${a[@]}]" ${#a[@]}'],
  ['words split into an array', 's="a b c"; arr=($s); echo ${#arr[@]}; b=("${arr[@]}" z); echo ${b[@]} "${b[@]:0:1}"'],
];

for (const [what, script] of cases) {
  test(`${what} (same as bash -c ${JSON.stringify(script)})`, { skip: noBash }, async () => {
    await assertLikeBash({ what, script, files: { 'a.txt': '', 'b.txt': '' }, stderr: true });
  });
}

test('array items survive the trip to declaration builtins', () => {
  const items = [{ value: "it's" }, { key: 'k ]=', value: '' }, { value: 'a\nb' }];
  assert.deepEqual(decodeItems(encodeItems(items)), items);
});
