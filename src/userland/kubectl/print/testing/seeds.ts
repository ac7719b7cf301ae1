/**
 * The seed documents' clusters as object sets: the kind cluster of 000 (curl1, curl2, echo x3,
 * echo-service, kubernetes), the NodePort service of 001 and the hard-way services of 004,
 * plus the variants the brief asks for (headless, LoadBalancer pending, ExternalName, events).
 */
import type { KObject } from '../../../../k8s/api/object.ts';
import { DURATION, ago, configMap, deployment, endpointSlice, endpoints, event, namespace, node, pod, replicaSet, service } from './fixtures.ts';

const { S, M, H, D } = DURATION;

export interface SeedCluster {
  objects: KObject[];
  byName(kind: string, name: string): KObject;
}

function cluster(objects: KObject[]): SeedCluster {
  return {
    objects,
    byName(kind, name) {
      const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
      if (!o) throw new Error(`no ${kind} ${name} in the seed cluster`);
      return o;
    },
  };
}

export interface KindClusterAges {
  /** Age of the workloads (the seed's `get pods,svc,ep` shows 6s, its `-o wide` 35m). */
  workloads: number;
  /** Age of the cluster: nodes, the kubernetes service (19m in the seed). */
  cluster: number;
}

/** Ages in days, which a second of clock drift between the test and kubectl cannot change: for describe. */
export const DESCRIBE_AGES: KindClusterAges = { workloads: 3 * D + 5 * H + 30 * M, cluster: 12 * D + 7 * H };

/**
 * Seed 000 ("Container connectivity"): a kind cluster `iptables` (control plane and three
 * workers), deployments curl1, curl2 and a 3-replica echo behind echo-service, and the
 * kubernetes service, with the seed's names, addresses and placement.
 */
export function kindCluster(now: number, ages: KindClusterAges = { workloads: 6 * S, cluster: 19 * M }): SeedCluster {
  const young = ages.workloads;
  const old = ages.cluster;
  const created = ago(now, young);
  const clusterCreated = ago(now, old);
  const heartbeat = ago(now, 20 * S);
  const nodes = [
    node({ name: 'iptables-control-plane', created: clusterCreated, ip: '172.17.0.4', roles: ['control-plane'], podCIDR: '10.244.0.0/24', heartbeat, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    node({ name: 'iptables-worker', created: clusterCreated, ip: '172.17.0.3', podCIDR: '10.244.1.0/24', heartbeat }),
    node({ name: 'iptables-worker2', created: clusterCreated, ip: '172.17.0.5', podCIDR: '10.244.3.0/24', heartbeat }),
    node({ name: 'iptables-worker3', created: clusterCreated, ip: '172.17.0.2', podCIDR: '10.244.2.0/24', heartbeat }),
  ];
  const curl1 = deployment({ name: 'curl1', created, replicas: 1, image: 'curlimages/curl:8.5.0' });
  const curl2 = deployment({ name: 'curl2', created, replicas: 1, image: 'curlimages/curl:8.5.0' });
  const echo = deployment({ name: 'echo', created, replicas: 3, image: 'hashicorp/http-echo', args: ['-text=Hello'], ports: [{ containerPort: 5678 }] });
  const rsCurl1 = replicaSet(curl1, '647585685b');
  const rsCurl2 = replicaSet(curl2, '5cb57995cd');
  const rsEcho = replicaSet(echo, '669c78484d');
  const podOf = (rs: KObject, suffix: string, nodeName: string, hostIP: string, ip: string, image: string, extra: Partial<Parameters<typeof pod>[0]> = {}): KObject => pod({
    name: `${rs.metadata.name}-${suffix}`, node: nodeName, hostIP, ip, created, image, container: rs.metadata.name!.split('-')[0],
    labels: { ...(rs.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels },
    owner: { kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid }, ...extra,
  });
  const pods = [
    podOf(rsCurl1, '5pdj4', 'iptables-worker3', '172.17.0.2', '10.244.2.2', 'curlimages/curl:8.5.0', { command: ['sh', '-c', 'echo Hello from curl1; sleep 3600'] }),
    podOf(rsCurl2, 'jqdbg', 'iptables-worker3', '172.17.0.2', '10.244.2.3', 'curlimages/curl:8.5.0', { command: ['sleep', '3600'] }),
    podOf(rsEcho, 'df45k', 'iptables-worker3', '172.17.0.2', '10.244.2.4', 'hashicorp/http-echo', { args: ['-text=Hello'], ports: [{ containerPort: 5678 }] }),
    podOf(rsEcho, 'ps5v5', 'iptables-worker', '172.17.0.3', '10.244.1.2', 'hashicorp/http-echo', { args: ['-text=Hello'], ports: [{ containerPort: 5678 }] }),
    podOf(rsEcho, 'vkpt9', 'iptables-worker2', '172.17.0.5', '10.244.3.2', 'hashicorp/http-echo', { args: ['-text=Hello'], ports: [{ containerPort: 5678 }] }),
  ];
  const echoService = service({ name: 'echo-service', created, clusterIP: '10.102.117.8', ports: [{ port: 80, targetPort: 5678 }], selector: { app: 'echo' } });
  const kubernetes = service({ name: 'kubernetes', created: clusterCreated, clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }], labels: { component: 'apiserver', provider: 'kubernetes' } });
  const echoAddrs = [
    { ip: '10.244.1.2', node: 'iptables-worker', pod: 'echo-669c78484d-ps5v5' },
    { ip: '10.244.2.4', node: 'iptables-worker3', pod: 'echo-669c78484d-df45k' },
    { ip: '10.244.3.2', node: 'iptables-worker2', pod: 'echo-669c78484d-vkpt9' },
  ];
  const trigger = { 'endpoints.kubernetes.io/last-change-trigger-time': '2020-03-07T00:41:34Z' };
  const echoEp = endpoints({ name: 'echo-service', created, addresses: echoAddrs, ports: [{ port: 5678 }], annotations: trigger });
  const kubeEp = endpoints({ name: 'kubernetes', created: clusterCreated, addresses: [{ ip: '172.17.0.4' }], ports: [{ name: 'https', port: 6443 }], labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } });
  const echoSlice = endpointSlice({ name: 'echo-service', sliceName: 'echo-service-7mbtd', created, addresses: echoAddrs, ports: [{ port: 5678 }], annotations: trigger });
  const kubeSlice = endpointSlice({ name: 'kubernetes', sliceName: 'kubernetes', created: clusterCreated, addresses: [{ ip: '172.17.0.4' }], ports: [{ name: 'https', port: 6443 }] });
  const at = (frac: number): string => ago(now, Math.floor(young * frac));
  const kubeletOn = (n: string) => ({ host: n, fieldPath: 'spec.containers{echo}' });
  const events = [
    event({ object: pods[2], reason: 'Scheduled', message: 'Successfully assigned default/echo-669c78484d-df45k to iptables-worker3', component: 'default-scheduler', first: at(1) }),
    event({ object: pods[2], reason: 'Pulled', message: 'Container image "hashicorp/http-echo" already present on machine', first: at(0.9), ...kubeletOn('iptables-worker3') }),
    event({ object: pods[2], reason: 'Created', message: 'Created container echo', first: at(0.9), ...kubeletOn('iptables-worker3') }),
    event({ object: pods[2], reason: 'Started', message: 'Started container echo', first: at(0.8), ...kubeletOn('iptables-worker3') }),
    event({ object: echo, reason: 'ScalingReplicaSet', message: 'Scaled up replica set echo-669c78484d to 3', component: 'deployment-controller', first: at(1) }),
    event({ object: rsEcho, reason: 'SuccessfulCreate', message: 'Created pod: echo-669c78484d-df45k', component: 'replicaset-controller', first: at(1) }),
    event({ object: rsEcho, reason: 'SuccessfulCreate', message: 'Created pod: echo-669c78484d-ps5v5', component: 'replicaset-controller', first: at(1) }),
    event({ object: nodes[1], namespace: 'default', reason: 'NodeReady', message: 'Node iptables-worker status is now: NodeReady', first: ago(now, Math.floor(old * 0.9)), host: 'iptables-worker' }),
    event({ object: echoService, reason: 'Type', message: 'ClusterIP -> ClusterIP', component: 'service-controller', first: at(1), last: at(0.5), count: 2 }),
  ];
  return cluster([
    namespace('default', clusterCreated), namespace('kube-system', clusterCreated),
    ...nodes, curl1, curl2, echo, rsCurl1, rsCurl2, rsEcho, ...pods, echoService, kubernetes, echoEp, kubeEp, echoSlice, kubeSlice, ...events,
  ]);
}

/** Seed 001 (minikube): a pod with a port named nodejs-port behind helloworld-service, NodePort 31001:31382. */
export function helloworldCluster(now: number, age = 28 * S): SeedCluster {
  const created = ago(now, age);
  const older = ago(now, 15 * H + 3 * M);
  const addr = [{ ip: '172.17.0.6', node: 'minikube', pod: 'nodehelloworld.example.com' }];
  return cluster([
    pod({ name: 'nodehelloworld.example.com', node: 'minikube', hostIP: '192.168.49.2', ip: '172.17.0.6', created, image: 'wardviaene/k8s-demo', container: 'k8s-demo', labels: { app: 'helloworld' }, ports: [{ containerPort: 3000, name: 'nodejs-port' }] }),
    service({ name: 'helloworld-service', created, type: 'NodePort', clusterIP: '10.106.133.16', ports: [{ port: 31001, targetPort: 'nodejs-port', nodePort: 31382 }], selector: { app: 'helloworld' } }),
    endpoints({ name: 'helloworld-service', created, addresses: addr, ports: [{ port: 3000 }] }),
    endpointSlice({ name: 'helloworld-service', sliceName: 'helloworld-service-4dkzp', created, addresses: addr, ports: [{ port: 3000 }] }),
    service({ name: 'kubernetes', created: older, clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 8443 }], labels: { component: 'apiserver', provider: 'kubernetes' } }),
  ]);
}

/** Seed 004 (Kubernetes The Hard Way): kube-dns with named UDP and TCP ports, and the nginx NodePort 80:31088. */
export function hardWayCluster(now: number, age = 5 * D + 2 * H + 30 * M): SeedCluster {
  const created = ago(now, age);
  const dnsAddr = [{ ip: '10.200.0.27', node: 'worker-0', pod: 'coredns-5d78c9869d-6xq2p' }];
  const dnsPorts = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }, { name: 'metrics', port: 9153 }];
  return cluster([
    service({
      name: 'kube-dns', namespace: 'kube-system', created, clusterIP: '10.32.0.10', selector: { 'k8s-app': 'kube-dns' },
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 }],
    }),
    endpointSlice({ name: 'kube-dns', namespace: 'kube-system', sliceName: 'kube-dns-9tk8n', created, addresses: dnsAddr, ports: dnsPorts }),
    endpoints({ name: 'kube-dns', namespace: 'kube-system', created, addresses: dnsAddr, ports: dnsPorts }),
    pod({ name: 'nginx-65899c769f-wxdx6', node: 'worker-0', hostIP: '10.240.0.20', ip: '10.200.0.4', created, image: 'nginx', container: 'nginx', labels: { 'pod-template-hash': '2145573259', run: 'nginx' }, owner: { kind: 'ReplicaSet', name: 'nginx-65899c769f' }, ports: [{ containerPort: 80 }] }),
    service({ name: 'nginx', created, type: 'NodePort', clusterIP: '10.32.0.53', ports: [{ port: 80, nodePort: 31088 }], selector: { run: 'nginx' } }),
    endpointSlice({ name: 'nginx', sliceName: 'nginx-wv2bd', created, addresses: [{ ip: '10.200.1.18', node: 'worker-1' }], ports: [{ port: 80 }] }),
    // One key only: kubectl 1.32 walks a configmap's data in Go map order, which is random.
    configMap('app-config', 'default', created, { 'app.properties': 'greeting=hello\ncolor=blue\n' }),
  ]);
}

/** Service shapes beyond the seeds: headless, LoadBalancer pending and provisioned, ExternalName, no selector. */
export function serviceVariants(now: number, age = 28 * S): SeedCluster {
  const created = ago(now, age);
  return cluster([
    service({ name: 'echo-headless', created, clusterIP: 'None', ports: [{ port: 5678 }], selector: { app: 'echo' } }),
    endpointSlice({
      name: 'echo-headless', sliceName: 'echo-headless-pq8rz', created, ports: [{ port: 5678 }],
      addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.2.4' }, { ip: '10.244.3.2' }, { ip: '10.244.3.7' }],
      notReady: [{ ip: '10.244.1.9' }],
    }),
    service({ name: 'web-lb', created, type: 'LoadBalancer', clusterIP: '10.96.45.12', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'https', port: 443, targetPort: 8443, nodePort: 30443 }], selector: { app: 'web' } }),
    service({ name: 'web-lb-ready', created, type: 'LoadBalancer', clusterIP: '10.96.45.13', ports: [{ port: 80, nodePort: 30081 }], selector: { app: 'web' }, ingress: [{ ip: '203.0.113.10' }], externalIPs: ['198.51.100.7'] }),
    service({ name: 'external-db', created, type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 5432 }] }),
    service({ name: 'manual', created, clusterIP: '10.96.8.8', ports: [{ port: 9000 }] }),
  ]);
}

/**
 * Objects that reach the less common describe paths: init containers and sidecars, probes,
 * every kind of environment variable, requests and limits, many volume types, restarts, a
 * terminating and a crash-looping pod, a node with a lease and loaded pods, an RC, a
 * deployment mid-rollout, quotas and limit ranges, binary configmap data, repeated events.
 */
export function richCluster(now: number): SeedCluster {
  const created = ago(now, 4 * D + 3 * H + 30 * M);
  const older = ago(now, 30 * D);
  const base = pod({ name: 'web-7d9c5b7f4-abcde', node: 'node-a', hostIP: '172.18.0.3', ip: '10.244.1.7', created, image: 'nginx:1.27', container: 'web', labels: { app: 'web', tier: 'frontend' }, owner: { kind: 'ReplicaSet', name: 'web-7d9c5b7f4' } });
  const spec = base.spec as Record<string, unknown>;
  const status = base.status as Record<string, unknown>;
  base.metadata.annotations = {
    'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1"}\n',
    'example.com/long': 'x'.repeat(150),
    'example.com/multi': 'first line\nsecond line\n',
    'example.com/short': 'yes',
  };
  spec.priorityClassName = 'high';
  spec.priority = 1000;
  spec.nodeSelector = { 'kubernetes.io/os': 'linux', disktype: 'ssd' };
  spec.readinessGates = [{ conditionType: 'example.com/gate' }, { conditionType: 'example.com/missing' }];
  spec.topologySpreadConstraints = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
    { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  ];
  (spec.tolerations as unknown[]).push({ operator: 'Exists' }, { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' });
  spec.initContainers = [
    { name: 'init-config', image: 'busybox:1.36', command: ['sh', '-c', 'echo init\necho done'], resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' },
    { name: 'proxy', image: 'envoyproxy/envoy:v1.31', restartPolicy: 'Always', ports: [{ containerPort: 15001, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '32Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' },
  ];
  const containers = spec.containers as Record<string, unknown>[];
  Object.assign(containers[0], {
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, hostPort: 19090, protocol: 'TCP' }],
    args: ['--listen=:8080', '--banner=hello\nworld'],
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi', 'ephemeral-storage': '1Gi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    readinessProbe: { tcpSocket: { port: 'http' }, timeoutSeconds: 2, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
    startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 30 },
    env: [
      { name: 'MODE', value: 'production' },
      { name: 'BANNER', value: 'line one\nline two' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'POD_TIER', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['tier']" } } },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'MEM_REQUEST', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'color', optional: true } } },
    ],
    envFrom: [{ configMapRef: { name: 'app-config' } }, { prefix: 'DB_', secretRef: { name: 'db', optional: true } }],
    volumeMounts: [
      { name: 'cache', mountPath: '/var/cache' },
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'data', mountPath: '/data', subPath: 'web' },
      ...(containers[0].volumeMounts as unknown[]),
    ],
  });
  spec.volumes = [
    { name: 'cache', emptyDir: { sizeLimit: '512Mi' } },
    { name: 'scratch', emptyDir: { medium: 'Memory' } },
    { name: 'config', configMap: { name: 'app-config', defaultMode: 420 } },
    { name: 'tls', secret: { secretName: 'web-tls', optional: true } },
    { name: 'logs', hostPath: { path: '/var/log/web', type: 'DirectoryOrCreate' } },
    { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
    { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'web', resource: 'limits.cpu' } }] } },
    { name: 'bundle', projected: { sources: [{ secret: { name: 'web-tls' } }, { configMap: { name: 'app-config' } }] } },
    ...(spec.volumes as unknown[]),
  ];
  status.qosClass = undefined;
  (status.conditions as Record<string, unknown>[]).push({ type: 'example.com/gate', status: 'True' });
  status.initContainerStatuses = [
    { name: 'init-config', state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: created, finishedAt: created, containerID: 'containerd://1n1t' } }, lastState: {}, ready: true, restartCount: 0, image: 'docker.io/library/busybox:1.36', imageID: 'docker.io/library/busybox@sha256:1111', containerID: 'containerd://1n1t', started: false },
    { name: 'proxy', state: { running: { startedAt: created } }, lastState: {}, ready: true, restartCount: 1, image: 'docker.io/envoyproxy/envoy:v1.31', imageID: 'docker.io/envoyproxy/envoy@sha256:2222', containerID: 'containerd://pr0xy', started: true },
  ];
  const cs = (status.containerStatuses as Record<string, unknown>[])[0];
  cs.restartCount = 3;
  cs.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled', message: 'out of memory', startedAt: ago(now, 2 * D), finishedAt: ago(now, 2 * D - 5 * M) } };

  const crashing = pod({ name: 'crashy', node: 'node-a', hostIP: '172.18.0.3', ip: '10.244.1.8', created, image: 'busybox:1.36', container: 'crashy', command: ['false'], ready: false, restarts: 12 });
  ((crashing.status as Record<string, unknown>).containerStatuses as Record<string, unknown>[])[0].state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } };
  const terminating = pod({ name: 'leaving', node: 'node-a', hostIP: '172.18.0.3', ip: '10.244.1.9', created, image: 'nginx:1.27', container: 'nginx' });
  terminating.metadata.deletionTimestamp = ago(now, 2 * D + 2 * H);
  terminating.metadata.deletionGracePeriodSeconds = 30;
  const pending = pod({ name: 'unscheduled', created, image: 'nginx:1.27', container: 'nginx', phase: 'Pending', ready: false });
  const pendingStatus = pending.status as Record<string, unknown>;
  delete pendingStatus.containerStatuses;
  pendingStatus.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }];
  pendingStatus.reason = undefined;
  const loaded = pod({ name: 'batch-1', node: 'node-a', hostIP: '172.18.0.3', ip: '10.244.1.10', created, image: 'busybox:1.36', container: 'batch', resources: { requests: { cpu: '1500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });

  const nodeA = node({ name: 'node-a', created: older, ip: '172.18.0.3', externalIP: '203.0.113.3', roles: ['worker', 'infra'], podCIDR: '10.244.1.0/24', heartbeat: ago(now, 30 * S), unschedulable: true, ready: false,
    taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'dedicated', value: 'web', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] });
  delete ((nodeA.status as Record<string, unknown>).nodeInfo as Record<string, unknown>).kubeProxyVersion;
  const lease: KObject = {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name: 'node-a', namespace: 'kube-node-lease', uid: 'lease-uid', resourceVersion: '77', creationTimestamp: older },
    spec: { holderIdentity: 'node-a', leaseDurationSeconds: 40, renewTime: ago(now, 12 * S).replace('Z', '.123456Z') },
  };

  const rc = {
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: 'default', uid: 'rc-uid', resourceVersion: '88', creationTimestamp: older, labels: { app: 'legacy' } },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'legacy', image: 'httpd:2.4', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] } } },
    status: { replicas: 2, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota exceeded' }] },
  } as KObject;
  const rcPods = ['x1', 'x2'].map((s, i) => pod({ name: `legacy-${s}`, node: 'node-a', created, image: 'httpd:2.4', container: 'legacy', labels: { app: 'legacy' }, owner: { kind: 'ReplicationController', name: 'legacy', uid: 'rc-uid', apiVersion: 'v1' }, phase: i === 0 ? 'Running' : 'Pending', ready: i === 0 }));

  const web = deployment({ name: 'web', created: older, replicas: 3, ready: 2, image: 'nginx:1.27', ports: [{ containerPort: 8080 }] });
  const webOld = replicaSet(deployment({ name: 'web', created: older, replicas: 3, image: 'nginx:1.25' }), '5f6d8c9b7');
  webOld.metadata.ownerReferences![0].uid = web.metadata.uid!;
  (webOld.spec as { replicas: number }).replicas = 0;
  (webOld.status as { replicas: number }).replicas = 0;
  const webNew = replicaSet(web, '7d9c5b7f4');
  webNew.metadata.creationTimestamp = created;
  (webNew.status as Record<string, unknown>).conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', lastTransitionTime: created }];
  (base.metadata.ownerReferences ?? [])[0].uid = webNew.metadata.uid!;

  const ns: KObject = {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: 'retiring', uid: 'ns-uid', resourceVersion: '9', creationTimestamp: older, labels: { 'kubernetes.io/metadata.name': 'retiring' }, annotations: { owner: 'team-a' }, deletionTimestamp: ago(now, 1 * D) },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Terminating', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: ago(now, 1 * D), reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' }] },
  };
  const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blobs', namespace: 'default', uid: 'cm-uid', resourceVersion: '5', creationTimestamp: older, labels: { app: 'web' } }, data: { 'a.conf': 'key=value\n' }, binaryData: { 'logo.png': Buffer.from('not really a png').toString('base64') } };

  const events = [
    event({ object: base, reason: 'BackOff', type: 'Warning', message: 'Back-off restarting failed container web in pod web-7d9c5b7f4-abcde_default', first: ago(now, 3 * D), last: ago(now, 1 * D + 2 * H), count: 42, host: 'node-a', fieldPath: 'spec.containers{web}' }),
    event({ object: base, reason: 'Killing', message: 'Container web failed liveness probe, will be restarted', first: ago(now, 2 * D + 1 * H), host: 'node-a' }),
    { ...event({ object: base, reason: 'Unhealthy', type: 'Warning', message: 'Readiness probe failed: dial tcp 10.244.1.7:8080: connect: connection refused', first: ago(now, 2 * D), component: '' }),
      series: { count: 7, lastObservedTime: ago(now, 1 * D).replace('Z', '.000001Z') }, eventTime: ago(now, 2 * D).replace('Z', '.000001Z'), firstTimestamp: null, lastTimestamp: null, count: undefined, reportingComponent: 'kubelet' },
    event({ object: nodeA, namespace: 'default', reason: 'NodeNotReady', type: 'Normal', message: 'Node node-a status is now: NodeNotReady', component: 'node-controller', first: ago(now, 5 * D) }),
    event({ object: rc, reason: 'FailedCreate', type: 'Warning', message: 'Error creating: pods "legacy-" is forbidden: exceeded quota', component: 'replication-controller', first: ago(now, 6 * D), last: ago(now, 2 * D), count: 5 }),
  ];
  return cluster([base, crashing, terminating, pending, loaded, nodeA, lease, rc, ...rcPods, web, webOld, webNew, ns, cm, ...events]);
}

/** The raw lists a namespace describe reads that podlab's resource table does not serve: quotas and limit ranges. */
export function quotaLists(now: number): Record<string, unknown> {
  const created = ago(now, 10 * D);
  return {
    '/api/v1/namespaces/retiring/resourcequotas': { kind: 'ResourceQuotaList', apiVersion: 'v1', metadata: {}, items: [
      { metadata: { name: 'compute', namespace: 'retiring', creationTimestamp: created }, spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '10' } }, status: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '10' }, used: { 'requests.cpu': '1500m', 'requests.memory': '1536Mi', pods: '3' } } },
      { metadata: { name: 'best-effort', namespace: 'retiring', creationTimestamp: created }, spec: { hard: { pods: '5' }, scopes: ['BestEffort'] }, status: { hard: { pods: '5' }, used: { pods: '0' } } },
    ] },
    '/api/v1/namespaces/retiring/limitranges': { kind: 'LimitRangeList', apiVersion: 'v1', metadata: {}, items: [
      { metadata: { name: 'limits', namespace: 'retiring', creationTimestamp: created }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, default: { cpu: '500m' }, defaultRequest: { cpu: '250m' } }] } },
    ] },
    '/api/v1/namespaces/default/resourcequotas': { kind: 'ResourceQuotaList', apiVersion: 'v1', metadata: {}, items: [] },
    '/api/v1/namespaces/default/limitranges': { kind: 'LimitRangeList', apiVersion: 'v1', metadata: {}, items: [] },
  };
}
