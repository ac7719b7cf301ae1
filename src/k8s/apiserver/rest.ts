/**
 * The resource endpoints: get, list, watch, create, update, patch, delete and deletecollection
 * on every resource, and the status, scale and log subresources, routed to the registry with
 * the query parameters kubectl sends, answered in the representation the client asked for
 * (object, Table, PartialObjectMetadata; JSON or YAML). Every successful write lets the
 * controllers settle before the reply, so the next request sees their work.
 */
import { invalid, methodNotAllowed, StatusError, badRequest } from '../api/errors.ts';
import { clone, type KObject } from '../api/object.ts';
import { apiVersionOf, qualified, type ResourceInfo } from '../api/resources.ts';
import { jsonMergePatch } from '../api/patch/merge.ts';
import { jsonPatch } from '../api/patch/json-patch.ts';
import type { ControlPlane } from '../controlplane.ts';
import type { PatchType } from '../registry/registry.ts';
import { tableFor } from '../printers/index.ts';
import { decodeObject } from './body.ts';
import { goJsonSyntaxError } from './gojson.ts';
import { dropUnknown, structOf, unknownFields } from './fieldvalidation.ts';
import { serveLogs } from './logs.ts';
import { patchType, representation, type Representation } from './negotiate.ts';
import { deleteOptionsOf, dryRunOf, includeObjectOf, queryBool, queryInt, validationOf } from './params.ts';
import { applyFindings, strictPatchFindings } from './patch-checks.ts';
import { jsonReply, notAcceptable, statusReply, unsupportedMediaType, yamlReply, type ApiRequest, type ApiResponse } from './respond.ts';
import type { ResourceRoute } from './routes.ts';
import type { PodRuntime } from './runtime.ts';
import { serveWatch } from './watch.ts';

export interface RestContext {
  cp: ControlPlane;
  runtime?: PodRuntime;
  now: () => number;
  /** The minor version the server reports (Endpoints are deprecated from 1.33 on). */
  minor: number;
  bookmarkIntervalMs: number;
}

/** Resources whose DELETE returns the deleted object rather than a Success Status (upstream's ReturnDeletedObject). */
const RETURNS_DELETED = new Set(['pods', 'services', 'namespaces']);

const PATCH_ACCEPTED = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json'];

/** The order of objects in a list, which a continue token resumes after. */
function listKey(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? '');
}

function decodeContinue(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: unknown };
    if (typeof v.start === 'string') return v.start;
  } catch {
    // reported below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

class Rest {
  /** `Warning` headers of the reply, success or failure. */
  readonly warnings: string[] = [];
  private rep: Representation;

  constructor(private ctx: RestContext, private req: ApiRequest, private route: ResourceRoute) {
    const rep = representation(req.headers.accept);
    if (!rep) throw notAcceptable();
    this.rep = rep;
    const r = route.resource;
    if (r.group === '' && r.plural === 'endpoints' && ctx.minor >= 33) this.warnings.push('v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
  }

  private get r(): ResourceInfo {
    return this.route.resource;
  }

  private get registry() {
    return this.ctx.cp.registry;
  }

  private allow(verb: string): void {
    if (!this.r.verbs.includes(verb)) throw methodNotAllowed();
  }

  /** The object (or list) in the representation the client asked for. */
  private reply(status: number, body: unknown): ApiResponse {
    if (this.rep.as === 'object' && this.rep.format === 'yaml') return yamlReply(status, body, this.warnings);
    return jsonReply(status, body, { warnings: this.warnings });
  }

  /** A read's answer: a Table or PartialObjectMetadata when asked for, otherwise the object. */
  private readReply(objects: KObject[], single: boolean, meta: { resourceVersion: string; continue?: string; remainingItemCount?: number }): ApiResponse {
    const rep = this.rep;
    if (rep.as === 'Table') {
      const t = tableFor(this.r, objects, { now: this.ctx.now(), includeObject: includeObjectOf(this.req.query), resourceVersion: meta.resourceVersion });
      const md: Record<string, unknown> = { ...t.metadata };
      if (meta.continue) md.continue = meta.continue;
      if (meta.remainingItemCount !== undefined) md.remainingItemCount = meta.remainingItemCount;
      return jsonReply(200, { ...t, apiVersion: `meta.k8s.io/${rep.version}`, metadata: md }, { warnings: this.warnings, contentType: `application/json;as=Table;v=${rep.version};g=meta.k8s.io` });
    }
    if (rep.as === 'PartialObjectMetadata') {
      const apiVersion = `meta.k8s.io/${rep.version}`;
      const partial = (o: KObject): object => ({ kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata });
      if (single) return jsonReply(200, partial(objects[0]), { warnings: this.warnings });
      return jsonReply(200, { kind: 'PartialObjectMetadataList', apiVersion, metadata: meta, items: objects.map(partial) }, { warnings: this.warnings });
    }
    if (single) return this.reply(200, objects[0]);
    return this.reply(200, { kind: this.r.listKind, apiVersion: apiVersionOf(this.r), metadata: meta, items: objects });
  }

  private settle(dryRun: boolean): void {
    if (!dryRun) this.ctx.cp.settle();
  }

  async serve(): Promise<ApiResponse> {
    const { route, req } = this;
    const sub = route.subresource;
    const method = req.method.toUpperCase();
    if (sub === 'exec' || sub === 'portforward' || sub === 'attach') {
      if (method !== 'GET' && method !== 'POST') throw methodNotAllowed();
      throw badRequest('Upgrade request required');
    }
    if (sub === 'log') {
      if (method !== 'GET') throw methodNotAllowed();
      return serveLogs(this.registry, this.ctx.runtime, route.namespace ?? 'default', route.name!, req.query, req.signal);
    }
    if (sub !== undefined && sub !== 'status' && sub !== 'scale') throw methodNotAllowed();
    const watch = route.watchPrefix || queryBool(req.query, 'watch');
    switch (method) {
      case 'GET':
        if (watch) return this.watch();
        return route.name === undefined ? this.list() : this.get();
      case 'POST':
        if (route.name !== undefined || (this.r.namespaced && route.namespace === undefined)) throw methodNotAllowed();
        return this.create();
      case 'PUT':
        if (route.name === undefined) throw methodNotAllowed();
        return this.update();
      case 'PATCH':
        if (route.name === undefined) throw methodNotAllowed();
        return this.patch();
      case 'DELETE':
        if (sub !== undefined) throw methodNotAllowed();
        return route.name === undefined ? this.deleteCollection() : this.delete();
      default:
        throw methodNotAllowed();
    }
  }

  // ---- reads ----------------------------------------------------------------------------

  private get(): ApiResponse {
    this.allow('get');
    const { namespace, name, subresource } = this.route;
    if (subresource === 'scale') return this.reply(200, this.registry.getScale(this.r, namespace, name!));
    const obj = this.registry.get(this.r, namespace, name!);
    return this.readReply([obj], true, { resourceVersion: obj.metadata.resourceVersion ?? '' });
  }

  private list(): ApiResponse {
    this.allow('list');
    const q = this.req.query;
    const { items, resourceVersion } = this.registry.list(this.r, this.route.namespace, { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
    let page = items;
    const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion };
    const cont = q.get('continue');
    if (cont) {
      const start = decodeContinue(cont);
      page = page.filter((o) => listKey(o) > start);
    }
    const limit = queryInt(q, 'limit');
    if (limit !== undefined && limit > 0 && page.length > limit) {
      meta.remainingItemCount = page.length - limit;
      page = page.slice(0, limit);
      meta.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start: listKey(page[page.length - 1]) })).toString('base64url');
    }
    return this.readReply(page, false, meta);
  }

  private watch(): ApiResponse {
    this.allow('watch');
    const q = this.req.query;
    let fieldSelector = q.get('fieldSelector') ?? undefined;
    // Watching one object by URL is watching its collection by name.
    if (this.route.name !== undefined) fieldSelector = [`metadata.name=${this.route.name}`, fieldSelector].filter(Boolean).join(',');
    return serveWatch(this.registry, {
      resource: this.r,
      namespace: this.route.namespace,
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector,
      resourceVersion: q.get('resourceVersion') ?? undefined,
      timeoutSeconds: queryInt(q, 'timeoutSeconds'),
      allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks'),
      sendInitialEvents: queryBool(q, 'sendInitialEvents'),
      includeObject: includeObjectOf(q),
      representation: this.rep,
      now: this.ctx.now,
      bookmarkIntervalMs: this.ctx.bookmarkIntervalMs,
      warnings: this.warnings,
    });
  }

  // ---- writes ---------------------------------------------------------------------------

  private decode(structOverride?: string): KObject {
    const d = decodeObject(this.r, this.req.headers['content-type'], this.req.body, validationOf(this.req.query), structOverride);
    this.warnings.push(...d.warnings);
    return d.object;
  }

  private create(): ApiResponse {
    this.allow('create');
    const q = this.req.query;
    const dryRun = dryRunOf(q);
    const obj = this.decode();
    const created = this.registry.create(this.r, this.route.namespace, obj, { dryRun, fieldManager: q.get('fieldManager') ?? undefined });
    this.settle(dryRun);
    return this.reply(201, created);
  }

  private update(): ApiResponse {
    this.allow('update');
    const q = this.req.query;
    const dryRun = dryRunOf(q);
    const { namespace, name, subresource } = this.route;
    const fieldManager = q.get('fieldManager') ?? undefined;
    if (subresource === 'scale') {
      const scale = this.decode(structOf('autoscaling', 'v1', 'Scale'));
      const out = this.registry.updateScale(this.r, namespace, name!, scale, { dryRun, fieldManager });
      this.settle(dryRun);
      return this.reply(200, out);
    }
    const obj = this.decode();
    const out = this.registry.update(this.r, namespace, name!, obj, { dryRun, fieldManager, ...(subresource === 'status' ? { subresource: 'status' as const } : {}) });
    this.settle(dryRun);
    return this.reply(200, out);
  }

  private patch(): ApiResponse {
    this.allow('patch');
    const q = this.req.query;
    const type = patchType(this.req.headers['content-type']);
    if (!type) throw unsupportedMediaType(PATCH_ACCEPTED);
    const dryRun = dryRunOf(q);
    const validation = validationOf(q);
    const fieldManager = q.get('fieldManager') ?? undefined;
    const force = queryBool(q, 'force');
    const { namespace, name, subresource } = this.route;
    const text = this.req.body.toString('utf8');
    if (subresource === 'scale') return this.patchScale(type, text, dryRun, fieldManager);
    // A patch that is not JSON fails as upstream's patch handler words it (apply patches are YAML).
    if (type !== 'application/apply-patch+yaml') {
      const syntax = goJsonSyntaxError(text);
      if (syntax) {
        if (type === 'application/strategic-merge-patch+json') throw badRequest(syntax);
        if (validation !== 'Ignore') throw badRequest(`error decoding patch: ${syntax}`);
        throw badRequest(type === 'application/merge-patch+json' ? 'Invalid JSON Patch' : syntax);
      }
    }
    const struct = structOf(this.r.group, this.r.version, this.r.kind);
    const opts = { dryRun, fieldManager, force, ...(subresource === 'status' ? { subresource: 'status' as const } : {}) };
    if (type === 'application/apply-patch+yaml') {
      const checked = applyFindings(text, validation, struct, this.r, namespace, name!);
      this.warnings.push(...checked.warnings);
      if (checked.failure) return statusReply(checked.failure, this.warnings);
      const { object, created } = this.registry.patch(this.r, namespace, name!, type, text, opts);
      this.settle(dryRun);
      return this.reply(created ? 201 : 200, object);
    }
    // Strict decoding happens before anything else looks at the result (upstream decodes the
    // patched object into the Go types before validating it): repeated keys in the patch, then
    // the fields the result would have that the types do not declare.
    const current = this.registry.get(this.r, namespace, name!);
    if (struct && validation !== 'Ignore') {
      const findings = strictPatchFindings(type, text, current, struct);
      if (findings && findings.messages.length) {
        if (validation === 'Strict') {
          throw invalid('', '', '', [{ type: 'FieldValueInvalid', field: 'patch', badValue: findings.shown, detail: `strict decoding error: ${findings.messages.join(', ')}` }]);
        }
        this.warnings.push(...findings.messages);
      }
    }
    const run = (): { object: KObject; created: boolean } => {
      const res = this.registry.patch(this.r, namespace, name!, type as PatchType, text, opts);
      if (!struct || dryRun) return res;
      // Decoding into the Go types drops what they do not declare (Warn and Ignore keep the request).
      const before = new Set(unknownFields(current, struct));
      if (!unknownFields(res.object, struct).some((p) => !before.has(p))) return res;
      return { object: this.registry.update(this.r, namespace, name!, dropUnknown(res.object, struct) as KObject, opts), created: res.created };
    };
    const { object, created } = dryRun ? run() : this.ctx.cp.store.txn(run);
    this.settle(dryRun);
    return this.reply(created ? 201 : 200, object);
  }

  /** PATCH of …/scale (`kubectl scale` sends a merge patch): patches the Scale, then writes its replicas. */
  private patchScale(type: string, text: string, dryRun: boolean, fieldManager: string | undefined): ApiResponse {
    const { namespace, name } = this.route;
    const current = this.registry.getScale(this.r, namespace, name!);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw badRequest(`error decoding patch: ${text.slice(0, 30)}`);
    }
    const next = (type === 'application/json-patch+json' ? jsonPatch(current, body) : jsonMergePatch(current, body)) as KObject;
    const out = this.registry.updateScale(this.r, namespace, name!, next, { dryRun, fieldManager });
    this.settle(dryRun);
    return this.reply(200, out);
  }

  private delete(): ApiResponse {
    this.allow('delete');
    const { namespace, name } = this.route;
    const opts = deleteOptionsOf(this.req.query, this.req.body);
    const { object, deleted } = this.registry.delete(this.r, namespace, name!, opts);
    this.settle(!!opts.dryRun);
    if (deleted && !RETURNS_DELETED.has(qualified(this.r))) {
      // What upstream's generic store returns for an object gone at once.
      const details: Record<string, string> = { name: name! };
      if (this.r.group) details.group = this.r.group;
      details.kind = this.r.plural;
      if (object.metadata.uid) details.uid = object.metadata.uid;
      return this.reply(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
    }
    return this.reply(200, object);
  }

  private deleteCollection(): ApiResponse {
    this.allow('deletecollection');
    const q = this.req.query;
    const opts = deleteOptionsOf(this.req.query, this.req.body);
    const items = this.registry.deleteCollection(this.r, this.route.namespace, { ...opts, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
    this.settle(!!opts.dryRun);
    return this.reply(200, { kind: this.r.listKind, apiVersion: apiVersionOf(this.r), metadata: { resourceVersion: String(this.registry.store.resourceVersion()) }, items: clone(items) });
  }
}

export async function serveResource(ctx: RestContext, req: ApiRequest, route: ResourceRoute): Promise<ApiResponse> {
  const rest = new Rest(ctx, req, route);
  try {
    return await rest.serve();
  } catch (e) {
    if (e instanceof StatusError) return statusReply(e, rest.warnings);
    throw e;
  }
}
