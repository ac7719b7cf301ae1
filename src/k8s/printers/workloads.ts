/** The workload Tables: deployments, replicasets, replicationcontrollers and daemonsets. */
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import type { ReplicationController } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, as, column, containerCells, type Printer } from './columns.ts';
import { DOC } from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import { formatLabelSelector, formatLabels, selectorString } from './labels.ts';

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    // Upstream declares these two "string" although their cells are integers.
    column('Up-to-date', 'string', DOC.ExtDeploymentStatus.updatedReplicas),
    column('Available', 'string', DOC.ExtDeploymentStatus.availableReplicas),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', DOC.ExtDeploymentSpec.selector, { priority: 1 }),
  ],
  row(obj: KObject, now: number) {
    const d = as<Deployment>(obj);
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return {
      cells: [
        d.metadata?.name ?? '', `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0, translateTimestampSince(d.metadata?.creationTimestamp, now), names, images, selectorString(d.spec?.selector),
      ],
    };
  },
};

/**
 * ReplicaSets and ReplicationControllers print the same columns; they differ in their column
 * descriptions and in the selector cell (a LabelSelector vs a plain map).
 */
interface ReplicaOwner {
  metadata?: { name?: string; creationTimestamp?: string };
  spec?: { replicas?: number; template?: { spec?: { containers?: readonly { name: string; image?: string }[] } } };
  status?: { replicas?: number; readyReplicas?: number };
}

function replicaPrinter<T extends ReplicaOwner>(
  doc: { desired: string; current: string; ready: string; selector: string },
  selectorCell: (o: T) => string,
): Printer {
  return {
    columns: [
      NAME_COLUMN,
      column('Desired', 'integer', doc.desired),
      column('Current', 'integer', doc.current),
      column('Ready', 'integer', doc.ready),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      column('Selector', 'string', doc.selector, { priority: 1 }),
    ],
    row(obj: KObject, now: number) {
      const o = as<T>(obj);
      const [names, images] = containerCells(o.spec?.template?.spec?.containers);
      return {
        cells: [
          o.metadata?.name ?? '', o.spec?.replicas ?? 0, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0,
          translateTimestampSince(o.metadata?.creationTimestamp, now), names, images, selectorCell(o),
        ],
      };
    },
  };
}

export const replicaSetPrinter: Printer = replicaPrinter<ReplicaSet & ReplicaOwner>(
  { desired: DOC.ReplicaSetSpec.replicas, current: DOC.ReplicaSetStatus.replicas, ready: DOC.ReplicaSetStatus.readyReplicas, selector: DOC.ReplicaSetSpec.selector },
  (rs) => formatLabelSelector(rs.spec?.selector),
);

export const replicationControllerPrinter: Printer = replicaPrinter<ReplicationController & ReplicaOwner>(
  { desired: DOC.ReplicationControllerSpec.replicas, current: DOC.ReplicationControllerStatus.replicas, ready: DOC.ReplicationControllerStatus.readyReplicas, selector: DOC.ReplicationControllerSpec.selector },
  (rc) => formatLabels(rc.spec?.selector),
);

export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', DOC.ExtDaemonSetStatus.desiredNumberScheduled),
    column('Current', 'integer', DOC.ExtDaemonSetStatus.currentNumberScheduled),
    column('Ready', 'integer', DOC.ExtDaemonSetStatus.numberReady),
    column('Up-to-date', 'integer', DOC.ExtDaemonSetStatus.updatedNumberScheduled),
    column('Available', 'integer', DOC.ExtDaemonSetStatus.numberAvailable),
    column('Node Selector', 'string', DOC.PodSpec.nodeSelector),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', DOC.ExtDaemonSetSpec.selector, { priority: 1 }),
  ],
  row(obj: KObject, now: number) {
    const ds = as<DaemonSet>(obj);
    const st = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return {
      cells: [
        ds.metadata?.name ?? '', st?.desiredNumberScheduled ?? 0, st?.currentNumberScheduled ?? 0, st?.numberReady ?? 0,
        st?.updatedNumberScheduled ?? 0, st?.numberAvailable ?? 0, formatLabels(ds.spec?.template?.spec?.nodeSelector),
        translateTimestampSince(ds.metadata?.creationTimestamp, now), names, images, formatLabelSelector(ds.spec?.selector),
      ],
    };
  },
};
