/** Field tables of k8s.io/apimachinery meta/v1 (ObjectMeta, LabelSelector, Condition) as kubectl 1.32 encodes them. */
import { message, type MessageType } from './schema.ts';

export const LabelSelectorRequirement = message('LabelSelectorRequirement', [
  [1, 'key', 'string', 'keep'],
  [2, 'operator', 'string', 'keep'],
  [3, 'values', 'string', 'list'],
]);

export const LabelSelector = message('LabelSelector', [
  [1, 'matchLabels', 'string', 'map'],
  [2, 'matchExpressions', LabelSelectorRequirement, 'list'],
]);

export const FieldSelectorRequirement = message('FieldSelectorRequirement', [
  [1, 'key', 'string', 'keep'],
  [2, 'operator', 'string', 'keep'],
  [3, 'values', 'string', 'list'],
]);

export const OwnerReference = message('OwnerReference', [
  [5, 'apiVersion', 'string', 'keep'],
  [1, 'kind', 'string', 'keep'],
  [3, 'name', 'string', 'keep'],
  [4, 'uid', 'string', 'keep'],
  [6, 'controller', 'bool', 'ptr'],
  [7, 'blockOwnerDeletion', 'bool', 'ptr'],
]);

export const ManagedFieldsEntry = message('ManagedFieldsEntry', [
  [1, 'manager', 'string'],
  [2, 'operation', 'string'],
  [3, 'apiVersion', 'string'],
  [4, 'time', 'Time', 'ptr'],
  [6, 'fieldsType', 'string'],
  [7, 'fieldsV1', 'FieldsV1', 'ptr'],
  [8, 'subresource', 'string'],
]);

export const ObjectMeta = message('ObjectMeta', [
  [1, 'name', 'string'],
  [2, 'generateName', 'string'],
  [3, 'namespace', 'string'],
  [4, 'selfLink', 'string'],
  [5, 'uid', 'string'],
  [6, 'resourceVersion', 'string'],
  [7, 'generation', 'int64'],
  // A struct, not a pointer: Go prints `"creationTimestamp": null` on every object it builds.
  [8, 'creationTimestamp', 'Time', 'keep'],
  [9, 'deletionTimestamp', 'Time', 'ptr'],
  [10, 'deletionGracePeriodSeconds', 'int64', 'ptr'],
  [11, 'labels', 'string', 'map'],
  [12, 'annotations', 'string', 'map'],
  [13, 'ownerReferences', OwnerReference, 'list'],
  [14, 'finalizers', 'string', 'list'],
  [17, 'managedFields', ManagedFieldsEntry, 'list'],
]);

export const Condition = message('Condition', [
  [1, 'type', 'string', 'keep'],
  [2, 'status', 'string', 'keep'],
  [3, 'observedGeneration', 'int64'],
  [4, 'lastTransitionTime', 'Time', 'keep'],
  [5, 'reason', 'string', 'keep'],
  [6, 'message', 'string', 'keep'],
]);

/** A top-level kind shaped `{1 metadata, 2 spec, 3 status}`, as most are. */
export function specStatusKind(name: string, spec: MessageType, status: MessageType): MessageType {
  return message(name, [[1, 'metadata', ObjectMeta], [2, 'spec', spec], [3, 'status', status]]);
}
