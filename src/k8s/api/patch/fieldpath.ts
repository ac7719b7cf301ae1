/**
 * Field paths and sets of them as structured-merge-diff defines them for server-side apply: the
 * `f:`/`k:`/`v:`/`i:` path elements, set algebra, the FieldsV1 encoding stored in
 * `metadata.managedFields`, and the `.spec.containers[name="a"].image` rendering of conflicts.
 */
import { compareStrings, goJson } from './gofmt.ts';

/**
 * One step of a path, written as in FieldsV1: `f:<field>`, `k:<json of the key fields>` (an item of
 * a keyed list), `v:<json value>` (an item of a set), `i:<index>`.
 */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** A keyed-list item: the key fields sorted by name, as structured-merge-diff sorts its FieldList. */
export function keyElement(key: Readonly<Record<string, unknown>>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(key).sort(compareStrings)) sorted[k] = key[k];
  return `k:${goJson(sorted)}`;
}

export function valueElement(v: unknown): PathElement {
  return `v:${goJson(v)}`;
}

export function indexElement(i: number): PathElement {
  return `i:${i}`;
}

/** The field name of an `f:` element, or undefined. */
export function fieldName(pe: PathElement): string | undefined {
  return pe.startsWith('f:') ? pe.slice(2) : undefined;
}

const TYPE_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff's order of path elements: fields, then keys, then values, then indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ta = TYPE_ORDER[a[0]] ?? 4, tb = TYPE_ORDER[b[0]] ?? 4;
  if (ta !== tb) return ta - tb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  if (a[0] === 'k') return compareKeys(JSON.parse(a.slice(2)) as Record<string, unknown>, JSON.parse(b.slice(2)) as Record<string, unknown>);
  if (a[0] === 'v') return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
  return compareStrings(a, b);
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ak = Object.keys(a).sort(compareStrings), bk = Object.keys(b).sort(compareStrings);
  for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
    const c = compareStrings(ak[i], bk[i]) || compareValues(a[ak[i]], b[bk[i]]);
    if (c !== 0) return c;
  }
  return ak.length - bk.length;
}

function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareStrings(goJson(a), goJson(b));
}

/**
 * `.spec.template.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"]`, `[="x"]` for a
 * set item, `[0]` for an index: how conflicts name fields (fieldpath.Path.String).
 */
export function pathString(path: FieldPath): string {
  let s = '';
  for (const pe of path) {
    const body = pe.slice(2);
    switch (pe[0]) {
      case 'f': s += `.${body}`; break;
      case 'k': {
        const key = JSON.parse(body) as Record<string, unknown>;
        s += `[${Object.entries(key).map(([k, v]) => `${k}=${goJson(v)}`).join(',')}]`;
        break;
      }
      case 'v': s += `[=${body}]`; break;
      default: s += `[${body}]`;
    }
  }
  return s;
}

/**
 * A set of field paths (fieldpath.Set): at each level, the elements that are members (the path
 * ending there is in the set) and the children (paths going further). A path can be both.
 */
export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    if (path.length === 1) {
      this.members.add(path[0]);
      return;
    }
    let next = this.children.get(path[0]);
    if (!next) {
      next = new FieldSet();
      this.children.set(path[0], next);
    }
    next.insert(path.slice(1));
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    if (path.length === 1) return this.members.has(path[0]);
    return this.children.get(path[0])?.has(path.slice(1)) ?? false;
  }

  /** The set of paths below `pe` (relative to it); empty when there is none. */
  child(pe: PathElement): FieldSet {
    return this.children.get(pe) ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  union(o: FieldSet): FieldSet {
    const out = this.clone();
    for (const m of o.members) out.members.add(m);
    for (const [pe, c] of o.children) {
      const mine = out.children.get(pe);
      out.children.set(pe, mine ? mine.union(c) : c.clone());
    }
    return out;
  }

  /** Paths of this set not in `o` (children of removed members are kept). */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const oc = o.children.get(pe);
      const d = oc ? c.difference(oc) : c.clone();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  /** Paths of this set neither in `o` nor below a member of `o`. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (o.members.has(pe)) continue;
      const oc = o.children.get(pe);
      const d = oc ? c.recursiveDifference(oc) : c.clone();
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const oc = o.children.get(pe);
      if (!oc) continue;
      const i = c.intersection(oc);
      if (!i.isEmpty()) out.children.set(pe, i);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c.clone());
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  /** Every path in the set, in structured-merge-diff's order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      const elems = [...new Set([...s.members, ...s.children.keys()])].sort(comparePathElements);
      for (const pe of elems) {
        if (s.members.has(pe)) out.push([...prefix, pe]);
        const c = s.children.get(pe);
        if (c) walk(c, [...prefix, pe]);
      }
    };
    walk(this, []);
    return out;
  }

  /**
   * The FieldsV1 JSON: a member is `{}`, a path with children is an object of them, and a path
   * that is both carries a `.` entry (set.emitContentsV1).
   */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const elems = [...new Set([...this.members, ...this.children.keys()])].sort(comparePathElements);
    for (const pe of elems) {
      const c = this.children.get(pe);
      const inner = c && !c.isEmpty() ? c.toFieldsV1() : undefined;
      if (inner && Object.keys(inner).length > 0) {
        out[pe] = this.members.has(pe) ? { '.': {}, ...inner } : inner;
      } else if (this.members.has(pe)) {
        out[pe] = {};
      }
    }
    return out;
  }

  /** Decodes FieldsV1; throws on anything that is not a tree of objects. */
  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    fill(s, v);
    return s;
  }
}

const EMPTY = new FieldSet();

function fill(s: FieldSet, v: unknown): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('FieldsV1 must be a JSON object');
  for (const [pe, inner] of Object.entries(v as Record<string, unknown>)) {
    if (pe === '.') continue;
    if (!/^[fkvi]:/.test(pe)) throw new Error(`unknown path element ${JSON.stringify(pe)} in FieldsV1`);
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new Error('FieldsV1 must be a JSON object');
    const keys = Object.keys(inner);
    if (keys.length === 0 || keys.includes('.')) s.members.add(pe);
    if (keys.some((k) => k !== '.')) {
      const c = new FieldSet();
      fill(c, inner);
      s.children.set(pe, c);
    }
  }
}
