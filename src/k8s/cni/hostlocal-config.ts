/**
 * host-local's configuration (allocator/config.go, range.go): the `ipam` section's range sets
 * (`ranges`, or the old single `subnet`), each range filled out (start .1, end before the
 * broadcast, gateway .1), routes, dataDir, and the IP a caller asked for in CNI_ARGS `IP=`.
 */
import { loadArgs } from './plugin.ts';
import { contains, formatIPv4, formatNetwork, nextIP, parseCIDR, parseIPv4, type IPNet, broadcastOf, networkOf } from './ipnet.ts';
import type { CniRoute } from './types.ts';

export interface Range {
  subnet: IPNet;
  rangeStart: number;
  rangeEnd: number;
  gateway: number;
}

export type RangeSet = Range[];

export interface IPAMConfig {
  /** The network's name: the directory under dataDir. */
  name: string;
  cniVersion: string;
  ranges: RangeSet[];
  routes: CniRoute[];
  dataDir: string;
  /** Requested addresses (CNI_ARGS IP=, args.cni.ips, runtimeConfig.ips). */
  ipArgs: number[];
}

interface RawRange {
  subnet?: string;
  rangeStart?: string;
  rangeEnd?: string;
  gateway?: string;
}

export const DEFAULT_DATA_DIR = '/var/lib/cni/networks';

function ip(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const v = parseIPv4(text);
  if (v === undefined) throw new Error(`invalid ${what} ${JSON.stringify(text)}: IPv6 and non-address values are not supported by podlab`);
  return v;
}

/** range.go IPInRange. */
function inRange(r: Partial<Range> & { subnet: IPNet }, addr: number): string | undefined {
  const net = formatNetwork(r.subnet);
  if (!contains(r.subnet, addr)) return `${formatIPv4(addr)} not in network ${net}`;
  if (r.rangeStart !== undefined && addr < r.rangeStart) return `${formatIPv4(addr)} is in network ${net} but before start ${formatIPv4(r.rangeStart)}`;
  if (r.rangeEnd !== undefined && addr > r.rangeEnd) return `${formatIPv4(addr)} is in network ${net} but after end ${formatIPv4(r.rangeEnd)}`;
  return undefined;
}

/** Range.Canonicalize. */
function canonicalize(raw: RawRange): Range {
  const parsed = raw.subnet ? parseCIDR(raw.subnet) : undefined;
  if (!parsed) throw new Error(`invalid CIDR address: ${raw.subnet ?? ''}`);
  const subnet = { ip: networkOf(parsed), prefix: parsed.prefix };
  if (subnet.prefix > 30) throw new Error(`Network ${formatNetwork(subnet)} too small to allocate from`);
  const r: Partial<Range> & { subnet: IPNet } = { subnet };
  r.gateway = ip(raw.gateway, 'gateway') ?? nextIP(subnet.ip);
  if (!contains(subnet, r.gateway)) throw new Error(`gateway ${formatIPv4(r.gateway)} not in network ${formatNetwork(subnet)}`);
  const start = ip(raw.rangeStart, 'rangeStart');
  if (start !== undefined) {
    const err = inRange(r, start);
    if (err) throw new Error(err);
  }
  r.rangeStart = start ?? nextIP(subnet.ip);
  const end = ip(raw.rangeEnd, 'rangeEnd');
  if (end !== undefined) {
    const err = inRange(r, end);
    if (err) throw new Error(err);
  }
  // The default end leaves out the broadcast address.
  r.rangeEnd = end ?? broadcastOf(subnet) - 1;
  return r as Range;
}

export function rangeContains(r: Range, addr: number): boolean {
  return inRange(r, addr) === undefined;
}

/** RangeSet.String: `start-end` of each range, comma-separated. */
export function rangeSetString(set: RangeSet): string {
  return set.map((r) => `${formatIPv4(r.rangeStart)}-${formatIPv4(r.rangeEnd)}`).join(',');
}

function overlaps(a: Range, b: Range): boolean {
  return rangeContains(a, b.rangeStart) || rangeContains(a, b.rangeEnd) || rangeContains(b, a.rangeStart) || rangeContains(b, a.rangeEnd);
}

/** LoadIPAMConfig: the whole network config (IPAM plugins get it all) and CNI_ARGS. */
export function loadIPAMConfig(stdinData: string, envArgs: string): IPAMConfig {
  const n = JSON.parse(stdinData) as {
    name?: string; cniVersion?: string;
    ipam?: RawRange & { ranges?: RawRange[][]; routes?: CniRoute[]; dataDir?: string };
    args?: { cni?: { ips?: string[] } };
    runtimeConfig?: { ips?: string[]; ipRanges?: RawRange[][] };
  };
  if (!n.ipam) throw new Error("IPAM config missing 'ipam' key");
  const ipArgs: number[] = [];
  const e = loadArgs(envArgs, ['IP']);
  const requested = [...(e.IP ? [e.IP] : []), ...(n.args?.cni?.ips ?? []), ...(n.runtimeConfig?.ips ?? [])];
  for (const t of requested) {
    const v = parseCIDR(t)?.ip;
    if (v === undefined) throw new Error(`cannot understand ip: IP ${t} not v4 nor v6`);
    ipArgs.push(v);
  }
  let raw: RawRange[][] = [...(n.ipam.ranges ?? [])];
  if (n.ipam.subnet) raw = [[{ subnet: n.ipam.subnet, rangeStart: n.ipam.rangeStart, rangeEnd: n.ipam.rangeEnd, gateway: n.ipam.gateway }], ...raw];
  if (n.runtimeConfig?.ipRanges?.length) raw = [...n.runtimeConfig.ipRanges, ...raw];
  if (!raw.length) throw new Error('no IP ranges specified');
  const ranges = raw.map((set, i) => {
    try {
      if (!set.length) throw new Error('empty range set');
      const rs = set.map(canonicalize);
      for (let a = 0; a < rs.length; a++) {
        for (let b = a + 1; b < rs.length; b++) {
          if (overlaps(rs[a], rs[b])) throw new Error(`subnets ${formatNetwork(rs[a].subnet)} and ${formatNetwork(rs[b].subnet)} overlap`);
        }
      }
      return rs;
    } catch (err) {
      throw new Error(`invalid range set ${i}: ${(err as Error).message}`);
    }
  });
  for (let a = 0; a < ranges.length - 1; a++) {
    for (let b = a + 1; b < ranges.length; b++) {
      if (ranges[a].some((x) => ranges[b].some((y) => overlaps(x, y)))) throw new Error(`range set ${a} overlaps with ${b}`);
    }
  }
  return { name: n.name ?? '', cniVersion: n.cniVersion ?? '0.1.0', ranges, routes: n.ipam.routes ?? [], dataDir: n.ipam.dataDir || DEFAULT_DATA_DIR, ipArgs };
}
