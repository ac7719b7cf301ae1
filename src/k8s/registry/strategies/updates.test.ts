/**
 * The update side of the strategies: immutable fields in upstream's words, what pod updates may
 * change, the status subresource, generation, graceful pod deletion and namespace finalizers.
 * A rejected update leaves the stored object and resourceVersion as they were.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import type { Registry } from '../registry.ts';
import { attempt, R, setup } from './test-support.ts';

type Obj = Record<string, unknown>;

function spec(o: KObject): Obj {
  return o.spec as Obj;
}

/** Updates `name` with `change` applied to a fresh copy; asserts nothing is written when it fails. */
function change(reg: Registry, r: ResourceInfo, ns: string | undefined, name: string, fn: (o: KObject) => void, opts: { subresource?: 'status' } = {}): [number, string] {
  const cur = reg.get(r, ns, name);
  const before = reg.store.resourceVersion();
  fn(cur);
  const res = attempt(() => reg.update(r, ns, name, cur, opts));
  if (res[0]) assert.equal(reg.store.resourceVersion(), before, 'a failed update wrote something');
  return res;
}

const web = { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } };

test('a deployment\'s selector is immutable in apps/v1', () => {
  const reg = setup();
  reg.create(R.deployments, 'default', { metadata: { name: 'd' }, spec: web });
  assert.deepEqual(change(reg, R.deployments, 'default', 'd', (d) => {
    spec(d).selector = { matchLabels: { app: 'y' } };
    ((spec(d).template as Obj).metadata as Obj).labels = { app: 'y' };
  }), [422, 'Deployment.apps "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']);
});

test('a replica set\'s selector is immutable, a replication controller\'s is not', () => {
  const reg = setup();
  reg.create(R.replicasets, 'default', { metadata: { name: 'rs' }, spec: web });
  const [code] = change(reg, R.replicasets, 'default', 'rs', (rs) => {
    spec(rs).selector = { matchLabels: { app: 'x', tier: 'a' } };
    ((spec(rs).template as Obj).metadata as Obj).labels = { app: 'x', tier: 'a' };
  });
  assert.equal(code, 422);
  reg.create(R.replicationcontrollers, 'default', { metadata: { name: 'rc' }, spec: { selector: { app: 'x' }, template: web.template } });
  assert.equal(change(reg, R.replicationcontrollers, 'default', 'rc', (rc) => {
    spec(rc).selector = { app: 'x', tier: 'a' };
    ((spec(rc).template as Obj).metadata as Obj).labels = { app: 'x', tier: 'a' };
  })[0], 0);
});

test('a deployment\'s generation moves with its spec and annotations, not with status writes', () => {
  const reg = setup();
  reg.create(R.deployments, 'default', { metadata: { name: 'd' }, spec: web });
  change(reg, R.deployments, 'default', 'd', (d) => {
    spec(d).replicas = 3;
  });
  assert.equal(reg.get(R.deployments, 'default', 'd').metadata.generation, 2);
  change(reg, R.deployments, 'default', 'd', (d) => {
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'scale' };
  });
  assert.equal(reg.get(R.deployments, 'default', 'd').metadata.generation, 3);
  change(reg, R.deployments, 'default', 'd', (d) => {
    d.status = { replicas: 3, observedGeneration: 3 };
  }, { subresource: 'status' });
  const d = reg.get(R.deployments, 'default', 'd');
  assert.equal(d.metadata.generation, 3);
  assert.deepEqual(d.status, { replicas: 3, observedGeneration: 3 });
  // a status write that breaks the status rules is refused
  assert.deepEqual(change(reg, R.deployments, 'default', 'd', (x) => {
    x.status = { replicas: 1, readyReplicas: 2 };
  }, { subresource: 'status' }), [422, 'Deployment.apps "d" is invalid: status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas']);
});

test('a service\'s cluster IP may not change once set', () => {
  const reg = setup();
  reg.create(R.services, 'default', { metadata: { name: 's' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] } });
  assert.deepEqual(change(reg, R.services, 'default', 's', (s) => {
    spec(s).clusterIP = '10.96.0.99';
  }), [422, 'Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']);
});

test('a ClusterIP service\'s status may not carry load-balancer ingress', () => {
  const reg = setup();
  reg.create(R.services, 'default', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
  assert.deepEqual(change(reg, R.services, 'default', 's', (s) => {
    s.status = { loadBalancer: { ingress: [{ ip: '172.18.0.100' }] } };
  }, { subresource: 'status' }), [422, "Service \"s\" is invalid: status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'"]);
});

test('a load balancer\'s ingress IP gets ipMode VIP through the status subresource', () => {
  const reg = setup();
  reg.create(R.services, 'default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
  change(reg, R.services, 'default', 'lb', (s) => {
    s.status = { loadBalancer: { ingress: [{ ip: '172.18.0.100' }] } };
  }, { subresource: 'status' });
  assert.deepEqual(reg.get(R.services, 'default', 'lb').status, { loadBalancer: { ingress: [{ ip: '172.18.0.100', ipMode: 'VIP' }] } });
});

test('pod updates may change images, labels and added tolerations but nothing else in the spec', () => {
  const reg = setup();
  reg.create(R.pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });
  assert.equal(change(reg, R.pods, 'default', 'p', (p) => {
    (spec(p).containers as Obj[])[0].image = 'nginx:1.28';
    p.metadata.labels = { app: 'web' };
    spec(p).tolerations = [...(spec(p).tolerations as Obj[]), { key: 'dedicated', operator: 'Exists' }];
  })[0], 0);
  assert.equal((spec(reg.get(R.pods, 'default', 'p')).containers as Obj[])[0].image, 'nginx:1.28');
  const [code, message] = change(reg, R.pods, 'default', 'p', (p) => {
    spec(p).restartPolicy = 'Never';
  });
  assert.equal(code, 422);
  assert.ok(message.startsWith('Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n'), message);
  assert.match(message, /- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",/);
  assert.deepEqual(change(reg, R.pods, 'default', 'p', (p) => {
    spec(p).containers = [...(spec(p).containers as Obj[]), { name: 'd', image: 'busybox:1.36' }];
  }), [422, 'Pod "p" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('a pod is bound by setting spec.nodeName once; moving it is refused', () => {
  const reg = setup();
  reg.create(R.pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });
  assert.equal(change(reg, R.pods, 'default', 'p', (p) => {
    spec(p).nodeName = 'kind-worker';
  })[0], 0);
  const [code, message] = change(reg, R.pods, 'default', 'p', (p) => {
    spec(p).nodeName = 'kind-worker2';
  });
  assert.equal(code, 422);
  assert.match(message, /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than/);
});

test('a pod\'s status is written through the status subresource only, keeps its QoS class and is validated', () => {
  const reg = setup();
  reg.create(R.pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });
  change(reg, R.pods, 'default', 'p', (p) => {
    p.status = { phase: 'Running' };
  });
  assert.equal((reg.get(R.pods, 'default', 'p').status as Obj).phase, 'Pending');
  change(reg, R.pods, 'default', 'p', (p) => {
    p.status = { phase: 'Running', podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: 'True' }] };
  }, { subresource: 'status' });
  const st = reg.get(R.pods, 'default', 'p').status as Obj;
  assert.deepEqual(st, { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], qosClass: 'BestEffort', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null }] });
  assert.deepEqual(change(reg, R.pods, 'default', 'p', (p) => {
    p.status = { phase: 'Running', podIP: 'x' };
  }, { subresource: 'status' }), [422, 'Pod "p" is invalid: status.podIPs[0]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
});

test('a pod not bound to a node is deleted at once; a bound one waits its grace period', () => {
  const reg = setup();
  const mk = (name: string, extra: Obj = {}): void => {
    reg.create(R.pods, 'default', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...extra } });
  };
  mk('unbound');
  assert.equal(reg.delete(R.pods, 'default', 'unbound').deleted, true);
  mk('bound', { nodeName: 'kind-worker' });
  const d = reg.delete(R.pods, 'default', 'bound');
  assert.equal(d.deleted, false);
  assert.equal(d.object.metadata.deletionGracePeriodSeconds, 30);
  const created = Date.parse(d.object.metadata.creationTimestamp!);
  assert.ok(Date.parse(d.object.metadata.deletionTimestamp!) - created >= 30_000);
  mk('quick', { nodeName: 'kind-worker', terminationGracePeriodSeconds: 5 });
  assert.equal(reg.delete(R.pods, 'default', 'quick').object.metadata.deletionGracePeriodSeconds, 5);
  mk('asked', { nodeName: 'kind-worker' });
  assert.equal(reg.delete(R.pods, 'default', 'asked', { gracePeriodSeconds: 2 }).object.metadata.deletionGracePeriodSeconds, 2);
  mk('now', { nodeName: 'kind-worker' });
  assert.equal(reg.delete(R.pods, 'default', 'now', { gracePeriodSeconds: 0 }).deleted, true);
  mk('done', { nodeName: 'kind-worker' });
  change(reg, R.pods, 'default', 'done', (p) => {
    p.status = { phase: 'Succeeded' };
  }, { subresource: 'status' });
  assert.equal(reg.delete(R.pods, 'default', 'done').deleted, true);
});

test('a secret\'s type is immutable and an immutable config map keeps its data', () => {
  const reg = setup();
  reg.create(R.secrets, 'default', { metadata: { name: 's' }, data: { k: 'dg==' } });
  assert.deepEqual(change(reg, R.secrets, 'default', 's', (s) => {
    s.type = 'example.com/custom';
  }), [422, 'Secret "s" is invalid: type: Invalid value: "example.com/custom": field is immutable']);
  reg.create(R.configmaps, 'default', { metadata: { name: 'cm' }, data: { a: '1' }, immutable: true });
  assert.deepEqual(change(reg, R.configmaps, 'default', 'cm', (cm) => {
    cm.data = { a: '2' };
  }), [422, 'ConfigMap "cm" is invalid: data: Forbidden: field is immutable when `immutable` is set']);
});

test('a namespace keeps its finalizers while active and goes once the controller clears them while terminating', () => {
  const reg = setup();
  reg.create(R.namespaces, undefined, { metadata: { name: 'team' } });
  change(reg, R.namespaces, undefined, 'team', (ns) => {
    ns.spec = { finalizers: [] };
  });
  assert.deepEqual(reg.get(R.namespaces, undefined, 'team').spec, { finalizers: ['kubernetes'] });
  const d = reg.delete(R.namespaces, undefined, 'team');
  assert.equal((d.object.status as Obj).phase, 'Terminating');
  change(reg, R.namespaces, undefined, 'team', (ns) => {
    ns.spec = { finalizers: [] };
  });
  assert.equal(reg.tryGet(R.namespaces, undefined, 'team'), undefined);
});

test('an endpoint slice\'s generation moves with its endpoints and labels', () => {
  const reg = setup();
  reg.create(R.endpointslices, 'default', { metadata: { name: 'es', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.2'] }] });
  change(reg, R.endpointslices, 'default', 'es', (es) => {
    es.endpoints = [{ addresses: ['10.244.1.3'] }];
  });
  assert.equal(reg.get(R.endpointslices, 'default', 'es').metadata.generation, 2);
  change(reg, R.endpointslices, 'default', 'es', (es) => {
    es.metadata.labels = { 'kubernetes.io/service-name': 'web', x: 'y' };
  });
  assert.equal(reg.get(R.endpointslices, 'default', 'es').metadata.generation, 3);
  assert.deepEqual(change(reg, R.endpointslices, 'default', 'es', (es) => {
    es.addressType = 'IPv6';
    es.endpoints = [];
  }), [422, 'EndpointSlice.discovery.k8s.io "es" is invalid: addressType: Invalid value: "IPv6": field is immutable']);
});

test('a node\'s pod CIDR may be set once', () => {
  const reg = setup();
  reg.create(R.nodes, undefined, { metadata: { name: 'n1' } });
  assert.equal(change(reg, R.nodes, undefined, 'n1', (n) => {
    n.spec = { podCIDR: '10.244.1.0/24' };
  })[0], 0);
  assert.deepEqual(change(reg, R.nodes, undefined, 'n1', (n) => {
    n.spec = { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] };
  }), [422, 'Node "n1" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
});
