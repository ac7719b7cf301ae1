/**
 * IPVS schedulers (net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,sh,dh,sed,nq}.c): which real server
 * a new connection goes to. Destinations with weight 0 (quiescent) are skipped; "overloaded"
 * thresholds are not modelled. sh and dh hash with the kernel's hash_32 over a 256-bucket table
 * filled round-robin by weight, so a client keeps its server as on Linux.
 */
import type { IpvsDest, IpvsService } from './service.ts';

export interface SchedInput {
  src: number;
  dst: number;
}

export type Scheduler = (svc: IpvsService, pkt: SchedInput) => IpvsDest | undefined;

/** ip_vs_dest_conn_overhead: active connections weigh 256 times inactive ones. */
function overhead(d: IpvsDest): number {
  return d.activeConns * 256 + d.inactConns;
}

const live = (svc: IpvsService): IpvsDest[] => svc.dests.filter((d) => d.weight > 0);

/** Round robin: the next live destination after the last one picked. */
const rr: Scheduler = (svc) => {
  const n = svc.dests.length;
  for (let i = 1; i <= n; i++) {
    const d = svc.dests[(svc.schedState.rrLast + i) % n];
    if (d.weight > 0) {
      svc.schedState.rrLast = svc.dests.indexOf(d);
      return d;
    }
  }
  return undefined;
};

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Weighted round robin: cycle the list, lowering the current weight by the gcd each round. */
const wrr: Scheduler = (svc) => {
  const ds = svc.dests;
  const weights = ds.map((d) => d.weight).filter((w) => w > 0);
  if (weights.length === 0) return undefined;
  const max = Math.max(...weights);
  const step = weights.reduce(gcd);
  const st = svc.schedState;
  if (st.wrrCw <= 0 || st.wrrCw > max) st.wrrCw = max;
  for (let guard = 0; guard < ds.length * (max / step + 1) + 1; guard++) {
    st.wrrIndex++;
    if (st.wrrIndex >= ds.length) {
      // A pass over the list is done: lower the current weight by the gcd.
      st.wrrIndex = 0;
      st.wrrCw -= step;
      if (st.wrrCw <= 0) st.wrrCw = max;
    }
    if (ds[st.wrrIndex].weight >= st.wrrCw) return ds[st.wrrIndex];
  }
  return undefined;
};

/** Least connection: the lowest overhead; ties go to the first in the list. */
const lc: Scheduler = (svc) => {
  let best: IpvsDest | undefined;
  for (const d of live(svc)) if (!best || overhead(d) < overhead(best)) best = d;
  return best;
};

/** Weighted least connection: lowest overhead/weight (compared by cross-multiplication). */
const wlc: Scheduler = (svc) => {
  let best: IpvsDest | undefined;
  for (const d of live(svc)) if (!best || overhead(d) * best.weight < overhead(best) * d.weight) best = d;
  return best;
};

/** Shortest expected delay: (active + 1) / weight. */
const sed: Scheduler = (svc) => {
  let best: IpvsDest | undefined;
  for (const d of live(svc)) if (!best || (d.activeConns + 1) * best.weight < (best.activeConns + 1) * d.weight) best = d;
  return best;
};

/** Never queue: an idle server if there is one, else sed. */
const nq: Scheduler = (svc, p) => live(svc).find((d) => d.activeConns === 0) ?? sed(svc, p);

const TAB_BITS = 8;
const TAB_SIZE = 1 << TAB_BITS;

/** hash_32(val, bits) with GOLDEN_RATIO_32. */
function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, 0x61c88647) >>> (32 - bits);
}

/** The 256 buckets sh and dh hash into, filled by walking the destinations by weight. */
function bucketTable(svc: IpvsService): (IpvsDest | undefined)[] {
  const ds = svc.dests;
  const tab: (IpvsDest | undefined)[] = [];
  if (ds.length === 0) return Array(TAB_SIZE).fill(undefined);
  let i = 0;
  let left = 0;
  for (let b = 0; b < TAB_SIZE; b++) {
    tab.push(ds[i]);
    if (++left >= Math.max(1, ds[i].weight)) {
      left = 0;
      i = (i + 1) % ds.length;
    }
  }
  return tab;
}

/** ip_vs_sh_hashkey without the sh-port flag: hash_32 of the host-order address (port 0). */
function hashAddr(addr: number): number {
  return hash32(addr >>> 0, TAB_BITS);
}

/** Source hashing: the client's address picks the bucket; an unavailable server gets no fallback (no sh-fallback). */
const sh: Scheduler = (svc, p) => {
  const d = bucketTable(svc)[hashAddr(p.src)];
  return d && d.weight > 0 ? d : undefined;
};

/** Destination hashing: the same on the destination address. */
const dh: Scheduler = (svc, p) => {
  const d = bucketTable(svc)[hashAddr(p.dst)];
  return d && d.weight > 0 ? d : undefined;
};

export const SCHEDULERS: ReadonlyMap<string, Scheduler> = new Map([
  ['rr', rr], ['wrr', wrr], ['lc', lc], ['wlc', wlc], ['sh', sh], ['dh', dh], ['sed', sed], ['nq', nq],
]);
