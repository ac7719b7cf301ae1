/**
 * Helpers the controllers share: the resources they touch, pod readiness as podutil computes
 * it, owner references, label selectors from specs, int-or-percent values, and canonical JSON.
 */
import type * as core from 'kubernetes-types/core/v1.d.ts';
import type * as apps from 'kubernetes-types/apps/v1.d.ts';
import type * as discovery from 'kubernetes-types/discovery/v1.d.ts';
import { StatusError } from '../api/errors.ts';
import type { KObject, LabelSelector, Mutable, ObjectMeta, OwnerReference } from '../api/object.ts';
import { resourceByPlural, type ResourceInfo } from '../api/resources.ts';
import { fromLabelSelector, fromMap, matchesLabels, type Selector } from '../api/selectors.ts';
import type { Registry } from '../registry/registry.ts';

function res(group: string, plural: string): ResourceInfo {
  const r = resourceByPlural(group, plural);
  if (!r) throw new Error(`unknown resource ${group}/${plural}`);
  return r;
}

export const R = {
  pods: res('', 'pods'),
  services: res('', 'services'),
  endpoints: res('', 'endpoints'),
  endpointslices: res('discovery.k8s.io', 'endpointslices'),
  nodes: res('', 'nodes'),
  namespaces: res('', 'namespaces'),
  events: res('', 'events'),
  configmaps: res('', 'configmaps'),
  serviceaccounts: res('', 'serviceaccounts'),
  replicationcontrollers: res('', 'replicationcontrollers'),
  replicasets: res('apps', 'replicasets'),
  deployments: res('apps', 'deployments'),
};

/** A typed view of a stored object: kubernetes-types made writable, with metadata present. */
export type Obj<T> = Mutable<T> & { metadata: ObjectMeta };
export type Pod = Obj<core.Pod>;
export type Service = Obj<core.Service>;
export type Node = Obj<core.Node>;
export type Endpoints = Obj<core.Endpoints>;
export type EndpointSlice = Obj<discovery.EndpointSlice>;
export type ReplicaSet = Obj<apps.ReplicaSet>;
export type Deployment = Obj<apps.Deployment>;
export type PodTemplateSpec = Mutable<core.PodTemplateSpec>;

// ---- pods ---------------------------------------------------------------------------------

export function podCondition(pod: Pod, type: string): Mutable<core.PodCondition> | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds at `now` (ms). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(t) && t + minReadySeconds * 1000 <= now;
}

/** When a ready pod becomes available (ms), for requeueing; undefined when it is not ready. */
export function podAvailableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime) + minReadySeconds * 1000;
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** podutil.IsPodTerminal. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

// ---- owners -------------------------------------------------------------------------------

/** metav1.NewControllerRef: what a controller writes into the objects it creates. */
export function newControllerRef(owner: KObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function controllerRefOf(obj: { metadata: ObjectMeta }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller);
}

// ---- selectors ----------------------------------------------------------------------------

/** A spec's LabelSelector as requirements; an absent or empty one selects nothing here (controllers refuse to select everything). */
export function specSelector(ls: LabelSelector | undefined | null): Selector | undefined {
  const s = fromLabelSelector(ls ?? undefined);
  return s && s.length ? s : undefined;
}

/** A map selector (Service, ReplicationController); empty selects nothing. */
export function mapSelector(m: Record<string, string> | undefined | null): Selector | undefined {
  const s = fromMap(m ?? undefined);
  return s.length ? s : undefined;
}

export function selects(sel: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  return !!sel && matchesLabels(sel, labels);
}

// ---- values -------------------------------------------------------------------------------

/** intstr.GetScaledValueFromIntOrPercent: `25%` of `total`, rounded up or down; a number as is. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number | string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) {
    const n = Number(x);
    return Number.isInteger(n) ? n : 0;
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** JSON with object keys sorted at every level: a stable text for hashing and comparing specs. */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJSON(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(',')}}`;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

export function isStatusError(e: unknown, code?: number): e is StatusError {
  return e instanceof StatusError && (code === undefined || e.code === code);
}

/** Whether a namespace is going away (creates in it fail with 403 and are not worth retrying). */
export function isNamespaceTerminating(e: unknown): boolean {
  return isStatusError(e, 403) && /because it is being terminated/.test(e.message);
}

/** Sorts in place by a key, ties broken by the next keys; stable. */
export function byKeys<T>(...keys: ((x: T) => string | number)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = k(a);
      const y = k(b);
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
}

/**
 * Runs a controller's write; a conflict or a vanished object (another writer got there first)
 * puts `key` back on `queue` for the next round, and a terminating namespace (403) is let be.
 * Returns false when the write did not happen.
 */
export function writeOrRequeue(queue: { add(key: string): void }, key: string, fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (isStatusError(e, 409) || isStatusError(e, 404)) {
      queue.add(key);
      return false;
    }
    if (isStatusError(e, 403)) return false;
    throw e;
  }
}

/** Deletes `obj` if it is still the same object (uid precondition); already gone or replaced is fine. */
export function deleteIfSame(registry: Registry, r: ResourceInfo, obj: KObject): void {
  try {
    registry.delete(r, obj.metadata.namespace, obj.metadata.name!, { preconditions: { uid: obj.metadata.uid } });
  } catch (e) {
    if (!isStatusError(e, 404) && !isStatusError(e, 409)) throw e;
  }
}
