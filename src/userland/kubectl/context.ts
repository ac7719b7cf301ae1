/**
 * One kubectl invocation's state: the command context, the parsed flags, and lazily the
 * kubeconfig, the selected cluster, the client, discovery and the namespace, so a command that
 * fails on its arguments never touches the configuration or the network (as kubectl).
 */
import { KubeClient } from '../../k8s/client/client.ts';
import type { CommandContext } from '../command.ts';
import { Discovery } from './discovery.ts';
import { CmdError, RawError } from './errors.ts';
import { FlagError, Flags, type FlagSpec } from './flags.ts';
import { loadKubeconfig, resolveTarget, type ClusterTarget, type LoadedConfig } from './kubeconfig.ts';
import { ConnectionError, networkTransport, parseRequestTimeout, type KubectlTransport, type TransportProvider } from './transport.ts';

export interface KubectlDeps {
  /** Supplies the transport for a cluster (podlab's in-process API server); undefined falls back to HTTPS. */
  transport?: TransportProvider;
  /** stdin is a terminal, so `exec -it` gets a TTY (otherwise kubectl says it cannot use one). */
  terminal?: boolean;
}

/** A kubectl subcommand: its name, flags, and what it does with its arguments. */
export interface Subcommand {
  name: string;
  aliases?: string[];
  flags: readonly FlagSpec[];
  /** Nested subcommands (`config view`, `create namespace`); `run` handles the bare command. */
  children?: Subcommand[];
  run(k: Kctx, args: string[]): Promise<number>;
}

export class Kctx {
  readonly ctx: CommandContext;
  readonly deps: KubectlDeps;
  readonly flags: Flags;
  /** `kubectl get`, `kubectl config view`: what usage messages name. */
  readonly cmdPath: string;
  private loaded?: LoadedConfig;
  private targetCache?: ClusterTarget;
  private clientCache?: KubeClient;
  private transportCache?: KubectlTransport;
  private discoveryCache?: Promise<Discovery>;

  constructor(ctx: CommandContext, deps: KubectlDeps, flags: Flags, cmdPath: string) {
    this.ctx = ctx;
    this.deps = deps;
    this.flags = flags;
    this.cmdPath = cmdPath;
  }

  out(text: string): void {
    this.ctx.stdout(text);
  }

  err(text: string): void {
    this.ctx.stderr(text);
  }

  /** The name kubectl was run as (`kubectl`, `kubectl.1.32`): a few messages use it. */
  get baseName(): string {
    return (this.ctx.argv[0] ?? 'kubectl').split('/').pop() || 'kubectl';
  }

  now(): number {
    return this.ctx.sys.now();
  }

  get signal(): AbortSignal | undefined {
    return this.ctx.signal;
  }

  /** The kubeconfig files of the loading rules, merged. */
  config(): LoadedConfig {
    return (this.loaded ??= loadKubeconfig(this.ctx.fs, this.ctx.cwd, this.ctx.env, this.flags.optStr('kubeconfig')));
  }

  target(): ClusterTarget {
    if (this.targetCache) return this.targetCache;
    const f = this.flags;
    this.targetCache = resolveTarget(this.config(), {
      context: f.optStr('context'), cluster: f.optStr('cluster'), user: f.optStr('user'),
      namespace: f.optStr('namespace'), server: f.optStr('server'), token: f.optStr('token'),
      ...(f.has('insecure-skip-tls-verify') ? { insecure: f.bool('insecure-skip-tls-verify') } : {}),
      certificateAuthority: f.optStr('certificate-authority'), clientCertificate: f.optStr('client-certificate'),
      clientKey: f.optStr('client-key'), tlsServerName: f.optStr('tls-server-name'),
    }, this.ctx.fs, this.ctx.cwd);
    return this.targetCache;
  }

  /** The namespace commands act in: -n, else the context's, else `default`. */
  get namespace(): string {
    return this.target().namespace;
  }

  /** -n was given explicitly. */
  get namespaceExplicit(): boolean {
    return this.target().namespaceExplicit;
  }

  transport(): KubectlTransport {
    if (this.transportCache) return this.transportCache;
    const timeout = parseRequestTimeout(this.flags.optStr('request-timeout'));
    if (timeout === undefined) {
      throw new CmdError('Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)');
    }
    const target = this.target();
    this.promptForCredentials(target);
    const injected = this.deps.transport?.(target);
    if (!injected && target.server.startsWith('podlab:')) throw new CmdError(`no podlab cluster serves ${target.server}`);
    this.transportCache = this.withWarnings(injected ?? networkTransport(target, this.cmdPath, timeout));
    return this.transportCache;
  }

  /**
   * clientcmd's interactive loader: a TLS server and a user with nothing to identify it by (no
   * token, certificate or username) make kubectl ask for a username on stdin, then a password
   * on the terminal.
   */
  private promptForCredentials(t: ClusterTarget): void {
    if (!t.server.startsWith('https:') || t.token || t.clientCertPem || t.hasOtherCredentials) return;
    this.out('Please enter Username: ');
    // fmt.Fscan: one word, after any white space.
    const word = /^\s*(\S+)/.exec(this.ctx.stdin)?.[1];
    if (word === undefined) throw new CmdError('EOF');
    this.out('Please enter Password: ');
    throw new CmdError('error reading input for Password');
  }

  private warned = new Set<string>();

  /** The server's `Warning: 299 - "text"` headers, printed once each as `Warning: text` (client-go's warning writer). */
  private withWarnings(t: KubectlTransport): KubectlTransport {
    const show = (headers: Record<string, string>): void => {
      const h = headers.warning;
      if (!h) return;
      for (const m of h.matchAll(/\d{3} [^ ]+ "((?:[^"\\]|\\.)*)"/g)) {
        const text = m[1].replace(/\\(.)/g, '$1');
        if (this.warned.has(text)) continue;
        this.warned.add(text);
        this.err(`Warning: ${text}\n`);
      }
    };
    return {
      ...t,
      request: async (req) => {
        const res = await t.request(req);
        show(res.headers);
        return res;
      },
      stream: async (req, onChunk, signal) => {
        const res = await t.stream(req, onChunk, signal);
        show(res.headers);
        return res;
      },
    };
  }

  client(): KubeClient {
    return (this.clientCache ??= new KubeClient(this.transport()));
  }

  discovery(): Promise<Discovery> {
    return (this.discoveryCache ??= Discovery.load(this.client()).catch((e: unknown) => {
      if (e instanceof ConnectionError && e.refused) this.klogDiscoveryFailures();
      throw e;
    }));
  }

  /**
   * What kubectl's discovery cache logs (klog) before giving up on a server that refuses
   * connections: five tries, one `memcache.go` line each, stamped with this process's clock and pid.
   */
  private klogDiscoveryFailures(): void {
    const server = this.target().server.replace(/\/$/, '');
    const url = new URL(server);
    const host = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
    for (let i = 0; i < 5; i++) {
      const d = new Date(this.now());
      const p2 = (n: number): string => String(n).padStart(2, '0');
      const stamp = `${p2(d.getMonth() + 1)}${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
      this.err(`E${stamp} ${String(process.pid).padStart(7)} memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"${server}/api?timeout=32s\\": dial tcp ${host}: connect: connection refused"\n`);
    }
  }
}

/** A flag error in kubectl's words, naming the command whose help to read. */
export function flagError(cmdPath: string, e: FlagError): RawError {
  return new RawError(`error: ${e.message}\nSee '${cmdPath} --help' for usage.\n`);
}
