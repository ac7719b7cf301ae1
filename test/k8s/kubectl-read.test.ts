// The real kubectl (1.32) reading a podlab cluster through the API server: version, discovery,
// cluster-info, get in every output form, get -w, describe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { resourceByPlural } from '../../src/k8s/api/resources.ts';
import { noKubectl } from '../support/kubectl.ts';
import { spawnKubectl, startCluster, type TestCluster } from './cluster.ts';

const skip = noKubectl(32);
let c: TestCluster;

const POD = (name: string, ns: string, app: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${app}
spec:
  containers:
  - name: ${name}
    image: nginx:1.27
    ports:
    - containerPort: 80
      protocol: TCP
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  type: ClusterIP
  clusterIP: 10.96.100.10
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    protocol: TCP
`;

before(async () => {
  if (skip) return;
  c = await startCluster();
  const f = c.file('fixtures.yaml', [POD('web', 'default', 'web'), POD('db', 'kube-system', 'db'), SERVICE].join('---\n'));
  const r = await c.kubectl(['apply', '-f', f]);
  assert.equal(r.code, 0, r.stderr);
  // AGE columns are computed against the server's clock: 35 minutes later.
  c.advance(35 * 60_000);
});

after(async () => {
  if (c) await c.close();
});

test('kubectl version prints the server version podlab reports', { skip }, async () => {
  const r = await c.kubectl(['version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Client Version: v1\.32\.\d+\nKustomize Version: v[\d.]+\nServer Version: v1\.32\.0\n$/);
  assert.equal(r.stderr, '');
});

test('kubectl api-resources lists podlab resources with short names and groups', { skip }, async () => {
  const r = await c.kubectl(['api-resources', '--no-headers']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.split(/\s+/).join(' '));
  for (const want of ['pods po v1 true Pod', 'services svc v1 true Service', 'endpoints ep v1 true Endpoints', 'nodes no v1 false Node', 'namespaces ns v1 false Namespace', 'deployments deploy apps/v1 true Deployment', 'replicasets rs apps/v1 true ReplicaSet', 'replicationcontrollers rc v1 true ReplicationController', 'endpointslices discovery.k8s.io/v1 true EndpointSlice']) {
    assert.ok(lines.includes(want), `${want} in\n${r.stdout}`);
  }
});

test('kubectl cluster-info names the control plane URL', { skip }, async () => {
  const r = await c.kubectl(['cluster-info']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `Kubernetes control plane is running at ${c.server.url}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
});

test('kubectl get pods prints the server Table with READY, STATUS, RESTARTS and AGE', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAME   READY   STATUS    RESTARTS   AGE',
    'web    1/1     Running   0          35m',
    '',
  ].join('\n'));
});

test('kubectl get pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods', '-o', 'wide']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAME   READY   STATUS    RESTARTS   AGE   IP           NODE            NOMINATED NODE   READINESS GATES',
    'web    1/1     Running   0          35m   10.244.1.2   podlab-worker   <none>           <none>',
    '',
  ].join('\n'));
});

test('kubectl get pods -A fills NAMESPACE from the rows\' object metadata', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods', '-A']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAMESPACE     NAME   READY   STATUS    RESTARTS   AGE',
    'default       web    1/1     Running   0          35m',
    'kube-system   db     1/1     Running   0          35m',
    '',
  ].join('\n'));
});

test('kubectl get pods --show-labels and -L read labels from the rows', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods', '--show-labels', '-L', 'app']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAME   READY   STATUS    RESTARTS   AGE   APP   LABELS',
    'web    1/1     Running   0          35m   web   app=web',
    '',
  ].join('\n'));
});

test('kubectl get svc -o wide prints TYPE, CLUSTER-IP, PORT(S) and SELECTOR', { skip }, async () => {
  const r = await c.kubectl(['get', 'svc', '-l', 'app=web', '-o', 'wide']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE   SELECTOR',
    'web    ClusterIP   10.96.100.10   <none>        80/TCP    35m   app=web',
    '',
  ].join('\n'));
});

test('kubectl get pods,svc,ep prints one block per type with kind prefixes', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods,svc,ep', '-l', 'app=web']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAME      READY   STATUS    RESTARTS   AGE',
    'pod/web   1/1     Running   0          35m',
    '',
    'NAME          TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE',
    'service/web   ClusterIP   10.96.100.10   <none>        80/TCP    35m',
    '',
    'NAME            ENDPOINTS       AGE',
    'endpoints/web   10.244.1.2:80   35m',
    '',
  ].join('\n'));
});

test('kubectl get nodes -o wide shows roles, addresses and node info', { skip }, async () => {
  const r = await c.kubectl(['get', 'nodes', '-o', 'wide']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'NAME                   STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME',
    'podlab-control-plane   Ready    control-plane   36m   v1.32.0   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0            containerd://1.7.18',
    'podlab-worker          Ready    <none>          36m   v1.32.0   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0            containerd://1.7.18',
    '',
  ].join('\n'));
});

test('kubectl get pod -o name, -o jsonpath and -o custom-columns read the object', { skip }, async () => {
  assert.equal((await c.kubectl(['get', 'pod', 'web', '-o', 'name'])).stdout, 'pod/web\n');
  assert.equal((await c.kubectl(['get', 'pods', '-o', 'name', '-A'])).stdout, 'pod/web\npod/db\n');
  assert.equal((await c.kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}'])).stdout, '10.244.1.2');
  assert.equal((await c.kubectl(['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName'])).stdout, 'NAME   NODE\nweb    podlab-worker\n');
});

test('kubectl get pods -o yaml wraps the items in a List with an empty resourceVersion', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  const doc = parseYaml(r.stdout) as { apiVersion: string; kind: string; metadata: unknown; items: { kind: string; metadata: { name: string; uid: string } }[] };
  assert.equal(doc.kind, 'List');
  assert.equal(doc.apiVersion, 'v1');
  assert.deepEqual(doc.metadata, { resourceVersion: '' });
  assert.deepEqual(doc.items.map((i) => `${i.kind}/${i.metadata.name}`), ['Pod/web']);
  assert.match(doc.items[0].metadata.uid, /^[0-9a-f-]{36}$/);
});

test('kubectl get pod -o json prints the object the server stored', { skip }, async () => {
  const r = await c.kubectl(['get', 'pod', 'web', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const pod = JSON.parse(r.stdout) as { kind: string; apiVersion: string; metadata: { name: string; namespace: string; creationTimestamp: string }; status: { phase: string } };
  assert.equal(pod.kind, 'Pod');
  assert.equal(pod.apiVersion, 'v1');
  assert.equal(pod.metadata.namespace, 'default');
  assert.equal(pod.metadata.creationTimestamp, '2026-11-23T10:01:00Z');
  assert.equal(pod.status.phase, 'Running');
});

test('kubectl get with no match says so on stderr and exits 0', { skip }, async () => {
  const r = await c.kubectl(['get', 'pods', '-n', 'kube-public']);
  assert.deepEqual(r, { stdout: '', stderr: 'No resources found in kube-public namespace.\n', code: 0 });
  const sel = await c.kubectl(['get', 'pods', '-l', 'app=nothing']);
  assert.deepEqual(sel, { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
});

test('kubectl get pods -w prints the list, then a row per change, until killed', { skip }, async () => {
  const w = spawnKubectl(c, ['get', 'pods', '-w']);
  try {
    await w.waitFor(/^web .*\n$/m);
    // A new pod while watching: the fake kubelet runs it in the same write, so its rows follow.
    c.cp.registry.create(resourceByPlural('', 'pods')!, 'default', { metadata: { name: 'late', labels: { app: 'late' } }, spec: { containers: [{ name: 'late', image: 'busybox' }] } });
    c.cp.settle();
    await w.waitFor(/^late\s+1\/1\s+Running\s+0\s+0s\n/m);
  } finally {
    await w.stop();
  }
  // The list, then the new pod as each write left it: created (Pending), bound, running.
  const lines = w.stdout().split('\n');
  assert.deepEqual(lines.slice(0, 3), [
    'NAME   READY   STATUS    RESTARTS   AGE',
    'web    1/1     Running   0          35m',
    'late   0/1     Pending   0          0s',
  ]);
  assert.equal(lines.filter((l) => l.startsWith('late')).pop(), 'late   1/1     Running   0          0s');
  assert.equal(w.stderr(), '');
  const del = await c.kubectl(['delete', 'pod', 'late']);
  assert.equal(del.stdout, 'pod "late" deleted\n');
});

test('kubectl get pods -w with --request-timeout ends by itself with exit 0', { skip }, async () => {
  const r = await c.kubectl(['get', 'pod', 'web', '-w', '--request-timeout=1s']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          35m\n');
});

/** describe prints event ages against the wall clock, not podlab's: the events section is left out of exact comparisons. */
function beforeEvents(text: string): string {
  return text.slice(0, text.lastIndexOf('Events:'));
}

test('kubectl describe pod shows node, IPs, containers, volumes and conditions', { skip }, async () => {
  const r = await c.kubectl(['describe', 'pod', 'web']);
  assert.equal(r.code, 0, r.stderr);
  // The service account token volume has a generated suffix.
  assert.equal(beforeEvents(r.stdout).replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-XXXXX'), [
    'Name:             web',
    'Namespace:        default',
    'Priority:         0',
    'Service Account:  default',
    'Node:             podlab-worker/172.18.0.3',
    'Start Time:       Mon, 23 Nov 2026 10:01:00 +0000',
    'Labels:           app=web',
    'Annotations:      <none>',
    'Status:           Running',
    'IP:               10.244.1.2',
    'IPs:',
    '  IP:  10.244.1.2',
    'Containers:',
    '  web:',
    '    Container ID:   containerd://web',
    '    Image:          nginx:1.27',
    '    Image ID:       ',
    '    Port:           80/TCP',
    '    Host Port:      0/TCP',
    '    State:          Running',
    '      Started:      Mon, 23 Nov 2026 10:01:00 +0000',
    '    Ready:          True',
    '    Restart Count:  0',
    '    Environment:    <none>',
    '    Mounts:',
    '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-XXXXX (ro)',
    'Conditions:',
    '  Type                        Status',
    '  PodReadyToStartContainers   True ',
    '  Initialized                 True ',
    '  Ready                       True ',
    '  ContainersReady             True ',
    '  PodScheduled                True ',
    'Volumes:',
    '  kube-api-access-XXXXX:',
    '    Type:                    Projected (a volume that contains injected data from multiple sources)',
    '    TokenExpirationSeconds:  3607',
    '    ConfigMapName:           kube-root-ca.crt',
    '    ConfigMapOptional:       <nil>',
    '    DownwardAPI:             true',
    'QoS Class:                   BestEffort',
    'Node-Selectors:              <none>',
    'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
    '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
    '',
  ].join('\n'));
  assert.match(r.stdout, /\n {2}Normal {2}Scheduled +\S+ +default-scheduler {2}Successfully assigned default\/web to podlab-worker\n$/);
});

test('kubectl describe node shows taints, conditions, addresses, capacity and the pods on it', { skip }, async () => {
  const r = await c.kubectl(['describe', 'node', 'podlab-worker']);
  assert.equal(r.code, 0, r.stderr);
  const head = r.stdout.slice(0, r.stdout.indexOf('Non-terminated Pods:'));
  assert.equal(head, [
    'Name:               podlab-worker',
    'Roles:              <none>',
    'Labels:             kubernetes.io/arch=amd64',
    '                    kubernetes.io/hostname=podlab-worker',
    '                    kubernetes.io/os=linux',
    'Annotations:        <none>',
    'CreationTimestamp:  Mon, 23 Nov 2026 10:00:00 +0000',
    'Taints:             <none>',
    'Unschedulable:      false',
    'Lease:              Failed to get lease: leases.coordination.k8s.io "podlab-worker" not found',
    'Conditions:',
    '  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message',
    '  ----    ------  -----------------                 ------------------                ------         -------',
    '  Ready   True    Mon, 23 Nov 2026 10:00:00 +0000   Mon, 23 Nov 2026 10:00:00 +0000   KubeletReady   kubelet is posting ready status',
    'Addresses:',
    '  InternalIP:  172.18.0.3',
    '  Hostname:    podlab-worker',
    'Capacity:',
    '  cpu:                8',
    '  ephemeral-storage:  100Gi',
    '  memory:             16Gi',
    '  pods:               110',
    'Allocatable:',
    '  cpu:                8',
    '  ephemeral-storage:  100Gi',
    '  memory:             16Gi',
    '  pods:               110',
    'System Info:',
    '  Machine ID:                 ',
    '  System UUID:                ',
    '  Boot ID:                    ',
    '  Kernel Version:             6.1.0',
    '  OS Image:                   Debian GNU/Linux 12 (bookworm)',
    '  Operating System:           linux',
    '  Architecture:               amd64',
    '  Container Runtime Version:  containerd://1.7.18',
    '  Kubelet Version:            v1.32.0',
    '  Kube-Proxy Version:         v1.32.0',
    'PodCIDR:                      10.244.1.0/24',
    'PodCIDRs:                     10.244.1.0/24',
    '',
  ].join('\n'));
  // The pods' ages are computed by kubectl against the wall clock.
  assert.match(r.stdout, /\nNon-terminated Pods: {10}\(2 in total\)\n {2}Namespace {19}Name {4}CPU Requests {2}CPU Limits {2}Memory Requests {2}Memory Limits {2}Age\n/);
  assert.match(r.stdout, /\n {2}default {21}web {5}0 \(0%\) {8}0 \(0%\) {6}0 \(0%\) {11}0 \(0%\) {9}\S+\n {2}kube-system {17}db {6}0 \(0%\)/);
});

test('kubectl describe svc shows selector, type, IP families, ports and endpoints from the EndpointSlice', { skip }, async () => {
  const r = await c.kubectl(['describe', 'svc', 'web']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'Name:                     web',
    'Namespace:                default',
    'Labels:                   app=web',
    'Annotations:              <none>',
    'Selector:                 app=web',
    'Type:                     ClusterIP',
    'IP Family Policy:         SingleStack',
    'IP Families:              IPv4',
    'IP:                       10.96.100.10',
    'IPs:                      10.96.100.10',
    'Port:                     <unset>  80/TCP',
    'TargetPort:               80/TCP',
    'Endpoints:                10.244.1.2:80',
    'Session Affinity:         None',
    'Internal Traffic Policy:  Cluster',
    'Events:                   <none>',
    '',
  ].join('\n'));
});

test('kubectl describe ep lists the ready addresses and ports', { skip }, async () => {
  const r = await c.kubectl(['describe', 'ep', 'web']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'Name:         web',
    'Namespace:    default',
    'Labels:       app=web',
    'Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-11-23T10:01:00Z',
    'Subsets:',
    '  Addresses:          10.244.1.2',
    '  NotReadyAddresses:  <none>',
    '  Ports:',
    '    Name     Port  Protocol',
    '    ----     ----  --------',
    '    <unset>  80    TCP',
    '',
    'Events:  <none>',
    '',
  ].join('\n'));
});
