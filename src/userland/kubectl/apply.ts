/**
 * `kubectl apply -f`: client-side apply (the last-applied-configuration annotation, a three-way
 * strategic merge patch, `created` / `configured` / `unchanged`) and `--server-side` apply
 * (`application/apply-patch+yaml`, `serverside-applied`).
 */
import { StatusError } from '../../k8s/api/errors.ts';
import type { KObject } from '../../k8s/api/object.ts';
import { FieldSet } from '../../k8s/api/patch/fieldpath.ts';
import { goJson } from '../../k8s/api/patch/gofmt.ts';
import { jsonMergePatch } from '../../k8s/api/patch/merge.ts';
import { hasPatchSchema, patchSchemaFor } from '../../k8s/api/patch/schema.ts';
import { strategicMergePatch, threeWayMergePatch } from '../../k8s/api/patch/strategic.ts';
import { forDisplay, OBJECT_FORMATS, parseOutput, printGeneric, printTypedList } from './output.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { DRY_RUN_FLAG, dryRunOf, nameLine, query, readObjects, VALIDATE_FLAG, validateOf, withDryRun, withNamespace, type DryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, GoAggregate, throwErrors, withSource } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import type { ManifestObject } from './manifest.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const APPLY_FLAGS: FlagSpec[] = [
  { name: 'all', kind: 'bool' },
  { name: 'allow-missing-template-keys', kind: 'bool' },
  { name: 'cascade', kind: 'string', noOptDefault: 'background' },
  DRY_RUN_FLAG,
  { name: 'field-manager', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'force', kind: 'bool' },
  { name: 'force-conflicts', kind: 'bool' },
  { name: 'grace-period', kind: 'int' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'openapi-patch', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'overwrite', kind: 'bool' },
  { name: 'prune', kind: 'bool' },
  { name: 'prune-allowlist', kind: 'array' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'server-side', kind: 'bool' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'template', kind: 'string' },
  { name: 'timeout', kind: 'duration' },
  VALIDATE_FLAG,
  { name: 'wait', kind: 'bool' },
];

/** encoding/json.Encoder's output: Go's JSON plus a newline (what the annotation holds). */
function encode(v: unknown): string {
  return `${goJson(v)}\n`;
}

/**
 * GetModifiedConfiguration: the object with its last-applied annotation set to the object's own
 * JSON (taken without that annotation), as kubectl sends and records it.
 */
export function modifiedConfiguration(obj: KObject): KObject {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...obj, metadata: { ...obj.metadata, annotations } };
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: encode(bare) } } };
}

interface ApplyRun {
  k: Kctx;
  dry: DryRun;
  fieldValidation: string;
  outputName: boolean;
  /** `-o yaml|json…`: the objects as applied, printed together at the end instead of a line each. */
  printed?: unknown[];
}

/** The `created`/`configured` line, or (with -o yaml/json) the object kept for printing. */
function report(a: ApplyRun, m: ManifestObject, name: string, operation: string, obj: KObject): void {
  if (a.printed) a.printed.push(forDisplay(obj, m.resource, a.k.flags.bool('show-managed-fields')));
  else a.k.out(nameLine(m.resource, name, withDryRun(operation, a.dry), a.outputName));
}

async function createObject(a: ApplyRun, m: ManifestObject, obj: KObject): Promise<void> {
  const client = a.k.client();
  let created = obj;
  if (a.dry !== 'client') {
    created = await client.call<KObject>('POST', resourcePath(m.resource, m.namespace || undefined) + query({ dryRun: a.dry === 'server' ? 'All' : undefined, fieldManager: 'kubectl-client-side-apply', fieldValidation: a.fieldValidation }), goJson(obj));
  }
  report(a, m, obj.metadata.name ?? '', 'created', created);
}

/** applyOneObject of client-side apply. */
async function applyClientSide(a: ApplyRun, m: ManifestObject): Promise<void> {
  const { k } = a;
  const obj = withNamespace(m);
  const name = obj.metadata.name ?? '';
  if (!name) throw new CmdError(`error when retrieving current configuration of:\nResource: "${m.resource.group}/${m.resource.version}, Resource=${m.resource.plural}", GroupVersionKind: "${m.resource.group}/${m.resource.version}, Kind=${obj.kind}"\nName: "", Namespace: "${m.namespace}"\nfrom server for: "${m.source}": resource name may not be empty`);
  const modified = modifiedConfiguration(obj);
  const path = resourcePath(m.resource, m.namespace || undefined, name);
  let current: KObject;
  try {
    current = await k.client().call<KObject>('GET', path);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) {
      try {
        await createObject(a, m, modified);
      } catch (err) {
        throw withSource('creating', m.source, err);
      }
      return;
    }
    throw e;
  }
  const originalText = current.metadata.annotations?.[LAST_APPLIED];
  if (originalText === undefined && a.dry !== 'client') {
    k.err(`Warning: resource ${m.resource.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`);
  }
  const original = originalText ? (JSON.parse(originalText) as unknown) : undefined;
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  // Built-in kinds get a strategic merge patch; others (custom resources) a JSON merge patch.
  const strategic = hasPatchSchema(apiVersion, kind);
  const patch = strategic ? threeWayMergePatch(original, modified, current, patchSchemaFor(apiVersion, kind)) : mergePatch3(original, modified, current);
  if (a.dry === 'client') {
    // The patch lands locally and nothing is sent; kubectl says `configured` even for no change.
    report(a, m, name, 'configured', strategic ? strategicMergePatch(current, patch, patchSchemaFor(apiVersion, kind)) as KObject : jsonMergePatch(current, patch) as KObject);
    return;
  }
  if (Object.keys(patch).length === 0) {
    report(a, m, name, 'unchanged', current);
    return;
  }
  let patched: KObject;
  try {
    patched = await k.client().call<KObject>('PATCH', path + query({ dryRun: a.dry === 'server' ? 'All' : undefined, fieldManager: 'kubectl-client-side-apply', fieldValidation: a.fieldValidation }), goJson(patch), {
      'Content-Type': strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
    });
  } catch (e) {
    throw withSource('patching', m.source, e);
  }
  report(a, m, name, 'configured', patched);
}

/** The three-way JSON merge patch (jsonmergepatch.CreateThreeWayJSONMergePatch) for kinds without a patch schema. */
function mergePatch3(original: unknown, modified: unknown, current: unknown): Record<string, unknown> {
  const diff = (from: unknown, to: unknown, deletions: boolean, changes: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const f = (from && typeof from === 'object' && !Array.isArray(from) ? from : {}) as Record<string, unknown>;
    const t = (to && typeof to === 'object' && !Array.isArray(to) ? to : {}) as Record<string, unknown>;
    for (const key of Object.keys(t)) {
      const a = f[key];
      const b = t[key];
      if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
        const sub = diff(a, b, deletions, changes);
        if (Object.keys(sub).length) out[key] = sub;
      } else if (changes && goJson(a) !== goJson(b)) out[key] = b;
    }
    if (deletions) for (const key of Object.keys(f)) if (!(key in t)) out[key] = null;
    return out;
  };
  const deletions = diff(original, modified, true, false);
  const delta = diff(current, modified, false, true);
  return jsonMergePatch(deletions, delta) as Record<string, unknown>;
}

/**
 * The managers whose fields a server-side apply takes over: client-side apply, the keeper of its
 * annotation, and `before-first-apply` (what the API server names the fields nobody managed).
 */
const CSA_MANAGERS = new Set(['kubectl-client-side-apply', 'kubectl-last-applied', 'before-first-apply']);

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/**
 * csaupgrade.UpgradeManagedFieldsPatch: the JSON patch that hands the fields of the client-side
 * apply managers to `ssaManager` (taking over the newest client-side entry when `ssaManager` has
 * none), or undefined when there is nothing to migrate.
 */
export function managedFieldsUpgrade(obj: KObject, ssaManager: string): string | undefined {
  const entries = (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const copy = entries.map((e) => ({ ...e }));
  let target = copy.findIndex((e) => e.manager === ssaManager && e.operation === 'Apply' && !e.subresource);
  if (target < 0) {
    target = copy.findIndex((e) => CSA_MANAGERS.has(e.manager ?? '') && e.operation === 'Update' && !e.subresource);
    if (target < 0) return undefined;
    copy[target].manager = ssaManager;
    copy[target].operation = 'Apply';
  }
  let fields = FieldSet.fromFieldsV1(copy[target].fieldsV1 ?? {});
  for (const [i, e] of copy.entries()) {
    if (i !== target && CSA_MANAGERS.has(e.manager ?? '') && !e.subresource) fields = fields.union(FieldSet.fromFieldsV1(e.fieldsV1 ?? {}));
  }
  copy[target].fieldsV1 = fields.toFieldsV1();
  const kept = copy.filter((e) => !(CSA_MANAGERS.has(e.manager ?? '') && !e.subresource));
  if (JSON.stringify(kept) === JSON.stringify(entries)) return undefined;
  // ManagedFieldsEntry's fields in struct order; FieldsV1 keeps the order its encoding gave it.
  const entryJson = (e: ManagedFieldsEntry): string => {
    const parts: string[] = [];
    for (const key of ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'] as const) {
      const v = e[key];
      if (v === undefined || v === '') continue;
      parts.push(`${JSON.stringify(key)}:${key === 'fieldsV1' ? JSON.stringify(v) : goJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  };
  return `[{"op":"replace","path":"/metadata/managedFields","value":[${kept.map(entryJson).join(',')}]},{"op":"replace","path":"/metadata/resourceVersion","value":${goJson(obj.metadata.resourceVersion ?? '')}}]`;
}

async function applyServerSide(a: ApplyRun, m: ManifestObject): Promise<void> {
  const { k } = a;
  const obj = withNamespace(m);
  const name = obj.metadata.name ?? '';
  const path = resourcePath(m.resource, m.namespace || undefined, name);
  const manager = k.flags.str('field-manager', 'kubectl');
  if (a.dry !== 'client') {
    let live: KObject;
    try {
      live = await k.client().call<KObject>('PATCH', path + query({
        dryRun: a.dry === 'server' ? 'All' : undefined, fieldManager: manager, fieldValidation: a.fieldValidation,
        force: k.flags.bool('force-conflicts') ? 'true' : 'false',
      }), goJson(obj), { 'Content-Type': 'application/apply-patch+yaml' });
    } catch (e) {
      throw withSource('patching', m.source, e);
    }
    if (a.dry === 'none') live = await afterServerSideApply(a, obj, live, path, manager);
    report(a, m, name, 'serverside-applied', live);
  } else {
    report(a, m, name, 'serverside-applied', obj);
  }
}

/**
 * What kubectl does after a server-side apply of an object that client-side apply managed: keeps
 * its last-applied annotation current (as manager kubectl-last-applied), then migrates the
 * client-side managers' fields to the server-side manager; a refused migration is only a warning.
 */
async function afterServerSideApply(a: ApplyRun, applied: KObject, live: KObject, path: string, manager: string): Promise<KObject> {
  const client = a.k.client();
  if (manager === 'kubectl' && live.metadata.annotations?.[LAST_APPLIED] !== undefined) {
    const annotations = { ...(applied.metadata.annotations ?? {}) };
    delete annotations[LAST_APPLIED];
    const config = { ...applied, metadata: { ...applied.metadata } };
    if (Object.keys(annotations).length) config.metadata.annotations = annotations;
    else delete config.metadata.annotations;
    // Sent whenever the annotation exists, even when the server already brought it up to date.
    const body = { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { annotations: { [LAST_APPLIED]: encode(config) }, name: applied.metadata.name, ...(applied.metadata.namespace ? { namespace: applied.metadata.namespace } : {}) } };
    live = await client.call<KObject>('PATCH', path + query({ fieldManager: 'kubectl-last-applied', fieldValidation: a.fieldValidation }), goJson(body), { 'Content-Type': 'application/apply-patch+yaml' });
  }
  const upgrade = managedFieldsUpgrade(live, manager);
  if (!upgrade) return live;
  try {
    live = await client.call<KObject>('PATCH', path + query({ fieldManager: manager, fieldValidation: a.fieldValidation }), upgrade, { 'Content-Type': 'application/json-patch+json' });
  } catch (e) {
    a.k.err(`Warning: server rejected managed fields migration to Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${(e as Error).message}\n`);
  }
  return live;
}

async function runApply(k: Kctx, args: string[]): Promise<number> {
  if (args.length) throw new CmdError(`Unexpected args: [${args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`);
  if (!k.flags.list('filename').length && !k.flags.has('kustomize')) throw new CmdError('must specify one of -f and -k');
  const dry = dryRunOf(k);
  const validation = validateOf(k);
  const output = k.flags.str('output');
  const format = output && output !== 'name' ? parseOutput(output, OBJECT_FORMATS) : undefined;
  const serverSide = k.flags.bool('server-side');
  if (k.flags.bool('force-conflicts') && !serverSide) throw new CmdError('--force-conflicts only works with --server-side');
  const { objects, errors: readErrors } = await readObjects(k, validation.client);
  // The builder's errors come first, as one aggregate; the objects it read are applied anyway.
  const errors: unknown[] = readErrors.length ? [new GoAggregate(readErrors)] : [];
  if (!objects.length && !errors.length) throw new CmdError('no objects passed to apply');
  const a: ApplyRun = { k, dry, fieldValidation: validation.fieldValidation, outputName: output === 'name', ...(format ? { printed: [] } : {}) };
  for (const m of objects) {
    try {
      if (serverSide) await applyServerSide(a, m);
      else await applyClientSide(a, m);
    } catch (e) {
      errors.push(e);
    }
  }
  throwErrors(errors);
  if (format && a.printed?.length) {
    const shown = a.printed;
    k.out(shown.length === 1 ? printGeneric(format, shown[0]) : printTypedList(format, shown));
  }
  return 0;
}

export const applyCmd: Subcommand = { name: 'apply', flags: APPLY_FLAGS, run: runApply };
