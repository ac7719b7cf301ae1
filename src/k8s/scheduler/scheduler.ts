/**
 * The default scheduler: binds each pending pod without spec.nodeName to a node. Filters as the
 * default plugins do (NodeUnschedulable, TaintToleration with the control-plane taint and
 * not-ready nodes, NodeAffinity/nodeSelector, NodePorts, NodeResourcesFit), scores feasible
 * nodes by spreading (fewest pods of the same services and owner, then fewest pods), breaks
 * ties with reservoir sampling on the seeded generator, and binds through the binding
 * subresource's semantics with the PodScheduled condition and a `Scheduled` event; a pod that
 * fits nowhere gets PodScheduled=False/Unschedulable and a `FailedScheduling` event worded as
 * upstream's FitError.
 */
import type { KObject } from '../api/object.ts';
import { clone, rfc3339 } from '../api/object.ts';
import { conflict, notFound } from '../api/errors.ts';
import { fromLabelSelector, fromMap, matchesLabels, type Selector } from '../api/selectors.ts';
import type { Registry } from '../registry/registry.ts';
import type { StoreEvent } from '../store/store.ts';
import { nsKey, splitKey, type Controller, type ControllerContext } from '../controllers/controller.ts';
import { R, controllerRefOf, isPodTerminal, isStatusError, jsonEqual, type Node, type Pod, type Service } from '../controllers/util.ts';

export const SCHEDULER_NAME = 'default-scheduler';
/** The taint kubeadm (and kind) put on control-plane nodes. */
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** One filter's verdict on a node: why it does not fit, and whether preemption could help. */
interface NodeVerdict {
  reasons: string[];
  unresolvable: boolean;
}

/** v1helper.TolerationsTolerateTaint. */
export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    const op = t.operator ?? 'Equal';
    if (op === 'Exists') return true;
    return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
  });
}

/**
 * The node's taints, plus the ones the node lifecycle controller would add from its Ready
 * condition (not-ready when False, unreachable when Unknown). A node without conditions yet
 * (nothing reports for it) counts as ready.
 */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...((node.spec?.taints ?? []) as Taint[])];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const add = (key: string): void => {
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  };
  if (ready?.status === 'False') add('node.kubernetes.io/not-ready');
  else if (ready?.status === 'Unknown') add('node.kubernetes.io/unreachable');
  return taints;
}

/** nodeaffinity: a node selector term's expressions and fields. */
function matchTerm(term: { matchExpressions?: { key: string; operator: string; values?: string[] }[]; matchFields?: { key: string; operator: string; values?: string[] }[] }, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const check = (value: string | undefined, op: string, values: string[] = []): boolean => {
    switch (op) {
      case 'In': return value !== undefined && values.includes(value);
      case 'NotIn': return value === undefined || !values.includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      case 'Gt': return value !== undefined && /^-?\d+$/.test(value) && values.length === 1 && Number(value) > Number(values[0]);
      case 'Lt': return value !== undefined && /^-?\d+$/.test(value) && values.length === 1 && Number(value) < Number(values[0]);
      default: return false;
    }
  };
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  return exprs.every((e) => check(labels[e.key], e.operator, e.values))
    && fields.every((f) => f.key === 'metadata.name' && check(node.metadata.name, f.operator, f.values));
}

/** Whether the pod's nodeSelector and required node affinity admit the node. */
export function nodeAffinityMatches(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => matchTerm(t, node))) return false;
  return true;
}

// ---- resources ------------------------------------------------------------------------------

const SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3, n: 1e-9, u: 1e-6,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** A resource.Quantity as a number (`100m` → 0.1, `1Gi` → 1073741824, `1e3` → 1000). */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPEmnu]?)$/.exec(q.trim());
  return m ? Number(m[1]) * SUFFIX[m[2]] : 0;
}

interface Requests {
  cpu: number;
  memory: number;
}

/** The pod's requests as NodeResourcesFit counts them: containers summed, the largest init container if bigger, plus overhead. */
function podRequests(pod: Pod): Requests {
  const sum: Requests = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    sum.cpu += parseQuantity(c.resources?.requests?.cpu);
    sum.memory += parseQuantity(c.resources?.requests?.memory);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, parseQuantity(c.resources?.requests?.cpu));
    sum.memory = Math.max(sum.memory, parseQuantity(c.resources?.requests?.memory));
  }
  sum.cpu += parseQuantity(pod.spec?.overhead?.cpu);
  sum.memory += parseQuantity(pod.spec?.overhead?.memory);
  return sum;
}

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.hostPort) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
  }
  return out;
}

function portsConflict(a: HostPort[], b: HostPort[]): boolean {
  return a.some((x) => b.some((y) => x.port === y.port && x.protocol === y.protocol && (x.ip === y.ip || x.ip === '0.0.0.0' || y.ip === '0.0.0.0')));
}

// ---- binding ----------------------------------------------------------------------------------

/** podutil.UpdatePodCondition: replaces the condition, keeping lastTransitionTime when the status is unchanged. */
export function setPodCondition(pod: Pod, cond: { type: string; status: string; reason?: string; message?: string }, now: string): void {
  const status = (pod.status ??= {});
  const conds = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === cond.type);
  const next = { type: cond.type, status: cond.status, lastProbeTime: null as unknown as string, lastTransitionTime: now, ...(cond.reason ? { reason: cond.reason } : {}), ...(cond.message ? { message: cond.message } : {}) };
  if (i < 0) {
    conds.push(next);
    return;
  }
  if (conds[i].status === cond.status) next.lastTransitionTime = conds[i].lastTransitionTime ?? now;
  conds[i] = next;
}

/**
 * The pods/binding subresource: assigns the pod to `nodeName` (refusing a pod already assigned or
 * being deleted) and marks it PodScheduled. Written to the store directly, as the binding REST
 * storage does, since a pod update may not change spec.nodeName.
 */
export function bindPod(registry: Registry, namespace: string, name: string, nodeName: string, opts: { uid?: string; annotations?: Record<string, string> } = {}): KObject {
  const store = registry.store;
  return store.txn(() => {
    const pod = store.get('pods', namespace, name) as unknown as Pod | undefined;
    if (!pod) throw notFound('pods', name);
    if (opts.uid && opts.uid !== pod.metadata.uid) throw conflict('pods/binding', name, `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${pod.metadata.uid}`);
    if (pod.metadata.deletionTimestamp) throw conflict('pods/binding', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict('pods/binding', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    (pod.spec ??= { containers: [] }).nodeName = nodeName;
    if (opts.annotations && Object.keys(opts.annotations).length) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...opts.annotations };
    setPodCondition(pod, { type: 'PodScheduled', status: 'True' }, rfc3339(registry.now()));
    return { apiVersion: 'v1', kind: 'Pod', ...store.update('pods', pod as unknown as KObject) } as KObject;
  });
}

// ---- the scheduler ------------------------------------------------------------------------------

function wantsScheduling(p: KObject): boolean {
  const pod = p as unknown as Pod;
  return !pod.spec?.nodeName && !pod.metadata.deletionTimestamp && !isPodTerminal(pod) && (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
}

/** What of a node the filters read: a node update changing none of it does not retry pending pods. */
function nodeView(n: KObject | undefined): string {
  if (!n) return '';
  const node = n as unknown as Node;
  return JSON.stringify([node.metadata.labels ?? {}, node.spec?.taints ?? [], !!node.spec?.unschedulable, effectiveTaints(node), node.status?.allocatable ?? {}]);
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  private readonly ctx: ControllerContext;
  /** Pods that fit nowhere at their last attempt: retried when nodes change or pods leave. */
  private unschedulable = new Set<string>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  start(): void {
    for (const p of this.ctx.cache.list('pods')) if (wantsScheduling(p)) this.ctx.queue.add(nsKey(p.metadata.namespace, p.metadata.name!));
  }

  observe(e: StoreEvent): void {
    const q = this.ctx.queue;
    if (e.resource === 'pods') {
      const key = nsKey(e.object.metadata.namespace, e.object.metadata.name!);
      if (e.type === 'DELETED') {
        this.unschedulable.delete(key);
        // A pod leaving a node frees its room.
        if ((e.object as unknown as Pod).spec?.nodeName) this.retryUnschedulable();
        return;
      }
      if (wantsScheduling(e.object)) {
        // A pod that fit nowhere waits for a change that could help, not for its own status write.
        if (this.unschedulable.has(key) && e.type === 'MODIFIED' && jsonEqual(e.object.spec, e.old?.spec)) return;
        q.add(key);
      } else {
        this.unschedulable.delete(key);
        const was = e.old as unknown as Pod | undefined;
        if (was?.spec?.nodeName && isPodTerminal(e.object as unknown as Pod) && !isPodTerminal(was)) this.retryUnschedulable();
      }
    } else if (e.resource === 'nodes') {
      if (e.type === 'ADDED' || (e.type === 'MODIFIED' && nodeView(e.object) !== nodeView(e.old))) this.retryUnschedulable();
    }
  }

  private retryUnschedulable(): void {
    for (const k of this.unschedulable) this.ctx.queue.add(k);
    this.unschedulable.clear();
  }

  reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const reg = this.ctx.registry;
    const found = reg.tryGet(R.pods, ns, name);
    if (!found || !wantsScheduling(found)) return;
    const pod = found as unknown as Pod;
    const nodes = (this.ctx.cache.list('nodes') as unknown as Node[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    if (!nodes.length) return this.fail(key, pod, 'no nodes available to schedule pods');

    // The pods each node already runs (those not finished), as the scheduler's cache holds them.
    const onNode = new Map<string, Pod[]>();
    for (const n of nodes) onNode.set(n.metadata.name!, (this.ctx.cache.podsOn(n.metadata.name!) as unknown as Pod[]).filter((p) => !isPodTerminal(p)));
    const verdicts = nodes.map((n) => this.filter(pod, n, onNode.get(n.metadata.name!) ?? []));
    const feasible = nodes.filter((_, i) => !verdicts[i].reasons.length);
    if (!feasible.length) return this.fail(key, pod, fitError(pod, nodes.length, verdicts));

    const spread = this.spreadSelector(pod);
    let best: Node | undefined;
    let bestScore: [number, number] | undefined;
    let ties = 0;
    for (const n of feasible) {
      const pods = (onNode.get(n.metadata.name!) ?? []);
      const same = spread ? pods.filter((p) => !p.metadata.deletionTimestamp && p.metadata.namespace === pod.metadata.namespace && matchesLabels(spread, p.metadata.labels)).length : 0;
      const score: [number, number] = [same, pods.length];
      const cmp = !bestScore ? -1 : score[0] - bestScore[0] || score[1] - bestScore[1];
      if (cmp < 0) {
        best = n;
        bestScore = score;
        ties = 1;
      } else if (cmp === 0) {
        // Reservoir sampling among equally good nodes, as selectHost does.
        ties++;
        if (this.randInt(ties) === 0) best = n;
      }
    }
    const node = best!.metadata.name!;
    try {
      bindPod(reg, ns!, name, node, { uid: pod.metadata.uid });
    } catch (e) {
      if (isStatusError(e, 409) || isStatusError(e, 404)) return;
      throw e;
    }
    this.unschedulable.delete(key);
    this.ctx.recorder.record(found, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`, SCHEDULER_NAME);
  }

  /** The default filter plugins, in their order; a node's first failing plugin gives its reasons. */
  private filter(pod: Pod, node: Node, pods: Pod[]): NodeVerdict {
    // NodeUnschedulable.
    if (node.spec?.unschedulable && !tolerates(pod.spec?.tolerations as Toleration[], { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
      return { reasons: ['node(s) were unschedulable'], unresolvable: true };
    }
    // TaintToleration: NoSchedule and NoExecute taints must be tolerated.
    for (const t of effectiveTaints(node)) {
      if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
      if (!tolerates(pod.spec?.tolerations as Toleration[], t)) return { reasons: [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`], unresolvable: true };
    }
    // NodeAffinity (nodeSelector and required affinity).
    if (!nodeAffinityMatches(pod, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
    // NodePorts.
    const want = hostPorts(pod);
    if (want.length && pods.some((p) => portsConflict(want, hostPorts(p)))) return { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
    // NodeResourcesFit, against the node's allocatable when it reports one.
    const alloc = node.status?.allocatable;
    if (alloc) {
      const reasons: string[] = [];
      if (alloc.pods !== undefined && pods.length + 1 > parseQuantity(alloc.pods)) reasons.push('Too many pods');
      const req = podRequests(pod);
      const used = pods.reduce((s, p) => {
        const r = podRequests(p);
        return { cpu: s.cpu + r.cpu, memory: s.memory + r.memory };
      }, { cpu: 0, memory: 0 });
      if (req.cpu > 0 && alloc.cpu !== undefined && used.cpu + req.cpu > parseQuantity(alloc.cpu) + 1e-9) reasons.push('Insufficient cpu');
      if (req.memory > 0 && alloc.memory !== undefined && used.memory + req.memory > parseQuantity(alloc.memory)) reasons.push('Insufficient memory');
      if (reasons.length) return { reasons, unresolvable: false };
    }
    return { reasons: [], unresolvable: false };
  }

  /**
   * DefaultSelector: what pods count as "the same" for spreading: the merged selectors of the
   * services selecting the pod, and its owning ReplicaSet's or ReplicationController's selector.
   */
  private spreadSelector(pod: Pod): Selector | undefined {
    const cache = this.ctx.cache;
    const merged: Record<string, string> = {};
    for (const s of cache.servicesSelecting(pod.metadata.namespace, pod.metadata.labels) as unknown as Service[]) Object.assign(merged, s.spec!.selector);
    let sel: Selector = fromMap(merged);
    const ref = controllerRefOf(pod);
    if (ref?.kind === 'ReplicationController') {
      const rc = cache.get('replicationcontrollers', pod.metadata.namespace, ref.name);
      const m = (rc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
      if (m) sel = fromMap({ ...merged, ...m });
    } else if (ref?.kind === 'ReplicaSet') {
      const rs = cache.get('replicasets.apps', pod.metadata.namespace, ref.name);
      const other = fromLabelSelector((rs?.spec as { selector?: never } | undefined)?.selector);
      if (other) sel = [...sel, ...other];
    }
    return sel.length ? sel : undefined;
  }

  /** A uniform integer in [0, n) from the registry's seeded generator. */
  private randInt(n: number): number {
    return parseInt(this.ctx.registry.uuid().slice(0, 8), 16) % n;
  }

  /** Marks the pod PodScheduled=False/Unschedulable and records FailedScheduling. */
  private fail(key: string, pod: Pod, message: string): void {
    const reg = this.ctx.registry;
    this.unschedulable.add(key);
    const next = clone(pod);
    setPodCondition(next, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, rfc3339(reg.now()));
    if (!jsonEqual(next.status, pod.status)) {
      try {
        reg.update(R.pods, pod.metadata.namespace, pod.metadata.name!, next as unknown as KObject, { subresource: 'status' });
      } catch (e) {
        if (!isStatusError(e, 404) && !isStatusError(e, 409)) throw e;
      }
    }
    this.ctx.recorder.record(pod as unknown as KObject, 'Warning', 'FailedScheduling', message, SCHEDULER_NAME);
  }
}

/**
 * framework.FitError.Error(): `0/N nodes are available: <count reason>, ….` followed by the
 * preemption PostFilter's own verdict, each part ending in `.` (hence upstream's `..`).
 */
export function fitError(pod: Pod, total: number, verdicts: NodeVerdict[]): string {
  const hist = (items: string[]): string => {
    const m = new Map<string, number>();
    for (const r of items) m.set(r, (m.get(r) ?? 0) + 1);
    return [...m].map(([r, n]) => `${n} ${r}`).sort().join(', ');
  };
  let msg = `0/${total} nodes are available: ${hist(verdicts.flatMap((v) => v.reasons))}.`;
  if (pod.spec?.preemptionPolicy === 'Never') {
    msg += ' preemption: not eligible due to preemptionPolicy=Never..';
  } else {
    const post = verdicts.map((v) => (v.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod'));
    msg += ` preemption: 0/${total} nodes are available: ${hist(post)}..`;
  }
  return msg;
}
