/**
 * The resource builder's reading of arguments (ResourceTypeOrNameArgs): `pods`, `pods,svc`,
 * `pod x y`, `pod/x svc/y`, the `all` category; resolved against discovery in kubectl's order.
 */
import type { ResourceInfo } from '../../k8s/api/resources.ts';
import type { Discovery } from './discovery.ts';
import { CmdError, NoMatchError } from './errors.ts';

/** One resource type and the names asked for (none: the whole collection). */
export interface ResourceRequest {
  resource: ResourceInfo;
  names: string[];
}

/** The argument forms before resolution. */
export interface ParsedArgs {
  /** `TYPE/NAME` pairs, in order. */
  tuples?: { type: string; name: string }[];
  /** `TYPE[,TYPE…] [NAME…]`. */
  types?: string[];
  names: string[];
}

/** The refusal of `TYPE TYPE/NAME`; `base` is the name kubectl was run as (this message quotes it). */
function noNeedForType(base: string): string {
  return `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${base} get resource/<resource_name>' instead of '${base} get resource resource/<resource_name>'`;
}

/** The argument forms of `args`, checked as the builder checks them. */
export function splitResourceArgs(args: string[], base = 'kubectl'): ParsedArgs {
  if (args.length === 0) return { names: [] };
  if (args[0].includes('/')) {
    const tuples = args.map((a) => {
      const i = a.indexOf('/');
      if (i < 0) throw new CmdError(noNeedForType(base));
      const type = a.slice(0, i);
      const name = a.slice(i + 1);
      if (!type || !name) throw new CmdError('arguments in resource/name form must have a single resource and name');
      return { type, name };
    });
    return { tuples, names: [] };
  }
  const names = args.slice(1);
  if (names.some((n) => n.includes('/'))) {
    throw new CmdError(noNeedForType(base));
  }
  return { types: args[0].split(',').filter((t) => t !== ''), names };
}

/** A type name resolved, categories (`all`) expanded to their members. */
function resolveType(d: Discovery, type: string): ResourceInfo[] {
  try {
    return [d.resolve(type)];
  } catch (e) {
    if (!(e instanceof NoMatchError)) throw e;
    const members = d.category(type.toLowerCase());
    if (members.length) return members;
    throw e;
  }
}

/** The requests the arguments make, in the order kubectl visits them (type by type, then name by name). */
export function resolveRequests(d: Discovery, p: ParsedArgs): ResourceRequest[] {
  if (p.tuples) {
    const out: ResourceRequest[] = [];
    for (const t of p.tuples) out.push({ resource: d.resolve(t.type), names: [t.name] });
    return out;
  }
  const out: ResourceRequest[] = [];
  for (const t of p.types ?? []) for (const r of resolveType(d, t)) if (!out.some((o) => o.resource === r)) out.push({ resource: r, names: p.names });
  return out;
}
