/**
 * Names of network namespaces as iproute2 finds them: the files under /run/netns (the
 * machine's mounts, newest first as tmpfs lists them) and the ids the current namespace gives
 * them (netns_map_init, get_netnsid_from_name), for `link-netns NAME` and `ip netns list`.
 */
import type { NetNs } from '../../kernel/netns.ts';
import type { IpCtx } from './context.ts';

/** /run/netns entries in readdir order (newest first), with their namespaces. */
export function mountedNetns(ctx: IpCtx): [string, NetNs][] {
  return [...ctx.sys.machine().mounts].reverse();
}

/** get_name_from_nsid: the first mounted name whose namespace has this id here. */
export function netnsNameOf(ctx: IpCtx, id: number): string | undefined {
  const here = ctx.ns;
  for (const [name, ns] of mountedNetns(ctx)) if (here.nsids.get(ns) === id) return name;
  return undefined;
}
