/**
 * The resource URL scheme: `/api/v1/…` and `/apis/GROUP/VERSION/…`, namespaced
 * (`namespaces/NS/PLURAL[/NAME[/SUB]]`) or not, the legacy `watch/` prefix, and the namespace
 * resource's own subresources (`namespaces/NS/status`).
 */
import { resourceByPlural, type ResourceInfo } from '../api/resources.ts';

export interface ResourceRoute {
  resource: ResourceInfo;
  /** The namespace named by the URL; undefined for cluster-scoped objects and all-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/watch/` form, the same as `?watch=true`. */
  watchPrefix: boolean;
}

export type ParsedPath =
  | { kind: 'resource'; route: ResourceRoute }
  /** `/api/v1` or `/apis/G/V` itself (legacy discovery of one group version). */
  | { kind: 'groupVersion'; group: string; version: string }
  /** `/apis/G` (legacy APIGroup). */
  | { kind: 'group'; group: string }
  | { kind: 'none' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parsePath(path: string): ParsedPath {
  let segs: string[];
  try {
    segs = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    return { kind: 'none' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    [group, version, rest] = ['', segs[1], segs.slice(2)];
  } else if (segs[0] === 'apis' && segs.length === 2) {
    return { kind: 'group', group: segs[1] };
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    [group, version, rest] = [segs[1], segs[2], segs.slice(3)];
  } else {
    return { kind: 'none' };
  }
  if (!rest.length) return { kind: 'groupVersion', group, version };
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/NS/PLURAL…` is a namespaced resource, unless the third segment is one of the
  // namespace resource's own subresources (`namespaces/NS/status`).
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return { kind: 'none' };
  const [plural, name, subresource] = rest;
  const resource = resourceByPlural(group, plural);
  if (!resource || resource.version !== version) return { kind: 'none' };
  if (namespace !== undefined && !resource.namespaced) return { kind: 'none' };
  // A namespaced object is only reachable through its namespace (`/api/v1/pods` is the all-namespace list).
  if (resource.namespaced && namespace === undefined && name !== undefined) return { kind: 'none' };
  if (subresource !== undefined && !resource.subresources.some((s) => s.name === subresource)) return { kind: 'none' };
  if (watchPrefix && subresource !== undefined) return { kind: 'none' };
  const route: ResourceRoute = { resource, watchPrefix };
  if (namespace !== undefined) route.namespace = namespace;
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  return { kind: 'resource', route };
}
