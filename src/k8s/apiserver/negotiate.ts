/**
 * Content negotiation as the API server does it: which representation an `Accept` header asks
 * for (a Table, PartialObjectMetadata, JSON or YAML; aggregated discovery is in discovery.ts)
 * and what a request body's `Content-Type` is.
 */

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/** `application/json;as=Table;v=v1;g=meta.k8s.io, application/json` → ranges in the client's order. */
export function parseAccept(accept: string | undefined): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (!type) continue;
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim();
    }
    out.push({ type: type.toLowerCase(), params: p });
  }
  return out;
}

export type Representation =
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'object'; format: 'json' | 'yaml' };

/**
 * The first representation in the client's list that podlab can produce. Protobuf is never
 * produced (kubectl always lists JSON after it); undefined means nothing acceptable (406).
 */
export function representation(accept: string | undefined): Representation | undefined {
  const ranges = parseAccept(accept);
  if (!ranges.length) return { as: 'object', format: 'json' };
  for (const r of ranges) {
    const as = r.params.as;
    if (as) {
      if (r.type !== 'application/json' || r.params.g !== 'meta.k8s.io') continue;
      const v = r.params.v;
      if (v !== 'v1' && v !== 'v1beta1') continue;
      if (as === 'Table') return { as: 'Table', version: v };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version: v };
      continue;
    }
    if (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*') return { as: 'object', format: 'json' };
    if (r.type === 'application/yaml') return { as: 'object', format: 'yaml' };
  }
  return undefined;
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

/** The media type of a request body, without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** How a create/update body is encoded; undefined for a type the server does not read (415). */
export function bodyFormat(contentType: string | undefined): BodyFormat | undefined {
  const t = mediaType(contentType);
  if (t === '' || t === 'application/json' || t === '*/*') return 'json';
  if (t === 'application/yaml') return 'yaml';
  if (t === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  return undefined;
}

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'] as const;
export type PatchMediaType = (typeof PATCH_TYPES)[number];

export function patchType(contentType: string | undefined): PatchMediaType | undefined {
  const t = mediaType(contentType);
  return (PATCH_TYPES as readonly string[]).includes(t) ? (t as PatchMediaType) : undefined;
}
