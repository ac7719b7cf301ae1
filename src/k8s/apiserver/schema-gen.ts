/**
 * Generates schema.generated.ts, the field names and types of every API object podlab serves,
 * from the `kubernetes-types` declarations (the same OpenAPI the real server is built from).
 * The API server checks request bodies against it (`fieldValidation`, typed decoding).
 * Run: `node --import tsx src/k8s/apiserver/schema-gen.ts > src/k8s/apiserver/schema.generated.ts`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { RESOURCES } from '../api/resources.ts';

/** A field's type: `string`, `integer`, `boolean`, `any`, `intOrString`, `quantity`, `[]T` (list), `{}T` (map), or a struct's name (`core.v1.PodSpec`). */
export type TypeRef = string;

interface Module {
  /** `core/v1` → its interfaces. */
  interfaces: Map<string, ts.InterfaceDeclaration>;
  aliases: Map<string, ts.TypeNode>;
  /** Imported name → module path (`core/v1`). */
  imports: Map<string, string>;
}

const require = createRequire(import.meta.url);
const ROOT = dirname(require.resolve('kubernetes-types/package.json'));

function loadModule(path: string, cache: Map<string, Module>): Module {
  const hit = cache.get(path);
  if (hit) return hit;
  const text = readFileSync(join(ROOT, `${path}.d.ts`), 'utf8');
  const sf = ts.createSourceFile(`${path}.d.ts`, text, ts.ScriptTarget.ES2022, true);
  const m: Module = { interfaces: new Map(), aliases: new Map(), imports: new Map() };
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) m.interfaces.set(st.name.text, st);
    else if (ts.isTypeAliasDeclaration(st)) m.aliases.set(st.name.text, st.type);
    else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      const target = join(dirname(path), st.moduleSpecifier.text).replace(/\\/g, '/');
      for (const el of st.importClause.namedBindings.elements) m.imports.set(el.name.text, target);
    }
  }
  cache.set(path, m);
  return m;
}

/** `core/v1` + `PodSpec` → `core.v1.PodSpec`. */
function structName(module: string, name: string): string {
  return `${module.replace(/\//g, '.')}.${name}`;
}

/** The module declaring a resource's kind: `` → core/v1, `apps` → apps/v1, `discovery.k8s.io` → discovery/v1. */
export function moduleOf(group: string, version: string): string {
  return `${group === '' ? 'core' : group.split('.')[0]}/${version}`;
}

export function generateSchema(): { types: Record<string, Record<string, TypeRef>>; kinds: Record<string, string> } {
  const cache = new Map<string, Module>();
  const types: Record<string, Record<string, TypeRef>> = {};
  const queue: [string, string][] = [];

  const resolveName = (module: string, name: string): TypeRef => {
    const special: Record<string, TypeRef> = { Time: 'string', MicroTime: 'string', Quantity: 'quantity', RawExtension: 'any', JSON: 'any' };
    if (special[name]) return special[name];
    const m = loadModule(module, cache);
    if (m.interfaces.has(name)) {
      const full = structName(module, name);
      if (!(full in types)) {
        types[full] = {};
        queue.push([module, name]);
      }
      return full;
    }
    const alias = m.aliases.get(name);
    if (alias) return typeOf(module, alias);
    const from = m.imports.get(name);
    if (from) return resolveName(from, name);
    throw new Error(`unresolved type ${name} in ${module}`);
  };

  const typeOf = (module: string, t: ts.TypeNode): TypeRef => {
    if (t.kind === ts.SyntaxKind.StringKeyword) return 'string';
    if (t.kind === ts.SyntaxKind.NumberKeyword) return 'integer';
    if (t.kind === ts.SyntaxKind.BooleanKeyword) return 'boolean';
    if (ts.isLiteralTypeNode(t)) return 'string';
    if (ts.isUnionTypeNode(t)) {
      const kinds = t.types.map((x) => x.kind);
      if (kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) return 'intOrString';
      return 'any';
    }
    if (ts.isArrayTypeNode(t)) return `[]${typeOf(module, t.elementType)}`;
    if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
      if (t.typeName.text === 'Array' && t.typeArguments?.length === 1) return `[]${typeOf(module, t.typeArguments[0])}`;
      return resolveName(module, t.typeName.text);
    }
    if (ts.isTypeLiteralNode(t)) {
      const index = t.members.find(ts.isIndexSignatureDeclaration);
      if (index?.type) return `{}${typeOf(module, index.type)}`;
      return 'any';
    }
    return 'any';
  };

  const kinds: Record<string, string> = {};
  const roots: [string, string, string][] = RESOURCES.map((r) => [moduleOf(r.group, r.version), r.kind, `${r.group}/${r.version}/${r.kind}`]);
  roots.push(['autoscaling/v1', 'Scale', 'autoscaling/v1/Scale'], ['meta/v1', 'DeleteOptions', 'meta.k8s.io/v1/DeleteOptions']);
  for (const [module, kind, key] of roots) kinds[key] = resolveName(module, kind);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [module, name] = next;
    const decl = loadModule(module, cache).interfaces.get(name)!;
    const fields: Record<string, TypeRef> = {};
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const key = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText();
      fields[key] = typeOf(module, member.type);
    }
    types[structName(module, name)] = fields;
  }
  return { types, kinds };
}

/** The text of schema.generated.ts. */
export function schemaModuleText(): string {
  const { types, kinds } = generateSchema();
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const lines = [
    `/** Field names and types of the API objects podlab serves, generated by schema-gen.ts from kubernetes-types ${version}; do not edit. */`,
    '',
    '/** Struct name → field → type (`string`, `integer`, `boolean`, `any`, `intOrString`, `quantity`, `[]T`, `{}T`, or a struct name). */',
    'export const TYPES: Record<string, Record<string, string>> = {',
    ...Object.keys(types).sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(types[k])},`),
    '};',
    '',
    '/** `group/version/Kind` → the struct of that kind. */',
    'export const KINDS: Record<string, string> = {',
    ...Object.keys(kinds).sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(kinds[k])},`),
    '};',
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(schemaModuleText());
