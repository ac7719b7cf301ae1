/**
 * API discovery documents built from the resource table: the aggregated form kubectl 1.30+
 * asks for (apidiscovery.k8s.io v2, and v2beta1 for kubectl ≤ 1.28) and the legacy
 * /api, /apis, /api/v1, /apis/G/V lists. The Content-Type alone tells kubectl which one it got.
 */
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated version (if any) an Accept header asks for, in the client's order of preference. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    if (!/as=APIGroupDiscoveryList/.test(part)) continue;
    const v = /;v=(v2beta1|v2)\b/.exec(part)?.[1];
    if (v === 'v2' || v === 'v2beta1') return v;
  }
  return undefined;
}

function groups(): Map<string, ResourceInfo[]> {
  const m = new Map<string, ResourceInfo[]>();
  for (const r of RESOURCES) {
    const l = m.get(r.group) ?? [];
    l.push(r);
    m.set(r.group, l);
  }
  return m;
}

function aggregatedResource(r: ResourceInfo): object {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length ? {
      subresources: r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs })),
    } : {}),
  };
}

/** The aggregated document for `/api` (core = true) or `/apis`. */
export function aggregatedDiscovery(core: boolean, version: 'v2' | 'v2beta1'): object {
  const items: object[] = [];
  for (const [group, rs] of groups()) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
      versions: [{ version: rs[0].version, resources: rs.map(aggregatedResource), freshness: 'Current' }],
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** Legacy `/api`. */
export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** Legacy `/apis`. */
export function apiGroupList(): object {
  const out: object[] = [];
  for (const [group, rs] of groups()) {
    if (!group) continue;
    const gv = { groupVersion: `${group}/${rs[0].version}`, version: rs[0].version };
    out.push({ name: group, versions: [gv], preferredVersion: gv });
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: out };
}

/** Legacy `/api/v1` or `/apis/G/V`; undefined for a group version podlab does not serve. */
export function apiResourceList(group: string, version: string): object | undefined {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  const resources: object[] = [];
  for (const r of rs) {
    resources.push({
      name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      resources.push({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, ...(s.group !== r.group ? { group: s.group, version: s.version } : {}), kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
