// The control-plane facts of the seed labs, with a fake kubelet standing in for the node side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, converge, deployment, events, kindNodes, node, service } from './testkit.ts';
import type { EndpointSubset } from './endpoints.ts';
import { R, type Pod } from './util.ts';

const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';
const HASH = '[456789bcdf]{8,10}';

/** seed 000: kind cluster `iptables` (a control plane, three workers), curl1, curl2, echo ×3 and echo-service. */
function seed000(seed = 1): ReturnType<typeof cluster> {
  const c = cluster({ seed, apiserverAddress: '172.17.0.4:6443' });
  const { cp } = c;
  kindNodes(cp, 'iptables', 3);
  const curl = (name: string) => deployment(name, 1, { app: name }, [{ name, image: 'curlimages/curl', args: ['sh', '-c', 'echo Hello from curl; sleep 3600'] }]);
  cp.registry.create(R.deployments, 'default', curl('curl1'));
  cp.registry.create(R.deployments, 'default', curl('curl2'));
  cp.registry.create(R.deployments, 'default', deployment('echo', 3, { app: 'echo' }, [{ name: 'echo', image: 'hashicorp/http-echo', args: ['-text=Hello'], ports: [{ containerPort: 5678 }] }]));
  cp.registry.create(R.services, 'default', service('echo-service', { app: 'echo' }, [{ port: 80, targetPort: 5678 }]));
  // kindnet's pod CIDRs as the seed shows them.
  const cidr: Record<string, string> = { 'iptables-worker': '10.244.1.', 'iptables-worker3': '10.244.2.', 'iptables-worker2': '10.244.3.' };
  converge(cp, (n) => cidr[n]);
  return c;
}

function column(ss: EndpointSubset[] | undefined): string {
  return (ss ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.port}`))).join(',');
}

test('seed 000: pods curl1-<hash>-<5>, curl2-<hash>-<5> and three echo-<hash>-<5> run on the workers, echo spread one per worker', () => {
  const { cp, errors } = seed000();
  const pods = cp.registry.list(R.pods, 'default').items as unknown as Pod[];
  const names = pods.map((p) => p.metadata.name!);
  assert.equal(names.length, 5);
  assert.match(names[0], new RegExp(`^curl1-${HASH}-${SUFFIX}$`));
  assert.match(names[1], new RegExp(`^curl2-${HASH}-${SUFFIX}$`));
  const echo = pods.filter((p) => p.metadata.name!.startsWith('echo-'));
  assert.equal(echo.length, 3);
  // One ReplicaSet: one hash for all three.
  assert.equal(new Set(echo.map((p) => p.metadata.name!.slice(0, -6))).size, 1);
  for (const p of pods) {
    assert.equal(p.status?.phase, 'Running');
    assert.match(p.status!.podIP!, /^10\.244\.[123]\.\d+$/);
    assert.notEqual(p.spec!.nodeName, 'iptables-control-plane');
  }
  assert.deepEqual(echo.map((p) => p.spec!.nodeName).sort(), ['iptables-worker', 'iptables-worker2', 'iptables-worker3']);
  assert.deepEqual(errors, []);
});

test('seed 000: endpoints/echo-service lists the three echo pods as ip:5678 in address order; endpoints/kubernetes is 172.17.0.4:6443', () => {
  const { cp } = seed000();
  const ep = cp.registry.get(R.endpoints, 'default', 'echo-service');
  const ss = ep.subsets as EndpointSubset[];
  const echoIPs = (cp.registry.list(R.pods, 'default', { labelSelector: 'app=echo' }).items as unknown as Pod[]).map((p) => p.status!.podIP!).sort();
  assert.equal(column(ss), echoIPs.map((ip) => `${ip}:5678`).join(','));
  assert.match(column(ss), /^10\.244\.1\.\d+:5678,10\.244\.2\.\d+:5678,10\.244\.3\.\d+:5678$/);
  assert.equal(column(cp.registry.get(R.endpoints, 'default', 'kubernetes').subsets as EndpointSubset[]), '172.17.0.4:6443');
  // `kubectl describe ep echo-service`: no labels, the trigger-time annotation, no not-ready addresses, one unnamed port 5678/TCP.
  assert.equal(ep.metadata.labels, undefined);
  assert.deepEqual(Object.keys(ep.metadata.annotations!), ['endpoints.kubernetes.io/last-change-trigger-time']);
  assert.equal(ss[0].notReadyAddresses, undefined);
  assert.deepEqual(ss[0].ports, [{ port: 5678, protocol: 'TCP' }]);
  // `kubectl get svc`: kubernetes is 10.96.0.1, 443/TCP.
  const k = cp.registry.get(R.services, 'default', 'kubernetes').spec as { clusterIP: string; ports: { port: number; protocol: string }[] };
  assert.equal(k.clusterIP, '10.96.0.1');
  assert.deepEqual(k.ports.map((p) => `${p.port}/${p.protocol}`), ['443/TCP']);
  // `describe svc` (1.31+) reads the slice.
  const [slice] = cp.registry.list(R.endpointslices, 'default', { labelSelector: 'kubernetes.io/service-name=echo-service' }).items;
  assert.deepEqual((slice.endpoints as { addresses: string[] }[]).map((e) => e.addresses[0]).sort(), column(ss).split(',').map((x) => x.replace(':5678', '')));
});

test('seed 000: the Deployments report 1/1, 1/1 and 3/3 ready, with the events a kind cluster shows', () => {
  const { cp } = seed000();
  for (const [name, n] of [['curl1', 1], ['curl2', 1], ['echo', 3]] as const) {
    const st = cp.registry.get(R.deployments, 'default', name).status as { readyReplicas: number; availableReplicas: number; updatedReplicas: number };
    assert.deepEqual([st.readyReplicas, st.updatedReplicas, st.availableReplicas], [n, n, n]);
  }
  const [echoRS] = cp.registry.list(R.replicasets, 'default', { labelSelector: 'app=echo' }).items;
  const evs = events(cp).filter((e) => e.object === 'Deployment/echo' || e.object === `ReplicaSet/${echoRS.metadata.name}`);
  assert.deepEqual(evs.map((e) => e.reason), ['ScalingReplicaSet', 'SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
  assert.equal(evs[0].message, `Scaled up replica set ${echoRS.metadata.name} from 0 to 3`);
  for (const e of events(cp, 'Scheduled')) assert.match(e.message, /^Successfully assigned default\/\S+ to iptables-worker\d?$/);
});

test('seed 004: the ReplicationController busybox0 runs two pods busybox0-<5>, one on each worker, in the pod network 10.200.N.0/24', () => {
  const { cp } = cluster({ apiserverAddress: '10.240.0.10:6443', config: { serviceCIDR: '10.32.0.0/24' } });
  cp.registry.create(R.nodes, undefined, node('worker-0', { ready: true }));
  cp.registry.create(R.nodes, undefined, node('worker-1', { ready: true }));
  cp.registry.create(R.replicationcontrollers, 'default', {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'busybox0', labels: { app: 'busybox0' } },
    spec: {
      replicas: 2, selector: { app: 'busybox0' },
      template: { metadata: { name: 'busybox0', labels: { app: 'busybox0' } }, spec: { containers: [{ image: 'busybox', command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent', name: 'busybox' }], restartPolicy: 'Always' } },
    },
  });
  converge(cp, (n) => (n === 'worker-0' ? '10.200.0.' : '10.200.1.'));
  const pods = cp.registry.list(R.pods, 'default').items as unknown as Pod[];
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.metadata.name!, new RegExp(`^busybox0-${SUFFIX}$`));
    assert.equal(p.status!.phase, 'Running');
  }
  assert.deepEqual(pods.map((p) => `${p.spec!.nodeName} ${p.status!.podIP!.slice(0, 9)}`).sort(), ['worker-0 10.200.0.', 'worker-1 10.200.1.']);
  assert.equal((cp.registry.get(R.services, 'default', 'kubernetes').spec as { clusterIP: string }).clusterIP, '10.32.0.1');
  assert.deepEqual((cp.registry.get(R.replicationcontrollers, 'default', 'busybox0').status as { readyReplicas: number }).readyReplicas, 2);
});

test('the same seed gives the same names, uids, placements, addresses and events; another seed other pod names but the same template hashes', () => {
  const snapshot = (seed: number): { pods: string[]; rs: string[]; events: string[]; slices: string[] } => {
    const { cp } = seed000(seed);
    return {
      pods: (cp.registry.list(R.pods, 'default').items as unknown as Pod[]).map((p) => `${p.metadata.name} ${p.metadata.uid} ${p.spec!.nodeName} ${p.status!.podIP}`),
      rs: cp.registry.list(R.replicasets, 'default').items.map((r) => r.metadata.name!),
      events: cp.registry.list(R.events, 'default').items.map((e) => `${e.metadata.name} ${e.reason} ${e.message}`),
      slices: cp.registry.list(R.endpointslices, 'default').items.map((s) => s.metadata.name!),
    };
  };
  const a = snapshot(7);
  assert.deepEqual(snapshot(7), a);
  const b = snapshot(8);
  assert.deepEqual(b.rs, a.rs);
  assert.notDeepEqual(b.pods.map((p) => p.split(' ')[0]), a.pods.map((p) => p.split(' ')[0]));
});
