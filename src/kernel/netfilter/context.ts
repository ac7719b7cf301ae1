/**
 * An EvalContext for a host described by its local addresses: address types for addrtype,
 * the seeded generator for statistic, per-namespace extension state (recent lists), a clock
 * and a log sink. The network stack will give each namespace one of these.
 */
import { inSubnet } from '../addr.ts';
import type { Rng } from '../rng.ts';
import type { Hook, TableName } from './tables.ts';
import { ADDR_TYPE_BIT } from './xt/addrtype.ts';
import type { EvalContext } from './xt/types.ts';

export interface HostView {
  /** Addresses configured on the host (LOCAL), besides 127.0.0.0/8. */
  local: ReadonlySet<number>;
  /** Directed broadcast addresses of the host's subnets. */
  broadcast?: ReadonlySet<number>;
  rng: Rng;
  now(): number;
  /** Extension state that lives as long as the namespace. */
  state: Map<string, unknown>;
  log?(line: string): void;
}

/** The route type of an address as seen from the host (RTN_LOCAL, RTN_BROADCAST, ...). */
export function addressType(host: HostView, addr: number): number {
  if (host.local.has(addr) || inSubnet(addr, 0x7f000000, 0xff000000)) return ADDR_TYPE_BIT.LOCAL;
  if (addr === 0xffffffff || host.broadcast?.has(addr)) return ADDR_TYPE_BIT.BROADCAST;
  if (inSubnet(addr, 0xe0000000, 0xf0000000)) return ADDR_TYPE_BIT.MULTICAST;
  return ADDR_TYPE_BIT.UNICAST;
}

export function evalContext(host: HostView, hook: Hook, table: TableName): EvalContext {
  return {
    hook,
    table,
    addrType: (addr) => addressType(host, addr),
    now: () => host.now(),
    random32: () => host.rng.u32(),
    state<T>(key: string, init: () => T): T {
      let v = host.state.get(key) as T | undefined;
      if (v === undefined) host.state.set(key, (v = init()));
      return v;
    },
    log: (line) => host.log?.(line),
  };
}
