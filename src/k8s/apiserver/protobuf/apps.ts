/** Field tables of k8s.io/api apps/v1 Deployment, as `kubectl create deployment` sends it. */
import { PodTemplateSpec } from './core.ts';
import { LabelSelector, specStatusKind } from './meta.ts';
import { message } from './schema.ts';

const DeploymentStrategy = message('DeploymentStrategy', [
  [1, 'type', 'string'],
  [2, 'rollingUpdate', message('RollingUpdateDeployment', [
    [1, 'maxUnavailable', 'IntOrString'],
    [2, 'maxSurge', 'IntOrString'],
  ])],
]);

const DeploymentSpec = message('DeploymentSpec', [
  [1, 'replicas', 'int32', 'ptr'],
  [2, 'selector', LabelSelector],
  [3, 'template', PodTemplateSpec],
  [4, 'strategy', DeploymentStrategy],
  [5, 'minReadySeconds', 'int32'],
  [6, 'revisionHistoryLimit', 'int32', 'ptr'],
  [7, 'paused', 'bool'],
  [9, 'progressDeadlineSeconds', 'int32', 'ptr'],
  [10, 'podReplacementPolicy', 'string', 'ptr'],
]);

const DeploymentCondition = message('DeploymentCondition', [
  [1, 'type', 'string', 'keep'],
  [2, 'status', 'string', 'keep'],
  [6, 'lastUpdateTime', 'Time', 'keep'],
  [7, 'lastTransitionTime', 'Time', 'keep'],
  [4, 'reason', 'string'],
  [5, 'message', 'string'],
]);

const DeploymentStatus = message('DeploymentStatus', [
  [1, 'observedGeneration', 'int64'],
  [2, 'replicas', 'int32'],
  [3, 'updatedReplicas', 'int32'],
  [7, 'readyReplicas', 'int32'],
  [4, 'availableReplicas', 'int32'],
  [5, 'unavailableReplicas', 'int32'],
  [9, 'terminatingReplicas', 'int32', 'ptr'],
  [6, 'conditions', DeploymentCondition, 'list'],
  [8, 'collisionCount', 'int32', 'ptr'],
]);

export const Deployment = specStatusKind('Deployment', DeploymentSpec, DeploymentStatus);
