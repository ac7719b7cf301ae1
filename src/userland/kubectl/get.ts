/**
 * `kubectl get`: server-side Tables for the human output (aligned by print/), plain objects for
 * -o yaml/json/name/jsonpath/custom-columns, several types and names, -A, selectors, and
 * -w watches that print each change as a row.
 */
import { StatusError } from '../../k8s/api/errors.ts';
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import { resourcePath, TABLE_ACCEPT, type Table } from '../../k8s/client/client.ts';
import { resolveRequests, splitResourceArgs, type ResourceRequest } from './builder.ts';
import { FILES_AND_ARGS, query, readObjects } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, GoAggregate, RawError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { evalSteps, parseTemplate } from './jsonpath.ts';
import { parseOutput, printGeneric, type OutputFormat } from './output.ts';
import { printNames, printTables, type TableResult } from './print/get.ts';
import { outputValue, type ObjectsResult } from './print/objects.ts';

const GET_FLAGS: FlagSpec[] = [
  { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'allow-missing-template-keys', kind: 'bool' },
  { name: 'chunk-size', kind: 'int' },
  { name: 'field-selector', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'ignore-not-found', kind: 'bool' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'label-columns', short: 'L', kind: 'strings' },
  { name: 'no-headers', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'output-watch-events', kind: 'bool' },
  { name: 'raw', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'server-print', kind: 'bool' },
  { name: 'show-kind', kind: 'bool' },
  { name: 'show-labels', kind: 'bool' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'sort-by', kind: 'string' },
  { name: 'subresource', kind: 'string' },
  { name: 'template', kind: 'string' },
  { name: 'watch', short: 'w', kind: 'bool' },
  { name: 'watch-only', kind: 'bool' },
];

const NO_TYPE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples
`;


/** One piece of what the builder visits: a list or a named object, fetched as a Table or as JSON. */
interface Visit {
  resource: ResourceInfo;
  /** Set for named gets (one object). */
  name?: string;
  namespace: string | undefined;
}

interface GetRun {
  k: Kctx;
  /** --sort-by: the rows then carry whole objects (includeObject=Object) to sort on. */
  sortBy: string;
  format: OutputFormat;
  labelSelector: string;
  fieldSelector: string;
  chunk: number;
}

/** GET of a collection with chunking (`limit`, then `continue`), kubectl's list request. */
async function listAll<T extends { metadata?: { continue?: string; resourceVersion?: string } }>(g: GetRun, v: Visit, accept: string, merge: (acc: T, next: T) => void): Promise<T> {
  const base = resourcePath(v.resource, v.namespace);
  let cont: string | undefined;
  let acc: T | undefined;
  do {
    const page: T = await g.k.client().call<T>('GET', base + query({
      labelSelector: g.labelSelector, fieldSelector: g.fieldSelector, limit: g.chunk > 0 ? g.chunk : undefined, continue: cont,
      includeObject: g.sortBy && accept === TABLE_ACCEPT ? 'Object' : undefined,
    }), undefined, { Accept: accept });
    if (acc) merge(acc, page);
    else acc = page;
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return acc!;
}

async function fetchTable(g: GetRun, v: Visit): Promise<Table> {
  if (v.name !== undefined) return g.k.client().call<Table>('GET', resourcePath(v.resource, v.namespace, v.name), undefined, { Accept: TABLE_ACCEPT });
  return listAll<Table>(g, v, TABLE_ACCEPT, (acc, next) => acc.rows.push(...(next.rows ?? [])));
}

/** The objects of a visit as the server sends them (list items without kind and apiVersion). */
async function fetchObjects(g: GetRun, v: Visit): Promise<KObject[]> {
  if (v.name !== undefined) return [await g.k.client().call<KObject>('GET', resourcePath(v.resource, v.namespace, v.name))];
  const list = await listAll<{ items?: KObject[]; metadata?: { resourceVersion?: string; continue?: string } }>(g, v, 'application/json', (acc, next) => acc.items?.push(...(next.items ?? [])));
  return list.items ?? [];
}

function visitsOf(requests: ResourceRequest[], namespace: string | undefined): Visit[] {
  const out: Visit[] = [];
  for (const r of requests) {
    const ns = r.resource.namespaced ? namespace : undefined;
    if (r.names.length === 0) out.push({ resource: r.resource, namespace: ns });
    for (const name of r.names) out.push({ resource: r.resource, name, namespace: ns });
  }
  return out;
}

async function runGet(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  const filenames = f.list('filename');
  if (args.length === 0 && filenames.length === 0) throw new RawError(NO_TYPE);
  if (args.length && filenames.length) throw new CmdError(FILES_AND_ARGS);
  const format = parseOutput(f.str('output'));
  const allNamespaces = f.bool('all-namespaces');
  const g: GetRun = { k, sortBy: f.str('sort-by'), format, labelSelector: f.str('selector'), fieldSelector: f.str('field-selector'), chunk: f.has('chunk-size') ? f.int('chunk-size') : 500 };
  const d = await k.discovery();
  let visits: Visit[];
  let singleItem = false;
  const readErrors: unknown[] = [];
  if (filenames.length) {
    const read = await readObjects(k, false);
    readErrors.push(...read.errors);
    visits = read.objects.map((o) => ({ resource: o.resource, name: o.obj.metadata.name ?? '', namespace: o.resource.namespaced ? o.namespace : undefined }));
    singleItem = read.objects.length === 1 && !read.errors.length;
  } else {
    const parsed = splitResourceArgs(args, k.baseName);
    const requests = resolveRequests(d, parsed);
    visits = visitsOf(requests, allNamespaces ? undefined : k.namespace);
    singleItem = (parsed.tuples?.length === 1) || (parsed.types?.length === 1 && parsed.names.length === 1 && requests.length === 1);
  }
  const ignoreNotFound = f.bool('ignore-not-found');
  const errors: unknown[] = [...readErrors];
  const keep = (e: unknown): void => {
    if (ignoreNotFound && e instanceof StatusError && e.code === 404) return;
    errors.push(e);
  };

  if (format.kind === 'table') {
    const results: TableResult[] = [];
    for (const v of visits) {
      try {
        results.push({ resource: v.resource, table: await fetchTable(g, v) });
      } catch (e) {
        keep(e);
      }
    }
    if (g.sortBy) for (const r of results) sortRows(r.table, g.sortBy);
    const watching = f.bool('watch') || f.bool('watch-only');
    // With --output-watch-events the listed objects show as ADDED events too.
    const shownResults = watching && f.bool('output-watch-events') ? results.map((r) => ({ ...r, table: withEventColumn(r.table, 'ADDED') })) : results;
    const printed = printTables(shownResults, {
      namespace: k.namespace, wide: format.wide, allNamespaces, showLabels: f.bool('show-labels'),
      labelColumns: f.list('label-columns'), noHeaders: f.bool('no-headers'), showKind: f.bool('show-kind'),
    });
    if (!f.bool('watch-only')) k.out(printed.stdout);
    if (printed.stderr && errors.length === 0 && !ignoreNotFound && !watching) k.err(printed.stderr);
    if (errors.length) throw new GoAggregate([new GoAggregate(errors)]);
    if (watching) return watch(g, visits, results, allNamespaces, f.bool('watch-only') ? '' : printed.stdout);
    return 0;
  }

  // The generic printers: one object as itself, anything else as a List (print/objects.ts).
  const fetched: ObjectsResult[] = [];
  for (const v of visits) {
    try {
      fetched.push({ resource: v.resource, objects: await fetchObjects(g, v) });
    } catch (e) {
      if (singleItem) throw e;
      keep(e);
    }
  }
  const count = fetched.reduce((n, r) => n + r.objects.length, 0);
  if (format.kind === 'name') {
    k.out(printNames(fetched));
  } else if (!(ignoreNotFound && count === 0)) {
    // A named object prints alone; one object found by listing still prints as a List.
    const single = singleItem && visits.every((v) => v.name !== undefined);
    k.out(printGeneric(format, outputValue(fetched, { singleItemImplied: single, showManagedFields: f.bool('show-managed-fields') }), f.bool('no-headers')));
  }
  if (errors.length) throw new GoAggregate([new GoAggregate(errors)]);
  return 0;
}

/** `-w`: after the list, one line per watch event on the collection (or the named object). */
async function watch(g: GetRun, visits: Visit[], results: TableResult[], allNamespaces: boolean, printedList: string): Promise<number> {
  const { k } = g;
  const f = k.flags;
  if (visits.length === 0) return 0;
  const types = new Set(visits.map((v) => v.resource));
  if (types.size > 1) throw new RawError('error: you may only specify a single resource type\n');
  const v = visits[0];
  const names = visits.filter((x) => x.name !== undefined).map((x) => x.name!);
  if (names.length > 1) throw new RawError('error: watch is only supported on individual resources and resource collections, but 2 resources were found\n');
  const rv = names.length ? '0' : results[0]?.table.metadata?.resourceVersion ?? '';
  const fieldSelector = names.length ? `metadata.name=${names[0]}` : g.fieldSelector;
  const columns = results[0]?.table.columnDefinitions ?? [];
  const withEvents = f.bool('output-watch-events');
  let firstSkipped = names.length === 0 || f.bool('watch-only');
  const widths = new RememberedWidths(printedList);
  const path = resourcePath(v.resource, v.namespace) + query({ labelSelector: g.labelSelector, fieldSelector, resourceVersion: rv, watch: 'true' });
  let buf = '';
  const printEvent = (e: { type: string; object: Table }): void => {
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') return;
    // A named watch starts from resourceVersion 0: its first ADDED repeats what the GET printed.
    if (!firstSkipped) {
      firstSkipped = true;
      if (e.type === 'ADDED') return;
    }
    const table: Table = { ...e.object, columnDefinitions: e.object.columnDefinitions?.length ? e.object.columnDefinitions : columns };
    const out = printTables([{ resource: v.resource, table: withEvents ? withEventColumn(table, e.type) : table }], {
      namespace: k.namespace, wide: g.format.kind === 'table' && g.format.wide, allNamespaces, showLabels: f.bool('show-labels'),
      labelColumns: f.list('label-columns'), noHeaders: true, showKind: f.bool('show-kind'),
    });
    k.out(widths.realign(out.stdout));
  };
  const res = await k.transport().stream({ method: 'GET', path, headers: { Accept: TABLE_ACCEPT } }, (chunk) => {
    buf += chunk.toString('utf8');
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) printEvent(JSON.parse(line) as { type: string; object: Table });
    }
  }, k.signal);
  if (res.status >= 300) k.client();
  return 0;
}

/** The EVENT column --output-watch-events adds; kubectl pads the event type to the width of MODIFIED. */
/**
 * --sort-by: rows ordered by a JSONPath into their objects, with kubectl's TableSorter: a row
 * without the field sorts first, numbers and integer texts compare as numbers, other text
 * bytewise; Go's sort.Sort, an insertion sort for the small tables it is measured on.
 */
function sortRows(t: Table, spec: string): void {
  const expr = spec.startsWith('{') ? spec : `{${spec.startsWith('.') ? spec : `.${spec}`}}`;
  const node = parseTemplate(expr)[0];
  const keys = t.rows.map((row) => (node && node.t === 'path' ? evalSteps(row.object, node.steps)[0] : undefined));
  // A field no row has: kubectl's sort fails and the rows are lost ("No resources found").
  if (keys.length && keys.every((k) => k === undefined)) {
    t.rows = [];
    return;
  }
  const text = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  const less = (a: unknown, b: unknown): boolean => {
    if (a === undefined) return true;
    if (b === undefined) return false;
    if (typeof a === 'number' && typeof b === 'number') return a < b;
    const x = text(a);
    const y = text(b);
    if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) return BigInt(x) < BigInt(y);
    return x < y;
  };
  const idx = keys.map((_, i) => i);
  for (let i = 1; i < idx.length; i++) {
    for (let j = i; j > 0 && less(keys[idx[j]], keys[idx[j - 1]]); j--) [idx[j], idx[j - 1]] = [idx[j - 1], idx[j]];
  }
  t.rows = idx.map((i) => t.rows[i]);
}

/**
 * The watch writer's memory (cli-runtime's tabwriter with RememberWidths): a column never gets
 * narrower than it was in what was printed before, so each event's row lines up with the list.
 */
class RememberedWidths {
  private widths: number[] = [];

  constructor(printed: string) {
    const first = printed.split('\n')[0] ?? '';
    // Aligned cells are separated by at least three spaces (the padding); column starts follow them.
    const starts = [0, ...[...first.matchAll(/ {3,}(?=\S)/g)].map((m) => m.index + m[0].length)];
    for (let i = 0; i + 1 < starts.length; i++) this.widths.push(starts[i + 1] - starts[i]);
  }

  /** One aligned line re-padded to the remembered widths (which grow to fit it). */
  realign(text: string): string {
    return text.split('\n').map((line) => {
      if (!line) return line;
      const cells = line.split(/ {3,}/);
      if (this.widths.length && cells.length !== this.widths.length + 1) return line;
      return cells.map((c, i) => {
        if (i === cells.length - 1) return c;
        const w = Math.max(this.widths[i] ?? 0, [...c].length + 3, 6);
        this.widths[i] = w;
        return c.padEnd(w);
      }).join('');
    }).join('\n');
  }
}

function withEventColumn(t: Table, type: string): Table {
  return { ...t, columnDefinitions: [{ name: 'Event', type: 'string' }, ...t.columnDefinitions], rows: t.rows.map((r) => ({ ...r, cells: [type.padEnd(8), ...r.cells] })) };
}

export const getCmd: Subcommand = { name: 'get', flags: GET_FLAGS, run: runGet };
