/**
 * `kubectl describe`: which objects to describe (names, name prefixes, -l, -A, -f), in kubectl's
 * order and separators; the text of each comes from describe/.
 */
import { StatusError } from '../../k8s/api/errors.ts';
import type { KObject } from '../../k8s/api/object.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { resolveRequests, splitResourceArgs } from './builder.ts';
import { FILES_AND_ARGS, query, readObjects } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { throwErrors, CmdError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { describeObject } from './describe/describe.ts';

const DESCRIBE_FLAGS: FlagSpec[] = [
  { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'chunk-size', kind: 'int' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'show-events', kind: 'bool' },
];

const NO_TYPE = 'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.';

/** One object to describe, as the builder fetched it. */
interface Item { resource: ResourceInfo; obj: KObject }

async function listItems(k: Kctx, r: ResourceInfo, namespace: string | undefined, selector: string): Promise<Item[]> {
  const list = await k.client().call<{ items?: KObject[] }>('GET', resourcePath(r, namespace) + query({ labelSelector: selector, limit: 500 }));
  return (list.items ?? []).map((o) => ({ resource: r, obj: typed(r, o) }));
}

/** List items come without their kind; the describers want it. */
function typed(r: ResourceInfo, o: KObject): KObject {
  return { apiVersion: o.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version), kind: o.kind ?? r.kind, ...o };
}

async function runDescribe(k: Kctx, args: string[]): Promise<number> {
  const f = k.flags;
  if (!args.length && !f.list('filename').length) throw new CmdError(NO_TYPE);
  if (args.length && k.flags.list('filename').length) throw new CmdError(FILES_AND_ARGS);
  const allNs = f.bool('all-namespaces');
  const selector = f.str('selector');
  const client = k.client();
  const now = k.now();
  let first = true;
  const errors: unknown[] = [];
  const seen = new Set<string>();
  const emit = async (it: Item, sep: 'between' | 'line'): Promise<void> => {
    const text = await describeObject(client, it.resource, it.obj, now);
    if (sep === 'line') k.out(`${text}\n`);
    else if (first) k.out(text);
    else k.out(`\n\n${text}`);
    first = false;
  };
  const items: Item[] = [];
  if (f.list('filename').length) {
    const read = await readObjects(k, false);
    errors.push(...read.errors);
    for (const m of read.objects) {
      try {
        items.push({ resource: m.resource, obj: typed(m.resource, await client.call<KObject>('GET', resourcePath(m.resource, m.namespace || undefined, m.obj.metadata.name ?? ''))) });
      } catch (e) {
        errors.push(e);
      }
    }
  } else {
    const parsed = splitResourceArgs(args, k.baseName);
    const requests = resolveRequests(await k.discovery(), parsed);
    for (const r of requests) {
      const ns = r.resource.namespaced ? (allNs ? undefined : k.namespace) : undefined;
      if (!r.names.length) {
        items.push(...await listItems(k, r.resource, ns, selector));
        continue;
      }
      for (const name of r.names) {
        try {
          items.push({ resource: r.resource, obj: typed(r.resource, await client.call<KObject>('GET', resourcePath(r.resource, ns, name))) });
        } catch (e) {
          // `describe TYPE PREFIX`: every object whose name starts with it, else the original error.
          if (e instanceof StatusError && e.code === 404 && parsed.types && args.length === 2) {
            const matches = (await listItems(k, r.resource, ns, '')).filter((it) => (it.obj.metadata.name ?? '').startsWith(name));
            if (!matches.length) throw e;
            for (const m of matches) await emit(m, 'line');
            return 0;
          }
          errors.push(e);
        }
      }
    }
  }
  for (const it of items) {
    try {
      await emit(it, 'between');
    } catch (e) {
      const key = e instanceof Error ? e.message : String(e);
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push(e);
    }
  }
  if (items.length === 0 && errors.length === 0) {
    k.err(allNs ? 'No resources found\n' : `No resources found in ${k.namespace} namespace.\n`);
  }
  throwErrors(errors);
  return 0;
}

export const describeCmd: Subcommand = { name: 'describe', flags: DESCRIBE_FLAGS, run: runDescribe };
