/**
 * The contract every emulated command (iptables, grep, ip, ...) implements.
 *
 * A command gets its argv, its stdin as text, two output sinks and the system it runs on, and
 * returns its exit status, exactly as a process would. Commands never print to the real
 * terminal and never touch the machine: everything goes through `ctx`.
 */
import type { FileSystem } from '../host/sim/fs.ts';
import type { Machine } from '../kernel/machine.ts';
import type { NetNs } from '../kernel/netns.ts';

export interface CommandContext {
  /** argv[0] is the name the command was invoked as (e.g. `iptables` or `/usr/sbin/iptables`). */
  argv: string[];
  stdin: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The filesystem of the host the command runs on (for `>`, `cat`, `/etc/services`, ...). */
  fs: FileSystem;
  cwd: string;
  env: Record<string, string>;
  /** The host (network namespace, netfilter, clock...) the command runs on. */
  sys: System;
  /**
   * Runs another program as a child with this command's stdio unless overridden, optionally on
   * another System (another namespace): `ip netns exec`, `nsenter`, `xargs` use it. Absent when
   * a command runs outside a shell.
   */
  exec?(argv: string[], opts?: { sys?: System; stdin?: string; stdout?(t: string): void; stderr?(t: string): void }): Promise<number>;
  /** Whether `exec` would find the program (so callers can print their own "not found" error). */
  exists?(prog: string): boolean;
  /**
   * Set when the command runs in a background job (`cmd &`): aborted when the job is killed
   * (`kill %1`), with the signal number as its `reason` (15 for SIGTERM, 9 for `kill -9`). A
   * command that waits (a server loop, a sleep) should watch it and return early; what it prints
   * after the abort is discarded, and the job already counts as killed (status 128 + the signal,
   * 143 for SIGTERM). Undefined in the foreground.
   */
  signal?: AbortSignal;
}

/**
 * What a command may ask of the host beyond files. Kept small: each later tool adds what it
 * needs here, and the sim and linux hosts provide it.
 */
export interface System {
  /** The netfilter state of the network namespace the command runs in. */
  netfilter(): import('../kernel/netfilter/netfilter.ts').Netfilter;
  /** The network namespace the command runs in (ip, ping, conntrack...). */
  netns(): NetNs;
  /** The machine: its named namespaces (/run/netns), processes and kernel (ip netns, ps, nsenter). */
  machine(): Machine;
  /** The same host seen from another network namespace (`ip netns exec`, `nsenter -n`). */
  inNetns(ns: NetNs): System;
  /** The host's files as a process in this namespace sees them (/proc/sys/net, /sys/class/net follow the namespace). */
  files?(): FileSystem;
  /**
   * The connection tracking table of the namespace (conntrack, /proc/net/nf_conntrack). Optional
   * until every host provides it; commands fall back to the namespace's table.
   */
  conntrack?(): import('../kernel/conntrack/conntrack.ts').Conntrack;
  /**
   * The cluster's API as a client inside the cluster reaches it (a pod's in-cluster config):
   * the cluster DNS server and `kubectl` in a pod use it. Absent outside a cluster.
   */
  api?(): import('../k8s/client/client.ts').Transport | undefined;
  /** The UTS name a process here sees (a pod's own); the machine's hostname when absent. */
  hostname?(): string;
  /** Wall clock in milliseconds since the epoch (iptables-save's date line, `date`, ...). */
  now(): number;
  /** Resolves after `ms` of the host's time (virtual in sim: it passes only while someone waits). */
  sleep(ms: number): Promise<void>;
  /**
   * Waits for `p` in the foreground: in sim this is what makes time pass (timers fire until `p`
   * settles). Resolves to undefined if nothing left in the simulation can settle `p`.
   */
  until<T>(p: Promise<T>): Promise<T | undefined>;
}

export type Command = (ctx: CommandContext) => number | Promise<number>;

/** A set of commands by name; the shell looks names up here (by basename, so `/usr/sbin/ip` works). */
export type CommandTable = ReadonlyMap<string, Command>;
