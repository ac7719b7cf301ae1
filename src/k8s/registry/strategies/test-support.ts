/**
 * Shared set-up for the strategy tests: a real Registry over an in-memory store with every
 * strategy, the `default` and `kube-system` namespaces, and a helper that captures a failed
 * request's status code and message.
 */
import { Registry } from '../registry.ts';
import { Store } from '../../store/store.ts';
import { Rng } from '../../../kernel/rng.ts';
import { resourceByPlural, type ResourceInfo } from '../../api/resources.ts';
import { StatusError } from '../../api/errors.ts';
import type { ClusterApiConfig } from '../strategy.ts';
import { STRATEGIES } from './index.ts';

export const R = {
  pods: res('', 'pods'),
  services: res('', 'services'),
  endpoints: res('', 'endpoints'),
  endpointslices: res('discovery.k8s.io', 'endpointslices'),
  configmaps: res('', 'configmaps'),
  secrets: res('', 'secrets'),
  serviceaccounts: res('', 'serviceaccounts'),
  namespaces: res('', 'namespaces'),
  nodes: res('', 'nodes'),
  events: res('', 'events'),
  replicationcontrollers: res('', 'replicationcontrollers'),
  deployments: res('apps', 'deployments'),
  replicasets: res('apps', 'replicasets'),
  daemonsets: res('apps', 'daemonsets'),
  leases: res('coordination.k8s.io', 'leases'),
};

function res(group: string, plural: string): ResourceInfo {
  const r = resourceByPlural(group, plural);
  if (!r) throw new Error(`no resource ${group}/${plural}`);
  return r;
}

export const CONFIG: ClusterApiConfig = { serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767], clusterDomain: 'cluster.local' };

export function setup(config: Partial<ClusterApiConfig> = {}, seed = 7): Registry {
  let t = Date.parse('2026-11-23T10:00:00Z');
  const reg = new Registry({ store: new Store(), rng: new Rng(seed), now: () => (t += 1000), config: { ...CONFIG, ...config }, strategies: STRATEGIES });
  reg.create(R.namespaces, undefined, { metadata: { name: 'default' } });
  reg.create(R.namespaces, undefined, { metadata: { name: 'kube-system' } });
  return reg;
}

/** The status code and message of a request that fails (0 and '' when it succeeds). */
export function attempt(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return [e.code, e.message];
    throw e;
  }
  return [0, ''];
}

/** What kubectl prints for a 422 (`The Service "x" is invalid: …`), from the server's message. */
export function kubectlText(message: string): string {
  return `The ${message.replace(/^(\w+)(\.[a-z0-9.-]+)? /, '$1 ')}`;
}
