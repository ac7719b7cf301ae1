/**
 * `kubectl label` and `kubectl annotate`: `key=value` and `key-` updates applied to the live
 * object, sent as a JSON merge patch of the difference; `pod/x labeled`, `unlabeled`,
 * `not labeled`, `annotated`, and the --overwrite refusals in kubectl's words.
 */
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { goJson } from '../../k8s/api/patch/gofmt.ts';
import { resolveRequests, splitResourceArgs } from './builder.ts';
import { FILES_AND_ARGS, DRY_RUN_FLAG, dryRunOf, nameLine, query, readObjects, withDryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { throwErrors, CmdError, usageError } from './errors.ts';
import type { FlagSpec } from './flags.ts';

const FLAGS: FlagSpec[] = [
  { name: 'all', kind: 'bool' },
  { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'allow-missing-template-keys', kind: 'bool' },
  DRY_RUN_FLAG,
  { name: 'field-manager', kind: 'string' },
  { name: 'field-selector', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'list', kind: 'bool' },
  { name: 'local', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'overwrite', kind: 'bool' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'resource-version', kind: 'string' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'template', kind: 'string' },
];

type Which = 'label' | 'annotate';

/** GetResourcesAndPairs: the arguments that are `k=v` or `k-` are the updates, the rest name resources. */
function splitPairs(args: string[]): { resources: string[]; set: [string, string][]; remove: string[] } {
  const resources: string[] = [];
  const set: [string, string][] = [];
  const remove: string[] = [];
  let inPairs = false;
  for (const a of args) {
    if (a.includes('=') || a.endsWith('-')) {
      inPairs = true;
      if (a.includes('=')) {
        const i = a.indexOf('=');
        set.push([a.slice(0, i), a.slice(i + 1)]);
      } else remove.push(a.slice(0, -1));
    } else {
      if (inPairs) throw new CmdError('all resources must be specified before label changes: ' + a);
      resources.push(a);
    }
  }
  return { resources, set, remove };
}

/** Validation of a label key and value as kubectl checks them before sending. */
function checkLabel(key: string, value: string | undefined): void {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/.test(name) || name.length > 63) {
    throw new CmdError(`invalid label spec: ${key}${value !== undefined ? `=${value}` : ''}`);
  }
  if (value !== undefined && value !== '' && (!/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/.test(value) || value.length > 63)) {
    throw new CmdError(`invalid label value: "${key}=${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
  }
}

/** JSON merge patch from `a` to `b` (jsonpatch.CreateMergePatch). */
function mergeDiff(a: unknown, b: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return b;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(b)) {
    if (!(k in a)) out[k] = b[k];
    else if (goJson(a[k]) !== goJson(b[k])) out[k] = isObj(a[k]) && isObj(b[k]) ? mergeDiff(a[k], b[k]) : b[k];
  }
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  return out;
}

function makeRun(which: Which) {
  const field = which === 'label' ? 'labels' : 'annotations';
  return async (k: Kctx, args: string[]): Promise<number> => {
    const f = k.flags;
    const { resources, set, remove } = splitPairs(args);
    if (!f.bool('list') && set.length === 0 && remove.length === 0) throw new CmdError(`at least one ${which === 'label' ? 'label' : 'annotation'} update is required`);
    if (resources.length && f.list('filename').length) throw new CmdError(FILES_AND_ARGS);
    if (!resources.length && !f.list('filename').length) throw usageError(k.cmdPath, 'one or more resources must be specified as <resource> <name> or <resource>/<name>');
    if (which === 'label') for (const [key, value] of set) checkLabel(key, value);
    for (const key of remove) if (set.some(([s]) => s === key)) throw new CmdError(`can not both modify and remove ${which === 'label' ? 'a label' : 'an annotation'} in the same command`);
    const dry = dryRunOf(k);
    const targets: { resource: ResourceInfo; namespace: string | undefined; name: string }[] = [];
    const readErrors: unknown[] = [];
    if (f.list('filename').length) {
      const read = await readObjects(k, false);
      readErrors.push(...read.errors);
      for (const m of read.objects) targets.push({ resource: m.resource, namespace: m.namespace || undefined, name: m.obj.metadata.name ?? '' });
    } else {
      const parsed = splitResourceArgs(resources, k.baseName);
      for (const r of resolveRequests(await k.discovery(), parsed)) {
        const ns = r.resource.namespaced ? (f.bool('all-namespaces') ? undefined : k.namespace) : undefined;
        if (r.names.length) for (const name of r.names) targets.push({ resource: r.resource, namespace: ns, name });
        else if (f.bool('all') || f.str('selector') || f.str('field-selector')) {
          const list = await k.client().call<{ items?: KObject[] }>('GET', resourcePath(r.resource, ns) + query({ labelSelector: f.str('selector'), fieldSelector: f.str('field-selector'), limit: 500 }));
          for (const o of list.items ?? []) targets.push({ resource: r.resource, namespace: r.resource.namespaced ? o.metadata.namespace : undefined, name: o.metadata.name ?? '' });
        } else throw new CmdError('resource(s) were provided, but no name was specified');
      }
    }
    const errors: unknown[] = [...readErrors];
    for (const t of targets) {
      try {
        const path = resourcePath(t.resource, t.namespace, t.name);
        const obj = await k.client().call<KObject>('GET', path);
        const before = { ...((obj.metadata[field] as Record<string, string> | undefined) ?? {}) };
        if (f.bool('list')) {
          for (const key of Object.keys(before).sort()) k.out(`${key}=${before[key]}\n`);
          continue;
        }
        const after = { ...before };
        if (!f.bool('overwrite')) {
          const clashes = set.filter(([key, value]) => key in before && before[key] !== value);
          if (clashes.length) {
            if (which === 'label') throw new CmdError(`'${clashes[0][0]}' already has a value (${before[clashes[0][0]]}), and --overwrite is false`);
            throw new CmdError(`--overwrite is false but found the following declared annotation(s): ${clashes.map(([key]) => `'${key}' already has a value (${before[key]})`).join('; ')}`);
          }
        }
        for (const key of remove) delete after[key];
        for (const [key, value] of set) after[key] = value;
        const oldMeta = { ...obj.metadata };
        const newMeta = { ...obj.metadata, [field]: after };
        if (f.str('resource-version')) newMeta.resourceVersion = f.str('resource-version');
        const patch = mergeDiff({ metadata: oldMeta }, { metadata: newMeta });
        if (dry !== 'client') {
          await k.client().call('PATCH', path + query({ dryRun: dry === 'server' ? 'All' : undefined, fieldManager: f.str('field-manager', which === 'label' ? 'kubectl-label' : 'kubectl-annotate') }), goJson(patch), { 'Content-Type': 'application/merge-patch+json' });
        }
        let op = 'annotated';
        if (which === 'label') {
          const oldText = goJson({ ...obj, metadata: oldMeta });
          const newText = goJson({ ...obj, metadata: newMeta });
          op = 'not labeled';
          if (oldText !== newText) op = !f.bool('overwrite') && newText.length < oldText.length ? 'unlabeled' : 'labeled';
        }
        k.out(nameLine(t.resource, t.name, withDryRun(op, dry), f.str('output') === 'name'));
      } catch (e) {
        errors.push(e);
      }
    }
    throwErrors(errors);
    return 0;
  };
}

export const labelCmd: Subcommand = { name: 'label', flags: FLAGS, run: makeRun('label') };
export const annotateCmd: Subcommand = { name: 'annotate', flags: FLAGS, run: makeRun('annotate') };
