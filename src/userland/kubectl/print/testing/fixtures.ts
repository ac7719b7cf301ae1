/**
 * Canned cluster objects for the printer tests, shaped as a 1.32 API server returns them (with
 * its defaults filled in), built from the scenarios of the seed documents: the kind cluster with
 * curl and echo deployments (000), the minikube NodePort service with a named targetPort (001)
 * and the hard-way cluster's kube-dns and nginx (004).
 */
import type { KObject } from '../../../../k8s/api/object.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
export const DURATION = { S, M, H, D };

/** RFC 3339 (seconds) of `now - ago`. */
export function ago(now: number, ms: number): string {
  return new Date(Math.floor((now - ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

let uidCounter = 0;
function uid(): string {
  uidCounter++;
  return `6b9d2c1e-4f3a-4c8e-9a${String(uidCounter).padStart(2, '0')}-${(0x1a2b3c4d5e6f + uidCounter).toString(16)}`;
}

function meta(name: string, namespace: string | undefined, created: string, extra: Record<string, unknown> = {}): KObject['metadata'] {
  return { name, ...(namespace ? { namespace } : {}), uid: uid(), resourceVersion: String(500 + uidCounter), creationTimestamp: created, ...extra };
}

export interface PodSpecInput {
  name: string;
  namespace?: string;
  node?: string;
  hostIP?: string;
  ip?: string;
  created: string;
  labels?: Record<string, string>;
  owner?: { kind: string; name: string; uid?: string; apiVersion?: string };
  image?: string;
  container?: string;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  args?: string[];
  command?: string[];
  phase?: string;
  ready?: boolean;
  restarts?: number;
  lastRestart?: string;
  resources?: Record<string, unknown>;
  env?: unknown[];
}

/** A running pod with one container, the default service-account token volume and default tolerations. */
export function pod(p: PodSpecInput): KObject {
  const container = p.container ?? p.name.split('-')[0];
  const ready = p.ready ?? true;
  const phase = p.phase ?? 'Running';
  const started = p.created;
  const conditions = [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: started },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: started },
    { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: started },
    { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: started },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: started },
  ];
  const ownerReferences = p.owner ? [{ apiVersion: p.owner.apiVersion ?? 'apps/v1', kind: p.owner.kind, name: p.owner.name, uid: p.owner.uid ?? uid(), controller: true, blockOwnerDeletion: true }] : undefined;
  const cs: Record<string, unknown> = {
    name: container, state: ready ? { running: { startedAt: started } } : { waiting: { reason: 'ContainerCreating' } },
    lastState: p.lastRestart ? { terminated: { exitCode: 137, reason: 'Error', startedAt: p.created, finishedAt: p.lastRestart, containerID: 'containerd://0ld' } } : {},
    ready, restartCount: p.restarts ?? 0, image: `docker.io/library/${p.image ?? 'busybox:latest'}`,
    imageID: `docker.io/library/${(p.image ?? 'busybox:latest').split(':')[0]}@sha256:${'ab12'.repeat(16)}`,
    containerID: `containerd://${'4c0bd2e2e5c0b17c'.repeat(4)}`, started: ready,
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(p.name, p.namespace ?? 'default', p.created, {
      ...(p.labels ? { labels: p.labels } : {}), ...(ownerReferences ? { ownerReferences } : {}),
      ...(p.name.includes('-') ? { generateName: `${p.name.slice(0, p.name.lastIndexOf('-'))}-` } : {}),
    }),
    spec: {
      volumes: [{ name: `kube-api-access-${p.name.slice(-5)}`, projected: { sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ], defaultMode: 420 } }],
      containers: [{
        name: container, image: p.image ?? 'busybox:latest',
        ...(p.command ? { command: p.command } : {}), ...(p.args ? { args: p.args } : {}),
        ...(p.ports ? { ports: p.ports.map((x) => ({ protocol: 'TCP', ...x })) } : {}),
        ...(p.env ? { env: p.env } : {}),
        resources: p.resources ?? {},
        volumeMounts: [{ name: `kube-api-access-${p.name.slice(-5)}`, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default', serviceAccount: 'default', ...(p.node ? { nodeName: p.node } : {}),
      securityContext: {}, schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase, conditions,
      ...(p.hostIP ? { hostIP: p.hostIP, hostIPs: [{ ip: p.hostIP }] } : {}),
      ...(p.ip ? { podIP: p.ip, podIPs: [{ ip: p.ip }] } : {}),
      startTime: started, containerStatuses: [cs], qosClass: p.resources ? undefined : 'BestEffort',
    },
  };
}

export interface ServicePortInput {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

export interface ServiceInput {
  name: string;
  namespace?: string;
  created: string;
  type?: string;
  clusterIP?: string;
  ports?: ServicePortInput[];
  selector?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  externalName?: string;
  externalIPs?: string[];
  ingress?: { ip?: string; hostname?: string }[];
}

/** A service with the defaults the API server sets (IP families, policies, allocated cluster IP). */
export function service(s: ServiceInput): KObject {
  const type = s.type ?? 'ClusterIP';
  const spec: Record<string, unknown> = {};
  if (s.ports) spec.ports = s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP', port: p.port, targetPort: p.targetPort ?? p.port, ...(p.nodePort ? { nodePort: p.nodePort } : {}) }));
  if (s.selector) spec.selector = s.selector;
  if (type === 'ExternalName') {
    spec.type = type;
    spec.sessionAffinity = 'None';
    spec.externalName = s.externalName;
  } else {
    spec.clusterIP = s.clusterIP;
    spec.clusterIPs = [s.clusterIP];
    if (s.externalIPs) spec.externalIPs = s.externalIPs;
    spec.type = type;
    spec.sessionAffinity = 'None';
    if (type === 'NodePort' || type === 'LoadBalancer') spec.externalTrafficPolicy = 'Cluster';
    spec.ipFamilies = ['IPv4'];
    spec.ipFamilyPolicy = 'SingleStack';
    spec.internalTrafficPolicy = 'Cluster';
    if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts = true;
  }
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: meta(s.name, s.namespace ?? 'default', s.created, { ...(s.labels ? { labels: s.labels } : {}), ...(s.annotations ? { annotations: s.annotations } : {}) }),
    spec,
    status: { loadBalancer: s.ingress ? { ingress: s.ingress } : {} },
  };
}

export interface EndpointsInput {
  name: string;
  namespace?: string;
  created: string;
  addresses: { ip: string; node?: string; pod?: string }[];
  notReady?: { ip: string; node?: string; pod?: string }[];
  ports: { name?: string; port: number; protocol?: string }[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function endpoints(e: EndpointsInput): KObject {
  const ns = e.namespace ?? 'default';
  const addr = (a: { ip: string; node?: string; pod?: string }): Record<string, unknown> => ({
    ip: a.ip, ...(a.node ? { nodeName: a.node } : {}), ...(a.pod ? { targetRef: { kind: 'Pod', namespace: ns, name: a.pod, uid: uid() } } : {}),
  });
  const subset: Record<string, unknown> = {};
  if (e.addresses.length) subset.addresses = e.addresses.map(addr);
  if (e.notReady?.length) subset.notReadyAddresses = e.notReady.map(addr);
  subset.ports = e.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP' }));
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: meta(e.name, ns, e.created, { ...(e.labels ? { labels: e.labels } : {}), ...(e.annotations ? { annotations: e.annotations } : {}) }),
    subsets: e.addresses.length || e.notReady?.length ? [subset] : undefined,
  };
}

/** The EndpointSlice the controller keeps for a service's endpoints. */
export function endpointSlice(e: EndpointsInput & { service?: string; sliceName?: string }): KObject {
  const ns = e.namespace ?? 'default';
  const ep = (a: { ip: string; node?: string; pod?: string }, ready: boolean): Record<string, unknown> => ({
    addresses: [a.ip], conditions: { ready, serving: ready, terminating: false },
    ...(a.pod ? { targetRef: { kind: 'Pod', namespace: ns, name: a.pod, uid: uid() } } : {}), ...(a.node ? { nodeName: a.node } : {}),
  });
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: meta(e.sliceName ?? `${e.name}-x7k2q`, ns, e.created, {
      labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': e.service ?? e.name, ...(e.labels ?? {}) },
      ...(e.annotations ? { annotations: e.annotations } : {}),
      generateName: `${e.name}-`,
    }),
    addressType: 'IPv4',
    endpoints: [...e.addresses.map((a) => ep(a, true)), ...(e.notReady ?? []).map((a) => ep(a, false))],
    ports: e.ports.map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port })),
  };
}

export interface NodeInput {
  name: string;
  created: string;
  ip: string;
  roles?: string[];
  ready?: boolean;
  unschedulable?: boolean;
  podCIDR?: string;
  taints?: { key: string; effect: string; value?: string }[];
  heartbeat: string;
  externalIP?: string;
}

/** A kind node: containerd, Debian-based image, kubelet v1.32.0. */
export function node(n: NodeInput): KObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux',
  };
  for (const r of n.roles ?? []) labels[`node-role.kubernetes.io/${r}`] = '';
  const ready = n.ready ?? true;
  const cond = (type: string, status: string, reason: string, message: string): Record<string, unknown> =>
    ({ type, status, lastHeartbeatTime: n.heartbeat, lastTransitionTime: n.created, reason, message });
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: meta(n.name, undefined, n.created, {
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    }),
    spec: {
      ...(n.podCIDR ? { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] } : {}),
      providerID: `kind://docker/kind/${n.name}`,
      ...(n.unschedulable ? { unschedulable: true } : {}),
      ...(n.taints ? { taints: n.taints } : {}),
    },
    status: {
      capacity: { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16393364Ki', pods: '110' },
      allocatable: { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16393364Ki', pods: '110' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        ready ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : cond('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
      ],
      addresses: [{ type: 'InternalIP', address: n.ip }, ...(n.externalIP ? [{ type: 'ExternalIP', address: n.externalIP }] : []), { type: 'Hostname', address: n.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', systemUUID: 'b2c3d4e5-f607-1829-3a4b-5c6d7e8f90a1', bootID: 'c3d4e5f6-0718-293a-4b5c-6d7e8f90a1b2',
        kernelVersion: '6.1.0-18-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

export interface DeploymentInput {
  name: string;
  namespace?: string;
  created: string;
  replicas: number;
  ready?: number;
  image: string;
  labels?: Record<string, string>;
  selector?: Record<string, string>;
  args?: string[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
}

function template(d: DeploymentInput, extraLabels: Record<string, string> = {}): Record<string, unknown> {
  const labels = { ...(d.selector ?? { app: d.name }), ...extraLabels };
  return {
    metadata: { creationTimestamp: null, labels },
    spec: {
      containers: [{
        name: d.name, image: d.image, ...(d.args ? { args: d.args } : {}),
        ...(d.ports ? { ports: d.ports.map((x) => ({ protocol: 'TCP', ...x })) } : {}),
        resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
    },
  };
}

export function deployment(d: DeploymentInput): KObject {
  const ready = d.ready ?? d.replicas;
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: meta(d.name, d.namespace ?? 'default', d.created, { labels: d.labels ?? { app: d.name }, annotations: { 'deployment.kubernetes.io/revision': '1' }, generation: 1 }),
    spec: {
      replicas: d.replicas, selector: { matchLabels: d.selector ?? { app: d.name } }, template: template(d),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1, replicas: d.replicas, updatedReplicas: d.replicas, readyReplicas: ready, availableReplicas: ready,
      ...(d.replicas - ready > 0 ? { unavailableReplicas: d.replicas - ready } : {}),
      conditions: [
        { type: 'Available', status: ready === d.replicas ? 'True' : 'False', lastUpdateTime: d.created, lastTransitionTime: d.created, reason: ready === d.replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: ready === d.replicas ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: d.created, lastTransitionTime: d.created, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.name}" has successfully progressed.` },
      ],
    },
  };
}

/** The ReplicaSet a deployment owns, with its pod-template-hash. */
export function replicaSet(d: KObject, hash: string): KObject {
  const spec = d.spec as { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
  const status = d.status as { readyReplicas: number };
  const tpl = JSON.parse(JSON.stringify(spec.template)) as { metadata: { labels: Record<string, string> } };
  tpl.metadata.labels = { ...tpl.metadata.labels, 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: meta(`${d.metadata.name}-${hash}`, d.metadata.namespace, d.metadata.creationTimestamp!, {
      labels: { ...tpl.metadata.labels },
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(spec.replicas), 'deployment.kubernetes.io/max-replicas': String(spec.replicas + Math.ceil(spec.replicas / 4)), 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      generation: 1,
    }),
    spec: { replicas: spec.replicas, selector: { matchLabels: { ...spec.selector.matchLabels, 'pod-template-hash': hash } }, template: tpl },
    status: { replicas: spec.replicas, fullyLabeledReplicas: spec.replicas, readyReplicas: status.readyReplicas, availableReplicas: status.readyReplicas, observedGeneration: 1 },
  };
}

export interface EventInput {
  namespace?: string;
  object: KObject;
  reason: string;
  message: string;
  type?: string;
  first: string;
  last?: string;
  count?: number;
  component?: string;
  host?: string;
  fieldPath?: string;
}

export function event(e: EventInput): KObject {
  const o = e.object;
  const name = `${o.metadata.name}.${(0x17a2b3c4d5e6f7a8n + BigInt(++uidCounter)).toString(16)}`;
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: meta(name, e.namespace ?? o.metadata.namespace ?? 'default', e.first),
    involvedObject: {
      kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name, uid: o.metadata.uid,
      apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion, ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
    },
    reason: e.reason, message: e.message,
    source: { component: e.component ?? 'kubelet', ...(e.host ? { host: e.host } : {}) },
    firstTimestamp: e.first, lastTimestamp: e.last ?? e.first, count: e.count ?? 1, type: e.type ?? 'Normal',
    eventTime: null, reportingComponent: e.component ?? 'kubelet', reportingInstance: e.host ?? '',
  };
}

export function namespace(name: string, created: string, labels: Record<string, string> = { 'kubernetes.io/metadata.name': name }): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, created, { labels }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

export function configMap(name: string, ns: string, created: string, data: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, ns, created), data };
}
