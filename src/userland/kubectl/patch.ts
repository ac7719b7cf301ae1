/** `kubectl patch`: a strategic, merge or JSON patch (given as JSON or YAML) sent to the server; `patched` or `patched (no change)`. */
import { isDeepStrictEqual } from 'node:util';
import { resolvePath } from '../../host/sim/fs.ts';
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { resolveRequests, splitResourceArgs } from './builder.ts';
import { FILES_AND_ARGS, DRY_RUN_FLAG, dryRunOf, nameLine, query, readObjects, withDryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { throwErrors, CmdError, RawError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { yamlToJson } from './manifest.ts';
import { forDisplay, OBJECT_FORMATS, parseOutput, printGeneric } from './output.ts';

const PATCH_FLAGS: FlagSpec[] = [
  { name: 'allow-missing-template-keys', kind: 'bool' },
  DRY_RUN_FLAG,
  { name: 'field-manager', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'local', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'patch', short: 'p', kind: 'string' },
  { name: 'patch-file', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'subresource', kind: 'string' },
  { name: 'template', kind: 'string' },
  { name: 'type', kind: 'string' },
];

const TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

async function runPatch(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  const type = f.str('type', 'strategic');
  if (!(type in TYPES)) throw new CmdError(`--type must be one of [json merge strategic], not "${type}"`);
  let text = f.str('patch');
  if (f.str('patch-file')) {
    const t = k.ctx.fs.read(resolvePath(k.ctx.cwd, f.str('patch-file')));
    if (t === undefined) throw new CmdError(`unable to read patch file: open ${f.str('patch-file')}: no such file or directory`);
    text = t;
  }
  if (!text) throw new CmdError('must specify --patch or --patch-file containing the contents of the patch');
  if (!args.length && !f.list('filename').length) {
    throw new RawError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n`);
  }
  let body: unknown;
  try {
    body = yamlToJson(text);
  } catch (e) {
    throw new CmdError(`unable to parse "${text}": ${(e as Error).message}`);
  }
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
    for (const r of resolveRequests(await k.discovery(), parsed)) {
      if (!r.names.length) throw new CmdError('resource(s) were provided, but no name was specified');
      for (const name of r.names) targets.push({ resource: r.resource, namespace: r.resource.namespaced ? k.namespace : undefined, name });
    }
  }
  const errors: unknown[] = [...readErrors];
  const sub = f.str('subresource') || undefined;
  for (const t of targets) {
    try {
      const path = resourcePath(t.resource, t.namespace, t.name, sub);
      const before = await k.client().call<KObject>('GET', path);
      let after = before;
      if (dry !== 'client') {
        after = await k.client().call<KObject>('PATCH', path + query({ dryRun: dry === 'server' ? 'All' : undefined, fieldManager: f.str('field-manager', 'kubectl-patch') }), JSON.stringify(body), { 'Content-Type': TYPES[type] });
      }
      const output = f.str('output');
      if (output && output !== 'name') k.out(printGeneric(parseOutput(output, OBJECT_FORMATS), forDisplay(after, t.resource, f.bool('show-managed-fields'))));
      else k.out(nameLine(t.resource, t.name, withDryRun(isDeepStrictEqual(before, after) ? 'patched (no change)' : 'patched', dry), output === 'name'));
    } catch (e) {
      errors.push(e);
    }
  }
  throwErrors(errors);
  return 0;
}

export const patchCmd: Subcommand = { name: 'patch', flags: PATCH_FLAGS, run: runPatch };
