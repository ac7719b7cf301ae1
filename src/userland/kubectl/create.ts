/**
 * `kubectl create -f` (POST each object, `created`, AlreadyExists with the file named) and the
 * generators `create namespace|configmap|deployment|service <type>` (sent as JSON bodies).
 */
import type { KObject } from '../../k8s/api/object.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { goJson } from '../../k8s/api/patch/gofmt.ts';
import { modifiedConfiguration } from './apply.ts';
import { generatedMeta, DRY_RUN_FLAG, dryRunOf, nameLine, query, readObjects, VALIDATE_FLAG, validateOf, withDryRun, withNamespace, type DryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { throwErrors, CmdError, RawError, usageError, withSource } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { forDisplay, OBJECT_FORMATS, parseOutput, printGeneric } from './output.ts';

const COMMON: FlagSpec[] = [
  { name: 'allow-missing-template-keys', kind: 'bool' },
  DRY_RUN_FLAG,
  { name: 'field-manager', kind: 'string' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'save-config', kind: 'bool' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'template', kind: 'string' },
  VALIDATE_FLAG,
];

const CREATE_FLAGS: FlagSpec[] = [
  ...COMMON,
  { name: 'edit', kind: 'bool' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'raw', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'windows-line-endings', kind: 'bool' },
];

/** Prints the created object: `-o yaml|json|name`, or the `created` line. */
function report(k: Kctx, resource: Parameters<typeof nameLine>[0], obj: KObject, dry: DryRun): void {
  const output = k.flags.str('output');
  if (output === '' || output === 'name') {
    k.out(nameLine(resource, obj.metadata.name ?? '', withDryRun('created', dry), output === 'name'));
    return;
  }
  k.out(printGeneric(parseOutput(output, OBJECT_FORMATS), forDisplay(obj, resource, k.flags.bool('show-managed-fields'))));
}

async function runCreate(k: Kctx, args: string[]): Promise<number> {
  if (!k.flags.list('filename').length && !k.flags.has('kustomize')) {
    if (args.length) throw new RawError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl create -h' for help and examples\n`);
    throw new CmdError('must specify one of -f and -k');
  }
  if (args.length) throw new RawError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl create -h' for help and examples\n`);
  const dry = dryRunOf(k);
  const validation = validateOf(k);
  const { objects, errors } = await readObjects(k, validation.client);
  if (!objects.length && !errors.length) throw new CmdError('no objects passed to create');
  for (const m of objects) {
    let obj = withNamespace(m);
    if (k.flags.bool('save-config')) obj = modifiedConfiguration(obj);
    try {
      let created = obj;
      if (dry !== 'client') {
        created = await k.client().call<KObject>('POST', resourcePath(m.resource, m.namespace || undefined) + query({
          dryRun: dry === 'server' ? 'All' : undefined, fieldManager: k.flags.str('field-manager', 'kubectl-create'), fieldValidation: validation.fieldValidation,
        }), goJson(obj));
      }
      report(k, m.resource, created, dry);
    } catch (e) {
      errors.push(withSource('creating', m.source, e));
    }
  }
  throwErrors(errors);
  return 0;
}

/** Sends a generated object (`create namespace`, `create deployment`...). */
async function createGenerated(k: Kctx, plural: string, obj: KObject): Promise<number> {
  const dry = dryRunOf(k);
  const d = await k.discovery();
  const r = d.resolve(plural);
  const ns = r.namespaced ? k.namespace : undefined;
  // The object names its namespace only when -n did (EnforceNamespace).
  if (ns && k.namespaceExplicit) obj.metadata.namespace = ns;
  let created = obj;
  if (dry !== 'client') {
    created = await k.client().call<KObject>('POST', resourcePath(r, ns) + query({ dryRun: dry === 'server' ? 'All' : undefined, fieldManager: k.flags.str('field-manager', 'kubectl-create'), fieldValidation: validateOf(k).fieldValidation }), stripUndefined(obj));
  }
  report(k, r, created, dry);
  return 0;
}

function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function oneName(k: Kctx, args: string[]): string {
  if (args.length !== 1) throw usageError(k.cmdPath, `exactly one NAME is required, got ${args.length}`);
  return args[0];
}

const namespaceCmd: Subcommand = {
  name: 'namespace', aliases: ['ns'], flags: COMMON,
  run: (k, args) => createGenerated(k, 'namespaces', { kind: 'Namespace', apiVersion: 'v1', metadata: generatedMeta({ name: oneName(k, args) }), spec: {}, status: {} }),
};

function parseLiteral(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new CmdError(`invalid literal source ${s}, expected key=value`);
  return [s.slice(0, i), s.slice(i + 1)];
}

const configmapCmd: Subcommand = {
  name: 'configmap', aliases: ['cm'],
  flags: [...COMMON, { name: 'append-hash', kind: 'bool' }, { name: 'from-env-file', kind: 'array' }, { name: 'from-file', kind: 'strings' }, { name: 'from-literal', kind: 'array' }],
  run: (k, args) => {
    const name = oneName(k, args);
    const data: Record<string, string> = {};
    for (const lit of k.flags.list('from-literal')) {
      const [key, value] = parseLiteral(lit);
      if (key in data) throw new CmdError(`cannot add key ${key}, another key by that name already exists in Data for ConfigMap "${name}"`);
      data[key] = value;
    }
    for (const spec of k.flags.list('from-file')) {
      const i = spec.indexOf('=');
      const [key, path] = i > 0 ? [spec.slice(0, i), spec.slice(i + 1)] : [spec.split('/').pop()!, spec];
      const text = k.ctx.fs.read(resolvePath(k.ctx.cwd, path));
      if (text === undefined) throw new CmdError(`error reading ${path}: no such file or directory`);
      data[key] = text;
    }
    for (const path of k.flags.list('from-env-file')) {
      const text = k.ctx.fs.read(resolvePath(k.ctx.cwd, path));
      if (text === undefined) throw new CmdError(`open ${path}: no such file or directory`);
      for (const line of text.split('\n')) {
        const l = line.trim();
        if (!l || l.startsWith('#')) continue;
        const [key, value] = parseLiteral(l);
        data[key] = value;
      }
    }
    return createGenerated(k, 'configmaps', { kind: 'ConfigMap', apiVersion: 'v1', metadata: generatedMeta({ name }), ...(Object.keys(data).length ? { data } : {}) });
  },
};

/** The container name `create deployment` derives from an image: its last path segment without tag or digest. */
function containerName(image: string): string {
  const base = image.split('/').pop()!.replace(/[@:].*$/, '');
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

const deploymentCmd: Subcommand = {
  name: 'deployment', aliases: ['deploy'],
  flags: [...COMMON, { name: 'image', kind: 'strings' }, { name: 'port', kind: 'int' }, { name: 'replicas', short: 'r', kind: 'int' }],
  run: (k, args) => {
    const images = k.flags.list('image');
    if (!images.length) throw new CmdError('required flag(s) "image" not set');
    const dash = k.flags.parsed.dashAt;
    const names = dash >= 0 ? args.slice(0, dash) : args;
    const command = dash >= 0 ? args.slice(dash) : [];
    const name = oneName(k, names);
    if (command.length && images.length > 1) throw new CmdError('cannot specify multiple --image options and command');
    const labels = { app: name };
    const containers = images.map((image) => ({
      name: containerName(image), image, ...(command.length ? { command } : {}), resources: {},
      ...(k.flags.has('port') ? { ports: [{ containerPort: k.flags.int('port') }] } : {}),
    }));
    return createGenerated(k, 'deployments.apps', {
      kind: 'Deployment', apiVersion: 'apps/v1', metadata: generatedMeta({ name, labels }),
      spec: { replicas: k.flags.has('replicas') ? k.flags.int('replicas') : 1, selector: { matchLabels: labels }, template: { metadata: generatedMeta({ labels }), spec: { containers } }, strategy: {} },
      status: {},
    });
  },
};

function serviceCmd(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'): Subcommand {
  const flags: FlagSpec[] = [...COMMON, { name: 'tcp', kind: 'strings' }];
  if (type === 'ClusterIP') flags.push({ name: 'clusterip', kind: 'string' });
  if (type === 'NodePort') flags.push({ name: 'node-port', kind: 'int' });
  if (type === 'ExternalName') flags.push({ name: 'external-name', kind: 'string' });
  return {
    name: type.toLowerCase(), flags,
    run: (k, args) => {
      const name = oneName(k, args);
      const tcp = k.flags.list('tcp');
      if (type !== 'ExternalName' && !tcp.length && !(type === 'ClusterIP' && k.flags.str('clusterip') === 'None')) throw new CmdError('at least one tcp port specifier must be provided');
      if (type === 'ExternalName' && !k.flags.str('external-name')) throw new CmdError('required flag(s) "external-name" not set');
      const ports = tcp.map((spec) => {
        const [p, t] = spec.split(':');
        const port = Number(p);
        const targetPort = t === undefined ? port : /^\d+$/.test(t) ? Number(t) : t;
        return { name: `${p}-${t ?? p}`, protocol: 'TCP', port, targetPort, ...(type === 'NodePort' && k.flags.int('node-port') ? { nodePort: k.flags.int('node-port') } : {}) };
      });
      const labels = { app: name };
      // Go omits an empty ports list (omitempty).
      const spec: Record<string, unknown> = { ...(ports.length ? { ports } : {}), selector: labels, type };
      if (type === 'ClusterIP' && k.flags.has('clusterip')) spec.clusterIP = k.flags.str('clusterip');
      if (type === 'ExternalName') spec.externalName = k.flags.str('external-name');
      return createGenerated(k, 'services', { kind: 'Service', apiVersion: 'v1', metadata: generatedMeta({ name, labels }), spec, status: { loadBalancer: {} } });
    },
  };
}

const serviceParent: Subcommand = {
  name: 'service', aliases: ['svc'], flags: COMMON,
  children: [serviceCmd('ClusterIP'), serviceCmd('NodePort'), serviceCmd('LoadBalancer'), serviceCmd('ExternalName')],
  run: async (_k, args) => {
    if (args.length) throw new RawError(`error: unknown command "${args[0]}"\nSee 'kubectl create service -h' for help and examples\n`);
    throw new CmdError('must specify one of -f and -k');
  },
};

export const createCmd: Subcommand = {
  name: 'create', flags: CREATE_FLAGS, run: runCreate,
  children: [namespaceCmd, configmapCmd, deploymentCmd, serviceParent],
};
