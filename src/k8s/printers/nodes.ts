/** The cluster-level Tables: nodes (status, roles, addresses, versions), namespaces and leases. */
import type { Namespace, Node } from 'kubernetes-types/core/v1.d.ts';
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { AGE_COLUMN, NAME_COLUMN, as, column, type Printer } from './columns.ts';
import { DOC } from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import { byteOrder } from './labels.ts';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort(byteOrder);
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', DOC.NodeSystemInfo.kubeletVersion),
    column('Internal-IP', 'string', DOC.NodeStatus.addresses, { priority: 1 }),
    column('External-IP', 'string', DOC.NodeStatus.addresses, { priority: 1 }),
    column('OS-Image', 'string', DOC.NodeSystemInfo.osImage, { priority: 1 }),
    column('Kernel-Version', 'string', DOC.NodeSystemInfo.kernelVersion, { priority: 1 }),
    column('Container-Runtime', 'string', DOC.NodeSystemInfo.containerRuntimeVersion, { priority: 1 }),
  ],
  row(obj: KObject, now: number) {
    const node = as<Node>(obj);
    // Only the Ready condition counts; the last one of that type wins, as in upstream's map.
    const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
    const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
    if (node.spec?.unschedulable) status.push('SchedulingDisabled');
    const info = node.status?.nodeInfo;
    return {
      cells: [
        node.metadata?.name ?? '', status.join(','), nodeRoles(node.metadata?.labels).join(',') || '<none>',
        translateTimestampSince(node.metadata?.creationTimestamp, now), info?.kubeletVersion ?? '',
        nodeAddress(node, 'InternalIP'), nodeAddress(node, 'ExternalIP'),
        info?.osImage || '<unknown>', info?.kernelVersion || '<unknown>', info?.containerRuntimeVersion || '<unknown>',
      ],
    };
  },
};

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  row(obj: KObject, now: number) {
    const ns = as<Namespace>(obj);
    return { cells: [ns.metadata?.name ?? '', ns.status?.phase ?? '', translateTimestampSince(ns.metadata?.creationTimestamp, now)] };
  },
};

export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, column('Holder', 'string', DOC.LeaseSpec.holderIdentity), AGE_COLUMN],
  row(obj: KObject, now: number) {
    const lease = as<Lease>(obj);
    return { cells: [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', translateTimestampSince(lease.metadata?.creationTimestamp, now)] };
  },
};
