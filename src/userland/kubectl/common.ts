/** Pieces several write commands share: -f reading, --dry-run, the name printer's `kind/name operation` lines. */
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import type { Kctx } from './context.ts';
import { kindString } from './discovery.ts';
import { CmdError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { decodeManifests, manifestFiles, type Decoded, type ManifestObject } from './manifest.ts';

export type DryRun = 'none' | 'client' | 'server';

export const DRY_RUN_FLAG: FlagSpec = { name: 'dry-run', kind: 'string', noOptDefault: 'unchanged' };

/** --dry-run's value (`none`, `client`, `server`), in kubectl's words when invalid. */
export function dryRunOf(k: Kctx): DryRun {
  const v = k.flags.optStr('dry-run');
  if (v === undefined || v === 'none') return 'none';
  if (v === 'client' || v === 'server') return v;
  if (v === 'unchanged') throw new CmdError('--dry-run is required when --dry-run is given with no value; use --dry-run=client or --dry-run=server');
  throw new CmdError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** `created (dry run)`, `created (server dry run)`. */
export function withDryRun(operation: string, dry: DryRun): string {
  return dry === 'client' ? `${operation} (dry run)` : dry === 'server' ? `${operation} (server dry run)` : operation;
}

/** The name printer: `deployment.apps/echo created`, or just `deployment.apps/echo` for `-o name`. */
export function nameLine(r: ResourceInfo, name: string, operation: string, outputName = false): string {
  return outputName ? `${kindString(r)}/${name}\n` : `${kindString(r)}/${name} ${operation}\n`;
}

/** `--validate`: true unless `false`/`ignore` (the server still validates with fieldValidation). */
export function validateOf(k: Kctx): { client: boolean; fieldValidation: string } {
  const v = k.flags.optStr('validate') ?? 'strict';
  if (v === 'false' || v === 'ignore') return { client: false, fieldValidation: 'Ignore' };
  if (v === 'warn') return { client: true, fieldValidation: 'Warn' };
  if (v === 'true' || v === 'strict') return { client: true, fieldValidation: 'Strict' };
  throw new CmdError(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

export const VALIDATE_FLAG: FlagSpec = { name: 'validate', kind: 'string', noOptDefault: 'strict' };

/** The builder's refusal of `-f` together with resource arguments. */
/** What delete, expose and scale say when given neither resources nor files. */
export const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

export const FILES_AND_ARGS = 'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well';

/** The objects of every `-f`, mapped through discovery, and the errors met reading them. */
export async function readObjects(k: Kctx, validate = true): Promise<Decoded> {
  const d = await k.discovery();
  const files = manifestFiles(k.ctx.fs, k.ctx.cwd, k.ctx.stdin, k.flags.list('filename'), k.flags.bool('recursive'));
  return decodeManifests(files, { validate, mapKind: (av, kind) => d.byKind(av, kind), namespace: k.namespace, enforceNamespace: k.namespaceExplicit });
}

/** The object as it goes to the server: namespace filled in for namespaced kinds (the builder's SetNamespace). */
export function withNamespace(m: ManifestObject): KObject {
  if (!m.resource.namespaced) return m.obj;
  return { ...m.obj, metadata: { ...m.obj.metadata, namespace: m.namespace } };
}

/** A query string as Go's url.Values encodes it: keys sorted, empty values left out. */
export function query(o: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** ObjectMeta as kubectl's generators send it (Go marshals an unset creationTimestamp as null). */
export function generatedMeta(m: Record<string, unknown>): KObject['metadata'] {
  return { ...m, creationTimestamp: null } as unknown as KObject['metadata'];
}
