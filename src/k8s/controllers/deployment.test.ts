import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/object.ts';
import { cluster, converge, deployment, events, fakeKubelet, kindNodes } from './testkit.ts';
import { podTemplateHash, safeEncodeString } from './hash.ts';
import { R } from './util.ts';

const ipFor = (n: string): string => (n === 'kind-worker' ? '10.244.1.' : '10.244.2.');
/** What SafeEncodeString makes of a decimal number: only these ten characters. */
const HASH = /^[456789bcdf]{8,10}$/;

function web(replicas = 3, extra: Record<string, unknown> = {}): KObject {
  return deployment('web', replicas, { app: 'web' }, [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }], extra);
}

function setImage(d: KObject, image: string): KObject {
  (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = image;
  return d;
}

function replicaSets(cp: ReturnType<typeof cluster>['cp']): { name: string; replicas: number; revision?: string }[] {
  return cp.registry.list(R.replicasets, 'default').items.map((rs) => ({
    name: rs.metadata.name!, replicas: (rs.spec as { replicas: number }).replicas, revision: rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
  }));
}

test('the pod-template-hash is SafeEncodeString of the decimal fnv32a: 8 to 10 characters, the same for the same template', () => {
  assert.equal(safeEncodeString('2257340408'), '669c78484d');
  const t = { metadata: { labels: { app: 'echo' } }, spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo' }] } };
  const h = podTemplateHash(t);
  assert.match(h, HASH);
  assert.equal(podTemplateHash(JSON.parse(JSON.stringify(t))), h);
  assert.notEqual(podTemplateHash({ ...t, spec: { containers: [{ name: 'echo', image: 'other' }] } }), h);
  assert.notEqual(podTemplateHash(t, 1), h);
});

test('a Deployment makes a ReplicaSet <deployment>-<hash> with the hash label on it, its selector and template, revision 1, and a ScalingReplicaSet event', () => {
  const { cp } = cluster();
  cp.registry.create(R.deployments, 'default', web());
  cp.settle();
  const d = cp.registry.get(R.deployments, 'default', 'web');
  const [rs] = cp.registry.list(R.replicasets, 'default').items;
  const hash = rs.metadata.name!.slice('web-'.length);
  assert.match(hash, HASH);
  assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
  const spec = rs.spec as { replicas: number; selector: unknown; template: { metadata: { labels: unknown } } };
  assert.equal(spec.replicas, 3);
  assert.deepEqual(spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.deepEqual(spec.template.metadata.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(d.metadata.generation, 1);
  assert.deepEqual(events(cp, 'ScalingReplicaSet'), [{ reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rs.metadata.name} from 0 to 3`, type: 'Normal', count: 1, object: 'Deployment/web', component: 'deployment-controller' }]);
  for (const p of cp.registry.list(R.pods, 'default').items) assert.match(p.metadata.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
});

test('until its pods are ready the Deployment is unavailable and progressing; then Available and Progressing say so in upstream words', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web());
  cp.settle();
  const rsName = cp.registry.list(R.replicasets, 'default').items[0].metadata.name!;
  let st = cp.registry.get(R.deployments, 'default', 'web').status as { conditions: { type: string; status: string; reason: string; message: string }[]; replicas?: number; unavailableReplicas?: number };
  // As `kubectl describe deploy` shows a rollout whose pods are not up yet.
  assert.deepEqual(st.conditions.map((c) => [c.type, c.status, c.reason, c.message]), [
    ['Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
    ['Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`],
  ]);
  assert.equal(st.unavailableReplicas, 3);
  converge(cp, ipFor);
  st = cp.registry.get(R.deployments, 'default', 'web').status as typeof st;
  assert.deepEqual({ ...st, conditions: st.conditions.map((c) => [c.type, c.status, c.reason, c.message]) }, {
    observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
    conditions: [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
    ],
  });
});

test('scaling a Deployment scales its ReplicaSet and updates the replica annotations, with "Scaled up/down replica set x from a to b"', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web(3));
  converge(cp, ipFor);
  const scale = (n: number): void => {
    cp.registry.updateScale(R.deployments, 'default', 'web', { metadata: {}, spec: { replicas: n } });
    converge(cp, ipFor);
  };
  scale(5);
  const [rs] = cp.registry.list(R.replicasets, 'default').items;
  assert.equal((rs.spec as { replicas: number }).replicas, 5);
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7');
  assert.equal(cp.registry.list(R.pods, 'default').items.length, 5);
  scale(2);
  assert.equal(cp.registry.list(R.pods, 'default').items.length, 2);
  assert.deepEqual(events(cp, 'ScalingReplicaSet').map((e) => e.message), [
    `Scaled up replica set ${rs.metadata.name} from 0 to 3`, `Scaled up replica set ${rs.metadata.name} from 3 to 5`, `Scaled down replica set ${rs.metadata.name} from 5 to 2`,
  ]);
  const st = cp.registry.get(R.deployments, 'default', 'web').status as { replicas: number; availableReplicas: number };
  assert.equal(st.replicas, 2);
  assert.equal(st.availableReplicas, 2);
});

test('a template change rolls out a new ReplicaSet (revision 2) one pod at a time within maxSurge 1 / maxUnavailable 0, then the old one is at 0', () => {
  const c = cluster();
  const { cp } = c;
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web(3));
  converge(cp, ipFor);
  const [oldRS] = replicaSets(cp);
  cp.registry.update(R.deployments, 'default', 'web', setImage(cp.registry.get(R.deployments, 'default', 'web'), 'nginx:1.26'));
  let most = 0;
  for (let i = 0; i < 20; i++) {
    cp.settle();
    const pods = cp.registry.list(R.pods, 'default').items.filter((p) => !p.metadata.deletionTimestamp);
    most = Math.max(most, pods.length);
    c.tick();
    if (!fakeKubelet(cp, ipFor)) break;
  }
  assert.equal(most, 4, 'never more than replicas + maxSurge pods');
  const rss = replicaSets(cp);
  const newRS = rss.find((r) => r.name !== oldRS.name)!;
  assert.deepEqual(rss.find((r) => r.name === oldRS.name), { name: oldRS.name, replicas: 0, revision: '1' });
  assert.deepEqual(newRS, { name: newRS.name, replicas: 3, revision: '2' });
  assert.equal(cp.registry.get(R.deployments, 'default', 'web').metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  const n = newRS.name;
  const o = oldRS.name;
  assert.deepEqual(events(cp, 'ScalingReplicaSet').map((e) => e.message).slice(1), [
    `Scaled up replica set ${n} from 0 to 1`, `Scaled down replica set ${o} from 3 to 2`,
    `Scaled up replica set ${n} from 1 to 2`, `Scaled down replica set ${o} from 2 to 1`,
    `Scaled up replica set ${n} from 2 to 3`, `Scaled down replica set ${o} from 1 to 0`,
  ]);
  const st = cp.registry.get(R.deployments, 'default', 'web').status as { updatedReplicas: number; replicas: number; observedGeneration: number };
  assert.deepEqual([st.replicas, st.updatedReplicas, st.observedGeneration], [3, 3, 2]);
});

test('rolling back to the first template reuses its ReplicaSet as revision 3 with revision-history 1', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web(1));
  converge(cp, ipFor);
  const [first] = replicaSets(cp);
  cp.registry.update(R.deployments, 'default', 'web', setImage(cp.registry.get(R.deployments, 'default', 'web'), 'nginx:1.26'));
  converge(cp, ipFor);
  cp.registry.update(R.deployments, 'default', 'web', setImage(cp.registry.get(R.deployments, 'default', 'web'), 'nginx:1.25'));
  converge(cp, ipFor);
  const rs = cp.registry.get(R.replicasets, 'default', first.name);
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  assert.equal((rs.spec as { replicas: number }).replicas, 1);
  assert.equal(replicaSets(cp).length, 2);
});

test('Recreate scales the old ReplicaSet to zero and makes the new one only when the old pods are gone', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web(2, { strategy: { type: 'Recreate' } }));
  converge(cp, ipFor);
  const [oldRS] = replicaSets(cp);
  cp.registry.update(R.deployments, 'default', 'web', setImage(cp.registry.get(R.deployments, 'default', 'web'), 'nginx:1.26'));
  cp.settle();
  // The old pods are terminating (the kubelet has not finished them): no new ReplicaSet yet.
  assert.deepEqual(replicaSets(cp), [{ name: oldRS.name, replicas: 0, revision: '1' }]);
  converge(cp, ipFor);
  const rss = replicaSets(cp);
  assert.equal(rss.length, 2);
  assert.equal(rss.find((r) => r.name !== oldRS.name)!.replicas, 2);
  const msgs = events(cp, 'ScalingReplicaSet').map((e) => e.message);
  assert.deepEqual(msgs.slice(1).map((m) => m.replace(/web-\w+/, 'X')), ['Scaled down replica set X from 2 to 0', 'Scaled up replica set X from 0 to 2']);
});

test('old ReplicaSets beyond revisionHistoryLimit are deleted, oldest revision first', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web(1, { revisionHistoryLimit: 1 }));
  converge(cp, ipFor);
  for (const tag of ['1.26', '1.27', '1.28']) {
    cp.registry.update(R.deployments, 'default', 'web', setImage(cp.registry.get(R.deployments, 'default', 'web'), `nginx:${tag}`));
    converge(cp, ipFor);
  }
  assert.deepEqual(replicaSets(cp).map((r) => r.revision).sort(), ['3', '4']);
});

test('a paused Deployment does not roll out a template change but still scales; resuming rolls out', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', web(2));
  converge(cp, ipFor);
  const d = setImage(cp.registry.get(R.deployments, 'default', 'web'), 'nginx:1.26');
  (d.spec as { paused?: boolean; replicas: number }).paused = true;
  (d.spec as { replicas: number }).replicas = 3;
  cp.registry.update(R.deployments, 'default', 'web', d);
  converge(cp, ipFor);
  assert.deepEqual(replicaSets(cp).map((r) => r.replicas), [3]);
  const cond = (cp.registry.get(R.deployments, 'default', 'web').status as { conditions: { type: string; reason: string }[] }).conditions.find((c) => c.type === 'Progressing')!;
  assert.equal(cond.reason, 'DeploymentPaused');
  const r = cp.registry.get(R.deployments, 'default', 'web');
  (r.spec as { paused?: boolean }).paused = false;
  cp.registry.update(R.deployments, 'default', 'web', r);
  converge(cp, ipFor);
  assert.deepEqual(replicaSets(cp).map((x) => x.replicas).sort(), [0, 3]);
});
