/**
 * The registry's Patcher over the patch algorithms of src/k8s/api/patch: PATCH bodies by
 * Content-Type (JSON patch, JSON merge patch, strategic merge patch, server-side apply) and the
 * managedFields bookkeeping of every other write.
 */
import { parse as parseYaml } from 'yaml';
import { badRequest, StatusError } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import { apiVersionOf } from '../api/resources.ts';
import { jsonPatch } from '../api/patch/json-patch.ts';
import { jsonMergePatch } from '../api/patch/merge.ts';
import { hasPatchSchema, patchSchemaFor } from '../api/patch/schema.ts';
import { strategicMergePatch } from '../api/patch/strategic.ts';
import { recordUpdate, serverSideApply } from '../api/patch/apply.ts';
import type { Patcher } from './registry.ts';

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

export const patcher: Patcher = {
  patch(type, current, body, opts) {
    const apiVersion = apiVersionOf(opts.resource);
    const kind = opts.resource.kind;
    switch (type) {
      case 'application/json-patch+json':
        return jsonPatch(current, parseJson(body)) as KObject;
      case 'application/merge-patch+json':
        return jsonMergePatch(current, parseJson(body)) as KObject;
      case 'application/strategic-merge-patch+json':
        if (!hasPatchSchema(apiVersion, kind)) {
          throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
        }
        return strategicMergePatch(current, parseJson(body), patchSchemaFor(apiVersion, kind)) as KObject;
      case 'application/apply-patch+yaml': {
        let applied: unknown;
        try {
          applied = parseYaml(body, { version: '1.1' }) as unknown;
        } catch (e) {
          throw badRequest(`error decoding YAML: ${(e as Error).message}`);
        }
        return serverSideApply(current, applied as KObject, { manager: opts.manager, force: opts.force, now: opts.now, schema: patchSchemaFor(apiVersion, kind) }).object;
      }
    }
  },
  recordUpdate(old, updated, opts) {
    const withType = { ...updated, apiVersion: apiVersionOf(opts.resource), kind: opts.resource.kind };
    const r = recordUpdate(old, withType, opts.manager, opts.operation, { now: opts.now, ...(opts.subresource ? { subresource: opts.subresource } : {}) });
    if (r.metadata.managedFields) updated.metadata.managedFields = r.metadata.managedFields;
    else delete updated.metadata.managedFields;
  },
};
