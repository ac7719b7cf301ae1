// `-o yaml` / `-o json` fidelity: go-yaml v2's quoting, folding and key order, and Go's JSON
// encoding, checked against the real kubectl on an object made of awkward strings and numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../k8s/api/object.ts';
import { noKubectl, runKubectl } from '../../../../test/support/kubectl.ts';
import { toJson } from './json.ts';
import { outputValue } from './objects.ts';
import { harness, ourGetObjects, resource } from './testing/harness.ts';
import { toYaml, yamlKeyLess } from './yaml.ts';

const awkward: Record<string, string> = {
  'a.long': 'word '.repeat(30).trim(), 'b.nl': 'line1\nline2\n', 'c.nl2': 'line1\nline2', 'd.colon': 'key: value', 'e.star': '*',
  'f.num': '123', 'g.bool': 'yes', 'h.on': 'on', 'i.empty': '', 'j.json': '{"a":1}', 'k.dash': '- x', 'l.hash': 'a #b', 'm.trail': 'trail ',
  'n.lead': ' lead', 'o.quote': "it's", 'p.dq': 'say "hi"', 'q.float': '1.5', 'r.exp': '1e3', 's.null': 'null', 't.tilde': '~',
  'u.unicode': 'héllo ✓', 'v.tab': 'a\tb', 'w.date': '2020-01-01', 'x.oct': '0755', 'y.hex': '0x1F', 'z.longnl': `${`${'x'.repeat(50)} `.repeat(4)}\nshort`,
  'za.ctl': 'bell\u0007', 'zb.html': '<a>&</a>', 'zc.longnospace': 'y'.repeat(120), 'zd.at': '@x', 'ze.bt': '`x', 'zf.pct': '%x', 'zg.q': '?x',
  'zh.colonend': 'x:', 'zi.brace': '[x]', 'zj.comma': 'a, b', 'zk.1_0': '1_000', 'zl.base60': '1:20', 'zm.dot': '.5', 'zn.inf': '.inf',
  'zo.Y': 'Y', 'zp.n': 'n', 'zq.NO': 'NO', 'zr.longquoted': `key: ${'word '.repeat(25)}`, 'zs.emoji': 'hi 😀', 'zt.nbsp': 'a\u00a0b',
  'zu.ts': '2020-03-07T00:41:34Z', 'zv.tsnoz': '2020-03-07T00:41:34', 'zw.datebad': '2020-13-01', 'zx.08': '08', 'zy.minus': '-', 'zz.dash3': '---',
  'zz1.dots': '...x', 'zz2.sp2': 'a  b', 'zz3.lit': '  indented\nnext\n', 'zz4.crlf': 'a\r\nb', 'zz5.multi': 'a\n\n\nb\n\n',
  'zz6.x': `${'x'.repeat(75)} ${'y'.repeat(10)}  ${'z'.repeat(10)}`, [`zz7.longkey${'k'.repeat(120)}`]: 'v', 'Z.upper': 'u', _under: 'u',
  port10: 'a', port9: 'b', 'x-1': 'c', 'x.1': 'd', x01: 'e', x1: 'f', 'zz9.plus': '+1', 'zz9a.plusx': '+x', 'zz9b.sci': '6.02e23', 'zz9c.ver': '1.2.3',
  'zz9e.spacey': 'a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u', 'zz9f.bs': 'back\\slash',
  'zz8.json': `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"key":"${'v'.repeat(60)}"}}\n`,
};

const cm: KObject = {
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default', creationTimestamp: '2020-03-07T00:41:34Z', uid: 'u1', resourceVersion: '5', annotations: awkward, managedFields: [{ manager: 'kubectl', operation: 'Update' }] },
  data: { n: 'x', big: '12345678901234567890' },
  nums: { i: 42, f: 1.5, big: 1e21, neg: -3, z: 0, small: 0.0001, tiny: 1e-7, mid: 1234567.5, t: true, nul: null, arr: [], obj: {}, nested: [[1, 2], { a: [] }, [], {}, 'str', [['deep']]] },
};

test('-o yaml and -o json of awkward strings, numbers and nesting match the real kubectl byte for byte', { skip: noKubectl() }, async () => {
  const h = await harness([cm], Date.now());
  try {
    for (const format of ['yaml', 'json'] as const) {
      const real = await runKubectl(h.stub.env, ['get', 'cm', 'cm', '-o', format]);
      assert.equal(real.code, 0, real.stderr);
      assert.equal(await ourGetObjects(h.client, [{ type: 'cm', names: ['cm'] }], format, { namespace: 'default' }), real.stdout, format);
    }
  } finally {
    await h.close();
  }
});

test('yaml quotes what would read back as another type, single-quotes indicators, and uses literal blocks for lines', () => {
  const out = toYaml({ a: '123', b: 'yes', c: '', d: 'key: value', e: '*', f: 'line1\nline2\n', g: 'line1\nline2', h: "it's", i: '2020-03-07T00:41:34Z', j: 'a\tb' });
  assert.equal(out, 'a: "123"\nb: "yes"\nc: ""\nd: \'key: value\'\ne: \'*\'\nf: |\n  line1\n  line2\ng: |-\n  line1\n  line2\nh: it\'s\ni: "2020-03-07T00:41:34Z"\nj: "a\\tb"\n');
});

test('yaml folds long plain text at the first space past column 80, continuing two spaces deeper', () => {
  const out = toYaml({ metadata: { annotations: { note: 'word '.repeat(20).trim() } } });
  assert.equal(out, `metadata:\n  annotations:\n    note: ${'word '.repeat(14)}word\n      ${'word '.repeat(4)}word\n`);
});

test('yaml writes sequences in mappings unindented and empty collections in flow style', () => {
  assert.equal(toYaml({ items: [{ a: 1, b: [] }, [1, 2]], m: {} }), 'items:\n- a: 1\n  b: []\n- - 1\n  - 2\nm: {}\n');
});

test('yaml key order compares digit runs as numbers and puts non-letters before letters', () => {
  const keys = ['port10', 'port9', 'Z', '_', 'a', 'a.b', 'ab', 'x01', 'x1'];
  const sorted = [...keys].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
  // Equal numbers: the shorter run of digits first (kubectl prints x1 before x01).
  assert.deepEqual(sorted, ['_', 'Z', 'a', 'a.b', 'ab', 'port9', 'port10', 'x1', 'x01']);
});

test('json is indented by four spaces with keys sorted and <, >, & escaped as Go does', () => {
  assert.equal(toJson({ b: [1, { z: '<&>' }], a: {}, c: [] }), '{\n    "a": {},\n    "b": [\n        1,\n        {\n            "z": "\\u003c\\u0026\\u003e"\n        }\n    ],\n    "c": []\n}\n');
});

test('a list output is a kind: List with an empty resourceVersion, items typed, managedFields dropped', () => {
  const svc = resource('svc');
  const v = outputValue([{ resource: svc, objects: [{ metadata: { name: 's', managedFields: [] } }] }]) as { items: KObject[]; metadata: unknown; kind: string };
  assert.equal(v.kind, 'List');
  assert.deepEqual(v.metadata, { resourceVersion: '' });
  assert.deepEqual(v.items[0], { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } });
  const single = outputValue([{ resource: svc, objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }] }], { singleItemImplied: true });
  assert.deepEqual(single, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } });
});
