/**
 * Services: SetDefaults_Service (pkg/apis/core/v1/defaults.go), the service strategy
 * (pkg/registry/core/service/strategy.go: status reset, dropTypeDependentFields) and the service
 * storage's hooks (pkg/registry/core/service/storage: normalizeClusterIPs, patchAllocatedValues,
 * initIPFamilyFields, cluster IP and node port allocation), ValidateService and
 * ValidateServiceUpdate.
 *
 * Allocation happens in `allocate`, after validation (upstream allocates before validating; the
 * only visible difference is which error comes first when a request has both kinds). What is
 * allocated is read back from the Services in the store, so deleting a Service or changing its
 * type releases its IP and ports without bookkeeping.
 */
import { isDeepStrictEqual } from 'node:util';
import { internalError, invalid as invalidStatus } from '../../api/errors.ts';
import type { KObject } from '../../api/object.ts';
import type { Strategy, StrategyContext } from '../strategy.ts';
import { allocateIP, allocatePort, inUse, ipInRange, ipRange, portInRange, portRange } from './allocator.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { formatIPv4 } from '../../../kernel/addr.ts';
import {
  arr, child, duplicate, duplicateGo, forbidden, goStrings, invalid, invalidGo, isDNS1123Label, isDNS1123Subdomain, isObj, isQualifiedName,
  isValidCIDR, isValidIP, isValidPortName, isValidPortNum, nameIsDNS1035Label, notSupported, parseIPSloppy, required, str, validateNonSpecialIP,
  type Errs, type Obj,
} from './validation.ts';

type Svc = KObject & { spec?: Obj; status?: Obj };

const LB = 'LoadBalancer';

function specOf(s: KObject): Obj {
  return isObj(s.spec) ? (s.spec as Obj) : {};
}

function type(s: KObject): string {
  return str(specOf(s).type);
}

function needsClusterIP(s: KObject): boolean {
  return type(s) !== 'ExternalName';
}

function needsNodePort(s: KObject): boolean {
  return type(s) === 'NodePort' || type(s) === LB;
}

function externallyAccessible(s: KObject): boolean {
  const t = type(s);
  return t === LB || t === 'NodePort' || (t === 'ClusterIP' && arr(specOf(s).externalIPs).length > 0);
}

function needsHealthCheck(s: KObject): boolean {
  return type(s) === LB && specOf(s).externalTrafficPolicy === 'Local';
}

function shouldAllocateNodePorts(s: KObject): boolean {
  if (type(s) === 'NodePort') return true;
  return type(s) === LB && specOf(s).allocateLoadBalancerNodePorts !== false;
}

function isHeadless(s: KObject): boolean {
  const ips = arr<string>(specOf(s).clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

function clusterIPs(s: KObject): string[] {
  return arr<string>(specOf(s).clusterIPs);
}

function nodePorts(s: KObject): number[] {
  return arr(specOf(s).ports).map((p) => (typeof p.nodePort === 'number' ? p.nodePort : 0)).filter((n) => n);
}

function goFamilies(f: unknown): string {
  return Array.isArray(f) ? `[]core.IPFamily{${f.map((x) => JSON.stringify(String(x))).join(', ')}}` : '[]core.IPFamily(nil)';
}

function goServicePort(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

// ---- the storage's preparation -------------------------------------------------------------

/** normalizeClusterIPs: keep clusterIP and clusterIPs in step (old clients send only the first). */
function normalizeClusterIPs(svc: KObject, old: KObject | undefined): void {
  const s = child(svc as Obj, 'spec');
  const ip = str(s.clusterIP);
  if (!old) {
    if (ip && !arr(s.clusterIPs).length) s.clusterIPs = [ip];
    return;
  }
  const os = specOf(old);
  const same = isDeepStrictEqual(arr(s.clusterIPs), arr(os.clusterIPs));
  if (arr(os.clusterIPs).length && !arr(s.clusterIPs).length && str(os.clusterIP) === ip) s.clusterIPs = os.clusterIPs;
  if (str(os.clusterIP) !== ip) {
    if (str(os.clusterIP) && !ip && same) delete s.clusterIPs;
    if (ip && same) s.clusterIPs = [ip];
  }
}

/** patchAllocatedValues: a PUT that leaves out allocated values keeps them. */
function patchAllocatedValues(svc: KObject, old: KObject): void {
  const s = child(svc as Obj, 'spec');
  const os = specOf(old);
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!s.clusterIP && os.clusterIP) s.clusterIP = os.clusterIP;
    if (!arr(s.clusterIPs).length && arr(os.clusterIPs).length) s.clusterIPs = os.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const oldUsed = new Set(nodePorts(old));
    const used = new Set(nodePorts(svc).filter((p) => oldUsed.has(p)));
    const byName = new Map(arr(os.ports).map((p) => [str(p.name), typeof p.nodePort === 'number' ? p.nodePort : 0]));
    for (const p of arr(s.ports)) {
      if (p.nodePort) continue;
      const v = byName.get(str(p.name));
      if (v && !used.has(v)) p.nodePort = v;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !s.healthCheckNodePort && os.healthCheckNodePort) s.healthCheckNodePort = os.healthCheckNodePort;
}

/** dropTypeDependentFields: what the old type needed and the new one does not goes, if unchanged. */
function dropTypeDependentFields(svc: KObject, old: KObject): void {
  const s = child(svc as Obj, 'spec');
  const os = specOf(old);
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (isDeepStrictEqual(arr(s.clusterIPs), arr(os.clusterIPs))) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (isDeepStrictEqual(s.ipFamilies, os.ipFamilies)) delete s.ipFamilies;
    if (s.ipFamilyPolicy === os.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc) && isDeepStrictEqual(nodePorts(svc), nodePorts(old))) {
    for (const p of arr(s.ports)) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && s.healthCheckNodePort === os.healthCheckNodePort) delete s.healthCheckNodePort;
  if (type(old) === LB && type(svc) !== LB) {
    if (s.allocateLoadBalancerNodePorts === os.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts;
    if (s.loadBalancerClass === os.loadBalancerClass) delete s.loadBalancerClass;
    (svc as Svc).status = { loadBalancer: {} };
  }
  if (!externallyAccessible(svc) && s.externalTrafficPolicy === os.externalTrafficPolicy) delete s.externalTrafficPolicy;
}

/**
 * initIPFamilyFields for a single-stack IPv4 cluster: the policy (SingleStack, or
 * RequireDualStack for a headless Service without selector), families from the cluster IPs,
 * and the errors for what this cluster cannot do.
 */
function initIPFamilyFields(svc: KObject): Errs {
  if (!needsClusterIP(svc)) return [];
  const s = child(svc as Obj, 'spec');
  const headlessNoSelector = s.clusterIP === 'None' && !Object.keys(isObj(s.selector) ? s.selector : {}).length;
  if (s.ipFamilyPolicy == null) s.ipFamilyPolicy = headlessNoSelector ? 'RequireDualStack' : 'SingleStack';
  const related = validateClusterIPsRelatedFields(svc);
  if (related.length) return related;
  const errs: Errs = [];
  const families = arr<string>(s.ipFamilies).slice();
  if (s.ipFamilyPolicy === 'SingleStack') {
    if (arr(s.clusterIPs).length === 2) errs.push(invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (families.length === 2) errs.push(invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  const ips = arr<string>(s.clusterIPs);
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break;
    const fam = parseIPSloppy(ips[i])?.family ?? 'IPv4';
    if (i >= families.length) {
      if (fam !== 'IPv4') errs.push(invalidGo(`spec.clusterIPs[${i}]`, goStrings(ips), `${fam} is not configured on this cluster`));
      else families.push(fam);
    }
  }
  if (errs.length) return errs;
  if (s.clusterIP === 'None' && headlessNoSelector) {
    if (!families.length) families.push('IPv4');
    if (families.length < 2 && s.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    s.ipFamilies = families;
    return [];
  }
  if (s.ipFamilyPolicy === 'RequireDualStack') errs.push(invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  families.forEach((f, i) => {
    if (f !== 'IPv4') errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (errs.length) return errs;
  if (!families.length) families.push('IPv4');
  s.ipFamilies = families;
  return [];
}

// ---- defaults -----------------------------------------------------------------------------

function defaultService(svc: KObject): void {
  const s = child(svc as Obj, 'spec');
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP') {
    const cfg = isObj(s.sessionAffinityConfig) ? s.sessionAffinityConfig : undefined;
    const cip = cfg && isObj(cfg.clientIP) ? cfg.clientIP : undefined;
    if (!cip || cip.timeoutSeconds == null) s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!s.type) s.type = 'ClusterIP';
  for (const p of arr(s.ports)) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(svc) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if (s.internalTrafficPolicy == null && ['NodePort', LB, 'ClusterIP'].includes(str(s.type))) s.internalTrafficPolicy = 'Cluster';
  if (s.type === LB && s.allocateLoadBalancerNodePorts == null) s.allocateLoadBalancerNodePorts = true;
  const st = isObj(svc.status) ? (svc.status as Obj) : ((svc as Svc).status = {});
  if (!isObj(st.loadBalancer)) st.loadBalancer = {};
  if (s.type === LB) for (const ing of arr((st.loadBalancer as Obj).ingress)) if (ing.ip && ing.ipMode == null) ing.ipMode = 'VIP';
}

// ---- validation ---------------------------------------------------------------------------

function validatePortNumOrName(port: unknown, path: string): Errs {
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path, port, m));
  const n = typeof port === 'number' ? port : 0;
  return isValidPortNum(n).map((m) => invalid(path, n, m));
}

/** ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPsRelatedFields(svc: KObject): Errs {
  if (type(svc) === 'ExternalName') return [];
  const s = specOf(svc);
  const errs: Errs = [];
  const ips = arr<string>(s.clusterIPs);
  if (str(s.clusterIP)) {
    if (!ips.length) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== s.clusterIP) errs.push(invalidGo('spec.clusterIPs', goStrings(ips), 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(invalidGo('spec.clusterIPs', goStrings(ips), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  arr<string>(s.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  if (s.ipFamilyPolicy != null && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(str(s.ipFamilyPolicy))) {
    errs.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  let bad = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        bad = true;
        errs.push(invalidGo('spec.clusterIPs', goStrings(ips), "'None' must be the first and only value"));
      }
      return;
    }
    const e = isValidIP(`spec.clusterIPs[${i}]`, String(ip));
    if (e.length) bad = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(invalidGo('spec.clusterIPs', goStrings(ips), 'may only hold up to 2 values'));
  if (bad) return errs;
  if (ips.length > 1) {
    const fams = new Set(ips.map((ip) => parseIPSloppy(ip)?.family));
    if (fams.size !== ips.length || ips.length > 2) errs.push(invalidGo('spec.clusterIPs', goStrings(ips), 'may specify no more than one IP for each IP family'));
  }
  const families = arr<string>(s.ipFamilies);
  if (!isHeadless(svc) && ips.length && families.length) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      const fam = parseIPSloppy(ip)?.family;
      if (families[i] === 'IPv4' && fam === 'IPv6') errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && fam !== 'IPv6') errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): Errs {
  const errs: Errs = [];
  const name = str(sp.name);
  if (requireName && !name) errs.push(required(`${path}.name`));
  else if (name) {
    for (const m of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, m));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const port = typeof sp.port === 'number' ? sp.port : 0;
  for (const m of isValidPortNum(port)) errs.push(invalid(`${path}.port`, port, m));
  if (!sp.protocol) errs.push(required(`${path}.protocol`));
  else if (!['SCTP', 'TCP', 'UDP'].includes(str(sp.protocol))) errs.push(notSupported(`${path}.protocol`, sp.protocol, ['SCTP', 'TCP', 'UDP']));
  errs.push(...validatePortNumOrName(sp.targetPort, `${path}.targetPort`));
  if (sp.appProtocol != null) for (const m of isQualifiedName(str(sp.appProtocol))) errs.push(invalid(`${path}.appProtocol`, str(sp.appProtocol), m));
  return errs;
}

/** ValidateService. */
function validateService(svc: KObject): Errs {
  const errs = validateObjectMeta(svc, true, nameIsDNS1035Label);
  const ann = svc.metadata.annotations ?? {};
  const hints = ann['service.kubernetes.io/topology-aware-hints'];
  const mode = ann['service.kubernetes.io/topology-mode'];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(invalid('metadata.annotations[service.kubernetes.io/topology-mode]', mode, 'must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified'));
  }
  const s = specOf(svc);
  const t = str(s.type);
  const ports = arr(s.ports);
  const headless = isHeadless(svc);
  if (!ports.length && !headless && t !== 'ExternalName') errs.push(required('spec.ports'));
  if ((t === LB || t === 'NodePort') && headless) errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${t} services`));
  if (t === 'ExternalName') {
    if (arr(s.clusterIPs).length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (arr(s.ipFamilies).length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy != null) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(s.externalName).replace(/\.$/, '');
    if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, m));
    else errs.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (s.selector != null) errs.push(...validateLabels(s.selector, 'spec.selector'));
  const aff = str(s.sessionAffinity);
  if (!aff) errs.push(required('spec.sessionAffinity'));
  else if (aff !== 'ClientIP' && aff !== 'None') errs.push(notSupported('spec.sessionAffinity', aff, ['ClientIP', 'None']));
  if (aff === 'ClientIP') {
    const cfg = s.sessionAffinityConfig;
    const p = 'spec.sessionAffinityConfig';
    if (!isObj(cfg)) errs.push(required(p, 'when session affinity type is ClientIP'));
    else if (!isObj(cfg.clientIP)) errs.push(required(`${p}.clientIP`, 'when session affinity type is ClientIP'));
    else if (cfg.clientIP.timeoutSeconds == null) errs.push(required(`${p}.clientIP.timeoutSeconds`, 'when session affinity type is ClientIP'));
    else {
      const to = Number(cfg.clientIP.timeoutSeconds);
      if (to <= 0 || to > 86400) errs.push(invalid(`${p}.clientIP.timeoutSeconds`, to, 'must be greater than 0 and less than 86400'));
    }
  } else if (aff === 'None' && s.sessionAffinityConfig != null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPsRelatedFields(svc));
  arr<string>(s.externalIPs).forEach((ip, i) => {
    const p = `spec.externalIPs[${i}]`;
    const e = isValidIP(p, String(ip));
    errs.push(...(e.length ? e : validateNonSpecialIP(String(ip), p)));
  });
  if (!t) errs.push(required('spec.type'));
  else if (!['ClusterIP', 'ExternalName', LB, 'NodePort'].includes(t)) errs.push(notSupported('spec.type', t, ['ClusterIP', 'ExternalName', LB, 'NodePort']));
  if (t === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nps = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${str(p.protocol)}/${String(p.nodePort)}`;
    if (nps.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nps.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const port = typeof p.port === 'number' ? p.port : 0;
    const key = `${str(p.protocol)}/${port}`;
    if (seen.has(key)) errs.push(duplicateGo(`spec.ports[${i}]`, goServicePort(str(p.protocol), port)));
    seen.add(key);
  });
  const ranges = arr<string>(s.loadBalancerSourceRanges);
  if (ranges.length) {
    if (t !== LB) errs.push(forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...isValidCIDR(`spec.LoadBalancerSourceRanges[${i}]`, String(r).trim())));
  } else if (ann['service.beta.kubernetes.io/load-balancer-source-ranges'] !== undefined) {
    const p = 'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]';
    if (t !== LB) errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    const v = ann['service.beta.kubernetes.io/load-balancer-source-ranges'].trim();
    if (v) for (const c of v.split(',')) errs.push(...isValidCIDR(p, c.trim()));
  }
  if (s.allocateLoadBalancerNodePorts != null && t !== LB) errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  if (t === LB && s.allocateLoadBalancerNodePorts == null) errs.push(required('allocateLoadBalancerNodePorts'));
  if (t === LB) {
    if (s.loadBalancerClass != null) for (const m of isQualifiedName(str(s.loadBalancerClass))) errs.push(invalid('spec.loadBalancerClass', str(s.loadBalancerClass), m));
  } else if (s.loadBalancerClass != null) {
    errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  const etp = str(s.externalTrafficPolicy);
  if (!externallyAccessible(svc)) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (etp !== 'Cluster' && etp !== 'Local') {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  }
  const hc = typeof s.healthCheckNodePort === 'number' ? s.healthCheckNodePort : 0;
  if (!needsHealthCheck(svc)) {
    if (hc) errs.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc) {
    // (A missing one is allocated after validation here; upstream allocates it first.)
    for (const m of isValidPortNum(hc)) errs.push(invalid('spec.healthCheckNodePort', hc, m));
  }
  if (s.internalTrafficPolicy == null) {
    if (['NodePort', LB, 'ClusterIP'].includes(t)) errs.push(required('spec.internalTrafficPolicy'));
  } else if (s.internalTrafficPolicy !== 'Cluster' && s.internalTrafficPolicy !== 'Local') {
    errs.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (s.trafficDistribution != null && s.trafficDistribution !== 'PreferClose') errs.push(notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']));
  return errs;
}

function validateUpgradeDowngrade(svc: KObject, old: KObject): Errs {
  const errs: Errs = [];
  if (type(svc) === 'ExternalName' || type(old) === 'ExternalName') return errs;
  const s = specOf(svc);
  const ips = clusterIPs(svc);
  const oips = clusterIPs(old);
  if (!(isHeadless(old) && isHeadless(svc))) {
    if (oips.length === ips.length) {
      oips.forEach((ip, i) => {
        if (ip !== ips[i]) errs.push(invalidGo(`spec.clusterIPs[${i}]`, goStrings(ips), 'may not change once set'));
      });
    } else if (oips.length > ips.length) {
      if (!ips.length) errs.push(invalidGo('spec.clusterIPs[0]', goStrings(s.clusterIPs === undefined ? undefined : ips), 'primary clusterIP can not be unset'));
      if (oips.length && ips.length && ips[0] !== oips[0]) errs.push(invalidGo('spec.clusterIPs[0]', goStrings(ips), 'may not change once set'));
      if (ips.length === 1 && s.ipFamilyPolicy !== 'SingleStack') errs.push(invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    } else if (oips.length && ips[0] !== oips[0]) {
      errs.push(invalidGo('spec.clusterIPs[0]', goStrings(ips), 'may not change once set'));
    }
  }
  if (isHeadless(svc) !== isHeadless(old) || isHeadless(svc)) return errs;
  const fams = arr<string>(s.ipFamilies);
  const ofams = arr<string>(specOf(old).ipFamilies);
  if (fams.length === ofams.length) {
    ofams.forEach((f, i) => {
      if (f !== fams[i]) errs.push(invalidGo('spec.ipFamilies[0]', goFamilies(s.ipFamilies), 'may not change once set'));
    });
  }
  return errs;
}

function validateServiceUpdate(svc: KObject, old: KObject): Errs {
  const errs = validateObjectMetaUpdate(svc, old);
  errs.push(...validateUpgradeDowngrade(svc, old));
  if (type(svc) === LB && type(old) === LB && (specOf(svc).loadBalancerClass ?? null) !== (specOf(old).loadBalancerClass ?? null)) {
    errs.push(invalid('spec.loadBalancerClass', specOf(svc).loadBalancerClass, 'may not change once set'));
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && specOf(svc).healthCheckNodePort !== specOf(old).healthCheckNodePort) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  errs.push(...validateService(svc));
  errs.push(...validateLoadBalancerStatus(svc));
  return errs;
}

function validateLoadBalancerStatus(svc: KObject): Errs {
  const errs: Errs = [];
  const st = isObj(svc.status) ? (svc.status as Obj) : {};
  const lb = isObj(st.loadBalancer) ? st.loadBalancer : {};
  const ingress = arr(lb.ingress);
  if (type(svc) !== LB && ingress.length) return [forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
  ingress.forEach((ing, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (ing.ip) errs.push(...isValidIP(`${p}.ip`, str(ing.ip)));
    if (ing.ipMode == null) {
      if (ing.ip) errs.push(required(`${p}.ipMode`, 'must be specified when `ip` is set'));
    } else if (!ing.ip) errs.push(forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    else if (ing.ipMode !== 'Proxy' && ing.ipMode !== 'VIP') errs.push(notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']));
    if (ing.hostname) {
      for (const m of isDNS1123Subdomain(str(ing.hostname))) errs.push(invalid(`${p}.hostname`, str(ing.hostname), m));
      if (parseIPSloppy(str(ing.hostname))) errs.push(invalid(`${p}.hostname`, str(ing.hostname), 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

// ---- allocation ---------------------------------------------------------------------------

function fail(svc: KObject, errs: Errs): never {
  throw invalidStatus('Service', '', svc.metadata.name ?? '', errs);
}

function allocateClusterIPs(svc: KObject, old: KObject | undefined, ctx: StrategyContext): void {
  const s = child(svc as Obj, 'spec');
  if (!needsClusterIP(svc)) return;
  if (isHeadless(svc)) return;
  const fresh = !old || !needsClusterIP(old);
  if (!fresh) return;
  const range = ipRange(ctx.config.serviceCIDR);
  const used = inUse(ctx, svc).ips;
  const ips = arr<string>(s.clusterIPs);
  if (ips.length && ips[0]) {
    const ip = parseIPSloppy(ips[0]);
    const why = ip?.family !== 'IPv4' || !ipInRange(range, ip.value)
      ? `the provided IP (${ips[0]}) is not in the valid range. The range of valid IPs is ${range.cidr}`
      : used.has(ip.value) ? 'provided IP is already allocated' : '';
    if (why) fail(svc, [invalidGo('spec.clusterIPs', goStrings(ips), `failed to allocate IP ${ips[0]}: ${why}`)]);
    s.clusterIP = ips[0];
    return;
  }
  const n = allocateIP(range, used, ctx.rng);
  if (n === undefined) throw internalError('failed to allocate a serviceIP: range is full');
  s.clusterIP = formatIPv4(n);
  s.clusterIPs = [s.clusterIP];
}

function allocateNodePorts(svc: KObject, old: KObject | undefined, ctx: StrategyContext): void {
  const s = child(svc as Obj, 'spec');
  const needsHC = needsHealthCheck(svc);
  if (!needsNodePort(svc) && !needsHC) return;
  const range = portRange(ctx.config.nodePortRange);
  const used = inUse(ctx, svc).ports;
  const oldPorts = new Set(old ? [...nodePorts(old), ...(typeof specOf(old).healthCheckNodePort === 'number' ? [specOf(old).healthCheckNodePort as number] : [])] : []);
  const take = (port: number, field: string): void => {
    if (oldPorts.has(port)) return;
    const why = !portInRange(range, port) ? `provided port is not in the valid range. The range of valid ports is ${range.text}` : used.has(port) ? 'provided port is already allocated' : '';
    if (why) fail(svc, [invalid(field, port, why)]);
    used.add(port);
  };
  const next = (): number => {
    const p = allocatePort(range, used, ctx.rng);
    if (p === undefined) throw internalError('failed to allocate a nodePort: range is full');
    used.add(p);
    return p;
  };
  if (needsNodePort(svc)) {
    const ports = arr(s.ports);
    const byPort = new Map<number, number>();
    const takenNow = new Set<number>();
    ports.forEach((p, i) => {
      const field = `spec.ports[${i}].nodePort`;
      const np = typeof p.nodePort === 'number' ? p.nodePort : 0;
      if (!np && !shouldAllocateNodePorts(svc)) return;
      if (old) {
        // updateNodePorts: requested ports not held before are taken; missing ones allocated.
        if (np) {
          if (!takenNow.has(np)) take(np, field);
          takenNow.add(np);
        } else {
          p.nodePort = next();
        }
        return;
      }
      // initNodePorts: ports sharing a port number (TCP and UDP 53) share one node port.
      const port = typeof p.port === 'number' ? p.port : 0;
      const shared = byPort.get(port);
      if (shared === undefined) {
        const requested = np || (ports.slice(i).find((q) => q.port === port && typeof q.nodePort === 'number' && q.nodePort)?.nodePort as number | undefined) || 0;
        if (requested) {
          take(requested, field);
          p.nodePort = requested;
          byPort.set(port, requested);
        } else {
          p.nodePort = next();
          byPort.set(port, p.nodePort as number);
        }
      } else if (np !== shared) {
        if (!np) p.nodePort = shared;
        else take(np, field);
      }
    });
  }
  if (needsHC) {
    const hc = typeof s.healthCheckNodePort === 'number' ? s.healthCheckNodePort : 0;
    if (hc) {
      if (!oldPorts.has(hc) && (!portInRange(range, hc) || used.has(hc))) {
        throw internalError(`failed to allocate requested HealthCheck NodePort ${hc}: ${portInRange(range, hc) ? 'provided port is already allocated' : `provided port is not in the valid range. The range of valid ports is ${range.text}`}`);
      }
      used.add(hc);
    } else {
      s.healthCheckNodePort = next();
    }
  }
}

export const serviceStrategy: Strategy = {
  hasStatus: true,
  generation: false,

  prepareForCreate(svc) {
    (svc as Svc).status = { loadBalancer: {} };
    normalizeClusterIPs(svc, undefined);
  },

  prepareForUpdate(svc, old) {
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(svc, old);
    dropTypeDependentFields(svc, old);
    const s = child(svc as Obj, 'spec');
    if (s.ipFamilyPolicy == null && specOf(old).ipFamilyPolicy != null && needsClusterIP(svc)) s.ipFamilyPolicy = specOf(old).ipFamilyPolicy;
  },

  defaults(svc) {
    defaultService(svc);
  },

  validate(svc) {
    const fam = initIPFamilyFields(svc);
    if (fam.length) return fam;
    return validateService(svc);
  },

  validateUpdate(svc, old) {
    const fam = initIPFamilyFields(svc);
    if (fam.length) return fam;
    return validateServiceUpdate(svc, old);
  },

  allocate(svc, old, ctx) {
    allocateClusterIPs(svc, old, ctx);
    allocateNodePorts(svc, old, ctx);
  },

  // Nothing to give back: what is allocated is read from the stored Services, so a deleted
  // Service's IP and ports are free as soon as it is gone (and stay taken if the delete fails).
  release() {},
};

