/**
 * Label and field selectors as the API server parses and applies them: the string forms of
 * `?labelSelector=app=web,tier!=db,env in (a,b),!legacy` and `?fieldSelector=spec.nodeName=n1,status.phase!=Failed`,
 * and metav1.LabelSelector (matchLabels + matchExpressions) from object specs.
 */
import { badRequest } from './errors.ts';
import type { KObject, LabelSelector } from './object.ts';

export type Requirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' };

export type Selector = Requirement[];

/** Parses a label selector string; throws 400 with the apimachinery wording when malformed. */
export function parseLabelSelector(s: string | undefined | null): Selector {
  const out: Selector = [];
  if (!s || !s.trim()) return out;
  let i = 0;
  const src = s;
  const ws = (): void => {
    while (i < src.length && src[i] === ' ') i++;
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z0-9_./-]*/.exec(src.slice(i))![0];
    i += m.length;
    return m;
  };
  while (i < src.length) {
    ws();
    let neg = false;
    if (src[i] === '!') {
      neg = true;
      i++;
    }
    const key = ident();
    if (!key) throw badRequest(`unable to parse requirement: found '${src[i] ?? ''}', expected: identifier`);
    ws();
    if (neg) {
      out.push({ key, op: '!' });
    } else if (src.startsWith('!=', i)) {
      i += 2;
      out.push({ key, op: '!=', value: ident() });
    } else if (src.startsWith('==', i)) {
      i += 2;
      out.push({ key, op: '=', value: ident() });
    } else if (src[i] === '=') {
      i += 1;
      out.push({ key, op: '=', value: ident() });
    } else if (/^(in|notin)\s*\(/.test(src.slice(i))) {
      const op = src.startsWith('notin', i) ? 'notin' : 'in';
      i = src.indexOf('(', i) + 1;
      const close = src.indexOf(')', i);
      if (close < 0) throw badRequest(`unable to parse requirement: found '', expected: ')'`);
      const values = src.slice(i, close).split(',').map((v) => v.trim()).filter((v) => v !== '');
      i = close + 1;
      out.push({ key, op, values });
    } else {
      out.push({ key, op: 'exists' });
    }
    ws();
    if (i < src.length) {
      if (src[i] !== ',') throw badRequest(`unable to parse requirement: found '${src[i]}', expected: ',' or end of string`);
      i++;
    }
  }
  return out;
}

export function matchesLabels(sel: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=': if (!has || l[r.key] !== r.value) return false; break;
      case '!=': if (has && l[r.key] === r.value) return false; break;
      case 'in': if (!has || !r.values.includes(l[r.key])) return false; break;
      case 'notin': if (has && r.values.includes(l[r.key])) return false; break;
      case 'exists': if (!has) return false; break;
      case '!': if (has) return false; break;
    }
  }
  return true;
}

/** metav1.LabelSelector → requirements. An empty selector matches everything; a missing one (undefined) nothing. */
export function fromLabelSelector(ls: LabelSelector | undefined): Selector | undefined {
  if (!ls) return undefined;
  const out: Selector = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) out.push({ key, op: '=', value });
  for (const e of ls.matchExpressions ?? []) {
    if (e.operator === 'In') out.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (e.operator === 'NotIn') out.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (e.operator === 'Exists') out.push({ key: e.key, op: 'exists' });
    else if (e.operator === 'DoesNotExist') out.push({ key: e.key, op: '!' });
  }
  return out;
}

/** The string form kubectl prints (`app=web,tier in (a,b)`), requirements sorted by key as labels.Selector.String does. */
export function selectorString(sel: Selector): string {
  return [...sel].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => {
    switch (r.op) {
      case '=': return `${r.key}=${r.value}`;
      case '!=': return `${r.key}!=${r.value}`;
      case 'in': return `${r.key} in (${[...r.values].sort().join(',')})`;
      case 'notin': return `${r.key} notin (${[...r.values].sort().join(',')})`;
      case 'exists': return r.key;
      case '!': return `!${r.key}`;
    }
  }).join(',');
}

/** A map selector (Service.spec.selector, RC.spec.selector) as requirements. */
export function fromMap(m: Record<string, string> | undefined): Selector {
  return Object.entries(m ?? {}).map(([key, value]) => ({ key, op: '=' as const, value }));
}

// ---- field selectors ----------------------------------------------------------------------

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(s: string | undefined | null): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (!s || !s.trim()) return out;
  for (const part of s.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    out.push({ field: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] });
  }
  return out;
}

/** The fields each resource can be selected by, beyond metadata.name and metadata.namespace (upstream's field label conversion funcs). */
const FIELDS: Record<string, readonly string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  secrets: ['type'],
  replicationcontrollers: ['status.replicas'],
  'replicasets.apps': ['status.replicas'],
};

function fieldValue(obj: KObject, field: string): string {
  if (field === 'source') return String((obj as { source?: { component?: string } }).source?.component ?? '');
  if (field === 'spec.hostNetwork' || field === 'spec.unschedulable') {
    const v = dig(obj, field);
    return v ? 'true' : 'false';
  }
  const v = dig(obj, field);
  return v === undefined || v === null ? '' : String(v);
}

function dig(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Checks a field selector names only fields `resource` supports (400 `field label not supported: x` otherwise). */
export function checkFieldSelector(resource: string, reqs: FieldRequirement[]): void {
  for (const r of reqs) {
    if (r.field === 'metadata.name' || r.field === 'metadata.namespace') continue;
    if (!(FIELDS[resource] ?? []).includes(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

export function matchesFields(reqs: FieldRequirement[], obj: KObject): boolean {
  for (const r of reqs) {
    const v = fieldValue(obj, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
