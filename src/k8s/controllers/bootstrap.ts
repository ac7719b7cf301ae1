/**
 * What a new cluster has before anyone applies anything: the namespaces default, kube-system,
 * kube-public and kube-node-lease, and the `kubernetes` Service with the Endpoints and
 * EndpointSlice pointing at the API server, which the real API server keeps itself (its
 * bootstrap controller); here a small controller does so when they drift or are deleted.
 */
import { formatIPv4, maskOf, parseIPv4 } from '../../kernel/addr.ts';
import type { KObject } from '../api/object.ts';
import { clone } from '../api/object.ts';
import type { Registry } from '../registry/registry.ts';
import type { StoreEvent } from '../store/store.ts';
import type { Controller, ControllerContext } from './controller.ts';
import { R, isStatusError, jsonEqual } from './util.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapOptions {
  /** The API server's advertised address: `172.18.0.2:6443`, or a bare IP (port 6443). No Endpoints without it. */
  apiserverAddress?: string;
  /** The cluster CA (PEM) to publish as `kube-root-ca.crt` in every namespace. */
  caPem?: string;
}

/** The first address of the service CIDR (`10.96.0.0/12` → `10.96.0.1`), the `kubernetes` Service's ClusterIP. */
export function firstServiceIP(cidr: string): string {
  const v4 = cidr.split(',').map((s) => s.trim()).find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
  if (!v4) throw new Error(`no IPv4 service CIDR in ${cidr}`);
  const [ip, bits] = v4.split('/');
  const first = ((parseIPv4(ip)! & maskOf(Number(bits))) + 1) >>> 0;
  return formatIPv4(first);
}

function parseAddress(a: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(a);
  return m && !m[1].includes(':') ? [m[1], Number(m[2])] : [a, 6443];
}

/** Creates what is missing of the cluster's initial objects; safe to call on every start. */
export function bootstrap(registry: Registry, opts: BootstrapOptions = {}): void {
  for (const name of SYSTEM_NAMESPACES) ensureNamespace(registry, name);
  ensureKubernetesService(registry, opts);
}

function ensureNamespace(registry: Registry, name: string): void {
  if (registry.tryGet(R.namespaces, undefined, name)) return;
  try {
    registry.create(R.namespaces, undefined, {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  } catch (e) {
    if (!isStatusError(e, 409)) throw e;
  }
}

/**
 * The `kubernetes` Service (ClusterIP the first service address, port 443 `https` to 6443, no
 * selector) and, given the API server's address, its Endpoints (skip-mirror, so the mirroring
 * controller leaves them) and EndpointSlice, as the API server's endpoint reconciler writes them.
 */
export function ensureKubernetesService(registry: Registry, opts: BootstrapOptions): void {
  const clusterIP = firstServiceIP(registry.config.serviceCIDR);
  const ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }];
  const svc = registry.tryGet(R.services, 'default', 'kubernetes');
  if (!svc) {
    registry.create(R.services, 'default', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        clusterIP, clusterIPs: [clusterIP], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
        ports, sessionAffinity: 'None', type: 'ClusterIP',
      },
    });
  } else {
    // Like getMasterServiceUpdateIfNeeded: only the ports and the type are put back.
    const spec = (svc.spec ?? {}) as { ports?: unknown[]; type?: string };
    const cur = (spec.ports ?? []).map((p) => {
      const x = p as { name?: string; port?: number; protocol?: string; targetPort?: number | string };
      return { name: x.name, port: x.port, protocol: x.protocol ?? 'TCP', targetPort: x.targetPort };
    });
    if (!jsonEqual(cur, ports) || spec.type !== 'ClusterIP') {
      const next = clone(svc);
      const s = (next.spec ??= {}) as { ports?: unknown[]; type?: string };
      s.ports = ports;
      s.type = 'ClusterIP';
      registry.update(R.services, 'default', 'kubernetes', next);
    }
  }
  if (!opts.apiserverAddress) return;
  const [ip, port] = parseAddress(opts.apiserverAddress);
  const epWant = {
    labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  };
  upsert(registry, R.endpoints, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: epWant.labels }, subsets: epWant.subsets });
  upsert(registry, R.endpointslices, {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  });
}

/** Creates `want`, or rewrites the existing object's labels and content when they differ. */
function upsert(registry: Registry, r: typeof R.endpoints, want: KObject): void {
  const { metadata, apiVersion: _a, kind: _k, ...body } = want;
  const cur = registry.tryGet(r, metadata.namespace, metadata.name!);
  if (!cur) {
    registry.create(r, metadata.namespace, want);
    return;
  }
  const { metadata: cm, apiVersion: _ca, kind: _ck, ...curBody } = cur;
  if (jsonEqual(curBody, body) && jsonEqual(cm.labels ?? {}, metadata.labels ?? {})) return;
  registry.update(r, metadata.namespace, metadata.name!, { ...body, apiVersion: cur.apiVersion, kind: cur.kind, metadata: { ...cm, labels: metadata.labels } } as KObject);
}

/** The API server's own upkeep of the `kubernetes` Service and its endpoints, once bootstrap options are known. */
export class KubernetesServiceController implements Controller {
  readonly name = 'bootstrap-controller';
  private readonly ctx: ControllerContext;
  private opts: BootstrapOptions | undefined;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
  }

  configure(opts: BootstrapOptions): void {
    this.opts = { ...opts };
    this.ctx.queue.add('default/kubernetes');
  }

  start(): void {
    if (this.opts) this.ctx.queue.add('default/kubernetes');
  }

  observe(e: StoreEvent): void {
    if (!this.opts) return;
    const m = e.object.metadata;
    if (m.namespace === 'default' && m.name === 'kubernetes' && (e.resource === 'services' || e.resource === 'endpoints' || e.resource === 'endpointslices.discovery.k8s.io')) {
      this.ctx.queue.add('default/kubernetes');
    } else if (e.resource === 'namespaces' && e.type !== 'ADDED' && SYSTEM_NAMESPACES.includes(m.name!)) {
      this.ctx.queue.add('default/kubernetes');
    }
  }

  reconcile(): void {
    if (!this.opts) return;
    try {
      bootstrap(this.ctx.registry, this.opts);
    } catch (e) {
      // The default namespace being deleted refuses new content; nothing to put back then.
      if (isStatusError(e, 403) || isStatusError(e, 409)) return;
      throw e;
    }
  }
}
