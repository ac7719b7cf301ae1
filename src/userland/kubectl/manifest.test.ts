import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceByKind } from '../../k8s/api/resources.ts';
import { MemFs } from '../../host/sim/fs.ts';
import { decodeManifests, manifestFiles, parseStream, splitDocuments, yamlToJson } from './manifest.ts';

test('YAML is read with YAML 1.1 rules as sigs.k8s.io/yaml reads it', () => {
  assert.deepEqual(yamlToJson('a: yes\nb: off\nc: 0777\nd: 0x1F\ne: 1_000\nf: ~\ng: 2001-12-14\nh: 1:20\ni: "yes"\n'), {
    a: true, b: false, c: 511, d: 31, e: 1000, f: null, g: '2001-12-14', h: '1:20', i: 'yes',
  });
});

test('merge keys and duplicate keys: the later value wins', () => {
  assert.deepEqual(yamlToJson('base: &b {x: 1, z: 2}\nobj:\n  <<: *b\n  z: 3\n'), { base: { x: 1, z: 2 }, obj: { x: 1, z: 3 } });
  assert.deepEqual(yamlToJson('a: 1\na: 2\n'), { a: 2 });
});

test('YAML 1.1 booleans as keys become "true" and "false", as kubectl sends them (y, on, n)', () => {
  // kubectl 1.32 turns `data: {y: "2", n: "3", on: "4"}` into {"false": "3", "true": "4"}.
  assert.deepEqual(yamlToJson('y: "2"\nn: "3"\non: "4"\n'), { true: '4', false: '3' });
});

test('documents split at --- lines (with spaces or a comment after them), not at --- inside a line', () => {
  assert.deepEqual(splitDocuments('a: 1\n---\nb: 2\n--- # next\nc: "---"\n'), ['a: 1\n', 'b: 2\n', 'c: "---"\n']);
  assert.deepEqual(parseStream('---\na: 1\n---\n# only a comment\n---\n', 'x.yaml'), [{ a: 1 }]);
});

test("parse errors read as go-yaml's, with its line numbering", () => {
  const msg = (text: string): string => {
    try {
      parseStream(text, 'f.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  const prefix = 'error parsing f.yaml: error converting YAML to JSON: yaml: ';
  // Each expected message is what kubectl 1.32 printed for the same file.
  assert.equal(msg('a: b: c\n'), `${prefix}mapping values are not allowed in this context`);
  assert.equal(msg('a:\n  - x\n y: 2\n'), `${prefix}line 2: did not find expected key`);
  assert.equal(msg('key: [1, 2\n'), `${prefix}line 1: did not find expected ',' or ']'`);
  assert.equal(msg('a: 1\n\tb: 2\n'), `${prefix}line 2: found a tab character that violates indentation`);
  assert.equal(msg('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: y\n'), `${prefix}line 4: did not find expected key`);
  assert.equal(msg('"a: 1\n'), `${prefix}line 2: found unexpected end of stream`);
  assert.equal(msg('a: @x\n'), `${prefix}found character that cannot start any token`);
  assert.equal(msg('a: [1, 2]]\n'), `${prefix}did not find expected key`);
  assert.equal(msg('clusters: [\n'), `${prefix}line 1: did not find expected node content`);
});

test('-f reads files, directories (only .json, .yaml, .yml) and stdin, with kubectl\'s errors', () => {
  const fs = new MemFs({ '/w/a.yaml': 'x', '/w/d/b.json': '{}', '/w/d/c.txt': 'no', '/w/d/sub/e.yml': 'y', '/w/empty/readme': 'z' });
  assert.deepEqual(manifestFiles(fs, '/w', 'in', ['a.yaml', '-', 'd'], false).map((f) => f.source), ['a.yaml', 'STDIN', 'd/b.json']);
  assert.deepEqual(manifestFiles(fs, '/w', '', ['d'], true).map((f) => f.source), ['d/b.json', 'd/sub/e.yml']);
  assert.throws(() => manifestFiles(fs, '/w', '', ['nope.yaml'], false), { message: 'the path "nope.yaml" does not exist' });
  assert.throws(() => manifestFiles(fs, '/w', '', ['empty'], false), { message: 'error reading [empty]: recognized file extensions are [.json .yaml .yml]' });
});

test('decoding keeps the objects before a bad document, skips unknown kinds, and lists the errors in order', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Foo\nmetadata:\n  name: f\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\nkind: Pod\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: never\n';
  const d = decodeManifests([{ source: 'm.yaml', text }], { validate: true, mapKind: resourceByKind, namespace: 'default', enforceNamespace: false });
  assert.deepEqual(d.objects.map((o) => o.obj.metadata.name), ['a', 'b']);
  assert.deepEqual(d.errors.map((e) => (e as Error).message), [
    'resource mapping not found for name: "f" namespace: "" from "m.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first',
    'error validating "m.yaml": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false',
  ]);
});

test('an object naming another namespace than -n is refused; without -n it keeps its own', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: other\n';
  const opts = { validate: true, mapKind: resourceByKind, namespace: 'default' };
  assert.equal(decodeManifests([{ source: 'm.yaml', text }], { ...opts, enforceNamespace: false }).objects[0].namespace, 'other');
  assert.equal((decodeManifests([{ source: 'm.yaml', text }], { ...opts, enforceNamespace: true }).errors[0] as Error).message,
    'the namespace from the provided object "other" does not match the namespace "default". You must pass \'--namespace=other\' to perform this operation.');
});
