/**
 * The non-table outputs shared by get and the write commands: `-o yaml|json|name|jsonpath|
 * custom-columns` over JSON objects, kubectl's List wrapping, managed fields hidden, and the
 * name printer's `kind.group/name OPERATION` lines.
 */
import type { KObject } from '../../k8s/api/object.ts';
import { CmdError } from './errors.ts';
import { customColumns, jsonpath } from './jsonpath.ts';
import { GET_TABWRITER, tabwrite } from './print/tabwriter.ts';
import { toYaml } from './print/yaml.ts';
import { toJson } from './print/json.ts';
import { outputValue } from './print/objects.ts';
import type { ResourceInfo } from '../../k8s/api/resources.ts';

export const ALLOWED_FORMATS = 'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** A parsed `-o`: the human table (with or without wide columns) or one of the generic printers. */
export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' | 'json' | 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'custom-columns'; spec: string };

/** The formats of the commands that print objects they wrote (apply, create, expose…): no table. */
export const OBJECT_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

export function parseOutput(o: string, allowed = ALLOWED_FORMATS): OutputFormat {
  const tables = allowed === ALLOWED_FORMATS;
  if (o === '' && tables) return { kind: 'table', wide: false };
  if (o === 'wide' && tables) return { kind: 'table', wide: true };
  if (o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  const eq = o.indexOf('=');
  const name = eq < 0 ? o : o.slice(0, eq);
  const arg = eq < 0 ? '' : o.slice(eq + 1);
  if (name === 'jsonpath') {
    if (!arg) throw new CmdError('template format specified but no template given');
    return { kind: 'jsonpath', template: arg };
  }
  if (name === 'custom-columns' && tables) return { kind: 'custom-columns', spec: arg };
  throw new CmdError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${allowed}`);
}

/** One written object as the generic printers show it: managed fields hidden unless asked for. */
export function forDisplay(obj: KObject, resource: ResourceInfo, showManagedFields: boolean): unknown {
  return outputValue([{ resource, objects: [obj] }], { singleItemImplied: true, showManagedFields });
}

/** One value printed with a generic printer (the `name` printer is the caller's). */
export function printGeneric(format: OutputFormat, value: unknown, noHeaders = false): string {
  switch (format.kind) {
    case 'yaml':
      return toYaml(value);
    case 'json':
      return toJson(value);
    case 'jsonpath':
      return jsonpath(format.template, value);
    case 'custom-columns': {
      const v = value as { kind?: string; items?: unknown[] };
      return tabwrite(customColumns(format.spec, v.kind === 'List' && Array.isArray(v.items) ? v.items : [value], noHeaders), GET_TABWRITER);
    }
    default:
      throw new CmdError(`unsupported output format ${format.kind}`);
  }
}

/**
 * A corev1.List of typed objects (what apply prints for several objects): JSON keeps the
 * struct's field order (kind, apiVersion, metadata, items); the other printers sort as usual.
 */
export function printTypedList(format: OutputFormat, items: unknown[]): string {
  if (format.kind === 'json') {
    const inner = toJson(items).trimEnd().split('\n').map((l, i) => (i ? `    ${l}` : l)).join('\n');
    return `{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": ${inner}\n}\n`;
  }
  return printGeneric(format, { apiVersion: 'v1', items, kind: 'List', metadata: {} });
}
