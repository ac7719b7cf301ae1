/**
 * Runs Deployments as the deployment controller does: one ReplicaSet per pod template, named
 * `<deployment>-<pod-template-hash>`; rollouts (RollingUpdate within maxSurge/maxUnavailable,
 * or Recreate) that scale the new ReplicaSet up and the old ones down; proportional scaling;
 * revision annotations and history cleanup; status with the Available and Progressing
 * conditions in upstream's reasons and messages, and ScalingReplicaSet events.
 */
import type { KObject, OwnerReference } from '../api/object.ts';
import { clone, rfc3339 } from '../api/object.ts';
import type { Selector } from '../api/selectors.ts';
import type { StoreEvent } from '../store/store.ts';
import { nsKey, splitKey, type Controller, type ControllerContext } from './controller.ts';
import { podTemplateHash } from './hash.ts';
import {
  R, byKeys, controllerRefOf, isNamespaceTerminating, isStatusError, jsonEqual, newControllerRef, scaledValue, selects, specSelector,
  type Deployment, type Pod, type PodTemplateSpec, type ReplicaSet,
} from './util.ts';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Annotations a Deployment does not pass on to its ReplicaSets. */
const SKIP_COPY = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
/** The controller's --deployment-controller revision-history length limit in characters. */
const REV_HISTORY_LIMIT_CHARS = 2000;
const COMPONENT = 'deployment-controller';
const MAX_INT32 = 2147483647;

// Condition reasons (deployment/util).
const NEW_RS_CREATED = 'NewReplicaSetCreated';
const FOUND_NEW_RS = 'FoundNewReplicaSet';
const RS_UPDATED = 'ReplicaSetUpdated';
const NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
const TIMED_OUT = 'ProgressDeadlineExceeded';
const PAUSED = 'DeploymentPaused';
const RESUMED = 'DeploymentResumed';
const FAILED_RS_CREATE = 'ReplicaSetCreateError';

interface Condition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface DStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

/** One sync's view of the Deployment, kept current as the sync writes it. */
interface Sync {
  d: Deployment;
  key: string;
}

// ---- spec with defaults (SetDefaults_Deployment, for objects stored without a strategy) -----

function replicasOf(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** deploymentutil.ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero means one unavailable. */
function fenceposts(d: Deployment): [number, number] {
  const n = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge, n, true, '25%');
  let unavailable = scaledValue(ru?.maxUnavailable, n, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return fenceposts(d)[0];
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d)[1], replicasOf(d));
}

function progressDeadline(d: Deployment): number | undefined {
  const p = d.spec?.progressDeadlineSeconds ?? 600;
  return p === MAX_INT32 ? undefined : p;
}

function revisionHistoryLimit(d: Deployment): number | undefined {
  const v = d.spec?.revisionHistoryLimit ?? 10;
  return v === MAX_INT32 ? undefined : v;
}

// ---- replica sets ----------------------------------------------------------------------------

function rsReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

function revisionOf(rs: { metadata: { annotations?: Record<string, string> } }): number {
  const v = Number(rs.metadata.annotations?.[REVISION] ?? '');
  return Number.isInteger(v) && v >= 0 ? v : 0;
}

const byCreation = byKeys<ReplicaSet>((r) => r.metadata.creationTimestamp ?? '', (r) => r.metadata.name ?? '');

function sumSpec(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + rsReplicas(rs), 0);
}

function sumStatus(rss: ReplicaSet[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);
}

function active(rss: ReplicaSet[]): ReplicaSet[] {
  return rss.filter((rs) => rsReplicas(rs) > 0);
}

/** A JSON value with empty maps, lists and nulls dropped: apimachinery's semantic equality treats them as absent. */
function semantic(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(semantic);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = semantic(x);
      if (s === null || s === undefined) continue;
      if (typeof s === 'object' && Object.keys(s as object).length === 0) continue;
      out[k] = s;
    }
    return out;
  }
  return v;
}

/** deploymentutil.EqualIgnoreHash: two pod templates equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined): unknown => {
    const c = clone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[POD_TEMPLATE_HASH];
    return semantic(c);
  };
  return jsonEqual(strip(a), strip(b));
}

function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) {
    a[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS] !== String(max)) {
    a[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/** deploymentutil.SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision (keeping history), and on creation sets the replica annotations. */
function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = REVISION in a;
  const oldRevision = a[REVISION] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    oldInt = Number(oldRevision);
    if (!Number.isInteger(oldInt)) return false;
  }
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[REVISION] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    // Rolling back to this ReplicaSet: remember the revisions it had.
    const history = a[REVISION_HISTORY] ?? '';
    let old = history.split(',');
    if (old[0] === '') {
      a[REVISION_HISTORY] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > REV_HISTORY_LIMIT_CHARS && start < old.length) {
        total -= old[start].length + 1;
        start++;
      }
      if (total <= REV_HISTORY_LIMIT_CHARS) {
        old = [...old.slice(start), oldRevision];
        a[REVISION_HISTORY] = old.join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

// ---- conditions ---------------------------------------------------------------------------

function getCondition(s: DStatus | undefined, type: string): Condition | undefined {
  return s?.conditions?.find((c) => c.type === type);
}

/** deploymentutil.SetDeploymentCondition: same status and reason changes nothing; same status keeps lastTransitionTime; the condition moves to the end. */
function setCondition(s: DStatus, c: Condition): void {
  const cur = getCondition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), c];
}

function removeCondition(s: DStatus, type: string): void {
  if (!s.conditions) return;
  s.conditions = s.conditions.filter((c) => c.type !== type);
  if (!s.conditions.length) delete s.conditions;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly ctx: ControllerContext;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const o of this.ctx.registry.list(R.deployments, undefined).items) this.ctx.queue.add(nsKey(o.metadata.namespace, o.metadata.name!));
  }

  observe(e: StoreEvent): void {
    const q = this.ctx.queue;
    if (e.resource === 'deployments.apps') {
      q.add(nsKey(e.object.metadata.namespace, e.object.metadata.name!));
    } else if (e.resource === 'replicasets.apps') {
      for (const rs of e.old ? [e.object, e.old] : [e.object]) {
        const ref = controllerRefOf(rs);
        if (ref) {
          if (ref.kind === 'Deployment') q.add(nsKey(rs.metadata.namespace, ref.name));
        } else if (e.type !== 'DELETED') {
          // An orphan ReplicaSet: any Deployment selecting it may adopt it.
          for (const d of this.ctx.cache.list('deployments.apps', rs.metadata.namespace)) {
            if (selects(specSelector((d.spec as Deployment['spec'])?.selector), rs.metadata.labels)) q.add(nsKey(d.metadata.namespace, d.metadata.name!));
          }
        }
      }
    } else if (e.resource === 'pods' && e.type === 'DELETED') {
      // A Recreate rollout waits for the old pods to be gone.
      const ref = controllerRefOf(e.object);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = this.ctx.cache.get('replicasets.apps', e.object.metadata.namespace, ref.name);
      const dref = rs && controllerRefOf(rs);
      if (dref?.kind === 'Deployment') q.add(nsKey(rs!.metadata.namespace, dref.name));
    }
  }

  reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const found = this.ctx.registry.tryGet(R.deployments, ns, name);
    if (!found) return;
    const s: Sync = { d: found as unknown as Deployment, key };
    const d = s.d;
    const rawSelector = d.spec?.selector;
    if (rawSelector && !Object.keys(rawSelector.matchLabels ?? {}).length && !rawSelector.matchExpressions?.length) {
      this.ctx.recorder.record(this.k(s), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', COMPONENT);
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        this.writeStatus(s, { ...(clone(d.status) ?? {}), observedGeneration: d.metadata.generation } as DStatus);
      }
      return;
    }
    const selector = specSelector(rawSelector);
    if (!selector) return;
    const rsList = this.claimReplicaSets(s, selector);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(s, rsList, false);
      this.syncDeploymentStatus(s, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
      return;
    }
    this.checkPausedConditions(s);
    if (s.d.spec?.paused) {
      this.sync(s, rsList);
      return;
    }
    if (this.isScalingEvent(s, rsList)) {
      this.sync(s, rsList);
      return;
    }
    if (s.d.spec?.strategy?.type === 'Recreate') this.rolloutRecreate(s, rsList, selector);
    else this.rolloutRolling(s, rsList);
  }

  // ---- the Deployment as an object ------------------------------------------------------------

  private k(s: Sync): KObject {
    return s.d as unknown as KObject;
  }

  private status(s: Sync): DStatus {
    return (s.d.status ?? {}) as DStatus;
  }

  /**
   * Writes the Deployment's annotations (the revision) if they changed. Upstream sends them with
   * a status update, whose strategy keeps annotation changes and leaves the generation alone; a
   * main-resource update would bump the generation (annotation changes do for Deployments), so
   * this goes to the store as that status write would.
   */
  private writeAnnotations(s: Sync, annotations: Record<string, string>): void {
    if (jsonEqual(annotations, s.d.metadata.annotations ?? {})) return;
    const store = this.ctx.registry.store;
    const written = store.txn(() => {
      const cur = store.get('deployments.apps', s.d.metadata.namespace, s.d.metadata.name!);
      if (!cur || cur.metadata.uid !== s.d.metadata.uid) return undefined;
      cur.metadata.annotations = annotations;
      return store.update('deployments.apps', cur);
    });
    if (written) s.d = { apiVersion: 'apps/v1', kind: 'Deployment', ...written } as unknown as Deployment;
  }

  private writeStatus(s: Sync, status: DStatus): void {
    if (jsonEqual(status, s.d.status ?? {})) return;
    const next = { ...clone(s.d), status } as unknown as KObject;
    s.d = this.ctx.registry.update(R.deployments, next.metadata.namespace, next.metadata.name!, next, { subresource: 'status' }) as unknown as Deployment;
  }

  /** getReplicaSetsForDeployment: ClaimReplicaSets with adoption and release. */
  private claimReplicaSets(s: Sync, selector: Selector): ReplicaSet[] {
    const reg = this.ctx.registry;
    const d = s.d;
    const out: ReplicaSet[] = [];
    const cache = this.ctx.cache;
    const candidates = [...cache.controlledBy('replicasets.apps', d.metadata.uid!), ...cache.uncontrolled('replicasets.apps', d.metadata.namespace)];
    for (const o of candidates.sort(byKeys((x) => x.metadata.name ?? ''))) {
      const rs = clone(o) as unknown as ReplicaSet;
      const ref = controllerRefOf(rs);
      const matches = selects(selector, rs.metadata.labels);
      if (ref) {
        if (ref.uid !== d.metadata.uid) continue;
        if (matches) out.push(rs);
        else if (!d.metadata.deletionTimestamp) {
          rs.metadata.ownerReferences = rs.metadata.ownerReferences!.filter((r) => r.uid !== d.metadata.uid);
          if (!rs.metadata.ownerReferences.length) delete rs.metadata.ownerReferences;
          this.tryWrite(() => reg.update(R.replicasets, rs.metadata.namespace, rs.metadata.name!, rs as unknown as KObject));
        }
        continue;
      }
      if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) continue;
      rs.metadata.ownerReferences = [...(rs.metadata.ownerReferences ?? []), newControllerRef(this.k(s)) as OwnerReference];
      const adopted = this.tryWrite(() => reg.update(R.replicasets, rs.metadata.namespace, rs.metadata.name!, rs as unknown as KObject));
      if (adopted) out.push(adopted as unknown as ReplicaSet);
    }
    return out;
  }

  private tryWrite(fn: () => KObject): KObject | undefined {
    try {
      return fn();
    } catch (e) {
      if (isStatusError(e, 404) || isStatusError(e, 409)) return undefined;
      throw e;
    }
  }

  // ---- new and old replica sets ---------------------------------------------------------------

  private getAllReplicaSetsAndSyncRevision(s: Sync, rsList: ReplicaSet[], create: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const existing = [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, s.d.spec?.template));
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = this.getNewReplicaSet(s, existing, oldRSs, create);
    return { newRS, oldRSs };
  }

  private getNewReplicaSet(s: Sync, existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined {
    const reg = this.ctx.registry;
    const maxOld = oldRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const newRevision = String(maxOld + 1);
    if (existing) {
      const rsCopy = clone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(s.d, rsCopy, newRevision, true);
      const minReady = s.d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (rsCopy.spec?.minReadySeconds ?? 0) !== minReady) {
        rsCopy.spec!.minReadySeconds = minReady;
        if (!minReady) delete rsCopy.spec!.minReadySeconds;
        return reg.update(R.replicasets, rsCopy.metadata.namespace, rsCopy.metadata.name!, rsCopy as unknown as KObject) as unknown as ReplicaSet;
      }
      const annotations = { ...(s.d.metadata.annotations ?? {}) };
      const rev = rsCopy.metadata.annotations?.[REVISION] ?? '';
      if (annotations[REVISION] !== rev) annotations[REVISION] = rev;
      this.writeAnnotations(s, annotations);
      // Users who just started caring about progress: note the first time the new ReplicaSet was seen.
      if (progressDeadline(s.d) !== undefined && !getCondition(this.status(s), 'Progressing')) {
        const st = clone(this.status(s));
        setCondition(st, this.condition('Progressing', 'True', FOUND_NEW_RS, `Found new replica set "${rsCopy.metadata.name}"`));
        this.writeStatus(s, st);
      }
      return rsCopy;
    }
    if (!create) return undefined;

    const d = s.d;
    const template = clone(d.spec?.template ?? {});
    const collisionCount = this.status(s).collisionCount;
    const hash = podTemplateHash(template, collisionCount);
    const newTemplate = clone(template);
    newTemplate.metadata = { ...(newTemplate.metadata ?? {}), labels: { ...(newTemplate.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
    const selector = clone(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace,
        labels: { ...newTemplate.metadata.labels },
        ownerReferences: [newControllerRef(this.k(s))],
      },
      spec: { replicas: 0, selector, template: newTemplate },
    };
    if (d.spec?.minReadySeconds) newRS.spec!.minReadySeconds = d.spec.minReadySeconds;
    const replicas = this.newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = reg.create(R.replicasets, d.metadata.namespace, newRS as unknown as KObject) as unknown as ReplicaSet;
    } catch (e) {
      if (isStatusError(e, 409) && e.reason === 'AlreadyExists') {
        const rs = reg.tryGet(R.replicasets, d.metadata.namespace, newRS.metadata.name!) as unknown as ReplicaSet | undefined;
        if (rs && controllerRefOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
          created = rs;
          alreadyExists = true;
        } else {
          // A hash collision with someone else's ReplicaSet: a different collisionCount gives another name.
          const st = clone(this.status(s));
          st.collisionCount = (st.collisionCount ?? 0) + 1;
          this.writeStatus(s, st);
          this.ctx.queue.add(s.key);
          return undefined;
        }
      } else if (isNamespaceTerminating(e)) {
        return undefined;
      } else {
        const msg = `Failed to create new replica set "${newRS.metadata.name}": ${(e as Error).message}`;
        if (progressDeadline(d) !== undefined) {
          const st = clone(this.status(s));
          setCondition(st, this.condition('Progressing', 'False', FAILED_RS_CREATE, msg));
          this.writeStatus(s, st);
        }
        this.ctx.recorder.record(this.k(s), 'Warning', FAILED_RS_CREATE, msg, COMPONENT);
        throw e;
      }
    }
    if (!alreadyExists && replicas > 0) {
      this.ctx.recorder.record(this.k(s), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`, COMPONENT);
    }
    this.writeAnnotations(s, { ...(s.d.metadata.annotations ?? {}), [REVISION]: newRevision });
    if (!alreadyExists && progressDeadline(s.d) !== undefined) {
      const st = clone(this.status(s));
      setCondition(st, this.condition('Progressing', 'True', NEW_RS_CREATED, `Created new replica set "${created.metadata.name}"`));
      this.writeStatus(s, st);
    }
    return created;
  }

  /** deploymentutil.NewRSNewReplicas: how far the new ReplicaSet may grow now. */
  private newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
    if (!isRollingUpdate(d)) return replicasOf(d);
    const maxTotal = replicasOf(d) + maxSurge(d);
    const current = sumSpec(all);
    if (current >= maxTotal) return rsReplicas(newRS);
    const up = Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
    return rsReplicas(newRS) + up;
  }

  private condition(type: string, status: string, reason: string, message: string): Condition {
    const now = rfc3339(this.ctx.registry.now());
    return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
  }

  // ---- scaling ------------------------------------------------------------------------------

  private scaleReplicaSetAndRecordEvent(s: Sync, rs: ReplicaSet, newScale: number): [boolean, ReplicaSet] {
    if (rsReplicas(rs) === newScale) return [false, rs];
    return this.scaleReplicaSet(s, rs, newScale, rsReplicas(rs) < newScale ? 'up' : 'down');
  }

  private scaleReplicaSet(s: Sync, rs: ReplicaSet, newScale: number, op: string): [boolean, ReplicaSet] {
    const d = s.d;
    const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
    const max = replicasOf(d) + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return [false, rs];
    const oldScale = rsReplicas(rs);
    const copy = clone(rs);
    copy.spec!.replicas = newScale;
    setReplicasAnnotations(copy, replicasOf(d), max);
    const updated = this.ctx.registry.update(R.replicasets, copy.metadata.namespace, copy.metadata.name!, copy as unknown as KObject) as unknown as ReplicaSet;
    if (sizeNeedsUpdate) {
      this.ctx.recorder.record(this.k(s), 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`, COMPONENT);
    }
    return [sizeNeedsUpdate, updated];
  }

  /** isScalingEvent: an active ReplicaSet whose desired-replicas annotation differs from spec.replicas. */
  private isScalingEvent(s: Sync, rsList: ReplicaSet[]): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(s, rsList, false);
    for (const rs of active([...oldRSs, ...(newRS ? [newRS] : [])])) {
      const v = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (v === undefined || !/^-?\d+$/.test(v)) continue;
      if (Number(v) !== replicasOf(s.d)) return true;
    }
    return false;
  }

  /** sync: a scaling event or a paused Deployment: scale proportionally, no rollout. */
  private sync(s: Sync, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(s, rsList, false);
    this.scale(s, newRS, oldRSs);
    if (s.d.spec?.paused) this.cleanupDeployment(s, oldRSs);
    this.syncDeploymentStatus(s, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  private scale(s: Sync, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const d = s.d;
    const want = replicasOf(d);
    // One active ReplicaSet (or none): it, or the newest, takes the whole size.
    const sortedOld = [...oldRSs].sort(byCreation).reverse();
    const all = active([...sortedOld, ...(newRS ? [newRS] : [])]);
    let activeOrLatest: ReplicaSet | undefined;
    if (all.length === 0) activeOrLatest = newRS ?? sortedOld[0];
    else if (all.length === 1) activeOrLatest = all[0];
    if (activeOrLatest || (!newRS && !oldRSs.length)) {
      if (activeOrLatest && rsReplicas(activeOrLatest) !== want) this.scaleReplicaSetAndRecordEvent(s, activeOrLatest, want);
      return;
    }
    // A saturated new ReplicaSet: the old ones go to zero.
    if (newRS && rsReplicas(newRS) === want && newRS.metadata.annotations?.[DESIRED_REPLICAS] === String(want) && (newRS.status?.availableReplicas ?? 0) === want) {
      for (const old of active(oldRSs)) this.scaleReplicaSetAndRecordEvent(s, old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    // Several active ReplicaSets mid-rollout: spread the change in proportion to their sizes.
    const rss = active([...oldRSs, ...(newRS ? [newRS] : [])]);
    const allowed = want > 0 ? want + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(rss);
    let op = '';
    if (toAdd > 0) {
      rss.sort((a, b) => rsReplicas(b) - rsReplicas(a) || -byCreation(a, b));
      op = 'up';
    } else if (toAdd < 0) {
      rss.sort((a, b) => rsReplicas(b) - rsReplicas(a) || byCreation(a, b));
      op = 'down';
    }
    let added = 0;
    const size = new Map<string, number>();
    for (const rs of rss) {
      if (toAdd !== 0) {
        const p = this.proportion(rs, d, toAdd, added);
        size.set(rs.metadata.name!, rsReplicas(rs) + p);
        added += p;
      } else {
        size.set(rs.metadata.name!, rsReplicas(rs));
      }
    }
    rss.forEach((rs, i) => {
      if (i === 0 && toAdd !== 0) size.set(rs.metadata.name!, Math.max(0, size.get(rs.metadata.name!)! + toAdd - added));
      this.scaleReplicaSet(s, rs, size.get(rs.metadata.name!)!, op);
    });
  }

  /** deploymentutil.GetProportion. */
  private proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
    if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
    let fraction: number;
    if (replicasOf(d) === 0) {
      fraction = -rsReplicas(rs);
    } else {
      const dMax = replicasOf(d) + maxSurge(d);
      let before = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? '');
      if (!Number.isInteger(before) || before === 0) before = d.status?.replicas ?? 0;
      if (before === 0) fraction = 0;
      else fraction = roundHalfAway((rsReplicas(rs) * dMax) / before) - rsReplicas(rs);
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  // ---- rollouts -------------------------------------------------------------------------------

  private rolloutRolling(s: Sync, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(s, rsList, true);
    if (!newRS) return;
    const all = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(s, all, newRS)) return this.syncRolloutStatus(s, all, newRS);
    if (this.reconcileOldReplicaSets(s, all, active(oldRSs), newRS)) return this.syncRolloutStatus(s, all, newRS);
    if (deploymentComplete(s.d, this.status(s))) this.cleanupDeployment(s, oldRSs);
    this.syncRolloutStatus(s, all, newRS);
  }

  private reconcileNewReplicaSet(s: Sync, all: ReplicaSet[], newRS: ReplicaSet): boolean {
    const want = replicasOf(s.d);
    if (rsReplicas(newRS) === want) return false;
    if (rsReplicas(newRS) > want) return this.scaleReplicaSetAndRecordEvent(s, newRS, want)[0];
    return this.scaleReplicaSetAndRecordEvent(s, newRS, this.newRSNewReplicas(s.d, all, newRS))[0];
  }

  private reconcileOldReplicaSets(s: Sync, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
    if (sumSpec(oldRSs) === 0) return false;
    const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
    const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // Unhealthy old replicas go first, or they would block the rollout.
    const [olds, cleaned] = this.cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
    const scaledDown = this.scaleDownOldReplicaSetsForRollingUpdate(s, [...olds, newRS], olds);
    return cleaned + scaledDown > 0;
  }

  private cleanupUnhealthyReplicas(s: Sync, oldRSs: ReplicaSet[], maxCleanup: number): [ReplicaSet[], number] {
    const olds = [...oldRSs].sort(byCreation);
    let total = 0;
    for (let i = 0; i < olds.length; i++) {
      if (total >= maxCleanup) break;
      const rs = olds[i];
      const available = rs.status?.availableReplicas ?? 0;
      if (rsReplicas(rs) === 0 || rsReplicas(rs) === available) continue;
      const n = Math.min(maxCleanup - total, rsReplicas(rs) - available);
      olds[i] = this.scaleReplicaSetAndRecordEvent(s, rs, rsReplicas(rs) - n)[1];
      total += n;
    }
    return [olds, total];
  }

  private scaleDownOldReplicaSetsForRollingUpdate(s: Sync, all: ReplicaSet[], oldRSs: ReplicaSet[]): number {
    const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
    const availableCount = sumStatus(all, 'availableReplicas');
    if (availableCount <= minAvailable) return 0;
    const toScaleDown = availableCount - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= toScaleDown) break;
      if (rsReplicas(rs) === 0) continue;
      const n = Math.min(rsReplicas(rs), toScaleDown - total);
      this.scaleReplicaSetAndRecordEvent(s, rs, rsReplicas(rs) - n);
      total += n;
    }
    return total;
  }

  private rolloutRecreate(s: Sync, rsList: ReplicaSet[], selector: Selector): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(s, rsList, false);
    let all = [...oldRSs, ...(newRS ? [newRS] : [])];
    let scaledDown = false;
    for (const rs of active(oldRSs)) if (this.scaleReplicaSetAndRecordEvent(s, rs, 0)[0]) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(s, all, newRS);
    if (this.oldPodsRunning(s, newRS, oldRSs, selector)) return this.syncRolloutStatus(s, all, newRS);
    if (!newRS) {
      ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(s, rsList, true));
      if (!newRS) return;
      all = [...oldRSs, newRS];
    }
    this.scaleReplicaSetAndRecordEvent(s, newRS, replicasOf(s.d));
    if (deploymentComplete(s.d, this.status(s))) this.cleanupDeployment(s, oldRSs);
    this.syncRolloutStatus(s, all, newRS);
  }

  /** Whether pods of an old ReplicaSet are still there (not finished), so a Recreate must wait. */
  private oldPodsRunning(_s: Sync, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], selector: Selector): boolean {
    if (sumStatus(oldRSs, 'replicas') > 0) return true;
    for (const p of oldRSs.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid).flatMap((rs) => this.ctx.cache.controlledBy('pods', rs.metadata.uid!)) as unknown as Pod[]) {
      if (!selects(selector, p.metadata.labels)) continue;
      const phase = p.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
    return false;
  }

  /** cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit are deleted, oldest revisions first. */
  private cleanupDeployment(s: Sync, oldRSs: ReplicaSet[]): void {
    const limit = revisionHistoryLimit(s.d);
    if (limit === undefined) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    alive.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of alive.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        this.ctx.registry.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
      } catch (e) {
        if (!isStatusError(e, 404)) throw e;
      }
    }
  }

  private checkPausedConditions(s: Sync): void {
    if (progressDeadline(s.d) === undefined) return;
    const cond = getCondition(this.status(s), 'Progressing');
    if (cond?.reason === TIMED_OUT) return;
    const pausedExists = cond?.reason === PAUSED;
    const st = clone(this.status(s));
    if (s.d.spec?.paused && !pausedExists) setCondition(st, this.condition('Progressing', 'Unknown', PAUSED, 'Deployment is paused'));
    else if (!s.d.spec?.paused && pausedExists) setCondition(st, this.condition('Progressing', 'Unknown', RESUMED, 'Deployment is resumed'));
    else return;
    this.writeStatus(s, st);
  }

  // ---- status ---------------------------------------------------------------------------------

  private calculateStatus(s: Sync, all: ReplicaSet[], newRS: ReplicaSet | undefined): DStatus {
    const d = s.d;
    const available = sumStatus(all, 'availableReplicas');
    const unavailable = Math.max(0, sumSpec(all) - available);
    const st: DStatus = {};
    // Zero counts are left out as the API's omitempty fields marshal them.
    const set = (k: keyof DStatus, v: number | undefined): void => {
      if (v) (st as Record<string, unknown>)[k] = v;
    };
    set('observedGeneration', d.metadata.generation);
    set('replicas', sumStatus(all, 'replicas'));
    set('updatedReplicas', newRS ? sumStatus([newRS], 'replicas') : 0);
    set('readyReplicas', sumStatus(all, 'readyReplicas'));
    set('availableReplicas', available);
    set('unavailableReplicas', unavailable);
    const old = this.status(s);
    if (old.conditions?.length) st.conditions = clone(old.conditions);
    if (old.collisionCount !== undefined) st.collisionCount = old.collisionCount;
    if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(st, this.condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'));
    else setCondition(st, this.condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'));
    return st;
  }

  private syncDeploymentStatus(s: Sync, all: ReplicaSet[], newRS: ReplicaSet | undefined): void {
    this.writeStatus(s, this.calculateStatus(s, all, newRS));
  }

  private syncRolloutStatus(s: Sync, all: ReplicaSet[], newRS: ReplicaSet | undefined): void {
    const d = s.d;
    const st = this.calculateStatus(s, all, newRS);
    const deadline = progressDeadline(d);
    if (deadline === undefined) removeCondition(st, 'Progressing');
    const current = getCondition(this.status(s), 'Progressing');
    const isComplete = (st.replicas ?? 0) === (st.updatedReplicas ?? 0) && current?.reason === NEW_RS_AVAILABLE;
    if (deadline !== undefined && !isComplete) {
      const rsName = newRS?.metadata.name;
      if (deploymentComplete(d, st)) {
        setCondition(st, this.condition('Progressing', 'True', NEW_RS_AVAILABLE, rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`));
      } else if (deploymentProgressing(this.status(s), st)) {
        const c = this.condition('Progressing', 'True', RS_UPDATED, rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`);
        // Progress refreshes lastUpdateTime; a True condition keeps its lastTransitionTime.
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(st, 'Progressing');
        }
        setCondition(st, c);
      } else if (this.timedOut(d, st, deadline)) {
        setCondition(st, this.condition('Progressing', 'False', TIMED_OUT, rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`));
      }
    }
    // A ReplicaSet's ReplicaFailure condition is the Deployment's.
    const failure = [newRS, ...all].map((rs) => (rs?.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure')).find((c) => c);
    if (failure) setCondition(st, this.condition('ReplicaFailure', failure.status, failure.reason ?? '', failure.message ?? ''));
    else removeCondition(st, 'ReplicaFailure');
    if (jsonEqual(st, this.status(s))) {
      this.requeueStuck(s, st, deadline);
      return;
    }
    this.writeStatus(s, st);
  }

  private timedOut(d: Deployment, st: DStatus, deadline: number): boolean {
    const c = getCondition(st, 'Progressing');
    if (!c || c.reason === NEW_RS_AVAILABLE) return false;
    if (c.reason === TIMED_OUT) return true;
    const from = Date.parse(c.lastUpdateTime ?? '');
    return !Number.isNaN(from) && from + deadline * 1000 < this.ctx.registry.now() && !!d;
  }

  /** requeueStuckDeployment: without visible progress, look again when the progress deadline passes. */
  private requeueStuck(s: Sync, st: DStatus, deadline: number | undefined): void {
    const cur = getCondition(this.status(s), 'Progressing');
    if (deadline === undefined || !cur || deploymentComplete(s.d, st) || cur.reason === TIMED_OUT) return;
    const from = Date.parse(cur.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    this.ctx.queue.addAt(s.key, from + deadline * 1000 + 1000);
  }
}

/** deploymentutil.DeploymentComplete: every replica updated and available, the latest generation observed. */
export function deploymentComplete(d: Deployment, st: DStatus): boolean {
  const n = replicasOf(d);
  return (st.updatedReplicas ?? 0) === n && (st.replicas ?? 0) === n && (st.availableReplicas ?? 0) === n && (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** deploymentutil.DeploymentProgressing: more updated, ready or available replicas, or fewer old ones. */
function deploymentProgressing(old: DStatus, st: DStatus): boolean {
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (st.replicas ?? 0) - (st.updatedReplicas ?? 0);
  return (st.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (st.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (st.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** integer.RoundToInt32: half away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
