/**
 * What the server fills in on create, kind by kind, as `kubectl create --dry-run=server -o yaml`
 * shows it against kube-apiserver 1.32. Each expectation names the upstream code it comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.ts';
import { R, setup } from './test-support.ts';

/** The object without what the registry itself adds (uid, timestamps, resourceVersion). */
function body(o: KObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
  const { uid: _u, creationTimestamp: _c, resourceVersion: _r, ...md } = metadata;
  return { metadata: md, ...rest };
}

// SetDefaults_PodSpec, SetDefaults_Container (defaults.go), ContainerPort.protocol +default=TCP.
const CONTAINER_DEFAULTS = { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} };
const TEMPLATE_SPEC_DEFAULTS = { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' };

test('a pod gets the API defaults, the admission plugins\' service account volume, priority and tolerations, and Pending status', () => {
  const reg = setup();
  const p = reg.create(R.pods, 'default', { metadata: { name: 'web', labels: { run: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
  const vol = (p.spec as { volumes: { name: string }[] }).volumes[0].name;
  assert.match(vol, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(body(p), {
    metadata: { name: 'web', namespace: 'default', labels: { run: 'web' } },
    spec: {
      containers: [{
        name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }],
        // no tag means :latest, which defaults imagePullPolicy to Always (SetDefaults_Container)
        ...CONTAINER_DEFAULTS, imagePullPolicy: 'Always',
        // ServiceAccount admission: the token volume mounted read-only in every container
        volumeMounts: [{ name: vol, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
      }],
      ...TEMPLATE_SPEC_DEFAULTS,
      // ServiceAccount admission (plugin/pkg/admission/serviceaccount): default account, projected token
      serviceAccountName: 'default', serviceAccount: 'default',
      volumes: [{
        name: vol,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      }],
      // Priority admission without a priority class
      priority: 0, preemptionPolicy: 'PreemptLowerPriority',
      // SetDefaults_Pod
      enableServiceLinks: true,
      // DefaultTolerationSeconds admission
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    // podStrategy.PrepareForCreate
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  });
  // Pods have no metadata.generation in 1.32.
  assert.equal(p.metadata.generation, undefined);
});

test('a pod\'s status sent on create is replaced, and the QoS class follows requests and limits', () => {
  const reg = setup();
  const mk = (name: string, resources: unknown): KObject => reg.create(R.pods, 'default', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', resources }] }, status: { phase: 'Running', podIP: '1.2.3.4' } });
  const g = mk('g', { limits: { cpu: '500m', memory: '128Mi' } });
  assert.deepEqual(g.status, { phase: 'Pending', qosClass: 'Guaranteed' });
  // SetDefaults_Pod copies limits into missing requests
  assert.deepEqual((g.spec as { containers: { resources: unknown }[] }).containers[0].resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  assert.equal((mk('b', { requests: { cpu: '100m' } }).status as { qosClass: string }).qosClass, 'Burstable');
  assert.equal((mk('e', {}).status as { qosClass: string }).qosClass, 'BestEffort');
  // a tagged image defaults to IfNotPresent
  assert.equal((g.spec as { containers: { imagePullPolicy: string }[] }).containers[0].imagePullPolicy, 'IfNotPresent');
});

test('a pod with automountServiceAccountToken false gets no token volume, and a system priority class resolves', () => {
  const reg = setup();
  const p = reg.create(R.pods, 'kube-system', { metadata: { name: 'dns' }, spec: { automountServiceAccountToken: false, priorityClassName: 'system-cluster-critical', containers: [{ name: 'c', image: 'coredns:1.11' }] } });
  const s = p.spec as Record<string, unknown>;
  assert.equal(s.volumes, undefined);
  assert.equal(s.priority, 2000000000);
  assert.equal(s.serviceAccountName, 'default');
});

test('a ClusterIP service gets sessionAffinity, targetPort, protocol, traffic policies, IP families and a cluster IP', () => {
  const reg = setup();
  const s = reg.create(R.services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  const spec = s.spec as Record<string, unknown>;
  assert.match(String(spec.clusterIP), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
  assert.deepEqual(body(s), {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { app: 'web' },
      // SetDefaults_Service
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
      // initIPFamilyFields and the IP allocator (pkg/registry/core/service/storage/alloc.go)
      ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], clusterIP: spec.clusterIP, clusterIPs: [spec.clusterIP],
    },
    // svcStrategy.PrepareForCreate resets status; LoadBalancerStatus is a struct
    status: { loadBalancer: {} },
  });
  assert.equal(s.metadata.generation, undefined);
});

test('a LoadBalancer service gets externalTrafficPolicy, allocateLoadBalancerNodePorts and a node port, status pending', () => {
  const reg = setup();
  const s = reg.create(R.services, 'default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });
  const spec = s.spec as Record<string, unknown>;
  assert.equal(spec.externalTrafficPolicy, 'Cluster');
  assert.equal(spec.allocateLoadBalancerNodePorts, true);
  const [port] = spec.ports as { nodePort: number; targetPort: unknown }[];
  assert.equal(port.targetPort, 'http');
  assert.ok(port.nodePort >= 30000 && port.nodePort <= 32767);
  assert.deepEqual(s.status, { loadBalancer: {} });
});

test('session affinity ClientIP defaults its timeout to 10800 seconds', () => {
  const reg = setup();
  const s = reg.create(R.services, 'default', { metadata: { name: 'sticky' }, spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
  assert.deepEqual((s.spec as Record<string, unknown>).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
});

test('a headless service without selector is RequireDualStack with both families, with selector SingleStack', () => {
  const reg = setup();
  const a = reg.create(R.services, 'default', { metadata: { name: 'a' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
  assert.deepEqual(a.spec, { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
  const b = reg.create(R.services, 'default', { metadata: { name: 'b' }, spec: { clusterIP: 'None', selector: { app: 'b' } } });
  assert.equal((b.spec as Record<string, unknown>).ipFamilyPolicy, 'SingleStack');
  assert.deepEqual((b.spec as Record<string, unknown>).ipFamilies, ['IPv4']);
});

test('an ExternalName service gets no cluster IP, IP families or internal traffic policy', () => {
  const reg = setup();
  const s = reg.create(R.services, 'default', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  assert.deepEqual(s.spec, { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
});

test('a deployment gets replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600 and template defaults', () => {
  const reg = setup();
  const d = reg.create(R.deployments, 'default', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
  assert.deepEqual(body(d), {
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: {
      // SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go)
      replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      selector: { matchLabels: { app: 'web' } },
      template: {
        // an unset metav1.Time marshals as null
        metadata: { labels: { app: 'web' }, creationTimestamp: null },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ...CONTAINER_DEFAULTS }], ...TEMPLATE_SPEC_DEFAULTS },
      },
    },
    // deploymentStrategy.PrepareForCreate
    status: {},
  });
});

test('a replicaset gets replicas 1 and status replicas 0; a replication controller takes selector and labels from its template', () => {
  const reg = setup();
  const rs = reg.create(R.replicasets, 'default', { metadata: { name: 'rs' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } } });
  assert.equal((rs.spec as Record<string, unknown>).replicas, 1);
  assert.deepEqual(rs.status, { replicas: 0 });
  const rc = reg.create(R.replicationcontrollers, 'default', { metadata: { name: 'busybox' }, spec: { replicas: 2, template: { metadata: { labels: { app: 'busybox' } }, spec: { containers: [{ name: 'busybox', image: 'busybox' }] } } } });
  // SetDefaults_ReplicationController
  assert.deepEqual((rc.spec as Record<string, unknown>).selector, { app: 'busybox' });
  assert.deepEqual(rc.metadata.labels, { app: 'busybox' });
  assert.equal((rc.spec as Record<string, unknown>).replicas, 2);
  assert.deepEqual(rc.status, { replicas: 0 });
  assert.equal(rc.metadata.generation, 1);
});

test('a daemonset gets RollingUpdate maxUnavailable 1 maxSurge 0, revisionHistoryLimit 10 and the template generation annotation', () => {
  const reg = setup();
  const ds = reg.create(R.daemonsets, 'kube-system', { metadata: { name: 'proxy' }, spec: { selector: { matchLabels: { k: 'p' } }, template: { metadata: { labels: { k: 'p' } }, spec: { containers: [{ name: 'c', image: 'kube-proxy:v1.32.0' }] } } } });
  const spec = ds.spec as Record<string, unknown>;
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.deepEqual(ds.metadata.annotations, { 'deprecated.daemonset.template.generation': '1' });
  assert.deepEqual(ds.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  const cur = reg.get(R.daemonsets, 'kube-system', 'proxy');
  (((cur.spec as Record<string, unknown>).template as Record<string, unknown>).spec as { containers: { image: string }[] }).containers[0].image = 'kube-proxy:v1.32.1';
  const next = reg.update(R.daemonsets, 'kube-system', 'proxy', cur);
  assert.equal(next.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
  assert.equal(next.metadata.generation, 2);
});

test('a namespace gets phase Active, the kubernetes finalizer and its name label', () => {
  const reg = setup();
  const ns = reg.create(R.namespaces, undefined, { metadata: { name: 'team-a' } });
  assert.deepEqual(body(ns), { metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
});

test('a secret gets type Opaque and stringData folded into data; endpoints and slices get protocol TCP', () => {
  const reg = setup();
  const s = reg.create(R.secrets, 'default', { metadata: { name: 's' }, stringData: { password: 'hunter2' }, data: { user: 'YWRtaW4=' } });
  assert.deepEqual(body(s), { metadata: { name: 's', namespace: 'default' }, data: { user: 'YWRtaW4=', password: 'aHVudGVyMg==' }, type: 'Opaque' });
  const ep = reg.create(R.endpoints, 'default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.2' }], ports: [{ port: 80 }] }] });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '10.244.1.2' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  const es = reg.create(R.endpointslices, 'default', { metadata: { name: 'web-abc' }, addressType: 'IPv4', ports: [{ port: 80 }] });
  // discovery/v1 SetDefaults_EndpointPort; endpoints has no omitempty
  assert.deepEqual(es.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.equal(es.endpoints, null);
  assert.equal(es.metadata.generation, 1);
});

test('a node keeps the status it registers with, allocatable defaulting to capacity, and Go\'s always-present structs', () => {
  const reg = setup();
  const n = reg.create(R.nodes, undefined, { metadata: { name: 'kind-worker' }, spec: { podCIDR: '10.244.1.0/24' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' } } });
  assert.deepEqual(n.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  const st = n.status as Record<string, unknown>;
  assert.deepEqual(st.allocatable, { cpu: '8', memory: '16Gi', pods: '110' });
  assert.deepEqual(st.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
  assert.equal((st.nodeInfo as Record<string, string>).kubeletVersion, '');
  assert.equal(n.metadata.generation, undefined);
});

test('an event gets the fields Go always serializes', () => {
  const reg = setup();
  const e = reg.create(R.events, 'default', { metadata: { name: 'web.17f' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Scheduled', message: 'ok', type: 'Normal' });
  assert.equal(e.eventTime, null);
  assert.equal(e.firstTimestamp, null);
  assert.deepEqual(e.source, {});
  assert.equal(e.reportingComponent, '');
});

test('a configmap and a lease are stored as sent', () => {
  const reg = setup();
  const cm = reg.create(R.configmaps, 'default', { metadata: { name: 'cfg' }, data: { 'app.conf': 'x=1' } });
  assert.deepEqual(body(cm), { metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.conf': 'x=1' } });
  const l = reg.create(R.leases, 'kube-system', { metadata: { name: 'kube-scheduler' }, spec: { holderIdentity: 'x', leaseDurationSeconds: 15 } });
  assert.deepEqual(l.spec, { holderIdentity: 'x', leaseDurationSeconds: 15 });
});
