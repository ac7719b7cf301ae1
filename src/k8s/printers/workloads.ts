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

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', DOC.ReplicaSetSpec.replicas),
    column('Current', 'integer', DOC.ReplicaSetStatus.replicas),
    column('Ready', 'integer', DOC.ReplicaSetStatus.readyReplicas),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', DOC.ReplicaSetSpec.selector, { priority: 1 }),
  ],
  row(obj: KObject, now: number) {
    const rs = as<ReplicaSet>(obj);
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return {
      cells: [
        rs.metadata?.name ?? '', rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0,
        translateTimestampSince(rs.metadata?.creationTimestamp, now), names, images, formatLabelSelector(rs.spec?.selector),
      ],
    };
  },
};

export const replicationControllerPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', DOC.ReplicationControllerSpec.replicas),
    column('Current', 'integer', DOC.ReplicationControllerStatus.replicas),
    column('Ready', 'integer', DOC.ReplicationControllerStatus.readyReplicas),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'string', DOC.ReplicationControllerSpec.selector, { priority: 1 }),
  ],
  row(obj: KObject, now: number) {
    const rc = as<ReplicationController>(obj);
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return {
      cells: [
        rc.metadata?.name ?? '', rc.spec?.replicas ?? 0, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0,
        translateTimestampSince(rc.metadata?.creationTimestamp, now), names, images, formatLabels(rc.spec?.selector),
      ],
    };
  },
};

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
