/** `kubectl scale --replicas=N`: a JSON merge patch of the scale subresource; prints `deployment.apps/x scaled`. */
import type { KObject } from '../../k8s/api/object.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { resolveRequests, splitResourceArgs } from './builder.ts';
import { FILES_AND_ARGS, NO_RESOURCES, DRY_RUN_FLAG, dryRunOf, nameLine, query, readObjects, withDryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { throwErrors, CmdError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';

const SCALE_FLAGS: FlagSpec[] = [
  { name: 'all', kind: 'bool' },
  { name: 'allow-missing-template-keys', kind: 'bool' },
  { name: 'current-replicas', kind: 'int' },
  DRY_RUN_FLAG,
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'record', kind: 'bool' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'replicas', kind: 'int' },
  { name: 'resource-version', kind: 'string' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'template', kind: 'string' },
  { name: 'timeout', kind: 'duration' },
];

async function runScale(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  if (!f.has('replicas')) throw new CmdError('required flag(s) "replicas" not set');
  const replicas = f.int('replicas');
  if (replicas < 0) throw new CmdError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (!args.length && !f.list('filename').length) throw new CmdError(NO_RESOURCES);
  if (args.length && k.flags.list('filename').length) throw new CmdError(FILES_AND_ARGS);
  const dry = dryRunOf(k);
  const targets: { resource: ResourceInfo; namespace: string | undefined; name: string }[] = [];
  const readErrors: unknown[] = [];
  if (f.list('filename').length) {
    const read = await readObjects(k, false);
    readErrors.push(...read.errors);
    for (const m of read.objects) targets.push({ resource: m.resource, namespace: m.namespace || undefined, name: m.obj.metadata.name ?? '' });
  } else {
    const parsed = splitResourceArgs(args, k.baseName);
    const requests = resolveRequests(await k.discovery(), parsed);
    for (const r of requests) {
      const ns = r.resource.namespaced ? k.namespace : undefined;
      if (r.names.length) for (const name of r.names) targets.push({ resource: r.resource, namespace: ns, name });
      else if (f.bool('all') || f.str('selector')) {
        const list = await k.client().call<{ items?: KObject[] }>('GET', resourcePath(r.resource, ns) + query({ labelSelector: f.str('selector'), limit: 500 }));
        for (const o of list.items ?? []) targets.push({ resource: r.resource, namespace: ns, name: o.metadata.name ?? '' });
      } else throw new CmdError('resource(s) were provided, but no name was specified');
    }
  }
  const errors: unknown[] = [...readErrors];
  for (const t of targets) {
    try {
      try {
        await k.client().call('GET', resourcePath(t.resource, t.namespace, t.name));
      } catch (e) {
        // The builder found nothing to scale: kubectl wraps the server's error.
        throw new CmdError(`no objects passed to scale ${(e as Error).message}`);
      }
      if (!t.resource.subresources.some((s) => s.name === 'scale') && t.resource.subresources.length) {
        throw new CmdError(`no scaler has been implemented for {"${t.resource.group}" "${t.resource.kind}"}`);
      }
      if (f.has('current-replicas')) {
        const scale = await k.client().call<{ spec?: { replicas?: number } }>('GET', resourcePath(t.resource, t.namespace, t.name, 'scale'));
        if ((scale.spec?.replicas ?? 0) !== f.int('current-replicas')) throw new CmdError(`Expected replicas to be ${f.int('current-replicas')}, was ${scale.spec?.replicas ?? 0}`);
      }
      if (dry !== 'client') {
        const patch: Record<string, unknown> = { spec: { replicas } };
        if (f.str('resource-version')) patch.metadata = { resourceVersion: f.str('resource-version') };
        await k.client().call('PATCH', resourcePath(t.resource, t.namespace, t.name, 'scale') + query({ dryRun: dry === 'server' ? 'All' : undefined }), JSON.stringify(patch), { 'Content-Type': 'application/merge-patch+json' });
      }
      k.out(nameLine(t.resource, t.name, withDryRun('scaled', dry), f.str('output') === 'name'));
    } catch (e) {
      errors.push(e);
    }
  }
  throwErrors(errors);
  return 0;
}

export const scaleCmd: Subcommand = { name: 'scale', flags: SCALE_FLAGS, run: runScale };
