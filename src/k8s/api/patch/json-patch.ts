/**
 * JSON patch (RFC 6902, `application/json-patch+json`) with JSON pointers (RFC 6901), failing the way
 * kube-apiserver does: it applies patches with evanphx/json-patch v4 and reports a failed operation as
 * a bare 422 whose message hides the cause (`the server rejected our request due to an error in our
 * request`), a body that is not a list of operations as a 400, and more than 10000 operations as a 413.
 */
import { StatusError, badRequest } from '../errors.ts';

/** kube-apiserver's cap on operations in one JSON patch (handlers/patch.go maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type JsonObject = Record<string, unknown>;
type Container = JsonObject | unknown[];

/** One RFC 6902 operation as sent on the wire. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/**
 * Applies the operations in order to a copy of `target` and returns it. Throws StatusError:
 * 400 when `ops` is not an array of objects, 413 when it has too many operations, and for any
 * operation that does not apply, 422 reason Invalid with empty details (exactly what
 * NewGenericServerResponse builds); the evanphx-style reason is kept as the error's `cause`.
 */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  const list = decodePatch(ops);
  if (list.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(413, 'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${list.length}`);
  }
  const doc = { root: structuredClone(target) };
  for (const op of list) {
    try {
      applyOperation(doc, op);
    } catch (e) {
      if (e instanceof PatchFailure) throw unprocessable(e.message);
      throw e;
    }
  }
  return doc.root;
}

/** The 422 kube-apiserver answers when an operation fails; the reason is only in `cause`. */
function unprocessable(reason: string): StatusError {
  const err = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  (err as Error).cause = reason;
  return err;
}

/** An operation that does not apply (evanphx's error text, which the server does not show). */
class PatchFailure extends Error {}

function decodePatch(ops: unknown): JsonObject[] {
  // evanphx decodes the body into []Operation (a list of JSON objects); anything else fails in
  // encoding/json with this wording, which kube-apiserver passes on as a 400.
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return ops as JsonObject[];
}

function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number, boolean
}

function applyOperation(doc: { root: unknown }, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': return add(doc, pathOf(op, 'path'), valueOf(op));
    case 'remove': remove(doc, pathOf(op, 'path')); return;
    case 'replace': return replace(doc, pathOf(op, 'path'), valueOf(op));
    case 'move': return move(doc, pathOf(op, 'from'), pathOf(op, 'path'));
    case 'copy': return copyOp(doc, pathOf(op, 'from'), pathOf(op, 'path'));
    case 'test': return test(doc, pathOf(op, 'path'), op);
    default: throw new PatchFailure(`Unexpected kind: ${kind}`);
  }
}

function pathOf(op: JsonObject, field: 'path' | 'from'): string {
  const p = op[field];
  if (typeof p !== 'string') throw new PatchFailure(`operation missing ${field} field`);
  return p;
}

/** The operation's value; evanphx v4 reads a missing `value` as null. */
function valueOf(op: JsonObject): unknown {
  return op.value === undefined ? null : structuredClone(op.value);
}

/** Splits an RFC 6901 pointer into unescaped tokens (`~1` is `/`, `~0` is `~`, in that order). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.split('/').slice(1).map(unescapeToken);
}

function unescapeToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Builds a pointer from unescaped tokens. */
export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * The container holding the last token of `pointer`, and that token, found as evanphx v4 does:
 * the text is split on `/` and its first piece dropped (so `a/b` addresses `/b`), and a pointer
 * without a `/` (the root) has no container.
 */
function locate(doc: { root: unknown }, pointer: string): [Container, string] | undefined {
  const split = pointer.split('/');
  if (split.length < 2) return undefined;
  let cur: unknown = doc.root;
  for (const part of split.slice(1, -1)) {
    cur = child(cur, unescapeToken(part));
    if (typeof cur !== 'object' || cur === null) return undefined;
  }
  if (typeof cur !== 'object' || cur === null) return undefined;
  return [cur as Container, unescapeToken(split[split.length - 1])];
}

function mustLocate(doc: { root: unknown }, pointer: string, what: string): [Container, string] {
  const found = locate(doc, pointer);
  if (!found) throw new PatchFailure(`${what} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}: missing value`);
  return found;
}

function child(cur: unknown, token: string): unknown {
  if (Array.isArray(cur)) {
    const i = arrayIndex(token, cur.length, false);
    return i === undefined ? undefined : cur[i];
  }
  if (typeof cur === 'object' && cur !== null) {
    return Object.prototype.hasOwnProperty.call(cur, token) ? (cur as JsonObject)[token] : undefined;
  }
  return undefined;
}

/**
 * An array index token. evanphx v4 accepts what Go's strconv.Atoi accepts (so `01` is 1) and,
 * with SupportNegativeIndices on by default, counts negative indexes from the end.
 * `forInsert` allows the position just past the end.
 */
function arrayIndex(token: string, length: number, forInsert: boolean): number | undefined {
  if (!/^[+-]?\d+$/.test(token)) return undefined;
  let i = Number(token);
  const size = forInsert ? length + 1 : length;
  if (i < 0) {
    if (i < -size) return undefined;
    i += size;
  }
  if (i >= size) return undefined;
  return i;
}

function indexOrFail(what: string, pointer: string, key: string, length: number, forInsert: boolean): number {
  const i = arrayIndex(key, length, forInsert);
  if (i === undefined) {
    const why = /^[+-]?\d+$/.test(key)
      ? `Unable to access invalid index: ${key}: invalid index referenced`
      : `value was not a proper array index: '${key}': strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`;
    throw new PatchFailure(`error in ${what} for path: '${pointer}': ${why}`);
  }
  return i;
}

/** The value at container[key]: a missing object member reads as null (evanphx), a bad index fails. */
function get(c: Container, key: string, what: string, pointer: string): unknown {
  if (Array.isArray(c)) return c[indexOrFail(what, pointer, key, c.length, false)];
  return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : null;
}

function add(doc: { root: unknown }, pointer: string, value: unknown): void {
  const [c, key] = mustLocate(doc, pointer, 'add');
  if (Array.isArray(c)) {
    if (key === '-') c.push(value);
    else c.splice(indexOrFail('add', pointer, key, c.length, true), 0, value);
    return;
  }
  c[key] = value;
}

function remove(doc: { root: unknown }, pointer: string, what = 'remove'): unknown {
  const [c, key] = mustLocate(doc, pointer, what);
  if (Array.isArray(c)) return c.splice(indexOrFail(what, pointer, key, c.length, false), 1)[0];
  if (!Object.prototype.hasOwnProperty.call(c, key)) {
    // evanphx names the whole path for remove but only the key for move.
    throw new PatchFailure(`error in ${what} for path: '${what === 'move' ? key : pointer}': Unable to remove nonexistent key: ${key}: missing value`);
  }
  const old = c[key];
  delete c[key];
  return old;
}

function replace(doc: { root: unknown }, pointer: string, value: unknown): void {
  if (pointer === '') {
    doc.root = value;
    return;
  }
  const [c, key] = mustLocate(doc, pointer, 'replace');
  // evanphx v4 only checks that an array index exists; a missing object member is simply set.
  if (!Array.isArray(c)) {
    c[key] = value;
    return;
  }
  const i = arrayIndex(key, c.length, false);
  if (i === undefined) throw new PatchFailure(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
  c[i] = value;
}

function move(doc: { root: unknown }, from: string, pointer: string): void {
  if (!locate(doc, from)) throw new PatchFailure(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  // The value is removed first, so moving a value into its own child finds no destination.
  const value = remove(doc, from, 'move');
  if (!locate(doc, pointer)) throw new PatchFailure(`move operation does not apply: doc is missing destination path: ${pointer}: missing value`);
  add(doc, pointer, value);
}

function copyOp(doc: { root: unknown }, from: string, pointer: string): void {
  const found = locate(doc, from);
  if (!found) throw new PatchFailure(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  // Copying a missing object member copies null, as evanphx v4 does.
  const value = get(found[0], found[1], 'copy', from);
  if (!locate(doc, pointer)) throw new PatchFailure(`copy operation does not apply: doc is missing destination path: ${pointer}: missing value`);
  add(doc, pointer, structuredClone(value));
}

function test(doc: { root: unknown }, pointer: string, op: JsonObject): void {
  const expected = op.value === undefined ? null : op.value;
  let actual: unknown;
  if (pointer === '') {
    actual = doc.root;
  } else {
    const found = locate(doc, pointer);
    if (!found) throw new PatchFailure(`test operation does not apply: is missing path: ${pointer}`);
    actual = get(found[0], found[1], 'test', pointer);
  }
  // A missing member reads as null, so testing it against null succeeds.
  if (!deepEqual(actual, expected)) throw new PatchFailure(`testing value ${pointer} failed: test failed`);
}

/** Structural equality of JSON values (object member order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a), bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as JsonObject)[k], (b as JsonObject)[k]));
}
