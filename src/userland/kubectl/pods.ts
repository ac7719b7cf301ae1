/**
 * Finding the pod and container a streaming command (exec, logs, port-forward) works on: a pod
 * name or TYPE/NAME (the first pod of a deployment, replica set, service…), and the default
 * container with kubectl's `Defaulted container "a" out of: a, b` notice.
 */
import type { KObject } from '../../k8s/api/object.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { query } from './common.ts';
import type { Kctx } from './context.ts';
import { CmdError } from './errors.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** `a=b,c=d` of a map, as a label selector. */
function selectorString(m: Record<string, unknown>): string {
  return Object.keys(m).sort().map((k) => `${k}=${String(m[k])}`).join(',');
}

/** The label selector of a workload or service, as the pods behind it are found. */
function selectorOf(o: KObject): string {
  const spec = obj(o.spec);
  if (o.kind === 'Service' || o.kind === 'ReplicationController') return selectorString(obj(spec.selector));
  const sel = obj(spec.selector);
  const parts = [selectorString(obj(sel.matchLabels))];
  for (const e of arr(sel.matchExpressions)) {
    const values = (e.values as string[] | undefined) ?? [];
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${values.join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${values.join(',')})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
  }
  return parts.filter((p) => p).join(',');
}

/** podutils.ActivePods order, reversed to put the best first: running and ready, then the older. */
function rank(p: KObject): number[] {
  const st = obj(p.status);
  const phase = st.phase;
  const ready = arr(st.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
  return [p.spec && obj(p.spec).nodeName ? 0 : 1, phase === 'Running' ? 0 : phase === 'Pending' ? 1 : 2, ready ? 0 : 1];
}

/** The pod named by `arg` (`POD` or `TYPE/NAME`), and the object it was reached through. */
export async function podFor(k: Kctx, arg: string): Promise<{ pod: KObject; via?: KObject }> {
  const d = await k.discovery();
  const slash = arg.indexOf('/');
  const [type, name] = slash < 0 ? ['pods', arg] : [arg.slice(0, slash), arg.slice(slash + 1)];
  const r = d.resolve(type);
  const client = k.client();
  const o = await client.call<KObject>('GET', resourcePath(r, r.namespaced ? k.namespace : undefined, name));
  if (r.kind === 'Pod') return { pod: { apiVersion: 'v1', kind: 'Pod', ...o } };
  const typed = { apiVersion: o.apiVersion, kind: o.kind ?? r.kind, ...o };
  const sel = selectorOf(typed);
  const podsRes = d.resolve('pods');
  const list = await client.call<{ items?: KObject[] }>('GET', resourcePath(podsRes, k.namespace) + query({ labelSelector: sel }));
  const pods = [...(list.items ?? [])].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''));
  });
  if (!pods.length) throw new CmdError(`no matching resources found`);
  return { pod: { apiVersion: 'v1', kind: 'Pod', ...pods[0] }, via: typed };
}

/** The containers' names as the notice lists them: regular, then `x (init)`, then `x (ephem)`. */
function allContainerNames(pod: KObject): string {
  const spec = obj(pod.spec);
  return [
    ...arr(spec.containers).map((c) => String(c.name)),
    ...arr(spec.initContainers).map((c) => `${String(c.name)} (init)`),
    ...arr(spec.ephemeralContainers).map((c) => `${String(c.name)} (ephem)`),
  ].join(', ');
}

/** podcmd.FindOrDefaultContainerByName: the container `-c` names, the annotated default, or the first (with the notice). */
export function containerFor(k: Kctx, pod: KObject, name: string, quiet = false): string {
  const spec = obj(pod.spec);
  const all = [...arr(spec.containers), ...arr(spec.initContainers), ...arr(spec.ephemeralContainers)];
  if (name) {
    if (!all.some((c) => c.name === name)) throw new CmdError(`container ${name} is not valid for pod ${pod.metadata.name ?? ''}`);
    return name;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && all.some((c) => c.name === annotated)) return annotated;
  const containers = arr(spec.containers);
  if (!containers.length) throw new CmdError(`pod ${pod.metadata.name ?? ''} does not have a container`);
  const first = String(containers[0].name);
  if (containers.length > 1 && !quiet) k.err(`Defaulted container "${first}" out of: ${allContainerNames(pod)}\n`);
  return first;
}
