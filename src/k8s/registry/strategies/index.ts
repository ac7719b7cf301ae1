/**
 * The strategy of every resource, keyed by group-qualified resource (`pods`, `deployments.apps`):
 * what upstream's defaulting, admission, registry strategies and validation do on create,
 * update and delete.
 */
import type { Strategy } from '../strategy.ts';
import {
  configMapStrategy, endpointSliceStrategy, endpointsStrategy, eventStrategy, leaseStrategy, namespaceStrategy, nodeStrategy, secretStrategy,
  serviceAccountStrategy,
} from './core.ts';
import { podStrategy } from './pods.ts';
import { serviceStrategy } from './services.ts';
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, replicationControllerStrategy } from './workloads.ts';

export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map<string, Strategy>([
  ['pods', podStrategy],
  ['services', serviceStrategy],
  ['endpoints', endpointsStrategy],
  ['endpointslices.discovery.k8s.io', endpointSliceStrategy],
  ['configmaps', configMapStrategy],
  ['secrets', secretStrategy],
  ['serviceaccounts', serviceAccountStrategy],
  ['namespaces', namespaceStrategy],
  ['nodes', nodeStrategy],
  ['events', eventStrategy],
  ['replicationcontrollers', replicationControllerStrategy],
  ['deployments.apps', deploymentStrategy],
  ['replicasets.apps', replicaSetStrategy],
  ['daemonsets.apps', daemonSetStrategy],
  ['leases.coordination.k8s.io', leaseStrategy],
]);
