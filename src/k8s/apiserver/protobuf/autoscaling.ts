/** Field tables of k8s.io/api autoscaling v1 and v2 HorizontalPodAutoscaler: `kubectl autoscale` sends v1 up to 1.32 and v2 from 1.33. */
import { LabelSelector, specStatusKind } from './meta.ts';
import { message } from './schema.ts';

const CrossVersionObjectReference = message('CrossVersionObjectReference', [
  [1, 'kind', 'string', 'keep'],
  [2, 'name', 'string', 'keep'],
  [3, 'apiVersion', 'string'],
]);

export const HorizontalPodAutoscalerV1 = specStatusKind('HorizontalPodAutoscaler',
  message('HorizontalPodAutoscalerSpec', [
    [1, 'scaleTargetRef', CrossVersionObjectReference, 'keep'],
    [2, 'minReplicas', 'int32', 'ptr'],
    [3, 'maxReplicas', 'int32', 'keep'],
    [4, 'targetCPUUtilizationPercentage', 'int32', 'ptr'],
  ]),
  message('HorizontalPodAutoscalerStatus', [
    [1, 'observedGeneration', 'int64', 'ptr'],
    [2, 'lastScaleTime', 'Time'],
    [3, 'currentReplicas', 'int32', 'keep'],
    [4, 'desiredReplicas', 'int32', 'keep'],
    [5, 'currentCPUUtilizationPercentage', 'int32', 'ptr'],
  ]),
);

// ---- v2 --------------------------------------------------------------------------------------

const MetricIdentifier = message('MetricIdentifier', [
  [1, 'name', 'string', 'keep'],
  [2, 'selector', LabelSelector],
]);

const MetricTarget = message('MetricTarget', [
  [1, 'type', 'string', 'keep'],
  [2, 'value', 'Quantity'],
  [3, 'averageValue', 'Quantity'],
  [4, 'averageUtilization', 'int32', 'ptr'],
]);

const MetricSpec = message('MetricSpec', [
  [1, 'type', 'string', 'keep'],
  [2, 'object', message('ObjectMetricSource', [
    [1, 'describedObject', CrossVersionObjectReference, 'keep'],
    [2, 'target', MetricTarget, 'keep'],
    [3, 'metric', MetricIdentifier, 'keep'],
  ])],
  [3, 'pods', message('PodsMetricSource', [
    [1, 'metric', MetricIdentifier, 'keep'],
    [2, 'target', MetricTarget, 'keep'],
  ])],
  [4, 'resource', message('ResourceMetricSource', [
    [1, 'name', 'string', 'keep'],
    [2, 'target', MetricTarget, 'keep'],
  ])],
  [7, 'containerResource', message('ContainerResourceMetricSource', [
    [1, 'name', 'string', 'keep'],
    [2, 'target', MetricTarget, 'keep'],
    [3, 'container', 'string', 'keep'],
  ])],
  [5, 'external', message('ExternalMetricSource', [
    [1, 'metric', MetricIdentifier, 'keep'],
    [2, 'target', MetricTarget, 'keep'],
  ])],
]);

const HPAScalingRules = message('HPAScalingRules', [
  [3, 'stabilizationWindowSeconds', 'int32', 'ptr'],
  [1, 'selectPolicy', 'string', 'ptr'],
  [2, 'policies', message('HPAScalingPolicy', [
    [1, 'type', 'string', 'keep'],
    [2, 'value', 'int32', 'keep'],
    [3, 'periodSeconds', 'int32', 'keep'],
  ]), 'list'],
  [4, 'tolerance', 'Quantity'],
]);

const MetricValueStatus = message('MetricValueStatus', [
  [1, 'value', 'Quantity'],
  [2, 'averageValue', 'Quantity'],
  [3, 'averageUtilization', 'int32', 'ptr'],
]);

const MetricStatus = message('MetricStatus', [
  [1, 'type', 'string', 'keep'],
  [2, 'object', message('ObjectMetricStatus', [
    [1, 'metric', MetricIdentifier, 'keep'],
    [2, 'current', MetricValueStatus, 'keep'],
    [3, 'describedObject', CrossVersionObjectReference, 'keep'],
  ])],
  [3, 'pods', message('PodsMetricStatus', [
    [1, 'metric', MetricIdentifier, 'keep'],
    [2, 'current', MetricValueStatus, 'keep'],
  ])],
  [4, 'resource', message('ResourceMetricStatus', [
    [1, 'name', 'string', 'keep'],
    [2, 'current', MetricValueStatus, 'keep'],
  ])],
  [7, 'containerResource', message('ContainerResourceMetricStatus', [
    [1, 'name', 'string', 'keep'],
    [2, 'current', MetricValueStatus, 'keep'],
    [3, 'container', 'string', 'keep'],
  ])],
  [5, 'external', message('ExternalMetricStatus', [
    [1, 'metric', MetricIdentifier, 'keep'],
    [2, 'current', MetricValueStatus, 'keep'],
  ])],
]);

const HorizontalPodAutoscalerCondition = message('HorizontalPodAutoscalerCondition', [
  [1, 'type', 'string', 'keep'],
  [2, 'status', 'string', 'keep'],
  [3, 'lastTransitionTime', 'Time', 'keep'],
  [4, 'reason', 'string'],
  [5, 'message', 'string'],
]);

export const HorizontalPodAutoscalerV2 = specStatusKind('HorizontalPodAutoscaler',
  message('HorizontalPodAutoscalerSpec', [
    [1, 'scaleTargetRef', CrossVersionObjectReference, 'keep'],
    [2, 'minReplicas', 'int32', 'ptr'],
    [3, 'maxReplicas', 'int32', 'keep'],
    [4, 'metrics', MetricSpec, 'list'],
    [5, 'behavior', message('HorizontalPodAutoscalerBehavior', [
      [1, 'scaleUp', HPAScalingRules],
      [2, 'scaleDown', HPAScalingRules],
    ])],
  ]),
  message('HorizontalPodAutoscalerStatus', [
    [1, 'observedGeneration', 'int64', 'ptr'],
    [2, 'lastScaleTime', 'Time'],
    [3, 'currentReplicas', 'int32'],
    [4, 'desiredReplicas', 'int32', 'keep'],
    // `json:"currentMetrics"` without omitempty: kubectl 1.33 prints `"currentMetrics": null`.
    [5, 'currentMetrics', MetricStatus, 'list', 'keep'],
    [6, 'conditions', HorizontalPodAutoscalerCondition, 'list'],
  ]),
);
