/**
 * Request bodies of creates and updates: JSON, YAML or protobuf decoded into an object and
 * checked against the Go types as the API server's decoder does (fieldvalidation.ts), with
 * upstream's messages for what fails to decode.
 */
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import { badRequest } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import { splitApiVersion, type ResourceInfo } from '../api/resources.ts';
import { checkJson, dropUnknown, structOf, type FieldValidation } from './fieldvalidation.ts';
import { bodyFormat } from './negotiate.ts';
import { goJsonSyntaxError } from './gojson.ts';
import { decodeKubeProtobuf } from './protobuf.ts';
import { unsupportedMediaType } from './respond.ts';

export interface Decoded {
  object: KObject;
  /** Strict-decoding findings in Warn mode, to go out as `Warning` headers. */
  warnings: string[];
}

/** upstream's summarizeData: the start of a body for an error message. */
function summarize(body: Buffer): string {
  if (!body.length) return '<empty>';
  if (body[0] === 0x7b) return body.length > 30 ? `${body.subarray(0, 30).toString('utf8')} ...` : body.toString('utf8');
  return body.length > 30 ? `${body.subarray(0, 30).toString('hex')} ...` : body.toString('hex');
}

/** `line 5: key "name" already set in map` for each repeated key in document order, as go-yaml reports them. */
export function parseYamlStrict(text: string): { value: unknown; duplicates: string[]; error?: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  const duplicates: string[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const at = isNode(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : 0;
          duplicates.push(`line ${at}: key ${JSON.stringify(key)} already set in map`);
        }
        seen.add(key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  const error = doc.errors[0]?.message;
  return { value: error ? undefined : (doc.toJS() as unknown), duplicates, ...(error ? { error } : {}) };
}

/**
 * Decodes a create/update body for `resource`. Unknown and duplicate fields fail in Strict (400
 * `Kind in version "v1" cannot be handled as a Kind: strict decoding error: …`), become warnings
 * in Warn, and are dropped silently in Ignore, exactly where the Go decoder would drop them.
 */
export function decodeObject(resource: ResourceInfo, contentType: string | undefined, body: Buffer, validation: FieldValidation, struct = structOf(resource.group, resource.version, resource.kind)): Decoded {
  const format = bodyFormat(contentType);
  if (!format) throw unsupportedMediaType(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
  if (format === 'protobuf') return { object: decodeKubeProtobuf(body) as KObject, warnings: [] };
  let text: string;
  let strict: string[] = [];
  if (format === 'yaml') {
    const y = parseYamlStrict(body.toString('utf8'));
    if (y.error) throw badRequest(`the object provided is unrecognized (must be of type ${resource.kind}): couldn't get version/kind; yaml: ${y.error} (${summarize(body)})`);
    if (y.duplicates.length) strict.push(`yaml: unmarshal errors:\n  ${y.duplicates.join('\n  ')}`);
    text = JSON.stringify(y.value ?? null);
  } else {
    text = body.toString('utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(`the object provided is unrecognized (must be of type ${resource.kind}): couldn't get version/kind; json parse error: ${goJsonSyntaxError(text) ?? 'unexpected end of JSON input'} (${summarize(body)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${resource.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : value === null ? 'null' : 'number'} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarize(body)})`);
  }
  const obj = value as KObject;
  if (!struct) return { object: obj, warnings: [] };
  const report = checkJson(text, struct);
  strict = [...strict, ...report.strict];
  // The kind and version the body names (the endpoint's when it names none), for the message.
  const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : resource.kind;
  const version = typeof obj.apiVersion === 'string' && obj.apiVersion ? splitApiVersion(obj.apiVersion)[1] : resource.version;
  const prefix = `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${resource.kind}`;
  if (report.typeError) throw badRequest(`${prefix}: ${report.typeError}`);
  if (!strict.length) return { object: obj, warnings: [] };
  if (validation === 'Strict') throw badRequest(`${prefix}: strict decoding error: ${strict.join(', ')}`);
  return { object: dropUnknown(obj, struct) as KObject, warnings: validation === 'Warn' ? strict.flatMap((s) => (s.startsWith('yaml: unmarshal errors:\n') ? s.split('\n').slice(1).map((l) => l.trim()) : [s])) : [] };
}
