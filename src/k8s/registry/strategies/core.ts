/**
 * The smaller kinds: ConfigMaps, Secrets, ServiceAccounts, Namespaces, Nodes, Events,
 * Endpoints, EndpointSlices (discovery.k8s.io/v1) and Leases (coordination.k8s.io/v1), each with
 * upstream's defaulting, strategy rules and validation (pkg/apis/core/validation, the
 * discovery and coordination validation packages, pkg/registry/core/*).
 */
import { isDeepStrictEqual } from 'node:util';
import type { KObject } from '../../api/object.ts';
import type { Strategy } from '../strategy.ts';
import { immutable, validateLabelName, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { decodeError, parseQuantity } from './podspec.ts';
import {
  arr, child, duplicate, duplicateGo, forbidden, invalid, isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isObj, isQualifiedName,
  isValidCIDR, isValidIP, isValidIPv4Address, isValidLabelValue, isValidPortNum, nameIsDNSLabel, nameIsDNSSubdomain, notSupported, required,
  str, tooLong, tooMany, validateNonSpecialIP, type Errs, type Obj,
} from './validation.ts';

const MAX_SECRET_SIZE = 1024 * 1024;

// ---- base64 ([]byte fields) ----------------------------------------------------------------

const B64 = /^[A-Za-z0-9+/]$/;

/** The offset Go's base64 decoder reports for a bad `[]byte` value, or -1 when it decodes. */
export function badBase64At(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  let pad = -1;
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '=') {
      if (pad < 0) pad = i;
      continue;
    }
    if (pad >= 0 || !B64.test(c)) return pad >= 0 ? pad : i;
  }
  if (clean.length % 4 !== 0) return clean.length - (clean.length % 4);
  if (pad >= 0 && clean.length - pad > 2) return pad;
  return -1;
}

function checkBase64(kind: string, map: unknown): void {
  if (!isObj(map)) return;
  for (const v of Object.values(map)) {
    const at = badBase64At(String(v ?? ''));
    if (at >= 0) throw decodeError(kind, 'v1', `illegal base64 data at input byte ${at}`);
  }
}

function b64len(s: string): number {
  return Buffer.from(s, 'base64').length;
}

// ---- ConfigMaps ---------------------------------------------------------------------------

function validateConfigMap(cm: KObject): Errs {
  const errs = validateObjectMeta(cm, true, nameIsDNSSubdomain);
  const data = isObj(cm.data) ? cm.data : {};
  const bin = isObj(cm.binaryData) ? cm.binaryData : {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    if (k in bin) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(v ?? ''));
  }
  for (const [k, v] of Object.entries(bin)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`binaryData[${k}]`, k, m));
    size += b64len(String(v ?? ''));
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('', MAX_SECRET_SIZE));
  return errs;
}

function immutableData(o: KObject, old: KObject, keys: string[]): Errs {
  const errs: Errs = [];
  if (old.immutable !== true) return errs;
  if (o.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const k of keys) if (!isDeepStrictEqual(o[k] ?? null, old[k] ?? null)) errs.push(forbidden(k, 'field is immutable when `immutable` is set'));
  return errs;
}

export const configMapStrategy: Strategy = {
  generation: false,
  defaults(cm) {
    checkBase64('ConfigMap', cm.binaryData);
  },
  validate: validateConfigMap,
  validateUpdate(cm, old) {
    return [...validateObjectMetaUpdate(cm, old), ...immutableData(cm, old, ['data', 'binaryData']), ...validateConfigMap(cm)];
  },
};

// ---- Secrets ------------------------------------------------------------------------------

function validateSecret(sec: KObject): Errs {
  const errs = validateObjectMeta(sec, true, nameIsDNSSubdomain);
  const data = isObj(sec.data) ? (sec.data as Record<string, string>) : {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    size += b64len(String(v ?? ''));
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));
  const has = (k: string): boolean => k in data;
  switch (sec.type) {
    case 'kubernetes.io/service-account-token':
      if (!sec.metadata.annotations?.['kubernetes.io/service-account.name']) errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = sec.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) errs.push(required(`data[${key}]`));
      else {
        try {
          const parsed: unknown = JSON.parse(Buffer.from(data[key], 'base64').toString());
          if (!isObj(parsed)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
        } catch (e) {
          errs.push(invalid(`data[${key}]`, '<secret contents redacted>', e instanceof Error ? e.message : String(e)));
        }
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required('data[username]'), required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required('data[tls.crt]'));
      if (!has('tls.key')) errs.push(required('data[tls.key]'));
      break;
    default:
      break;
  }
  return errs;
}

export const secretStrategy: Strategy = {
  generation: false,
  defaults(sec) {
    checkBase64('Secret', sec.data);
    // v1 conversion: stringData is written into data and never stored.
    if (isObj(sec.stringData)) {
      const data = child(sec as Obj, 'data');
      for (const [k, v] of Object.entries(sec.stringData)) data[k] = Buffer.from(String(v ?? '')).toString('base64');
    }
    delete sec.stringData;
    if (!sec.type) sec.type = 'Opaque';
  },
  validate: validateSecret,
  validateUpdate(sec, old) {
    return [...validateObjectMetaUpdate(sec, old), ...immutable(sec.type, old.type, 'type'), ...immutableData(sec, old, ['data']), ...validateSecret(sec)];
  },
};

// ---- ServiceAccounts ----------------------------------------------------------------------

export const serviceAccountStrategy: Strategy = {
  generation: false,
  validate(sa) {
    return validateObjectMeta(sa, true, nameIsDNSSubdomain);
  },
  validateUpdate(sa, old) {
    return [...validateObjectMetaUpdate(sa, old), ...validateObjectMeta(sa, true, nameIsDNSSubdomain)];
  },
};

// ---- Namespaces ---------------------------------------------------------------------------

function validateNamespace(ns: KObject): Errs {
  const errs = validateObjectMeta(ns, false, nameIsDNSLabel);
  const spec = isObj(ns.spec) ? (ns.spec as Obj) : {};
  for (const f of arr<string>(spec.finalizers)) {
    for (const m of isQualifiedName(String(f))) errs.push(invalid('spec.finalizers', f, m));
    if (!String(f).includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(String(f))) {
      errs.push(invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export const namespaceStrategy: Strategy = {
  hasStatus: true,
  generation: false,
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = child(ns as Obj, 'spec');
    const fins = arr<string>(spec.finalizers);
    if (!fins.includes('kubernetes')) spec.finalizers = [...fins, 'kubernetes'];
  },
  prepareForUpdate(ns, old) {
    // spec.finalizers changes through the finalize subresource upstream; podlab's namespace
    // controller clears them with a plain update once the namespace is terminating.
    if (!old.metadata.deletionTimestamp) {
      const spec = child(ns as Obj, 'spec');
      const of = isObj(old.spec) ? (old.spec as Obj).finalizers : undefined;
      if (of === undefined) delete spec.finalizers;
      else spec.finalizers = of;
    }
  },
  defaults(ns) {
    if (ns.metadata.name) ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name };
    if (!isObj(ns.spec)) ns.spec = {};
    const st = isObj(ns.status) ? (ns.status as Obj) : (ns.status = {}) as Obj;
    if (!st.phase) st.phase = 'Active';
  },
  validate: validateNamespace,
  validateUpdate(ns, old) {
    const errs = [...validateNamespace(ns), ...validateObjectMetaUpdate(ns, old)];
    if (!isDeepStrictEqual(ns.status, old.status)) {
      const phase = str((ns.status as Obj | undefined)?.phase);
      if (!ns.metadata.deletionTimestamp && phase !== 'Active') errs.push(invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
      if (ns.metadata.deletionTimestamp && phase !== 'Terminating') errs.push(invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
    }
    return errs;
  },
};

// ---- Nodes --------------------------------------------------------------------------------

const NODE_INFO_KEYS = ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'];

function goTaint(t: Obj): string {
  return `core.Taint{Key:${JSON.stringify(str(t.key))}, Value:${JSON.stringify(str(t.value))}, Effect:${JSON.stringify(str(t.effect))}, TimeAdded:(*v1.Time)(nil)}`;
}

function validateTaints(taints: unknown, path: string): Errs {
  const errs: Errs = [];
  const unique = new Map<string, Set<string>>();
  arr(taints).forEach((t, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateLabelName(str(t.key), `${p}.key`));
    const msgs = isValidLabelValue(str(t.value));
    if (msgs.length) errs.push(invalid(`${p}.value`, str(t.value), msgs.join(';')));
    const effect = str(t.effect);
    if (!effect) errs.push(required(`${p}.effect`));
    else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) errs.push(notSupported(`${p}.effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    const keys = unique.get(effect) ?? new Set<string>();
    if (keys.has(str(t.key))) {
      errs.push(duplicateGo(p, goTaint(t), 'taints must be unique by key and effect pair'));
      return;
    }
    keys.add(str(t.key));
    unique.set(effect, keys);
  });
  return errs;
}

function validateNodeResources(node: KObject): Errs {
  const errs: Errs = [];
  const st = isObj(node.status) ? (node.status as Obj) : {};
  for (const part of ['capacity', 'allocatable']) {
    const rl = isObj(st[part]) ? (st[part] as Obj) : {};
    for (const [k, q] of Object.entries(rl)) {
      const v = parseQuantity(q) ?? 0;
      if (v < 0) errs.push(invalid(`status.${part}.${k}`, String(q), 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function validateNode(node: KObject): Errs {
  const errs = validateObjectMeta(node, false, nameIsDNSSubdomain);
  const spec = isObj(node.spec) ? (node.spec as Obj) : {};
  // (upstream passes metadata's path to the taint validation)
  errs.push(...validateTaints(spec.taints, 'metadata.taints'));
  errs.push(...validateNodeResources(node));
  const cidrs = arr<string>(spec.podCIDRs);
  cidrs.forEach((c, i) => errs.push(...isValidCIDR(`spec.podCIDRs[${i}]`, String(c))));
  if (cidrs.length > 1) {
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(duplicate(`spec.podCIDRs[${i}]`, c));
      seen.add(c);
    });
  }
  return errs;
}

export const nodeStrategy: Strategy = {
  hasStatus: true,
  generation: false,
  defaults(node) {
    const spec = child(node as Obj, 'spec');
    // v1 conversion keeps podCIDR the first of podCIDRs.
    if (spec.podCIDR && !arr(spec.podCIDRs).length) spec.podCIDRs = [spec.podCIDR];
    if (arr(spec.podCIDRs).length) spec.podCIDR = arr<string>(spec.podCIDRs)[0];
    const st = isObj(node.status) ? (node.status as Obj) : (node.status = {}) as Obj;
    // SetDefaults_NodeStatus: allocatable defaults to capacity.
    if (st.allocatable == null && isObj(st.capacity)) st.allocatable = { ...st.capacity };
    // NodeDaemonEndpoints and NodeSystemInfo are structs: Go always serializes them.
    const de = child(st, 'daemonEndpoints');
    const ke = child(de, 'kubeletEndpoint');
    if (ke.Port == null) ke.Port = 0;
    const info = child(st, 'nodeInfo');
    for (const k of NODE_INFO_KEYS) if (info[k] == null) info[k] = '';
    for (const c of arr(st.conditions)) {
      if (c.lastHeartbeatTime === undefined) c.lastHeartbeatTime = null;
      if (c.lastTransitionTime === undefined) c.lastTransitionTime = null;
    }
  },
  validate: validateNode,
  validateUpdate(node, old) {
    const errs = validateObjectMetaUpdate(node, old);
    errs.push(...validateNodeResources(node));
    const st = isObj(node.status) ? (node.status as Obj) : {};
    const seen = new Set<string>();
    arr(st.addresses).forEach((a, i) => {
      const key = `${str(a.type)}/${str(a.address)}`;
      if (seen.has(key)) errs.push(duplicateGo(`status.addresses[${i}]`, `core.NodeAddress{Type:${JSON.stringify(str(a.type))}, Address:${JSON.stringify(str(a.address))}}`));
      seen.add(key);
    });
    const spec = isObj(node.spec) ? (node.spec as Obj) : {};
    const ospec = isObj(old.spec) ? (old.spec as Obj) : {};
    const oc = arr<string>(ospec.podCIDRs);
    if (oc.length && !isDeepStrictEqual(oc, arr<string>(spec.podCIDRs))) errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    if (ospec.providerID && ospec.providerID !== spec.providerID) errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    errs.push(...validateTaints(spec.taints, 'metadata.taints'));
    return errs;
  },
};

// ---- Events -------------------------------------------------------------------------------

/** legacyValidateEvent (what core/v1 events get). */
function validateEvent(ev: KObject): Errs {
  const errs: Errs = [];
  const io = isObj(ev.involvedObject) ? (ev.involvedObject as Obj) : {};
  const ns = ev.metadata.namespace ?? '';
  const ions = str(io.namespace);
  if (!ev.eventTime) {
    if (!ions) {
      if (ns !== '' && ns !== 'default') errs.push(invalid('involvedObject.namespace', ions, 'does not match event.namespace'));
    } else if (ns !== ions) errs.push(invalid('involvedObject.namespace', ions, 'does not match event.namespace'));
  } else {
    if (!ions && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', ions, 'does not match event.namespace'));
    const rc = str(ev.reportingComponent);
    if (!rc) errs.push(required('reportingController'));
    for (const m of isQualifiedName(rc)) errs.push(invalid('reportingController', rc, m));
    const ri = str(ev.reportingInstance);
    if (!ri) errs.push(required('reportingInstance'));
    if (ri.length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = str(ev.action);
    if (!action) errs.push(required('action'));
    if (action.length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
    const reason = str(ev.reason);
    if (!reason) errs.push(required('reason'));
    if (reason.length > 128) errs.push(invalid('reason', '', 'can have at most 128 characters'));
    if (str(ev.message).length > 1024) errs.push(invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, m));
  return errs;
}

export const eventStrategy: Strategy = {
  generation: false,
  defaults(ev) {
    // Go serializes these even when unset (metav1.Time → null, structs → {}, two plain strings).
    for (const k of ['eventTime', 'firstTimestamp', 'lastTimestamp']) if (ev[k] === undefined) ev[k] = null;
    if (!isObj(ev.involvedObject)) ev.involvedObject = {};
    if (!isObj(ev.source)) ev.source = {};
    if (ev.reportingComponent === undefined) ev.reportingComponent = '';
    if (ev.reportingInstance === undefined) ev.reportingInstance = '';
  },
  validate: validateEvent,
  validateUpdate: validateEvent,
};

// ---- Endpoints ----------------------------------------------------------------------------

function validateEndpoints(ep: KObject): Errs {
  const errs = validateObjectMeta(ep, true, nameIsDNSSubdomain);
  arr(ep.subsets).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if (!arr(ss.addresses).length && !arr(ss.notReadyAddresses).length) errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const list of ['addresses', 'notReadyAddresses']) {
      arr(ss[list]).forEach((a, j) => {
        const ap = `${p}.${list}[${j}]`;
        const ip = str(a.ip);
        errs.push(...isValidIP(`${ap}.ip`, ip));
        if (a.hostname) for (const m of isDNS1123Label(str(a.hostname))) errs.push(invalid(`${ap}.hostname`, str(a.hostname), m));
        if (a.nodeName != null) for (const m of isDNS1123Subdomain(str(a.nodeName))) errs.push(invalid(`${ap}.nodeName`, str(a.nodeName), m));
        errs.push(...validateNonSpecialIP(ip, `${ap}.ip`));
      });
    }
    const ports = arr(ss.ports);
    ports.forEach((pt, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = str(pt.name);
      if (ports.length > 1 && !name) errs.push(required(`${pp}.name`));
      else if (name) for (const m of isDNS1123Label(name)) errs.push(invalid(`${pp}.name`, name, m));
      const port = typeof pt.port === 'number' ? pt.port : 0;
      for (const m of isValidPortNum(port)) errs.push(invalid(`${pp}.port`, port, m));
      if (!pt.protocol) errs.push(required(`${pp}.protocol`));
      else if (!['SCTP', 'TCP', 'UDP'].includes(str(pt.protocol))) errs.push(notSupported(`${pp}.protocol`, pt.protocol, ['SCTP', 'TCP', 'UDP']));
      if (pt.appProtocol != null) for (const m of isQualifiedName(str(pt.appProtocol))) errs.push(invalid(`${pp}.appProtocol`, str(pt.appProtocol), m));
    });
  });
  return errs;
}

export const endpointsStrategy: Strategy = {
  generation: false,
  defaults(ep) {
    for (const ss of arr(ep.subsets)) for (const p of arr(ss.ports)) if (!p.protocol) p.protocol = 'TCP';
  },
  validate: validateEndpoints,
  validateUpdate(ep, old) {
    return [...validateObjectMetaUpdate(ep, old), ...validateEndpoints(ep)];
  },
};

// ---- EndpointSlices -----------------------------------------------------------------------

function validateEndpointSlice(es: KObject, update: boolean): Errs {
  const errs = validateObjectMeta(es, true, nameIsDNSSubdomain);
  const at = str(es.addressType);
  const valid = update ? ['FQDN', 'IP', 'IPv4', 'IPv6'] : ['FQDN', 'IPv4', 'IPv6'];
  if (!at) errs.push(required('addressType'));
  else if (!valid.includes(at)) errs.push(notSupported('addressType', at, valid));
  const eps = arr(es.endpoints);
  if (eps.length > 1000) errs.push(tooMany('endpoints', eps.length, 1000));
  else {
    eps.forEach((e, i) => {
      const p = `endpoints[${i}]`;
      const addrs = arr<string>(e.addresses);
      if (!addrs.length) errs.push(required(`${p}.addresses`, 'must contain at least 1 address'));
      else if (addrs.length > 100) errs.push(tooMany(`${p}.addresses`, addrs.length, 100));
      addrs.forEach((a, j) => {
        const ap = `${p}.addresses[${j}]`;
        if (at === 'IPv4') errs.push(...isValidIPv4Address(ap, String(a)), ...validateNonSpecialIP(String(a), ap));
        else if (at === 'IPv6') errs.push(...validateNonSpecialIP(String(a), ap));
        else if (at === 'IP') errs.push(...isValidIP(ap, String(a)));
      });
      const topo = isObj(e.deprecatedTopology) ? e.deprecatedTopology : undefined;
      if (topo && Object.keys(topo).length > 16) errs.push(tooMany(`${p}.topology`, Object.keys(topo).length, 16));
      if (topo) errs.push(...validateLabels(topo, `${p}.topology`));
      if (e.hostname != null) for (const m of isDNS1123Label(str(e.hostname))) errs.push(invalid(`${p}.hostname`, str(e.hostname), m));
      if (e.nodeName != null) for (const m of isDNS1123Subdomain(str(e.nodeName))) errs.push(invalid(`${p}.nodeName`, str(e.nodeName), m));
    });
  }
  const ports = arr(es.ports);
  if (ports.length > 100) errs.push(tooMany('ports', ports.length, 100));
  else {
    const names = new Set<string>();
    ports.forEach((pt, i) => {
      const p = `ports[${i}]`;
      const name = str(pt.name);
      if (name) for (const m of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, m));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
      if (pt.protocol == null) errs.push(required(`${p}.protocol`));
      else if (!['SCTP', 'TCP', 'UDP'].includes(str(pt.protocol))) errs.push(notSupported(`${p}.protocol`, pt.protocol, ['SCTP', 'TCP', 'UDP']));
      if (pt.appProtocol != null) for (const m of isQualifiedName(str(pt.appProtocol))) errs.push(invalid(`${p}.appProtocol`, str(pt.appProtocol), m));
    });
  }
  return errs;
}

export const endpointSliceStrategy: Strategy = {
  prepareForUpdate(es, old) {
    // Generation also moves when only the labels change (the registry bumps it for the rest).
    if (!isDeepStrictEqual(es.metadata.labels ?? {}, old.metadata.labels ?? {})) es.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },
  defaults(es) {
    // Endpoints has no omitempty in discovery/v1.
    if (es.endpoints === undefined) es.endpoints = null;
    for (const p of arr(es.ports)) {
      if (p.name == null) p.name = '';
      if (p.protocol == null) p.protocol = 'TCP';
    }
  },
  validate(es) {
    return validateEndpointSlice(es, false);
  },
  validateUpdate(es, old) {
    return [...validateObjectMetaUpdate(es, old), ...validateEndpointSlice(es, true), ...immutable(es.addressType, old.addressType, 'addressType')];
  },
};

// ---- Leases -------------------------------------------------------------------------------

function validateLeaseSpec(l: KObject): Errs {
  const errs: Errs = [];
  const s = isObj(l.spec) ? (l.spec as Obj) : {};
  if (typeof s.leaseDurationSeconds === 'number' && s.leaseDurationSeconds <= 0) errs.push(invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof s.leaseTransitions === 'number' && s.leaseTransitions < 0) errs.push(invalid('spec.leaseTransitions', s.leaseTransitions, 'must be greater than or equal to 0'));
  if (s.strategy != null) {
    const st = str(s.strategy);
    if (!st.includes('/')) {
      if (st !== 'OldestEmulationVersion') errs.push(notSupported('spec.strategy.strategy', st, ['OldestEmulationVersion']));
    } else for (const m of isQualifiedName(st)) errs.push(invalid('spec.strategy.strategy', st, m));
  }
  if (s.preferredHolder && !s.strategy) errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

export const leaseStrategy: Strategy = {
  generation: false,
  validate(l) {
    return [...validateObjectMeta(l, true, nameIsDNSSubdomain), ...validateLeaseSpec(l)];
  },
  validateUpdate(l, old) {
    return [...validateObjectMetaUpdate(l, old), ...validateLeaseSpec(l)];
  },
};
