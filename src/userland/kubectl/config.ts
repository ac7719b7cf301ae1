/**
 * `kubectl config`: view (merged, secrets shortened, --minify, --raw, -o json), current-context,
 * get-contexts, get-clusters, get-users, use-context and set-context, reading and writing the
 * kubeconfig files of the loading rules as clientcmd does.
 */
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, RawError } from './errors.ts';
import { jsonpath } from './jsonpath.ts';
import { parseKubeconfig, type Kubeconfig, type NamedCluster, type NamedContext, type NamedUser } from './kubeconfig.ts';
import { GET_TABWRITER, tabwrite } from './print/tabwriter.ts';
import { toYaml } from './print/yaml.ts';

const CONFIG_HELP = `Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, \${HOME}/.kube/config is used and no merging takes place.

Available Commands:
  current-context   Display the current-context
  delete-cluster    Delete the specified cluster from the kubeconfig
  delete-context    Delete the specified context from the kubeconfig
  delete-user       Delete the specified user from the kubeconfig
  get-clusters      Display clusters defined in the kubeconfig
  get-contexts      Describe one or many contexts
  get-users         Display users defined in the kubeconfig
  rename-context    Rename a context from the kubeconfig file
  set               Set an individual value in a kubeconfig file
  set-cluster       Set a cluster entry in kubeconfig
  set-context       Set a context entry in kubeconfig
  set-credentials   Set a user entry in kubeconfig
  unset             Unset an individual value in a kubeconfig file
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]

Use "kubectl config <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** A stanza list sorted by name, as the conversion from clientcmd's maps makes it; empty is null. */
const byName = <T extends { name: string }>(a: T[] | null): T[] | null => (a?.length ? [...a].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) : null);

/** The v1 Config as clientcmd serializes it: its lists sorted by name, fields in struct order. */
function v1Config(c: Kubeconfig): Record<string, unknown> {
  // `server`, and a context's `cluster` and `user`, have no omitempty: they show even when empty.
  const cluster = (n: NamedCluster): Record<string, unknown> => ({ name: n.name, cluster: { server: n.cluster?.server ?? '', ...pick(n.cluster, ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions']) } });
  const user = (n: NamedUser): Record<string, unknown> => ({ name: n.name, user: pick(n.user, ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions']) });
  const context = (n: NamedContext): Record<string, unknown> => ({ name: n.name, context: { cluster: n.context?.cluster ?? '', user: n.context?.user ?? '', ...pick(n.context, ['cluster', 'user', 'namespace', 'extensions']) } });
  return {
    kind: 'Config', apiVersion: 'v1', preferences: c.preferences ?? {},
    clusters: byName(c.clusters)?.map(cluster) ?? null,
    users: byName(c.users)?.map(user) ?? null,
    contexts: byName(c.contexts)?.map(context) ?? null,
    'current-context': c['current-context'] ?? '',
  };
}

function pick(o: object | undefined, keys: string[]): Record<string, unknown> {
  const src = (o ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined && src[k] !== '' && src[k] !== false) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && !keys.includes(k)) out[k] = src[k];
  return out;
}

/** ShortenConfig: certificate data and tokens replaced, as `config view` shows them without --raw. */
function shorten(c: Kubeconfig): Kubeconfig {
  return {
    ...c,
    clusters: c.clusters?.map((n) => ({ ...n, cluster: { ...n.cluster, ...(n.cluster['certificate-authority-data'] ? { 'certificate-authority-data': 'DATA+OMITTED' } : {}) } })) ?? null,
    users: c.users?.map((n) => ({
      ...n,
      user: {
        ...n.user,
        ...(n.user['client-certificate-data'] ? { 'client-certificate-data': 'DATA+OMITTED' } : {}),
        ...(n.user['client-key-data'] ? { 'client-key-data': 'DATA+OMITTED' } : {}),
        ...(n.user.token ? { token: 'REDACTED' } : {}),
      },
    })) ?? null,
  };
}

/** --minify: only the current context and the cluster and user it names. */
function minify(c: Kubeconfig, contextOverride: string | undefined): Kubeconfig {
  const current = contextOverride ?? c['current-context'];
  if (!current) throw new CmdError('current-context must exist in order to minify');
  const ctx = c.contexts?.find((x) => x.name === current);
  if (!ctx) throw new CmdError(`cannot locate context ${current}`);
  return {
    ...c, 'current-context': current, contexts: [ctx],
    clusters: c.clusters?.filter((x) => x.name === ctx.context.cluster) ?? null,
    users: c.users?.filter((x) => x.name === ctx.context.user) ?? null,
  };
}

/** What a kubeconfig file holds when clientcmd writes it (JSON turned into YAML, keys sorted). */
function fileText(c: Kubeconfig): string {
  return toYaml(v1Config(c));
}

function view(k: Kctx): number {
  const f = k.flags;
  const loaded = k.config();
  let cfg = loaded.merged;
  if (f.bool('minify')) cfg = minify(cfg, f.optStr('context'));
  if (!f.bool('raw')) cfg = shorten(cfg);
  const out = f.str('output', 'yaml');
  const doc = v1Config(cfg);
  if (out === 'yaml') k.out(toYaml(doc));
  else if (out === 'json') k.out(`${JSON.stringify(doc, null, 4)}\n`);
  else if (out.startsWith('jsonpath=')) k.out(jsonpath(out.slice('jsonpath='.length), doc));
  else throw new CmdError(`unable to match a printer suitable for the output format "${out}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml`);
  return 0;
}

function writeCurrentContext(k: Kctx, name: string): void {
  const loaded = k.config();
  const path = loaded.writeTarget;
  const existing = k.ctx.fs.read(path);
  const cfg: Kubeconfig = existing === undefined ? { clusters: null, users: null, contexts: null } : parseKubeconfig(existing, path);
  cfg['current-context'] = name;
  k.ctx.fs.write(path, fileText(cfg));
}

const viewCmd: Subcommand = {
  name: 'view',
  flags: [
    { name: 'allow-missing-template-keys', kind: 'bool' }, { name: 'flatten', kind: 'bool' }, { name: 'merge', kind: 'bool' },
    { name: 'minify', kind: 'bool' }, { name: 'output', short: 'o', kind: 'string' }, { name: 'raw', kind: 'bool' },
    { name: 'show-managed-fields', kind: 'bool' }, { name: 'template', kind: 'string' },
  ],
  run: async (k) => view(k),
};

const currentContextCmd: Subcommand = {
  name: 'current-context', flags: [],
  run: async (k) => {
    const c = k.config().merged['current-context'];
    if (!c) throw new CmdError('current-context is not set');
    k.out(`${c}\n`);
    return 0;
  },
};

const getContextsCmd: Subcommand = {
  name: 'get-contexts', flags: [{ name: 'no-headers', kind: 'bool' }, { name: 'output', short: 'o', kind: 'string' }],
  run: async (k, args) => {
    const cfg = k.config().merged;
    const output = k.flags.str('output');
    if (output && output !== 'name') throw new CmdError(`output must be one of '' or 'name': ${output}`);
    let contexts = byName(cfg.contexts) ?? [];
    const errors: string[] = [];
    if (args.length) {
      for (const a of args) if (!contexts.some((c) => c.name === a)) errors.push(`context ${a} not found`);
      contexts = contexts.filter((c) => args.includes(c.name));
    }
    if (output === 'name') {
      k.out(contexts.map((c) => `${c.name}\n`).join(''));
    } else {
      let text = k.flags.bool('no-headers') ? '' : 'CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n';
      for (const c of contexts) text += `${c.name === cfg['current-context'] ? '*' : ''}\t${c.name}\t${c.context.cluster ?? ''}\t${c.context.user ?? ''}\t${c.context.namespace ?? ''}\n`;
      k.out(tabwrite(text, GET_TABWRITER));
    }
    if (errors.length) throw new RawError(errors.map((e) => `error: ${e}\n`).join(''));
    return 0;
  },
};

const getClustersCmd: Subcommand = {
  name: 'get-clusters', flags: [],
  run: async (k) => {
    k.out(`NAME\n${(byName(k.config().merged.clusters) ?? []).map((c) => `${c.name}\n`).join('')}`);
    return 0;
  },
};

const getUsersCmd: Subcommand = {
  name: 'get-users', flags: [],
  run: async (k) => {
    k.out(`NAME\n${(byName(k.config().merged.users) ?? []).map((c) => `${c.name}\n`).join('')}`);
    return 0;
  },
};

const useContextCmd: Subcommand = {
  name: 'use-context', aliases: ['use'], flags: [],
  run: async (k, args) => {
    if (args.length !== 1) throw new RawError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl config use-context -h' for help and examples\n`);
    const name = args[0];
    if (!k.config().merged.contexts?.some((c) => c.name === name)) throw new CmdError(`no context exists with the name: "${name}"`);
    writeCurrentContext(k, name);
    k.out(`Switched to context "${name}".\n`);
    return 0;
  },
};

const setContextCmd: Subcommand = {
  name: 'set-context',
  flags: [{ name: 'cluster', kind: 'string' }, { name: 'current', kind: 'bool' }, { name: 'namespace', kind: 'string' }, { name: 'user', kind: 'string' }],
  run: async (k, args) => {
    const loaded = k.config();
    const name = k.flags.bool('current') ? loaded.merged['current-context'] ?? '' : args[0] ?? '';
    if (!name) throw new CmdError(k.flags.bool('current') ? 'no current context is set' : 'you must specify a non-empty context name or --current');
    // The stanza is changed in the file that defines it, or created in the first file.
    const file = loaded.files.find((x) => x.config.contexts?.some((c) => c.name === name))?.path ?? loaded.writeTarget;
    const text = k.ctx.fs.read(file);
    const cfg: Kubeconfig = text === undefined ? { clusters: null, users: null, contexts: null } : parseKubeconfig(text, file);
    const list = cfg.contexts ?? [];
    let entry = list.find((c) => c.name === name);
    const existed = !!entry;
    if (!entry) {
      entry = { name, context: {} };
      list.push(entry);
    }
    for (const key of ['cluster', 'user', 'namespace'] as const) if (k.flags.has(key)) entry.context[key] = k.flags.str(key) || undefined;
    cfg.contexts = list;
    k.ctx.fs.write(file, fileText(cfg));
    k.out(existed ? `Context "${name}" modified.\n` : `Context "${name}" created.\n`);
    return 0;
  },
};

export const configCmd: Subcommand = {
  name: 'config', flags: [],
  children: [viewCmd, currentContextCmd, getContextsCmd, getClustersCmd, getUsersCmd, useContextCmd, setContextCmd],
  run: async (k, args) => {
    if (args.length) throw new RawError(`error: unknown command "${args[0]}"\nSee 'kubectl config -h' for help and examples\n`);
    k.out(CONFIG_HELP);
    throw new RawError('', 1);
  },
};
