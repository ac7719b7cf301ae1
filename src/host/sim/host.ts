/**
 * A simulated Linux host: a filesystem, a machine on a simulated kernel (network namespaces,
 * processes), a clock and the seeded generator. Commands see it through the System interface,
 * bound to one network namespace at a time; the layers above see it through the Host contract
 * (src/host/host.ts). (Persistence is the session's journal: src/cli/session.ts.)
 */
import { Kernel } from '../../kernel/kernel.ts';
import { Machine } from '../../kernel/machine.ts';
import type { Netfilter } from '../../kernel/netfilter/netfilter.ts';
import type { NetNs } from '../../kernel/netns.ts';
import type { Conntrack } from '../../kernel/conntrack/conntrack.ts';
import { conntrackOf } from '../../kernel/stack/state.ts';
import type { CommandTable, System } from '../../userland/command.ts';
import type { Transport } from '../../k8s/client/client.ts';
import type { Host, HostConn, HostProcess, ProcessSpec, RunOptions, RunResult } from '../host.ts';
import { parseIPv4 } from '../../kernel/addr.ts';
import { socketsOf } from '../../kernel/stack/socket.ts';
import { defaultEtc } from './etc.ts';
import { MemFs, OverlayFs, resolvePath, type FileSystem } from './fs.ts';
import { ProcFs } from './procfs.ts';
import { programExists, runProgram, spawnProgram, type ProgramEnv } from './process.ts';

/** What one process adds to its namespace's view: its own hostname, files and cluster API. */
interface ProcessView {
  hostname?: string;
  files?: Record<string, string>;
  api?: Transport;
}

/** The host's System as seen from one of its network namespaces (and, for a pod's process, its own UTS and files). */
class NsSystem implements System {
  constructor(
    private readonly host: SimHost,
    private readonly ns: NetNs,
    private readonly view: ProcessView = {},
  ) {}

  netfilter(): Netfilter {
    return this.ns.nf;
  }

  netns(): NetNs {
    return this.ns;
  }

  conntrack(): Conntrack {
    return conntrackOf(this.ns);
  }

  machine(): Machine {
    return this.host.machine;
  }

  inNetns(ns: NetNs): System {
    return ns === this.ns ? this : this.host.inNetns(ns);
  }

  /** The host's files (with the process's own on top) and /proc, /sys/class/net showing this namespace. */
  files(): FileSystem {
    return new ProcFs(this.view.files ? new OverlayFs(this.host.fs, this.view.files) : this.host.fs, this);
  }

  hostname(): string {
    return this.view.hostname ?? this.host.machine.hostname;
  }

  api(): Transport | undefined {
    return this.view.api;
  }

  now(): number {
    return this.host.kernel.clock.now;
  }

  sleep(ms: number): Promise<void> {
    return this.host.kernel.clock.sleep(ms);
  }

  until<T>(p: Promise<T>): Promise<T | undefined> {
    return this.host.kernel.clock.until(p);
  }
}

/** `ip netns exec`'s complaint when a namespace name is unknown. */
function noNetns(name: string): RunResult {
  return { code: 1, stdout: '', stderr: `Cannot open network namespace "${name}": No such file or directory\n` };
}

export class SimHost implements Host {
  fs: MemFs;
  readonly kernel: Kernel;
  readonly machine: Machine;
  /** The System of the host's initial network namespace (what a root shell on it sees). */
  readonly sys: System;
  /** What `run` and `spawn` find by name: the node's tools and the programs pods run. */
  commands: CommandTable = new Map();

  constructor(opts: { seed?: number; clock?: number; kernel?: Kernel; hostname?: string; commands?: CommandTable; firstPid?: number } = {}) {
    this.kernel = opts.kernel ?? new Kernel({ seed: opts.seed ?? 1, now: opts.clock ?? Date.now() });
    this.machine = new Machine(this.kernel, { hostname: opts.hostname, firstPid: opts.firstPid });
    this.sys = new NsSystem(this, this.machine.root);
    this.fs = new MemFs(defaultEtc());
    this.fs.mkdirs('/tmp');
    this.fs.mkdirs('/root');
    if (opts.hostname) this.fs.write('/etc/hostname', `${opts.hostname}\n`);
    if (opts.commands) this.commands = opts.commands;
  }

  get nf(): Netfilter {
    return this.machine.root.nf;
  }

  get rng() {
    return this.kernel.rng;
  }

  get name(): string {
    return this.machine.hostname;
  }

  inNetns(ns: NetNs): System {
    return ns === this.machine.root ? this.sys : new NsSystem(this, ns);
  }

  /** The program environment of a namespace given by name (undefined: no such namespace). */
  private env(netns: string | undefined, view?: ProcessView): ProgramEnv | undefined {
    const ns = netns === undefined ? this.machine.root : this.machine.mounts.get(netns);
    if (!ns) return undefined;
    const sys = view ? new NsSystem(this, ns, view) : this.inNetns(ns);
    return { commands: this.commands, fs: sys.files?.() ?? this.fs, sys, machine: this.machine };
  }

  run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const env = this.env(opts.netns);
    if (!env) return Promise.resolve(noNetns(opts.netns!));
    return runProgram(env, argv, opts);
  }

  spawn(spec: ProcessSpec): Promise<HostProcess> {
    const env = this.env(spec.netns, { hostname: spec.hostname, files: spec.files, api: spec.api });
    if (!env) return Promise.reject(new Error(`Cannot open network namespace "${spec.netns}": No such file or directory`));
    const prog = spec.argv[0] ?? '';
    // runc's words when the image has no such program.
    if (!programExists(env, prog)) return Promise.reject(new Error(`exec: "${prog}": executable file not found in $PATH`));
    return Promise.resolve(spawnProgram(env, spec));
  }

  async connect(netns: string | undefined, addr: string, port: number): Promise<HostConn> {
    const ns = netns === undefined ? this.machine.root : this.machine.mounts.get(netns);
    if (!ns) throw new Error(`Cannot open network namespace "${netns}": No such file or directory`);
    const dst = parseIPv4(addr);
    if (dst === undefined) throw new Error(`invalid address ${addr}`);
    const conn = await socketsOf(ns).tcpConnect(dst, port);
    const onData: ((d: Buffer) => void)[] = [];
    const onEnd: (() => void)[] = [];
    void (async () => {
      for (let d = await conn.read(); d; d = await conn.read()) for (const fn of onData) fn(Buffer.from(d));
      for (const fn of onEnd) fn();
    })();
    return {
      write: (d) => void conn.write(new Uint8Array(d)),
      end: () => conn.close(),
      onData: (fn) => void onData.push(fn),
      onEnd: (fn) => void onEnd.push(fn),
    };
  }

  readFile(path: string): Promise<string | undefined> {
    return Promise.resolve(this.fs.read(path));
  }

  writeFile(path: string, data: string): Promise<void> {
    this.fs.write(path, data);
    return Promise.resolve();
  }

  removeFile(path: string): Promise<boolean> {
    return Promise.resolve(this.fs.remove(path));
  }

  listDir(path: string): Promise<string[]> {
    return Promise.resolve(this.fs.isDir(resolvePath('/', path)) ? this.fs.list(path) : []);
  }

  now(): number {
    return this.kernel.clock.now;
  }

  sleep(ms: number): Promise<void> {
    return this.kernel.clock.sleep(ms);
  }
}
