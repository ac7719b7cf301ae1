/**
 * Test support for the traffic tools: a simulated host with two namespaces `a` (10.0.0.1) and
 * `b` (10.0.0.2) joined by a veth, shell lines run in it through the podlab shell, and the real
 * tools run inside a throw-away namespace for the cases that never send a packet (argument
 * errors), so their messages can be compared.
 */
import { parseIPv4 } from '../../kernel/addr.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { SimHost } from '../../host/sim/host.ts';
import { allCommands } from '../registry.ts';
import { runShell } from '../shell/index.ts';

export interface Lab {
  host: SimHost;
  a: NetNs;
  b: NetNs;
  /** Runs a shell line on the host (use `ip netns exec a ...`); returns what it printed. */
  sh(line: string, stdin?: string): Promise<{ out: string; err: string; status: number; ms: number }>;
}

export const ipv4 = (s: string): number => parseIPv4(s)!;

export function lab(seed = 1): Lab {
  const host = new SimHost({ seed, clock: Date.UTC(2024, 0, 1) });
  const a = host.machine.addNetns('a');
  const b = host.machine.addNetns('b');
  const va = a.createLink({ name: 'eth0', kind: 'veth', peer: { name: 'eth0', ns: b } });
  a.addAddr(va, { addr: ipv4('10.0.0.1'), plen: 24 });
  b.addAddr(va.peer!, { addr: ipv4('10.0.0.2'), plen: 24 });
  for (const [ns, l] of [[a, va], [b, va.peer!]] as const) {
    ns.setUp(l, true);
    ns.setUp(ns.lo(), true);
  }
  const commands = allCommands();
  const env: Record<string, string> = {};
  return {
    host,
    a,
    b,
    async sh(line, stdin) {
      let out = '';
      let err = '';
      const t0 = host.kernel.clock.now;
      const status = await runShell(line, { commands, fs: host.fs, cwd: '/', env, sys: host.sys, stdin, stdout: (t) => (out += t), stderr: (t) => (err += t) });
      return { out, err, status, ms: host.kernel.clock.now - t0 };
    },
  };
}
