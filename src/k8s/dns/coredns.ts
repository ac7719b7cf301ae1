/**
 * `coredns [-conf FILE]`: the cluster DNS server as a pod program. Reads its Corefile (kubeadm's
 * when the file is absent), watches the cluster through the pod's in-cluster API, serves UDP
 * and TCP on the block's port in the pod's namespace, logs its start as CoreDNS 1.11.1 does, and
 * runs until killed.
 */
import { createHash } from 'node:crypto';
import { formatIPv4 } from '../../kernel/addr.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { NetNs } from '../../kernel/netns.ts';
import type { Command, CommandContext } from '../../userland/command.ts';
import { KubeClient } from '../client/client.ts';
import { CorefileError, KUBEADM_COREFILE, kubernetesConfig, parseCorefile } from './corefile.ts';
import { defaultKubernetesConfig, KubernetesPlugin } from './lookup.ts';
import { ClusterRecords, type DnsSource } from './records.ts';
import { serveDns, type RunningServer } from './server.ts';
import { watchCluster } from './watch.ts';

export const COREDNS_VERSION = 'CoreDNS-1.11.1';
const BUILD = 'linux/amd64, go1.20.7, ae2bbc2';
const DEFAULT_CONF = '/etc/coredns/Corefile';

/** The namespace's own addresses as CoreDNS's boundIPs sees them (no loopback). */
function localIPs(ns: NetNs): string[] {
  return ns
    .allAddresses()
    .map(({ a }) => formatIPv4(a.addr))
    .filter((ip) => !ip.startsWith('127.'));
}

export interface StartedCoreDns {
  server: RunningServer;
  plugin: KubernetesPlugin;
  /** What CoreDNS prints at start, line by line. */
  log: string[];
}

/** Starts serving `corefile` over `source` in `ns` (what the command does once the API is watched). */
export function startCoreDns(ns: NetNs, source: DnsSource, corefile = KUBEADM_COREFILE): StartedCoreDns {
  const blocks = parseCorefile(corefile);
  const block = blocks[0];
  if (!block) throw new CorefileError('no server blocks in Corefile');
  const ips = localIPs(ns);
  const cfg = kubernetesConfig(block, ips) ?? defaultKubernetesConfig({ zones: [], localIPs: ips });
  const plugin = new KubernetesPlugin(source, cfg);
  const port = block.keys[0]?.port ?? 53;
  const server = serveDns(ns, plugin, port);
  const log = [...block.keys.map((k) => `${k.zone}:${k.port}`)];
  if (block.directives.some((d) => d.name === 'reload')) {
    log.push(`[INFO] plugin/reload: Running configuration SHA512 = ${createHash('sha512').update(corefile).digest('hex')}`);
  }
  log.push(COREDNS_VERSION, BUILD);
  return { server, plugin, log };
}

function parseArgs(argv: string[]): { conf: string } | { error: string } | { version: true } {
  let conf = DEFAULT_CONF;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--?/, '-');
    if (a === '-conf') conf = argv[++i] ?? '';
    else if (a.startsWith('-conf=')) conf = a.slice(6);
    else if (a === '-version') return { version: true };
    else return { error: `flag provided but not defined: ${argv[i]}` };
  }
  return { conf };
}

function untilKilled(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal || signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export const corednsCommand: Command = async (ctx: CommandContext) => {
  const args = parseArgs(ctx.argv.slice(1));
  if ('version' in args) {
    ctx.stdout(`${COREDNS_VERSION}\n${BUILD}\n`);
    return 0;
  }
  if ('error' in args) {
    ctx.stderr(`${args.error}\n`);
    return 2;
  }
  const corefile = ctx.fs.read(args.conf) ?? KUBEADM_COREFILE;
  const transport = ctx.sys.api?.();
  if (!transport) {
    ctx.stderr('plugin/kubernetes: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined\n');
    return 1;
  }
  const records = new ClusterRecords(() => ctx.sys.now());
  const usesPods = /\bpods\s+verified\b/.test(corefile);
  const watch = watchCluster(new KubeClient(transport), records, { pods: usesPods });
  // CoreDNS waits up to 5s for the first lists, then starts anyway.
  const synced = await Promise.race([watch.synced.then(() => true), ctx.sys.sleep(5000).then(() => false)]);
  if (!synced) ctx.stdout('[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API\n');
  let started: StartedCoreDns;
  try {
    started = startCoreDns(ctx.sys.netns(), records, corefile);
  } catch (e) {
    watch.stop();
    const msg = e instanceof KernelError ? `listen udp :53: bind: ${e.strerror.toLowerCase()}` : (e as Error).message;
    ctx.stderr(`${msg}\n`);
    return 1;
  }
  ctx.stdout(started.log.map((l) => `${l}\n`).join(''));
  await untilKilled(ctx.signal);
  started.server.stop();
  watch.stop();
  return 0;
};
