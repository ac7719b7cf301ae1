/**
 * kube-proxy's iptables mode (v1.30–1.32): the handlers record Service and EndpointSlice
 * changes; `sync()` is syncProxyRules. A full sync (the first, a forced one, after a failure, a
 * lost canary, a node label change, or an hour after the last) first ensures the canary chains
 * and the jumps from the built-in chains with `iptables -N/-C/-I`; every sync then lists the nat
 * chains (`iptables-save -t nat`) to find stale ones, loads the payload with
 * `iptables-restore -w 5 -W 100000 --noflush --counters`, and clears stale UDP conntrack
 * entries. Everything goes through the node's Host, so the same code drives sim and real kernels.
 */
import type { Host } from '../../../host/host.ts';
import type { KObject } from '../../api/object.ts';
import { cleanStaleUDPEntries } from '../conntrack.ts';
import { servicePortKey } from '../names.ts';
import type { ServicePortInfo } from '../serviceport.ts';
import { RecordingProxier } from '../state.ts';
import type { Proxier, ProxierConfig } from '../types.ts';
import { buildRules, cidrContains, KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_PROXY_FIREWALL, KUBE_SERVICES, LARGE_CLUSTER_ENDPOINTS_THRESHOLD, type RulesOptions } from './rules.ts';

/** The lock flags upstream's iptables runner passes (iptables ≥ 1.6.2): wait 5 s, poll every 100 ms. */
export const WAIT_FLAGS = ['-w', '5', '-W', '100000'];
export const CANARY_CHAIN = 'KUBE-PROXY-CANARY';
/** proxyutil.FullSyncPeriod. */
const FULL_SYNC_PERIOD_MS = 60 * 60 * 1000;
/** `--iptables-sync-period` default: how often large clusters look for stale chains. */
const DEFAULT_SYNC_PERIOD_MS = 30 * 1000;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

interface Jump {
  table: 'filter' | 'nat';
  chain: string;
  from: string;
  comment: string;
  extra: string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

/** iptablesJumpChains, then kubelet's KUBE-FIREWALL jumps (iptablesKubeletJumpChains); each is prepended. */
export const JUMPS: Jump[] = [
  { table: 'filter', chain: KUBE_EXTERNAL_SERVICES, from: 'INPUT', comment: 'kubernetes externally-visible service portals', extra: NEW },
  { table: 'filter', chain: KUBE_EXTERNAL_SERVICES, from: 'FORWARD', comment: 'kubernetes externally-visible service portals', extra: NEW },
  { table: 'filter', chain: KUBE_NODEPORTS, from: 'INPUT', comment: 'kubernetes health check service ports', extra: [] },
  { table: 'filter', chain: KUBE_SERVICES, from: 'FORWARD', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', chain: KUBE_SERVICES, from: 'OUTPUT', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', chain: KUBE_FORWARD, from: 'FORWARD', comment: 'kubernetes forwarding rules', extra: [] },
  { table: 'filter', chain: KUBE_PROXY_FIREWALL, from: 'INPUT', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'filter', chain: KUBE_PROXY_FIREWALL, from: 'OUTPUT', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'filter', chain: KUBE_PROXY_FIREWALL, from: 'FORWARD', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'nat', chain: KUBE_SERVICES, from: 'OUTPUT', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', chain: KUBE_SERVICES, from: 'PREROUTING', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', chain: KUBE_POSTROUTING, from: 'POSTROUTING', comment: 'kubernetes postrouting rules', extra: [] },
  { table: 'filter', chain: KUBE_FIREWALL, from: 'INPUT', comment: '', extra: [] },
  { table: 'filter', chain: KUBE_FIREWALL, from: 'OUTPUT', comment: '', extra: [] },
];

/** Knobs upstream's own tests turn (its fake iptables and nfacct), not kube-proxy flags. */
export interface IptablesProxierOptions {
  /** The mark as written; default Go's %#08x of 1 << masqueradeBit (`0x00004000`). Upstream's tests use `0x4000`. */
  masqueradeMark?: string;
  /** Whether MASQUERADE gets --random-fully; default: probed from `iptables --version` (≥ 1.6.2). */
  randomFully?: boolean;
  /** Which nfacct counters exist; default none (nothing here creates them). */
  nfacct?: { ctInvalid: boolean; localhostNodePorts: boolean };
  /** `--iptables-sync-period` in ms (default 30 s). */
  syncPeriodMs?: number;
}

/** A host-side fact probed once, at the first full sync. */
interface Probed {
  randomFully: boolean;
  conntrackTCPLiberal: boolean;
}

/** What one sync did, for tests and logs. */
export interface SyncReport {
  full: boolean;
  text: string;
  updatedServices: string[];
  deletedChains: string[];
  conntrackCommands: number;
}

export class IptablesProxier extends RecordingProxier implements Proxier {
  private readonly host: Host;
  private needFullSync = true;
  private lastFullSync = -Infinity;
  private lastCleanup = -Infinity;
  private zone: string | undefined;
  private probed: Probed | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last sync's report (undefined before one wrote anything). */
  lastSync: SyncReport | undefined;

  constructor(
    private readonly config: ProxierConfig,
    private readonly opts: IptablesProxierOptions = {},
  ) {
    super(config);
    this.host = config.host;
  }


  onNodeAdd(node: KObject): void {
    this.setNodeLabels(node, node.metadata.labels?.[ZONE_LABEL]);
  }

  onNodeUpdate(_old: KObject, node: KObject): void {
    this.setNodeLabels(node, node.metadata.labels?.[ZONE_LABEL]);
  }

  onNodeDelete(node: KObject): void {
    this.setNodeLabels(node, undefined);
  }

  private setNodeLabels(node: KObject, zone: string | undefined): void {
    if (node.metadata.name !== this.config.nodeName || zone === this.zone) return;
    this.zone = zone;
    this.needFullSync = true;
  }

  /** Whether changes wait for a sync. */
  pending(): boolean {
    return this.needFullSync || this.state.pending();
  }

  sync(opts: { full?: boolean } = {}): Promise<boolean> {
    // One sync at a time, in call order: each reads and writes the whole snapshot.
    const run = this.queue.then(() => this.syncProxyRules(opts.full ?? false));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Upstream's Monitor, one poll: if a canary chain is gone (something flushed the tables), it
   * is recreated and the next sync is full. Returns whether that happened.
   */
  async checkCanaries(): Promise<boolean> {
    let lost = false;
    for (const table of ['mangle', 'nat', 'filter']) {
      const r = await this.iptables(['-S', CANARY_CHAIN, '-t', table]);
      if (r.code !== 0) lost = true;
    }
    if (!lost) return false;
    this.log('iptables canary chain deleted, forcing a full resync');
    await this.ensureCanaries();
    this.needFullSync = true;
    return true;
  }

  private async syncProxyRules(forceFull: boolean): Promise<boolean> {
    if (!this.initialized) {
      this.log('Not syncing iptables until Services and Endpoints have been received from master');
      return false;
    }
    const now = this.host.now();
    const full = forceFull || this.needFullSync || now - this.lastFullSync > FULL_SYNC_PERIOD_MS;
    const result = this.state.update();
    this.log(`Syncing iptables rules fullSync=${full}`);
    try {
      if (full) await this.ensureBase();
      const services = this.state.servicePorts();
      const large = this.state.totalEndpoints() > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
      // Listing every chain is slow on big hosts: large clusters only look for stale chains once a sync period.
      const cleanup = !large || now - this.lastCleanup > (this.opts.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS);
      const existing = cleanup ? await this.natChains() : undefined;
      if (existing) this.lastCleanup = now;
      const out = buildRules(await this.rulesOptions(), {
        services,
        endpointsOf: (svc) => this.state.endpointsOf(svc),
        full,
        updated: result.updatedServices,
        existingNatChains: existing,
      });
      const r = await this.host.run(['iptables-restore', ...WAIT_FLAGS, '--noflush', '--counters'], { stdin: out.text });
      if (r.code !== 0) throw new Error(`iptables-restore: ${r.stderr.trim()}`);
      this.needFullSync = false;
      if (full) this.lastFullSync = now;
      const ports = new Map<string, ServicePortInfo>(services.map((s) => [servicePortKey(s.name), s]));
      const conntrackCommands = await cleanStaleUDPEntries(this.host, ports, result, (l) => this.log(l));
      this.lastSync = { full, text: out.text, updatedServices: [...result.updatedServices].sort(), deletedChains: out.deletedChains, conntrackCommands };
      this.log(`SyncProxyRules complete services=${services.length} filterRules=${out.filterRules} natRules=${out.natRules}`);
      return true;
    } catch (e) {
      // The changes are folded into the snapshot already: only a full sync can catch up.
      this.needFullSync = true;
      this.log(`Sync failed: ${(e as Error).message}`);
      return false;
    }
  }

  private async rulesOptions(): Promise<RulesOptions> {
    const probed = this.probed!;
    const addrs = this.config.nodePortAddresses ?? [];
    const matchAll = addrs.length === 0 || addrs.includes('0.0.0.0/0');
    // NodePorts on 127.0.0.1 need the loopback address among the nodeport addresses.
    const localhostNodePorts = (this.config.localhostNodePorts ?? true) && (matchAll || addrs.some((c) => c !== 'primary' && cidrContains(c, '127.0.0.1')));
    return {
      masqueradeMark: this.opts.masqueradeMark ?? goHex(1 << (this.config.masqueradeBit ?? 14)),
      masqueradeAll: this.config.masqueradeAll ?? false,
      clusterCIDR: this.config.clusterCIDR,
      localhostNodePorts,
      nodePortIPs: matchAll ? undefined : await this.nodePortIPs(addrs),
      nodeIP: this.config.nodeIPs[0],
      zone: this.zone,
      randomFully: probed.randomFully,
      conntrackTCPLiberal: probed.conntrackTCPLiberal,
      nfacct: this.opts.nfacct ?? { ctInvalid: false, localhostNodePorts: false },
    };
  }

  /** What only a full sync does: host facts (once), canaries (once), and the jumps into our chains. */
  private async ensureBase(): Promise<void> {
    if (!this.probed) {
      this.probed = await this.probe();
      await this.ensureCanaries();
    }
    for (const jump of JUMPS) {
      const created = await this.iptables(['-N', jump.chain, '-t', jump.table]);
      // Exit status 1: the chain exists already.
      if (created.code !== 0 && created.code !== 1) throw new Error(`creating chain ${jump.chain}: ${created.stderr.trim()}`);
      const args = [...jump.extra, ...(jump.comment ? ['-m', 'comment', '--comment', jump.comment] : []), '-j', jump.chain];
      const check = await this.iptables(['-C', jump.from, '-t', jump.table, ...args]);
      if (check.code === 0) continue;
      if (check.code !== 1) throw new Error(`checking rule in ${jump.from}: ${check.stderr.trim()}`);
      const insert = await this.iptables(['-I', jump.from, '-t', jump.table, ...args]);
      if (insert.code !== 0) throw new Error(`inserting jump ${jump.from} -> ${jump.chain}: ${insert.stderr.trim()}`);
    }
  }

  private async ensureCanaries(): Promise<void> {
    for (const table of ['mangle', 'nat', 'filter']) await this.iptables(['-N', CANARY_CHAIN, '-t', table]);
  }

  private async probe(): Promise<Probed> {
    const version = await this.host.run(['iptables', '--version']);
    const m = /v(\d+)\.(\d+)\.(\d+)/.exec(version.stdout);
    const randomFully = this.opts.randomFully ?? (m ? compareVersion([+m[1], +m[2], +m[3]], [1, 6, 2]) >= 0 : false);
    const liberal = await this.host.run(['sysctl', '-n', 'net.netfilter.nf_conntrack_tcp_be_liberal']);
    const conntrackTCPLiberal = liberal.code === 0 && liberal.stdout.trim() !== '0';
    if (conntrackTCPLiberal) this.log('nf_conntrack_tcp_be_liberal set, not installing DROP rules for INVALID packets');
    if (this.config.localhostNodePorts ?? true) {
      // NodePorts on localhost need martian routing; KUBE-FIREWALL closes the hole it opens.
      const cur = await this.host.run(['sysctl', '-n', 'net.ipv4.conf.all.route_localnet']);
      if (cur.stdout.trim() !== '1') await this.host.run(['sysctl', '-w', 'net.ipv4.conf.all.route_localnet=1']);
    }
    return { randomFully, conntrackTCPLiberal };
  }

  /** GetChainsFromTable over `iptables-save -t nat`. */
  private async natChains(): Promise<Set<string>> {
    const r = await this.host.run(['iptables-save', '-t', 'nat']);
    if (r.code !== 0) {
      this.log(`Failed to execute iptables-save: stale chains will not be deleted: ${r.stderr.trim()}`);
      return new Set();
    }
    const chains = new Set<string>();
    for (const line of r.stdout.split('\n')) if (line.startsWith(':')) chains.add(line.slice(1).split(' ')[0]);
    return chains;
  }

  /** The node's addresses inside the `--nodeport-addresses` CIDRs (`primary`: its node IPs). */
  private async nodePortIPs(cidrs: string[]): Promise<string[]> {
    const r = await this.host.run(['ip', '-4', '-o', 'addr', 'show']);
    const addrs = [...r.stdout.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]);
    const out: string[] = [];
    for (const ip of addrs) {
      const wanted = cidrs.some((c) => (c === 'primary' ? this.config.nodeIPs.includes(ip) : cidrContains(c, ip)));
      if (wanted && !out.includes(ip)) out.push(ip);
    }
    return out;
  }

  private iptables(args: string[]) {
    return this.host.run(['iptables', ...WAIT_FLAGS, ...args]);
  }

  private log(line: string): void {
    this.config.log?.(line);
  }
}


/** Go's %#08x: unlike C, Go pads the digits to the width and adds `0x` after (0x4000 → 0x00004000). */
export function goHex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function compareVersion(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
