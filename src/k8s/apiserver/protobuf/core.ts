/** Field tables of k8s.io/api core/v1: Namespace, ConfigMap, Secret, ServiceAccount, Service, ResourceQuota and the pod template under the workload kinds. */
import { Condition, LabelSelector, ObjectMeta, specStatusKind } from './meta.ts';
import { message } from './schema.ts';

// ---- references ------------------------------------------------------------------------------

export const LocalObjectReference = message('LocalObjectReference', [[1, 'name', 'string']]);

export const ObjectReference = message('ObjectReference', [
  [1, 'kind', 'string'],
  [2, 'namespace', 'string'],
  [3, 'name', 'string'],
  [4, 'uid', 'string'],
  [5, 'apiVersion', 'string'],
  [6, 'resourceVersion', 'string'],
  [7, 'fieldPath', 'string'],
]);

export const TypedLocalObjectReference = message('TypedLocalObjectReference', [
  [1, 'apiGroup', 'string', 'ptr', 'keep'],
  [2, 'kind', 'string', 'keep'],
  [3, 'name', 'string', 'keep'],
]);

// ---- containers ------------------------------------------------------------------------------

const ContainerPort = message('ContainerPort', [
  [1, 'name', 'string'],
  [2, 'hostPort', 'int32'],
  [3, 'containerPort', 'int32', 'keep'],
  [4, 'protocol', 'string'],
  [5, 'hostIP', 'string'],
]);

const ObjectFieldSelector = message('ObjectFieldSelector', [
  [1, 'apiVersion', 'string'],
  [2, 'fieldPath', 'string', 'keep'],
]);

const ResourceFieldSelector = message('ResourceFieldSelector', [
  [1, 'containerName', 'string'],
  [2, 'resource', 'string', 'keep'],
  [3, 'divisor', 'Quantity'],
]);

const KeySelector = (name: string) => message(name, [
  [1, 'localObjectReference', LocalObjectReference, 'inline'],
  [2, 'key', 'string', 'keep'],
  [3, 'optional', 'bool', 'ptr'],
]);

const EnvVarSource = message('EnvVarSource', [
  [1, 'fieldRef', ObjectFieldSelector],
  [2, 'resourceFieldRef', ResourceFieldSelector],
  [3, 'configMapKeyRef', KeySelector('ConfigMapKeySelector')],
  [4, 'secretKeyRef', KeySelector('SecretKeySelector')],
]);

const EnvVar = message('EnvVar', [
  [1, 'name', 'string', 'keep'],
  [2, 'value', 'string'],
  [3, 'valueFrom', EnvVarSource],
]);

const EnvSource = (name: string) => message(name, [
  [1, 'localObjectReference', LocalObjectReference, 'inline'],
  [2, 'optional', 'bool', 'ptr'],
]);

const EnvFromSource = message('EnvFromSource', [
  [1, 'prefix', 'string'],
  [2, 'configMapRef', EnvSource('ConfigMapEnvSource')],
  [3, 'secretRef', EnvSource('SecretEnvSource')],
]);

const ResourceClaim = message('ResourceClaim', [
  [1, 'name', 'string', 'keep'],
  [2, 'request', 'string'],
]);

export const ResourceRequirements = message('ResourceRequirements', [
  [1, 'limits', 'Quantity', 'map'],
  [2, 'requests', 'Quantity', 'map'],
  [3, 'claims', ResourceClaim, 'list'],
]);

const ContainerResizePolicy = message('ContainerResizePolicy', [
  [1, 'resourceName', 'string', 'keep'],
  [2, 'restartPolicy', 'string', 'keep'],
]);

const VolumeMount = message('VolumeMount', [
  [1, 'name', 'string', 'keep'],
  [2, 'readOnly', 'bool'],
  [7, 'recursiveReadOnly', 'string', 'ptr'],
  [3, 'mountPath', 'string', 'keep'],
  [4, 'subPath', 'string'],
  [5, 'mountPropagation', 'string', 'ptr'],
  [6, 'subPathExpr', 'string'],
]);

const VolumeDevice = message('VolumeDevice', [
  [1, 'name', 'string', 'keep'],
  [2, 'devicePath', 'string', 'keep'],
]);

const ExecAction = message('ExecAction', [[1, 'command', 'string', 'list']]);

const HTTPHeader = message('HTTPHeader', [
  [1, 'name', 'string', 'keep'],
  [2, 'value', 'string', 'keep'],
]);

const HTTPGetAction = message('HTTPGetAction', [
  [1, 'path', 'string'],
  [2, 'port', 'IntOrString', 'keep'],
  [3, 'host', 'string'],
  [4, 'scheme', 'string'],
  [5, 'httpHeaders', HTTPHeader, 'list'],
]);

const TCPSocketAction = message('TCPSocketAction', [
  [1, 'port', 'IntOrString', 'keep'],
  [2, 'host', 'string'],
]);

const GRPCAction = message('GRPCAction', [
  [1, 'port', 'int32', 'keep'],
  // `Service *string json:"service"`: a pointer without omitempty prints null when unset.
  [2, 'service', 'string', 'ptr', 'keep'],
]);

const ProbeHandler = message('ProbeHandler', [
  [1, 'exec', ExecAction],
  [2, 'httpGet', HTTPGetAction],
  [3, 'tcpSocket', TCPSocketAction],
  [4, 'grpc', GRPCAction],
]);

const Probe = message('Probe', [
  [1, 'handler', ProbeHandler, 'inline'],
  [2, 'initialDelaySeconds', 'int32'],
  [3, 'timeoutSeconds', 'int32'],
  [4, 'periodSeconds', 'int32'],
  [5, 'successThreshold', 'int32'],
  [6, 'failureThreshold', 'int32'],
  [7, 'terminationGracePeriodSeconds', 'int64', 'ptr'],
]);

const SleepAction = message('SleepAction', [[1, 'seconds', 'int64', 'keep']]);

const LifecycleHandler = message('LifecycleHandler', [
  [1, 'exec', ExecAction],
  [2, 'httpGet', HTTPGetAction],
  [3, 'tcpSocket', TCPSocketAction],
  [4, 'sleep', SleepAction],
]);

const Lifecycle = message('Lifecycle', [
  [1, 'postStart', LifecycleHandler],
  [2, 'preStop', LifecycleHandler],
  [3, 'stopSignal', 'string', 'ptr'],
]);

const Capabilities = message('Capabilities', [
  [1, 'add', 'string', 'list'],
  [2, 'drop', 'string', 'list'],
]);

const SELinuxOptions = message('SELinuxOptions', [
  [1, 'user', 'string'],
  [2, 'role', 'string'],
  [3, 'type', 'string'],
  [4, 'level', 'string'],
]);

const WindowsSecurityContextOptions = message('WindowsSecurityContextOptions', [
  [1, 'gmsaCredentialSpecName', 'string', 'ptr'],
  [2, 'gmsaCredentialSpec', 'string', 'ptr'],
  [3, 'runAsUserName', 'string', 'ptr'],
  [4, 'hostProcess', 'bool', 'ptr'],
]);

const ProfileRef = (name: string) => message(name, [
  [1, 'type', 'string', 'keep'],
  [2, 'localhostProfile', 'string', 'ptr'],
]);
const SeccompProfile = ProfileRef('SeccompProfile');
const AppArmorProfile = ProfileRef('AppArmorProfile');

const SecurityContext = message('SecurityContext', [
  [1, 'capabilities', Capabilities],
  [2, 'privileged', 'bool', 'ptr'],
  [3, 'seLinuxOptions', SELinuxOptions],
  [10, 'windowsOptions', WindowsSecurityContextOptions],
  [4, 'runAsUser', 'int64', 'ptr'],
  [8, 'runAsGroup', 'int64', 'ptr'],
  [5, 'runAsNonRoot', 'bool', 'ptr'],
  [6, 'readOnlyRootFilesystem', 'bool', 'ptr'],
  [7, 'allowPrivilegeEscalation', 'bool', 'ptr'],
  [9, 'procMount', 'string', 'ptr'],
  [11, 'seccompProfile', SeccompProfile],
  [12, 'appArmorProfile', AppArmorProfile],
]);

export const Container = message('Container', [
  [1, 'name', 'string', 'keep'],
  [2, 'image', 'string'],
  [3, 'command', 'string', 'list'],
  [4, 'args', 'string', 'list'],
  [5, 'workingDir', 'string'],
  [6, 'ports', ContainerPort, 'list'],
  [19, 'envFrom', EnvFromSource, 'list'],
  [7, 'env', EnvVar, 'list'],
  [8, 'resources', ResourceRequirements],
  [23, 'resizePolicy', ContainerResizePolicy, 'list'],
  [24, 'restartPolicy', 'string', 'ptr'],
  [9, 'volumeMounts', VolumeMount, 'list'],
  [21, 'volumeDevices', VolumeDevice, 'list'],
  [10, 'livenessProbe', Probe],
  [11, 'readinessProbe', Probe],
  [22, 'startupProbe', Probe],
  [12, 'lifecycle', Lifecycle],
  [13, 'terminationMessagePath', 'string'],
  [20, 'terminationMessagePolicy', 'string'],
  [14, 'imagePullPolicy', 'string'],
  [15, 'securityContext', SecurityContext],
  [16, 'stdin', 'bool'],
  [17, 'stdinOnce', 'bool'],
  [18, 'tty', 'bool'],
]);

// EphemeralContainerCommon has Container's field numbers (checked against the descriptor).
const EphemeralContainer = message('EphemeralContainer', [
  [1, 'ephemeralContainerCommon', Container, 'inline'],
  [2, 'targetContainerName', 'string'],
]);

// ---- volumes ---------------------------------------------------------------------------------

const KeyToPath = message('KeyToPath', [
  [1, 'key', 'string', 'keep'],
  [2, 'path', 'string', 'keep'],
  [3, 'mode', 'int32', 'ptr'],
]);

const HostPathVolumeSource = message('HostPathVolumeSource', [
  [1, 'path', 'string', 'keep'],
  [2, 'type', 'string', 'ptr'],
]);

const EmptyDirVolumeSource = message('EmptyDirVolumeSource', [
  [1, 'medium', 'string'],
  [2, 'sizeLimit', 'Quantity'],
]);

const SecretVolumeSource = message('SecretVolumeSource', [
  [1, 'secretName', 'string'],
  [2, 'items', KeyToPath, 'list'],
  [3, 'defaultMode', 'int32', 'ptr'],
  [4, 'optional', 'bool', 'ptr'],
]);

const NFSVolumeSource = message('NFSVolumeSource', [
  [1, 'server', 'string', 'keep'],
  [2, 'path', 'string', 'keep'],
  [3, 'readOnly', 'bool'],
]);

const PersistentVolumeClaimVolumeSource = message('PersistentVolumeClaimVolumeSource', [
  [1, 'claimName', 'string', 'keep'],
  [2, 'readOnly', 'bool'],
]);

const DownwardAPIVolumeFile = message('DownwardAPIVolumeFile', [
  [1, 'path', 'string', 'keep'],
  [2, 'fieldRef', ObjectFieldSelector],
  [3, 'resourceFieldRef', ResourceFieldSelector],
  [4, 'mode', 'int32', 'ptr'],
]);

const DownwardAPIVolumeSource = message('DownwardAPIVolumeSource', [
  [1, 'items', DownwardAPIVolumeFile, 'list'],
  [2, 'defaultMode', 'int32', 'ptr'],
]);

const ConfigMapVolumeSource = message('ConfigMapVolumeSource', [
  [1, 'localObjectReference', LocalObjectReference, 'inline'],
  [2, 'items', KeyToPath, 'list'],
  [3, 'defaultMode', 'int32', 'ptr'],
  [4, 'optional', 'bool', 'ptr'],
]);

const ObjectProjection = (name: string) => message(name, [
  [1, 'localObjectReference', LocalObjectReference, 'inline'],
  [2, 'items', KeyToPath, 'list'],
  [4, 'optional', 'bool', 'ptr'],
]);

const ServiceAccountTokenProjection = message('ServiceAccountTokenProjection', [
  [1, 'audience', 'string'],
  [2, 'expirationSeconds', 'int64', 'ptr'],
  [3, 'path', 'string', 'keep'],
]);

const VolumeProjection = message('VolumeProjection', [
  [1, 'secret', ObjectProjection('SecretProjection')],
  [2, 'downwardAPI', message('DownwardAPIProjection', [[1, 'items', DownwardAPIVolumeFile, 'list']])],
  [3, 'configMap', ObjectProjection('ConfigMapProjection')],
  [4, 'serviceAccountToken', ServiceAccountTokenProjection],
]);

const ProjectedVolumeSource = message('ProjectedVolumeSource', [
  [1, 'sources', VolumeProjection, 'list', 'keep'],
  [2, 'defaultMode', 'int32', 'ptr'],
]);

const CSIVolumeSource = message('CSIVolumeSource', [
  [1, 'driver', 'string', 'keep'],
  [2, 'readOnly', 'bool', 'ptr'],
  [3, 'fsType', 'string', 'ptr'],
  [4, 'volumeAttributes', 'string', 'map'],
  [5, 'nodePublishSecretRef', LocalObjectReference],
]);

const ImageVolumeSource = message('ImageVolumeSource', [
  [1, 'reference', 'string'],
  [2, 'pullPolicy', 'string'],
]);

/** The volume sources a pod template written by hand commonly uses; the cloud and legacy ones are left out. */
const VolumeSource = message('VolumeSource', [
  [1, 'hostPath', HostPathVolumeSource],
  [2, 'emptyDir', EmptyDirVolumeSource],
  [6, 'secret', SecretVolumeSource],
  [7, 'nfs', NFSVolumeSource],
  [10, 'persistentVolumeClaim', PersistentVolumeClaimVolumeSource],
  [16, 'downwardAPI', DownwardAPIVolumeSource],
  [19, 'configMap', ConfigMapVolumeSource],
  [26, 'projected', ProjectedVolumeSource],
  [28, 'csi', CSIVolumeSource],
  [30, 'image', ImageVolumeSource],
]);

const Volume = message('Volume', [
  [1, 'name', 'string', 'keep'],
  [2, 'volumeSource', VolumeSource, 'inline'],
]);

// ---- scheduling ------------------------------------------------------------------------------

const NodeSelectorRequirement = message('NodeSelectorRequirement', [
  [1, 'key', 'string', 'keep'],
  [2, 'operator', 'string', 'keep'],
  [3, 'values', 'string', 'list'],
]);

const NodeSelectorTerm = message('NodeSelectorTerm', [
  [1, 'matchExpressions', NodeSelectorRequirement, 'list'],
  [2, 'matchFields', NodeSelectorRequirement, 'list'],
]);

const NodeAffinity = message('NodeAffinity', [
  [1, 'requiredDuringSchedulingIgnoredDuringExecution', message('NodeSelector', [[1, 'nodeSelectorTerms', NodeSelectorTerm, 'list', 'keep']])],
  [2, 'preferredDuringSchedulingIgnoredDuringExecution', message('PreferredSchedulingTerm', [
    [1, 'weight', 'int32', 'keep'],
    [2, 'preference', NodeSelectorTerm, 'keep'],
  ]), 'list'],
]);

const PodAffinityTerm = message('PodAffinityTerm', [
  [1, 'labelSelector', LabelSelector],
  [2, 'namespaces', 'string', 'list'],
  [3, 'topologyKey', 'string', 'keep'],
  [4, 'namespaceSelector', LabelSelector],
  [5, 'matchLabelKeys', 'string', 'list'],
  [6, 'mismatchLabelKeys', 'string', 'list'],
]);

const WeightedPodAffinityTerm = message('WeightedPodAffinityTerm', [
  [1, 'weight', 'int32', 'keep'],
  [2, 'podAffinityTerm', PodAffinityTerm, 'keep'],
]);

const PodAffinity = (name: string) => message(name, [
  [1, 'requiredDuringSchedulingIgnoredDuringExecution', PodAffinityTerm, 'list'],
  [2, 'preferredDuringSchedulingIgnoredDuringExecution', WeightedPodAffinityTerm, 'list'],
]);

const Affinity = message('Affinity', [
  [1, 'nodeAffinity', NodeAffinity],
  [2, 'podAffinity', PodAffinity('PodAffinity')],
  [3, 'podAntiAffinity', PodAffinity('PodAntiAffinity')],
]);

const Toleration = message('Toleration', [
  [1, 'key', 'string'],
  [2, 'operator', 'string'],
  [3, 'value', 'string'],
  [4, 'effect', 'string'],
  [5, 'tolerationSeconds', 'int64', 'ptr'],
]);

const TopologySpreadConstraint = message('TopologySpreadConstraint', [
  [1, 'maxSkew', 'int32', 'keep'],
  [2, 'topologyKey', 'string', 'keep'],
  [3, 'whenUnsatisfiable', 'string', 'keep'],
  [4, 'labelSelector', LabelSelector],
  [5, 'minDomains', 'int32', 'ptr'],
  [6, 'nodeAffinityPolicy', 'string', 'ptr'],
  [7, 'nodeTaintsPolicy', 'string', 'ptr'],
  [8, 'matchLabelKeys', 'string', 'list'],
]);

// ---- pod -------------------------------------------------------------------------------------

const PodSecurityContext = message('PodSecurityContext', [
  [1, 'seLinuxOptions', SELinuxOptions],
  [8, 'windowsOptions', WindowsSecurityContextOptions],
  [2, 'runAsUser', 'int64', 'ptr'],
  [6, 'runAsGroup', 'int64', 'ptr'],
  [3, 'runAsNonRoot', 'bool', 'ptr'],
  [4, 'supplementalGroups', 'int64', 'list'],
  [12, 'supplementalGroupsPolicy', 'string', 'ptr'],
  [5, 'fsGroup', 'int64', 'ptr'],
  [7, 'sysctls', message('Sysctl', [[1, 'name', 'string', 'keep'], [2, 'value', 'string', 'keep']]), 'list'],
  [9, 'fsGroupChangePolicy', 'string', 'ptr'],
  [10, 'seccompProfile', SeccompProfile],
  [11, 'appArmorProfile', AppArmorProfile],
  [13, 'seLinuxChangePolicy', 'string', 'ptr'],
]);

const HostAlias = message('HostAlias', [
  [1, 'ip', 'string', 'keep'],
  [2, 'hostnames', 'string', 'list'],
]);

const PodDNSConfig = message('PodDNSConfig', [
  [1, 'nameservers', 'string', 'list'],
  [2, 'searches', 'string', 'list'],
  [3, 'options', message('PodDNSConfigOption', [[1, 'name', 'string'], [2, 'value', 'string', 'ptr']]), 'list'],
]);

const PodResourceClaim = message('PodResourceClaim', [
  [1, 'name', 'string', 'keep'],
  [3, 'resourceClaimName', 'string', 'ptr'],
  [4, 'resourceClaimTemplateName', 'string', 'ptr'],
]);

export const PodSpec = message('PodSpec', [
  [1, 'volumes', Volume, 'list'],
  [20, 'initContainers', Container, 'list'],
  [2, 'containers', Container, 'list', 'keep'],
  [34, 'ephemeralContainers', EphemeralContainer, 'list'],
  [3, 'restartPolicy', 'string'],
  [4, 'terminationGracePeriodSeconds', 'int64', 'ptr'],
  [5, 'activeDeadlineSeconds', 'int64', 'ptr'],
  [6, 'dnsPolicy', 'string'],
  [7, 'nodeSelector', 'string', 'map'],
  [8, 'serviceAccountName', 'string'],
  [9, 'serviceAccount', 'string'],
  [21, 'automountServiceAccountToken', 'bool', 'ptr'],
  [10, 'nodeName', 'string'],
  [11, 'hostNetwork', 'bool'],
  [12, 'hostPID', 'bool'],
  [13, 'hostIPC', 'bool'],
  [27, 'shareProcessNamespace', 'bool', 'ptr'],
  [14, 'securityContext', PodSecurityContext],
  [15, 'imagePullSecrets', LocalObjectReference, 'list'],
  [16, 'hostname', 'string'],
  [17, 'subdomain', 'string'],
  [18, 'affinity', Affinity],
  [19, 'schedulerName', 'string'],
  [22, 'tolerations', Toleration, 'list'],
  [23, 'hostAliases', HostAlias, 'list'],
  [24, 'priorityClassName', 'string'],
  [25, 'priority', 'int32', 'ptr'],
  [26, 'dnsConfig', PodDNSConfig],
  [28, 'readinessGates', message('PodReadinessGate', [[1, 'conditionType', 'string', 'keep']]), 'list'],
  [29, 'runtimeClassName', 'string', 'ptr'],
  [30, 'enableServiceLinks', 'bool', 'ptr'],
  [31, 'preemptionPolicy', 'string', 'ptr'],
  [32, 'overhead', 'Quantity', 'map'],
  [33, 'topologySpreadConstraints', TopologySpreadConstraint, 'list'],
  [35, 'setHostnameAsFQDN', 'bool', 'ptr'],
  [36, 'os', message('PodOS', [[1, 'name', 'string', 'keep']])],
  [37, 'hostUsers', 'bool', 'ptr'],
  [38, 'schedulingGates', message('PodSchedulingGate', [[1, 'name', 'string', 'keep']]), 'list'],
  [39, 'resourceClaims', PodResourceClaim, 'list'],
  [40, 'resources', ResourceRequirements],
]);

export const PodTemplateSpec = message('PodTemplateSpec', [
  [1, 'metadata', ObjectMeta],
  [2, 'spec', PodSpec],
]);

// ---- kinds -----------------------------------------------------------------------------------

const NamespaceCondition = message('NamespaceCondition', [
  [1, 'type', 'string', 'keep'],
  [2, 'status', 'string', 'keep'],
  [4, 'lastTransitionTime', 'Time', 'keep'],
  [5, 'reason', 'string'],
  [6, 'message', 'string'],
]);

export const Namespace = specStatusKind('Namespace',
  message('NamespaceSpec', [[1, 'finalizers', 'string', 'list']]),
  message('NamespaceStatus', [[1, 'phase', 'string'], [2, 'conditions', NamespaceCondition, 'list']]),
);

export const ConfigMap = message('ConfigMap', [
  [1, 'metadata', ObjectMeta],
  [4, 'immutable', 'bool', 'ptr'],
  [2, 'data', 'string', 'map'],
  [3, 'binaryData', 'bytes', 'map'],
]);

export const Secret = message('Secret', [
  [1, 'metadata', ObjectMeta],
  [5, 'immutable', 'bool', 'ptr'],
  [2, 'data', 'bytes', 'map'],
  [4, 'stringData', 'string', 'map'],
  [3, 'type', 'string'],
]);

export const ServiceAccount = message('ServiceAccount', [
  [1, 'metadata', ObjectMeta],
  [2, 'secrets', ObjectReference, 'list'],
  [3, 'imagePullSecrets', LocalObjectReference, 'list'],
  [4, 'automountServiceAccountToken', 'bool', 'ptr'],
]);

const ServicePort = message('ServicePort', [
  [1, 'name', 'string'],
  [2, 'protocol', 'string'],
  [6, 'appProtocol', 'string', 'ptr'],
  [3, 'port', 'int32', 'keep'],
  [4, 'targetPort', 'IntOrString'],
  [5, 'nodePort', 'int32'],
]);

const ServiceSpec = message('ServiceSpec', [
  [1, 'ports', ServicePort, 'list'],
  [2, 'selector', 'string', 'map'],
  [3, 'clusterIP', 'string'],
  [18, 'clusterIPs', 'string', 'list'],
  [4, 'type', 'string'],
  [5, 'externalIPs', 'string', 'list'],
  [7, 'sessionAffinity', 'string'],
  [8, 'loadBalancerIP', 'string'],
  [9, 'loadBalancerSourceRanges', 'string', 'list'],
  [10, 'externalName', 'string'],
  [11, 'externalTrafficPolicy', 'string'],
  [12, 'healthCheckNodePort', 'int32'],
  [13, 'publishNotReadyAddresses', 'bool'],
  [14, 'sessionAffinityConfig', message('SessionAffinityConfig', [
    [1, 'clientIP', message('ClientIPConfig', [[1, 'timeoutSeconds', 'int32', 'ptr']])],
  ])],
  [19, 'ipFamilies', 'string', 'list'],
  [17, 'ipFamilyPolicy', 'string', 'ptr'],
  [20, 'allocateLoadBalancerNodePorts', 'bool', 'ptr'],
  [21, 'loadBalancerClass', 'string', 'ptr'],
  [22, 'internalTrafficPolicy', 'string', 'ptr'],
  [23, 'trafficDistribution', 'string', 'ptr'],
]);

const PortStatus = message('PortStatus', [
  [1, 'port', 'int32', 'keep'],
  [2, 'protocol', 'string', 'keep'],
  [3, 'error', 'string', 'ptr'],
]);

const LoadBalancerIngress = message('LoadBalancerIngress', [
  [1, 'ip', 'string'],
  [2, 'hostname', 'string'],
  [3, 'ipMode', 'string', 'ptr'],
  [4, 'ports', PortStatus, 'list'],
]);

const ServiceStatus = message('ServiceStatus', [
  [1, 'loadBalancer', message('LoadBalancerStatus', [[1, 'ingress', LoadBalancerIngress, 'list']])],
  [2, 'conditions', Condition, 'list'],
]);

export const Service = specStatusKind('Service', ServiceSpec, ServiceStatus);

const ScopedResourceSelectorRequirement = message('ScopedResourceSelectorRequirement', [
  [1, 'scopeName', 'string', 'keep'],
  [2, 'operator', 'string', 'keep'],
  [3, 'values', 'string', 'list'],
]);

export const ResourceQuota = specStatusKind('ResourceQuota',
  message('ResourceQuotaSpec', [
    [1, 'hard', 'Quantity', 'map'],
    [2, 'scopes', 'string', 'list'],
    [3, 'scopeSelector', message('ScopeSelector', [[1, 'matchExpressions', ScopedResourceSelectorRequirement, 'list']])],
  ]),
  message('ResourceQuotaStatus', [
    [1, 'hard', 'Quantity', 'map'],
    [2, 'used', 'Quantity', 'map'],
  ]),
);
