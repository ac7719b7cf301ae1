/**
 * Test support for the pod programs: a simulated host with every tool and program, two
 * namespaces `p1` (10.0.0.1, the pod) and `p2` (10.0.0.2, a client) joined by a veth, a way
 * to start a program as a pod's process (its output collected) and to run a tool in a namespace.
 */
import { SimHost } from '../host/sim/host.ts';
import type { HostProcess, RunResult } from '../host/host.ts';
import { allCommands } from '../userland/registry.ts';
import { programCommands } from './index.ts';

export interface PodLab {
  host: SimHost;
  /** Runs argv inside namespace `ns` (`ip netns exec NS ...`), in the foreground. */
  exec(ns: string, ...argv: string[]): Promise<RunResult>;
  /** Starts argv as a pod's process in p1 with hostname `echo-abc`. */
  start(argv: string[], opts?: { env?: Record<string, string>; hostname?: string }): Promise<Proc>;
}

export interface Proc {
  proc: HostProcess;
  /** What it printed so far, by stream. */
  out(): string;
  err(): string;
}

export async function podLab(): Promise<PodLab> {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: 'pod-a', commands: new Map([...allCommands(), ...programCommands()]) });
  const setup = [
    'ip netns add p1',
    'ip netns add p2',
    'ip link add veth1 type veth peer name veth2',
    'ip link set veth1 netns p1',
    'ip link set veth2 netns p2',
    'ip -n p1 addr add 10.0.0.1/24 dev veth1',
    'ip -n p2 addr add 10.0.0.2/24 dev veth2',
    'ip -n p1 link set veth1 up',
    'ip -n p2 link set veth2 up',
    'ip -n p1 link set lo up',
    'ip -n p2 link set lo up',
  ];
  for (const line of setup) {
    const r = await host.run(line.split(' '));
    if (r.code !== 0) throw new Error(`${line}: ${r.stderr}`);
  }
  return {
    host,
    exec: (ns, ...argv) => host.run(['ip', 'netns', 'exec', ns, ...argv], { foreground: true }),
    async start(argv, opts = {}) {
      let out = '';
      let err = '';
      const proc = await host.spawn({ argv, netns: 'p1', hostname: opts.hostname ?? 'echo-abc', env: opts.env, stdout: (t) => (out += t), stderr: (t) => (err += t) });
      return { proc, out: () => out, err: () => err };
    },
  };
}

/** A Date header at the lab's clock, which only moves while a foreground tool waits. */
export const DATE_RE = /Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT/;
