/**
 * The contract every emulated command (iptables, grep, ip, ...) implements.
 *
 * A command gets its argv, its stdin as text, two output sinks and the system it runs on, and
 * returns its exit status, exactly as a process would. Commands never print to the real
 * terminal and never touch the machine: everything goes through `ctx`.
 */
import type { FileSystem } from '../host/sim/fs.ts';

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
}

/**
 * What a command may ask of the host beyond files. Kept small: each later tool adds what it
 * needs here, and the sim and linux hosts provide it.
 */
export interface System {
  /** The netfilter state of the network namespace the command runs in. */
  netfilter(): import('../kernel/netfilter/netfilter.ts').Netfilter;
  /** Wall clock in milliseconds since the epoch (iptables-save's date line, `date`, ...). */
  now(): number;
}

export type Command = (ctx: CommandContext) => number | Promise<number>;

/** A set of commands by name; the shell looks names up here (by basename, so `/usr/sbin/ip` works). */
export type CommandTable = ReadonlyMap<string, Command>;
