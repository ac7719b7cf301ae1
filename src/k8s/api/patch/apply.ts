/**
 * Server-side apply and field ownership (`metadata.managedFields`), after k8s.io/apiserver's
 * fieldmanager and structured-merge-diff's merge.Updater: merging an applied configuration into the
 * live object, refusing to take fields other managers own with other values (409 Conflict), removing
 * fields an applier stopped applying, and recording which manager set what on every other write.
 */
import type { KObject } from '../object.ts';
import { rfc3339 } from '../object.ts';
import { StatusError, type StatusCause, badRequest } from '../errors.ts';
import { type Schema, patchSchemaFor } from './schema.ts';
import { FieldSet, type FieldPath, fieldElement, pathString } from './fieldpath.ts';
import { TypedError, compare, ensureNamedFieldsAreMembers, mergeApplied, prune, toFieldSet, zeroObject } from './typed.ts';
import { goJson } from './gofmt.ts';
import { deepEqual } from './json-patch.ts';

/** The annotation `kubectl apply` (client-side) keeps its last configuration in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Update entries beyond this many are merged, oldest first, into `ancient-changes` (DefaultMaxUpdateManagers). */
const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';
/** Who owns the fields of an object that had no managedFields when it was first applied. */
const BEFORE_FIRST_APPLY = 'before-first-apply';
/** The apiserver's limit on the total size of annotations (256 KiB). */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** One `metadata.managedFields` entry, members in the order the API server writes them. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: ManagedFieldsOperation;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

interface Manager {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Managers by identifier (BuildManagerIdentifier): the entry without time and fields, and without apiVersion for appliers. */
type Managers = Map<string, Manager>;

function identifier(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const o: Record<string, string> = {};
  if (m.manager) o.manager = m.manager;
  o.operation = m.operation;
  // An applier is the same manager whatever version it applies with.
  if (m.operation === 'Update' && m.apiVersion) o.apiVersion = m.apiVersion;
  if (m.subresource) o.subresource = m.subresource;
  return JSON.stringify(o);
}

export interface ApplyOptions {
  /** The field manager (`?fieldManager=`; kubectl sends `kubectl`). */
  manager: string;
  /** `?force=true`: take conflicting fields instead of failing. */
  force: boolean;
  /** RFC 3339 time stamped on the manager's entry when the object changes. */
  now: string;
  schema: Schema | undefined;
  /** `status` for an apply to the status subresource. */
  subresource?: string;
  /** Paths whose changes are not tracked (the strategy's reset fields); see defaultIgnoredFields. */
  ignore?: readonly (readonly string[])[];
}

export interface ApplyResult {
  /** The live object after the apply, with its managedFields. */
  object: KObject;
  /** Whether anything (managedFields included) differs from the live object. */
  changed: boolean;
}

/**
 * Server-side apply (`application/apply-patch+yaml`) of `applied` by `opts.manager` onto `live`
 * (undefined: the object is created). Throws StatusError: 400 for a configuration carrying
 * managedFields or of another kind than the live object, 409 reason Conflict with upstream's message
 * when fields owned by others would change and `force` is false, 500 when the configuration does
 * not fit the schema (a keyed list item without its key).
 */
export function serverSideApply(live: KObject | undefined, applied: KObject, opts: ApplyOptions): ApplyResult {
  if (typeof applied !== 'object' || applied === null || Array.isArray(applied)) throw badRequest('error decoding YAML: object expected');
  if (applied.metadata?.managedFields !== undefined && applied.metadata?.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  if (live && (applied.apiVersion !== live.apiVersion || applied.kind !== live.kind)) {
    throw badRequest(`invalid object type: ${gvkString(applied)}`);
  }
  const schema = opts.schema;
  const ignored = ignoredSet(opts.ignore ?? defaultIgnoredFields(opts.subresource));
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata.managedFields);
  } catch (e) {
    throw internal(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const liveBody = live ? withoutManagedFields(live) : undefined;
  const base = liveBody ?? zeroObject(schema);

  try {
    if (liveBody && managers.size === 0) {
      // An object written before fields were tracked: what it has belongs to "before-first-apply",
      // so the first applier conflicts instead of silently taking it all.
      recordInto(managers, zeroObject(schema), liveBody, { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: String(live!.apiVersion ?? '') }, opts.now, schema, ignored);
    }

    let result: { object: KObject; managers: Managers; changed: boolean };
    try {
      result = applyOnce(liveBody, base, applied, managers, opts, schema, ignored, opts.force);
    } catch (e) {
      if (!(e instanceof Conflicts)) throw e;
      // kubectl moving from client-side to server-side apply may take over what its
      // last-applied annotation says it applied before (lastAppliedManager).
      const allowed = opts.manager === 'kubectl' ? fieldsOfLastApplied(live, schema) : undefined;
      if (!allowed) throw e.toStatus(managers);
      const remaining = e.without(allowed);
      if (remaining.size > 0) throw new Conflicts(remaining).toStatus(managers);
      result = applyOnce(liveBody, base, applied, managers, opts, schema, ignored, true);
    }

    const object = result.object;
    if (opts.manager === 'kubectl' && object.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
      // Keep the client-side annotation in step, so that going back to client-side apply works (lastAppliedUpdater).
      setLastApplied(object, lastAppliedConfiguration(applied, false));
    }
    encodeManagedFields(object, result.managers);
    return { object, changed: !deepEqual(object, live) };
  } catch (e) {
    if (e instanceof TypedError) throw internal(`failed to create typed patch object (${gvkString(applied)}): ${e.message}`);
    throw e;
  }
}

function applyOnce(liveBody: KObject | undefined, base: Record<string, unknown>, applied: KObject, managersIn: Managers, opts: ApplyOptions, schema: Schema | undefined, ignored: FieldSet, force: boolean): { object: KObject; managers: Managers; changed: boolean } {
  const managers = cloneManagers(managersIn);
  const id = identifier({ manager: opts.manager, operation: 'Apply', apiVersion: '', subresource: opts.subresource });
  const previous = managers.get(id);
  const set = toFieldSet(applied, schema).recursiveDifference(ignored);

  let merged = mergeApplied(liveBody ?? {}, applied, schema) as KObject;
  managers.set(id, { manager: opts.manager, operation: 'Apply', apiVersion: String(applied.apiVersion ?? ''), subresource: opts.subresource, time: previous?.time, set });
  if (previous && !previous.set.isEmpty()) {
    // Fields this manager applied last time and not now go, unless someone else owns them.
    let owned = new FieldSet();
    for (const m of managers.values()) owned = owned.union(m.set);
    merged = prune(merged, ensureNamedFieldsAreMembers(previous.set, schema), ensureNamedFieldsAreMembers(owned, schema), schema) as KObject;
  }
  updateOwnership(base, merged, managers, id, force, schema, ignored);

  const changed = !deepEqual(withoutManagedFields(merged), liveBody ?? base);
  const mine = managers.get(id);
  if (mine) {
    if (changed) mine.time = opts.now;
    stripMeta(managers, id);
  }
  capUpdateManagers(managers);
  return { object: merged, managers, changed };
}

/**
 * The ownership side of a write (merge.Updater.update): fields the write changes are taken from
 * every other manager (a conflict unless forced) and fields it removes are dropped from all.
 */
function updateOwnership(live: unknown, updated: unknown, managers: Managers, workflow: string, force: boolean, schema: Schema | undefined, ignored: FieldSet): { added: FieldSet; modified: FieldSet; removed: FieldSet } {
  const c = compare(live, updated, schema);
  const cmp = { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
  const changed = cmp.modified.union(cmp.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, m] of managers) {
    if (id === workflow) continue;
    const conflict = m.set.intersection(changed);
    if (!conflict.isEmpty()) conflicts.set(id, conflict);
    if (!cmp.removed.isEmpty()) m.set = m.set.difference(cmp.removed);
  }
  if (!force && conflicts.size > 0) throw new Conflicts(conflicts);
  for (const [id, conflict] of conflicts) {
    const m = managers.get(id)!;
    m.set = m.set.difference(conflict);
  }
  for (const [id, m] of managers) if (m.set.isEmpty()) managers.delete(id);
  return cmp;
}

/** Apply conflicts by manager identifier. */
class Conflicts extends Error {
  readonly byManager: Map<string, FieldSet>;
  constructor(byManager: Map<string, FieldSet>) {
    super('apply conflicts');
    this.byManager = byManager;
  }

  get size(): number {
    let n = 0;
    for (const s of this.byManager.values()) n += s.paths().length;
    return n;
  }

  without(allowed: FieldSet): Map<string, FieldSet> {
    const out = new Map<string, FieldSet>();
    for (const [id, s] of this.byManager) {
      const rest = s.difference(allowed);
      if (!rest.isEmpty()) out.set(id, rest);
    }
    return out;
  }

  /** The 409 (fieldmanager NewConflictError): managers sorted by identifier, paths in set order. */
  toStatus(managers: Managers): StatusError {
    const list: { id: string; path: FieldPath }[] = [];
    for (const id of [...this.byManager.keys()].sort()) {
      for (const path of this.byManager.get(id)!.paths()) list.push({ id, path });
    }
    const causes: StatusCause[] = list.map(({ id, path }) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(id, managers)}`,
      field: pathString(path),
    }));
    let message: string;
    if (list.length === 1) {
      message = `Apply failed with 1 conflict: conflict with ${printManager(list[0].id, managers)}: ${pathString(list[0].path)}`;
    } else {
      const lines: string[] = [];
      let last = '';
      for (const { id, path } of list) {
        if (id !== last) lines.push(`conflicts with ${printManager(id, managers)}:`);
        last = id;
        lines.push(`- ${pathString(path)}`);
      }
      message = `Apply failed with ${list.length} conflicts: ${lines.join('\n')}`;
    }
    return new StatusError(409, 'Conflict', message, { causes });
  }
}

/** `"kubectl-client-side-apply" using apps/v1`, `"kubectl"`, `"kubelet" with subresource "status" using v1`. */
function printManager(id: string, managers: Managers): string {
  const m = managers.get(id) ?? (JSON.parse(id) as Manager);
  let s = JSON.stringify(m.manager ?? '');
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  // The identifier carries no time, so upstream never prints the "at <time>" part here.
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

export interface RecordOptions {
  /** RFC 3339 time stamped on the manager's entry; defaults to now. */
  now?: string;
  /** Defaults to the kind's schema. */
  schema?: Schema;
  /** `status` for a write to the status subresource. */
  subresource?: string;
  ignore?: readonly (readonly string[])[];
}

/**
 * Records field ownership for a write that is not an apply (create, update, patch) by `manager`,
 * as kube-apiserver's FieldManager.UpdateNoErrors does, and returns `updated` with its
 * managedFields. The manager gets the fields the write added or changed; other managers lose them
 * and whatever the write removed. A write that sends managedFields sets them (`[]` or `[{}]`
 * clears them); an existing object without managedFields stays untracked. Never throws: if the
 * object does not fit the schema, managedFields are dropped, as upstream does.
 */
export function recordUpdate(live: KObject | undefined, updated: KObject, manager: string, operation: ManagedFieldsOperation = 'Update', opts: RecordOptions = {}): KObject {
  const out = withoutManagedFields(updated);
  const schema = opts.schema ?? patchSchemaFor(String(updated.apiVersion ?? ''), String(updated.kind ?? ''));
  const ignored = ignoredSet(opts.ignore ?? defaultIgnoredFields(opts.subresource));
  const managers = decodeLiveOrNew(live, updated);
  // Objects that exist without managedFields are not tracked until they are applied.
  if (live && managers.size === 0) return out;
  try {
    const liveBody = live ? withoutManagedFields(live) : zeroObject(schema);
    recordInto(managers, liveBody, out, { manager, operation, apiVersion: String(updated.apiVersion ?? ''), subresource: opts.subresource }, opts.now ?? rfc3339(Date.now()), schema, ignored);
    capUpdateManagers(managers);
    encodeManagedFields(out, managers);
  } catch {
    return out;
  }
  return out;
}

/**
 * The update path shared by recordUpdate and the before-first-apply bootstrap: a temporary
 * "current-operation" manager takes what changed, then joins the manager's previous entry, which
 * gets the time stamp (managedFieldsUpdater).
 */
function recordInto(managers: Managers, live: unknown, updated: unknown, who: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>, now: string, schema: Schema | undefined, ignored: FieldSet): void {
  const temp = identifier({ manager: 'current-operation', operation: 'Update', apiVersion: who.apiVersion, subresource: who.subresource });
  const cmp = updateOwnership(live, updated, managers, temp, true, schema, ignored);
  let taken = cmp.modified.union(cmp.added).recursiveDifference(ignored);
  taken = taken.difference(STRIPPED_FIELDS);
  if (taken.isEmpty()) return;
  const id = identifier(who);
  const previous = managers.get(id);
  managers.set(id, { ...who, time: now, set: previous ? taken.union(previous.set) : taken });
}

// --- managedFields encoding ------------------------------------------------------------------

/** Paths never tracked (stripMetaManager): server-set metadata and the type. */
const STRIPPED_FIELDS = FieldSet.of(
  ['f:apiVersion'], ['f:kind'], ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => ['f:metadata', fieldElement(f)]),
);

function stripMeta(managers: Managers, id: string): void {
  const m = managers.get(id);
  if (!m) return;
  m.set = m.set.difference(STRIPPED_FIELDS);
  if (m.set.isEmpty()) managers.delete(id);
}

/**
 * The fields a write may not take ownership of through this endpoint (the strategy's reset
 * fields): `status` on the main resource, `spec` on the status subresource.
 */
export function defaultIgnoredFields(subresource?: string): string[][] {
  return subresource === 'status' ? [['spec']] : [['status']];
}

function ignoredSet(paths: readonly (readonly string[])[]): FieldSet {
  return FieldSet.of(...paths.map((p) => p.map(fieldElement)));
}

function decodeManagedFields(entries: unknown): Managers {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = raw as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const m: Manager = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion, set: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}) };
    if (e.subresource) m.subresource = e.subresource;
    if (e.time) m.time = e.time;
    managers.set(identifier(m), m);
  });
  return managers;
}

/**
 * The managedFields an update starts from (decodeLiveOrNew): the request's own if it sends valid
 * ones, none if it sends `[]` or `[{}]`, else the live object's.
 */
function decodeLiveOrNew(live: KObject | undefined, updated: KObject): Managers {
  const sent = updated.metadata?.managedFields as unknown;
  if (Array.isArray(sent) && (sent.length === 0 || (sent.length === 1 && isEmptyEntry(sent[0])))) return new Map();
  try {
    const fromRequest = decodeManagedFields(sent);
    if (fromRequest.size > 0) return fromRequest;
  } catch {
    // Undecodable managedFields in a request are ignored in favour of the live ones.
  }
  try {
    return decodeManagedFields(live?.metadata?.managedFields);
  } catch {
    return new Map();
  }
}

function isEmptyEntry(e: unknown): boolean {
  return typeof e === 'object' && e !== null && Object.values(e).every((v) => v === undefined || v === null || v === '');
}

function encodeManagedFields(obj: KObject, managers: Managers): void {
  const entries: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    if (m.set.isEmpty()) continue;
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    entries.push(e);
  }
  // Apply before Update, then oldest first (sortEncodedManagedFields).
  entries.sort((p, q) => cmp(p.operation!, q.operation!) || cmp(seconds(p.time), seconds(q.time)) || cmp(p.manager!, q.manager!)
    || cmp(p.apiVersion!, q.apiVersion!) || cmp(p.subresource ?? '', q.subresource ?? ''));
  obj.metadata ??= {};
  if (entries.length > 0) obj.metadata.managedFields = entries as NonNullable<KObject['metadata']['managedFields']>;
  else delete obj.metadata.managedFields;
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function seconds(t: string | undefined): number {
  return t ? Math.floor(Date.parse(t) / 1000) : 0;
}

/**
 * More than MAX_UPDATE_MANAGERS update entries: the oldest are folded, per API version, into
 * `ancient-changes` until the cap holds (capManagersManager).
 */
function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update').map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => cmp(seconds(managers.get(a)!.time), seconds(managers.get(b)!.time)) || cmp(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i];
    const m = managers.get(id)!;
    const bucket = identifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion });
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucket, { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion, time: f.time, set: f.set });
    }
    const b = managers.get(bucket)!;
    b.set = m.set.union(b.set);
    // The bucket takes the time of the update merged in, the more recent one.
    b.time = m.time;
    managers.delete(id);
    length--;
  }
}

function cloneManagers(managers: Managers): Managers {
  const out: Managers = new Map();
  for (const [id, m] of managers) out.set(id, { ...m, set: m.set.clone() });
  return out;
}

function withoutManagedFields(obj: KObject): KObject {
  const out = structuredClone(obj);
  if (out.metadata) delete out.metadata.managedFields;
  return out;
}

// --- the last-applied annotation ---------------------------------------------------------------

/**
 * The value of the last-applied annotation for a configuration: the configuration minus that
 * annotation, as sorted JSON with a final newline. kubectl (client-side) always writes
 * `annotations: {}` when nothing else is left (`keepEmptyAnnotations`); the server, keeping the
 * annotation in step for `kubectl apply --server-side`, leaves annotations out if the
 * configuration had none.
 */
export function lastAppliedConfiguration(config: KObject, keepEmptyAnnotations = true): string {
  const obj = structuredClone(config) as KObject;
  obj.metadata ??= {};
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  if (obj.metadata.annotations !== undefined || keepEmptyAnnotations) obj.metadata.annotations = annotations;
  return `${goJson(obj)}\n`;
}

function setLastApplied(obj: KObject, value: string): void {
  const annotations: Record<string, string> = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: value };
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += k.length + v.length;
  // Too big for the annotations: dropped rather than failing the apply.
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
  obj.metadata.annotations = annotations;
}

/** The fields the live object's last-applied annotation sets, or undefined without one. */
function fieldsOfLastApplied(live: KObject | undefined, schema: Schema | undefined): FieldSet | undefined {
  const text = live?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  try {
    return toFieldSet(JSON.parse(text), schema);
  } catch {
    return undefined;
  }
}

// --- helpers -----------------------------------------------------------------------------------

/** `apps/v1, Kind=Deployment`, `/v1, Kind=Pod` (schema.GroupVersionKind.String). */
function gvkString(obj: KObject): string {
  const av = String(obj.apiVersion ?? '');
  return `${av.includes('/') ? av : `/${av}`}, Kind=${String(obj.kind ?? '')}`;
}

/** A 500 whose message is the raw error text, as the apiserver reports errors that are not API statuses. */
function internal(message: string): StatusError {
  // StatusReason has no member for "unknown" (an empty reason), hence the cast.
  return new StatusError(500, '', message);
}
