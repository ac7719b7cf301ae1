/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), following k8s.io/apimachinery's
 * strategicpatch package: applying a patch as kube-apiserver does, and computing the three-way patch
 * `kubectl apply` (client-side) sends. Lists are merged or replaced as the schema's struct tags say.
 *
 * The algorithms mirror upstream step by step, quirks included (new list items go first, merged
 * primitive lists are deduplicated, `$patch: merge` is refused), because kubectl and controllers
 * depend on the exact results: a patch that kubectl computed must land the same way it would on a
 * real server, or the next `kubectl apply` no longer says `unchanged`.
 */
import { StatusError, badRequest } from '../errors.ts';
import { type Schema, fieldSchema } from './schema.ts';
import { compareStrings, goTypeName, goValue } from './gofmt.ts';
import { deepEqual } from './json-patch.ts';

type Obj = Record<string, unknown>;

const DIRECTIVE = '$patch';
const DELETE = 'delete';
const REPLACE = 'replace';
const MERGE = 'merge';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** How the API server reports an error (handlers/patch.go interpretStrategicMergePatchError). */
type ErrorClass = 'badRequest' | 'unprocessable' | 'internal';

/** A strategic merge patch failure; `toStatus` gives what kube-apiserver answers for it. */
export class StrategicMergePatchError extends Error {
  readonly errorClass: ErrorClass;
  constructor(message: string, errorClass: ErrorClass = 'internal') {
    super(message);
    this.errorClass = errorClass;
  }

  toStatus(): StatusError {
    switch (this.errorClass) {
      case 'badRequest': return badRequest(this.message);
      case 'unprocessable': {
        const err = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
        (err as Error).cause = this.message;
        return err;
      }
      default:
        // Any other error reaches the client as a plain 500 whose message is the error text and
        // whose reason is empty (StatusReasonUnknown), which kubectl prints as `Error from server: <text>`.
        // StatusReason has no member for "unknown", hence the cast.
        return new StatusError(500, '', this.message);
    }
  }
}

// The mergepatch package's sentinel errors.
const errBadJSONDoc = () => new StrategicMergePatchError('invalid JSON document', 'badRequest');
const errNoListOfLists = () => new StrategicMergePatchError('lists of lists are not supported', 'unprocessable');
const errBadPatchFormatForPrimitiveList = () => new StrategicMergePatchError('invalid patch format of primitive list', 'badRequest');
const errBadPatchFormatForRetainKeys = () => new StrategicMergePatchError('invalid patch format of retainKeys', 'badRequest');
const errBadPatchFormatForSetElementOrderList = () => new StrategicMergePatchError('invalid patch format of setElementOrder list', 'badRequest');
const errNoMergeKey = (m: unknown, k: string) => new StrategicMergePatchError(`map: ${goValue(m)} does not contain declared merge key: ${k}`);
const errBadArgType = (expected: string, actual: unknown) => new StrategicMergePatchError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
const errBadPatchType = (t: unknown, m: unknown) => new StrategicMergePatchError(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`);

const MAP_TYPE = 'map[string]interface {}';
const SLICE_TYPE = '[]interface {}';

// ---------------------------------------------------------------------------------------------
// Applying a patch (StrategicMergeMapPatch)

interface MergeOptions {
  /** Server side: apply `$deleteFromPrimitiveList` and `$setElementOrder`. Client side (three-way) they are carried into the result. */
  mergeParallelList: boolean;
  /** Server side: a null for a key the original lacks is dropped rather than kept. */
  ignoreUnmatchedNulls: boolean;
}

/**
 * Applies a strategic merge patch to `original` and returns the result; the arguments are not
 * modified. Throws StatusError with the code kube-apiserver gives (400 for a malformed patch,
 * 422 for lists of lists, 500 with the raw text for the rest, e.g. a missing merge key).
 */
export function strategicMergePatch(original: unknown, patch: unknown, schema: Schema | undefined): Obj {
  try {
    return applyStrategicMergePatch(original, patch, schema);
  } catch (e) {
    if (e instanceof StrategicMergePatchError) throw e.toStatus();
    throw e;
  }
}

/** strategicMergePatch, throwing StrategicMergePatchError (for callers that want upstream's raw error text). */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: Schema | undefined): Obj {
  // Both documents must decode into a JSON object (handleUnmarshal).
  if (!isObj(original) || !isObj(patch)) throw errBadJSONDoc();
  return mergeMap(structuredClone(original), structuredClone(patch), schema, { mergeParallelList: true, ignoreUnmatchedNulls: true });
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Go kind of a decoded JSON value, for "did the type change" checks. */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  return typeof v === 'object' ? 'map' : typeof v;
}

interface PatchMeta {
  strategy: string;
  retainKeys: boolean;
  mergeKey: string;
}

function patchMeta(node: Schema | undefined): PatchMeta {
  return { strategy: node?.patchStrategy ?? '', retainKeys: node?.retainKeys ?? false, mergeKey: node?.patchMergeKey ?? '' };
}

/**
 * Merges `patch` into `original` (both are modified). Directives at this level are handled first:
 * `$patch` on the map itself, `$retainKeys`, and the `$setElementOrder` lists with their lists.
 */
function mergeMap(original: Obj | undefined, patch: Obj, schema: Schema | undefined, opts: MergeOptions): Obj {
  if (DIRECTIVE in patch) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  const orig: Obj = original ?? {};

  applyRetainKeysDirective(orig, patch, opts);
  mergePatchIntoOriginal(orig, patch, schema, opts);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      if (!opts.mergeParallelList) {
        // Client side the deletion list is kept for the server to apply.
        orig[patchKey] = patchV;
        continue;
      }
      k = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }

    if (patchV === null) {
      // null deletes. Client side the null is also kept, to reach the server as a deletion.
      delete orig[k];
      if (opts.ignoreUnmatchedNulls) continue;
    }

    if (!(k in orig) || kindOf(orig[k]) !== kindOf(patchV)) {
      // A new value (or one of another type) is taken from the patch as is, minus the nulls
      // (nothing to delete inside a new value) and minus any map carrying a `$patch` directive.
      if (!isDeleteList) setPatchValue(orig, k, patchV, opts);
      continue;
    }

    const node = fieldSchema(schema, k);
    const meta = patchMeta(node);
    if (isObj(orig[k])) {
      orig[k] = meta.strategy === REPLACE ? patchV : mergeMap(orig[k] as Obj, patchV as Obj, node, opts);
    } else if (Array.isArray(orig[k])) {
      orig[k] = mergeSliceHandler(orig[k] as unknown[], patchV as unknown[], node?.elem, meta, isDeleteList, opts);
    } else {
      orig[k] = patchV;
    }
  }
  return orig;
}

function setPatchValue(orig: Obj, k: string, patchV: unknown, opts: MergeOptions): void {
  if (opts.ignoreUnmatchedNulls) discardNullValues(patchV);
  const [v, keep] = removeDirectives(patchV);
  if (keep) orig[k] = v;
  else delete orig[k];
}

/** `$patch` on a map: `replace` takes the patch as the new map, `delete` empties it; `merge` is refused upstream. */
function handleDirectiveInMergeMap(directive: unknown, patch: Obj): Obj {
  if (directive === REPLACE) {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === DELETE) return {};
  throw errBadPatchType(directive, patch);
}

function discardNullValues(v: unknown): void {
  if (Array.isArray(v)) {
    for (const item of v) discardNullValues(item);
  } else if (isObj(v)) {
    for (const [k, item] of Object.entries(v)) {
      if (item === null) delete v[k];
      else discardNullValues(item);
    }
  }
}

/** Drops maps that carry a `$patch` directive from a value being inserted; `keep` is false when the value itself is one. */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (isObj(v)) {
    if (DIRECTIVE in v) return [null, false];
    for (const [k, item] of Object.entries(v)) {
      const [nv, keep] = removeDirectives(item);
      if (keep) v[k] = nv;
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const [nv, keep] = removeDirectives(item);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  return [v, true];
}

/** `<prefix>/<key>` → key; a malformed directive key is a 400. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPatchFormatForPrimitiveList();
    if (prefix === SET_ELEMENT_ORDER) throw errBadPatchFormatForSetElementOrderList();
    throw new StrategicMergePatchError(`fail to find unknown prefix ${JSON.stringify(prefix)} in ${s}\n`);
  }
  return s.slice(slash + 1);
}

/**
 * `$retainKeys`: server side, keys of the original missing from the list are cleared, and every
 * non-null key of the patch must be in the list. Client side the directive is carried along.
 */
function applyRetainKeysDirective(original: Obj, patch: Obj, opts: MergeOptions): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];

  if (!opts.mergeParallelList) {
    if (RETAIN_KEYS in original) {
      if (!deepEqual(original[RETAIN_KEYS], retain)) {
        throw new StrategicMergePatchError(`${goValue(original[RETAIN_KEYS])} and ${goValue(retain)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else {
      original[RETAIN_KEYS] = retain;
    }
    return;
  }

  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>`: merges the list with its patch list and orders the result by the
 * directive, then by the patch, then by the original (design: preserve-order-in-strategic-merge-patch).
 */
function mergePatchIntoOriginal(original: Obj, patch: Obj, schema: Schema | undefined, opts: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    if (!opts.mergeParallelList) {
      // Client side the directive moves into the result; both sides must agree on it.
      if (key in original) {
        if (!deepEqual(original[key], order)) throw errBadPatchFormatForSetElementOrderList();
      } else {
        original[key] = order;
      }
    }
    delete patch[key];

    if (!Array.isArray(order)) throw errBadArgType(SLICE_TYPE, order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = listKey in original;
    const foundPatch = listKey in patch;
    const originalList = original[listKey];
    const patchList = patch[listKey];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType(SLICE_TYPE, originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType(SLICE_TYPE, patchList);
    const originalValue = (foundOriginal ? originalList : []) as unknown[];
    const patchValue = (foundPatch ? patchList : []) as unknown[];

    const node = fieldSchema(schema, listKey);
    const meta = patchMeta(node);
    validatePatchWithSetOrderList(patchValue, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalValue;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchValue)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalValue, patchValue, node?.elem, meta, false, opts);
    else continue;

    const [patchItems, serverOnly] = meta.mergeKey
      ? partitionMapsByPresentInList(merged, order, meta.mergeKey)
      : partitionPrimitivesByPresentInList(merged, order);
    const kind = sliceElementKind(originalValue, patchValue);
    original[listKey] = normalizeElementOrder(patchItems, serverOnly, order, originalValue, meta.mergeKey, kind);
    delete patch[listKey];
  }
}

/**
 * The patch list (deletions aside) must follow the order of `$setElementOrder` and only name
 * items it lists.
 */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0, oi = 0;
  while (pi < nonDelete.length && oi < order.length) {
    if (isObj(nonDelete[pi]) && DIRECTIVE in (nonDelete[pi] as Obj)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[pi], order[oi], mergeKey)) pi++;
    oi++;
  }
  if (pi < nonDelete.length && oi >= order.length) {
    throw new StrategicMergePatchError(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObj(left)) throw errBadArgType(MAP_TYPE, left);
  if (!isObj(right)) throw errBadArgType(MAP_TYPE, right);
  if (!(mergeKey in left)) throw errNoMergeKey(left, mergeKey);
  if (!(mergeKey in right)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function mergeSliceHandler(original: unknown[], patch: unknown[], elem: Schema | undefined, meta: PatchMeta, isDeleteList: boolean, opts: MergeOptions): unknown[] {
  if (meta.strategy === MERGE) return mergeSlice(original, patch, elem, meta.mergeKey, opts, isDeleteList);
  // Lists without the merge strategy are replaced by the patch list.
  return patch;
}

type ElemKind = 'map' | 'scalar';

/** The kind shared by all items of the lists (sliceElementType): lists of lists and mixed lists are errors. */
function sliceElementKind(...lists: unknown[][]): ElemKind {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = v === null ? 'nil' : Array.isArray(v) ? 'slice' : typeof v === 'object' ? 'map' : goTypeName(v);
      if (prev === undefined) {
        prev = k;
        if (k === 'slice') throw errNoListOfLists();
      } else if (prev !== k) {
        throw new StrategicMergePatchError(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (prev === undefined) throw new StrategicMergePatchError('no elements in any of the given slices');
  return prev === 'map' ? 'map' : 'scalar';
}

function mergeSlice(original: unknown[], patch: unknown[], elem: Schema | undefined, mergeKey: string, opts: MergeOptions, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);

  let merged: unknown[];
  let patchList: unknown[] | undefined = patch;
  if (kind !== 'map') {
    if (opts.mergeParallelList && isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) {
      throw new StrategicMergePatchError(`cannot merge lists without merge key for type ${elem?.type === 'scalar' ? 'string' : 'struct'}`);
    }
    [original, patchList] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patchList, mergeKey, elem, opts);
  }

  // Items named by the patch go in patch order; the others keep their place (see mergeSortedSlice).
  const partitionBy = patchList ?? [];
  const [patchItems, serverOnly] = mergeKey
    ? partitionMapsByPresentInList(merged, partitionBy, mergeKey)
    : partitionPrimitivesByPresentInList(merged, partitionBy);
  return normalizeElementOrder(patchItems, serverOnly, partitionBy, original, mergeKey, kind);
}

/**
 * Handles the items with a `$patch` directive: `delete` removes the matching items from the
 * original, `replace` makes the other patch items the whole list. Returns the original to merge
 * into and the patch items left (undefined after a replace).
 */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[] | undefined] {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as Obj;
    if (!(DIRECTIVE in item)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === DELETE) {
      if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      original = deleteMatchingEntries(original, mergeKey, item[mergeKey]);
    } else if (directive === REPLACE) {
      // Keep going, to drop any other directive items.
      replace = true;
    } else if (directive === MERGE) {
      throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  if (replace) return [plain, undefined];
  return [original, plain];
}

function deleteMatchingEntries(original: unknown[], mergeKey: string, value: unknown): unknown[] {
  const out = [...original];
  for (;;) {
    const [, idx] = findMapInSliceBasedOnKeyValue(out, mergeKey, value);
    if (idx < 0) return out;
    out.splice(idx, 1);
  }
}

function findMapInSliceBasedOnKeyValue(list: unknown[], key: string, value: unknown): [Obj | undefined, number] {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObj(item)) throw new StrategicMergePatchError(`value for key ${i} is not a map.`);
    if (key in item && item[key] === value) return [item, i];
  }
  return [undefined, -1];
}

/** Merges patch items into the original item with the same key; new items are appended. */
function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[] | undefined, mergeKey: string, elem: Schema | undefined, opts: MergeOptions): unknown[] {
  const out = [...original];
  for (const v of patch ?? []) {
    const item = v as Obj;
    if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
    const [found, idx] = findMapInSliceBasedOnKeyValue(out, mergeKey, item[mergeKey]);
    if (found) out[idx] = mergeMap(found, item, elem, opts);
    else out.push(v);
  }
  return out;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const drop = new Set(toDelete);
  return current.filter((v) => !drop.has(v));
}

/** Removes repeated scalars the way upstream does (a later duplicate is overwritten by the last item). */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s = s.slice(0, length);
        length--;
        j--;
      }
    }
  }
  return s;
}

function partitionPrimitivesByPresentInList(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by);
  const patch: unknown[] = [], serverOnly: unknown[] = [];
  for (const v of list) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMapsByPresentInList(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [], serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isObj(v)) throw errBadArgType(MAP_TYPE, v);
    if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
    const [found] = findMapInSliceBasedOnKeyValue(by, mergeKey, v[mergeKey]);
    (found ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/** Sorts the patch items by the patch order and the server-only items by the original order, then interleaves them. */
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/**
 * Inserts each server-only item (left) before the first patch item (right) that comes after it in
 * the original; when that cannot be told (a new patch item), the patch item goes first. That is why
 * an item a patch adds lands at the front of the list.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const out: unknown[] = [];
  let i = 0, j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function indexIn(list: unknown[], v: unknown, mergeKey: string, kind: ElemKind): number {
  const key = (x: unknown) => (kind === 'map' ? (isObj(x) ? x[mergeKey] : undefined) : x);
  const want = key(v);
  return list.findIndex((x) => key(x) === want);
}

/** Items carrying `$patch: delete` (kept last) and the others. */
function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [], toDelete: unknown[] = [];
  for (const v of list) {
    if (!isObj(v)) throw errBadArgType(MAP_TYPE, v);
    (v[DIRECTIVE] === DELETE ? toDelete : nonDelete).push(v);
  }
  return [nonDelete, toDelete];
}

/** Orders `toSort` by `order` (delete directives last), with Go's stable sort and comparator. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isObj(item)) throw errBadArgType(MAP_TYPE, item);
        if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      }
    }
    [items, toDelete] = extractToDeleteItems(toSort);
  }
  // Upstream's comparator answers "less" whenever either item is missing from `order`; insertion
  // sort (what sort.SliceStable does on short lists) reproduces its results.
  const less = (a: unknown, b: unknown) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  const sorted = [...items];
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j], sorted[j - 1]); j--) {
      [sorted[j], sorted[j - 1]] = [sorted[j - 1], sorted[j]];
    }
  }
  return [...sorted, ...toDelete];
}

// ---------------------------------------------------------------------------------------------
// Computing patches (diffMaps, CreateTwoWayMergePatch, CreateThreeWayMergePatch)

interface DiffOptions {
  /** Emit `$setElementOrder` lists. */
  setElementOrder: boolean;
  /** Leave out additions and changes (the deletions half of a three-way patch). */
  ignoreChangesAndAdditions: boolean;
  /** Leave out deletions (the delta half of a three-way patch). */
  ignoreDeletions: boolean;
  /** The map being diffed is a retainKeys one: emit `$retainKeys`. */
  buildRetainKeysDirective: boolean;
}

/**
 * The patch `kubectl apply` sends (CreateThreeWayMergePatch with overwrite): changes from `current`
 * (the live object) to `modified` (the new configuration, carrying its own last-applied annotation),
 * plus deletions of what `original` (the previous last-applied configuration) had and `modified`
 * dropped. Keys are sorted as Go's encoder writes them. `{}` when there is nothing to send.
 */
export function threeWayMergePatch(original: unknown, modified: unknown, current: unknown, schema: Schema | undefined): Obj {
  try {
    const orig = isObj(original) ? structuredClone(original) : {};
    const mod = isObj(modified) ? structuredClone(modified) : {};
    const cur = isObj(current) ? structuredClone(current) : {};
    const delta = diffMaps(cur, mod, schema, { setElementOrder: true, ignoreChangesAndAdditions: false, ignoreDeletions: true, buildRetainKeysDirective: false });
    const deletions = diffMaps(orig, mod, schema, { setElementOrder: true, ignoreChangesAndAdditions: true, ignoreDeletions: false, buildRetainKeysDirective: false });
    const patch = mergeMap(deletions, delta, schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
    return sortKeysDeep(patch) as Obj;
  } catch (e) {
    if (e instanceof StrategicMergePatchError) throw e.toStatus();
    throw e;
  }
}

/** The patch that turns `original` into `modified` (CreateTwoWayMergePatch, as `kubectl edit` computes). */
export function twoWayMergePatch(original: unknown, modified: unknown, schema: Schema | undefined): Obj {
  try {
    const orig = isObj(original) ? structuredClone(original) : {};
    const mod = isObj(modified) ? structuredClone(modified) : {};
    const patch = diffMaps(orig, mod, schema, { setElementOrder: true, ignoreChangesAndAdditions: false, ignoreDeletions: false, buildRetainKeysDirective: false });
    return sortKeysDeep(patch) as Obj;
  } catch (e) {
    if (e instanceof StrategicMergePatchError) throw e.toStatus();
    throw e;
  }
}

/** JSON with object members sorted, as Go marshals a map. */
function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort(compareStrings)) out[k] = sortKeysDeep(v[k]);
    return out;
  }
  return v;
}

function diffMaps(original: Obj, modified: Obj, schema: Schema | undefined, opts: DiffOptions): Obj {
  const patch: Obj = {};
  const retainKeys: string[] = [];

  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (opts.buildRetainKeysDirective && modifiedValue !== null) retainKeys.push(key);
    if (!(key in original)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === DIRECTIVE) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') {
        throw new StrategicMergePatchError(`invalid value for special key: ${DIRECTIVE}`);
      }
      if (originalValue !== modifiedValue) patch[DIRECTIVE] = modifiedValue;
      continue;
    }
    if (kindOf(originalValue) !== kindOf(modifiedValue)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    if (isObj(originalValue)) handleMapDiff(key, originalValue, modifiedValue as Obj, patch, schema, opts);
    else if (Array.isArray(originalValue)) handleSliceDiff(key, originalValue, modifiedValue as unknown[], patch, schema, opts);
    else replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, opts);
  }

  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  }

  // $retainKeys goes with a non-empty patch, or when keys must be cleared.
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[RETAIN_KEYS] = sortScalars(retainKeys);
  }
  return patch;
}

function hasAdditionalNewField(original: Obj, modified: Obj): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !(k in modified));
}

function handleMapDiff(key: string, original: Obj, modified: Obj, patch: Obj, schema: Schema | undefined, opts: DiffOptions): void {
  const node = fieldSchema(schema, key);
  const meta = patchMeta(node);
  if (meta.strategy === REPLACE) {
    // Upstream sends a replace-strategy map whole even when it did not change.
    if (!opts.ignoreChangesAndAdditions) patch[key] = modified;
    return;
  }
  const sub = diffMaps(original, modified, node, { ...opts, buildRetainKeysDirective: meta.retainKeys });
  if (Object.keys(sub).length > 0) patch[key] = sub;
}

function handleSliceDiff(key: string, original: unknown[], modified: unknown[], patch: Obj, schema: Schema | undefined, opts: DiffOptions): void {
  const node = fieldSchema(schema, key);
  const meta = patchMeta(node);
  if (meta.strategy !== MERGE) {
    replacePatchFieldIfNotEqual(key, original, modified, patch, opts);
    return;
  }
  const [add, del, order] = diffLists(original, modified, node?.elem, meta.mergeKey, { ...opts, buildRetainKeysDirective: meta.retainKeys });
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = del;
  if (order.length > 0) patch[`${SET_ELEMENT_ORDER}/${key}`] = order;
}

function replacePatchFieldIfNotEqual(key: string, original: unknown, modified: unknown, patch: Obj, opts: DiffOptions): void {
  if (opts.ignoreChangesAndAdditions) return;
  if (deepEqual(original, modified)) return;
  patch[key] = modified;
}

/** The patch list, the primitive deletion list and the `$setElementOrder` list of a merge list. */
function diffLists(original: unknown[], modified: unknown[], elem: Schema | undefined, mergeKey: string, opts: DiffOptions): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return [[], [], []];
    return [modified, [], []];
  }
  const kind = sliceElementKind(original, modified);
  if (kind === 'map') {
    const [changes, deletions] = diffListsOfMaps(original, modified, elem, mergeKey, opts);
    let patchList = normalizeSliceOrder(changes, modified, mergeKey, kind);
    const orderSame = isOrderSame(original, modified, mergeKey);
    // Deletions go after the other items.
    patchList = [...patchList, ...deletions];
    let order: unknown[] = [];
    if (opts.setElementOrder && ((!opts.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!opts.ignoreDeletions && patchList.length > 0))) {
      order = modified.map((v) => ({ [mergeKey]: (v as Obj)[mergeKey] }));
    }
    return [patchList, [], order];
  }
  const [additions, deletions] = diffListsOfScalars(original, modified, opts);
  const patchList = normalizeSliceOrder(additions, modified, mergeKey, kind);
  let order: unknown[] = [];
  if (opts.setElementOrder && ((!opts.ignoreDeletions && deletions.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
    order = modified;
  }
  return [patchList, deletions, order];
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return modified.every((m, i) => mergeKeyValueEqual(original[i], m, mergeKey));
}

/** `%v` of a scalar, which upstream sorts and matches list items by. */
function sv(v: unknown): string {
  return goValue(v);
}

function sortScalars<T>(list: T[]): T[] {
  return [...list].sort((a, b) => compareStrings(sv(a), sv(b)));
}

function diffListsOfScalars(original: unknown[], modified: unknown[], opts: DiffOptions): [unknown[], unknown[]] {
  const o = sortScalars(original), m = sortScalars(modified);
  const add: unknown[] = [], del: unknown[] = [];
  let oi = 0, mi = 0;
  while (oi < o.length || mi < m.length) {
    const os = oi < o.length ? sv(o[oi]) : undefined;
    const ms = mi < m.length ? sv(m[mi]) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      oi++;
      mi++;
    } else if (os === undefined || (ms !== undefined && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) add.push(m[mi]);
      mi++;
    } else {
      if (!opts.ignoreDeletions) del.push(o[oi]);
      oi++;
    }
  }
  return [add, deduplicateScalars(del)];
}

function diffListsOfMaps(original: unknown[], modified: unknown[], elem: Schema | undefined, mergeKey: string, opts: DiffOptions): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  const sortByKey = (list: unknown[]) => {
    sliceElementKind(list);
    return [...list].sort((a, b) => compareStrings(sv((a as Obj)[mergeKey]), sv((b as Obj)[mergeKey])));
  };
  const o = sortByKey(original), m = sortByKey(modified);
  const entry = (list: unknown[], i: number): [Obj, unknown] => {
    const item = list[i];
    if (!isObj(item)) throw errBadArgType(MAP_TYPE, item);
    if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
    return [item, item[mergeKey]];
  };
  let oi = 0, mi = 0;
  while (oi < o.length || mi < m.length) {
    const oe = oi < o.length ? entry(o, oi) : undefined;
    const me = mi < m.length ? entry(m, mi) : undefined;
    const os = oe ? sv(oe[1]) : '', ms = me ? sv(me[1]) : '';
    if (oe && me && os === ms) {
      const sub = diffMaps(oe[0], me[0], elem, opts);
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = me[1];
        patch.push(sub);
      }
      oi++;
      mi++;
    } else if (!oe || (me && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) patch.push(me![0]);
      mi++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ [DIRECTIVE]: DELETE, [mergeKey]: oe[1] });
      oi++;
    }
  }
  return [patch, deletions];
}
