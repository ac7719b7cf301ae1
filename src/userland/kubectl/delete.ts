/**
 * `kubectl delete` (-f, TYPE NAME…, TYPE/NAME, -l, --all): DELETE with the propagation policy,
 * `pod "x" deleted` as each goes, then (unless --wait=false) waiting until every deleted object
 * is really gone, by GET and a watch on its name, as kubectl does.
 */
import { StatusError } from '../../k8s/api/errors.ts';
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { resolveRequests, splitResourceArgs } from './builder.ts';
import { FILES_AND_ARGS, NO_RESOURCES, DRY_RUN_FLAG, dryRunOf, query, readObjects } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { kindString } from './discovery.ts';
import { throwErrors, CmdError, withSource } from './errors.ts';
import { parseDuration, type FlagSpec } from './flags.ts';

const DELETE_FLAGS: FlagSpec[] = [
  { name: 'all', kind: 'bool' },
  { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'cascade', kind: 'string', noOptDefault: 'background' },
  DRY_RUN_FLAG,
  { name: 'field-selector', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'force', kind: 'bool' },
  { name: 'grace-period', kind: 'int' },
  { name: 'ignore-not-found', kind: 'bool' },
  { name: 'interactive', short: 'i', kind: 'bool' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'now', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'raw', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'timeout', kind: 'duration' },
  { name: 'wait', kind: 'bool' },
];

interface Target {
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
  source?: string;
}

function propagation(k: Kctx): 'Background' | 'Foreground' | 'Orphan' {
  const c = k.flags.str('cascade', 'background');
  if (c === 'background' || c === 'true') return 'Background';
  if (c === 'foreground') return 'Foreground';
  if (c === 'orphan' || c === 'false') return 'Orphan';
  throw new CmdError(`invalid cascade value (${c}). Must be "background", "foreground", or "orphan".`);
}

/** Waits until the object named is gone (or replaced by one with another uid). */
async function waitDeleted(k: Kctx, t: Target, uid: string | undefined): Promise<void> {
  const client = k.client();
  const gone = async (): Promise<{ done: boolean; rv?: string }> => {
    try {
      const o = await client.call<KObject>('GET', resourcePath(t.resource, t.namespace, t.name));
      return { done: !!uid && o.metadata.uid !== uid, rv: o.metadata.resourceVersion };
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return { done: true };
      throw e;
    }
  };
  const first = await gone();
  if (first.done) return;
  const list = await client.call<{ items?: KObject[]; metadata?: { resourceVersion?: string } }>('GET', resourcePath(t.resource, t.namespace) + query({ fieldSelector: `metadata.name=${t.name}`, limit: 500, resourceVersion: '0' }));
  if (!(list.items ?? []).some((o) => !uid || o.metadata.uid === uid)) return;
  const ctl = new AbortController();
  const outer = k.signal;
  const onAbort = (): void => ctl.abort();
  outer?.addEventListener('abort', onAbort);
  let buf = '';
  try {
    await k.transport().stream({
      method: 'GET',
      path: resourcePath(t.resource, t.namespace) + query({ allowWatchBookmarks: 'true', fieldSelector: `metadata.name=${t.name}`, resourceVersion: list.metadata?.resourceVersion ?? '', watch: 'true' }),
      headers: { Accept: 'application/json' },
    }, (chunk) => {
      buf += chunk.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line) continue;
        const ev = JSON.parse(line) as { type: string; object: KObject };
        if (ev.type === 'DELETED' && (!uid || ev.object.metadata.uid === uid)) ctl.abort();
      }
    }, ctl.signal);
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
}

async function runDelete(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  const filenames = f.list('filename');
  if (!args.length && !filenames.length && !f.has('kustomize')) throw new CmdError(NO_RESOURCES);
  if (args.length && k.flags.list('filename').length) throw new CmdError(FILES_AND_ARGS);
  const dry = dryRunOf(k);
  if (f.has('timeout') && parseDuration(f.str('timeout')) === undefined) throw new CmdError(`invalid timeout ${f.str('timeout')}`);
  let gracePeriod = f.has('grace-period') ? f.int('grace-period') : -1;
  if (f.bool('now')) {
    if (gracePeriod !== -1) throw new CmdError('--now and --grace-period cannot be specified together');
    gracePeriod = 1;
  }
  const force = f.bool('force');
  if (force && gracePeriod < 0) gracePeriod = 0;
  if (gracePeriod === 0 && !force) gracePeriod = 1;
  const policy = propagation(k);
  const outputName = f.str('output') === 'name';
  const targets: Target[] = [];
  const errors: unknown[] = [];
  const selector = f.str('selector');
  const fieldSelector = f.str('field-selector');
  const all = f.bool('all');
  if (filenames.length) {
    const read = await readObjects(k, false);
    errors.push(...read.errors);
    for (const m of read.objects) targets.push({ resource: m.resource, namespace: m.resource.namespaced ? m.namespace : undefined, name: m.obj.metadata.name ?? '', source: m.source });
  } else {
    const parsed = splitResourceArgs(args, k.baseName);
    if (parsed.types && !parsed.names.length && !selector && !fieldSelector && !all) throw new CmdError('resource(s) were provided, but no name was specified');
    if (parsed.names.length && (selector || all)) throw new CmdError('name cannot be provided when a selector is specified');
    const requests = resolveRequests(await k.discovery(), parsed);
    const allNs = f.bool('all-namespaces');
    for (const r of requests) {
      const ns = r.resource.namespaced ? (allNs ? undefined : k.namespace) : undefined;
      if (r.names.length) {
        for (const name of r.names) targets.push({ resource: r.resource, namespace: ns, name });
        continue;
      }
      const list = await k.client().call<{ items?: KObject[] }>('GET', resourcePath(r.resource, ns) + query({ labelSelector: selector, fieldSelector, limit: 500 }));
      for (const o of list.items ?? []) targets.push({ resource: r.resource, namespace: r.resource.namespaced ? o.metadata.namespace : undefined, name: o.metadata.name ?? '' });
    }
    if (!targets.length && (selector || fieldSelector || all)) {
      k.out('No resources found\n');
      return 0;
    }
  }
  if (gracePeriod === 0 && force) k.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  const deleted: { t: Target; uid?: string }[] = [];
  for (const t of targets) {
    const body: Record<string, unknown> = { propagationPolicy: policy };
    if (gracePeriod >= 0) body.gracePeriodSeconds = gracePeriod;
    let uid: string | undefined;
    if (dry !== 'client') {
      if (dry === 'server') body.dryRun = ['All'];
      try {
        const res = await k.client().call<KObject | { kind: 'Status'; details?: { uid?: string } }>('DELETE', resourcePath(t.resource, t.namespace, t.name) + query({ dryRun: dry === 'server' ? 'All' : undefined }), body);
        uid = 'metadata' in res && res.metadata && 'uid' in res.metadata ? res.metadata.uid : (res as { details?: { uid?: string } }).details?.uid;
      } catch (e) {
        if (f.bool('ignore-not-found') && e instanceof StatusError && e.code === 404) continue;
        errors.push(withSource('deleting', t.source, e));
        continue;
      }
    }
    const op = gracePeriod === 0 && force ? 'force deleted' : 'deleted';
    const suffix = dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : '';
    k.out(outputName ? `${kindString(t.resource)}/${t.name}\n` : `${kindString(t.resource)} "${t.name}" ${op}${suffix}\n`);
    deleted.push({ t, uid });
  }
  const wait = f.has('wait') ? f.bool('wait') : true;
  if (wait && dry === 'none' && !(gracePeriod === 0 && force)) {
    for (const d of deleted) {
      try {
        await waitDeleted(k, d.t, d.uid);
      } catch (e) {
        errors.push(e);
      }
    }
  }
  throwErrors(errors);
  return 0;
}

export const deleteCmd: Subcommand = { name: 'delete', flags: DELETE_FLAGS, run: runDelete };
