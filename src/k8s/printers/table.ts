/**
 * The server side of `kubectl get`: a list of objects as a meta.k8s.io/v1 Table with upstream's
 * columns for the resource, each row carrying the object's metadata (or the whole object).
 */
import type { KObject } from '../api/object.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import type { Table } from '../client/client.ts';
import { NAME_COLUMN, column, type Printer } from './columns.ts';
import { configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.ts';
import { DOC } from './descriptions.ts';
import { parseTime } from './duration.ts';
import { eventPrinter } from './events.ts';
import { leasePrinter, namespacePrinter, nodePrinter } from './nodes.ts';
import { podPrinter } from './pods.ts';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './services.ts';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, replicationControllerPrinter } from './workloads.ts';

export interface TableOptions {
  /** The clock the AGE cells are computed against (ms since the epoch). */
  now: number;
  /** What each row's `object` carries: nothing, PartialObjectMetadata (the default) or the whole object. */
  includeObject?: 'None' | 'Metadata' | 'Object';
  /** The list's (or the single object's) resourceVersion, copied to the Table's metadata. */
  resourceVersion?: string;
  /** `TableOptions.noHeaders`: leave out the column definitions. */
  noHeaders?: boolean;
}

const PRINTERS: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  '/ReplicationController': replicationControllerPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/Event': eventPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
};

/**
 * What the API server answers for a resource without a printer (the default table convertor):
 * the name and the creation time as an RFC 3339 date.
 */
const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', DOC.ObjectMeta.creationTimestamp)],
  row(obj: KObject) {
    const t = parseTime(obj.metadata.creationTimestamp);
    // Go formats the zero time as 0001-01-01T00:00:00Z.
    const created = t === undefined ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { cells: [obj.metadata.name ?? '', created] };
  },
};

/** The printer (columns and row function) kube-apiserver uses for a resource. */
export function printerFor(resource: ResourceInfo): Printer {
  return PRINTERS[`${resource.group}/${resource.kind}`] ?? defaultPrinter;
}

/** The Table kube-apiserver returns for `objects` of `resource` (Accept: application/json;as=Table;v=v1;g=meta.k8s.io). */
export function tableFor(resource: ResourceInfo, objects: KObject[], opts: TableOptions): Table {
  const printer = printerFor(resource);
  const include = opts.includeObject ?? 'Metadata';
  const rows: Table['rows'] = objects.map((obj) => {
    const printed = printer.row(obj, opts.now);
    const row: Table['rows'][number] = { cells: printed.cells };
    // RowCondition carries reason and message too; the client's Table type names only two fields.
    if (printed.conditions) row.conditions = printed.conditions;
    if (include === 'Metadata') {
      row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
    } else if (include === 'Object') {
      row.object = { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(resource), kind: obj.kind ?? resource.kind };
    }
    return row;
  });
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? [] : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
