// Unit tests of the server-side Table cells and columns, resource by resource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/object.ts';
import { resolveResourceName, type ResourceInfo } from '../api/resources.ts';
import { tableFor } from './table.ts';

const now = Date.parse('2026-01-15T12:00:00Z');
const R = (n: string): ResourceInfo => resolveResourceName(n)!;
const created = '2026-01-15T11:00:00Z';

function podWith(status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', creationTimestamp: created, ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec }, status,
  };
}

const cells = (r: ResourceInfo, o: KObject): unknown[] => tableFor(r, [o], { now }).rows[0].cells;

test('pod rows count ready containers and sum restarts, naming the age of the last restart', () => {
  const p = podWith({
    phase: 'Running', podIPs: [{ ip: '10.244.1.5' }],
    containerStatuses: [
      { name: 'app', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-15T11:55:00Z' } } },
      { name: 'side', ready: false, restartCount: 1, state: { running: {} } },
    ],
  }, { containers: [{ name: 'app' }, { name: 'side' }], nodeName: 'w1' });
  assert.deepEqual(cells(R('pods'), p), ['p', '1/2', 'Running', '3 (5m ago)', '60m', '10.244.1.5', 'w1', '<none>', '<none>']);
});

test('pod STATUS shows a waiting reason, init progress, exit codes and Terminating as upstream does', () => {
  const waiting = podWith({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
  assert.equal(cells(R('pods'), waiting)[2], 'CrashLoopBackOff');
  const init = podWith({ phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { running: {} } }] }, { initContainers: [{ name: 'init' }, { name: 'init2' }] });
  assert.equal(cells(R('pods'), init)[2], 'Init:0/2');
  const initFailed = podWith({ phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: { terminated: { exitCode: 3 } } }] }, { initContainers: [{ name: 'init' }] });
  assert.equal(cells(R('pods'), initFailed)[2], 'Init:ExitCode:3');
  const signalled = podWith({ phase: 'Failed', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] });
  assert.equal(cells(R('pods'), signalled)[2], 'Signal:9');
  const deleting = podWith({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] }, {}, { deletionTimestamp: '2026-01-15T11:59:00Z' });
  assert.equal(cells(R('pods'), deleting)[2], 'Terminating');
  const gated = podWith({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(cells(R('pods'), gated)[2], 'SchedulingGated');
});

test('a sidecar (restartable init container) counts toward READY and its restarts are kept', () => {
  const p = podWith({
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
  }, { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] });
  const c = cells(R('pods'), p);
  assert.equal(c[1], '2/2');
  assert.equal(c[3], '1');
});

test('a Completed pod with a container still running shows Running again, and finished pods carry a Completed row condition', () => {
  const p = podWith({
    phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'b', ready: true, restartCount: 0, state: { running: {} } },
    ],
  }, { containers: [{ name: 'a' }, { name: 'b' }] });
  assert.equal(cells(R('pods'), p)[2], 'Running');
  const done = podWith({ phase: 'Succeeded', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  const row = tableFor(R('pods'), [done], { now }).rows[0];
  assert.equal(row.cells[2], 'Completed');
  assert.deepEqual(row.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
});

test('service cells: headless None, LoadBalancer <pending> then its ingress, ExternalName, node ports and sorted selectors', () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', creationTimestamp: created }, spec, status });
  assert.deepEqual(cells(R('svc'), svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }], selector: { b: '2', a: '1' } })),
    ['s', 'ClusterIP', 'None', '<none>', '80/TCP', '60m', 'a=1,b=2']);
  assert.equal(cells(R('svc'), svc({ type: 'LoadBalancer', clusterIPs: ['10.0.0.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }))[3], '<pending>');
  assert.equal(cells(R('svc'), svc({ type: 'LoadBalancer', clusterIPs: ['10.0.0.1'], externalIPs: ['1.2.3.4'] }, { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { hostname: 'lb.example' }] } }))[3], '5.6.7.8,lb.example,1.2.3.4');
  const ext = cells(R('svc'), svc({ type: 'ExternalName', externalName: 'db.example.com' }));
  assert.deepEqual(ext.slice(2, 5), ['<none>', 'db.example.com', '<none>']);
  assert.equal(cells(R('svc'), svc({ type: 'NodePort', clusterIPs: ['10.106.133.16'], ports: [{ port: 31001, nodePort: 31382, protocol: 'TCP' }] }))[4], '31001:31382/TCP');
});

test('endpoints show at most three ip:port pairs then "+ N more...", and <none> without subsets', () => {
  const ep = (subsets?: unknown[]): KObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e', creationTimestamp: created }, subsets });
  const addrs = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip }));
  assert.equal(cells(R('ep'), ep([{ addresses: addrs, ports: [{ port: 80 }, { port: 443 }] }]))[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...');
  assert.equal(cells(R('ep'), ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]))[1], '[fd00::1]:80');
  assert.equal(cells(R('ep'), ep([{ addresses: [{ ip: '10.0.0.9' }] }]))[1], '10.0.0.9');
  assert.equal(cells(R('ep'), ep())[1], '<none>');
});

test('endpointslice cells list three ports and addresses at most and say <unset> when empty', () => {
  const eps: KObject = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'x', creationTimestamp: created }, addressType: 'IPv4',
    ports: [{ port: 80 }, { name: 'named' }, {}, { port: 90 }], endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4'] }],
  };
  assert.deepEqual(cells(R('endpointslices'), eps).slice(1, 4), ['IPv4', '80,named,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...']);
  assert.deepEqual(cells(R('endpointslices'), { ...eps, ports: [], endpoints: [] }).slice(2, 4), ['<unset>', '<unset>']);
});

test('node rows: Ready or NotReady plus SchedulingDisabled, roles sorted from labels, <unknown> for missing versions', () => {
  const n: KObject = {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: created, labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' } },
    spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }], addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], nodeInfo: { kubeletVersion: 'v1.32.0' } },
  };
  assert.deepEqual(cells(R('nodes'), n), ['n1', 'NotReady,SchedulingDisabled', 'control-plane,edge,worker', '60m', 'v1.32.0', '172.18.0.2', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.equal(cells(R('nodes'), { ...n, spec: {}, status: {} })[1], 'Unknown');
});

test('workload rows carry integer cells, containers, images and selectors', () => {
  const tpl = { spec: { containers: [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:2' }] } };
  const d: KObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', creationTimestamp: created }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: tpl }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
  assert.deepEqual(cells(R('deploy'), d), ['web', '2/3', 3, 2, '60m', 'a,b', 'img:1,img:2', 'app=web']);
  const rs: KObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', creationTimestamp: created }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, template: tpl }, status: { replicas: 3 } };
  assert.deepEqual(cells(R('rs'), rs), ['web-1', 3, 3, 0, '60m', 'a,b', 'img:1,img:2', 'app=web,tier in (a,b)']);
  const rc: KObject = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'old', creationTimestamp: created }, spec: { replicas: 1, selector: { app: 'old' }, template: tpl }, status: { replicas: 1, readyReplicas: 1 } };
  assert.deepEqual(cells(R('rc'), rc), ['old', 1, 1, 1, '60m', 'a,b', 'img:1,img:2', 'app=old']);
  const ds: KObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'proxy', creationTimestamp: created }, spec: { selector: { matchLabels: { k: 'v' } }, template: tpl }, status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberAvailable: 3 } };
  assert.deepEqual(cells(R('ds'), ds), ['proxy', 4, 4, 3, 4, 3, '<none>', '60m', 'a,b', 'img:1,img:2', 'k=v']);
});

test('event rows fall back from lastTimestamp to firstTimestamp and count singletons as 1', () => {
  const e: KObject = {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default', creationTimestamp: created },
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{web}' }, reason: 'Pulled', message: ' done \n', type: 'Normal',
    firstTimestamp: '2026-01-15T11:58:00Z', source: { component: 'kubelet', host: 'w1' },
  };
  assert.deepEqual(cells(R('events'), e), ['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{web}', 'kubelet, w1', 'done', '2m', 1, 'web.1']);
});

test('config rows count data keys and secrets', () => {
  assert.equal(cells(R('cm'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: created }, data: { a: '1' }, binaryData: { b: 'AA==' } })[1], 2);
  assert.deepEqual(cells(R('secrets'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: created }, type: 'Opaque', data: { a: 'MQ==' } }).slice(1, 3), ['Opaque', 1]);
  assert.equal(cells(R('sa'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', creationTimestamp: created } })[1], 0);
});

test('a Table carries the full column definitions and PartialObjectMetadata rows by default', () => {
  const p = podWith({ phase: 'Running' }, {}, { labels: { app: 'web' }, uid: 'u1' });
  const t = tableFor(R('pods'), [p], { now, resourceVersion: '42' });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '42' });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Status', 'string', '', 0], ['Restarts', 'string', '', 0], ['Age', 'string', '', 0],
    ['IP', 'string', '', 1], ['Node', 'string', '', 1], ['Nominated Node', 'string', '', 1], ['Readiness Gates', 'string', '', 1],
  ]);
  assert.match(t.columnDefinitions[0].description ?? '', /^Name must be unique within a namespace/);
  assert.deepEqual(t.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
  assert.deepEqual(tableFor(R('pods'), [p], { now, includeObject: 'Object' }).rows[0].object, p);
  assert.equal(tableFor(R('pods'), [p], { now, includeObject: 'None' }).rows[0].object, undefined);
});

test('a resource without an upstream printer gets the default Name / Created At table', () => {
  const custom: ResourceInfo = { ...R('cm'), kind: 'Widget', plural: 'widgets', group: 'example.com' };
  const t = tableFor(custom, [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: created } }], { now });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
  assert.deepEqual(t.rows[0].cells, ['w', '2026-01-15T11:00:00Z']);
});
