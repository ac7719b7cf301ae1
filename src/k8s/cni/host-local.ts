/**
 * The host-local IPAM plugin: allocates one address per range set for (container id,
 * interface) from the node's files, round-robin from the last reserved address as
 * allocator.go iterates (the gateway skipped, wrapping through the set's ranges), returns the
 * addresses with their gateways and the configured routes; DEL releases by container id;
 * CHECK looks for the container's reservation.
 */
import type { Plugin } from './plugin.ts';
import { loadIPAMConfig, rangeContains, rangeSetString, type RangeSet } from './hostlocal-config.ts';
import { Store } from './hostlocal-store.ts';
import { formatIPv4, nextIP } from './ipnet.ts';
import { IMPLEMENTED_VERSION, convertResult, type CniIPConfig } from './types.ts';

/** allocator.RangeIter over a set, starting after `last` when it is in the set. */
function* iterate(set: RangeSet, last: number | undefined): Generator<{ ip: number; rangeIdx: number }> {
  let idx = 0;
  let cur: number | undefined;
  if (last !== undefined && set.some((r) => rangeContains(r, last))) {
    idx = set.findIndex((r) => rangeContains(r, last));
    cur = last;
  }
  let start: number | undefined;
  while (true) {
    let r = set[idx];
    if (cur === undefined) cur = r.rangeStart;
    else if (cur === r.rangeEnd) {
      idx = (idx + 1) % set.length;
      r = set[idx];
      cur = r.rangeStart;
    } else cur = nextIP(cur);
    if (start === undefined) start = cur;
    else if (cur === start) return;
    if (cur !== r.gateway) yield { ip: cur, rangeIdx: idx };
  }
}

/** IPAllocator.Get for one range set. */
async function allocate(store: Store, set: RangeSet, rangeId: number, id: string, ifName: string, requested?: number): Promise<CniIPConfig> {
  const cfg = (ip: number, r: RangeSet[number]): CniIPConfig => ({ address: `${formatIPv4(ip)}/${r.subnet.prefix}`, gateway: formatIPv4(r.gateway) });
  if (requested !== undefined) {
    const r = set.find((x) => rangeContains(x, requested));
    if (!r) throw new Error(`${formatIPv4(requested)} not in range set ${rangeSetString(set)}`);
    if (requested === r.gateway) throw new Error(`requested ip ${formatIPv4(requested)} is subnet's gateway`);
    if (!(await store.reserve(id, ifName, requested, String(rangeId)))) {
      throw new Error(`requested IP address ${formatIPv4(requested)} is not available in range set ${rangeSetString(set)}`);
    }
    return cfg(requested, r);
  }
  // The spec forbids a second ADD for the same container and interface.
  for (const ip of await store.getByID(id, ifName)) {
    if (set.some((r) => rangeContains(r, ip))) throw new Error(`${formatIPv4(ip)} has been allocated to ${id}, duplicate allocation is not allowed`);
  }
  for (const { ip, rangeIdx } of iterate(set, await store.lastReservedIP(String(rangeId)))) {
    if (await store.reserve(id, ifName, ip, String(rangeId))) return cfg(ip, set[rangeIdx]);
  }
  throw new Error(`no IP addresses available in range set: ${rangeSetString(set)}`);
}

export const hostLocal: Plugin = async (sys, args) => {
  const conf = loadIPAMConfig(args.stdinData, args.args);
  const store = new Store(sys, conf.name, conf.dataDir);
  if (args.command === 'CHECK') {
    const found = await store.locked(() => store.getByID(args.containerId, args.ifName));
    if (!found.length) throw new Error(`host-local: Failed to find address added by container ${args.containerId}`);
    return undefined;
  }
  if (args.command === 'DEL') {
    await store.locked(() => store.releaseByID(args.containerId, args.ifName));
    return undefined;
  }
  const ips = await store.locked(async () => {
    const out: CniIPConfig[] = [];
    const requested = [...conf.ipArgs];
    for (const [idx, set] of conf.ranges.entries()) {
      const k = requested.findIndex((ip) => set.some((r) => rangeContains(r, ip)));
      const want = k >= 0 ? requested.splice(k, 1)[0] : undefined;
      try {
        out.push(await allocate(store, set, idx, args.containerId, args.ifName, want));
      } catch (e) {
        // Whatever was taken for earlier range sets goes back.
        await store.releaseByID(args.containerId, args.ifName);
        throw new Error(`failed to allocate for range ${idx}: ${(e as Error).message}`);
      }
    }
    if (requested.length) {
      await store.releaseByID(args.containerId, args.ifName);
      throw new Error(`failed to allocate all requested IPs: ${requested.map(formatIPv4).join(' ')}`);
    }
    return out;
  });
  return convertResult({ cniVersion: IMPLEMENTED_VERSION, ips, routes: conf.routes }, conf.cniVersion);
};
