/**
 * Deployments, ReplicaSets, DaemonSets (apps/v1) and ReplicationControllers (core/v1):
 * defaulting (pkg/apis/apps/v1/defaults.go, SetDefaults_ReplicationController and the declarative
 * `replicas: 1`), the strategies' status reset and generation rules (pkg/registry/apps/*,
 * pkg/registry/core/replicationcontroller) and validation (pkg/apis/apps/validation,
 * ValidateReplicationController), including apps/v1's immutable selectors.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KObject } from '../../api/object.ts';
import type { Strategy } from '../strategy.ts';
import { selectorMatcher, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { checkQuantities, defaultPodTemplate, validatePodTemplateSpec } from './podspec.ts';
import {
  child, forbidden, goIntOrString, goLabelSelector, goStringMap, invalid, invalidGo, isObj, isValidPercent, nameIsDNSSubdomain, nonNegative,
  notSupported, notSupportedGo, required, str, FIELD_IMMUTABLE, IS_NEGATIVE, type Errs, type Obj,
} from './validation.ts';

const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function specOf(o: KObject): Obj {
  return child(o as Obj, 'spec');
}

function statusOf(o: KObject): Obj {
  return isObj(o.status) ? (o.status as Obj) : {};
}

function templateLabels(t: unknown): Record<string, string> | undefined {
  if (!isObj(t) || !isObj(t.metadata) || !isObj(t.metadata.labels)) return undefined;
  return t.metadata.labels as Record<string, string>;
}

function templateSpec(t: unknown): Obj {
  return isObj(t) && isObj(t.spec) ? t.spec : {};
}

function withTemplateQuantities(kind: string, apiVersion: string, o: KObject): void {
  const t = specOf(o).template;
  if (isObj(t) && isObj(t.spec)) checkQuantities(t.spec, kind, apiVersion);
}

/** Template rules shared by ReplicaSets, Deployments, DaemonSets and RCs after the selector check. */
function templateRules(t: unknown, path: string, kind: string): Errs {
  const errs = validatePodTemplateSpec(t, path);
  const ts = templateSpec(t);
  if (ts.restartPolicy !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, str(ts.restartPolicy), ['Always']));
  if (ts.activeDeadlineSeconds != null) errs.push(forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet. */
function validateTemplateForReplicaSet(t: unknown, sel: ReturnType<typeof selectorMatcher>, path: string): Errs {
  const errs: Errs = [];
  if (sel && !sel.empty && !sel.matches(templateLabels(t))) {
    errs.push(invalidGo(`${path}.metadata.labels`, goStringMap(templateLabels(t)), '`selector` does not match template `labels`'));
  }
  errs.push(...templateRules(t, path, 'ReplicaSet'));
  return errs;
}

/** The selector part of ValidateReplicaSetSpec / ValidateDeploymentSpec. */
function validateSelectorAndTemplate(spec: Obj, kind: 'deployment'): Errs {
  const errs: Errs = [];
  const sel = spec.selector;
  if (sel == null) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    const s = isObj(sel) ? sel : {};
    if (!Object.keys(isObj(s.matchLabels) ? s.matchLabels : {}).length && !(Array.isArray(s.matchExpressions) && s.matchExpressions.length)) {
      errs.push(invalidGo('spec.selector', goLabelSelector(s), `empty selector is invalid for ${kind}`));
    }
  }
  const m = selectorMatcher(sel);
  if (!m) errs.push(invalidGo('spec.selector', goLabelSelector(sel as Obj), 'invalid label selector'));
  else errs.push(...validateTemplateForReplicaSet(spec.template, m, 'spec.template'));
  return errs;
}

function validatePositiveIntOrPercent(v: unknown, path: string): Errs {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalidGo(path, goIntOrString(v), m));
  if (typeof v === 'number') return v < 0 ? [invalid(path, v, IS_NEGATIVE)] : [];
  return [invalidGo(path, goIntOrString(v), "must be an integer or percentage (e.g '5%%')")];
}

function intOrPercentValue(v: unknown): number {
  if (typeof v === 'string') {
    if (/^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
    return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
  }
  return typeof v === 'number' ? v : 0;
}

function notMoreThan100Percent(v: unknown, path: string): Errs {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) && Number(v.slice(0, -1)) > 100 ? [invalidGo(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

function immutableSelector(o: KObject, old: KObject): Errs {
  const sel = specOf(o).selector;
  const osel = isObj(old.spec) ? (old.spec as Obj).selector : undefined;
  return isDeepStrictEqual(sel ?? null, osel ?? null) ? [] : [invalidGo('spec.selector', goLabelSelector(sel as Obj), FIELD_IMMUTABLE)];
}

function replicaStatusRules(st: Obj, greaterMsg: string, extra: string[]): Errs {
  const errs: Errs = [];
  for (const k of ['replicas', ...extra, 'readyReplicas', 'availableReplicas', 'observedGeneration']) errs.push(...nonNegative(st[k], `status.${k}`));
  const n = (k: string): number => (typeof st[k] === 'number' ? (st[k] as number) : 0);
  for (const k of [...extra, 'readyReplicas', 'availableReplicas']) if (n(k) > n('replicas')) errs.push(invalid(`status.${k}`, n(k), 'cannot be greater than status.replicas'));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid('status.availableReplicas', n('availableReplicas'), greaterMsg));
  return errs;
}

function statusChanged(o: KObject, old: KObject): boolean {
  return !isDeepStrictEqual(o.status, old.status);
}

// ---- Deployments --------------------------------------------------------------------------

function defaultDeployment(d: KObject): void {
  const s = specOf(d);
  if (s.replicas == null) s.replicas = 1;
  const strategy = child(s, 'strategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    if (ru.maxUnavailable == null) ru.maxUnavailable = '25%';
    if (ru.maxSurge == null) ru.maxSurge = '25%';
  }
  if (s.revisionHistoryLimit == null) s.revisionHistoryLimit = 10;
  if (s.progressDeadlineSeconds == null) s.progressDeadlineSeconds = 600;
  defaultPodTemplate(s.template ?? (s.template = {}));
}

function goDeploymentStrategy(st: Obj): string {
  const ru = st.rollingUpdate == null ? '(*apps.RollingUpdateDeployment)(nil)' : '(*apps.RollingUpdateDeployment)(0xc000000000)';
  return `apps.DeploymentStrategy{Type:${JSON.stringify(str(st.type))}, RollingUpdate:${ru}}`;
}

function validateDeploymentSpec(d: KObject): Errs {
  const s = specOf(d);
  const errs = nonNegative(s.replicas, 'spec.replicas');
  errs.push(...validateSelectorAndTemplate(s, 'deployment'));
  const st = isObj(s.strategy) ? s.strategy : {};
  if (st.type === 'Recreate') {
    if (st.rollingUpdate != null) errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (st.type === 'RollingUpdate') {
    if (!isObj(st.rollingUpdate)) errs.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else {
      const ru = st.rollingUpdate;
      const p = 'spec.strategy.rollingUpdate';
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalidGo(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
    }
  } else {
    errs.push(notSupportedGo('spec.strategy', goDeploymentStrategy(st), ['Recreate', 'RollingUpdate']));
  }
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (s.revisionHistoryLimit != null) errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (s.progressDeadlineSeconds != null) {
    errs.push(...nonNegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (Number(s.progressDeadlineSeconds) <= Number(s.minReadySeconds ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function validateDeploymentStatus(d: KObject): Errs {
  const st = statusOf(d);
  const errs = nonNegative(st.observedGeneration, 'status.observedGeneration');
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) errs.push(...nonNegative(st[k], `status.${k}`));
  if (st.collisionCount != null) errs.push(...nonNegative(st.collisionCount, 'status.collisionCount'));
  const n = (k: string): number => (typeof st[k] === 'number' ? (st[k] as number) : 0);
  for (const k of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) if (n(k) > n('replicas')) errs.push(invalid(`status.${k}`, n(k), 'cannot be greater than status.replicas'));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errs;
}

export const deploymentStrategy: Strategy = {
  hasStatus: true,
  prepareForCreate(d) {
    d.status = {};
  },
  prepareForUpdate(d, old) {
    // Annotations are copied to ReplicaSets, so changing them bumps the generation too.
    if (!isDeepStrictEqual(d.metadata.annotations ?? {}, old.metadata.annotations ?? {})) d.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },
  defaults(d) {
    withTemplateQuantities('Deployment', 'apps/v1', d);
    defaultDeployment(d);
  },
  validate(d) {
    return [...validateObjectMeta(d, true, nameIsDNSSubdomain), ...validateDeploymentSpec(d)];
  },
  validateUpdate(d, old) {
    const errs = [...validateObjectMetaUpdate(d, old), ...validateDeploymentSpec(d), ...immutableSelector(d, old)];
    if (statusChanged(d, old)) errs.push(...validateDeploymentStatus(d));
    return errs;
  },
};

// ---- ReplicaSets --------------------------------------------------------------------------

function validateReplicaSetSpec(rs: KObject): Errs {
  const s = specOf(rs);
  const errs = [...nonNegative(s.replicas, 'spec.replicas'), ...nonNegative(s.minReadySeconds, 'spec.minReadySeconds')];
  errs.push(...validateSelectorAndTemplate(s, 'deployment'));
  return errs;
}

export const replicaSetStrategy: Strategy = {
  hasStatus: true,
  prepareForCreate(rs) {
    // ReplicaSetStatus.replicas has no omitempty.
    rs.status = { replicas: 0 };
  },
  defaults(rs) {
    withTemplateQuantities('ReplicaSet', 'apps/v1', rs);
    const s = specOf(rs);
    if (s.replicas == null) s.replicas = 1;
    defaultPodTemplate(s.template ?? (s.template = {}));
    const st = isObj(rs.status) ? (rs.status as Obj) : (rs.status = {}) as Obj;
    if (st.replicas == null) st.replicas = 0;
  },
  validate(rs) {
    return [...validateObjectMeta(rs, true, nameIsDNSSubdomain), ...validateReplicaSetSpec(rs)];
  },
  validateUpdate(rs, old) {
    const errs = [...validateObjectMetaUpdate(rs, old), ...validateReplicaSetSpec(rs), ...immutableSelector(rs, old)];
    if (statusChanged(rs, old)) errs.push(...replicaStatusRules(statusOf(rs), 'cannot be greater than readyReplicas', ['fullyLabeledReplicas']));
    return errs;
  },
};

// ---- ReplicationControllers ---------------------------------------------------------------

function validateRCSpec(rc: KObject): Errs {
  const s = specOf(rc);
  const errs = nonNegative(s.minReadySeconds, 'spec.minReadySeconds');
  const sel = isObj(s.selector) ? (s.selector as Record<string, string>) : {};
  if (!Object.keys(sel).length) errs.push(required('spec.selector'));
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  const t = s.template;
  if (!isObj(t)) {
    errs.push(required('spec.template'));
    return errs;
  }
  if (Object.keys(sel).length) {
    const labels = templateLabels(t) ?? {};
    if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) {
      errs.push(invalidGo('spec.template.metadata.labels', goStringMap(templateLabels(t)), '`selector` does not match template `labels`'));
    }
  }
  errs.push(...templateRules(t, 'spec.template', 'ReplicationController'));
  return errs;
}

export const replicationControllerStrategy: Strategy = {
  hasStatus: true,
  prepareForCreate(rc) {
    rc.status = { replicas: 0 };
  },
  defaults(rc) {
    withTemplateQuantities('ReplicationController', 'v1', rc);
    const s = specOf(rc);
    // SetDefaults_ReplicationController: selector and labels from the template's labels.
    const labels = templateLabels(s.template);
    if (labels) {
      if (!isObj(s.selector) || !Object.keys(s.selector).length) s.selector = { ...labels };
      if (!rc.metadata.labels || !Object.keys(rc.metadata.labels).length) rc.metadata.labels = { ...labels };
    }
    if (s.replicas == null) s.replicas = 1;
    if (isObj(s.template)) defaultPodTemplate(s.template);
    const st = isObj(rc.status) ? (rc.status as Obj) : (rc.status = {}) as Obj;
    if (st.replicas == null) st.replicas = 0;
  },
  validate(rc) {
    return [...validateObjectMeta(rc, true, nameIsDNSSubdomain), ...validateRCSpec(rc)];
  },
  validateUpdate(rc, old) {
    const errs = [...validateObjectMetaUpdate(rc, old), ...validateRCSpec(rc)];
    if (statusChanged(rc, old)) errs.push(...replicaStatusRules(statusOf(rc), 'cannot be greater than readyReplicas', ['fullyLabeledReplicas']));
    return errs;
  },
};

// ---- DaemonSets ---------------------------------------------------------------------------

function goDaemonSetStrategy(st: Obj): string {
  const ru = st.rollingUpdate == null ? '(*apps.RollingUpdateDaemonSet)(nil)' : '(*apps.RollingUpdateDaemonSet)(0xc000000000)';
  return `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(str(st.type))}, RollingUpdate:${ru}}`;
}

function validateDaemonSetSpec(ds: KObject): Errs {
  const s = specOf(ds);
  const errs = validateLabelSelector(s.selector, 'spec.selector');
  const m = selectorMatcher(s.selector);
  if (m && !m.matches(templateLabels(s.template))) {
    errs.push(invalidGo('spec.template.metadata.labels', goStringMap(templateLabels(s.template)), '`selector` does not match template `labels`'));
  }
  if (isObj(s.selector)) {
    const sel = s.selector;
    if (!Object.keys(isObj(sel.matchLabels) ? sel.matchLabels : {}).length && !(Array.isArray(sel.matchExpressions) && sel.matchExpressions.length)) {
      errs.push(invalidGo('spec.selector', goLabelSelector(sel), 'empty selector is invalid for daemonset'));
    }
  }
  errs.push(...templateRules(s.template, 'spec.template', 'DaemonSet'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const st = isObj(s.updateStrategy) ? s.updateStrategy : {};
  const p = 'spec.updateStrategy';
  if (st.type === 'RollingUpdate') {
    if (!isObj(st.rollingUpdate)) errs.push(required(`${p}.rollingUpdate`));
    else {
      const ru = st.rollingUpdate;
      const rp = `${p}.rollingUpdate`;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${rp}.maxSurge`));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${rp}.maxUnavailable`));
      errs.push(...notMoreThan100Percent(ru.maxSurge, `${rp}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalidGo(`${rp}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(required(`${rp}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
    }
  } else if (st.type !== 'OnDelete') {
    errs.push(notSupportedGo(p, goDaemonSetStrategy(st), ['RollingUpdate', 'OnDelete']));
  }
  if (s.revisionHistoryLimit != null) errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

function templateGeneration(o: KObject): number {
  const v = Number(o.metadata.annotations?.[DS_TEMPLATE_GENERATION]);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

export const daemonSetStrategy: Strategy = {
  hasStatus: true,
  prepareForCreate(ds) {
    // DaemonSetStatus's scheduling counters have no omitempty.
    ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    // The internal spec.templateGeneration starts at 1; apps/v1 shows it as this annotation.
    const ann = (ds.metadata.annotations ??= {});
    if (templateGeneration(ds) < 1) ann[DS_TEMPLATE_GENERATION] = '1';
  },
  prepareForUpdate(ds, old) {
    const gen = templateGeneration(old) || 1;
    const changed = !isDeepStrictEqual(specOf(ds).template, isObj(old.spec) ? (old.spec as Obj).template : undefined);
    (ds.metadata.annotations ??= {})[DS_TEMPLATE_GENERATION] = String(changed ? gen + 1 : gen);
  },
  defaults(ds) {
    withTemplateQuantities('DaemonSet', 'apps/v1', ds);
    const s = specOf(ds);
    const us = child(s, 'updateStrategy');
    if (!us.type) us.type = 'RollingUpdate';
    if (us.type === 'RollingUpdate') {
      const ru = child(us, 'rollingUpdate');
      if (ru.maxUnavailable == null) ru.maxUnavailable = 1;
      if (ru.maxSurge == null) ru.maxSurge = 0;
    }
    if (s.revisionHistoryLimit == null) s.revisionHistoryLimit = 10;
    defaultPodTemplate(s.template ?? (s.template = {}));
    const st = isObj(ds.status) ? (ds.status as Obj) : (ds.status = {}) as Obj;
    for (const k of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady']) if (st[k] == null) st[k] = 0;
  },
  validate(ds) {
    return [...validateObjectMeta(ds, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(ds)];
  },
  validateUpdate(ds, old) {
    const errs = [...validateObjectMetaUpdate(ds, old), ...validateDaemonSetSpec(ds), ...immutableSelector(ds, old)];
    if (statusChanged(ds, old)) {
      const st = statusOf(ds);
      for (const k of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) {
        errs.push(...nonNegative(st[k], `status.${k}`));
      }
    }
    return errs;
  },
};
