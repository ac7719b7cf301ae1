/**
 * Schema-driven walks over objects for server-side apply (structured-merge-diff's typed package):
 * the field set an object sets, the added/modified/removed paths between two objects, the merge of
 * an applied configuration into a live object, and the pruning of fields an applier dropped.
 */
import { type Schema, fieldSchema, isNamedField } from './schema.ts';
import { FieldSet, type FieldPath, type PathElement, fieldElement, fieldName, keyElement, pathString, valueElement } from './fieldpath.ts';
import { deepEqual } from './json-patch.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value that does not fit the schema (a keyed-list item without its key, a duplicate key in an applied list). */
export class TypedError extends Error {}

type Shape =
  | { kind: 'scalar' }
  | { kind: 'map'; node: Schema | undefined; atomic: boolean }
  | { kind: 'list'; node: Schema | undefined; mode: 'atomic' | 'set' | 'map' };

/**
 * How a value is treated: the declared type when the value fits it, else what the value looks
 * like (objects merge field by field, lists are atomic), as for structured-merge-diff's deduced type.
 */
function shapeOf(node: Schema | undefined, v: unknown): Shape {
  const fits = v === undefined || v === null;
  if (node?.type === 'list' && (fits || Array.isArray(v))) return { kind: 'list', node, mode: node.listType ?? 'atomic' };
  if ((node?.type === 'struct' || node?.type === 'map') && (fits || isObj(v))) return { kind: 'map', node, atomic: node.atomic ?? false };
  if (node?.type === 'scalar' && !isObj(v) && !Array.isArray(v)) return { kind: 'scalar' };
  if (isObj(v)) return { kind: 'map', node: undefined, atomic: false };
  if (Array.isArray(v)) return { kind: 'list', node: undefined, mode: 'atomic' };
  return { kind: 'scalar' };
}

/** The path element of item `index` of a list (keyed and set lists only). */
function itemElement(node: Schema, mode: 'set' | 'map', item: unknown, path: FieldPath, index: number): PathElement {
  if (mode === 'set') return valueElement(item);
  const where = `${pathString(path)}: element ${index}`;
  if (!isObj(item)) throw new TypedError(`${where}: expected map, got ${JSON.stringify(item)}`);
  const key: Obj = {};
  for (const k of node.listMapKeys ?? []) {
    if (item[k] !== undefined && item[k] !== null) key[k] = item[k];
    else if (node.keyDefaults && k in node.keyDefaults) key[k] = node.keyDefaults[k];
    else throw new TypedError(`${where}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
  }
  return keyElement(key);
}

/** Items of a list by path element (the first of duplicates wins). */
function indexItems(node: Schema, mode: 'set' | 'map', list: unknown, path: FieldPath, strict: boolean): [PathElement[], Map<PathElement, unknown>] {
  const pes: PathElement[] = [];
  const byPe = new Map<PathElement, unknown>();
  if (!Array.isArray(list)) return [pes, byPe];
  for (const [i, item] of list.entries()) {
    const pe = itemElement(node, mode, item, path, i);
    if (byPe.has(pe)) {
      // Live objects may hold duplicates (the first one counts); an applied configuration may not.
      if (strict) throw new TypedError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
      continue;
    }
    byPe.set(pe, item);
    pes.push(pe);
  }
  return [pes, byPe];
}

/**
 * The fields an object sets (TypedValue.ToFieldSet): every leaf, every list item, atomic lists and
 * maps as a whole, entries of maps (as opposed to struct fields), and fields set to null or `{}`.
 */
export function toFieldSet(value: unknown, schema: Schema | undefined): FieldSet {
  const set = new FieldSet();
  walkFieldSet(value, schema, [], set, true);
  return set;
}

function walkFieldSet(v: unknown, node: Schema | undefined, path: PathElement[], set: FieldSet, strict: boolean): void {
  const shape = shapeOf(node, v);
  if (shape.kind === 'scalar') {
    set.insert(path);
    return;
  }
  if (shape.kind === 'list') {
    if (shape.mode === 'atomic') {
      set.insert(path);
      return;
    }
    const [pes, byPe] = indexItems(node!, shape.mode, v, path, strict);
    for (const pe of pes) {
      const p = [...path, pe];
      walkFieldSet(byPe.get(pe), node?.elem, p, set, strict);
      set.insert(p);
    }
    return;
  }
  if (shape.atomic) {
    set.insert(path);
    return;
  }
  if (!isObj(v)) return;
  for (const [k, child] of Object.entries(v)) {
    const p = [...path, fieldElement(k)];
    walkFieldSet(child, fieldSchema(shape.node, k), p, set, strict);
    if (child === null || (isObj(child) && Object.keys(child).length === 0) || !isNamedField(shape.node, k)) set.insert(p);
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Paths added, modified and removed from `lhs` to `rhs` (TypedValue.Compare). Leaves (scalars,
 * atomic values, empty maps and lists) compare by value; a map or list item present on one side
 * only is added or removed together with everything below it.
 */
export function compare(lhs: unknown, rhs: unknown, schema: Schema | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, schema, [], c);
  return c;
}

function isEmptyish(v: unknown): boolean {
  return v === undefined || v === null || (isObj(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
}

function valueKind(v: unknown): string {
  return Array.isArray(v) ? 'list' : isObj(v) ? 'map' : 'scalar';
}

function walkCompare(l: unknown, r: unknown, node: Schema | undefined, path: PathElement[], c: Comparison): void {
  const shape = shapeOf(node, r !== undefined && r !== null ? r : l);
  const mismatched = l !== undefined && l !== null && r !== undefined && r !== null && valueKind(l) !== valueKind(r);
  const leaf = shape.kind === 'scalar' || mismatched
    || (shape.kind === 'map' && (shape.atomic || (isEmptyish(l) && isEmptyish(r))))
    || (shape.kind === 'list' && (shape.mode === 'atomic' || (isEmptyish(l) && isEmptyish(r))));
  if (leaf) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (shape.kind === 'map') {
    const lo = isObj(l) ? l : {}, ro = isObj(r) ? r : {};
    for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
      walkCompare(lo[k], ro[k], fieldSchema(shape.node, k), [...path, fieldElement(k)], c);
    }
  } else if (shape.kind === 'list' && shape.mode !== 'atomic') {
    const [lpes, lby] = indexItems(node!, shape.mode, l, path, false);
    const [rpes, rby] = indexItems(node!, shape.mode, r, path, false);
    for (const pe of new Set([...lpes, ...rpes])) walkCompare(lby.get(pe), rby.get(pe), node?.elem, [...path, pe], c);
  }
  if (path.length > 0) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  }
}

/**
 * Merges an applied configuration into the live object (TypedValue.Merge): the configuration wins
 * for leaves and atomic values, maps merge field by field, keyed lists and sets merge item by item
 * (items only the live object has keep their place among the others), and a null in the
 * configuration unsets the field.
 */
export function mergeApplied(live: unknown, applied: unknown, schema: Schema | undefined): unknown {
  return mergeValue(live, applied, schema, []);
}

function mergeValue(l: unknown, r: unknown, node: Schema | undefined, path: PathElement[]): unknown {
  if (r === undefined) return l;
  if (r === null) return undefined;
  if (l === undefined || l === null) return dropNulls(structuredClone(r));
  const shape = shapeOf(node, r);
  if (shape.kind === 'scalar' || valueKind(l) !== valueKind(r)) return dropNulls(structuredClone(r));
  if (shape.kind === 'map') {
    if (shape.atomic) return dropNulls(structuredClone(r));
    const lo = l as Obj, ro = r as Obj;
    const out: Obj = {};
    for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
      const v = mergeValue(lo[k], ro[k], fieldSchema(shape.node, k), [...path, fieldElement(k)]);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (shape.mode === 'atomic') return dropNulls(structuredClone(r));
  return mergeList(l as unknown[], r as unknown[], node!, shape.mode, path);
}

/** The configuration's nulls only say "unset"; they are not stored. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(dropNulls);
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else v[k] = dropNulls(x);
    }
  }
  return v;
}

/**
 * structured-merge-diff's list merge order: walk both lists; items in both come in the applied
 * order, items only in the live list stay where they were relative to them, new items go where
 * the configuration puts them.
 */
function mergeList(lhs: unknown[], rhs: unknown[], node: Schema, mode: 'set' | 'map', path: PathElement[]): unknown[] {
  const [rpes, rby] = indexItems(node, mode, rhs, path, true);
  const [lpes, lby] = indexItems(node, mode, lhs, path, false);
  const shared = rpes.filter((pe) => lby.has(pe));
  let nextShared = shared.shift();
  const mergedR = new Set<PathElement>();
  const out: unknown[] = [];
  const emit = (pe: PathElement, l: unknown, r: unknown) => {
    const v = mergeValue(l, r, node.elem, [...path, pe]);
    if (v !== undefined) out.push(v);
  };
  let li = 0, ri = 0;
  while (li < lpes.length || ri < rpes.length) {
    if (li < lpes.length && ri < rpes.length) {
      const pe = lpes[li];
      if (pe === rpes[ri]) {
        mergedR.add(pe);
        emit(pe, lby.get(pe), rby.get(pe));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rby.has(pe) && nextShared !== undefined && nextShared !== pe) {
        // A shared item, but not the next one the configuration wants: it comes later.
        li++;
        continue;
      }
    }
    if (li < lpes.length) {
      const pe = lpes[li];
      if (!rby.has(pe)) {
        emit(pe, lby.get(pe), undefined);
        li++;
        continue;
      }
      if (mergedR.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < rpes.length) {
      const pe = rpes[ri];
      mergedR.add(pe);
      emit(pe, lby.get(pe), rby.get(pe));
      ri++;
      if (nextShared !== undefined && nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * Adds the struct fields on the way to a member as members themselves (EnsureNamedFieldsAreMembers),
 * so that dropping `.spec.strategy.type` can drop `.spec.strategy` too when nothing else is in it.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: Schema | undefined): FieldSet {
  const out = new FieldSet();
  for (const m of set.members) out.members.add(m);
  for (const [pe, child] of set.children) {
    const name = fieldName(pe);
    if (name !== undefined && isNamedField(schema, name)) out.members.add(pe);
    const childNode = name !== undefined ? fieldSchema(schema, name) : schema?.elem;
    out.children.set(pe, ensureNamedFieldsAreMembers(child, childNode));
  }
  return out;
}

/**
 * Removes from `merged` what the applier owned before (`last`) and nobody owns now (`owned`), both
 * with named fields made members. Fields the applier never owned are left alone (Updater.prune).
 */
export function prune(merged: unknown, last: FieldSet, owned: FieldSet, schema: Schema | undefined): unknown {
  return pruneValue(merged, schema, last, owned, []);
}

function pruneValue(v: unknown, node: Schema | undefined, last: FieldSet, owned: FieldSet, path: PathElement[]): unknown {
  const shape = shapeOf(node, v);
  if (shape.kind === 'scalar') return v;
  const drop = (pe: PathElement) => last.members.has(pe) && !owned.members.has(pe);
  if (shape.kind === 'map') {
    if (shape.atomic || !isObj(v)) return v;
    const out: Obj = {};
    for (const [k, child] of Object.entries(v)) {
      const pe = fieldElement(k);
      if (drop(pe)) continue;
      out[k] = last.children.has(pe) ? pruneValue(child, fieldSchema(shape.node, k), last.child(pe), owned.child(pe), [...path, pe]) : child;
    }
    return out;
  }
  if (shape.mode === 'atomic' || !Array.isArray(v)) return v;
  const out: unknown[] = [];
  for (const [i, item] of v.entries()) {
    const pe = itemElement(node!, shape.mode, item, path, i);
    if (drop(pe)) continue;
    out.push(last.children.has(pe) ? pruneValue(item, node?.elem, last.child(pe), owned.child(pe), [...path, pe]) : item);
  }
  return out;
}

/**
 * The kind's zero value as Go would serialize it, reduced to its non-pointer structs (`{}`) and
 * non-omitempty fields (null): the "old object" of a create, against which the created object's
 * fields count as added.
 */
export function zeroObject(schema: Schema | undefined): Obj {
  const out: Obj = {};
  for (const [k, f] of Object.entries(schema?.fields ?? {})) {
    if (f.zero) out[k] = f.type === 'struct' ? zeroObject(f) : null;
  }
  return out;
}

