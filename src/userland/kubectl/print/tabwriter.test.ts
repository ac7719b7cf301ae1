// Unit tests of the Go tabwriter port and of printTables, independent of a kubectl binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESCRIBE_TABWRITER, GET_TABWRITER, tabwrite } from './tabwriter.ts';
import { printTables } from './get.ts';
import { resolveResourceName } from '../../../k8s/api/resources.ts';
import type { Table } from '../../../k8s/client/client.ts';

test('tabwriter pads every cell but the last of a line to the column width plus padding', () => {
  assert.equal(tabwrite('NAME\tAGE\nweb-1\t6s\n', GET_TABWRITER), 'NAME    AGE\nweb-1   6s\n');
});

test('get\'s tabwriter never makes a column narrower than six characters', () => {
  assert.equal(tabwrite('a\tb\tc\n', GET_TABWRITER), 'a     b     c\n');
});

test('a line without the column ends its block, so columns after it are aligned anew', () => {
  const text = 'Name:\tx\nLongerKey:\ty\nSection:\n  k:\tv\n';
  assert.equal(tabwrite(text, DESCRIBE_TABWRITER), 'Name:       x\nLongerKey:  y\nSection:\n  k:  v\n');
});

test('column widths count code points, not bytes or UTF-16 units', () => {
  assert.equal(tabwrite('é\tx\nab\ty\n', DESCRIBE_TABWRITER), 'é   x\nab  y\n');
  assert.equal(tabwrite('😀\tx\nab\ty\n', DESCRIBE_TABWRITER), '😀   x\nab  y\n');
});

test('nested columns widen only over the lines that have them', () => {
  assert.equal(tabwrite('a\tbb\tc\nlong\td\n', DESCRIBE_TABWRITER), 'a     bb  c\nlong  d\n');
});

const table = (names: string[], cells: unknown[][], extra: Partial<Table> = {}): Table => ({
  kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {},
  columnDefinitions: names.map((n, i) => ({ name: n, type: 'string', format: i === 0 ? 'name' : '', priority: n === 'IP' ? 1 : 0 })),
  rows: cells.map((c) => ({ cells: c, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: String(c[0]), namespace: 'ns1', labels: { app: 'x' } } } })),
  ...extra,
});

test('printTables prefixes kind/ and separates types with a blank line when several types print', () => {
  const pods = table(['Name', 'Age', 'IP'], [['p1', '1m', '10.0.0.1']]);
  const svcs = table(['Name', 'Type'], [['s1', 'ClusterIP']]);
  const out = printTables([{ resource: resolveResourceName('pods')!, table: pods }, { resource: resolveResourceName('svc')!, table: svcs }], { namespace: 'default' });
  assert.equal(out.stdout, 'NAME     AGE\npod/p1   1m\n\nNAME         TYPE\nservice/s1   ClusterIP\n');
  assert.equal(out.stderr, '');
});

test('printTables shows wide columns, NAMESPACE, label columns and truncates multi-line cells', () => {
  const pods = table(['Name', 'Msg', 'IP'], [['p1', 'first\nsecond', '10.0.0.1']]);
  const out = printTables([{ resource: resolveResourceName('pods')!, table: pods }], { namespace: 'default', wide: true, allNamespaces: true, labelColumns: ['app'], showLabels: true });
  assert.equal(out.stdout, 'NAMESPACE   NAME   MSG        IP         APP   LABELS\nns1         p1     first...   10.0.0.1   x     app=x\n');
});

test('printTables says "No resources found" on stderr when nothing prints', () => {
  const empty = table(['Name'], []);
  assert.deepEqual(printTables([{ resource: resolveResourceName('pods')!, table: empty }], { namespace: 'dev' }), { stdout: '', stderr: 'No resources found in dev namespace.\n' });
  assert.deepEqual(printTables([{ resource: resolveResourceName('nodes')!, table: empty }], { namespace: 'dev' }), { stdout: '', stderr: 'No resources found\n' });
});
