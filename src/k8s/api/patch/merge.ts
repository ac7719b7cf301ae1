/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`) as kube-apiserver applies it, which is
 * evanphx/json-patch v4's `MergePatch`: RFC 7386 plus its null pruning inside newly added values.
 */
import { badRequest } from '../errors.ts';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies `patch` to `target` and returns the result; neither argument is modified.
 * A `null` patch is rejected with the 400 kube-apiserver gives (`Invalid JSON Patch`), because
 * evanphx treats a literal `null` document as malformed rather than "delete everything".
 */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) throw badRequest('Invalid JSON Patch');
  if (!isObject(patch)) {
    // A non-object patch replaces the whole target (RFC 7386 §2). evanphx only accepts arrays
    // here; any other scalar fails to decode as a document and is reported as a bad patch.
    if (!Array.isArray(patch)) throw badRequest('Invalid JSON Patch');
    return copy(patch);
  }
  // A target that is not an object is discarded: the result is built from the patch alone.
  if (!isObject(target)) return pruneNulls(copy(patch));
  return mergeInto(copy(target) as JsonObject, patch);
}

function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) {
      // A new value cannot carry deletions, so its nulls mean nothing and are dropped.
      doc[k] = pruneNulls(copy(v));
    } else if (!isObject(cur)) {
      doc[k] = pruneNulls(copy(v));
    } else if (!isObject(v)) {
      // evanphx returns the patch value untouched here (no pruning): an object replaced by a
      // list or scalar keeps any nulls inside that list.
      doc[k] = copy(v);
    } else {
      doc[k] = mergeInto(cur, v);
    }
  }
  return doc;
}

/** Removes null members of objects, recursively (arrays keep their null elements, as in evanphx). */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (const item of v) if (item !== null) pruneNulls(item);
  } else if (isObject(v)) {
    for (const [k, item] of Object.entries(v)) {
      if (item === null) delete v[k];
      else pruneNulls(item);
    }
  }
  return v;
}

function copy<T>(v: T): T {
  return structuredClone(v);
}
