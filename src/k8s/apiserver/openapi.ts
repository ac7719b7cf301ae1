/**
 * OpenAPI v3 as far as kubectl needs it: an index of group versions, and per group version a
 * document whose operations carry `x-kubernetes-group-version-kind` and the `fieldValidation`
 * parameter. kubectl then leaves validation to the server (`?fieldValidation=Strict`) instead
 * of downloading `/openapi/v2`, which podlab does not serve. Documents are addressed by a hash
 * of their content, so kubectl's HTTP cache sees a new URL whenever one changes.
 */
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, type ResourceInfo } from '../api/resources.ts';

export interface OpenApiDocs {
  /** `/openapi/v3`. */
  index: object;
  /** Keyed by `api/v1`, `apis/apps/v1`. */
  docs: Map<string, { body: string; hash: string }>;
}

const param = (name: string, description: string): object => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });

const DRY_RUN = param('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict');
const FORCE = { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: { type: 'boolean', uniqueItems: true } };

const PATCH_BODY = {
  content: Object.fromEntries(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((t) => [t, { schema: { type: 'object' } }])),
  required: true,
};

// No schema references: kubectl looks a kind's schema up to build apply patches from it, and a
// dangling reference there would make it warn on every apply.
const OBJECT_BODY = { content: { '*/*': { schema: { type: 'object' } } }, required: true };

function op(r: ResourceInfo, action: string, verb: string, params: object[], extra: object = {}): object {
  const scope = r.namespaced ? 'Namespaced' : '';
  const k = r.kind;
  return {
    tags: [r.group ? `${r.group.split('.')[0]}_${r.version}` : `core_${r.version}`],
    description: `${action} the specified ${k}`,
    operationId: `${verb}${scope}${k}`,
    parameters: params,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    ...extra,
  };
}

function paths(r: ResourceInfo): Record<string, object> {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = r.namespaced ? `${root}/namespaces/{namespace}/${r.plural}` : `${root}/${r.plural}`;
  const pathParams = [
    { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
    ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }] : []),
  ];
  const writes = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  const out: Record<string, object> = {
    [collection]: {
      get: op(r, 'list', 'list', []),
      post: op(r, 'post', 'create', writes, { requestBody: OBJECT_BODY }),
      ...(r.namespaced ? { parameters: [pathParams[1]] } : {}),
    },
    [`${collection}/{name}`]: {
      get: op(r, 'get', 'read', []),
      put: op(r, 'put', 'replace', writes, { requestBody: OBJECT_BODY }),
      patch: op(r, 'patch', 'patch', [...writes, FORCE], { requestBody: PATCH_BODY }),
      delete: op(r, 'delete', 'delete', [DRY_RUN]),
      parameters: pathParams,
    },
  };
  for (const s of r.subresources) {
    if (s.name !== 'status' && s.name !== 'scale') continue;
    const sub = { ...r, kind: s.kind, group: s.group, version: s.version };
    out[`${collection}/{name}/${s.name}`] = {
      get: op(sub, 'get', `read${s.name === 'status' ? 'Status' : 'Scale'}`, []),
      put: op(sub, 'put', `replace${s.name === 'status' ? 'Status' : 'Scale'}`, writes),
      patch: op(sub, 'patch', `patch${s.name === 'status' ? 'Status' : 'Scale'}`, [...writes, FORCE], { requestBody: PATCH_BODY }),
      parameters: pathParams,
    };
  }
  return out;
}

/** Builds the index and one document per group version, each with its content hash. */
export function buildOpenApi(gitVersion: string, resources: readonly ResourceInfo[] = RESOURCES): OpenApiDocs {
  const byGv = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const key = r.group ? `apis/${apiVersionOf(r)}` : `api/${r.version}`;
    byGv.set(key, [...(byGv.get(key) ?? []), r]);
  }
  const docs = new Map<string, { body: string; hash: string }>();
  const index: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, rs] of byGv) {
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: gitVersion },
      paths: Object.assign({}, ...rs.map(paths)) as Record<string, object>,
      // Schemas are left empty: kubectl then takes patch metadata from its compiled-in types
      // and validation from the server, which is what podlab wants.
      components: { schemas: {} },
    };
    const body = JSON.stringify(doc);
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    docs.set(key, { body, hash });
    index[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { index: { paths: index }, docs };
}

/** A protobuf length-delimited field. */
function lengthDelimited(field: number, bytes: Buffer): Buffer {
  const len: number[] = [];
  let n = bytes.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), bytes]);
}

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/**
 * `/openapi/v2`: an empty Swagger 2.0 document (no definitions). kubectl reads it for kinds
 * the v3 documents do not list (a `kind: List` manifest, an unknown kind) and skips
 * client-side validation of kinds it finds no schema for, as it does with a real server; a
 * 404 here would fail those applies with `failed to download openapi`. kubectl asks for the
 * gnostic protobuf encoding (Document {1 swagger, 2 info {1 title, 2 version}}).
 */
export function openApiV2(gitVersion: string, protobuf: boolean): Buffer {
  if (!protobuf) return Buffer.from(JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version: gitVersion }, paths: {}, definitions: {} }));
  const info = Buffer.concat([lengthDelimited(1, Buffer.from('Kubernetes')), lengthDelimited(2, Buffer.from(gitVersion))]);
  return Buffer.concat([lengthDelimited(1, Buffer.from('2.0')), lengthDelimited(2, info)]);
}
