/** `kubectl version`, `cluster-info`, `api-resources` and `api-versions`: what the server says about itself. */
import type { KObject } from '../../k8s/api/object.ts';
import { resourcePath } from '../../k8s/client/client.ts';
import { query } from './common.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { GET_TABWRITER, tabwrite } from './print/tabwriter.ts';
import { toYaml } from './print/yaml.ts';
import { CLIENT_VERSION, KUSTOMIZE_VERSION } from './transport.ts';

/** version.Info's fields in struct order (how `-o json` lists them). */
const VERSION_FIELDS = ['major', 'minor', 'emulationMajor', 'emulationMinor', 'minCompatibilityMajor', 'minCompatibilityMinor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform'];

function versionInfo(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of VERSION_FIELDS) {
    if (k.startsWith('emulation') || k.startsWith('minCompat')) {
      if (v[k]) out[k] = v[k];
      continue;
    }
    out[k] = v[k] ?? '';
  }
  return out;
}

async function runVersion(k: Kctx, args: string[]): Promise<number> {
  if (args.length) throw new CmdError(`extra arguments: [${args.join(' ')}]`);
  const output = k.flags.str('output');
  if (output && output !== 'yaml' && output !== 'json') throw new CmdError('--output must be \'yaml\' or \'json\'');
  const client = k.flags.bool('client');
  let server: Record<string, unknown> | undefined;
  let serverErr: unknown;
  if (!client) {
    try {
      server = await k.client().call<Record<string, unknown>>('GET', '/version?timeout=32s');
    } catch (e) {
      serverErr = e;
    }
  }
  const doc: Record<string, unknown> = { clientVersion: versionInfo(CLIENT_VERSION), kustomizeVersion: KUSTOMIZE_VERSION };
  if (server) doc.serverVersion = versionInfo(server);
  if (output === 'json') k.out(`${JSON.stringify(doc, null, 2)}\n`);
  else if (output === 'yaml') k.out(`${toYaml(doc)}\n`);
  else {
    k.out(`Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
    if (server) k.out(`Server Version: ${String(server.gitVersion ?? '')}\n`);
  }
  if (server) {
    const sm = Number(String(server.minor ?? '').replace(/\D.*$/, ''));
    const cm = Number(CLIENT_VERSION.minor);
    if (String(server.major) === CLIENT_VERSION.major && Number.isFinite(sm) && Math.abs(sm - cm) > 1) {
      k.err(`WARNING: version difference between client (${CLIENT_VERSION.major}.${cm}) and server (${String(server.major)}.${sm}) exceeds the supported minor version skew of +/-1\n`);
    }
  }
  if (serverErr) throw serverErr;
  return 0;
}

export const versionCmd: Subcommand = {
  name: 'version',
  flags: [{ name: 'client', kind: 'bool' }, { name: 'output', short: 'o', kind: 'string' }],
  run: runVersion,
};

/** utilnet.JoinSchemeNamePort. */
function joinSchemeNamePort(scheme: string, name: string, port: string): string {
  if (scheme) return `${scheme}:${name}:${port}`;
  return port ? `${name}:${port}` : name;
}

async function runClusterInfo(k: Kctx, args: string[]): Promise<number> {
  if (args.length) throw new CmdError(`unknown command "${args[0]}" for "kubectl cluster-info"`);
  const d = await k.discovery();
  const host = k.target().server.replace(/\/$/, '');
  const list = await k.client().call<{ items?: KObject[] }>('GET', resourcePath(d.resolve('services'), 'kube-system') + query({ labelSelector: 'kubernetes.io/cluster-service=true' }));
  // go-colortext colours the names only on a terminal.
  const [green, yellow, reset] = k.deps.terminal ? ['\x1b[0;32m', '\x1b[0;33m', '\x1b[0m'] : ['', '', ''];
  const line = (name: string, link: string): string => `${green}${name}${reset} is running at ${yellow}${link}${reset}\n`;
  let out = line('Kubernetes control plane', host);
  for (const svc of list.items ?? []) {
    const spec = (svc.spec ?? {}) as { ports?: { name?: string; port?: number }[] };
    const ingress = ((svc.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [])[0];
    let link = '';
    if (ingress) {
      const ip = ingress.ip || ingress.hostname || '';
      for (const p of spec.ports ?? []) link += `http://${ip}:${p.port ?? 0} `;
    } else {
      let name = svc.metadata.name ?? '';
      const port = spec.ports?.[0];
      if (port) name = joinSchemeNamePort(port.name === 'https' || port.port === 443 ? 'https' : '', name, port.name ?? '');
      link = `${host}/api/v1/namespaces/${svc.metadata.namespace ?? 'kube-system'}/services/${name}/proxy`;
    }
    out += line(svc.metadata.labels?.['kubernetes.io/name'] || svc.metadata.name || '', link);
  }
  k.out(`${out}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
  return 0;
}

export const clusterInfoCmd: Subcommand = { name: 'cluster-info', flags: [], run: runClusterInfo };

async function runApiResources(k: Kctx, args: string[]): Promise<number> {
  if (args.length) throw new CmdError(`rpc error: unexpected arguments: [${args.join(' ')}]`);
  const f = k.flags;
  const output = f.str('output');
  if (output && output !== 'wide' && output !== 'name') throw new CmdError(`--output ${output} is not available`);
  const sortBy = f.str('sort-by');
  if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new CmdError(`--sort-by accepts only name or kind`);
  const d = await k.discovery();
  const verbs = f.list('verbs');
  let rs = d.preferred().filter((r) => !r.plural.includes('/'));
  if (f.has('namespaced')) rs = rs.filter((r) => r.namespaced === f.bool('namespaced'));
  if (f.has('api-group')) rs = rs.filter((r) => r.group === f.str('api-group'));
  if (verbs.length) rs = rs.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  const key = (r: (typeof rs)[number]): string => (sortBy === 'name' ? r.plural : sortBy === 'kind' ? r.kind : r.group);
  rs = rs.map((r, i) => ({ r, i })).sort((a, b) => (key(a.r) < key(b.r) ? -1 : key(a.r) > key(b.r) ? 1 : a.r.plural < b.r.plural ? -1 : a.r.plural > b.r.plural ? 1 : a.i - b.i)).map((x) => x.r);
  if (output === 'name') {
    k.out(rs.map((r) => `${r.plural}${r.group ? `.${r.group}` : ''}\n`).join(''));
    return 0;
  }
  let text = '';
  const wide = output === 'wide';
  if (!f.bool('no-headers')) text += `${['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t')}\n`;
  for (const r of rs) {
    const cells = [r.plural, r.shortNames.join(','), r.group ? `${r.group}/${r.version}` : r.version, String(r.namespaced), r.kind];
    if (wide) cells.push(r.verbs.join(','), r.categories.join(','));
    text += `${cells.join('\t')}\n`;
  }
  k.out(tabwrite(text, GET_TABWRITER));
  return 0;
}

const API_RESOURCES_FLAGS: FlagSpec[] = [
  { name: 'api-group', kind: 'string' },
  { name: 'cached', kind: 'bool' },
  { name: 'categories', kind: 'strings' },
  { name: 'namespaced', kind: 'bool' },
  { name: 'no-headers', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'sort-by', kind: 'string' },
  { name: 'verbs', kind: 'strings' },
];

export const apiResourcesCmd: Subcommand = { name: 'api-resources', flags: API_RESOURCES_FLAGS, run: runApiResources };

async function runApiVersions(k: Kctx, args: string[]): Promise<number> {
  if (args.length) throw new CmdError(`unexpected arguments: [${args.join(' ')}]`);
  const d = await k.discovery();
  const versions = d.groups.flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v))).sort();
  k.out(versions.map((v) => `${v}\n`).join(''));
  return 0;
}

export const apiVersionsCmd: Subcommand = { name: 'api-versions', flags: [], run: runApiVersions };
