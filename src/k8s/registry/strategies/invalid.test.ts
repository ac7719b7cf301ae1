/**
 * Invalid objects: each create fails with the API server's status code and message (what
 * kubectl prints after `The `, or after `Error from server (…): ` for the non-422s), and
 * leaves the store as it was. The expected texts follow the field paths and messages of
 * pkg/apis/core/validation, pkg/apis/apps/validation, the discovery and coordination
 * validation, apimachinery's util/validation and the service allocators.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo } from '../../api/resources.ts';
import type { KObject } from '../../api/object.ts';
import { attempt, kubectlText, R, setup } from './test-support.ts';

const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_RULE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const BAD_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const MISMATCH = '`selector` does not match template `labels`';
const SERVICE_PORT_80 = 'core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}';

interface Case {
  what: string;
  resource: ResourceInfo;
  ns?: string;
  obj: KObject;
  code?: number;
  message: string;
}

const container = { name: 'c', image: 'nginx:1.27' };
const pod = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KObject => ({ metadata: { name, ...metadata }, spec: { containers: [container], ...spec } });
const podC = (name: string, c: Record<string, unknown>, spec: Record<string, unknown> = {}): KObject => ({ metadata: { name }, spec: { containers: [{ ...container, ...c }], ...spec } });
const svc = (name: string, spec: Record<string, unknown>): KObject => ({ metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });
const tpl = (labels: Record<string, string> | undefined, spec: Record<string, unknown> = {}): Record<string, unknown> => ({ metadata: labels ? { labels } : {}, spec: { containers: [container], ...spec } });
const deploy = (name: string, spec: Record<string, unknown>): KObject => ({ metadata: { name }, spec: { selector: { matchLabels: { app: 'x' } }, template: tpl({ app: 'x' }), ...spec } });

const CASES: Case[] = [
  // ---- names, labels, annotations, finalizers (apimachinery ValidateObjectMeta) ----
  { what: 'a pod name that is not a DNS subdomain', resource: R.pods, obj: pod('Web_1', {}), message: `Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": ${SUBDOMAIN}` },
  { what: 'a service name that is not a DNS-1035 label', resource: R.services, obj: svc('1web', {}), message: `Service "1web" is invalid: metadata.name: Invalid value: "1web": ${DNS1035}` },
  { what: 'a namespace name with capitals', resource: R.namespaces, obj: { metadata: { name: 'Team-A' } }, message: `Namespace "Team-A" is invalid: metadata.name: Invalid value: "Team-A": ${LABEL}` },
  { what: 'a namespace name with dots', resource: R.namespaces, obj: { metadata: { name: 'a.b' } }, message: 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots' },
  { what: 'a service account name with capitals', resource: R.serviceaccounts, obj: { metadata: { name: 'Builder' } }, message: `ServiceAccount "Builder" is invalid: metadata.name: Invalid value: "Builder": ${SUBDOMAIN}` },
  { what: 'a label key with a space', resource: R.configmaps, obj: { metadata: { name: 'cm', labels: { 'bad key': 'x' } } }, message: `ConfigMap "cm" is invalid: metadata.labels: Invalid value: "bad key": name part ${QNAME_RULE}` },
  { what: 'a label value starting with a dash', resource: R.configmaps, obj: { metadata: { name: 'cm', labels: { app: '-x' } } }, message: `ConfigMap "cm" is invalid: metadata.labels: Invalid value: "-x": ${LABEL_VALUE}` },
  { what: 'an annotation key with two slashes', resource: R.configmaps, obj: { metadata: { name: 'cm', annotations: { 'a/b/c': 'x' } } }, message: `ConfigMap "cm" is invalid: metadata.annotations: Invalid value: "a/b/c": a qualified name ${QNAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')` },
  { what: 'a finalizer that is neither standard nor qualified', resource: R.configmaps, obj: { metadata: { name: 'cm', finalizers: ['foo'] } }, message: 'ConfigMap "cm" is invalid: metadata.finalizers[0]: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified' },

  // ---- services (ValidateService, initIPFamilyFields, the allocators) ----
  { what: 'a service port 0', resource: R.services, obj: svc('s', { ports: [{ port: 0, targetPort: 8080 }] }), message: `Service "s" is invalid: spec.ports[0].port: Invalid value: 0: ${PORT_RANGE}` },
  { what: 'a service port above 65535', resource: R.services, obj: svc('s', { ports: [{ port: 70000, targetPort: 80 }] }), message: `Service "s" is invalid: spec.ports[0].port: Invalid value: 70000: ${PORT_RANGE}` },
  { what: 'a service without ports', resource: R.services, obj: svc('s', { ports: [] }), message: 'Service "s" is invalid: spec.ports: Required value' },
  { what: 'two service ports without names', resource: R.services, obj: svc('s', { ports: [{ port: 80 }, { port: 443 }] }), message: 'Service "s" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]' },
  { what: 'duplicate service port names', resource: R.services, obj: svc('s', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), message: 'Service "s" is invalid: spec.ports[1].name: Duplicate value: "http"' },
  { what: 'the same port twice', resource: R.services, obj: svc('s', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }), message: `Service "s" is invalid: spec.ports[1]: Duplicate value: ${SERVICE_PORT_80}` },
  { what: 'an unsupported protocol', resource: R.services, obj: svc('s', { ports: [{ port: 80, protocol: 'HTTP' }] }), message: 'Service "s" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' },
  { what: 'an unsupported service type', resource: R.services, obj: svc('s', { type: 'Foo' }), message: 'Service "s" is invalid: spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' },
  { what: 'a nodePort on a ClusterIP service', resource: R.services, obj: svc('s', { ports: [{ port: 80, nodePort: 30080 }] }), message: "Service \"s\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" },
  { what: 'a headless NodePort service', resource: R.services, obj: svc('s', { type: 'NodePort', clusterIP: 'None' }), message: "Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services" },
  { what: 'an ExternalName service without externalName', resource: R.services, obj: { metadata: { name: 's' }, spec: { type: 'ExternalName' } }, message: 'Service "s" is invalid: spec.externalName: Required value' },
  { what: 'an ExternalName service with a cluster IP', resource: R.services, obj: { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'example.com', clusterIP: '10.96.0.9' } }, message: 'Service "s" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services' },
  { what: 'an externalName that is not a DNS name', resource: R.services, obj: { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'not_valid' } }, message: `Service "s" is invalid: spec.externalName: Invalid value: "not_valid": ${SUBDOMAIN}` },
  { what: 'an unsupported session affinity', resource: R.services, obj: svc('s', { sessionAffinity: 'Sticky' }), message: 'Service "s" is invalid: spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"' },
  { what: 'externalTrafficPolicy on a ClusterIP service', resource: R.services, obj: svc('s', { externalTrafficPolicy: 'Local' }), message: 'Service "s" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services' },
  { what: 'an external IP that is not an IP', resource: R.services, obj: svc('s', { externalIPs: ['300.1.1.1'] }), message: `Service "s" is invalid: spec.externalIPs[0]: Invalid value: "300.1.1.1": ${BAD_IP}` },
  { what: 'a cluster IP that is not an IP', resource: R.services, obj: svc('s', { clusterIP: 'abc' }), message: `Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "abc": ${BAD_IP}` },
  { what: 'a cluster IP outside the service CIDR', resource: R.services, obj: svc('s', { clusterIP: '1.1.1.1' }), message: 'Service "s" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12' },
  { what: 'a cluster IP already allocated', resource: R.services, obj: svc('s', { clusterIP: '10.96.0.10' }), message: 'Service "s" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated' },
  { what: 'a node port already allocated', resource: R.services, obj: svc('s', { type: 'NodePort', ports: [{ port: 80, nodePort: 31382 }] }), message: 'Service "s" is invalid: spec.ports[0].nodePort: Invalid value: 31382: provided port is already allocated' },
  { what: 'a node port outside the range', resource: R.services, obj: svc('s', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }), message: 'Service "s" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767' },
  { what: 'load balancer source ranges on a ClusterIP service', resource: R.services, obj: svc('s', { loadBalancerSourceRanges: ['10.0.0.0/8'] }), message: "Service \"s\" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'" },
  { what: 'a selector value with a space', resource: R.services, obj: svc('s', { selector: { app: 'a b' } }), message: `Service "s" is invalid: spec.selector: Invalid value: "a b": ${LABEL_VALUE}` },
  { what: 'RequireDualStack on a single-stack cluster', resource: R.services, obj: svc('s', { ipFamilyPolicy: 'RequireDualStack' }), message: 'Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services' },
  { what: 'a named target port with an underscore', resource: R.services, obj: svc('s', { ports: [{ port: 80, targetPort: 'http_port' }] }), message: 'Service "s" is invalid: spec.ports[0].targetPort: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' },

  // ---- pods (ValidatePodCreate, admission) ----
  { what: 'a pod without containers', resource: R.pods, obj: { metadata: { name: 'p' }, spec: {} }, message: 'Pod "p" is invalid: spec.containers: Required value' },
  { what: 'a container without a name', resource: R.pods, obj: podC('p', { name: '' }), message: 'Pod "p" is invalid: spec.containers[0].name: Required value' },
  { what: 'a container without an image', resource: R.pods, obj: podC('p', { image: '' }), message: 'Pod "p" is invalid: spec.containers[0].image: Required value' },
  { what: 'a container name with capitals', resource: R.pods, obj: podC('p', { name: 'Web' }), message: `Pod "p" is invalid: spec.containers[0].name: Invalid value: "Web": ${LABEL}` },
  { what: 'two containers with one name', resource: R.pods, obj: pod('p', { containers: [container, container] }), message: 'Pod "p" is invalid: spec.containers[1].name: Duplicate value: "c"' },
  { what: 'a container port without containerPort', resource: R.pods, obj: podC('p', { ports: [{ name: 'http' }] }), message: 'Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value' },
  { what: 'a container port above 65535', resource: R.pods, obj: podC('p', { ports: [{ containerPort: 70000 }] }), message: `Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: ${PORT_RANGE}` },
  { what: 'two containers on one host port', resource: R.pods, obj: pod('p', { containers: [{ ...container, ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: 'd', image: 'nginx:1.27', ports: [{ containerPort: 81, hostPort: 8080 }] }] }), message: 'Pod "p" is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"' },
  { what: 'an unsupported restart policy', resource: R.pods, obj: pod('p', { restartPolicy: 'Sometimes' }), message: 'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' },
  { what: 'an unsupported DNS policy', resource: R.pods, obj: pod('p', { dnsPolicy: 'Foo' }), message: 'Pod "p" is invalid: spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"' },
  { what: 'an unsupported image pull policy', resource: R.pods, obj: podC('p', { imagePullPolicy: 'Sometimes' }), message: 'Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"' },
  { what: 'an env var without a name', resource: R.pods, obj: podC('p', { env: [{ value: 'x' }] }), message: 'Pod "p" is invalid: spec.containers[0].env[0].name: Required value' },
  { what: 'an env var with an empty valueFrom', resource: R.pods, obj: podC('p', { env: [{ name: 'X', valueFrom: {} }] }), message: 'Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`' },
  { what: 'a mount of a volume that does not exist', resource: R.pods, obj: podC('p', { volumeMounts: [{ name: 'data', mountPath: '/data' }] }), message: 'Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"' },
  { what: 'two volumes with one name', resource: R.pods, obj: pod('p', { volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }), message: 'Pod "p" is invalid: spec.volumes[1].name: Duplicate value: "v"' },
  { what: 'requests above limits', resource: R.pods, obj: podC('p', { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }), message: 'Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1' },
  { what: 'a resource name that is not standard', resource: R.pods, obj: podC('p', { resources: { limits: { gpu: '1' } } }), message: 'Pod "p" is invalid: [spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified, spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers, spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified, spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers]' },
  { what: 'a quantity that does not parse', resource: R.pods, obj: podC('p', { resources: { limits: { cpu: '2 cores' } } }), code: 400, message: "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
  { what: 'an unsupported toleration operator', resource: R.pods, obj: pod('p', { tolerations: [{ key: 'k', operator: 'Maybe', value: 'v' }] }), message: 'Pod "p" is invalid: spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"' },
  { what: 'activeDeadlineSeconds 0', resource: R.pods, obj: pod('p', { activeDeadlineSeconds: 0 }), message: 'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive' },
  { what: 'a node selector key with a space', resource: R.pods, obj: pod('p', { nodeSelector: { 'a b': 'x' } }), message: `Pod "p" is invalid: spec.nodeSelector: Invalid value: "a b": name part ${QNAME_RULE}` },
  { what: 'a host-network port whose hostPort differs', resource: R.pods, obj: pod('p', { hostNetwork: true, containers: [{ ...container, ports: [{ containerPort: 80, hostPort: 8080 }] }] }), message: 'Pod "p" is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true' },
  { what: 'a priority class that does not exist', resource: R.pods, obj: pod('p', { priorityClassName: 'gold' }), code: 403, message: 'pods "p" is forbidden: no PriorityClass with name gold was found' },

  // ---- deployments, replica sets, daemon sets, replication controllers ----
  { what: 'a deployment without selector', resource: R.deployments, obj: deploy('d', { selector: undefined }), message: `Deployment.apps "d" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MISMATCH}]` },
  { what: 'a deployment selector that does not match the template', resource: R.deployments, obj: deploy('d', { selector: { matchLabels: { app: 'y' } } }), message: `Deployment.apps "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MISMATCH}` },
  { what: 'negative replicas', resource: R.deployments, obj: deploy('d', { replicas: -1 }), message: 'Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
  { what: 'an empty deployment selector', resource: R.deployments, obj: deploy('d', { selector: {} }), message: 'Deployment.apps "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment' },
  { what: 'a selector operator that does not exist', resource: R.deployments, obj: deploy('d', { selector: { matchExpressions: [{ key: 'app', operator: 'Like', values: ['x'] }] } }), message: 'Deployment.apps "d" is invalid: [spec.selector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Like", Values:[]string{"x"}}}}: invalid label selector]' },
  { what: 'a maxSurge that is not a percentage', resource: R.deployments, obj: deploy('d', { strategy: { rollingUpdate: { maxSurge: 'abc' } } }), message: "Deployment.apps \"d\" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" },
  { what: 'maxSurge and maxUnavailable both 0', resource: R.deployments, obj: deploy('d', { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), message: 'Deployment.apps "d" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0' },
  { what: 'an unsupported deployment strategy', resource: R.deployments, obj: deploy('d', { strategy: { type: 'Foo' } }), message: 'Deployment.apps "d" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"' },
  { what: 'a template with restartPolicy Never', resource: R.deployments, obj: deploy('d', { template: tpl({ app: 'x' }, { restartPolicy: 'Never' }) }), message: 'Deployment.apps "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"' },
  { what: 'a template container without image', resource: R.deployments, obj: deploy('d', { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c' }] } } }), message: 'Deployment.apps "d" is invalid: spec.template.spec.containers[0].image: Required value' },
  { what: 'a replica set without selector', resource: R.replicasets, obj: { metadata: { name: 'rs' }, spec: { template: tpl({ app: 'x' }) } }, message: `ReplicaSet.apps "rs" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MISMATCH}]` },
  { what: 'a daemon set selector that does not match', resource: R.daemonsets, obj: { metadata: { name: 'ds' }, spec: { selector: { matchLabels: { app: 'y' } }, template: tpl({ app: 'x' }) } }, message: `DaemonSet.apps "ds" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MISMATCH}` },
  { what: 'a daemon set rolling update with nothing to roll', resource: R.daemonsets, obj: { metadata: { name: 'ds' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tpl({ app: 'x' }), updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } } }, message: 'DaemonSet.apps "ds" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0' },
  { what: 'a replication controller whose template has no labels', resource: R.replicationcontrollers, obj: { metadata: { name: 'rc' }, spec: { template: tpl(undefined) } }, message: 'ReplicationController "rc" is invalid: spec.selector: Required value' },
  { what: 'a replication controller selector that does not match', resource: R.replicationcontrollers, obj: { metadata: { name: 'rc' }, spec: { selector: { app: 'y' }, template: tpl({ app: 'x' }) } }, message: `ReplicationController "rc" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ${MISMATCH}` },
  { what: 'a replication controller without template', resource: R.replicationcontrollers, obj: { metadata: { name: 'rc' }, spec: {} }, message: 'ReplicationController "rc" is invalid: [spec.selector: Required value, spec.template: Required value]' },

  // ---- config maps, secrets ----
  { what: 'a config map key with a space', resource: R.configmaps, obj: { metadata: { name: 'cm' }, data: { 'a b': 'x' } }, message: `ConfigMap "cm" is invalid: data[a b]: Invalid value: "a b": ${CONFIG_KEY}` },
  { what: 'a secret key with a slash', resource: R.secrets, obj: { metadata: { name: 's' }, data: { 'a/b': 'eA==' } }, message: `Secret "s" is invalid: data[a/b]: Invalid value: "a/b": ${CONFIG_KEY}` },
  { what: 'secret data that is not base64', resource: R.secrets, obj: { metadata: { name: 's' }, data: { key: 'not base64!' } }, code: 400, message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3' },
  { what: 'a TLS secret without its keys', resource: R.secrets, obj: { metadata: { name: 't' }, type: 'kubernetes.io/tls', data: {} }, message: 'Secret "t" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]' },

  // ---- nodes, endpoints, endpoint slices, leases, events ----
  { what: 'a taint with an unsupported effect', resource: R.nodes, obj: { metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Bad' }] } }, message: 'Node "n1" is invalid: metadata.taints[0].effect: Unsupported value: "Bad": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"' },
  { what: 'an endpoints subset without addresses', resource: R.endpoints, obj: { metadata: { name: 'e' }, subsets: [{ ports: [{ port: 80 }] }] }, message: 'Endpoints "e" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`' },
  { what: 'an endpoints address that is not an IP', resource: R.endpoints, obj: { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '1.2.3' }] }] }, message: `Endpoints "e" is invalid: [subsets[0].addresses[0].ip: Invalid value: "1.2.3": ${BAD_IP}, subsets[0].addresses[0].ip: Invalid value: "1.2.3": must be a valid IP address]` },
  { what: 'an endpoints address on loopback', resource: R.endpoints, obj: { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }] }] }, message: 'Endpoints "e" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)' },
  { what: 'an endpoint slice without addressType', resource: R.endpointslices, obj: { metadata: { name: 'es' } }, message: 'EndpointSlice.discovery.k8s.io "es" is invalid: addressType: Required value' },
  { what: 'an endpoint without addresses', resource: R.endpointslices, obj: { metadata: { name: 'es' }, addressType: 'IPv4', endpoints: [{ addresses: [] }] }, message: 'EndpointSlice.discovery.k8s.io "es" is invalid: endpoints[0].addresses: Required value: must contain at least 1 address' },
  { what: 'a lease duration of 0', resource: R.leases, obj: { metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0 } }, message: 'Lease.coordination.k8s.io "l" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0' },
  { what: 'an event about an object in another namespace', resource: R.events, obj: { metadata: { name: 'ev' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' }, reason: 'X' }, message: 'Event "ev" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace' },
];

// One registry for every case: each failed create must leave it exactly as it was.
const reg = setup();
// what the allocation cases collide with
reg.create(R.services, 'kube-system', { metadata: { name: 'kube-dns' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] } });
reg.create(R.services, 'default', { metadata: { name: 'taken' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 31382 }] } });

test(`there are at least 50 invalid objects (${CASES.length})`, () => {
  assert.ok(CASES.length >= 50);
});

for (const c of CASES) {
  test(`${c.what} is ${c.code ?? 422} with the API server's message and writes nothing`, () => {
    const rv = reg.store.resourceVersion();
    const ns = c.resource.namespaced ? (c.ns ?? 'default') : undefined;
    const existed = !!reg.tryGet(c.resource, ns, c.obj.metadata.name!);
    assert.deepEqual(attempt(() => reg.create(c.resource, ns, c.obj)), [c.code ?? 422, c.message]);
    assert.equal(reg.store.resourceVersion(), rv);
    assert.equal(!!reg.tryGet(c.resource, ns, c.obj.metadata.name!), existed);
  });
}

test('kubectl prints the 422 with the kind alone', () => {
  const [, message] = attempt(() => reg.create(R.deployments, 'default', deploy('web', { replicas: -1 })));
  assert.equal(kubectlText(message), 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
});

test('a generateName that is not a DNS subdomain is reported for both the prefix and the generated name', () => {
  const [code, message] = attempt(() => reg.create(R.configmaps, 'default', { metadata: { generateName: 'Cfg-' } }));
  assert.equal(code, 422);
  assert.match(message, new RegExp(`^ConfigMap "Cfg-[a-z0-9]{5}" is invalid: \\[metadata\\.generateName: Invalid value: "Cfg-": .*, metadata\\.name: Invalid value: "Cfg-[a-z0-9]{5}": a lowercase RFC 1123 subdomain`));
});
