/**
 * The API server's request handler, independent of any socket: version and health, discovery
 * (aggregated or legacy, by Accept), OpenAPI v3, and every resource route (rest.ts). Failures
 * become metav1.Status bodies. Upgrades (exec, attach, port-forward) are the server's (server.ts).
 */
import { StatusError, internalError } from '../api/errors.ts';
import type { ControlPlane } from '../controlplane.ts';
import { AGGREGATED_V2, AGGREGATED_V2BETA1, aggregatedDiscovery, aggregatedVersion, apiGroupList, apiResourceList, apiVersions } from './discovery.ts';
import { buildOpenApi, openApiV2, OPENAPI_V2_PROTOBUF } from './openapi.ts';
import { jsonReply, routeNotFound, statusReply, textReply, type ApiHandler, type ApiRequest, type ApiResponse } from './respond.ts';
import { serveResource, type RestContext } from './rest.ts';
import { parsePath } from './routes.ts';
import type { PodRuntime } from './runtime.ts';

export type { ApiHandler, ApiRequest, ApiResponse } from './respond.ts';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface ApiHandlerOptions {
  runtime?: PodRuntime;
  /** The clock for AGE columns (ms since the epoch); the control plane's when absent. */
  now?: () => number;
  /** What `/version` reports. On machines with the gcloud kubectl dispatcher the minor picks the kubectl that runs. */
  version?: ServerVersion;
  /** How often watches that allow bookmarks get one (default one minute, as upstream). */
  bookmarkIntervalMs?: number;
}

export const DEFAULT_VERSION: ServerVersion = { major: '1', minor: '32', gitVersion: 'v1.32.0' };

export function createApiHandler(cp: ControlPlane, opts: ApiHandlerOptions = {}): ApiHandler {
  const version = opts.version ?? DEFAULT_VERSION;
  const versionBody = {
    major: version.major, minor: version.minor, gitVersion: version.gitVersion,
    gitCommit: 'podlab', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64',
  };
  const openapi = buildOpenApi(version.gitVersion);
  const ctx: RestContext = {
    cp,
    ...(opts.runtime ? { runtime: opts.runtime } : {}),
    now: opts.now ?? (() => cp.registry.now()),
    minor: Number.parseInt(version.minor, 10) || 0,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
  };

  const serve = async (req: ApiRequest): Promise<ApiResponse> => {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const method = req.method.toUpperCase();
    if (path === '/version') return jsonReply(200, versionBody);
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return textReply(200, 'ok');
    if (path === '/api' || path === '/apis') {
      if (method !== 'GET') return routeNotFound();
      const v = aggregatedVersion(req.headers.accept);
      if (v) return jsonReply(200, aggregatedDiscovery(path === '/api', v), { contentType: v === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1 });
      return jsonReply(200, path === '/api' ? apiVersions(req.headers.host ?? '127.0.0.1:6443') : apiGroupList());
    }
    if (path === '/openapi/v2') {
      const protobuf = (req.headers.accept ?? '').includes(OPENAPI_V2_PROTOBUF);
      // Not the requested media type itself: Go's mime parser rejects its `@`, so kube-openapi
      // answers protobuf as an octet stream.
      return { status: 200, headers: { 'content-type': protobuf ? 'application/octet-stream' : 'application/json' }, body: openApiV2(version.gitVersion, protobuf) };
    }
    // kubectl looks a kind it cannot place among CRDs; podlab serves none.
    if (path === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions' && method === 'GET') {
      return jsonReply(200, { kind: 'CustomResourceDefinitionList', apiVersion: 'apiextensions.k8s.io/v1', metadata: { resourceVersion: String(cp.store.resourceVersion()) }, items: [] });
    }
    if (path === '/openapi/v3') return jsonReply(200, openapi.index);
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapi.docs.get(path.slice('/openapi/v3/'.length));
      if (!doc) return routeNotFound();
      const hash = req.query.get('hash');
      // A stale hash is redirected to the current document, as upstream does.
      if (hash && hash !== doc.hash) return { status: 301, headers: { location: `${path}?hash=${doc.hash}` }, body: '' };
      return { status: 200, headers: { 'content-type': 'application/json', ...(hash ? { 'cache-control': 'public, immutable' } : {}), etag: `"${doc.hash}"` }, body: doc.body };
    }
    const parsed = parsePath(path);
    switch (parsed.kind) {
      case 'groupVersion': {
        const list = apiResourceList(parsed.group, parsed.version);
        return list && method === 'GET' ? jsonReply(200, list) : routeNotFound();
      }
      case 'group': {
        const g = (apiGroupList() as { groups: { name: string }[] }).groups.find((x) => x.name === parsed.group);
        return g && method === 'GET' ? jsonReply(200, { kind: 'APIGroup', apiVersion: 'v1', ...g }) : routeNotFound();
      }
      case 'resource':
        return serveResource(ctx, req, parsed.route);
      default:
        return routeNotFound();
    }
  };

  return async (req) => {
    try {
      return await serve(req);
    } catch (e) {
      if (e instanceof StatusError) return statusReply(e);
      return statusReply(internalError(e instanceof Error ? e.message : String(e)));
    }
  };
}
