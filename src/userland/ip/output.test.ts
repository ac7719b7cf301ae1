// The output layer: one printing routine gives iproute2's text or its JSON, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Printer } from './output.ts';

/** Prints a small link-like record the way print_linkinfo does, in the given mode. */
function record(opts: { json: boolean; pretty: boolean; oneline: boolean }): string {
  let s = '';
  const out = new Printer((t) => (s += t), opts);
  out.begin();
  out.openObject();
  out.any('ifindex', '2: ', 2);
  out.any('ifname', 'v0: ', 'v0');
  out.openArray('flags', '<');
  out.any(null, 'UP', 'UP');
  out.fp(',');
  out.any(null, 'LOWER_UP', 'LOWER_UP');
  out.closeArray('> ');
  out.any('alias', 'alias "a\\b" ', 'say "hi"\t\\');
  out.json('stats', null);
  out.nl();
  out.fp('    more');
  out.closeObject();
  out.fp('\n');
  out.end();
  return s;
}

test('text mode prints only the text parts', () => {
  assert.equal(record({ json: false, pretty: false, oneline: false }), '2: v0: <UP,LOWER_UP> alias "a\\b" \n    more\n');
});

test('-oneline ends lines with a backslash instead', () => {
  assert.equal(record({ json: false, pretty: false, oneline: true }), '2: v0: <UP,LOWER_UP> alias "a\\b" \\    more\n');
});

test('-j: compact JSON in an array, strings escaped as json_writer does', () => {
  assert.equal(record({ json: true, pretty: false, oneline: false }), '[{"ifindex":2,"ifname":"v0","flags":["UP","LOWER_UP"],"alias":"say \\"hi\\"\\t\\\\","stats":null}]\n');
});

test('-j -p: four spaces per level (the top array counts), arrays padded with a space', () => {
  assert.equal(
    record({ json: true, pretty: true, oneline: false }),
    '[ {\n        "ifindex": 2,\n        "ifname": "v0",\n        "flags": [ "UP","LOWER_UP" ],\n        "alias": "say \\"hi\\"\\t\\\\",\n        "stats": null\n    } ]\n',
  );
});

test('-j with nothing printed is an empty array', () => {
  let s = '';
  const out = new Printer((t) => (s += t), { json: true, pretty: false, oneline: false });
  out.begin();
  out.end();
  assert.equal(s, '[]\n');
});
