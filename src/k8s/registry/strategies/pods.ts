/**
 * Pods: pkg/registry/core/pod/strategy.go with the admission plugins a kubeadm/kind API server
 * runs on pod creation, so `kubectl create --dry-run=server -o yaml` shows what a real server
 * shows:
 *
 * - PrepareForCreate: status reset to `{phase: Pending, qosClass}` (qos.GetPodQOS), the
 *   SchedulingGated condition for gated pods;
 * - ServiceAccount admission: `serviceAccountName: default`, the `kube-api-access-xxxxx`
 *   projected token volume and its read-only mount in every container (unless
 *   automountServiceAccountToken is false on the pod or its service account), the service
 *   account's imagePullSecrets;
 * - Priority admission: `priority: 0` and `preemptionPolicy: PreemptLowerPriority` without a
 *   priority class; the two system classes resolve to their values; an unknown class is 403;
 * - DefaultTolerationSeconds admission: not-ready and unreachable NoExecute tolerations for 300s;
 * - defaults: SetDefaults_Pod / _PodSpec / _Container …, status podIP(s)/hostIP(s) kept in step;
 * - validation: ValidatePodCreate, ValidatePodUpdate (only images, activeDeadlineSeconds and
 *   added tolerations may change; spec.nodeName may be set once, as the binding subresource
 *   does) and ValidatePodStatusUpdate;
 * - graceful deletion (CheckGracefulDelete): only pods bound to a node wait.
 */
import { isDeepStrictEqual } from 'node:util';
import { StatusError } from '../../api/errors.ts';
import type { KObject } from '../../api/object.ts';
import type { Strategy, StrategyContext } from '../strategy.ts';
import { immutable, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { checkQuantities, defaultPodSpec, podQOS, validatePodSpec } from './podspec.ts';
import {
  arr, child, duplicate, forbidden, invalid, isDNS1123Subdomain, isObj, isQualifiedName, isValidIP, nameIsDNSSubdomain, required, str,
  type Errs, type Obj,
} from './validation.ts';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** The system priority classes every cluster has (scheduling/v1 bootstrap). */
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

function spec(o: KObject): Obj {
  return child(o as Obj, 'spec');
}

function suffix(ctx: StrategyContext): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[ctx.rng.int(NAME_CHARS.length)];
  return s;
}

/** The ServiceAccount admission plugin's mutation of a new pod. */
function admitServiceAccount(pod: KObject, ctx: StrategyContext): void {
  const s = spec(pod);
  if (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return;
  if (!s.serviceAccountName) s.serviceAccountName = str(s.serviceAccount) || 'default';
  const sa = ctx.store.get('serviceaccounts', pod.metadata.namespace, String(s.serviceAccountName)) as Obj | undefined;
  if (sa && !arr(s.imagePullSecrets).length && arr(sa.imagePullSecrets).length) s.imagePullSecrets = arr(sa.imagePullSecrets).map((r) => ({ name: r.name }));
  const automount = s.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  if (automount === false) return;
  const containers = [...arr(s.initContainers), ...arr(s.containers)];
  const needs = containers.some((c) => !arr(c.volumeMounts).some((m) => m.mountPath === SA_MOUNT_PATH));
  if (!needs) return;
  const existing = arr(s.volumes).find((v) => String(v.name ?? '').startsWith('kube-api-access-') && isObj(v.projected));
  const name = existing ? String(existing.name) : `kube-api-access-${suffix(ctx)}`;
  for (const c of containers) {
    if (arr(c.volumeMounts).some((m) => m.mountPath === SA_MOUNT_PATH)) continue;
    c.volumeMounts = [...arr(c.volumeMounts), { name, readOnly: true, mountPath: SA_MOUNT_PATH }];
  }
  if (!existing) {
    s.volumes = [...arr(s.volumes), {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }];
  }
}

/** The Priority admission plugin on create. */
function admitPriority(pod: KObject): void {
  const s = spec(pod);
  let priority = 0;
  const pcn = str(s.priorityClassName);
  if (pcn) {
    if (!(pcn in SYSTEM_PRIORITY_CLASSES)) {
      throw new StatusError(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: no PriorityClass with name ${pcn} was found`, { name: pod.metadata.name, kind: 'pods' });
    }
    priority = SYSTEM_PRIORITY_CLASSES[pcn];
  }
  if (typeof s.priority === 'number' && s.priority !== priority) {
    throw new StatusError(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: the integer value of priority (${s.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`, { name: pod.metadata.name, kind: 'pods' });
  }
  s.priority = priority;
  if (s.preemptionPolicy != null && s.preemptionPolicy !== 'PreemptLowerPriority') {
    throw new StatusError(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: the string value of PreemptionPolicy (${String(s.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name`, { name: pod.metadata.name, kind: 'pods' });
  }
  s.preemptionPolicy = 'PreemptLowerPriority';
}

/** The DefaultTolerationSeconds admission plugin (create and update). */
function admitTolerations(s: Obj): void {
  const tols = arr(s.tolerations);
  const tolerates = (key: string): boolean => tols.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const add: Obj[] = [];
  if (!tolerates('node.kubernetes.io/not-ready')) add.push({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (!tolerates('node.kubernetes.io/unreachable')) add.push({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (add.length) s.tolerations = [...tols, ...add];
}

/** Go serializes these status structs even when empty; keep stored statuses in that shape. */
function normalizeStatus(st: Obj): void {
  // podIP/podIPs and hostIP/hostIPs are kept in step by the v1 conversion.
  if (st.podIP && !arr(st.podIPs).length) st.podIPs = [{ ip: st.podIP }];
  if (!st.podIP && arr(st.podIPs).length) st.podIP = arr(st.podIPs)[0].ip;
  if (st.hostIP && !arr(st.hostIPs).length) st.hostIPs = [{ ip: st.hostIP }];
  if (!st.hostIP && arr(st.hostIPs).length) st.hostIP = arr(st.hostIPs)[0].ip;
  for (const c of arr(st.conditions)) {
    if (c.lastProbeTime === undefined) c.lastProbeTime = null;
    if (c.lastTransitionTime === undefined) c.lastTransitionTime = null;
  }
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const cs of arr(st[list])) {
      if (!isObj(cs.state)) cs.state = {};
      if (!isObj(cs.lastState)) cs.lastState = {};
      if (cs.ready === undefined) cs.ready = false;
      if (cs.restartCount === undefined) cs.restartCount = 0;
      if (cs.image === undefined) cs.image = '';
      if (cs.imageID === undefined) cs.imageID = '';
    }
  }
}

function validatePodSpecificAnnotations(pod: KObject, s: Obj): Errs {
  const errs: Errs = [];
  const ann = pod.metadata.annotations ?? {};
  if (ann[MIRROR_ANNOTATION] !== undefined && !s.nodeName) {
    errs.push(invalid(`metadata.annotations[${MIRROR_ANNOTATION}]`, ann[MIRROR_ANNOTATION], 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = ann['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined && (!/^[+-]?\d+$/.test(cost) || Math.abs(Number(cost)) > 2147483647)) {
    errs.push(invalid('metadata.annotations[controller.kubernetes.io/pod-deletion-cost]', cost, 'must be a 32bit integer'));
  }
  return errs;
}

/** validatePodMetadataAndSpec. */
function validateMetadataAndSpec(pod: KObject): Errs {
  const s = spec(pod);
  const errs = validateObjectMeta(pod, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpecificAnnotations(pod, s));
  errs.push(...validatePodSpec(s, 'spec', { isPod: true, podName: pod.metadata.name }));
  if (!s.serviceAccountName) {
    arr(s.volumes).forEach((v, vi) => {
      if (!isObj(v.projected)) return;
      arr(v.projected.sources).forEach((src, si) => {
        if (isObj(src.serviceAccountToken)) errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
      });
    });
  }
  for (const list of ['containers', 'initContainers']) {
    arr(s[list]).forEach((c, i) => {
      const image = str(c.image);
      if (image.length !== image.trim().length) errs.push(invalid(`spec.${list}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

function validateStatus(pod: KObject): Errs {
  const errs: Errs = [];
  const st = isObj(pod.status) ? (pod.status as Obj) : {};
  arr(st.conditions).forEach((c, i) => {
    if (['PodScheduled', 'Ready', 'Initialized'].includes(str(c.type))) return;
    for (const m of isQualifiedName(str(c.type))) errs.push(invalid(`metadata.conditions[${i}].Type`, str(c.type), m));
  });
  const podIPs = arr(st.podIPs);
  podIPs.forEach((p, i) => errs.push(...isValidIP(`status.podIPs[${i}]`, str(p.ip))));
  if (podIPs.length > 1) {
    const seen = new Set<string>();
    podIPs.forEach((p, i) => {
      if (seen.has(str(p.ip))) errs.push(duplicate(`status.podIPs[${i}]`, str(p.ip)));
      seen.add(str(p.ip));
    });
  }
  const hostIPs = arr(st.hostIPs);
  if (hostIPs.length && str(st.hostIP) !== str(hostIPs[0].ip)) errs.push(invalid('status.hostIPs[0].ip', str(hostIPs[0].ip), 'must be equal to `hostIP`'));
  hostIPs.forEach((p, i) => errs.push(...isValidIP(`status.hostIPs[${i}]`, str(p.ip))));
  return errs;
}

const UPDATABLE = '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** A cmp.Diff-like account of which PodSpec fields differ, for the "pod updates may not change" message. */
function specDiff(prev: Obj, next: Obj): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (isDeepStrictEqual(prev[k], next[k])) continue;
    const field = k[0].toUpperCase() + k.slice(1);
    if (prev[k] !== undefined) lines.push(`- \t${field}: ${JSON.stringify(prev[k])},`);
    if (next[k] !== undefined) lines.push(`+ \t${field}: ${JSON.stringify(next[k])},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

function validateContainerUpdates(next: unknown, prev: unknown, path: string): [Errs, boolean] {
  const n = arr(next);
  const p = arr(prev);
  if (n.length !== p.length) return [[forbidden(path, 'pod updates may not add or remove containers')], true];
  const errs: Errs = [];
  n.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(required(`${path}[${i}].image`));
    if (image.trim().length !== image.length) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return [errs, false];
}

function validatePodUpdate(pod: KObject, old: KObject): Errs {
  const s = spec(pod);
  const os = isObj(old.spec) ? (old.spec as Obj) : {};
  const errs = validateObjectMetaUpdate(pod, old);
  errs.push(...validateMetadataAndSpec(pod));
  const oldAnn = old.metadata.annotations ?? {};
  const newAnn = pod.metadata.annotations ?? {};
  if ((MIRROR_ANNOTATION in oldAnn) !== (MIRROR_ANNOTATION in newAnn) || oldAnn[MIRROR_ANNOTATION] !== newAnn[MIRROR_ANNOTATION]) {
    errs.push(forbidden(`metadata.annotations[${MIRROR_ANNOTATION}]`, MIRROR_ANNOTATION in oldAnn ? 'may not remove or update mirror pod annotation' : 'may not add mirror pod annotation'));
  }
  for (const list of ['containers', 'initContainers']) {
    const [cErrs, stop] = validateContainerUpdates(s[list], os[list], `spec.${list}`);
    errs.push(...cErrs);
    if (stop) return errs;
  }
  if (s.activeDeadlineSeconds != null) {
    const v = Number(s.activeDeadlineSeconds);
    if (v < 0 || v > 2147483647) return [...errs, invalid('spec.activeDeadlineSeconds', v, 'must be between 0 and 2147483647, inclusive')];
    if (os.activeDeadlineSeconds != null && Number(os.activeDeadlineSeconds) < v) return [...errs, invalid('spec.activeDeadlineSeconds', v, 'must be less than or equal to previous value')];
  } else if (os.activeDeadlineSeconds != null) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  for (const t of arr(os.tolerations)) {
    const found = arr(s.tolerations).some((n) => {
      const { tolerationSeconds: _a, ...a } = t;
      const { tolerationSeconds: _b, ...b } = n;
      return isDeepStrictEqual(a, b);
    });
    if (!found) {
      errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  if (isDeepStrictEqual(s, os)) return errs;
  // Munge what may change, then compare the rest.
  const munged: Obj = JSON.parse(JSON.stringify(s)) as Obj;
  for (const list of ['containers', 'initContainers']) {
    arr(munged[list]).forEach((c, i) => {
      c.image = arr(os[list])[i]?.image;
    });
  }
  if (os.activeDeadlineSeconds != null) munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  else delete munged.activeDeadlineSeconds;
  if (os.tolerations !== undefined) munged.tolerations = os.tolerations;
  else delete munged.tolerations;
  if (os.schedulingGates !== undefined) munged.schedulingGates = os.schedulingGates;
  else delete munged.schedulingGates;
  // Binding: the scheduler sets spec.nodeName once (upstream's pods/binding subresource).
  if (!os.nodeName && munged.nodeName) delete munged.nodeName;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  const prevSpec = JSON.parse(JSON.stringify(os)) as Obj;
  if (!isDeepStrictEqual(munged, prevSpec)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE}\n${specDiff(prevSpec, munged)}`));
  }
  return errs;
}

function validatePodStatusUpdate(pod: KObject, old: KObject): Errs {
  const errs: Errs = [];
  const st = isObj(pod.status) ? (pod.status as Obj) : {};
  const ost = isObj(old.status) ? (old.status as Obj) : {};
  const nominated = str(st.nominatedNodeName);
  if (nominated && nominated !== str(ost.nominatedNodeName)) for (const m of isDNS1123Subdomain(nominated)) errs.push(invalid('status.nominatedNodeName', nominated, m));
  errs.push(...immutable(st.qosClass ?? '', ost.qosClass ?? '', 'status.qosClass'));
  errs.push(...validateStatus(pod));
  return errs;
}

export const podStrategy: Strategy = {
  hasStatus: true,
  // Pods carry no metadata.generation before 1.33 (PodObservedGenerationTracking).
  generation: false,

  prepareForCreate(pod, ctx) {
    const s = spec(pod);
    pod.status = { phase: 'Pending' };
    if (arr(s.schedulingGates).length) {
      (pod.status as Obj).conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null, lastTransitionTime: null }];
    }
    admitServiceAccount(pod, ctx);
    admitPriority(pod);
  },

  prepareForUpdate(pod, old) {
    const s = spec(pod);
    const os = isObj(old.spec) ? (old.spec as Obj) : {};
    // The Priority admission plugin keeps priority and preemptionPolicy on update.
    if (os.priority !== undefined) s.priority = os.priority;
    else delete s.priority;
    if (os.preemptionPolicy !== undefined) s.preemptionPolicy = os.preemptionPolicy;
    else delete s.preemptionPolicy;
  },

  defaults(pod) {
    const s = spec(pod);
    checkQuantities(s, 'Pod', 'v1');
    defaultPodSpec(s, true);
    admitTolerations(s);
    const st = isObj(pod.status) ? (pod.status as Obj) : (pod.status = {}) as Obj;
    if (!st.qosClass) st.qosClass = podQOS(s);
    normalizeStatus(st);
  },

  validate(pod) {
    const s = spec(pod);
    const errs = validateMetadataAndSpec(pod);
    if (arr(s.ephemeralContainers).length) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    if (s.nodeName && arr(s.schedulingGates).length) errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
    errs.push(...validateStatus(pod));
    return errs;
  },

  validateUpdate(pod, old) {
    const st = isObj(pod.status) ? (pod.status as Obj) : {};
    const ost = isObj(old.status) ? (old.status as Obj) : {};
    // podStatusStrategy.PrepareForUpdate backfills the QoS class an old kubelet may drop.
    if (!st.qosClass && ost.qosClass) st.qosClass = ost.qosClass;
    const errs = validatePodUpdate(pod, old);
    if (!isDeepStrictEqual(pod.status, old.status)) errs.push(...validatePodStatusUpdate(pod, old));
    return errs;
  },

  gracePeriod(pod, requested) {
    const s = isObj(pod.spec) ? (pod.spec as Obj) : {};
    if (!s.nodeName) return undefined;
    const phase = isObj(pod.status) ? (pod.status as Obj).phase : undefined;
    if (phase === 'Failed' || phase === 'Succeeded') return undefined;
    let period = requested ?? (typeof s.terminationGracePeriodSeconds === 'number' ? s.terminationGracePeriodSeconds : 30);
    if (period < 0) period = 1;
    return period > 0 ? period : undefined;
  },
};

