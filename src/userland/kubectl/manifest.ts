/**
 * Reading `-f` manifests as kubectl's resource builder does: files, directories (with -R),
 * `-` for stdin; YAML streams split at `---` lines and each document converted to JSON with
 * YAML 1.1 rules as sigs.k8s.io/yaml does (go-yaml's error words); Lists flattened; then each
 * object validated for apiVersion and kind and mapped to the resource that serves it.
 */
import { parseDocument, type Tags, type ScalarTag, type CollectionTag } from 'yaml';
import { resolvePath, type FileSystem } from '../../host/sim/fs.ts';
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import { CmdError } from './errors.ts';

/** One object of a manifest and where it came from (the `source` kubectl names in messages). */
export interface ManifestObject {
  obj: KObject;
  source: string;
  resource: ResourceInfo;
  /** The namespace the object goes to ('' for cluster-scoped resources). */
  namespace: string;
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

/**
 * YAML 1.1 as go-yaml v2 reads into interface{}: timestamps and sexagesimal numbers stay
 * strings; `yes`/`on`, octal `0777`, hex and `1_000` are converted.
 */
const goYamlTags = (tags: Tags): Tags => tags.filter((t) => typeof t === 'string' ? t !== 'timestamp' : !/timestamp/.test(t.tag) && (t as ScalarTag | CollectionTag & { format?: string }).format !== 'TIME');

/** An error converting one document, in go-yaml's words: `yaml: line 3: did not find expected key`. */
function goYamlError(code: string, message: string, line: number, before = ''): string {
  let text: string;
  let scanner = false;
  if (code === 'BLOCK_AS_IMPLICIT_KEY') [text, scanner] = ['mapping values are not allowed in this context', true];
  else if (code === 'TAB_AS_INDENT') [text, scanner] = ['found a tab character that violates indentation', true];
  else if (code === 'MISSING_CHAR') [text, scanner] = ['found unexpected end of stream', true];
  else if (code === 'BAD_SCALAR_START') [text, scanner] = ['found character that cannot start any token', true];
  else if (/^Flow sequence/.test(message)) text = /\[\s*$/.test(before) ? 'did not find expected node content' : "did not find expected ',' or ']'";
  else if (/^Flow map/.test(message)) text = "did not find expected ',' or '}'";
  else text = 'did not find expected key';
  // go-yaml reports the 0-based line of the problem, one more for scanner errors, and no line at all on the first.
  const zeroBased = line - 1;
  const shown = zeroBased === 0 ? 0 : scanner ? zeroBased + 1 : zeroBased;
  return shown ? `yaml: line ${shown}: ${text}` : `yaml: ${text}`;
}

/** The YAMLReader's split: documents separated by lines that are `---` (plus spaces or a comment). */
export function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  let cur: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('---') && /^---\s*(#.*)?$/.test(line.replace(/\r?\n$/, ''))) {
      docs.push(cur.join(''));
      cur = [];
    } else {
      cur.push(line);
    }
  }
  docs.push(cur.join(''));
  return docs;
}

/** One document as JSON data (undefined when empty); throws the go-yaml message. */
export function yamlToJson(doc: string): unknown {
  const d = parseDocument(doc, { version: '1.1', uniqueKeys: false, customTags: goYamlTags, merge: true });
  const err = d.errors[0];
  if (err) throw new Error(goYamlError(err.code, err.message, err.linePos?.[0]?.line ?? 1, doc.slice(0, err.pos[0])));
  return d.toJS({ maxAliasCount: -1 }) as unknown;
}

/** Parses a stream of YAML documents or JSON objects into plain values. */
export function parseStream(text: string, source: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of splitDocuments(text)) {
    if (!doc.replace(/#.*$/gm, '').trim()) continue;
    let v: unknown;
    try {
      v = yamlToJson(doc);
    } catch (e) {
      throw new CmdError(`error parsing ${source}: error converting YAML to JSON: ${(e as Error).message}`);
    }
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** A file to read: its display name (as typed, or `dir/name`) and its content. */
export interface ManifestFile {
  source: string;
  text: string;
}

/** The files `-f` names, with kubectl's errors for a missing path or an empty directory. */
export function manifestFiles(fs: FileSystem, cwd: string, stdin: string, names: string[], recursive: boolean): ManifestFile[] {
  const files: ManifestFile[] = [];
  const walk = (dir: string, shown: string, top: boolean, found: ManifestFile[]): void => {
    for (const name of fs.list(dir)) {
      const p = `${dir === '/' ? '' : dir}/${name}`;
      const s = `${shown.replace(/\/$/, '')}/${name}`;
      if (fs.isDir(p)) {
        if (recursive) walk(p, s, false, found);
        continue;
      }
      if (EXTENSIONS.some((e) => name.endsWith(e))) found.push({ source: s, text: fs.read(p) ?? '' });
    }
    void top;
  };
  for (const name of names) {
    if (name === '-') {
      files.push({ source: 'STDIN', text: stdin });
      continue;
    }
    const p = resolvePath(cwd, name);
    if (!fs.exists(p)) throw new CmdError(`the path "${name}" does not exist`);
    if (fs.isDir(p)) {
      const found: ManifestFile[] = [];
      walk(p, name, true, found);
      if (!found.length) throw new CmdError(`error reading [${name}]: recognized file extensions are [${EXTENSIONS.join(' ')}]`);
      files.push(...found);
      continue;
    }
    files.push({ source: name, text: fs.read(p) ?? '' });
  }
  return files;
}

export interface DecodeOptions {
  validate: boolean;
  /** The resource serving a kind, or undefined when the server has none. */
  mapKind(apiVersion: string, kind: string): ResourceInfo | undefined;
  namespace: string;
  /** -n was given: an object naming another namespace is an error. */
  enforceNamespace: boolean;
}

function flatten(v: unknown): unknown[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) return o.items.flatMap(flatten);
  }
  return [v];
}

/** What the builder made of the files: the objects it could read, and the errors, in order. */
export interface Decoded {
  objects: ManifestObject[];
  errors: unknown[];
}

/**
 * Every object of `files`, validated and mapped, as the builder visits them with
 * ContinueOnError: a document that cannot be parsed or validated ends its file (the objects
 * before it stand), an object of an unknown kind is skipped, and the errors are kept in order.
 */
export function decodeManifests(files: ManifestFile[], o: DecodeOptions): Decoded {
  const out: Decoded = { objects: [], errors: [] };
  for (const f of files) {
    try {
      decodeFile(f, o, out);
    } catch (e) {
      out.errors.push(e);
    }
  }
  return out;
}

function decodeFile(f: ManifestFile, o: DecodeOptions, out: Decoded): void {
  for (const raw of parseStream(f.text, f.source)) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      if (o.validate) throw new CmdError(`error validating "${f.source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
      throw new CmdError(`unable to decode "${f.source}": json: cannot unmarshal ${jsonType(raw)} into Go value of type map[string]interface {}`);
    }
    for (const item of flatten(raw)) {
      const obj = item as KObject;
      const missing = [...(typeof obj.apiVersion === 'string' && obj.apiVersion ? [] : ['apiVersion not set']), ...(typeof obj.kind === 'string' && obj.kind ? [] : ['kind not set'])];
      if (missing.length) {
        if (o.validate) throw new CmdError(`error validating "${f.source}": error validating data: ${missing.length > 1 ? `[${missing.join(', ')}]` : missing[0]}; if you choose to ignore these errors, turn validation off with --validate=false`);
        throw new CmdError(`unable to decode "${f.source}": Object 'Kind' is missing in '${JSON.stringify(sortKeys(obj))}'`);
      }
      obj.metadata ??= {};
      const typeErr = metadataTypeError(obj.metadata);
      if (typeErr) throw new CmdError(`unable to decode "${f.source}": ${typeErr}`);
      const resource = o.mapKind(obj.apiVersion!, obj.kind!);
      if (!resource) {
        out.errors.push(new CmdError(`resource mapping not found for name: "${obj.metadata.name ?? ''}" namespace: "${obj.metadata.namespace ?? ''}" from "${f.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`));
        continue;
      }
      let namespace = '';
      if (resource.namespaced) {
        namespace = obj.metadata.namespace || o.namespace;
        if (o.enforceNamespace && obj.metadata.namespace && obj.metadata.namespace !== o.namespace) {
          throw new CmdError(`the namespace from the provided object "${obj.metadata.namespace}" does not match the namespace "${o.namespace}". You must pass '--namespace=${obj.metadata.namespace}' to perform this operation.`);
        }
      }
      out.objects.push({ obj, source: f.source, resource, namespace });
    }
  }
}

/** encoding/json's name for the type of a decoded value. */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * The error decoding `metadata` into ObjectMeta gives for a field of the wrong type, as YAML 1.1
 * makes of `name: yes` or `labels: {enabled: true}`; undefined when it decodes.
 */
function metadataTypeError(meta: Record<string, unknown>): string | undefined {
  for (const field of ['name', 'generateName', 'namespace', 'uid', 'resourceVersion']) {
    const v = meta[field];
    if (v !== undefined && v !== null && typeof v !== 'string') return `json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${field} of type string`;
  }
  for (const field of ['labels', 'annotations']) {
    const m = meta[field];
    if (m === undefined || m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) return `json: cannot unmarshal ${jsonType(m)} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`;
    for (const v of Object.values(m as Record<string, unknown>)) {
      if (v !== null && typeof v !== 'string') return `json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${field} of type string`;
    }
  }
  return undefined;
}

/** A JSON value with object keys sorted, as Go's encoding/json writes a map. */
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}
