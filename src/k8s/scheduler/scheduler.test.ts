import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/object.ts';
import { StatusError } from '../api/errors.ts';
import { cluster, deployment, events, kindNodes, node } from '../controllers/testkit.ts';
import { R, type Pod } from '../controllers/util.ts';
import { bindPod, parseQuantity } from './scheduler.ts';

function pod(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: name }): KObject {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

function placed(cp: ReturnType<typeof cluster>['cp'], name: string): Pod {
  return cp.registry.get(R.pods, 'default', name) as unknown as Pod;
}

function scheduledCondition(p: Pod): Record<string, unknown> | undefined {
  return p.status?.conditions?.find((c) => c.type === 'PodScheduled') as Record<string, unknown> | undefined;
}

test('a pod is bound to a worker, never the tainted control plane, with PodScheduled=True and a Scheduled event', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 3);
  for (let i = 0; i < 6; i++) cp.registry.create(R.pods, 'default', pod(`p${i}`));
  cp.settle();
  for (let i = 0; i < 6; i++) {
    const p = placed(cp, `p${i}`);
    assert.match(p.spec!.nodeName!, /^kind-worker\d?$/);
    const c = scheduledCondition(p)!;
    assert.equal(c.status, 'True');
    assert.equal(c.lastProbeTime, null);
    assert.equal(c.lastTransitionTime, '2020-03-07T00:41:00Z');
  }
  const sched = events(cp, 'Scheduled');
  assert.equal(sched.length, 6);
  assert.equal(sched[0].message, `Successfully assigned default/p0 to ${placed(cp, 'p0').spec!.nodeName}`);
  assert.equal(sched[0].component, 'default-scheduler');
  // Fewest pods first: six pods on three workers make two each.
  const per = new Map<string, number>();
  for (let i = 0; i < 6; i++) per.set(placed(cp, `p${i}`).spec!.nodeName!, (per.get(placed(cp, `p${i}`).spec!.nodeName!) ?? 0) + 1);
  assert.deepEqual([...per.values()], [2, 2, 2]);
});

test('replicas of one Deployment spread over the workers even when other pods crowd one of them', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 3);
  cp.registry.create(R.pods, 'default', pod('crowd1', { nodeName: 'kind-worker' }));
  cp.registry.create(R.pods, 'default', pod('crowd2', { nodeName: 'kind-worker' }));
  cp.registry.create(R.deployments, 'default', deployment('echo', 3, { app: 'echo' }, [{ name: 'echo', image: 'hashicorp/http-echo' }]));
  cp.settle();
  const nodes = cp.registry.list(R.pods, 'default', { labelSelector: 'app=echo' }).items.map((p) => (p.spec as { nodeName: string }).nodeName).sort();
  assert.deepEqual(nodes, ['kind-worker', 'kind-worker2', 'kind-worker3']);
});

test('a pod with spec.nodeName already set is left alone', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.pods, 'default', pod('pinned', { nodeName: 'kind-control-plane' }));
  cp.settle();
  assert.equal(placed(cp, 'pinned').spec!.nodeName, 'kind-control-plane');
  assert.equal(scheduledCondition(placed(cp, 'pinned')), undefined);
  assert.deepEqual(events(cp, 'Scheduled'), []);
});

test('nodeSelector is honoured; a pod no node admits is Unschedulable with upstream\'s FailedScheduling message, and scheduled once a node is labelled', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 3);
  cp.registry.create(R.pods, 'default', pod('ssd', { nodeSelector: { disk: 'ssd' } }));
  cp.settle();
  const msg = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..";
  const p = placed(cp, 'ssd');
  assert.equal(p.spec!.nodeName, undefined);
  const c = scheduledCondition(p)!;
  assert.deepEqual([c.status, c.reason, c.message], ['False', 'Unschedulable', msg]);
  assert.deepEqual(events(cp, 'FailedScheduling').map((e) => [e.type, e.message, e.count]), [['Warning', msg, 1]]);
  // Its own status write does not make it try again.
  cp.settle();
  assert.equal(events(cp, 'FailedScheduling')[0].count, 1);
  const n = cp.registry.get(R.nodes, undefined, 'kind-worker2');
  n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' };
  cp.registry.update(R.nodes, undefined, 'kind-worker2', n);
  cp.settle();
  assert.equal(placed(cp, 'ssd').spec!.nodeName, 'kind-worker2');
  assert.equal(scheduledCondition(placed(cp, 'ssd'))!.status, 'True');
});

test('required node affinity and tolerating the control-plane taint are honoured', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.pods, 'default', pod('cp', {
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }] } } },
  }));
  cp.registry.create(R.pods, 'default', pod('w2', {
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kind-worker2'] }] }] } } },
  }));
  cp.settle();
  assert.equal(placed(cp, 'cp').spec!.nodeName, 'kind-control-plane');
  assert.equal(placed(cp, 'w2').spec!.nodeName, 'kind-worker2');
});

test('not-ready and cordoned nodes are filtered with their reasons; with no node at all the pod waits for one', () => {
  const { cp } = cluster();
  cp.registry.create(R.pods, 'default', pod('early'));
  cp.settle();
  assert.equal(scheduledCondition(placed(cp, 'early'))!.message, 'no nodes available to schedule pods');
  assert.equal(events(cp, 'FailedScheduling')[0].message, 'no nodes available to schedule pods');
  cp.registry.create(R.nodes, undefined, node('sick', { ready: false }));
  cp.registry.create(R.nodes, undefined, node('cordoned', { ready: true, unschedulable: true }));
  cp.registry.create(R.nodes, undefined, node('gone', { ready: 'unknown' }));
  cp.settle();
  assert.equal(scheduledCondition(placed(cp, 'early'))!.message,
    "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
  const sick = cp.registry.get(R.nodes, undefined, 'sick');
  (sick.status as { conditions: { status: string }[] }).conditions[0].status = 'True';
  cp.registry.update(R.nodes, undefined, 'sick', sick, { subresource: 'status' });
  cp.settle();
  assert.equal(placed(cp, 'early').spec!.nodeName, 'sick');
});

test('a full node (pods, cpu, memory, host ports) is filtered; preemption finds no victims', () => {
  const { cp } = cluster();
  cp.registry.create(R.nodes, undefined, node('small', { ready: true, allocatable: { pods: '1', cpu: '1', memory: '1Gi' } }));
  cp.registry.create(R.nodes, undefined, node('tiny', { ready: true, allocatable: { pods: '110', cpu: '500m', memory: '64Mi' } }));
  cp.registry.create(R.pods, 'default', pod('first', { nodeName: 'small', containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] }));
  cp.registry.create(R.pods, 'default', pod('big', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '750m', memory: '128Mi' } } }] }));
  cp.settle();
  assert.equal(scheduledCondition(placed(cp, 'big'))!.message,
    '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..');
  cp.registry.create(R.nodes, undefined, node('roomy', { ready: true, allocatable: { pods: '110', cpu: '4', memory: '8Gi' } }));
  cp.settle();
  assert.equal(placed(cp, 'big').spec!.nodeName, 'roomy');
  // Only `small` is left for host port 8080, and `first` holds it there.
  cp.registry.create(R.pods, 'default', pod('port', { nodeSelector: { 'kubernetes.io/hostname': 'small' }, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] }));
  cp.settle();
  assert.equal(scheduledCondition(placed(cp, 'port'))!.message,
    "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..");
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('1Gi'), 1073741824);
});

test('the binding subresource refuses a pod already assigned, in the API server\'s words', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.pods, 'default', pod('p', { nodeName: 'kind-worker' }));
  assert.throws(() => bindPod(cp.registry, 'default', 'p', 'kind-control-plane'), (e: unknown) => e instanceof StatusError && e.code === 409
    && e.message === 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "kind-worker"');
});

test('the same seed places the same pods on the same nodes', () => {
  const run = (): string[] => {
    const { cp } = cluster({ seed: 42 });
    kindNodes(cp, 'kind', 3);
    for (let i = 0; i < 5; i++) cp.registry.create(R.pods, 'default', pod(`p${i}`));
    cp.settle();
    return cp.registry.list(R.pods, 'default').items.map((p) => `${p.metadata.name}@${(p.spec as { nodeName: string }).nodeName}`);
  };
  assert.deepEqual(run(), run());
});
