/**
 * The client side of `kubectl get` for human-readable output: the server's Tables turned into
 * kubectl's aligned text, with its decorations (NAMESPACE, label columns, `kind/` prefixes).
 */
import type { KObject } from '../../../k8s/api/object.ts';
import type { ResourceInfo } from '../../../k8s/api/resources.ts';
import type { Table } from '../../../k8s/client/client.ts';
import { formatLabels } from '../../../k8s/printers/labels.ts';
import { goSprint } from './gofmt.ts';
import { GET_TABWRITER, tabwrite } from './tabwriter.ts';

export interface GetPrintOptions {
  /** The namespace the request was for, named in `No resources found in <ns> namespace.` */
  namespace: string;
  /** `-o wide`: show the priority-1 columns too. */
  wide?: boolean;
  /** `-A`: a NAMESPACE column first, for namespaced resources. */
  allNamespaces?: boolean;
  /** `--show-labels`: a LABELS column last. */
  showLabels?: boolean;
  /** `-L key` (repeatable): one column per label key, headed by the key's last path segment. */
  labelColumns?: string[];
  /** `--no-headers`. */
  noHeaders?: boolean;
  /** `--show-kind`: prefix names with `kind/` even when a single type is listed. */
  showKind?: boolean;
}

/** One list (or one object) the server answered as a Table, and the resource it is of. */
export interface TableResult {
  resource: ResourceInfo;
  table: Table;
}

export interface PrintResult {
  stdout: string;
  stderr: string;
}

type Column = Table['columnDefinitions'][number];
type Row = Table['rows'][number];

/** kubectl's lowercase `Kind.group` (GroupKind.String()), the prefix of names when several types print. */
export function kindPrefix(r: ResourceInfo): string {
  return (r.group ? `${r.kind}.${r.group}` : r.kind).toLowerCase();
}

/** A cell as printTable writes it: strings cut at the first line break (with `...`), terminal escapes defused. */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const cut = cell.search(/[\f\n\r]/);
    return escapeTerminal(cut >= 0 ? cell.slice(0, cut) : cell) + (cut >= 0 ? '...' : '');
  }
  return escapeTerminal(goSprint(cell));
}

/** printers.WriteEscaped: ESC and CR would drive the terminal, so they are written visibly. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\u001b', '^[').replaceAll('\r', '\\r');
}

function sameColumns(a: Column[], b: Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type && (c.format ?? '') === (b[i].format ?? '') &&
    (c.description ?? '') === (b[i].description ?? '') && (c.priority ?? 0) === (b[i].priority ?? 0));
}

interface Decoration {
  withNamespace: boolean;
  withKind: string | undefined;
  labelColumns: string[];
  showLabels: boolean;
}

/** decorateTable: the NAMESPACE column, `kind/` name prefixes, label columns, from each row's object metadata. */
function decorate(columns: Column[], rows: Row[], d: Decoration): { columns: Column[]; rows: unknown[][] } {
  const width = columns.length + d.labelColumns.length + (d.withNamespace ? 1 : 0) + (d.showLabels ? 1 : 0);
  let nameColumn = -1;
  if (d.withKind) nameColumn = columns.findIndex((c) => c.format === 'name' && c.type === 'string');
  let cols = columns;
  if (width !== columns.length) {
    cols = [];
    if (d.withNamespace) cols.push({ name: 'Namespace', type: 'string' });
    cols.push(...columns);
    for (const l of d.labelColumns) cols.push({ name: l.split('/').pop()!.toUpperCase(), type: 'string' });
    if (d.showLabels) cols.push({ name: 'Labels', type: 'string' });
  }
  const includeLabels = d.labelColumns.length > 0 || d.showLabels;
  const out = rows.map((row) => {
    let cells = [...row.cells];
    if (!(includeLabels || d.withNamespace || nameColumn !== -1)) return cells;
    if (nameColumn !== -1) cells[nameColumn] = `${d.withKind}/${goSprint(cells[nameColumn])}`;
    const meta = row.object?.metadata as KObject['metadata'] | undefined;
    if (!meta) {
      if (d.withNamespace) cells = [null, ...cells];
      // Upstream's loop re-reads the growing length, so it pads only part of the gap.
      for (let j = 0; j < width - cells.length; j++) cells.push(null);
      return cells;
    }
    if (d.withNamespace) cells = [meta.namespace ?? '', ...cells];
    if (includeLabels) {
      const labels = meta.labels ?? {};
      for (const key of d.labelColumns) cells.push(labels[key] ?? '');
      if (d.showLabels) cells.push(formatLabels(labels));
    }
    return cells;
  });
  return { columns: cols, rows: out };
}

/** printTable: the upper-cased header (unless suppressed or there are no rows) and one tab-separated line per row. */
function tableText(columns: Column[], rows: unknown[][], noHeaders: boolean, wide: boolean): string {
  const shown = (i: number): boolean => wide || (columns[i].priority ?? 0) === 0;
  let s = '';
  if (!noHeaders) {
    if (rows.length === 0) return '';
    s += columns.filter((_, i) => shown(i)).map((c) => c.name.toUpperCase()).join('\t') + '\n';
  }
  for (const cells of rows) {
    const parts: string[] = [];
    // Cells beyond the column definitions are dropped (a misbehaving server must not crash kubectl).
    for (let i = 0; i < cells.length && i < columns.length; i++) if (shown(i)) parts.push(cellText(cells[i]));
    s += parts.join('\t') + '\n';
  }
  return s;
}

/**
 * What `kubectl get` prints for the Tables of one command (`kubectl get pods,svc,ep` gives three):
 * each resource type aligned on its own, a blank line between types that printed something,
 * `No resources found ...` on stderr when nothing printed at all.
 */
export function printTables(results: TableResult[], opts: GetPrintOptions): PrintResult {
  const multipleKinds = results.some((r) => r.resource !== results[0].resource);
  let stdout = '';
  let pending = '';
  let separatorReady = false;
  let last: ResourceInfo | undefined;
  let lastColumns: Column[] = [];
  let printedHeaders = false;
  let allNamespaced = !opts.allNamespaces;

  const flush = (): void => {
    const text = tabwrite(pending, GET_TABWRITER);
    pending = '';
    if (text === '') return;
    // The separator goes out only before output that follows earlier output.
    if (separatorReady) stdout += '\n';
    separatorReady = false;
    stdout += text;
  };

  for (const { resource, table } of results) {
    allNamespaced = allNamespaced && resource.namespaced;
    if (last !== resource) {
      flush();
      if (last !== undefined && !opts.noHeaders && stdout.length > 0) separatorReady = true;
      // A new printer per resource type: it has printed no headers yet.
      lastColumns = [];
      printedHeaders = false;
      last = resource;
    }
    let noHeaders = !!opts.noHeaders;
    let columns = table.columnDefinitions ?? [];
    if (printedHeaders && (columns.length === 0 || sameColumns(columns, lastColumns))) noHeaders = true;
    if (columns.length === 0) columns = lastColumns;
    else if (!sameColumns(columns, lastColumns)) {
      lastColumns = columns;
      printedHeaders = false;
    }
    if (table.rows.length > 0) printedHeaders = true;
    const decorated = decorate(columns, table.rows, {
      withNamespace: !!opts.allNamespaces && resource.namespaced,
      withKind: opts.showKind || multipleKinds ? kindPrefix(resource) : undefined,
      labelColumns: opts.labelColumns ?? [],
      showLabels: !!opts.showLabels,
    });
    pending += tableText(decorated.columns, decorated.rows, noHeaders, !!opts.wide);
  }
  flush();
  let stderr = '';
  if (stdout === '') stderr = allNamespaced ? `No resources found in ${opts.namespace} namespace.\n` : 'No resources found\n';
  return { stdout, stderr };
}

/** `-o name`: `kind/name` (or `kind.group/name`) per object. */
export function printNames(results: { resource: ResourceInfo; objects: KObject[] }[]): string {
  let s = '';
  for (const { resource, objects } of results) for (const o of objects) s += `${kindPrefix(resource)}/${o.metadata.name ?? ''}\n`;
  return s;
}
