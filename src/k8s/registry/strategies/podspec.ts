/**
 * PodSpec defaulting and validation, shared by Pods and every pod template (Deployments,
 * ReplicaSets, ReplicationControllers, DaemonSets).
 *
 * Defaults: pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, _Container, _Volume, _Probe,
 * _HTTPGetAction, _SecretVolumeSource, …, and SetDefaults_Pod for pods only) plus the
 * declarative `+default` markers of k8s.io/api/core/v1 (ContainerPort.protocol TCP), and the
 * v1 conversion that keeps `serviceAccount` equal to `serviceAccountName`.
 *
 * Validation: pkg/apis/core/validation/validation.go (ValidatePodSpec and the functions it
 * calls), in the same order so several errors come out as upstream lists them.
 */
import { badRequest } from '../../api/errors.ts';
import { validateAnnotations, validateLabelName, validateLabelSelector, validateLabels } from './meta.ts';
import {
  arr, child, duplicate, forbidden, goStrings, inclusiveRangeError, invalid, invalidGo, isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isObj,
  isQualifiedName, isRelaxedEnvVarName, isValidIP, isValidLabelValue, isValidPortName, isValidPortNum, nameIsDNSSubdomain, nonNegative,
  notFound, notSupported, required, setDefault, str, type Errs, type Obj,
} from './validation.ts';

// ---- defaults -----------------------------------------------------------------------------

/** The image's tag as kubelet's ParseImageName gives it: `latest` when neither tag nor digest is named. */
export function imageTag(image: string): string {
  if (!image || image !== image.trim() || /[A-Z]/.test(image.split('/').pop()!.split(/[:@]/)[0])) return '';
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > slash ? noDigest.slice(colon + 1) : '';
  if (!tag && at < 0) return 'latest';
  return tag;
}

function defaultHTTPGet(h: unknown): void {
  if (!isObj(h)) return;
  setDefault(h, 'path', '/');
  setDefault(h, 'scheme', 'HTTP');
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  defaultHTTPGet(h.httpGet);
  if (isObj(h.grpc) && h.grpc.service === undefined) h.grpc.service = '';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHandler(p);
}

function defaultFieldRef(f: unknown): void {
  if (isObj(f)) setDefault(f, 'apiVersion', 'v1');
}

export function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(str(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  // ResourceRequirements is a struct in Go, so `resources: {}` is always serialized.
  if (!isObj(c.resources)) c.resources = {};
  for (const p of arr(c.ports)) if (isObj(p)) setDefault(p, 'protocol', 'TCP');
  for (const e of arr(c.env)) if (isObj(e) && isObj(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
] as const;

/** The path element upstream's "may not specify more than 1 volume type" names (two differ from the JSON key). */
const VOLUME_FORBIDDEN_NAME: Record<string, string> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };

function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  if (isObj(v.secret) && v.secret.defaultMode == null) v.secret.defaultMode = 420;
  if (isObj(v.configMap) && v.configMap.defaultMode == null) v.configMap.defaultMode = 420;
  if (isObj(v.downwardAPI)) {
    if (v.downwardAPI.defaultMode == null) v.downwardAPI.defaultMode = 420;
    for (const i of arr(v.downwardAPI.items)) if (isObj(i)) defaultFieldRef(i.fieldRef);
  }
  if (isObj(v.hostPath) && v.hostPath.type == null) v.hostPath.type = '';
  if (isObj(v.projected)) {
    if (v.projected.defaultMode == null) v.projected.defaultMode = 420;
    for (const s of arr(v.projected.sources)) {
      if (!isObj(s)) continue;
      if (isObj(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds == null) s.serviceAccountToken.expirationSeconds = 3600;
      if (isObj(s.downwardAPI)) for (const i of arr(s.downwardAPI.items)) if (isObj(i)) defaultFieldRef(i.fieldRef);
    }
  }
}

/**
 * SetDefaults_PodSpec and everything nested in a PodSpec. `isPod` adds SetDefaults_Pod (requests
 * from limits, enableServiceLinks, host ports on the host network), which templates do not get.
 */
export function defaultPodSpec(spec: Obj, isPod: boolean): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds == null) spec.terminationGracePeriodSeconds = 30;
  setDefault(spec, 'schedulerName', 'default-scheduler');
  // v1 conversion: serviceAccount is the deprecated twin of serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of arr(spec[list])) if (isObj(c)) defaultContainer(c);
  for (const v of arr(spec.volumes)) if (isObj(v)) defaultVolume(v);
  if (isPod) {
    for (const list of ['containers', 'initContainers']) {
      for (const c of arr(spec[list])) {
        if (!isObj(c) || !isObj(c.resources) || !isObj(c.resources.limits)) continue;
        const req = child(c.resources, 'requests');
        for (const [k, q] of Object.entries(c.resources.limits)) if (req[k] === undefined) req[k] = q;
      }
    }
    if (spec.enableServiceLinks == null) spec.enableServiceLinks = true;
    if (spec.hostNetwork === true) {
      for (const list of ['containers', 'initContainers']) {
        for (const c of arr(spec[list])) for (const p of arr(isObj(c) ? c.ports : undefined)) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
      }
    }
  }
}

/** A pod template: its metadata (`creationTimestamp: null`, as metav1.Time marshals unset) and its spec. */
export function defaultPodTemplate(t: unknown): void {
  if (!isObj(t)) return;
  const md = child(t, 'metadata');
  if (md.creationTimestamp === undefined) md.creationTimestamp = null;
  defaultPodSpec(child(t, 'spec'), false);
}

// ---- quantities ---------------------------------------------------------------------------

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A resource.Quantity's value, or undefined when it does not parse. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return undefined;
  const num = Number(m[1]);
  const s = m[2];
  if (s in SUFFIX) return num * SUFFIX[s];
  const e = /^[eE]([-+]?\d+)$/.exec(s);
  return e ? num * 10 ** Number(e[1]) : undefined;
}

/** The 400 the decoder gives a body it cannot convert (`Pod in version "v1" cannot be handled as a Pod: …`). */
export function decodeError(kind: string, apiVersion: string, why: string): Error {
  return badRequest(`${kind} in version "${apiVersion}" cannot be handled as a ${kind}: ${why}`);
}

const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Throws the decoder's 400 for a quantity that does not parse, anywhere in a pod spec's resources. */
export function checkQuantities(spec: Obj, kind: string, apiVersion: string): void {
  for (const list of ['containers', 'initContainers']) {
    for (const c of arr(spec[list])) {
      if (!isObj(c) || !isObj(c.resources)) continue;
      for (const part of ['limits', 'requests']) {
        const rl = c.resources[part];
        if (!isObj(rl)) continue;
        for (const q of Object.values(rl)) if (parseQuantity(q) === undefined) throw decodeError(kind, apiVersion, QUANTITY_ERROR);
      }
    }
  }
}

// ---- validation ---------------------------------------------------------------------------

export interface PodSpecOptions {
  /** The spec belongs to a Pod (not a template): pod-only rules apply. */
  isPod: boolean;
  /** The pod's name, for ephemeral volume claim names. */
  podName?: string;
}

const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'requests.storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);

function validateContainerPorts(ports: unknown, path: string): Errs {
  const errs: Errs = [];
  const names = new Set<string>();
  arr(ports).forEach((p, i) => {
    const ip = `${path}[${i}]`;
    const name = str(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(`${ip}.name`, name, m));
      else if (names.has(name)) errs.push(duplicate(`${ip}.name`, name));
      else names.add(name);
    }
    if (!p.containerPort) errs.push(required(`${ip}.containerPort`));
    else for (const m of isValidPortNum(p.containerPort)) errs.push(invalid(`${ip}.containerPort`, p.containerPort, m));
    if (p.hostPort) for (const m of isValidPortNum(p.hostPort)) errs.push(invalid(`${ip}.hostPort`, p.hostPort, m));
    if (!p.protocol) errs.push(required(`${ip}.protocol`));
    else if (!SUPPORTED_PROTOCOLS.includes(String(p.protocol))) errs.push(notSupported(`${ip}.protocol`, p.protocol, SUPPORTED_PROTOCOLS));
  });
  return errs;
}

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const CONVERTIBLE_FIELD_PATHS = new Set(['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

function validateObjectFieldSelector(fs: Obj, valid: readonly string[], path: string): Errs {
  if (!fs.apiVersion) return [required(`${path}.apiVersion`)];
  if (!fs.fieldPath) return [required(`${path}.fieldPath`)];
  const fp = String(fs.fieldPath);
  const sub = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(fp);
  if (sub) {
    const key = sub[1] === 'metadata.annotations' ? sub[2].toLowerCase() : sub[2];
    return isQualifiedName(key).map((m) => invalid(path, key, m));
  }
  if (!CONVERTIBLE_FIELD_PATHS.has(fp)) return [invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  if (!valid.includes(fp)) return [notSupported(`${path}.fieldPath`, fp, [...valid].sort())];
  return [];
}

function validateKeySelector(s: Obj, path: string): Errs {
  const errs: Errs = [];
  for (const m of nameIsDNSSubdomain(str(s.name), false)) errs.push(invalid(`${path}.name`, str(s.name), m));
  if (!s.key) errs.push(required(`${path}.key`));
  else for (const m of isConfigMapKey(String(s.key))) errs.push(invalid(`${path}.key`, s.key, m));
  return errs;
}

function validateEnv(env: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(env).forEach((e, i) => {
    const ip = `${path}[${i}]`;
    if (!e.name) errs.push(required(`${ip}.name`));
    else for (const m of isRelaxedEnvVarName(String(e.name))) errs.push(invalid(`${ip}.name`, e.name, m));
    const vf = e.valueFrom;
    if (!isObj(vf)) return;
    const vp = `${ip}.valueFrom`;
    let n = 0;
    if (isObj(vf.fieldRef)) {
      n++;
      errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_FIELD_PATHS, `${vp}.fieldRef`));
    }
    if (isObj(vf.resourceFieldRef)) {
      n++;
      const r = str(vf.resourceFieldRef.resource);
      if (!r) errs.push(required(`${vp}.resourceFieldRef.resource`));
      else if (!RESOURCE_FIELD_PATHS.includes(r) && !/^(requests|limits)\.hugepages-/.test(r)) errs.push(notSupported(`${vp}.resourceFieldRef.resource`, r, RESOURCE_FIELD_PATHS));
    }
    if (isObj(vf.configMapKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, `${vp}.configMapKeyRef`));
    }
    if (isObj(vf.secretKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.secretKeyRef, `${vp}.secretKeyRef`));
    }
    if (n === 0) errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(e.value)) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(envFrom).forEach((e, i) => {
    const ip = `${path}[${i}]`;
    if (e.prefix) for (const m of isRelaxedEnvVarName(String(e.prefix))) errs.push(invalid(`${ip}.prefix`, e.prefix, m));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      const ref = e[k];
      if (!isObj(ref)) continue;
      n++;
      if (!ref.name) errs.push(required(`${ip}.${k}.name`));
      else for (const m of nameIsDNSSubdomain(String(ref.name), true)) errs.push(invalid(`${ip}.${k}.name`, ref.name, m));
    }
    if (n === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateLocalDescendingPath(p: string, path: string): Errs {
  const errs: Errs = [];
  if (p.startsWith('/')) errs.push(invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(invalid(path, p, "must not contain '..'"));
  return errs;
}

function validateVolumeMounts(mounts: unknown, vols: Map<string, Obj>, path: string): Errs {
  const errs: Errs = [];
  const points = new Set<string>();
  arr(mounts).forEach((m, i) => {
    const ip = `${path}[${i}]`;
    const name = str(m.name);
    if (!name) errs.push(required(`${ip}.name`));
    if (!vols.has(name)) errs.push(notFound(`${ip}.name`, name));
    const mp = str(m.mountPath);
    if (!mp) errs.push(required(`${ip}.mountPath`));
    if (points.has(mp)) errs.push(invalid(`${ip}.mountPath`, mp, 'must be unique'));
    points.add(mp);
    if (m.subPath) errs.push(...validateLocalDescendingPath(String(m.subPath), `${path}.subPath`));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(invalid(`${ip}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(String(m.subPathExpr), `${path}.subPathExpr`));
    }
    if (m.mountPropagation !== undefined && !['Bidirectional', 'HostToContainer', 'None'].includes(String(m.mountPropagation))) {
      errs.push(notSupported(`${path}.mountPropagation`, m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}

function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !name.startsWith('hugepages-');
}

/** validateResourceName: a qualified name, and a standard one when it has no domain. */
function validateResourceName(name: string, path: string): Errs {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-')) return [invalid(path, name, 'must be a standard resource type or fully qualified')];
  return [];
}

/** validateContainerResourceName: validateResourceName, then the container-specific rule. */
function validateContainerResourceName(name: string, path: string): Errs {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && name.startsWith('requests.')) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateResources(res: unknown, path: string): Errs {
  const errs: Errs = [];
  if (!isObj(res)) return errs;
  const limits = isObj(res.limits) ? res.limits : {};
  const requests = isObj(res.requests) ? res.requests : {};
  for (const [k, q] of Object.entries(limits)) {
    const p = `${path}.limits[${k}]`;
    errs.push(...validateContainerResourceName(k, p));
    const v = parseQuantity(q) ?? 0;
    if (v < 0) errs.push(invalid(p, String(q), IS_NEGATIVE_QTY));
  }
  for (const [k, q] of Object.entries(requests)) {
    const p = `${path}.requests[${k}]`;
    errs.push(...validateContainerResourceName(k, p));
    const v = parseQuantity(q) ?? 0;
    if (v < 0) errs.push(invalid(p, String(q), IS_NEGATIVE_QTY));
    if (limits[k] !== undefined) {
      const lim = parseQuantity(limits[k]) ?? 0;
      if (v !== lim && !isOvercommitAllowed(k)) errs.push(invalid(`${path}.requests`, String(q), `must be equal to ${k} limit of ${String(limits[k])}`));
      else if (v > lim) errs.push(invalid(`${path}.requests`, String(q), `must be less than or equal to ${k} limit of ${String(limits[k])}`));
    } else if (!isOvercommitAllowed(k)) {
      errs.push(required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

const IS_NEGATIVE_QTY = 'must be greater than or equal to 0';

function validateSecurityContext(sc: unknown, path: string): Errs {
  const errs: Errs = [];
  if (!isObj(sc)) return errs;
  for (const k of ['runAsUser', 'runAsGroup']) {
    const v = sc[k];
    if (typeof v === 'number' && (v < 0 || v > 0xffffffff)) errs.push(invalid(`${path}.${k}`, v, inclusiveRangeError(0, 4294967295)));
  }
  if (sc.procMount !== undefined && !['Default', 'Unmasked'].includes(String(sc.procMount))) errs.push(notSupported(`${path}.procMount`, sc.procMount, ['Default', 'Unmasked']));
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): Errs {
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path, port, m));
  const n = typeof port === 'number' ? port : 0;
  return isValidPortNum(n).map((m) => invalid(path, n, m));
}

function validateHandler(h: Obj, grace: number | undefined, path: string, probe: boolean): Errs {
  const errs: Errs = [];
  let n = 0;
  const kinds = probe ? ['exec', 'httpGet', 'tcpSocket', 'grpc'] : ['exec', 'httpGet', 'tcpSocket', 'sleep'];
  for (const k of kinds) {
    const v = h[k];
    if (!isObj(v)) continue;
    if (n > 0) {
      errs.push(forbidden(`${path}.${k}`, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const p = `${path}.${k}`;
    if (k === 'exec' && !arr(v.command).length) errs.push(required(`${p}.command`));
    if (k === 'httpGet') {
      if (!v.path) errs.push(required(`${p}.path`));
      errs.push(...validatePortNumOrName(v.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(String(v.scheme))) errs.push(notSupported(`${p}.scheme`, v.scheme ?? '', ['HTTP', 'HTTPS']));
    }
    if (k === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, `${p}.port`));
    if (k === 'grpc') errs.push(...validatePortNumOrName(typeof v.port === 'number' ? v.port : 0, `${p}.port`));
    if (k === 'sleep' && grace !== undefined) {
      // (PodLifecycleSleepActionAllowZero is alpha and off in 1.32)
      const s = typeof v.seconds === 'number' ? v.seconds : 0;
      if (s <= 0 || s > grace) errs.push(invalid(p, s, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`));
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(p: unknown, grace: number | undefined, path: string, which: 'liveness' | 'readiness' | 'startup'): Errs {
  if (!isObj(p)) return [];
  const errs = validateHandler(p, grace, path, true);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) errs.push(...nonNegative(p[k], `${path}.${k}`));
  if (typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  if (which === 'readiness' && p.terminationGracePeriodSeconds != null) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  if (which !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  return errs;
}

function validateContainerCommon(c: Obj, vols: Map<string, Obj>, path: string): Errs {
  const errs: Errs = [];
  const name = str(c.name);
  if (!name) errs.push(required(`${path}.name`));
  else for (const m of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, m));
  if (!c.image) errs.push(required(`${path}.image`));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c.volumeMounts, vols, `${path}.volumeMounts`));
  const pp = str(c.imagePullPolicy);
  if (!pp) errs.push(required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pp)) errs.push(notSupported(`${path}.imagePullPolicy`, pp, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResources(c.resources, `${path}.resources`));
  errs.push(...validateSecurityContext(c.securityContext, `${path}.securityContext`));
  return errs;
}

function hostPortConflicts(containers: Obj[], path: string, seen = new Set<string>()): Errs {
  const errs: Errs = [];
  containers.forEach((c, ci) => {
    arr(c.ports).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${str(p.protocol)}/${str(p.hostIP)}/${String(p.hostPort)}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(list: unknown, vols: Map<string, Obj>, grace: number | undefined, path: string): Errs {
  const containers = arr(list);
  if (!containers.length) return [required(path)];
  const errs: Errs = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (isObj(c.lifecycle)) {
      for (const k of ['postStart', 'preStop']) if (isObj(c.lifecycle[k])) errs.push(...validateHandler(c.lifecycle[k] as Obj, grace, `${p}.lifecycle.${k}`, false));
    }
    errs.push(...validateProbe(c.livenessProbe, grace, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, grace, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, grace, `${p}.startupProbe`, 'startup'));
    if (c.restartPolicy != null) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(list: unknown, regular: unknown, vols: Map<string, Obj>, grace: number | undefined, path: string): Errs {
  const errs: Errs = [];
  const names = new Set(arr(regular).map((c) => str(c.name)));
  arr(list).forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p));
    let always = false;
    if (c.restartPolicy != null) {
      if (c.restartPolicy !== 'Always') errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      always = c.restartPolicy === 'Always';
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([c], path));
    if (always) {
      if (isObj(c.lifecycle)) for (const k of ['postStart', 'preStop']) if (isObj(c.lifecycle[k])) errs.push(...validateHandler(c.lifecycle[k] as Obj, grace, `${p}.lifecycle.${k}`, false));
      errs.push(...validateProbe(c.livenessProbe, grace, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, grace, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, grace, `${p}.startupProbe`, 'startup'));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[k] != null) errs.push(forbidden(`${p}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(v: unknown, path: string): Errs {
  return typeof v === 'number' && (v < 0 || v > 0o777) ? [invalid(path, v, FILE_MODE)] : [];
}

function validateKeyToPaths(items: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(items).forEach((kp, i) => {
    const p = `${path}[${i}]`;
    if (!kp.key) errs.push(required(`${p}.key`));
    if (!kp.path) errs.push(required(`${p}.path`));
    const tp = str(kp.path);
    errs.push(...validateLocalDescendingPath(tp, `${p}.path`));
    if (tp.startsWith('..') && !tp.startsWith('../')) errs.push(invalid(`${p}.path`, tp, "must not start with '..'"));
    errs.push(...validateMode(kp.mode, `${p}.mode`));
  });
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateVolumeSource(v: Obj, path: string): Errs {
  const errs: Errs = [];
  let n = 0;
  for (const k of VOLUME_SOURCES) {
    const src = v[k];
    if (src === undefined || src === null) continue;
    if (n > 0) {
      errs.push(forbidden(`${path}.${VOLUME_FORBIDDEN_NAME[k] ?? k}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const s = isObj(src) ? src : {};
    const p = `${path}.${k}`;
    switch (k) {
      case 'hostPath':
        if (!s.path) errs.push(required(`${p}.path`));
        else {
          if (String(s.path).split('/').includes('..')) errs.push(invalid(`${p}.path`, s.path, "must not contain '..'"));
          if (s.type != null && !HOST_PATH_TYPES.includes(String(s.type))) errs.push(notSupported(`${p}.type`, s.type, HOST_PATH_TYPES));
        }
        break;
      case 'secret':
        if (!s.secretName) errs.push(required(`${p}.secretName`));
        errs.push(...validateMode(s.defaultMode, `${p}.defaultMode`));
        errs.push(...validateKeyToPaths(s.items, `${p}.items`));
        break;
      case 'configMap':
        if (!s.name) errs.push(required(`${p}.name`));
        errs.push(...validateMode(s.defaultMode, `${p}.defaultMode`));
        errs.push(...validateKeyToPaths(s.items, `${p}.items`));
        break;
      case 'persistentVolumeClaim':
        if (!s.claimName) errs.push(required(`${p}.claimName`));
        break;
      case 'nfs':
        if (!s.server) errs.push(required(`${p}.server`));
        if (!s.path) errs.push(required(`${p}.path`));
        if (!str(s.path).startsWith('/')) errs.push(invalid(`${p}.path`, str(s.path), 'must be an absolute path'));
        break;
      case 'downwardAPI':
      case 'projected':
        errs.push(...validateMode(s.defaultMode, `${p}.defaultMode`));
        break;
      case 'emptyDir':
        if (s.sizeLimit !== undefined && (parseQuantity(s.sizeLimit) ?? 0) < 0) errs.push(forbidden(`${p}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
        break;
      default:
        break;
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

function validateVolumes(volumes: unknown, path: string): [Map<string, Obj>, Errs] {
  const errs: Errs = [];
  const vols = new Map<string, Obj>();
  arr(volumes).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const el = validateVolumeSource(v, p);
    const name = str(v.name);
    if (!name) el.push(required(`${p}.name`));
    else for (const m of isDNS1123Label(name)) el.push(invalid(`${p}.name`, name, m));
    if (vols.has(name)) el.push(duplicate(`${p}.name`, name));
    if (!el.length) vols.set(name, v);
    else errs.push(...el);
  });
  return [vols, errs];
}

function validateTolerations(tols: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(tols).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = str(t.key);
    const op = str(t.operator);
    const effect = str(t.effect);
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    if (!key && op !== 'Exists') errs.push(invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds != null && effect !== 'NoExecute') errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(invalid(`${p}.operator`, str(t.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (str(t.value)) errs.push(invalid(`${p}.operator`, str(t.value), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) errs.push(notSupported(`${p}.effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string): Errs {
  const errs: Errs = [];
  arr(term.matchExpressions).forEach((rq, j) => {
    const p = `${path}.matchExpressions[${j}]`;
    const vals = arr<string>(rq.values);
    switch (rq.operator) {
      case 'In':
      case 'NotIn':
        if (!vals.length) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (vals.length) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (vals.length !== 1) errs.push(required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, rq.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(str(rq.key), `${p}.key`));
    vals.forEach((v, k) => {
      for (const m of isValidLabelValue(String(v))) errs.push(invalid(`${p}.values[${k}]`, v, m));
    });
  });
  return errs;
}

function validatePodAffinityTerm(t: Obj, path: string): Errs {
  const errs = validateLabelSelector(t.labelSelector, `${path}.labelSelector`);
  errs.push(...validateLabelSelector(t.namespaceSelector, `${path}.namespaceSelector`));
  for (const ns of arr<string>(t.namespaces)) for (const m of isDNS1123Label(String(ns))) errs.push(invalid(`${path}.namespace`, ns, m));
  if (!t.topologyKey) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...validateLabelName(str(t.topologyKey), `${path}.topologyKey`));
  return errs;
}

function validateAffinity(a: unknown, path: string): Errs {
  const errs: Errs = [];
  if (!isObj(a)) return errs;
  const na = a.nodeAffinity;
  if (isObj(na)) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const tp = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      const terms = arr(req.nodeSelectorTerms);
      if (!terms.length) errs.push(required(tp, 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, `${tp}[${i}]`)));
    }
    arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const p = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const w = typeof t.weight === 'number' ? t.weight : 0;
      if (w <= 0 || w > 100) errs.push(invalid(`${p}.weight`, w, 'must be in the range 1-100'));
      if (isObj(t.preference)) errs.push(...validateNodeSelectorTerm(t.preference, `${p}.preference`));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = a[kind];
    if (!isObj(pa)) continue;
    arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => errs.push(...validatePodAffinityTerm(t, `${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)));
    arr(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const p = `${path}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const w = typeof t.weight === 'number' ? t.weight : 0;
      if (w <= 0 || w > 100) errs.push(invalid(`${p}.weight`, w, 'must be in the range 1-100'));
      errs.push(...validatePodAffinityTerm(isObj(t.podAffinityTerm) ? t.podAffinityTerm : {}, `${p}.podAffinityTerm`));
    });
  }
  return errs;
}

function validateDNSConfig(cfg: unknown, policy: string, path: string): Errs {
  const errs: Errs = [];
  if (policy === 'None') {
    if (!isObj(cfg)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!arr(cfg.nameservers).length) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObj(cfg)) return errs;
  const ns = arr<string>(cfg.nameservers);
  if (ns.length > 3) errs.push(invalidGo(`${path}.nameservers`, goStrings(ns), 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...isValidIP(`${path}.nameservers[${i}]`, String(n))));
  const searches = arr<string>(cfg.searches);
  if (searches.length > 32) errs.push(invalidGo(`${path}.searches`, goStrings(searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(invalidGo(`${path}.searches`, goStrings(searches), 'must not have more than 2048 characters (including spaces) in the search list'));
  // (RelaxedDNSSearchValidation, which allows '_' and '.', is alpha and off in 1.32)
  searches.forEach((s, i) => {
    const t = String(s).replace(/\.$/, '');
    for (const m of isDNS1123Subdomain(t)) errs.push(invalid(`${path}.searches[${i}]`, t, m));
  });
  arr(cfg.options).forEach((o, i) => {
    if (!o.name) errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

function validateTopologySpread(list: unknown, path: string): Errs {
  const errs: Errs = [];
  const cs = arr(list);
  cs.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const skew = typeof c.maxSkew === 'number' ? c.maxSkew : 0;
    if (skew <= 0) errs.push(invalid(`${p}.maxSkew`, skew, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(str(c.whenUnsatisfiable))) errs.push(notSupported(`${p}.whenUnsatisfiable`, str(c.whenUnsatisfiable), ['DoNotSchedule', 'ScheduleAnyway']));
    if (cs.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${str(c.topologyKey)}, ${str(c.whenUnsatisfiable)}}`));
    }
    errs.push(...validateLabelSelector(c.labelSelector, `${p}.labelSelector`));
  });
  return errs;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: Obj, path: string, opts: PodSpecOptions): Errs {
  const errs: Errs = [];
  if (spec.terminationGracePeriodSeconds == null) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const [vols, vErrs] = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...vErrs);
  errs.push(...validateContainers(spec.containers, vols, grace, `${path}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, vols, grace, `${path}.initContainers`));
  if (spec.hostNetwork === true) {
    arr(spec.containers).forEach((c, i) => {
      arr(c.ports).forEach((p, j) => {
        const hp = typeof p.hostPort === 'number' ? p.hostPort : 0;
        if ((opts.isPod || hp !== 0) && hp !== p.containerPort) errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      });
    });
  }
  const rp = str(spec.restartPolicy);
  if (!rp) errs.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(notSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  const dp = str(spec.dnsPolicy);
  if (!dp) errs.push(required(`${path}.dnsPolicy`));
  else if (!['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dp)) errs.push(notSupported(`${path}.dnsPolicy`, dp, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateSecurityContext(spec.securityContext, `${path}.securityContext`));
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(spec.dnsConfig, dp, `${path}.dnsConfig`));
  arr(spec.readinessGates).forEach((g, i) => {
    for (const m of isQualifiedName(str(g.conditionType))) errs.push(invalid(`${path}.readinessGates[${i}].conditionType`, str(g.conditionType), m));
  });
  const gates = new Set<string>();
  arr(spec.schedulingGates).forEach((g, i) => {
    const n = str(g.name);
    for (const m of isQualifiedName(n)) errs.push(invalid(`${path}.schedulingGates[${i}]`, n, m));
    if (gates.has(n)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, n));
    gates.add(n);
  });
  errs.push(...validateTopologySpread(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  const sa = str(spec.serviceAccountName);
  if (sa) for (const m of isDNS1123Subdomain(sa)) errs.push(invalid(`${path}.serviceAccountName`, sa, m));
  const nodeName = str(spec.nodeName);
  if (nodeName) for (const m of isDNS1123Subdomain(nodeName)) errs.push(invalid(`${path}.nodeName`, nodeName, m));
  if (spec.activeDeadlineSeconds != null) {
    const v = Number(spec.activeDeadlineSeconds);
    if (v < 1 || v > 2147483647) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, 2147483647)));
  }
  if (spec.hostname) for (const m of isDNS1123Label(String(spec.hostname))) errs.push(invalid(`${path}.hostname`, spec.hostname, m));
  if (spec.subdomain) for (const m of isDNS1123Label(String(spec.subdomain))) errs.push(invalid(`${path}.subdomain`, spec.subdomain, m));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  arr(spec.hostAliases).forEach((h, i) => {
    errs.push(...isValidIP(`${path}.hostAliases[${i}].ip`, str(h.ip)));
    arr<string>(h.hostnames).forEach((hn, j) => {
      for (const m of isDNS1123Subdomain(String(hn))) errs.push(invalid(`${path}.hostAliases[${i}].hostnames[${j}]`, hn, m));
    });
  });
  const pcn = str(spec.priorityClassName);
  if (pcn) for (const m of isDNS1123Subdomain(pcn)) errs.push(invalid(`${path}.priorityClassName`, pcn, m));
  if (spec.preemptionPolicy != null) {
    const pp = str(spec.preemptionPolicy);
    if (!pp) errs.push(required(`${path}.preemptionPolicy`));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(notSupported(`${path}.preemptionPolicy`, pp, ['PreemptLowerPriority', 'Never']));
  }
  if (isObj(spec.os)) {
    const os = str(spec.os.name);
    if (!os) errs.push(required(`${path}.os.name`, 'cannot be empty'));
    else if (os !== 'linux' && os !== 'windows') errs.push(notSupported(`${path}.os`, os, ['linux', 'windows']));
  }
  return errs;
}

/** ValidatePodTemplateSpec: the template's labels and annotations, then its spec. */
export function validatePodTemplateSpec(t: unknown, path: string): Errs {
  const tpl = isObj(t) ? t : {};
  const md = isObj(tpl.metadata) ? tpl.metadata : {};
  const errs = validateLabels(md.labels, `${path}.labels`);
  errs.push(...validateAnnotations(md.annotations, `${path}.annotations`));
  const spec = isObj(tpl.spec) ? tpl.spec : {};
  errs.push(...validatePodSpec(spec, `${path}.spec`, { isPod: false }));
  if (arr(spec.ephemeralContainers).length) errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}

/** The pod's QoS class (qos.ComputePodQOS), from cpu and memory requests and limits. */
export function podQOS(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const res = isObj(c.resources) ? c.resources : {};
    const req = isObj(res.requests) ? res.requests : {};
    const lim = isObj(res.limits) ? res.limits : {};
    for (const [k, q] of Object.entries(req)) {
      if (k !== 'cpu' && k !== 'memory') continue;
      const v = parseQuantity(q) ?? 0;
      if (v > 0) requests.set(k, (requests.get(k) ?? 0) + v);
    }
    const found = new Set<string>();
    for (const [k, q] of Object.entries(lim)) {
      if (k !== 'cpu' && k !== 'memory') continue;
      const v = parseQuantity(q) ?? 0;
      if (v > 0) {
        found.add(k);
        limits.set(k, (limits.get(k) ?? 0) + v);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (!requests.size && !limits.size) return 'BestEffort';
  if (guaranteed) {
    for (const [k, v] of requests) {
      if (limits.get(k) !== v) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
