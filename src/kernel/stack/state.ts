/**
 * What the stack keeps per network namespace beyond the configuration in NetNs: the conntrack
 * table, the sockets, packet taps (tcpdump) and IP ids. Kept beside NetNs rather than in it so
 * the configuration model stays free of packet-path state.
 */
import type { TimerHandle } from '../clock.ts';
import { Conntrack } from '../conntrack/index.ts';
import type { Link } from '../link.ts';
import type { NetNs } from '../netns.ts';
import type { Frame } from '../wire.ts';
import type { SocketTable } from './socket.ts';

/** A capture point on a device: gets every frame seen there, in or out. */
export type Tap = (dir: 'in' | 'out', frame: Frame, link: Link) => void;

export interface StackState {
  ct: Conntrack;
  taps: Set<Tap>;
  /** Captures holding a device in promiscuous mode (tcpdump without -p): a bridge then passes up what it forwards. */
  promisc: Map<Link, number>;
  sockets?: SocketTable;
  ipId: number;
  /** The pending conntrack garbage collection (see hooks.ts scheduleGc). */
  gcAt?: number;
  gcTimer?: TimerHandle;
}

const states = new WeakMap<NetNs, StackState>();

export function stackOf(ns: NetNs): StackState {
  let s = states.get(ns);
  if (!s) {
    s = {
      ct: new Conntrack({
        now: () => ns.kernel.clock.now,
        sysctl: (key) => ns.sysctl.num(key),
        rng: ns.kernel.rng,
        log: (line) => ns.kernel.printk(line, 4),
      }),
      taps: new Set(),
      promisc: new Map(),
      ipId: ns.kernel.rng.int(0x10000),
    };
    states.set(ns, s);
  }
  return s;
}

/** The conntrack table of a namespace (what `conntrack -L` there shows). */
export function conntrackOf(ns: NetNs): Conntrack {
  return stackOf(ns).ct;
}
