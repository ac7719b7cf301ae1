/**
 * The shape every API object shares (TypeMeta + ObjectMeta) and small helpers over it. Objects
 * travel as plain JSON values, typed with `kubernetes-types` where a module needs one kind.
 */
import type * as meta from 'kubernetes-types/meta/v1.d.ts';

/** kubernetes-types declares every field readonly; the server's own objects are written to. */
export type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

export type ObjectMeta = Mutable<meta.ObjectMeta>;
export type OwnerReference = Mutable<meta.OwnerReference>;
export type LabelSelector = Mutable<meta.LabelSelector>;

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The store's key for an object: `namespace/name`, or `name` for a cluster-scoped one. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** RFC 3339 with seconds, as metav1.Time marshals (`2020-03-07T00:41:34Z`). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The controller owner reference of an object (the one with `controller: true`). */
export function controllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller);
}
