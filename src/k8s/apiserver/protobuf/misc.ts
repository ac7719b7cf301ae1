/** Field tables of the other kinds `kubectl create` sends as protobuf: PodDisruptionBudget, PriorityClass, Ingress and TokenRequest (`create token`). */
import { TypedLocalObjectReference } from './core.ts';
import { Condition, LabelSelector, ObjectMeta, specStatusKind } from './meta.ts';
import { message } from './schema.ts';

export const PodDisruptionBudget = specStatusKind('PodDisruptionBudget',
  message('PodDisruptionBudgetSpec', [
    [1, 'minAvailable', 'IntOrString'],
    [2, 'selector', LabelSelector],
    [3, 'maxUnavailable', 'IntOrString'],
    [4, 'unhealthyPodEvictionPolicy', 'string', 'ptr'],
  ]),
  message('PodDisruptionBudgetStatus', [
    [1, 'observedGeneration', 'int64'],
    [2, 'disruptedPods', 'Time', 'map'],
    [3, 'disruptionsAllowed', 'int32', 'keep'],
    [4, 'currentHealthy', 'int32', 'keep'],
    [5, 'desiredHealthy', 'int32', 'keep'],
    [6, 'expectedPods', 'int32', 'keep'],
    [7, 'conditions', Condition, 'list'],
  ]),
);

export const PriorityClass = message('PriorityClass', [
  [1, 'metadata', ObjectMeta],
  [2, 'value', 'int32', 'keep'],
  [3, 'globalDefault', 'bool'],
  [4, 'description', 'string'],
  [5, 'preemptionPolicy', 'string', 'ptr'],
]);

const IngressBackend = message('IngressBackend', [
  [4, 'service', message('IngressServiceBackend', [
    [1, 'name', 'string', 'keep'],
    [2, 'port', message('ServiceBackendPort', [[1, 'name', 'string'], [2, 'number', 'int32']])],
  ])],
  [3, 'resource', TypedLocalObjectReference],
]);

const HTTPIngressPath = message('HTTPIngressPath', [
  [1, 'path', 'string'],
  [3, 'pathType', 'string', 'ptr', 'keep'],
  [2, 'backend', IngressBackend, 'keep'],
]);

const IngressRule = message('IngressRule', [
  [1, 'host', 'string'],
  [2, 'ingressRuleValue', message('IngressRuleValue', [
    [1, 'http', message('HTTPIngressRuleValue', [[1, 'paths', HTTPIngressPath, 'list', 'keep']])],
  ]), 'inline'],
]);

const IngressLoadBalancerIngress = message('IngressLoadBalancerIngress', [
  [1, 'ip', 'string'],
  [2, 'hostname', 'string'],
  [4, 'ports', message('IngressPortStatus', [
    [1, 'port', 'int32', 'keep'],
    [2, 'protocol', 'string', 'keep'],
    [3, 'error', 'string', 'ptr'],
  ]), 'list'],
]);

export const Ingress = specStatusKind('Ingress',
  message('IngressSpec', [
    [4, 'ingressClassName', 'string', 'ptr'],
    [1, 'defaultBackend', IngressBackend],
    [2, 'tls', message('IngressTLS', [[1, 'hosts', 'string', 'list'], [2, 'secretName', 'string']]), 'list'],
    [3, 'rules', IngressRule, 'list'],
  ]),
  message('IngressStatus', [
    [1, 'loadBalancer', message('IngressLoadBalancerStatus', [[1, 'ingress', IngressLoadBalancerIngress, 'list']])],
  ]),
);

export const TokenRequest = specStatusKind('TokenRequest',
  message('TokenRequestSpec', [
    [1, 'audiences', 'string', 'list', 'keep'],
    [4, 'expirationSeconds', 'int64', 'ptr'],
    [3, 'boundObjectRef', message('BoundObjectReference', [
      [1, 'kind', 'string'],
      [2, 'apiVersion', 'string'],
      [3, 'name', 'string'],
      // The proto names this field uID; the JSON name is uid.
      [4, 'uid', 'string'],
    ])],
  ]),
  message('TokenRequestStatus', [
    [1, 'token', 'string', 'keep'],
    [2, 'expirationTimestamp', 'Time', 'keep'],
  ]),
);
