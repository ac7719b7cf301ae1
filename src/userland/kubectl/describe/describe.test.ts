// Differential tests of `kubectl describe`: the real kubectl and podlab's describe read the same
// objects from one stub API server and must print the same bytes. kubectl computes ages from its
// own clock, so every age in these fixtures is hours or days long: the second that passes
// between building the fixtures and running kubectl cannot change how an age prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../k8s/api/errors.ts';
import { noKubectl, runKubectl } from '../../../../test/support/kubectl.ts';
import { harness, resource, type Harness } from '../print/testing/harness.ts';
import { DESCRIBE_AGES, hardWayCluster, helloworldCluster, kindCluster, quotaLists, richCluster, serviceVariants } from '../print/testing/seeds.ts';
import { describe as podlabDescribe, describeAll } from './describe.ts';

const skip = noKubectl();
const now = Math.floor(Date.now() / 1000) * 1000;

async function same(h: Harness, type: string, name: string, namespace = 'default'): Promise<string> {
  const real = await runKubectl(h.stub.env, ['describe', type, name, '-n', namespace]);
  assert.equal(real.code, 0, real.stderr);
  const ours = await podlabDescribe(h.client, resource(type), namespace, name, now);
  assert.equal(ours, real.stdout, `kubectl describe ${type} ${name}`);
  return ours;
}

describe('kubectl describe on the kind cluster of seed 000', { skip }, () => {
  let h: Harness;
  before(async () => (h = await harness(kindCluster(now, DESCRIBE_AGES).objects, now)));
  after(() => h.close());

  test('describe ep prints the seed transcript: subsets, a <unset> port name and Events: <none>', async () => {
    assert.equal(await same(h, 'ep', 'echo-service'), [
      'Name:         echo-service',
      'Namespace:    default',
      'Labels:       <none>',
      'Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2020-03-07T00:41:34Z',
      'Subsets:',
      '  Addresses:          10.244.1.2,10.244.2.4,10.244.3.2',
      '  NotReadyAddresses:  <none>',
      '  Ports:',
      '    Name     Port  Protocol',
      '    ----     ----  --------',
      '    <unset>  5678  TCP',
      '',
      'Events:  <none>',
      '',
    ].join('\n'));
    await same(h, 'endpoints', 'kubernetes');
  });

  test('describe svc takes its Endpoints line from the EndpointSlices and lists events with repeat counts', async () => {
    const out = await same(h, 'svc', 'echo-service');
    assert.match(out, /^Endpoints:\s+10\.244\.1\.2:5678,10\.244\.2\.4:5678,10\.244\.3\.2:5678$/m);
    assert.match(out, /^ {2}Normal\s+Type\s+\S+ \(x2 over 3d5h\)\s+service-controller\s+ClusterIP -> ClusterIP$/m);
    await same(h, 'svc', 'kubernetes');
  });

  test('describe pod shows containers, conditions, the projected token volume, tolerations and its events', async () => {
    const out = await same(h, 'pod', 'echo-669c78484d-df45k');
    assert.match(out, /^Controlled By:\s+ReplicaSet\/echo-669c78484d$/m);
    assert.match(out, /^Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message$/m);
    await same(h, 'pod', 'curl1-647585685b-5pdj4');
  });

  test('describe deploy and rs show the pod template, replica counts, conditions and the new replica set', async () => {
    const out = await same(h, 'deploy', 'echo');
    assert.match(out, /^NewReplicaSet:\s+echo-669c78484d \(3\/3 replicas created\)$/m);
    assert.match(await same(h, 'rs', 'echo-669c78484d'), /^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
  });

  test('describe node lists roles, taints, a missing lease, capacity and the non-terminated pods on it', async () => {
    const out = await same(h, 'node', 'iptables-worker3');
    assert.match(out, /^Lease:\s+Failed to get lease: leases\.coordination\.k8s\.io "iptables-worker3" not found$/m);
    assert.match(out, /^Non-terminated Pods:\s+\(3 in total\)$/m);
    assert.match(await same(h, 'node', 'iptables-control-plane'), /^Roles:\s+control-plane$/m);
    await same(h, 'node', 'iptables-worker');
  });

  test('describe ns and endpointslice', async () => {
    await same(h, 'ns', 'default');
    await same(h, 'endpointslice', 'echo-service-7mbtd');
  });

  test('a name that matches no object is tried as a prefix: describe pod echo describes the three echo pods', async () => {
    const out = await same(h, 'pod', 'echo');
    assert.equal(out.match(/^Name:/gm)?.length, 3);
  });

  test('a name that matches nothing, even as a prefix, is the server\'s NotFound', async () => {
    await assert.rejects(podlabDescribe(h.client, resource('svc'), 'default', 'nope', now), (e: unknown) => e instanceof StatusError && e.code === 404);
  });

  test('describe of a whole type joins the descriptions with two blank lines, as kubectl describe svc does', async () => {
    const real = await runKubectl(h.stub.env, ['describe', 'svc']);
    assert.equal(await describeAll(h.client, resource('svc'), 'default', now), real.stdout);
  });
});

describe('kubectl describe on the services of seeds 001 and 004', { skip }, () => {
  test('seed 001: the NodePort service with a named targetPort', async () => {
    const h = await harness(helloworldCluster(now, 2 * 86_400_000).objects, now);
    try {
      const out = await same(h, 'svc', 'helloworld-service');
      assert.match(out, /^Port:\s+<unset> {2}31001\/TCP\nTargetPort:\s+nodejs-port\/TCP\nNodePort:\s+<unset> {2}31382\/TCP\nEndpoints:\s+172\.17\.0\.6:3000$/m);
      await same(h, 'pod', 'nodehelloworld.example.com');
      await same(h, 'ep', 'helloworld-service');
    } finally {
      await h.close();
    }
  });

  test('seed 004: kube-dns with one Endpoints line per named port, nginx, a pod and a configmap', async () => {
    const h = await harness(hardWayCluster(now).objects, now);
    try {
      const out = await same(h, 'svc', 'kube-dns', 'kube-system');
      assert.match(out, /^Port:\s+dns {2}53\/UDP\nTargetPort:\s+53\/UDP\nEndpoints:\s+10\.200\.0\.27:53$/m);
      await same(h, 'ep', 'kube-dns', 'kube-system');
      assert.match(await same(h, 'svc', 'nginx'), /^NodePort:\s+<unset> {2}31088\/TCP$/m);
      await same(h, 'pod', 'nginx-65899c769f-wxdx6');
      assert.match(await same(h, 'cm', 'app-config'), /^Data\n====\napp\.properties:\n----\ngreeting=hello\ncolor=blue\n\n\n/m);
      const real = await runKubectl(h.stub.env, ['-n', 'kube-system', 'describe', 'services']);
      assert.equal(await describeAll(h.client, resource('svc'), 'kube-system', now), real.stdout);
    } finally {
      await h.close();
    }
  });

  test('headless, LoadBalancer (pending and provisioned), ExternalName and selector-less services', async () => {
    const h = await harness(serviceVariants(now, 3 * 86_400_000).objects, now);
    try {
      assert.match(await same(h, 'svc', 'echo-headless'), /^IP:\s+None$/m);
      await same(h, 'svc', 'web-lb');
      assert.match(await same(h, 'svc', 'web-lb-ready'), /^LoadBalancer Ingress:\s+203\.0\.113\.10$/m);
      assert.match(await same(h, 'svc', 'external-db'), /^External Name:\s+db\.example\.com$/m);
      assert.match(await same(h, 'svc', 'manual'), /^Endpoints:\s+<none>$/m);
      await same(h, 'endpointslice', 'echo-headless-pq8rz');
    } finally {
      await h.close();
    }
  });
});

describe('kubectl describe of the less common paths', { skip }, () => {
  let h: Harness;
  before(async () => (h = await harness(richCluster(now).objects, now, 32, quotaLists(now))));
  after(() => h.close());

  test('a pod with init containers, a sidecar, probes, every kind of env var, resources, many volume types and readiness gates', async () => {
    const out = await same(h, 'pod', 'web-7d9c5b7f4-abcde');
    assert.match(out, /^QoS Class:\s+Burstable$/m);
    assert.match(out, /^ {4}Last State:\s+Terminated\n {6}Reason:\s+OOMKilled$/m);
  });

  test('crash-looping, terminating and unscheduled pods, and one with requests and limits', async () => {
    assert.match(await same(h, 'pod', 'crashy'), /^ {6}Reason:\s+CrashLoopBackOff$/m);
    assert.match(await same(h, 'pod', 'leaving'), /^Status:\s+Terminating \(lasts 2d2h\)$/m);
    assert.match(await same(h, 'pod', 'unscheduled'), /^Node:\s+<none>$/m);
    assert.match(await same(h, 'pod', 'batch-1'), /^QoS Class:\s+Burstable$/m);
  });

  test('a NotReady, cordoned node with a lease, taints, an external IP and pods that request resources', async () => {
    const out = await same(h, 'node', 'node-a');
    assert.match(out, /^ {2}cpu\s+1850m \(23%\)\s+2500m \(31%\)$/m);
    assert.match(out, /^Lease:\n {2}HolderIdentity:\s+node-a$/m);
  });

  test('a replication controller, a deployment mid-rollout and both of its replica sets', async () => {
    assert.match(await same(h, 'rc', 'legacy'), /^Pods Status:\s+1 Running \/ 1 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    assert.match(await same(h, 'deploy', 'web'), /^OldReplicaSets:\s+web-5f6d8c9b7 \(0\/0 replicas created\)$/m);
    await same(h, 'rs', 'web-7d9c5b7f4');
    await same(h, 'rs', 'web-5f6d8c9b7');
  });

  test('a terminating namespace with conditions, resource quotas and limit ranges; a configmap with binary data', async () => {
    assert.match(await same(h, 'ns', 'retiring'), /^Resource Quotas\n {2}Name:\s+best-effort$/m);
    assert.match(await same(h, 'cm', 'blobs'), /^BinaryData\n====\nlogo\.png: 16 bytes$/m);
  });
});
