/**
 * ObjectMeta and label validation as apimachinery does it (api/validation/objectmeta.go,
 * apis/meta/v1/validation): names by each resource's name rule, namespace, labels, annotations,
 * owner references, finalizers; the update rules (immutable name, uid, creationTimestamp); label
 * selectors and `field is immutable`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KObject } from '../../api/object.ts';
import {
  arr, forbidden, goStrings, invalid, invalidGo, isDNS1123Label, isObj, isQualifiedName, isValidLabelValue, nonNegative, required,
  FIELD_IMMUTABLE, type Errs, type NameFn,
} from './validation.ts';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateLabelName. */
export function validateLabelName(k: string, field: string): Errs {
  return isQualifiedName(k).map((m) => invalid(field, k, m));
}

/** ValidateLabels: every key and value, all reported at the map's path. */
export function validateLabels(labels: unknown, field: string): Errs {
  const errs: Errs = [];
  if (!isObj(labels)) return errs;
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, field));
    for (const m of isValidLabelValue(String(v ?? ''))) errs.push(invalid(field, String(v ?? ''), m));
  }
  return errs;
}

export function validateAnnotations(ann: unknown, field: string): Errs {
  const errs: Errs = [];
  if (!isObj(ann)) return errs;
  let size = 0;
  for (const [k, v] of Object.entries(ann)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, m));
    size += k.length + String(v ?? '').length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push({ type: 'FieldValueTooLong', field, detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  return errs;
}

function validateOwnerReferences(refs: unknown, field: string): Errs {
  const errs: Errs = [];
  let firstController = '';
  for (const r of arr(refs)) {
    const apiVersion = String(r.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${field}.kind`, String(r.kind ?? ''), 'must not be empty'));
    if (!r.name) errs.push(invalid(`${field}.name`, String(r.name ?? ''), 'must not be empty'));
    if (!r.uid) errs.push(invalid(`${field}.uid`, String(r.uid ?? ''), 'must not be empty'));
    if (apiVersion === 'v1' && r.kind === 'Event') errs.push(invalidGo(field, ownerRefGo(r), '/v1, Kind=Event is disallowed from being an owner'));
    if (r.controller === true) {
      const cur = `${String(r.kind)}/${String(r.name)}`;
      if (firstController) errs.push(invalidGo(field, `[]v1.OwnerReference{…}`, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      else firstController = cur;
    }
  }
  return errs;
}

function ownerRefGo(r: Record<string, unknown>): string {
  return `v1.OwnerReference{APIVersion:${JSON.stringify(String(r.apiVersion ?? ''))}, Kind:${JSON.stringify(String(r.kind ?? ''))}, Name:${JSON.stringify(String(r.name ?? ''))}, UID:${JSON.stringify(String(r.uid ?? ''))}, Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}`;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function validateFinalizers(fins: unknown, field: string): Errs {
  const errs: Errs = [];
  const list = arr<string>(fins);
  for (const f of list) {
    errs.push(...isQualifiedName(String(f)).map((m) => invalid(field, f, m)));
  }
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalidGo(field, goStrings(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  // core's validateKubeFinalizerName, run per finalizer after the generic checks
  list.forEach((f, i) => {
    if (!String(f).includes('/') && !STANDARD_FINALIZERS.has(String(f))) errs.push(invalid(`${field}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return errs;
}

/**
 * ValidateObjectMeta (create): generateName and name by `nameFn`, namespace required for
 * namespaced kinds, generation, labels, annotations, owner references, finalizers.
 */
export function validateObjectMeta(obj: KObject, namespaced: boolean, nameFn: NameFn | undefined, field = 'metadata'): Errs {
  const m = obj.metadata ?? {};
  const errs: Errs = [];
  if (nameFn) {
    if (m.generateName) for (const msg of nameFn(m.generateName, true)) errs.push(invalid(`${field}.generateName`, m.generateName, msg));
    if (!m.name) errs.push(required(`${field}.name`, 'name or generateName is required'));
    else for (const msg of nameFn(m.name, false)) errs.push(invalid(`${field}.name`, m.name, msg));
  }
  if (namespaced) {
    if (!m.namespace) errs.push(required(`${field}.namespace`));
    else for (const msg of isDNS1123Label(m.namespace)) errs.push(invalid(`${field}.namespace`, m.namespace, msg));
  } else if (m.namespace) {
    errs.push(forbidden(`${field}.namespace`, 'not allowed on this type'));
  }
  errs.push(...nonNegative(m.generation, `${field}.generation`));
  errs.push(...validateLabels(m.labels, `${field}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${field}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${field}.finalizers`));
  return errs;
}

/**
 * ValidateObjectMetaUpdate. The registry carries name, namespace, uid and creationTimestamp over
 * from the stored object, so what is left to check is finalizers on an object being deleted,
 * generation, labels, annotations, owner references and finalizer names.
 */
export function validateObjectMetaUpdate(obj: KObject, old: KObject): Errs {
  const m = obj.metadata ?? {};
  const om = old.metadata ?? {};
  const errs: Errs = [];
  if (om.deletionTimestamp) {
    const extra = arr<string>(m.finalizers).filter((f) => !arr<string>(om.finalizers).includes(f)).sort();
    if (extra.length) errs.push(forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStrings(extra)}`));
  }
  if ((m.generation ?? 0) < (om.generation ?? 0)) errs.push(invalid('metadata.generation', m.generation ?? 0, 'must not be decremented'));
  errs.push(...immutable(m.name, om.name, 'metadata.name'));
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(m.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(m.finalizers, 'metadata.finalizers'));
  return errs;
}

/** ValidateImmutableField for values errors.ts renders itself (strings, numbers). */
export function immutable(next: unknown, prev: unknown, field: string): Errs {
  return isDeepStrictEqual(next ?? null, prev ?? null) ? [] : [invalid(field, next ?? null, FIELD_IMMUTABLE)];
}

// ---- label selectors ----------------------------------------------------------------------

interface Requirement { key?: string; operator?: string; values?: string[] }

/** ValidateLabelSelector (strict: label values in matchLabels are checked). */
export function validateLabelSelector(sel: unknown, field: string): Errs {
  const errs: Errs = [];
  if (!isObj(sel)) return errs;
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  arr<Requirement>(sel.matchExpressions).forEach((e, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (!arr(e.values).length) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (arr(e.values).length) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, e.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(String(e.key ?? ''), `${p}.key`));
  });
  return errs;
}

/**
 * metav1.LabelSelectorAsSelector: undefined for a selector that cannot be converted (bad
 * operator or values), else a matcher. A missing selector matches nothing, an empty one
 * everything (`empty` true).
 */
export function selectorMatcher(sel: unknown): { empty: boolean; matches: (labels: Record<string, string> | undefined) => boolean } | undefined {
  if (!isObj(sel)) return { empty: false, matches: () => false };
  const ml = isObj(sel.matchLabels) ? (sel.matchLabels as Record<string, string>) : {};
  const exprs = arr<Requirement>(sel.matchExpressions);
  for (const [k, v] of Object.entries(ml)) {
    if (isQualifiedName(k).length || isValidLabelValue(String(v)).length) return undefined;
  }
  for (const e of exprs) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(e.operator))) return undefined;
    if ((e.operator === 'In' || e.operator === 'NotIn') && !arr(e.values).length) return undefined;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && arr(e.values).length) return undefined;
    if (isQualifiedName(String(e.key ?? '')).length) return undefined;
  }
  const empty = !Object.keys(ml).length && !exprs.length;
  return {
    empty,
    matches: (labels) => {
      const l = labels ?? {};
      for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
      for (const e of exprs) {
        const has = Object.prototype.hasOwnProperty.call(l, e.key ?? '');
        const vals = arr<string>(e.values);
        if (e.operator === 'In' && (!has || !vals.includes(l[e.key!]))) return false;
        if (e.operator === 'NotIn' && has && vals.includes(l[e.key!])) return false;
        if (e.operator === 'Exists' && !has) return false;
        if (e.operator === 'DoesNotExist' && has) return false;
      }
      return true;
    },
  };
}

