/**
 * `kubectl expose`: a Service for a deployment, replica set, replication controller, pod or
 * service, its selector, ports and protocols taken from the object unless given, created with
 * fieldManager kubectl-expose; prints `service/x exposed`.
 */
import type { KObject } from '../../k8s/api/object.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { resolveRequests, splitResourceArgs } from './builder.ts';
import { FILES_AND_ARGS, NO_RESOURCES, generatedMeta, DRY_RUN_FLAG, dryRunOf, nameLine, query, readObjects, withDryRun } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { throwErrors, CmdError, usageError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { forDisplay, OBJECT_FORMATS, parseOutput, printGeneric } from './output.ts';

const EXPOSE_FLAGS: FlagSpec[] = [
  { name: 'allow-missing-template-keys', kind: 'bool' },
  { name: 'cluster-ip', kind: 'string' },
  DRY_RUN_FLAG,
  { name: 'external-ip', kind: 'string' },
  { name: 'field-manager', kind: 'string' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'labels', short: 'l', kind: 'string' },
  { name: 'load-balancer-ip', kind: 'string' },
  { name: 'name', kind: 'string' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'override-type', kind: 'string' },
  { name: 'overrides', kind: 'string' },
  { name: 'port', kind: 'string' },
  { name: 'protocol', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'selector', kind: 'string' },
  { name: 'session-affinity', kind: 'string' },
  { name: 'show-managed-fields', kind: 'bool' },
  { name: 'target-port', kind: 'string' },
  { name: 'template', kind: 'string' },
  { name: 'type', kind: 'string' },
];

const EXPOSABLE = new Set(['/Pod', '/Service', '/ReplicationController', 'apps/Deployment', 'apps/ReplicaSet', 'extensions/Deployment', 'extensions/ReplicaSet']);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** MakeLabels: `k=v,k2=v2`, keys sorted. */
function makeLabels(m: Record<string, string>): string {
  return Object.keys(m).sort().map((k) => `${k}=${m[k]}`).join(',');
}

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new CmdError(`invalid label spec: ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** MapBasedSelectorForObject. */
function selectorFor(o: KObject): string {
  const spec = obj(o.spec);
  switch (o.kind) {
    case 'Pod':
      if (!Object.keys(o.metadata.labels ?? {}).length) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(o.metadata.labels ?? {});
    case 'Service':
      if (!Object.keys(obj(spec.selector)).length) throw new Error('the service has no pod selector set');
      return makeLabels(spec.selector as Record<string, string>);
    case 'ReplicationController':
      return makeLabels(obj(spec.selector) as Record<string, string>);
    default: {
      const sel = obj(spec.selector);
      if (arr(sel.matchExpressions).length) throw new Error(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
      return makeLabels(obj(sel.matchLabels) as Record<string, string>);
    }
  }
}

/** The container ports of a pod spec, as `port` → protocol (PortsForObject / ProtocolsForObject). */
function portsFor(o: KObject): { ports: string[]; protocols: Map<string, string[]> } {
  const ports: string[] = [];
  const protocols = new Map<string, string[]>();
  const add = (port: unknown, protocol: unknown): void => {
    const p = String(port);
    ports.push(p);
    const list = protocols.get(p) ?? [];
    const proto = typeof protocol === 'string' && protocol ? protocol : 'TCP';
    if (!list.includes(proto)) list.push(proto);
    protocols.set(p, list);
  };
  const spec = obj(o.spec);
  if (o.kind === 'Service') {
    for (const p of arr(spec.ports)) add(obj(p).port, obj(p).protocol);
    return { ports, protocols };
  }
  const podSpec = o.kind === 'Pod' ? spec : obj(obj(spec.template).spec);
  for (const c of arr(podSpec.containers)) for (const p of arr(obj(c).ports)) add(obj(p).containerPort, obj(p).protocol);
  return { ports, protocols };
}

async function exposeOne(k: Kctx, o: KObject): Promise<void> {
  const f = k.flags;
  const gk = `${(o.apiVersion ?? '').includes('/') ? o.apiVersion!.split('/')[0] : ''}/${o.kind}`;
  if (!EXPOSABLE.has(gk)) throw new CmdError(`cannot expose a ${o.kind}${gk.startsWith('/') ? '' : `.${gk.split('/')[0]}`}`);
  const defaultName = (o.metadata.name ?? '').slice(0, 63);
  let selector = f.str('selector');
  if (!selector) {
    try {
      selector = selectorFor(o);
    } catch (e) {
      throw usageError(k.cmdPath, `couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
    }
  }
  const headless = f.str('cluster-ip') === 'None';
  const introspected = portsFor(o);
  let portString = f.str('port');
  if (!portString) {
    if (introspected.ports.length === 0 && !headless) throw usageError(k.cmdPath, "couldn't find port via --port flag or introspection");
    portString = introspected.ports.join(',');
  }
  const labels = f.str('labels') ? parseLabels(f.str('labels')) : Object.keys(o.metadata.labels ?? {}).length ? { ...o.metadata.labels } : undefined;
  if (!selector) throw new CmdError('selector must be specified');
  const name = f.str('name') || defaultName;
  if (!name) throw new CmdError('name must be specified');
  const list = portString ? portString.split(',') : [];
  const ports: Obj[] = [];
  for (const [i, p] of list.entries()) {
    if (!/^[+-]?\d+$/.test(p)) throw new CmdError(`strconv.Atoi: parsing "${p}": invalid syntax`);
    const port = Number(p);
    const pname = list.length > 1 ? `port-${i + 1}` : '';
    const protos = introspected.protocols.get(String(port)) ?? [f.str('protocol')];
    for (const proto of protos) {
      ports.push({ ...(pname ? { name: pname } : {}), ...(proto ? { protocol: proto } : {}), port });
    }
  }
  const target = f.str('target-port');
  for (const p of ports) p.targetPort = target ? (/^\d+$/.test(target) ? Number(target) : target) : p.port;
  const spec: Obj = { ports, selector: parseLabels(selector) };
  if (f.str('external-ip')) spec.externalIPs = [f.str('external-ip')];
  if (f.str('type')) spec.type = f.str('type');
  if (spec.type === 'LoadBalancer' && f.str('load-balancer-ip')) spec.loadBalancerIP = f.str('load-balancer-ip');
  if (f.str('session-affinity')) spec.sessionAffinity = f.str('session-affinity');
  if (f.str('cluster-ip')) spec.clusterIP = f.str('cluster-ip');
  const service: KObject = { kind: 'Service', apiVersion: 'v1', metadata: generatedMeta({ name, ...(labels ? { labels } : {}) }), spec, status: { loadBalancer: {} } };
  const dry = dryRunOf(k);
  const d = await k.discovery();
  const svc = d.resolve('services');
  let created = service;
  if (dry !== 'client') {
    created = await k.client().call<KObject>('POST', resourcePath(svc, k.namespace) + query({ dryRun: dry === 'server' ? 'All' : undefined, fieldManager: f.str('field-manager', 'kubectl-expose') }), service);
  }
  const output = f.str('output');
  if (output && output !== 'name') k.out(printGeneric(parseOutput(output, OBJECT_FORMATS), forDisplay(created, svc, f.bool('show-managed-fields'))));
  else k.out(nameLine(svc, created.metadata.name ?? name, withDryRun('exposed', dry), output === 'name'));
}

async function runExpose(k: Kctx, args: string[]): Promise<number> {
  if (!args.length && !k.flags.list('filename').length) throw new CmdError(NO_RESOURCES);
  if (args.length && k.flags.list('filename').length) throw new CmdError(FILES_AND_ARGS);
  const errors: unknown[] = [];
  const objects: KObject[] = [];
  if (k.flags.list('filename').length) {
    const read = await readObjects(k, false);
    errors.push(...read.errors);
    for (const m of read.objects) objects.push(m.obj);
  } else {
    const parsed = splitResourceArgs(args, k.baseName);
    if (parsed.types && !parsed.names.length) throw new CmdError('resource(s) were provided, but no name was specified');
    for (const r of resolveRequests(await k.discovery(), parsed)) {
      for (const name of r.names) {
        try {
          const o = await k.client().call<KObject>('GET', resourcePath(r.resource, r.resource.namespaced ? k.namespace : undefined, name));
          objects.push({ apiVersion: o.apiVersion ?? (r.resource.group ? `${r.resource.group}/${r.resource.version}` : r.resource.version), kind: o.kind ?? r.resource.kind, ...o });
        } catch (e) {
          errors.push(e);
        }
      }
    }
  }
  for (const o of objects) {
    try {
      await exposeOne(k, o);
    } catch (e) {
      errors.push(e);
    }
  }
  throwErrors(errors);
  return 0;
}

export const exposeCmd: Subcommand = { name: 'expose', flags: EXPOSE_FLAGS, run: runExpose };
