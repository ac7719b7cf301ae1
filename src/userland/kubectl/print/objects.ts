/**
 * `kubectl get -o yaml|json`: the objects fetched for a command, as one object or wrapped in a
 * `kind: List` the way kubectl's printGeneric composes it.
 */
import type { KObject } from '../../../k8s/api/object.ts';
import { apiVersionOf, type ResourceInfo } from '../../../k8s/api/resources.ts';
import { toJson } from './json.ts';
import { toYaml } from './yaml.ts';

export interface ObjectsResult {
  resource: ResourceInfo;
  /** The objects as the server returned them (list items carry no apiVersion and kind). */
  objects: KObject[];
}

export interface ObjectsPrintOptions {
  /**
   * The command named exactly one object (`kubectl get pod web`): it prints on its own.
   * Anything else, one object found by a list included, prints as a List.
   */
  singleItemImplied?: boolean;
  /** `--show-managed-fields`; by default kubectl drops metadata.managedFields. */
  showManagedFields?: boolean;
}

/** A list item with the apiVersion and kind it lacks on the wire (kubectl's unstructured decoder adds them). */
function typed(resource: ResourceInfo, obj: KObject, showManagedFields: boolean): KObject {
  let out: KObject = obj;
  if (!obj.apiVersion && !obj.kind) out = { apiVersion: apiVersionOf(resource), kind: resource.kind, ...obj };
  if (!showManagedFields && out.metadata && 'managedFields' in out.metadata) {
    const { managedFields: _drop, ...metadata } = out.metadata;
    out = { ...out, metadata };
  }
  return out;
}

/** The value kubectl prints: the single object, or `{apiVersion: v1, items, kind: List, metadata: {resourceVersion: ""}}`. */
export function outputValue(results: ObjectsResult[], opts: ObjectsPrintOptions = {}): unknown {
  const items = results.flatMap((r) => r.objects.map((o) => typed(r.resource, o, !!opts.showManagedFields)));
  if (opts.singleItemImplied && items.length === 1) return items[0];
  // The List is composed on the client, so its resourceVersion is always empty.
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** `-o yaml` or `-o json` text for the command's objects. */
export function printObjects(format: 'yaml' | 'json', results: ObjectsResult[], opts: ObjectsPrintOptions = {}): string {
  const value = outputValue(results, opts);
  return format === 'yaml' ? toYaml(value) : toJson(value);
}
