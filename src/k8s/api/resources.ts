/**
 * The resource types podlab's API server serves: group, version, kind, plural and the names
 * kubectl resolves (shortNames, categories), whether they are namespaced, and their verbs and
 * subresources. Discovery, routing, the store keys and `kubectl` all read this one table.
 */

export interface Subresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Subresource[];
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(group: string, version: string, kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group, version, kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced,
    shortNames: [], categories: [], verbs: CRUD, subresources: [], ...extra,
  };
}

const status = (group: string, version: string, kind: string): Subresource => ({ name: 'status', group, version, kind, verbs: ['get', 'patch', 'update'] });
const scale: Subresource = { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };

export const RESOURCES: readonly ResourceInfo[] = [
  r('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [status('', 'v1', 'Namespace')] }),
  r('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: [status('', 'v1', 'Node')] }),
  r('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'], categories: ['all'],
    subresources: [
      status('', 'v1', 'Pod'),
      { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
      { name: 'exec', group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ],
  }),
  r('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], categories: ['all'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], subresources: [status('', 'v1', 'Service')] }),
  r('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  r('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets', true),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  r('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  r('', 'v1', 'ReplicationController', 'replicationcontrollers', true, { shortNames: ['rc'], categories: ['all'], subresources: [scale, status('', 'v1', 'ReplicationController')] }),
  r('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'], categories: ['all'], subresources: [scale, status('apps', 'v1', 'Deployment')] }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], categories: ['all'], subresources: [scale, status('apps', 'v1', 'ReplicaSet')] }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'], subresources: [status('apps', 'v1', 'DaemonSet')] }),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
];

/** `pods`, `deployments.apps`: the group-qualified resource, as error messages and store keys name it. */
export function qualified(r: ResourceInfo): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function apiVersionOf(r: ResourceInfo): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `v1` → ['', 'v1'], `apps/v1` → ['apps', 'v1']. */
export function splitApiVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

const byGroupPlural = new Map(RESOURCES.map((x) => [`${x.group}/${x.plural}`, x]));
const byGroupKind = new Map(RESOURCES.map((x) => [`${x.group}/${x.kind}`, x]));

export function resourceByPlural(group: string, plural: string): ResourceInfo | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

/** The resource serving objects of `apiVersion` and `kind` (what a manifest names). */
export function resourceByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = splitApiVersion(apiVersion);
  const r = byGroupKind.get(`${group}/${kind}`);
  return r && r.version === version ? r : undefined;
}

/**
 * What a user types: `po`, `pods`, `pod`, `deploy`, `deployments.apps`, `Deployment`: the
 * resource it names, as kubectl's RESTMapper resolves it.
 */
export function resolveResourceName(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const [head, group] = dot < 0 ? [lower, undefined] : [lower.slice(0, dot), lower.slice(dot + 1)];
  for (const x of RESOURCES) {
    if (group !== undefined && x.group !== group && !(group === '' && x.group === '')) continue;
    if (x.plural === head || x.singular === head || x.kind.toLowerCase() === head || x.shortNames.includes(head)) return x;
  }
  return undefined;
}
