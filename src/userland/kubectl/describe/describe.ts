/**
 * `kubectl describe`: fetches what kubectl 1.32's describer for the resource fetches (the object,
 * its events, endpoint slices, pods, replica sets, lease...) and returns kubectl's exact text.
 */
import type { KObject } from '../../../k8s/api/object.ts';
import { resourceByPlural, type ResourceInfo } from '../../../k8s/api/resources.ts';
import { StatusError } from '../../../k8s/api/errors.ts';
import type { KubeClient } from '../../../k8s/client/client.ts';
import { formatLabels, selectorString } from '../../../k8s/printers/labels.ts';
import { searchEvents, searchEventsOrNone } from './events.ts';
import { describeConfigMapText, describeNamespaceText } from './namespace.ts';
import { describeNodeText } from './node.ts';
import { describePodText } from './pod.ts';
import { describeEndpointSliceText, describeEndpointsText, describeServiceText } from './service.ts';
import { describeDeploymentText, describeReplicaSetText, describeReplicationControllerText, podPhases, splitReplicaSets } from './workloads.ts';

const core = (plural: string): ResourceInfo => resourceByPlural('', plural)!;

/** A list, or undefined when the server answers 404 (kubectl takes that as "not supported here"). */
async function listOrUndefined(client: KubeClient, path: string): Promise<KObject[] | undefined> {
  try {
    return (await client.call<{ items?: KObject[] }>('GET', path)).items ?? [];
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

/** The error text kubectl prints for a failed request (`leases.coordination.k8s.io "n" not found`). */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Describer = (client: KubeClient, obj: KObject, now: number) => Promise<string>;

const describers: Record<string, Describer> = {
  '/Pod': async (client, pod, now) => {
    // Pods are searched without a kind; a mirror pod's events carry its static pod's uid.
    const mirror = pod.metadata.annotations?.['kubernetes.io/config.mirror'];
    const events = await searchEventsOrNone(client, { name: pod.metadata.name!, namespace: pod.metadata.namespace ?? '', uid: mirror ?? pod.metadata.uid });
    return describePodText(pod, events, now);
  },
  '/Service': async (client, svc, now) => {
    let slices: KObject[] = [];
    try {
      slices = (await client.list(resourceByPlural('discovery.k8s.io', 'endpointslices')!, svc.metadata.namespace, { labelSelector: `kubernetes.io/service-name=${svc.metadata.name}` })).items;
    } catch {
      slices = [];
    }
    const events = await searchEventsOrNone(client, { name: svc.metadata.name!, namespace: svc.metadata.namespace ?? '', kind: 'Service', uid: svc.metadata.uid });
    return describeServiceText(svc, slices, events, now);
  },
  '/Endpoints': async (client, ep, now) => {
    const events = await searchEventsOrNone(client, { name: ep.metadata.name!, namespace: ep.metadata.namespace ?? '', kind: 'Endpoints', uid: ep.metadata.uid });
    return describeEndpointsText(ep, events, now);
  },
  'discovery.k8s.io/EndpointSlice': async (client, eps, now) => {
    const events = await searchEventsOrNone(client, { name: eps.metadata.name!, namespace: eps.metadata.namespace ?? '', kind: 'EndpointSlice', uid: eps.metadata.uid });
    return describeEndpointSliceText(eps, events, now);
  },
  '/Node': async (client, node, now) => {
    const name = node.metadata.name!;
    let pods: KObject[] | undefined;
    try {
      pods = (await client.list(core('pods'), undefined, { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`, limit: 500 })).items;
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 403)) throw e;
      pods = undefined;
    }
    // Controllers file node events under the node's uid, the kubelet under its name: both are merged.
    const byUid = await searchEventsOrNone(client, { name, namespace: '', kind: 'Node', uid: node.metadata.uid });
    const byName = await searchEventsOrNone(client, { name, namespace: '', kind: 'Node', uid: name });
    let lease: KObject | { error: string };
    try {
      lease = await client.get(resourceByPlural('coordination.k8s.io', 'leases')!, 'kube-node-lease', name);
    } catch (e) {
      lease = { error: errorText(e) };
    }
    return describeNodeText({ node, pods, events: [...(byUid ?? []), ...(byName ?? [])], lease }, now);
  },
  'apps/Deployment': async (client, d, now) => {
    const events = await searchEventsOrNone(client, { name: d.metadata.name!, namespace: d.metadata.namespace ?? '', kind: 'Deployment', uid: d.metadata.uid });
    let rs: ReturnType<typeof splitReplicaSets> | undefined;
    try {
      const selector = selectorString((d.spec as { selector?: KObject['metadata']['labels'] } | undefined)?.selector as never);
      const list = await client.list(resourceByPlural('apps', 'replicasets')!, d.metadata.namespace, { labelSelector: selector, limit: 500 });
      rs = splitReplicaSets(d, list.items);
    } catch {
      rs = undefined;
    }
    return describeDeploymentText(d, rs, events, now);
  },
  'apps/ReplicaSet': async (client, rs, now) => {
    let phases: ReturnType<typeof podPhases> | { error: string };
    try {
      const selector = selectorString((rs.spec as { selector?: never } | undefined)?.selector);
      phases = podPhases((await client.list(core('pods'), rs.metadata.namespace, { labelSelector: selector, limit: 500 })).items, rs.metadata.uid);
    } catch (e) {
      phases = { error: errorText(e) };
    }
    const events = await searchEventsOrNone(client, { name: rs.metadata.name!, namespace: rs.metadata.namespace ?? '', kind: 'ReplicaSet', uid: rs.metadata.uid });
    return describeReplicaSetText(rs, phases, events, now);
  },
  '/ReplicationController': async (client, rc, now) => {
    const selector = formatLabels((rc.spec as { selector?: Record<string, string> } | undefined)?.selector);
    const pods = await client.list(core('pods'), rc.metadata.namespace, { labelSelector: selector === '<none>' ? '' : selector, limit: 500 });
    const events = await searchEventsOrNone(client, { name: rc.metadata.name!, namespace: rc.metadata.namespace ?? '', kind: 'ReplicationController', uid: rc.metadata.uid });
    return describeReplicationControllerText(rc, podPhases(pods.items, rc.metadata.uid), events, now);
  },
  '/Namespace': async (client, ns) => {
    const quotas = await listOrUndefined(client, `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name!)}/resourcequotas?limit=500`);
    const limits = await listOrUndefined(client, `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name!)}/limitranges?limit=500`);
    return describeNamespaceText(ns, quotas, limits);
  },
  '/ConfigMap': async (client, cm, now) => {
    // Unlike the others, the configmap describer fails when the events cannot be listed.
    const events = await searchEvents(client, { name: cm.metadata.name!, namespace: cm.metadata.namespace ?? '', kind: 'ConfigMap', uid: cm.metadata.uid });
    return describeConfigMapText(cm, events, now);
  },
};

/** Whether podlab can describe objects of this resource. */
export function canDescribe(resource: ResourceInfo): boolean {
  return `${resource.group}/${resource.kind}` in describers;
}

/** The describe text of one object already fetched. */
export async function describeObject(client: KubeClient, resource: ResourceInfo, obj: KObject, now: number): Promise<string> {
  const d = describers[`${resource.group}/${resource.kind}`];
  if (!d) throw new Error(`no description has been implemented for ${resource.group ? `${resource.group}/` : ''}${resource.version}, Kind=${resource.kind}`);
  return d(client, obj, now);
}

/**
 * `kubectl describe <resource> <name>`: the object's description. As kubectl, a name that does
 * not exist is tried as a prefix of the names in the namespace (`kubectl describe pods echo`
 * describes every echo-* pod, each followed by a blank line); with no match the NotFound stands.
 */
export async function describe(client: KubeClient, resource: ResourceInfo, namespace: string, name: string, now: number): Promise<string> {
  const ns = resource.namespaced ? namespace : undefined;
  let obj: KObject;
  try {
    obj = await client.get(resource, ns, name);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
    const matches = (await client.list(resource, ns, { limit: 500 })).items.filter((o) => (o.metadata.name ?? '').startsWith(name));
    if (matches.length === 0) throw e;
    let out = '';
    for (const m of matches) out += `${await describeObject(client, resource, m, now)}\n`;
    return out;
  }
  return describeObject(client, resource, obj, now);
}

/** `kubectl describe <resource>` (optionally `-l selector`): every object, separated by two blank lines. */
export async function describeAll(client: KubeClient, resource: ResourceInfo, namespace: string | undefined, now: number, labelSelector?: string): Promise<string> {
  const items = (await client.list(resource, resource.namespaced ? namespace : undefined, { labelSelector, limit: 500 })).items;
  const parts: string[] = [];
  for (const o of items) parts.push(await describeObject(client, resource, o, now));
  return parts.join('\n\n');
}
