/** Field tables of k8s.io/api rbac/v1 roles and bindings, as `kubectl create role|clusterrole|rolebinding|clusterrolebinding` sends them. */
import { LabelSelector, ObjectMeta } from './meta.ts';
import { message } from './schema.ts';

const PolicyRule = message('PolicyRule', [
  [1, 'verbs', 'string', 'list', 'keep'],
  [2, 'apiGroups', 'string', 'list'],
  [3, 'resources', 'string', 'list'],
  [4, 'resourceNames', 'string', 'list'],
  [5, 'nonResourceURLs', 'string', 'list'],
]);

export const Role = message('Role', [
  [1, 'metadata', ObjectMeta],
  [2, 'rules', PolicyRule, 'list', 'keep'],
]);

export const ClusterRole = message('ClusterRole', [
  [1, 'metadata', ObjectMeta],
  [2, 'rules', PolicyRule, 'list', 'keep'],
  [3, 'aggregationRule', message('AggregationRule', [[1, 'clusterRoleSelectors', LabelSelector, 'list']])],
]);

const Subject = message('Subject', [
  [1, 'kind', 'string', 'keep'],
  [2, 'apiGroup', 'string'],
  [3, 'name', 'string', 'keep'],
  [4, 'namespace', 'string'],
]);

const RoleRef = message('RoleRef', [
  [1, 'apiGroup', 'string', 'keep'],
  [2, 'kind', 'string', 'keep'],
  [3, 'name', 'string', 'keep'],
]);

const binding = (name: string) => message(name, [
  [1, 'metadata', ObjectMeta],
  [2, 'subjects', Subject, 'list'],
  [3, 'roleRef', RoleRef, 'keep'],
]);

export const RoleBinding = binding('RoleBinding');
export const ClusterRoleBinding = binding('ClusterRoleBinding');
