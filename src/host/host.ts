/**
 * The Host contract: everything above host/ (CNI plugins, kubelet, kube-proxy, DNS, docker
 * networking) asks a node for what it needs through this interface and nothing else, so the
 * same code runs on the simulated kernel (host/sim) and the real one (host/linux).
 *
 * A Host is one node as its own root sees it. Network namespaces are named as the node names
 * them (`/run/netns/NAME`: `cni-<uuid>`); files are the node's files. Changes to the kernel
 * are made with the node's own tools, in their real text formats (`ip -batch`,
 * `iptables-restore --noflush`, `sysctl -w`, `conntrack -D`), which a sim host runs as its
 * emulated commands and a linux host as the real binaries inside the node's namespace.
 */
import type { Transport } from '../k8s/client/client.ts';

/** What a finished program left: its exit status and everything it printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** A namespace of this node (`/run/netns/NAME`) to run in; the node's own when absent. */
  netns?: string;
  /** Given on stdin (iptables-restore's rules, `ip -batch -`'s lines). */
  stdin?: string;
  /** Extra environment (CNI_COMMAND, ...). */
  env?: Record<string, string>;
  /**
   * The caller waits for it (a user's command, `kubectl exec`): on a simulated host, its waits
   * are what move the virtual clock. Agents' calls leave it unset.
   */
  foreground?: boolean;
}

/** A long-running process to start (a pod's pause, a container's command). */
export interface ProcessSpec {
  /** argv[0] is the program (`/pause`, `sh`, `/http-echo`, `coredns`); the rest its arguments. */
  argv: string[];
  /** The node namespace it runs in (`cni-<uuid>`); the node's own when absent. */
  netns?: string;
  env?: Record<string, string>;
  /** Its own UTS name (a pod's hostname); the node's when absent. */
  hostname?: string;
  /**
   * Files it sees in place of the node's (its mount namespace): `/etc/resolv.conf`,
   * `/etc/hosts`, `/etc/hostname` of a pod.
   */
  files?: Record<string, string>;
  /** Working directory (default `/`). */
  cwd?: string;
  /** What it reads on stdin (an exec's input); empty when absent. */
  stdin?: string;
  /**
   * The caller waits for it (a user's command, `kubectl exec`): on a simulated host, its waits
   * are what move the virtual clock. Agents' calls leave it unset.
   */
  foreground?: boolean;
  /** Where its output goes, chunk by chunk (the container's log). */
  stdout?(chunk: string): void;
  stderr?(chunk: string): void;
  /** The pid of the process it is a child of (0: started by the runtime itself). */
  ppid?: number;
  /**
   * The cluster's API as a client inside the cluster reaches it (in-cluster config): what the
   * cluster DNS server and `kubectl` in a pod talk to.
   */
  api?: Transport;
}

export interface HostProcess {
  readonly pid: number;
  /** Settles with the exit status (128 + signal when killed). */
  readonly exited: Promise<number>;
  /** Sends a signal (15 SIGTERM by default, 9 SIGKILL). */
  kill(signal?: number): void;
}

/** One TCP connection a node opened (port-forward's way into a pod). */
export interface HostConn {
  write(data: Buffer): void;
  /** Half-closes: no more data from this side. */
  end(): void;
  onData(fn: (d: Buffer) => void): void;
  onEnd(fn: () => void): void;
}

export interface Host {
  /** The node's name (its hostname). */
  readonly name: string;
  /** Runs a program to completion (a node tool: ip, iptables-restore, sysctl, conntrack, ...). */
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
  /** Starts a long-running process; resolves once it has a pid. */
  spawn(spec: ProcessSpec): Promise<HostProcess>;
  /**
   * Connects to `addr:port` (TCP) from inside a namespace of the node (`kubectl port-forward`
   * into a pod). Rejects with the kernel's error (ECONNREFUSED) when nothing listens.
   */
  connect(netns: string | undefined, addr: string, port: number): Promise<HostConn>;
  /** The node's files (`/etc/cni/net.d`, `/var/lib/cni/networks`, ...). Undefined: no such file. */
  readFile(path: string): Promise<string | undefined>;
  /** Creates or replaces a file; parent directories are created. */
  writeFile(path: string, data: string): Promise<void>;
  /** Removes a file; false if there was none. */
  removeFile(path: string): Promise<boolean>;
  /** Names in a directory, sorted; empty if there is no such directory. */
  listDir(path: string): Promise<string[]>;
  /** The node's wall clock, ms since the epoch (virtual on sim). */
  now(): number;
  /** Resolves after `ms` of the node's time. */
  sleep(ms: number): Promise<void>;
}

/** A RunResult that failed, as an Error carrying the tool's own message. */
export class HostCommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    super(result.stderr.trim() || `${argv.join(' ')}: exit status ${result.code}`);
  }
}

/** Runs a program and throws HostCommandError unless it exits 0; resolves to its stdout. */
export async function mustRun(host: Host, argv: string[], opts?: RunOptions): Promise<string> {
  const r = await host.run(argv, opts);
  if (r.code !== 0) throw new HostCommandError(argv, r);
  return r.stdout;
}
