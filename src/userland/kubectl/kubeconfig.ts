/**
 * Kubeconfig loading as client-go's clientcmd does it: --kubeconfig alone, else the KUBECONFIG
 * list merged (the first file defining a name or the current context wins), else
 * ~/.kube/config; then the context, cluster and user the flags select, and the namespace.
 */
import type { FileSystem } from '../../host/sim/fs.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { yamlToJson } from './manifest.ts';

export interface NamedCluster { name: string; cluster: ClusterEntry }
export interface NamedContext { name: string; context: ContextEntry }
export interface NamedUser { name: string; user: UserEntry }

export interface ClusterEntry {
  server?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: unknown[];
}

export interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions?: unknown[];
}

export interface UserEntry {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  as?: string;
  username?: string;
  password?: string;
  [field: string]: unknown;
}

/** A kubeconfig file's content (clientcmd v1 Config); the arrays are null when the file has none. */
export interface Kubeconfig {
  kind?: string;
  apiVersion?: string;
  preferences?: Record<string, unknown>;
  clusters: NamedCluster[] | null;
  users: NamedUser[] | null;
  contexts: NamedContext[] | null;
  'current-context'?: string;
  extensions?: unknown[];
}

/** A failure of configuration; `prefix` is how kubectl introduces it (`error: ` or `Error in configuration: `). */
export class ConfigError extends Error {
  constructor(message: string, readonly prefix = 'error: ') {
    super(message);
  }
}

export interface LoadedFile {
  path: string;
  config: Kubeconfig;
}

/** The files of the loading rules, in precedence order, and the merged view of them. */
export interface LoadedConfig {
  files: LoadedFile[];
  /** Where a new stanza or the current context goes when written (clientcmd's rule). */
  writeTarget: string;
  merged: Kubeconfig;
  /** True when --kubeconfig named the file. */
  explicit: boolean;
}

function homeConfig(env: Record<string, string>): string {
  return `${env.HOME || '/root'}/.kube/config`;
}

/** Parses one kubeconfig file's text; throws ConfigError in clientcmd's words. */
export function parseKubeconfig(text: string, path: string): Kubeconfig {
  let raw: unknown;
  try {
    raw = yamlToJson(text);
  } catch (e) {
    throw new ConfigError(`error loading config file "${path}": ${(e as Error).message}`);
  }
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const arr = <T>(v: unknown): T[] | null => (Array.isArray(v) ? (v as T[]) : null);
  return {
    kind: typeof o.kind === 'string' ? o.kind : 'Config',
    apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : 'v1',
    preferences: (o.preferences as Record<string, unknown>) ?? {},
    clusters: arr<NamedCluster>(o.clusters),
    users: arr<NamedUser>(o.users),
    contexts: arr<NamedContext>(o.contexts),
    ...(typeof o['current-context'] === 'string' && o['current-context'] ? { 'current-context': o['current-context'] } : {}),
    ...(Array.isArray(o.extensions) ? { extensions: o.extensions } : {}),
  };
}

/** Applies clientcmd's loading rules over `fs`. */
export function loadKubeconfig(fs: FileSystem, cwd: string, env: Record<string, string>, explicitPath: string | undefined): LoadedConfig {
  const files: LoadedFile[] = [];
  let writeTarget: string;
  if (explicitPath) {
    const p = resolvePath(cwd, explicitPath);
    const text = fs.isDir(p) ? undefined : fs.read(p);
    if (text === undefined) throw new ConfigError(`stat ${explicitPath}: no such file or directory`);
    files.push({ path: p, config: parseKubeconfig(text, explicitPath) });
    writeTarget = p;
  } else {
    const list = env.KUBECONFIG ? env.KUBECONFIG.split(':').filter((s) => s !== '') : [homeConfig(env)];
    const seen = new Set<string>();
    let firstExisting: string | undefined;
    for (const raw of list) {
      const p = resolvePath(cwd, raw);
      if (seen.has(p)) continue;
      seen.add(p);
      const text = fs.isDir(p) ? undefined : fs.read(p);
      if (text === undefined) continue;
      firstExisting ??= p;
      files.push({ path: p, config: parseKubeconfig(text, raw) });
    }
    writeTarget = firstExisting ?? resolvePath(cwd, list[list.length - 1] ?? homeConfig(env));
  }
  return { files, writeTarget, merged: mergeConfigs(files.map((f) => f.config)), explicit: !!explicitPath };
}

/** clientcmd's merge: the first file that defines a name (or the current context) wins. */
export function mergeConfigs(configs: Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { kind: 'Config', apiVersion: 'v1', preferences: {}, clusters: null, users: null, contexts: null };
  const add = <T extends { name: string }>(into: T[] | null, items: T[] | null): T[] | null => {
    if (!items) return into;
    const list = into ?? [];
    for (const it of items) if (!list.some((x) => x.name === it.name)) list.push(it);
    return list;
  };
  for (const c of configs) {
    out.clusters = add(out.clusters, c.clusters);
    out.users = add(out.users, c.users);
    out.contexts = add(out.contexts, c.contexts);
    if (!out['current-context'] && c['current-context']) out['current-context'] = c['current-context'];
  }
  return out;
}

/** What the command line overrides (the global flags). */
export interface Overrides {
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  insecure?: boolean;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  tlsServerName?: string;
}

/** Everything a request to the selected cluster needs. */
export interface ClusterTarget {
  contextName: string;
  server: string;
  caPem?: string;
  insecure: boolean;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  tlsServerName?: string;
  namespace: string;
  /** The user has a way to authenticate other than a token or certificate (username, exec, auth provider). */
  hasOtherCredentials?: boolean;
  /** True when -n named the namespace (clientcmd's "overridden"; a context's namespace is not explicit). */
  namespaceExplicit: boolean;
}

function readRelative(fs: FileSystem, base: string, path: string): string {
  const p = resolvePath(base, path);
  const t = fs.read(p);
  if (t === undefined) throw new ConfigError(`open ${p}: no such file or directory`);
  return t;
}

/** The cluster, user and namespace the kubeconfig and overrides select. */
export function resolveTarget(loaded: LoadedConfig, o: Overrides, fs: FileSystem, cwd: string): ClusterTarget {
  const cfg = loaded.merged;
  const contextName = o.context ?? cfg['current-context'] ?? '';
  const ctx = cfg.contexts?.find((c) => c.name === contextName)?.context;
  if (contextName && !ctx && (o.context !== undefined || !o.server)) {
    throw new ConfigError(`context was not found for specified context: ${contextName}`, 'Error in configuration: ');
  }
  const clusterName = o.cluster ?? ctx?.cluster ?? '';
  const userName = o.user ?? ctx?.user ?? '';
  const cluster: ClusterEntry = cfg.clusters?.find((c) => c.name === clusterName)?.cluster ?? {};
  const user: UserEntry = cfg.users?.find((u) => u.name === userName)?.user ?? {};
  if (clusterName && !cfg.clusters?.some((c) => c.name === clusterName) && !o.server) {
    throw new ConfigError(`cluster "${clusterName}" does not exist`, 'Error in configuration: ');
  }
  // Relative file names in a kubeconfig are relative to the file that holds them.
  const home = loaded.files[0]?.path.replace(/\/[^/]*$/, '') || cwd;
  const server = o.server ?? cluster.server ?? 'http://localhost:8080';
  let caPem: string | undefined;
  if (o.certificateAuthority) caPem = readRelative(fs, cwd, o.certificateAuthority);
  else if (cluster['certificate-authority-data']) caPem = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  else if (cluster['certificate-authority']) caPem = readRelative(fs, home, cluster['certificate-authority']);
  let token = o.token ?? user.token;
  if (token === undefined && typeof user.tokenFile === 'string') token = readRelative(fs, home, user.tokenFile).trim();
  let clientCertPem: string | undefined;
  let clientKeyPem: string | undefined;
  if (o.clientCertificate) clientCertPem = readRelative(fs, cwd, o.clientCertificate);
  else if (user['client-certificate-data']) clientCertPem = Buffer.from(user['client-certificate-data'], 'base64').toString('utf8');
  else if (user['client-certificate']) clientCertPem = readRelative(fs, home, user['client-certificate']);
  if (o.clientKey) clientKeyPem = readRelative(fs, cwd, o.clientKey);
  else if (user['client-key-data']) clientKeyPem = Buffer.from(user['client-key-data'], 'base64').toString('utf8');
  else if (user['client-key']) clientKeyPem = readRelative(fs, home, user['client-key']);
  const namespace = o.namespace || ctx?.namespace || 'default';
  return {
    contextName, server, insecure: o.insecure ?? cluster['insecure-skip-tls-verify'] ?? false,
    ...(caPem !== undefined ? { caPem } : {}),
    ...(token ? { token } : {}),
    ...(clientCertPem !== undefined ? { clientCertPem } : {}),
    ...(clientKeyPem !== undefined ? { clientKeyPem } : {}),
    ...(o.tlsServerName ?? cluster['tls-server-name'] ? { tlsServerName: o.tlsServerName ?? cluster['tls-server-name'] } : {}),
    ...(user.username || user.exec || user['auth-provider'] ? { hasOtherCredentials: true } : {}),
    namespace,
    namespaceExplicit: !!o.namespace,
  };
}
