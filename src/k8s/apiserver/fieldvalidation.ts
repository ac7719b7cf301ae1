/**
 * Typed decoding of request bodies as the API server does it with the Go types: unknown and
 * duplicate fields (reported, in `fieldValidation=Strict`, as `strict decoding error: unknown
 * field "spec.foo", duplicate field "spec.replicas"`, as warnings in `Warn`, silently dropped in
 * `Ignore`), and values of the wrong JSON type (`json: cannot unmarshal string into Go struct
 * field DeploymentSpec.spec.replicas of type int32`), which fail whatever the directive.
 *
 * Coverage: every field of every kind podlab serves, down to the leaves, from the
 * kubernetes-types 1.30 declarations (schema.generated.ts). Fields added after 1.30 count as
 * unknown. Map keys and the contents of free-form values (RawExtension, quantities,
 * int-or-string) are not checked.
 */
import { KINDS, TYPES } from './schema.generated.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The struct type of `group/version/Kind`, if podlab knows it. */
export function structOf(group: string, version: string, kind: string): string | undefined {
  return KINDS[`${group}/${version}/${kind}`];
}

function fieldsOf(t: string): Record<string, string> | undefined {
  return TYPES[t];
}

/** The type of field `key` of struct `t`; undefined when `t` does not declare it (`any` for a struct podlab has no schema for). */
export function fieldType(t: string, key: string): string | undefined {
  const fields = fieldsOf(t);
  if (!fields) return 'any';
  return fields[key];
}

/** Go's name for a field type in decoding errors (`int32`, `[]v1.Container`, `map[string]string`). */
function goType(t: string): string {
  if (t.startsWith('[]')) return `[]${goType(t.slice(2))}`;
  if (t.startsWith('{}')) return `map[string]${goType(t.slice(2))}`;
  switch (t) {
    case 'string': return 'string';
    case 'integer': return 'int32';
    case 'boolean': return 'bool';
    case 'intOrString': return 'intstr.IntOrString';
    case 'quantity': return 'resource.Quantity';
    case 'any': return 'interface {}';
  }
  const parts = t.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function shortStruct(t: string): string {
  return t.slice(t.lastIndexOf('.') + 1);
}

export interface DecodeReport {
  /** `unknown field "spec.foo"` and `duplicate field "spec.replicas"`, in document order. */
  strict: string[];
  /** The first value of the wrong JSON type, in encoding/json's words. */
  typeError?: string;
}

class JsonScanner {
  i = 0;
  report: DecodeReport = { strict: [] };
  constructor(private s: string) {}

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private string(): string {
    // The body already parsed with JSON.parse, so the literal is well formed.
    const start = this.i;
    this.i++;
    while (this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private jsonKind(): string {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return 'object';
    if (c === '[') return 'array';
    if (c === '"') return 'string';
    if (c === 't' || c === 'f') return 'bool';
    if (c === 'n') return 'null';
    return 'number';
  }

  private typeError(kind: string, t: string, struct: string, fieldPath: string): void {
    if (this.report.typeError) return;
    let what = kind;
    if (kind === 'number') {
      const m = /^-?[0-9.eE+-]+/.exec(this.s.slice(this.i))?.[0] ?? '';
      // encoding/json names a number only when it is a number of the wrong kind (1.5 for an int).
      if (t === 'integer') what = `number ${m}`;
    }
    this.report.typeError = struct
      ? `json: cannot unmarshal ${what} into Go struct field ${struct}.${fieldPath} of type ${goType(t)}`
      : `json: cannot unmarshal ${what} into Go value of type ${goType(t)}`;
  }

  /** Scans one value of type `t`. `path` is for strict errors (with indexes), `fieldPath` for type errors (without). */
  value(t: string | undefined, path: string, fieldPath: string, struct: string): void {
    const kind = this.jsonKind();
    // `json`: any JSON value, still scanned for repeated keys (a patch body).
    if (t === 'json') t = kind === 'object' ? '{}json' : kind === 'array' ? '[]json' : 'any';
    if (t === undefined || t === 'any' || kind === 'null') return this.skip();
    const fits = t === 'string' ? kind === 'string'
      : t === 'boolean' ? kind === 'bool'
      : t === 'integer' ? kind === 'number' && /^-?\d+(?=[\s,}\]]|$)/.test(this.s.slice(this.i))
      : t === 'intOrString' || t === 'quantity' ? kind === 'string' || kind === 'number'
      : t.startsWith('[]') ? kind === 'array'
      : kind === 'object';
    if (!fits) {
      this.typeError(kind, t, struct, fieldPath);
      return this.skip();
    }
    if (kind === 'array') {
      this.i++;
      let n = 0;
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return;
      }
      while (true) {
        this.value(t.slice(2), `${path}[${n}]`, fieldPath, struct);
        n++;
        this.ws();
        if (this.s[this.i++] === ']') return;
      }
    }
    if (kind !== 'object') return this.skip();
    const isMap = t.startsWith('{}');
    const fields = isMap ? undefined : fieldsOf(t);
    this.i++;
    const seen = new Set<string>();
    const unknown = new Set<string>();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return;
    }
    while (true) {
      this.ws();
      const key = this.string();
      this.ws();
      this.i++; // ':'
      const p = path ? `${path}.${key}` : key;
      if (isMap) {
        if (seen.has(key)) this.report.strict.push(`duplicate field "${p}"`);
        seen.add(key);
        this.value(t.slice(2), p, fieldPath ? `${fieldPath}.${key}` : key, struct);
      } else if (fields && !(key in fields)) {
        // A field both unknown and repeated is reported once, as unknown.
        if (!unknown.has(key)) this.report.strict.push(`unknown field "${p}"`);
        unknown.add(key);
        this.skip();
      } else {
        if (seen.has(key)) this.report.strict.push(`duplicate field "${p}"`);
        seen.add(key);
        this.value(fields?.[key], p, fieldPath ? `${fieldPath}.${key}` : key, shortStruct(t));
      }
      this.ws();
      if (this.s[this.i++] === '}') return;
    }
  }

  skip(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      for (; this.i < this.s.length; this.i++) {
        const ch = this.s[this.i];
        if (ch === '"') {
          this.string();
          this.i--;
        } else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) {
            this.i++;
            return;
          }
        }
      }
      return;
    }
    while (this.i < this.s.length && !',}]'.includes(this.s[this.i])) this.i++;
  }
}

/**
 * Checks a JSON body (already known to parse) against struct `root`: unknown and duplicate
 * fields in document order, as sigs.k8s.io/json reports them, and the first type error.
 */
export function checkJson(text: string, root: string): DecodeReport {
  const sc = new JsonScanner(text);
  sc.value(root, '', '', shortStruct(root));
  return sc.report;
}

/** Duplicate keys anywhere in a JSON text (no schema): what a patch body is checked for. */
export function duplicateFields(text: string): string[] {
  const sc = new JsonScanner(text);
  sc.value('json', '', '', '');
  return sc.report.strict;
}

/** Paths of fields a value has that its type does not declare, keys sorted at each level (as a decoded map is walked). */
export function unknownFields(value: unknown, t: string, path = ''): string[] {
  const out: string[] = [];
  walkUnknown(value, t, path, out, indexElem);
  return out;
}

function walkUnknown(value: unknown, t: string, path: string, out: string[], elem: (p: string, i: number, v: unknown, et: string) => string): void {
  if (value === null || value === undefined || t === 'any') return;
  if (t.startsWith('[]')) {
    if (!Array.isArray(value)) return;
    value.forEach((v, i) => walkUnknown(v, t.slice(2), elem(path, i, v, t.slice(2)), out, elem));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  if (t.startsWith('{}')) {
    for (const k of Object.keys(obj).sort()) walkUnknown(obj[k], t.slice(2), path ? `${path}.${k}` : k, out, elem);
    return;
  }
  const fields = fieldsOf(t);
  if (!fields) return;
  for (const k of Object.keys(obj).sort()) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in fields)) out.push(p);
    else walkUnknown(obj[k], fields[k], p, out, elem);
  }
}

/** Indexing with a default path format `[i]`. */
function indexElem(p: string, i: number): string {
  return `${p}[${i}]`;
}

/** Removes fields the type does not declare (what decoding into the Go types does in Warn and Ignore). */
export function dropUnknown(value: unknown, t: string): unknown {
  if (value === null || value === undefined || t === 'any') return value;
  if (t.startsWith('[]')) return Array.isArray(value) ? value.map((v) => dropUnknown(v, t.slice(2))) : value;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (t.startsWith('{}')) {
    for (const [k, v] of Object.entries(obj)) out[k] = dropUnknown(v, t.slice(2));
    return out;
  }
  const fields = fieldsOf(t);
  if (!fields) return value;
  for (const [k, v] of Object.entries(obj)) if (k in fields) out[k] = dropUnknown(v, fields[k]);
  return out;
}

/** Keys of associative lists (x-kubernetes-list-map-keys), by element type, for server-side apply's paths. */
const LIST_KEYS: Record<string, string[]> = {
  'core.v1.Container': ['name'],
  'core.v1.EphemeralContainer': ['name'],
  'core.v1.EnvVar': ['name'],
  'core.v1.ContainerPort': ['containerPort', 'protocol'],
  'core.v1.ServicePort': ['port', 'protocol'],
  'core.v1.Volume': ['name'],
  'core.v1.VolumeMount': ['mountPath'],
  'core.v1.LocalObjectReference': ['name'],
  'core.v1.PodCondition': ['type'],
  'core.v1.NodeCondition': ['type'],
  'apps.v1.DeploymentCondition': ['type'],
  'meta.v1.OwnerReference': ['uid'],
};

/** An associative list element as structured-merge-diff names it: `[name="web"]`, `[containerPort=80,protocol="TCP"]`. */
function ssaElem(p: string, i: number, v: unknown, et: string): string {
  const keys = LIST_KEYS[et];
  if (!keys || !v || typeof v !== 'object') return `${p}[${i}]`;
  const o = v as Record<string, unknown>;
  const parts = keys.filter((k) => o[k] !== undefined).map((k) => `${k}=${typeof o[k] === 'string' ? JSON.stringify(o[k]) : String(o[k])}`);
  return parts.length ? `${p}[${parts.join(',')}]` : `${p}[${i}]`;
}

/**
 * Server-side apply's check of an applied configuration (structured-merge-diff): unknown fields
 * as `.spec.foo: field not declared in schema`, associative list elements by their keys. Empty
 * when the configuration fits the schema.
 */
export function applyConfigurationErrors(value: unknown, t: string): string[] {
  const out: string[] = [];
  walkUnknown(value, t, '', out, ssaElem);
  return out.map((p) => `.${p}: field not declared in schema`);
}
