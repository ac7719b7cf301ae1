// The Go text/template subset: output as Go's template package gives it for the same template
// and data (maps print as map[k:v] sorted, missing keys as <no value>, structs fail loudly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJson, goSprintf, goStruct, GoTemplate, TemplateError } from './gotemplate.ts';

const run = (src: string, data: unknown): string => new GoTemplate(src).execute(data);

test('fields, maps, slices and missing keys print as Go prints them', () => {
  const data = { a: { b: 2, c: [1, 'x'] }, m: { z: 1, a: true } };
  assert.equal(run('{{.a.b}} {{.a.c}} {{.m}} {{.nope}}', data), '2 [1 x] map[a:true z:1] <no value>');
});

test('trim markers, comments, if/else if/else, range with variables, with', () => {
  const data = { items: ['a', 'b'], n: 0, m: { k2: 'v2', k1: 'v1' } };
  assert.equal(run('x  {{- /* c */ -}}  y', data), 'xy');
  assert.equal(run('{{if .n}}yes{{else if .items}}items{{else}}no{{end}}', data), 'items');
  assert.equal(run('{{range $i, $v := .items}}{{$i}}={{$v}},{{end}}', data), '0=a,1=b,');
  assert.equal(run('{{range $k, $v := .m}}{{$k}}:{{$v}} {{end}}', data), 'k1:v1 k2:v2 ');
  assert.equal(run('{{range .none}}x{{else}}empty{{end}}', data), 'empty');
  assert.equal(run('{{with .m}}{{.k1}}{{end}}', data), 'v1');
});

test('builtins: index, len, printf, eq, and/or/not, pipelines', () => {
  const data = { labels: { 'io.kubernetes.pod.name': 'web' }, list: [3, 4] };
  assert.equal(run('{{index .labels "io.kubernetes.pod.name"}} {{len .list}} {{index .list 1}}', data), 'web 2 4');
  assert.equal(run('{{printf "%s-%05d|%-4s|" "a" 42 "b"}}', data), 'a-00042|b   |');
  assert.equal(run('{{if eq (index .list 0) 3 4}}y{{end}} {{not true}} {{or 0 "" "z"}}', data), 'y false z');
  assert.equal(run('{{.list | len | printf "%d items"}}', data), '2 items');
});

test('structs print in field order and a missing field is an execution error with its position', () => {
  const s = goStruct({ Status: 'running', Pid: 7 }, '*types.ContainerState');
  assert.equal(run('{{.}}', s), '{running 7}');
  assert.throws(() => run('{{.Foo}}', s), (e: unknown) => e instanceof TemplateError && e.message === 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *types.ContainerState');
  assert.throws(() => new GoTemplate('{{.a}}').execute({}, { missingKeyError: true }), /map has no entry for key "a"/);
});

test('an undefined function is a parse error', () => {
  assert.throws(() => new GoTemplate('{{nope .a}}'), (e: unknown) => e instanceof TemplateError && e.message === 'template: :1: function "nope" not defined');
});

test('goJson sorts map keys, keeps struct order, escapes HTML unless told not to', () => {
  assert.equal(goJson({ b: 1, a: '<x>' }), '{"a":"\\u003cx\\u003e","b":1}');
  assert.equal(goJson(goStruct({ b: 1, a: [] }), { escapeHTML: false }), '{"b":1,"a":[]}');
  assert.equal(goJson({ a: { b: [1] } }, { indent: '  ' }), '{\n  "a": {\n    "b": [\n      1\n    ]\n  }\n}');
  assert.equal(goSprintf('%d %q %v', [1, 'a', [1, 2]]), '1 "a" [1 2]');
});
