/**
 * Test data, written by hand: (object, patch) pairs for our patch code and `kubectl patch --local`,
 * covering every strategic-merge-patch directive, JSON merge patch and JSON patch; and (previous
 * configuration, live object, new configuration) triples for the three-way patch of `kubectl apply`.
 */
import type { KObject } from '../object.ts';
import { LAST_APPLIED_ANNOTATION, lastAppliedConfiguration } from './apply.ts';

export type PatchType = 'strategic' | 'merge' | 'json';

export interface OracleFixture {
  name: string;
  type: PatchType;
  object: Record<string, unknown>;
  patch: unknown;
  /** The patch must fail (kubectl prints `error: ...`). */
  fails?: boolean;
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web', tier: 'front' },
    finalizers: ['a.example.com/x', 'b.example.com/y'],
    ownerReferences: [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'one', uid: 'u-1' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'two', uid: 'u-2' },
    ],
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, name: 'https' }],
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            volumeMounts: [{ name: 'v1', mountPath: '/data' }, { name: 'v2', mountPath: '/etc/conf' }],
            securityContext: { runAsUser: 1000 },
            command: ['nginx', '-g', 'daemon off;'],
          },
          { name: 'b', image: 'busybox', args: ['sleep', '3600'] },
        ],
        volumes: [
          { name: 'v1', emptyDir: {} },
          { name: 'v2', configMap: { name: 'conf' } },
        ],
        tolerations: [{ key: 'k1', operator: 'Exists' }, { key: 'k2', operator: 'Exists' }],
        imagePullSecrets: [{ name: 'reg1' }, { name: 'reg2' }],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['one'] }, { ip: '10.0.0.2', hostnames: ['two'] }],
        nodeSelector: { disk: 'ssd' },
      },
    },
  },
};

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'web', tier: 'front' },
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
    ],
    externalIPs: ['192.0.2.1', '192.0.2.2'],
  },
};

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
  spec: {
    podCIDR: '10.244.0.0/24',
    podCIDRs: ['10.244.0.0/24'],
    taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', value: 'x', effect: 'NoExecute' }],
  },
  status: {
    addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'n1' }],
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }, { type: 'MemoryPressure', status: 'False' }],
  },
};

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }],
    podIPs: [{ ip: '10.244.0.5' }],
  },
};

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default', annotations: { note: 'x' } },
  data: { a: '1', b: '2' },
};

const endpointSlice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.244.0.5'], conditions: { ready: true } },
    { addresses: ['10.244.0.6'], conditions: { ready: false } },
  ],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
};

const endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'default' },
  subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
};

const pdb = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web', tier: 'front' } } },
};

/** A patch under spec.template.spec of the deployment. */
function podSpecPatch(p: Record<string, unknown>): Record<string, unknown> {
  return { spec: { template: { spec: p } } };
}

const smp = (name: string, object: Record<string, unknown>, patch: unknown, fails = false): OracleFixture =>
  ({ name, type: 'strategic', object, patch, ...(fails ? { fails } : {}) });
const merge = (name: string, object: Record<string, unknown>, patch: unknown, fails = false): OracleFixture =>
  ({ name, type: 'merge', object, patch, ...(fails ? { fails } : {}) });
const json = (name: string, object: Record<string, unknown>, patch: unknown, fails = false): OracleFixture =>
  ({ name, type: 'json', object, patch, ...(fails ? { fails } : {}) });

export const FIXTURES: OracleFixture[] = [
  // --- strategic: merge keys ---
  smp('new container goes first', deployment, podSpecPatch({ containers: [{ name: 'c', image: 'redis' }] })),
  smp('container merged by name', deployment, podSpecPatch({ containers: [{ name: 'b', image: 'busybox:1.36' }] })),
  smp('container ports merged by containerPort', deployment, podSpecPatch({ containers: [{ name: 'a', ports: [{ containerPort: 443, name: 'tls' }, { containerPort: 8080 }] }] })),
  smp('env merged by name', deployment, podSpecPatch({ containers: [{ name: 'a', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] })),
  smp('volumeMounts merged by mountPath', deployment, podSpecPatch({ containers: [{ name: 'a', volumeMounts: [{ name: 'v3', mountPath: '/data' }] }] })),
  smp('imagePullSecrets merged by name', deployment, podSpecPatch({ imagePullSecrets: [{ name: 'reg3' }] })),
  smp('hostAliases merged by ip', deployment, podSpecPatch({ hostAliases: [{ ip: '10.0.0.2', hostnames: ['deux'] }] })),
  smp('ownerReferences merged by uid', deployment, { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'u-3' }] } }),
  smp('tolerations are replaced whole', deployment, podSpecPatch({ tolerations: [{ key: 'k3', operator: 'Exists' }] })),
  smp('command list is replaced whole', deployment, podSpecPatch({ containers: [{ name: 'a', command: ['httpd'] }] })),
  smp('service ports merged by port', service, { spec: { ports: [{ port: 443, targetPort: 9443 }, { name: 'dns', port: 53, protocol: 'UDP' }] } }),
  smp('service externalIPs replaced whole', service, { spec: { externalIPs: ['192.0.2.9'] } }),
  smp('service selector merged key by key', service, { spec: { selector: { tier: null, env: 'prod' } } }),
  smp('node taints replaced whole', node, { spec: { taints: [{ key: 'c', effect: 'NoSchedule' }] } }),
  smp('node podCIDRs merged as a set', node, { spec: { podCIDRs: ['fd00::/64'] } }),
  smp('node addresses merged by type', node, { status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.7' }, { type: 'Hostname', address: 'n1.example' }] } }),
  smp('node conditions merged by type', node, { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } }),
  smp('pod status conditions merged by type', pod, { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] } }),
  smp('endpointslice endpoints replaced whole', endpointSlice, { endpoints: [{ addresses: ['10.244.0.7'] }] }),
  smp('endpoints subsets replaced whole', endpoints, { subsets: [{ addresses: [{ ip: '10.244.0.9' }], ports: [{ port: 80 }] }] }),
  smp('configmap data merged, null deletes', configMap, { data: { a: null, c: '3' } }),
  smp('pdb selector (patchStrategy replace) replaced whole', pdb, { spec: { selector: { matchLabels: { app: 'api' } } } }),

  // --- strategic: nulls and values ---
  smp('null deletes a label', deployment, { metadata: { labels: { tier: null } } }),
  smp('null for an absent key is ignored', deployment, { metadata: { labels: { nothere: null } } }),
  smp('nulls inside a new value are dropped', deployment, { spec: { paused: true, revisionHistoryLimit: null, minReadySeconds: 5, template: { spec: { dnsConfig: { options: [{ name: 'ndots', value: null }], searches: null } } } } }),
  smp('null deletes a whole struct', deployment, { spec: { strategy: null } }),
  smp('a value of another type replaces the list', deployment, podSpecPatch({ tolerations: 'none' })),

  // --- strategic: $patch ---
  smp('$patch delete removes a container', deployment, podSpecPatch({ containers: [{ name: 'b', $patch: 'delete' }] })),
  smp('$patch delete removes a port of a container', deployment, podSpecPatch({ containers: [{ name: 'a', ports: [{ containerPort: 443, $patch: 'delete' }] }] })),
  smp('$patch delete of an unknown item is a no-op', deployment, podSpecPatch({ containers: [{ name: 'zz', $patch: 'delete' }] })),
  smp('$patch replace on a merge list', deployment, podSpecPatch({ containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] })),
  smp('$patch replace on a map', deployment, { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } }),
  smp('$patch delete on an existing map empties it', deployment, podSpecPatch({ containers: [{ name: 'a', securityContext: { $patch: 'delete' } }] })),
  smp('$patch delete on an absent map adds nothing', deployment, podSpecPatch({ securityContext: { $patch: 'delete' } })),
  smp('$patch replace on the whole object', configMap, { $patch: 'replace', apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm2' }, data: { z: '26' } }),
  smp('$patch merge in a list is refused', deployment, podSpecPatch({ containers: [{ name: 'a', $patch: 'merge' }] }), true),
  smp('$patch merge on a map is refused', deployment, { metadata: { $patch: 'merge', labels: { x: 'y' } } }, true),
  smp('unknown $patch value is refused', deployment, podSpecPatch({ containers: [{ name: 'a', $patch: 'explode' }] }), true),
  smp('$patch delete item without merge key is refused', deployment, podSpecPatch({ containers: [{ $patch: 'delete', image: 'x' }] }), true),
  smp('item without merge key is refused', deployment, podSpecPatch({ containers: [{ image: 'x' }] }), true),
  smp('directive items in a non-merge list are dropped when the list is new', deployment, podSpecPatch({ readinessGates: [{ conditionType: 'x' }, { conditionType: 'y', $patch: 'delete' }] })),
  smp('new item keeps nested directives verbatim', deployment, podSpecPatch({ containers: [{ name: 'n', image: 'i', ports: [{ containerPort: 1 }], '$setElementOrder/ports': [{ containerPort: 1 }] }] })),

  // --- strategic: $setElementOrder ---
  smp('$setElementOrder reorders containers', deployment, podSpecPatch({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] })),
  smp('$setElementOrder with changed and new items', deployment, podSpecPatch({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'n' }, { name: 'a' }], containers: [{ name: 'b', image: 'z' }, { name: 'n', image: 'q' }] })),
  smp('$setElementOrder naming a subset keeps server-only items', deployment, podSpecPatch({ containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'C' }, { name: 'B' }], env: [{ name: 'C', value: 'c' }] }] })),
  smp('$setElementOrder on primitives', deployment, { metadata: { '$setElementOrder/finalizers': ['b.example.com/y', 'c', 'a.example.com/x'], finalizers: ['c'] } }),
  smp('$setElementOrder out of order with the patch list is refused', deployment, podSpecPatch({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'z' }, { name: 'b', image: 'q' }] }), true),
  smp('$setElementOrder not a list is refused', deployment, podSpecPatch({ '$setElementOrder/containers': 'a' }), true),
  smp('$setElementOrder with delete directive', deployment, podSpecPatch({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', $patch: 'delete' }] })),

  // --- strategic: primitive lists ---
  smp('finalizers merged as a set', deployment, { metadata: { finalizers: ['c.example.com/z', 'a.example.com/x'] } }),
  smp('$deleteFromPrimitiveList removes finalizers', deployment, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example.com/x', 'nothere'] } }),
  smp('$deleteFromPrimitiveList with additions', deployment, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example.com/x'], finalizers: ['c'] } }),
  smp('$deleteFromPrimitiveList for an absent list adds nothing', pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }),
  smp('malformed $deleteFromPrimitiveList key is refused', deployment, { metadata: { $deleteFromPrimitiveList: ['x'] } }, true),
  smp('mixed element types are refused', deployment, { metadata: { finalizers: [1] } }, true),
  smp('list of lists is refused', { ...deployment, metadata: { ...deployment.metadata, finalizers: [] } }, { metadata: { finalizers: [['x']] } }, true),

  // --- strategic: $retainKeys ---
  smp('$retainKeys clears unlisted keys of a map', deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }),
  smp('$retainKeys on a volume switches its source', deployment, podSpecPatch({ volumes: [{ name: 'v1', $retainKeys: ['configMap', 'name'], configMap: { name: 'other' } }] })),
  smp('$retainKeys must list every patched key', deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 2 } } } }, true),
  smp('$retainKeys must be a list', deployment, { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } }, true),

  // --- JSON merge patch ---
  merge('merge patch replaces lists', deployment, podSpecPatch({ containers: [{ name: 'x', image: 'y' }] })),
  merge('merge patch null deletes', deployment, { metadata: { labels: { tier: null } }, spec: { replicas: null } }),
  merge('merge patch drops nulls in new objects', configMap, { data: { c: '3' }, binaryData: { x: null, y: 'AA==' }, immutable: true }),
  merge('merge patch prunes nulls in new values but not in a list replacing an object', { ...configMap, o: { x: 1 }, n: 1 },
    { o: [null, { b: null }], n: [{ b: null }, null], extra: { k: [{ z: null }] } }),
  merge('merge patch object replaced by scalar', configMap, { data: 'nope', metadata: { annotations: { note: null, n2: 'y' } } }),

  // --- JSON patch ---
  json('json patch add, replace, remove', deployment, [
    { op: 'add', path: '/metadata/labels/new', value: 'v' },
    { op: 'replace', path: '/spec/replicas', value: 5 },
    { op: 'remove', path: '/metadata/labels/tier' },
  ]),
  json('json patch array insert, append and negative index', deployment, [
    { op: 'add', path: '/spec/template/spec/containers/1', value: { name: 'mid', image: 'm' } },
    { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'last', image: 'l' } },
    { op: 'remove', path: '/spec/template/spec/containers/-1' },
  ]),
  json('json patch pointer escaping', deployment, [
    { op: 'add', path: '/metadata/annotations', value: {} },
    { op: 'add', path: '/metadata/annotations/example.com~1a~0b', value: 'x' },
    { op: 'copy', from: '/metadata/annotations/example.com~1a~0b', path: '/metadata/labels/copied' },
  ]),
  json('json patch move and test', deployment, [
    { op: 'test', path: '/spec/replicas', value: 2 },
    { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/layer' },
    { op: 'test', path: '/metadata/labels/nothere', value: null },
  ]),
  json('json patch failed test', deployment, [{ op: 'test', path: '/spec/replicas', value: 3 }], true),
  json('json patch remove of a missing key fails', deployment, [{ op: 'remove', path: '/spec/paused' }], true),
  json('json patch replace of a missing member sets it', deployment, [{ op: 'replace', path: '/spec/paused', value: true }]),
  json('json patch replace of the whole document', configMap, [{ op: 'replace', path: '', value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } } }]),
  json('json patch copy of a missing member copies null', configMap, [{ op: 'copy', from: '/data/nothere', path: '/data/c' }]),
  json('json patch path without leading slash drops its first token', configMap, [{ op: 'add', path: 'data/extra', value: 'x' }]),
  json('json patch add without value adds null', configMap, [{ op: 'add', path: '/data/b' }]),
  json('json patch replace past the end fails', configMap, [{ op: 'add', path: '/l', value: [1] }, { op: 'replace', path: '/l/1', value: 2 }], true),
  json('json patch move into its own child fails', configMap, [{ op: 'move', from: '/data', path: '/data/x' }], true),
  json('json patch add at the root fails', configMap, [{ op: 'add', path: '', value: {} }], true),
  json('json patch non-numeric index fails', configMap, [{ op: 'add', path: '/l', value: [] }, { op: 'add', path: '/l/x', value: 1 }], true),
  json('json patch add under a missing parent fails', deployment, [{ op: 'add', path: '/spec/nothere/x', value: 1 }], true),
  json('json patch index out of range fails', deployment, [{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }], true),
  json('json patch unknown op fails', deployment, [{ op: 'frobnicate', path: '/spec' }], true),
];

// --- three-way patches (kubectl apply) ---------------------------------------------------------

export interface ApplyCase {
  name: string;
  /** The configuration applied before (the live object's last-applied annotation), if any. */
  previous?: KObject;
  /** The live object, without the annotation (added from `previous`). */
  live: KObject;
  /** The configuration now applied. */
  config: KObject;
  /**
   * false: applying the configuration again still yields a patch, as with upstream kubectl: a merge
   * list holding items the configuration does not (added by the server, or left over because there
   * was no last-applied annotation to say they were ours) always gets its `$setElementOrder` sent,
   * and an explicit null, or a map with `patchStrategy:"replace"`, is always sent.
   */
  settles?: boolean;
}

const NS = 'default';

function applyDeployment(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS, ...meta }, spec };
}

function podTemplate(containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } };
}

const sel = { matchLabels: { app: 'web' } };

/** The §5.2 deployment, before and after. */
const doc52v1 = applyDeployment('doc52', {
  replicas: 3, selector: sel,
  template: podTemplate([
    { name: 'a', image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 443 }], env: [{ name: 'MODE', value: 'x' }] },
    { name: 'b', image: 'busybox' },
  ]),
}, { labels: { app: 'web', tier: 'front' } });
const doc52v2 = applyDeployment('doc52', {
  selector: sel,
  template: podTemplate([{ name: 'a', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }]),
}, { labels: { app: 'web' } });

function applyService(name: string, spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec };
}

/** The live object as a server would hold it: defaults and status added. */
function served(o: KObject, extra: (o: KObject) => void = () => {}): KObject {
  const out = structuredClone(o);
  out.metadata.uid = `uid-${o.metadata.name}`;
  out.metadata.resourceVersion = '42';
  out.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
  extra(out);
  return out;
}

function withDefaults(d: KObject): KObject {
  return served(d, (o) => {
    const spec = o.spec as { replicas?: number; strategy?: unknown; template: { spec: { containers: Record<string, unknown>[] } } };
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    for (const c of spec.template.spec.containers) {
      c.imagePullPolicy ??= 'IfNotPresent';
      c.terminationMessagePath = '/dev/termination-log';
    }
    o.status = { observedGeneration: 1, replicas: spec.replicas };
  });
}

export const APPLY_CASES: ApplyCase[] = ([] as ApplyCase[]).concat([
  { name: 'the §5.2 deployment (removed label, replicas, container, port and env)', previous: doc52v1, live: served(doc52v1), config: doc52v2 },
  {
    name: 'the §5.2 service (removed port, changed targetPort and type)',
    previous: applyService('doc52svc', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }, { port: 443, targetPort: 443 }] }),
    live: served(applyService('doc52svc', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }, { port: 443, targetPort: 443, protocol: 'TCP' }], clusterIP: '10.96.0.10', type: 'ClusterIP' })),
    config: applyService('doc52svc', { selector: { app: 'web' }, type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] }),
  },
  { name: 'nothing changed', previous: doc52v2, live: served(doc52v2), config: doc52v2 },
  { name: 'fields only the server set are left alone', previous: doc52v2, live: withDefaults(doc52v2), config: doc52v2 },
  { name: 'a field changed on the server is set back', previous: doc52v1, live: served(doc52v1, (o) => { (o.spec as Record<string, unknown>).replicas = 7; }), config: doc52v1 },
  {
    name: 'strategy switched to Recreate clears rollingUpdate ($retainKeys)',
    previous: applyDeployment('strat', { selector: sel, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, template: podTemplate([{ name: 'a', image: 'x' }]) }),
    live: withDefaults(applyDeployment('strat', { selector: sel, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, template: podTemplate([{ name: 'a', image: 'x' }]) })),
    config: applyDeployment('strat', { selector: sel, strategy: { type: 'Recreate' }, template: podTemplate([{ name: 'a', image: 'x' }]) }),
  },
  {
    name: 'a volume switching source ($retainKeys on list items)',
    previous: applyDeployment('vols', { selector: sel, template: podTemplate([{ name: 'a', image: 'x' }], { volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', secret: { secretName: 's' } }] }) }),
    live: served(applyDeployment('vols', { selector: sel, template: podTemplate([{ name: 'a', image: 'x' }], { volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', secret: { secretName: 's', defaultMode: 420 } }] }) })),
    config: applyDeployment('vols', { selector: sel, template: podTemplate([{ name: 'a', image: 'x' }], { volumes: [{ name: 'v', configMap: { name: 'c' } }, { name: 'w', secret: { secretName: 's' } }] }) }),
  },
  {
    name: 'finalizers added and removed (primitive merge list)',
    settles: false,
    previous: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', namespace: NS, finalizers: ['a/x', 'b/y'] }, data: { k: 'v' } },
    live: served({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', namespace: NS, finalizers: ['a/x', 'b/y', 'server/z'] }, data: { k: 'v' } }),
    config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', namespace: NS, finalizers: ['b/y', 'c/w'] }, data: { k: 'v' } },
  },
  {
    name: 'containers reordered and one added, env changed',
    previous: applyDeployment('order', { selector: sel, template: podTemplate([{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'b', image: 'y' }]) }),
    live: withDefaults(applyDeployment('order', { selector: sel, template: podTemplate([{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'b', image: 'y' }]) })),
    config: applyDeployment('order', { selector: sel, template: podTemplate([{ name: 'c', image: 'z' }, { name: 'b', image: 'y' }, { name: 'a', image: 'x', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }]) }),
  },
  {
    name: 'no last-applied annotation: nothing is deleted',
    settles: false,
    live: served(doc52v1),
    config: doc52v2,
  },
  {
    name: 'an explicit null in the configuration',
    settles: false,
    previous: applyDeployment('nul', { replicas: 2, selector: sel, template: podTemplate([{ name: 'a', image: 'x' }]) }),
    live: served(applyDeployment('nul', { replicas: 2, selector: sel, paused: true, template: podTemplate([{ name: 'a', image: 'x' }]) })),
    config: applyDeployment('nul', { replicas: 2, selector: sel, paused: null, template: podTemplate([{ name: 'a', image: 'x' }]) }),
  },
  {
    name: 'a PodDisruptionBudget selector (patchStrategy replace) is always sent',
    settles: false,
    previous: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: NS }, spec: { minAvailable: 1, selector: sel } },
    live: served({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: NS }, spec: { minAvailable: 1, selector: sel } }),
    config: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: NS }, spec: { minAvailable: 2, selector: sel } },
  },
  {
    name: 'node taints are replaced whole, podCIDRs merged',
    previous: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', labels: { a: 'b' } }, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }, { key: 'y', effect: 'NoSchedule' }], podCIDRs: ['10.0.0.0/24'] } },
    live: served({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', labels: { a: 'b', 'kubernetes.io/os': 'linux' } }, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }, { key: 'y', effect: 'NoSchedule' }], podCIDRs: ['10.0.0.0/24'] } }),
    config: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', labels: { a: 'c' } }, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }], podCIDRs: ['10.0.0.0/24', 'fd00::/64'] } },
  },
  {
    name: 'configmap data removed and added, annotations added',
    previous: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: NS }, data: { a: '1', b: '2' } },
    live: served({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: NS }, data: { a: '1', b: '2', c: 'server' } }),
    config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: NS, annotations: { note: '<&>' } }, data: { a: '9' } },
  },
  {
    name: 'pod ports and volumeMounts added to a container',
    previous: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: NS }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] } },
    live: served({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: NS }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }] }] }, status: { phase: 'Running' } }),
    config: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: NS }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }, { containerPort: 80 }], volumeMounts: [{ name: 'v', mountPath: '/v' }] }], volumes: [{ name: 'v', emptyDir: {} }] } },
  },
  {
    name: 'service selector and type changed',
    previous: applyService('svc2', { selector: { app: 'web', tier: 'a' }, ports: [{ port: 80 }] }),
    live: served(applyService('svc2', { selector: { app: 'web', tier: 'a' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', clusterIP: '10.96.1.1' })),
    config: applyService('svc2', { selector: { app: 'api' }, type: 'LoadBalancer', ports: [{ port: 80 }, { port: 81, protocol: 'UDP' }] }),
  },
]).map((c, i) => {
  // Every case gets its own object name, which the fake server routes by.
  const rename = (o: KObject | undefined) => o && { ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-${i}` } };
  return { ...c, previous: rename(c.previous), live: rename(c.live)!, config: rename(c.config)! };
});

/** A live object carrying the last-applied annotation kubectl would have written. */
export function liveObject(c: ApplyCase): KObject {
  const live = structuredClone(c.live);
  if (c.previous) live.metadata.annotations = { ...(live.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: lastAppliedConfiguration(c.previous) };
  return live;
}

/** The configuration as kubectl sends it: carrying its own last-applied annotation. */
export function modifiedObject(config: KObject): KObject {
  const modified = structuredClone(config);
  modified.metadata.annotations = { ...(modified.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: lastAppliedConfiguration(config) };
  return modified;
}
