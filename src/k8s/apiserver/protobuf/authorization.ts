/** Field tables of k8s.io/api authorization/v1 SelfSubjectAccessReview, as `kubectl auth can-i` sends it. */
import { FieldSelectorRequirement, LabelSelectorRequirement, specStatusKind } from './meta.ts';
import { message } from './schema.ts';

const ResourceAttributes = message('ResourceAttributes', [
  [1, 'namespace', 'string'],
  [2, 'verb', 'string'],
  [3, 'group', 'string'],
  [4, 'version', 'string'],
  [5, 'resource', 'string'],
  [6, 'subresource', 'string'],
  [7, 'name', 'string'],
  [8, 'fieldSelector', message('FieldSelectorAttributes', [
    [1, 'rawSelector', 'string'],
    [2, 'requirements', FieldSelectorRequirement, 'list'],
  ])],
  [9, 'labelSelector', message('LabelSelectorAttributes', [
    [1, 'rawSelector', 'string'],
    [2, 'requirements', LabelSelectorRequirement, 'list'],
  ])],
]);

export const SelfSubjectAccessReview = specStatusKind('SelfSubjectAccessReview',
  message('SelfSubjectAccessReviewSpec', [
    [1, 'resourceAttributes', ResourceAttributes],
    [2, 'nonResourceAttributes', message('NonResourceAttributes', [[1, 'path', 'string'], [2, 'verb', 'string']])],
  ]),
  message('SubjectAccessReviewStatus', [
    [1, 'allowed', 'bool', 'keep'],
    [4, 'denied', 'bool'],
    [2, 'reason', 'string'],
    [3, 'evaluationError', 'string'],
  ]),
);
