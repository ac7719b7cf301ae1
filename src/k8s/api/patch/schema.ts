/**
 * Patch metadata of the built-in kinds: what k8s.io/api declares with `patchStrategy`/`patchMergeKey`
 * struct tags (read by strategic merge patch) and with `+listType`/`+listMapKey`/`+mapType`/`+structType`
 * markers (read by server-side apply), as a tree the merges walk alongside the object.
 *
 * Only fields that carry such metadata, or whose shape matters for field ownership, are declared;
 * every other field is "deduced" from its value: objects merge key by key, lists are atomic and are
 * replaced whole. That is also how a kind this table does not know (a CRD) is treated.
 */

export interface Schema {
  /**
   * `struct`: an object with named fields (Go struct); `map`: an object whose keys are data
   * (map[string]X, e.g. labels), each value described by `elem`; `list`: items described by `elem`;
   * `scalar`. No type: deduce it from the value.
   */
  type?: 'struct' | 'map' | 'list' | 'scalar';
  /** Declared fields of a struct. Undeclared fields of a struct are deduced. */
  fields?: Readonly<Record<string, Schema>>;
  /** Value of a map, or item of a list. */
  elem?: Schema;

  // --- strategic merge patch (struct tags) ---
  /** `patchStrategy:"merge"` merges lists (by `patchMergeKey` for lists of objects); `replace` replaces a map whole. */
  patchStrategy?: 'merge' | 'replace';
  /** `patchStrategy:"...,retainKeys"`: a patch of this map (or of each item of this list) clears the keys it does not list. */
  retainKeys?: boolean;
  patchMergeKey?: string;

  // --- server-side apply (OpenAPI extensions) ---
  /** `x-kubernetes-list-type`; absent means atomic. */
  listType?: 'atomic' | 'set' | 'map';
  /** `x-kubernetes-list-map-keys`. */
  listMapKeys?: readonly string[];
  /** Defaults of map keys an item may omit (`+default` on the key field, e.g. protocol TCP). */
  keyDefaults?: Readonly<Record<string, unknown>>;
  /** `x-kubernetes-map-type: atomic` / `structType=atomic`: owned and replaced as one value. */
  atomic?: boolean;
  /**
   * The field is in the Go zero value of the kind: a non-pointer struct (serialized as `{}`) or a
   * field without omitempty (serialized as null, e.g. PodSpec.containers). Field ownership of an
   * update is the diff from the old object, and on create the old object is that zero value: such
   * fields are not "added", which shows in managedFields (no `.` entry).
   */
  zero?: boolean;
}

const scalar: Schema = { type: 'scalar' };

function struct(fields: Record<string, Schema>, extra: Partial<Schema> = {}): Schema {
  return { type: 'struct', fields, ...extra };
}

/** map[string]X with granular ownership (labels, annotations, data). */
function mapOf(elem: Schema = scalar, extra: Partial<Schema> = {}): Schema {
  return { type: 'map', elem, ...extra };
}

/** A list replaced whole by both patch formats (no tag, `+listType=atomic`). */
function atomicList(elem?: Schema): Schema {
  return { type: 'list', elem, listType: 'atomic' };
}

/** A list of objects merged by key: `patchStrategy:"merge" patchMergeKey:key` and `+listType=map`. */
function keyedList(key: string, elem: Schema = struct({}), extra: Partial<Schema> = {}): Schema {
  return { type: 'list', elem, patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: [key], ...extra };
}

/** A list of scalars merged as a set: `patchStrategy:"merge"` and `+listType=set`. */
function setList(): Schema {
  return { type: 'list', elem: scalar, patchStrategy: 'merge', listType: 'set' };
}

/** metav1.LabelSelector is `+structType=atomic`. */
const labelSelector = struct({ matchLabels: mapOf(), matchExpressions: atomicList() }, { atomic: true });

/** metav1.ObjectMeta. */
const objectMeta = struct({
  labels: mapOf(),
  annotations: mapOf(),
  finalizers: setList(),
  ownerReferences: keyedList('uid'),
  managedFields: atomicList(),
}, { zero: true });

const conditions = keyedList('type');

const container = struct({
  // Ports and service ports are SSA maps on (port, protocol) while SMP merges on the port alone;
  // protocol has `+default="TCP"`, so an item without it gets the key protocol=TCP.
  ports: keyedList('containerPort', struct({}), { listMapKeys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } }),
  env: keyedList('name'),
  envFrom: atomicList(),
  volumeMounts: keyedList('mountPath'),
  volumeDevices: keyedList('devicePath'),
  resources: struct({ limits: mapOf(), requests: mapOf(), claims: { type: 'list', elem: struct({}), listType: 'map', listMapKeys: ['name'] } }),
  resizePolicy: atomicList(),
  command: atomicList(),
  args: atomicList(),
});

const podSpec = struct({
  volumes: keyedList('name', struct({}), { retainKeys: true }),
  initContainers: keyedList('name', container),
  containers: keyedList('name', container, { zero: true }),
  ephemeralContainers: keyedList('name', container),
  imagePullSecrets: keyedList('name'),
  hostAliases: keyedList('ip', struct({ hostnames: atomicList() })),
  tolerations: atomicList(),
  readinessGates: atomicList(),
  nodeSelector: mapOf(scalar, { atomic: true }),
  topologySpreadConstraints: keyedList('topologyKey', struct({ labelSelector, matchLabelKeys: atomicList() }), { listMapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
  schedulingGates: keyedList('name'),
  resourceClaims: keyedList('name', struct({}), { retainKeys: true }),
  overhead: mapOf(),
}, { zero: true });

const podStatus = struct({
  conditions,
  podIPs: keyedList('ip'),
  hostIPs: keyedList('ip'),
  containerStatuses: atomicList(),
  initContainerStatuses: atomicList(),
  ephemeralContainerStatuses: atomicList(),
  resourceClaimStatuses: keyedList('name', struct({}), { retainKeys: true }),
}, { zero: true });

const podTemplateSpec = struct({ metadata: objectMeta, spec: podSpec }, { zero: true });

/** Kinds with a pod template and a selector (Deployment, ReplicaSet, DaemonSet, StatefulSet). */
function workload(specFields: Record<string, Schema> = {}): Schema {
  return struct({
    metadata: objectMeta,
    spec: struct({ selector: labelSelector, template: podTemplateSpec, ...specFields }, { zero: true }),
    status: struct({ conditions }, { zero: true }),
  });
}

const pod = struct({ metadata: objectMeta, spec: podSpec, status: podStatus });

const deployment = workload({
  // DeploymentStrategy has `patchStrategy:"retainKeys"`: switching type clears rollingUpdate.
  strategy: struct({}, { retainKeys: true, zero: true }),
});

const replicaSet = workload();

const daemonSet = workload({ updateStrategy: struct({}, { zero: true }) });

const statefulSet = workload({ updateStrategy: struct({}, { zero: true }), volumeClaimTemplates: atomicList() });

const replicationController = struct({
  metadata: objectMeta,
  spec: struct({ selector: mapOf(scalar, { atomic: true }), template: struct({ metadata: objectMeta, spec: podSpec }) }, { zero: true }),
  status: struct({ conditions }, { zero: true }),
});

const jobSpec = struct({ selector: labelSelector, template: podTemplateSpec }, { zero: true });

const job = struct({
  metadata: objectMeta,
  spec: jobSpec,
  // JobStatus.conditions keeps the merge tags but is `+listType=atomic` for apply.
  status: struct({ conditions: keyedList('type', struct({}), { listType: 'atomic', listMapKeys: undefined }) }, { zero: true }),
});

const cronJob = struct({
  metadata: objectMeta,
  spec: struct({ jobTemplate: struct({ metadata: objectMeta, spec: jobSpec }, { zero: true }) }, { zero: true }),
  status: struct({ active: atomicList() }, { zero: true }),
});

const podTemplate = struct({ metadata: objectMeta, template: podTemplateSpec });

const service = struct({
  metadata: objectMeta,
  spec: struct({
    ports: keyedList('port', struct({}), { listMapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } }),
    selector: mapOf(scalar, { atomic: true }),
    clusterIPs: atomicList(),
    externalIPs: atomicList(),
    loadBalancerSourceRanges: atomicList(),
    ipFamilies: atomicList(),
  }, { zero: true }),
  status: struct({ loadBalancer: struct({ ingress: atomicList() }, { zero: true }), conditions }, { zero: true }),
});

const node = struct({
  metadata: objectMeta,
  spec: struct({
    // NodeSpec.podCIDRs carries `patchStrategy:"merge"` (a merged list of strings). Taints have
    // no patch tags upstream: they are replaced whole (`+listType=atomic`), not merged by key.
    podCIDRs: setList(),
    taints: atomicList(),
  }, { zero: true }),
  status: struct({
    addresses: keyedList('type'),
    conditions,
    capacity: mapOf(),
    allocatable: mapOf(),
    images: atomicList(),
    volumesInUse: atomicList(),
    volumesAttached: atomicList(),
  }, { zero: true }),
});

const namespace = struct({
  metadata: objectMeta,
  spec: struct({ finalizers: atomicList() }, { zero: true }),
  status: struct({ conditions }, { zero: true }),
});

const configMap = struct({ metadata: objectMeta, data: mapOf(), binaryData: mapOf() });

const secret = struct({ metadata: objectMeta, data: mapOf(), stringData: mapOf() });

const serviceAccount = struct({ metadata: objectMeta, secrets: keyedList('name'), imagePullSecrets: atomicList() });

// Endpoints and EndpointSlice carry no patch tags: every list is replaced whole.
const endpoints = struct({ metadata: objectMeta, subsets: atomicList() });

const endpointSlice = struct({ metadata: objectMeta, endpoints: atomicList(), ports: atomicList() });

const podDisruptionBudget = struct({
  metadata: objectMeta,
  // PodDisruptionBudgetSpec.selector is tagged `patchStrategy:"replace"`.
  spec: struct({ selector: { ...labelSelector, patchStrategy: 'replace' } }, { zero: true }),
  status: struct({ conditions, disruptedPods: mapOf() }, { zero: true }),
});

const KINDS: Readonly<Record<string, Schema>> = {
  'v1/Pod': pod,
  'v1/PodTemplate': podTemplate,
  'v1/ReplicationController': replicationController,
  'v1/Service': service,
  'v1/Node': node,
  'v1/Namespace': namespace,
  'v1/ConfigMap': configMap,
  'v1/Secret': secret,
  'v1/ServiceAccount': serviceAccount,
  'v1/Endpoints': endpoints,
  'apps/v1/Deployment': deployment,
  'apps/v1/ReplicaSet': replicaSet,
  'apps/v1/DaemonSet': daemonSet,
  'apps/v1/StatefulSet': statefulSet,
  'batch/v1/Job': job,
  'batch/v1/CronJob': cronJob,
  'discovery.k8s.io/v1/EndpointSlice': endpointSlice,
  'policy/v1/PodDisruptionBudget': podDisruptionBudget,
};

/** What a kind the table does not know gets: typed metadata (shared by every kind, CRDs included), the rest deduced. */
const unknownKind = struct({ metadata: objectMeta });

/** The patch schema of a kind (`apiVersion` as in objects: `v1`, `apps/v1`). */
export function patchSchemaFor(apiVersion: string, kind: string): Schema {
  return KINDS[`${apiVersion}/${kind}`] ?? unknownKind;
}

/** Whether the table knows the kind (strategic merge patch is only defined for known kinds). */
export function hasPatchSchema(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in KINDS;
}

/** The schema of field `key` of an object described by `s` (undefined: deduce). */
export function fieldSchema(s: Schema | undefined, key: string): Schema | undefined {
  if (!s) return undefined;
  if (s.type === 'map') return s.elem;
  return s.fields?.[key];
}

/**
 * Whether `key` is a named field (a Go struct field) rather than a key of a map. Server-side apply
 * treats the two differently: map entries are owned themselves, struct fields only through their
 * leaves. Undeclared fields of structs and of deduced objects count as named, as they are upstream.
 */
export function isNamedField(s: Schema | undefined, _key: string): boolean {
  return s?.type !== 'map';
}
