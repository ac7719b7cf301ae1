/**
 * Strict decoding of PATCH bodies as upstream's patch handler does it, before the patch is
 * applied: repeated keys, fields the patched object would have that the Go types lack (merge,
 * strategic merge and JSON patches), and for server-side apply the YAML and schema checks of the
 * applied configuration.
 */
import { badRequest, type Status } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { goJson, goValue } from '../api/patch/gofmt.ts';
import { jsonMergePatch } from '../api/patch/merge.ts';
import { jsonPatch } from '../api/patch/json-patch.ts';
import { parseYamlStrict } from './body.ts';
import { applyConfigurationErrors, duplicateFields, fieldType, unknownFields, type FieldValidation } from './fieldvalidation.ts';

/** Keys a strategic merge patch uses for directives, not fields (`$patch`, `$setElementOrder/containers`, …). */
function isDirective(key: string): boolean {
  return key.startsWith('$');
}

/** Unknown fields a strategic merge patch carries, with its directives and deletions left out. */
function smpUnknownFields(patch: unknown, t: string, path: string, out: string[]): void {
  if (patch === null || patch === undefined || t === 'any') return;
  if (t.startsWith('[]')) {
    if (Array.isArray(patch)) patch.forEach((v, i) => smpUnknownFields(v, t.slice(2), `${path}[${i}]`, out));
    return;
  }
  if (typeof patch !== 'object' || Array.isArray(patch)) return;
  const obj = patch as Record<string, unknown>;
  if (obj.$patch === 'delete') return;
  if (t.startsWith('{}')) {
    for (const k of Object.keys(obj).sort()) if (!isDirective(k)) smpUnknownFields(obj[k], t.slice(2), path ? `${path}.${k}` : k, out);
    return;
  }
  for (const k of Object.keys(obj).sort()) {
    if (isDirective(k) || obj[k] === null) continue;
    const p = path ? `${path}.${k}` : k;
    const ft = fieldType(t, k);
    if (ft === undefined) out.push(p);
    else smpUnknownFields(obj[k], ft, p, out);
  }
}

/**
 * What strict decoding finds in a patch (merge, strategic merge or JSON patch): repeated keys,
 * then unknown fields of the patched object that the current object does not already have, and
 * the value upstream shows in its error (the patch map for a strategic merge patch, the patched
 * JSON otherwise). Undefined when the patch cannot be applied here (the patcher reports that).
 */
export function strictPatchFindings(type: string, text: string, current: KObject, struct: string): { messages: string[]; shown: string } | undefined {
  const patch = JSON.parse(text) as unknown;
  if (type === 'application/strategic-merge-patch+json') {
    const unknown: string[] = [];
    smpUnknownFields(patch, struct, '', unknown);
    const before = new Set(unknownFields(current, struct));
    return { messages: [...duplicateFields(text), ...unknown.filter((p) => !before.has(p)).map((p) => `unknown field "${p}"`)], shown: goValue(patch) };
  }
  let result: unknown;
  try {
    result = type === 'application/json-patch+json' ? jsonPatch(current, patch) : jsonMergePatch(current, patch);
  } catch {
    return undefined;
  }
  const before = new Set(unknownFields(current, struct));
  const introduced = unknownFields(result, struct).filter((p) => !before.has(p)).map((p) => `unknown field "${p}"`);
  const own = type === 'application/json-patch+json' ? jsonPatchFindings(text, patch) : duplicateFields(text);
  return { messages: [...own, ...introduced], shown: goJson(result) };
}

/** `json patch unknown field "[0].foo"` and `json patch duplicate field "[1].path"`: the operations' own keys. */
function jsonPatchFindings(text: string, ops: unknown): string[] {
  const out = duplicateFields(text).map((d) => `json patch ${d}`);
  if (Array.isArray(ops)) {
    ops.forEach((op, i) => {
      if (!op || typeof op !== 'object') return;
      for (const k of Object.keys(op)) if (!['op', 'path', 'value', 'from'].includes(k)) out.push(`json patch unknown field "[${i}].${k}"`);
    });
  }
  // Unknown keys come before repeated ones in each operation, as the decoder meets them.
  return out.sort((a, b) => opIndex(a) - opIndex(b));
}

function opIndex(s: string): number {
  return Number(/"\[(\d+)\]/.exec(s)?.[1] ?? 0);
}

/**
 * Server-side apply's own checks of the applied configuration: repeated keys (YAML decoding;
 * a 400 in Strict, warnings in Warn) and fields the schema lacks (structured-merge-diff: a
 * plain error upstream, so a 500 with no reason, which kubectl prints as `Error from server: …`).
 */
export function applyFindings(text: string, validation: FieldValidation, struct: string | undefined, r: ResourceInfo, namespace: string | undefined, name: string): { warnings: string[]; failure?: Status } {
  const y = parseYamlStrict(text);
  if (y.error) throw badRequest(`error decoding patch: yaml: ${y.error}`);
  const warnings: string[] = [];
  if (y.duplicates.length) {
    if (validation === 'Strict') throw badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${y.duplicates.join('\n  ')}`);
    if (validation === 'Warn') warnings.push(...y.duplicates);
  }
  if (!struct || !y.value || typeof y.value !== 'object') return { warnings };
  const errs = applyConfigurationErrors(y.value, struct);
  if (!errs.length) return { warnings };
  const gv = r.group ? `${r.group}/${r.version}` : `/${r.version}`;
  const detail = errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
  const failure = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `failed to create typed patch object (${namespace ?? ''}/${name}; ${gv}, Kind=${r.kind}): ${detail}`, code: 500 } as unknown as Status;
  return { warnings, failure };
}
