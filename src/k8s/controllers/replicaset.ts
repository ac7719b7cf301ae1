/**
 * Keeps the number of pods of each ReplicaSet (and, with the same mechanism, each
 * ReplicationController) at spec.replicas: adopts matching orphans, creates pods from the
 * template named `<owner>-<5 chars>`, deletes the least valuable pods first, and reports
 * replicas / fullyLabeledReplicas / readyReplicas / availableReplicas / observedGeneration.
 */
import type { KObject } from '../api/object.ts';
import { clone, rfc3339 } from '../api/object.ts';
import { qualified, type ResourceInfo } from '../api/resources.ts';
import type { Selector } from '../api/selectors.ts';
import type { StoreEvent } from '../store/store.ts';
import { nsKey, splitKey, type Controller, type ControllerContext } from './controller.ts';
import {
  R, byKeys, controllerRefOf, isNamespaceTerminating, isPodActive, isPodAvailable, isPodReady, isStatusError, jsonEqual,
  mapSelector, newControllerRef, podAvailableAt, podCondition, selects, specSelector, type Pod, type PodTemplateSpec,
} from './util.ts';

/** What differs between the ReplicaSet and the ReplicationController flavours. */
export interface ReplicaOwnerKind {
  name: string;
  resource: ResourceInfo;
  kind: string;
  /** The component its events come from. */
  component: string;
  selector(obj: KObject): Selector | undefined;
}

export const REPLICASET: ReplicaOwnerKind = {
  name: 'replicaset',
  resource: R.replicasets,
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (o) => specSelector((o.spec as { selector?: never } | undefined)?.selector),
};

export const REPLICATIONCONTROLLER: ReplicaOwnerKind = {
  name: 'replicationcontroller',
  resource: R.replicationcontrollers,
  kind: 'ReplicationController',
  component: 'replication-controller',
  // An RC's selector defaults to its template's labels (SetDefaults_ReplicationController).
  selector: (o) => {
    const spec = (o.spec ?? {}) as { selector?: Record<string, string>; template?: PodTemplateSpec };
    return mapSelector(spec.selector && Object.keys(spec.selector).length ? spec.selector : spec.template?.metadata?.labels);
  },
};

/** How many pods one sync creates or deletes at most (kube-controller-manager's burstReplicas). */
const BURST_REPLICAS = 500;

interface OwnerSpec {
  replicas?: number;
  minReadySeconds?: number;
  template?: PodTemplateSpec;
}

interface OwnerStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  private readonly ctx: ControllerContext;
  private readonly k: ReplicaOwnerKind;
  private readonly res: string;

  constructor(ctx: ControllerContext, kind: ReplicaOwnerKind) {
    this.ctx = ctx;
    this.k = kind;
    this.name = kind.name;
    this.res = qualified(kind.resource);
  }

  start(): void {
    for (const o of this.ctx.registry.list(this.k.resource, undefined).items) this.ctx.queue.add(nsKey(o.metadata.namespace, o.metadata.name!));
  }

  observe(e: StoreEvent): void {
    if (e.resource === this.res) {
      this.ctx.queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name!));
      return;
    }
    if (e.resource !== 'pods') return;
    for (const p of e.old ? [e.object, e.old] : [e.object]) {
      const ref = controllerRefOf(p);
      if (ref) {
        if (ref.kind === this.k.kind) this.ctx.queue.add(nsKey(p.metadata.namespace, ref.name));
      } else if (e.type !== 'DELETED' && !p.metadata.deletionTimestamp) {
        // An orphan: every owner whose selector matches may adopt it.
        for (const o of this.ctx.cache.list(this.res, p.metadata.namespace)) {
          if (selects(this.k.selector(o), p.metadata.labels)) this.ctx.queue.add(nsKey(o.metadata.namespace, o.metadata.name!));
        }
      }
    }
  }

  reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const reg = this.ctx.registry;
    const owner = reg.tryGet(this.k.resource, ns, name);
    if (!owner) return;
    const selector = this.k.selector(owner);
    if (!selector) return;
    const spec = (owner.spec ?? {}) as OwnerSpec;
    // Inactive pods (finished, or being deleted) neither count nor get adopted. Candidates are the
    // pods it controls and the namespace's pods without a controller.
    const cache = this.ctx.cache;
    const candidates = [...cache.controlledBy('pods', owner.metadata.uid!), ...cache.uncontrolled('pods', ns)];
    const active = (candidates as unknown as Pod[]).filter(isPodActive).sort(byKeys((p) => p.metadata.name ?? ''));
    const pods = this.claimPods(owner, selector, active);
    let manageErr: string | undefined;
    let diff = 0;
    if (!owner.metadata.deletionTimestamp) {
      diff = pods.length - (spec.replicas ?? 1);
      manageErr = this.manageReplicas(owner, pods, diff);
    }
    this.updateStatus(owner, pods, manageErr, diff);
    const minReady = spec.minReadySeconds ?? 0;
    if (minReady > 0) {
      // Pods that are ready but not yet available become so as time passes: look again then.
      const now = reg.now();
      const due = pods.filter((p) => isPodReady(p) && !isPodAvailable(p, minReady, now)).map((p) => podAvailableAt(p, minReady)!);
      if (due.length) this.ctx.queue.addAt(key, Math.min(...due));
    }
  }

  /** ControllerRefManager.ClaimPods: keeps owned pods that still match, releases those that do not, adopts matching orphans. */
  private claimPods(owner: KObject, selector: Selector, pods: Pod[]): Pod[] {
    const reg = this.ctx.registry;
    const out: Pod[] = [];
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      const matches = selects(selector, pod.metadata.labels);
      if (ref) {
        if (ref.uid !== owner.metadata.uid) continue;
        if (matches) {
          out.push(pod);
        } else if (!owner.metadata.deletionTimestamp) {
          // Release: the pod no longer matches, so it is no longer ours.
          const next = clone(pod);
          next.metadata.ownerReferences = next.metadata.ownerReferences!.filter((r) => r.uid !== owner.metadata.uid);
          if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
          this.tryWrite(() => reg.update(R.pods, next.metadata.namespace, next.metadata.name!, next as unknown as KObject));
        }
        continue;
      }
      if (!matches || owner.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) continue;
      // Adopt the orphan.
      const next = clone(pod);
      next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), newControllerRef(owner)];
      const adopted = this.tryWrite(() => reg.update(R.pods, next.metadata.namespace, next.metadata.name!, next as unknown as KObject));
      if (adopted) out.push(adopted as unknown as Pod);
    }
    return out;
  }

  /** Writes that may race with other changes; a conflict or a vanished object only means a later sync will see the new state. */
  private tryWrite(fn: () => KObject): KObject | undefined {
    try {
      return fn();
    } catch (e) {
      if (isStatusError(e, 404) || isStatusError(e, 409)) return undefined;
      throw e;
    }
  }

  /** Creates or deletes pods to close `diff`; returns the error of a failed create or delete (for the ReplicaFailure condition). */
  private manageReplicas(owner: KObject, pods: Pod[], diff: number): string | undefined {
    const reg = this.ctx.registry;
    const spec = (owner.spec ?? {}) as OwnerSpec;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      for (let i = 0; i < n; i++) {
        try {
          const pod = reg.create(R.pods, owner.metadata.namespace, podFromTemplate(spec.template ?? {}, owner));
          this.ctx.recorder.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, this.k.component);
        } catch (e) {
          // Creates in a terminating namespace all fail; there is nothing to do about it.
          if (isNamespaceTerminating(e)) return undefined;
          const msg = (e as Error).message;
          this.ctx.recorder.record(owner, 'Warning', 'FailedCreate', `Error creating: ${msg}`, this.k.component);
          return msg;
        }
      }
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      for (const pod of podsToDelete(pods, this.relatedPods(owner), n, reg.now())) {
        try {
          reg.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
          this.ctx.recorder.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, this.k.component);
        } catch (e) {
          if (isStatusError(e, 404)) continue;
          const msg = (e as Error).message;
          this.ctx.recorder.record(owner, 'Warning', 'FailedDelete', `Error deleting: ${msg}`, this.k.component);
          return msg;
        }
      }
    }
    return undefined;
  }

  /**
   * getIndirectlyRelatedPods: the pods of every ReplicaSet sharing this one's controller (a
   * Deployment's old and new ReplicaSets), used to prefer deleting pods doubled up on a node.
   */
  private relatedPods(owner: KObject): Pod[] {
    const cache = this.ctx.cache;
    const ownerRef = controllerRefOf(owner);
    const siblings = new Set<string>([owner.metadata.uid!]);
    if (ownerRef) for (const o of cache.controlledBy(this.res, ownerRef.uid)) siblings.add(o.metadata.uid!);
    return [...siblings].flatMap((uid) => cache.controlledBy('pods', uid)) as unknown as Pod[];
  }

  private updateStatus(owner: KObject, pods: Pod[], manageErr: string | undefined, diff: number): void {
    const reg = this.ctx.registry;
    const spec = (owner.spec ?? {}) as OwnerSpec;
    const old = (owner.status ?? {}) as OwnerStatus;
    const templateLabels = spec.template?.metadata?.labels ?? {};
    const now = reg.now();
    let fully = 0;
    let ready = 0;
    let available = 0;
    for (const p of pods) {
      const l = p.metadata.labels ?? {};
      if (Object.entries(templateLabels).every(([k, v]) => l[k] === v)) fully++;
      if (isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, spec.minReadySeconds ?? 0, now)) available++;
      }
    }
    let conditions = old.conditions ? clone(old.conditions) : undefined;
    const failure = conditions?.find((c) => c.type === 'ReplicaFailure');
    if (manageErr !== undefined && !failure) {
      conditions = [...(conditions ?? []), { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason: diff < 0 ? 'FailedCreate' : 'FailedDelete', message: manageErr }];
    } else if (manageErr === undefined && failure) {
      conditions = conditions!.filter((c) => c.type !== 'ReplicaFailure');
    }
    if (conditions && !conditions.length) conditions = undefined;
    const generation = owner.metadata.generation ?? 0;
    if (
      (old.replicas ?? 0) === pods.length && (old.fullyLabeledReplicas ?? 0) === fully && (old.readyReplicas ?? 0) === ready &&
      (old.availableReplicas ?? 0) === available && (old.observedGeneration ?? 0) === generation && jsonEqual(old.conditions, conditions)
    ) return;
    // Zero counts are left out as the API's omitempty fields marshal them; replicas is always there.
    const status: OwnerStatus = { replicas: pods.length };
    if (fully) status.fullyLabeledReplicas = fully;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (generation) status.observedGeneration = generation;
    if (conditions) status.conditions = conditions;
    const next = { ...owner, status };
    this.tryWrite(() => reg.update(this.k.resource, owner.metadata.namespace, owner.metadata.name!, next, { subresource: 'status' }));
  }
}

/** controller.GetPodFromTemplate: the template's labels, annotations, finalizers and spec, a generateName of `<owner>-`, and the controller reference. */
export function podFromTemplate(template: PodTemplateSpec, owner: KObject): KObject {
  const tm = template.metadata ?? {};
  const metadata: KObject['metadata'] = { generateName: `${owner.metadata.name}-`, namespace: owner.metadata.namespace };
  if (tm.labels && Object.keys(tm.labels).length) metadata.labels = { ...tm.labels };
  if (tm.annotations && Object.keys(tm.annotations).length) metadata.annotations = { ...tm.annotations };
  if (tm.finalizers?.length) metadata.finalizers = [...tm.finalizers];
  metadata.ownerReferences = [newControllerRef(owner)];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: clone(template.spec ?? {}) } as KObject;
}

// ---- which pods go first -------------------------------------------------------------------

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * getPodsToDelete: the `n` pods to delete, ranked as ActivePodsWithRanks sorts them (with
 * LogarithmicScaleDown): unscheduled before scheduled, Pending before Unknown before Running,
 * not ready before ready, lower deletion cost first, more pods of the family on the same node
 * first, recently ready before long ready, more restarts first, newer before older.
 */
export function podsToDelete(pods: Pod[], related: Pod[], n: number, now: number): Pod[] {
  if (n >= pods.length) return pods.slice(0, n);
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((p) => ({ p, rank: onNode.get(p.spec?.nodeName ?? '') ?? 0 }));
  // A stable sort, and names as the last tie-break, keep the choice deterministic where upstream's unstable sort is not.
  ranked.sort((a, b) => {
    if (lessPod(a.p, a.rank, b.p, b.rank, now)) return -1;
    if (lessPod(b.p, b.rank, a.p, a.rank, now)) return 1;
    return byKeys<Pod>((x) => x.metadata.name ?? '')(a.p, b.p);
  });
  return ranked.slice(0, n).map((x) => x.p);
}

function lessPod(a: Pod, ra: number, b: Pod, rb: number, now: number): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na;
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  if (ra !== rb) return ra > rb;
  if (isPodReady(a) && isPodReady(b)) {
    const ta = timeOf(podCondition(a, 'Ready')?.lastTransitionTime);
    const tb = timeOf(podCondition(b, 'Ready')?.lastTransitionTime);
    if (ta !== tb) {
      if (ta === 0 || tb === 0) return ta === 0;
      const d = logRank(ta, now) - logRank(tb, now);
      if (d === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
      return d < 0;
    }
  }
  const ra2 = maxRestarts(a);
  const rb2 = maxRestarts(b);
  if (ra2 !== rb2) return ra2 > rb2;
  const ka = timeOf(a.metadata.creationTimestamp);
  const kb = timeOf(b.metadata.creationTimestamp);
  if (ka !== kb) {
    if (ka === 0 || kb === 0) return ka === 0;
    const d = logRank(ka, now) - logRank(kb, now);
    if (d === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
    return d < 0;
  }
  return false;
}

function timeOf(t: string | undefined | null): number {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? 0 : v;
}

/** logarithmicRankDiff's per-pod rank: floor(log2(age in nanoseconds)), -1 for no age. */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

function deletionCost(p: Pod): number {
  const v = p.metadata.annotations?.[DELETION_COST];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

function maxRestarts(p: Pod): number {
  let m = 0;
  for (const c of p.status?.containerStatuses ?? []) m = Math.max(m, c.restartCount ?? 0);
  return m;
}
