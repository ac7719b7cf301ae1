import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/object.ts';
import { cluster, converge, deployment, fakeKubelet, kindNodes, service } from './testkit.ts';
import { repackSubsets, type EndpointSubset } from './endpoints.ts';
import { R, type Pod } from './util.ts';

const ipFor = (n: string): string => (n === 'kind-worker' ? '10.244.1.' : '10.244.2.');

function subsets(cp: ReturnType<typeof cluster>['cp'], name: string): EndpointSubset[] | undefined {
  return cp.registry.tryGet(R.endpoints, 'default', name)?.subsets as EndpointSubset[] | undefined;
}

/** What `kubectl get ep` prints in its ENDPOINTS column (without the 3-entry cut). */
function column(ss: EndpointSubset[] | undefined): string {
  return (ss ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.port}`))).join(',');
}

function slices(cp: ReturnType<typeof cluster>['cp'], svc: string): KObject[] {
  return cp.registry.list(R.endpointslices, 'default', { labelSelector: `kubernetes.io/service-name=${svc}` }).items;
}

test('Endpoints list the ready pods under addresses sorted by IP, with nodeName and targetRef, the trigger-time annotation and the service labels', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', deployment('echo', 3, { app: 'echo' }, [{ name: 'echo', image: 'hashicorp/http-echo', ports: [{ containerPort: 5678 }] }]));
  cp.registry.create(R.services, 'default', service('echo-service', { app: 'echo' }, [{ port: 80, targetPort: 5678 }]));
  converge(cp, ipFor);
  const ep = cp.registry.get(R.endpoints, 'default', 'echo-service');
  const ss = ep.subsets as EndpointSubset[];
  assert.equal(ss.length, 1);
  assert.deepEqual(ss[0].ports, [{ port: 5678, protocol: 'TCP' }]);
  const ips = ss[0].addresses!.map((a) => a.ip);
  assert.deepEqual(ips, [...ips].sort());
  assert.equal(ss[0].notReadyAddresses, undefined);
  const pods = cp.registry.list(R.pods, 'default').items as unknown as Pod[];
  for (const a of ss[0].addresses!) {
    const pod = pods.find((p) => p.status?.podIP === a.ip)!;
    assert.deepEqual(a, { ip: a.ip, nodeName: pod.spec!.nodeName, targetRef: { kind: 'Pod', namespace: 'default', name: pod.metadata.name, uid: pod.metadata.uid } });
  }
  assert.match(ep.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ep.metadata.labels, undefined);
  assert.equal(ep.metadata.ownerReferences, undefined);
});

test('a pod that is not ready is listed under notReadyAddresses; the trigger time follows its Ready transition', () => {
  const c = cluster();
  const { cp } = c;
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.deployments, 'default', deployment('web', 1, { app: 'web' }, [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }]));
  cp.registry.create(R.services, 'default', service('web', { app: 'web' }, [{ port: 80 }]));
  converge(cp, ipFor, { ready: () => false });
  let ss = subsets(cp, 'web')!;
  assert.equal(ss[0].addresses, undefined);
  assert.equal(ss[0].notReadyAddresses!.length, 1);
  c.tick(30);
  converge(cp, ipFor);
  ss = subsets(cp, 'web')!;
  assert.equal(ss[0].addresses!.length, 1);
  assert.equal(ss[0].notReadyAddresses, undefined);
  assert.equal(cp.registry.get(R.endpoints, 'default', 'web').metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], '2020-03-07T00:41:30Z');
});

test('a named targetPort is resolved per pod from its container ports (seed 001: nodejs-port → 3000), pods disagreeing land in separate subsets', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  const pod = (name: string, port: number): KObject => ({ metadata: { name, labels: { app: 'helloworld' } }, spec: { containers: [{ name: 'k8s-demo', image: 'wardviaene/k8s-demo', ports: [{ name: 'nodejs-port', containerPort: port }] }] } });
  cp.registry.create(R.pods, 'default', pod('nodehelloworld.example.com', 3000));
  cp.registry.create(R.services, 'default', service('helloworld-service', { app: 'helloworld' }, [{ port: 31001, targetPort: 'nodejs-port' }], { type: 'NodePort' }));
  converge(cp, ipFor);
  assert.match(column(subsets(cp, 'helloworld-service')), /^10\.244\.\d\.\d+:3000$/);
  cp.registry.create(R.pods, 'default', pod('other', 4000));
  converge(cp, ipFor);
  const ss = subsets(cp, 'helloworld-service')!;
  assert.equal(ss.length, 2);
  assert.deepEqual(ss.map((s) => s.ports![0].port).sort(), [3000, 4000]);
  // The slices group endpoints by their resolved ports too.
  assert.deepEqual(slices(cp, 'helloworld-service').map((s) => (s.ports as { port: number }[])[0].port).sort(), [3000, 4000]);
});

test('ports are ordered as RepackSubsets orders them (md5 of the go-spew dump): kube-dns lists dns-tcp, dns, metrics', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.deployments, 'kube-system', deployment('coredns', 1, { 'k8s-app': 'kube-dns' }, [{
    name: 'coredns', image: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' }],
  }]));
  cp.registry.create(R.services, 'kube-system', service('kube-dns', { 'k8s-app': 'kube-dns' }, [
    { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' },
  ], { clusterIP: '10.96.0.10' }));
  converge(cp, ipFor);
  const ss = cp.registry.get(R.endpoints, 'kube-system', 'kube-dns').subsets as EndpointSubset[];
  assert.deepEqual(ss[0].ports!.map((p) => p.name), ['dns-tcp', 'dns', 'metrics']);
  // The slice keeps the service's order.
  const [slice] = cp.registry.list(R.endpointslices, 'kube-system', { labelSelector: 'kubernetes.io/service-name=kube-dns' }).items;
  assert.deepEqual((slice.ports as { name: string }[]).map((p) => p.name), ['dns', 'dns-tcp', 'metrics']);
});

test('RepackSubsets merges addresses offering the same ports, and not-ready wins over ready for an address', () => {
  const a = (ip: string, uid: string) => ({ ip, targetRef: { kind: 'Pod', name: uid, uid } });
  const out = repackSubsets([
    { addresses: [a('10.0.0.2', 'b')], ports: [{ port: 80, protocol: 'TCP' }] },
    { addresses: [a('10.0.0.10', 'c')], ports: [{ port: 80, protocol: 'TCP' }] },
    { addresses: [a('10.0.0.2', 'b')], ports: [{ name: 'x', port: 81, protocol: 'TCP' }] },
    { notReadyAddresses: [a('10.0.0.10', 'c')], ports: [{ name: 'x', port: 81, protocol: 'TCP' }] },
  ]);
  assert.equal(out.length, 2);
  const p80 = out.find((s) => s.ports!.some((p) => p.port === 80))!;
  // bytes.Compare of the IP strings: "10.0.0.10" sorts before "10.0.0.2".
  assert.deepEqual(p80.addresses!.map((x) => x.ip), ['10.0.0.10', '10.0.0.2']);
  const p81 = out.find((s) => s.ports!.some((p) => p.port === 81))!;
  assert.deepEqual(p81.addresses!.map((x) => x.ip), ['10.0.0.2']);
  assert.deepEqual(p81.notReadyAddresses!.map((x) => x.ip), ['10.0.0.10']);
});

test('a service without a selector keeps the Endpoints its user writes (mirrored into a slice); an ExternalName service gets none', () => {
  const { cp } = cluster({ apiserverAddress: '172.17.0.4:6443' });
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.services, 'default', service('external-db', undefined, [{ port: 5432 }]));
  const mine = { metadata: { name: 'external-db' }, subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432, protocol: 'TCP' }] }] };
  cp.registry.create(R.endpoints, 'default', mine);
  cp.registry.create(R.services, 'default', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com', selector: { app: 'x' } } });
  cp.registry.create(R.pods, 'default', { metadata: { name: 'x', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  converge(cp, ipFor);
  assert.deepEqual(subsets(cp, 'external-db'), mine.subsets);
  assert.equal(cp.registry.tryGet(R.endpoints, 'default', 'ext'), undefined);
  assert.equal(slices(cp, 'ext').length, 0);
  // The mirroring controller copies the user's Endpoints into a slice, owned by the Endpoints.
  const [mirror, ...more] = slices(cp, 'external-db');
  assert.equal(more.length, 0);
  assert.equal(mirror.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
  assert.equal(mirror.metadata.ownerReferences![0].kind, 'Endpoints');
  assert.deepEqual(mirror.endpoints, [{ addresses: ['192.168.1.50'], conditions: { ready: true } }]);
  assert.deepEqual(mirror.ports, [{ name: '', port: 5432, protocol: 'TCP' }]);
  // The API server's own `kubernetes` Endpoints say skip-mirror.
  assert.equal(slices(cp, 'kubernetes').length, 1);
  cp.registry.delete(R.endpoints, 'default', 'external-db');
  cp.settle();
  assert.equal(slices(cp, 'external-db').length, 0);
});

test('a headless service without ports lists bare addresses and carries the headless label; publishNotReadyAddresses lists unready pods as ready', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.deployments, 'default', deployment('db', 1, { app: 'db' }, [{ name: 'db', image: 'postgres' }]));
  cp.registry.create(R.services, 'default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, publishNotReadyAddresses: true } });
  converge(cp, ipFor, { ready: () => false });
  const ep = cp.registry.get(R.endpoints, 'default', 'db');
  assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' });
  const ss = ep.subsets as EndpointSubset[];
  assert.equal(ss.length, 1);
  assert.equal(ss[0].ports, undefined);
  assert.equal(ss[0].addresses!.length, 1);
  const [slice] = slices(cp, 'db');
  assert.equal(slice.metadata.labels!['service.kubernetes.io/headless'], '');
  assert.deepEqual((slice.endpoints as { conditions: unknown }[])[0].conditions, { ready: true, serving: false, terminating: false });
});

test('EndpointSlices: <svc>-<5 chars>, service-name and managed-by labels, owned by the Service, IPv4, endpoints with conditions, nodeName and targetRef', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 2);
  cp.registry.create(R.deployments, 'default', deployment('echo', 2, { app: 'echo' }, [{ name: 'echo', image: 'hashicorp/http-echo', ports: [{ containerPort: 5678 }] }]));
  const svc = cp.registry.create(R.services, 'default', { ...service('echo-service', { app: 'echo' }, [{ port: 80, targetPort: 5678 }]), metadata: { name: 'echo-service', labels: { team: 'a' } } });
  converge(cp, ipFor);
  const all = slices(cp, 'echo-service');
  assert.equal(all.length, 1);
  const s = all[0];
  assert.match(s.metadata.name!, /^echo-service-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(s.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'echo-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'echo-service', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(s.addressType, 'IPv4');
  assert.deepEqual(s.ports, [{ name: '', port: 5678, protocol: 'TCP' }]);
  const eps = s.endpoints as { addresses: string[]; conditions: unknown; nodeName: string; targetRef: { kind: string; name: string } }[];
  assert.equal(eps.length, 2);
  for (const e of eps) {
    assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
    assert.match(e.addresses[0], /^10\.244\.\d\.\d+$/);
    assert.match(e.nodeName, /^kind-worker/);
    assert.equal(e.targetRef.kind, 'Pod');
  }
});

test('a terminating pod leaves the Endpoints but stays in its slice as terminating, not ready, still serving', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.deployments, 'default', deployment('web', 1, { app: 'web' }, [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }]));
  cp.registry.create(R.services, 'default', service('web', { app: 'web' }, [{ port: 80 }]));
  converge(cp, ipFor);
  const [pod] = cp.registry.list(R.pods, 'default').items;
  // Deleting a pod on a node is graceful: it stays until its kubelet finishes it.
  cp.registry.delete(R.pods, 'default', pod.metadata.name!);
  cp.settle();
  const eps = slices(cp, 'web').flatMap((s) => (s.endpoints ?? []) as { targetRef: { name: string }; conditions: unknown }[]);
  const mine = eps.find((e) => e.targetRef.name === pod.metadata.name)!;
  assert.deepEqual(mine.conditions, { ready: false, serving: true, terminating: true });
  assert.ok(!column(subsets(cp, 'web')).includes((pod.status as { podIP: string }).podIP + ':'));
});

test('with no matching pod a service has empty Endpoints and one placeholder slice; deleting the service removes both', () => {
  const { cp } = cluster();
  cp.registry.create(R.services, 'default', service('lonely', { app: 'nothing' }, [{ port: 80 }]));
  cp.settle();
  const ep = cp.registry.get(R.endpoints, 'default', 'lonely');
  assert.equal(ep.subsets, undefined);
  const [slice, ...more] = slices(cp, 'lonely');
  assert.equal(more.length, 0);
  assert.equal(slice.endpoints, null);
  assert.equal(slice.ports, null);
  cp.registry.delete(R.services, 'default', 'lonely');
  cp.settle();
  assert.equal(cp.registry.tryGet(R.endpoints, 'default', 'lonely'), undefined);
  assert.equal(slices(cp, 'lonely').length, 0);
});

test('pod label changes move the pod in and out of the endpoints', () => {
  const { cp } = cluster();
  kindNodes(cp, 'kind', 1);
  cp.registry.create(R.pods, 'default', { metadata: { name: 'p', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
  cp.registry.create(R.services, 'default', service('a', { app: 'a' }, [{ port: 80 }]));
  converge(cp, ipFor);
  assert.match(column(subsets(cp, 'a')), /:80$/);
  const p = cp.registry.get(R.pods, 'default', 'p');
  p.metadata.labels = { app: 'b' };
  cp.registry.update(R.pods, 'default', 'p', p);
  cp.settle();
  assert.equal(column(subsets(cp, 'a')), '');
  fakeKubelet(cp, ipFor);
});
