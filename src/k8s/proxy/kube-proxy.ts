/**
 * kube-proxy's process: the node settings it makes at start (conntrack table size and
 * timeouts, route_localnet for NodePorts on 127.0.0.1), informers on Services and
 * EndpointSlices that feed the mode's Proxier, and the sync loop. Changes are coalesced: a
 * sync started while another runs waits for it, then writes everything that changed meanwhile.
 */
import type { Host } from '../../host/host.ts';
import type { KubeClient } from '../client/client.ts';
import { Informer } from '../client/informer.ts';
import { R } from '../controllers/util.ts';
import type { Proxier } from './types.ts';

export interface KubeProxyOptions {
  host: Host;
  client: KubeClient;
  proxier: Proxier;
  /** `conntrack.maxPerCore` × cores, as kube-proxy computes nf_conntrack_max (131072 for 4 cores). */
  conntrackMax?: number;
  log?(line: string): void;
}

export class KubeProxy {
  readonly services: Informer;
  readonly slices: Informer;
  private dirty = false;
  private running = false;
  private synced = false;
  /** How many syncs wrote rules (for tests and the benchmark). */
  syncs = 0;

  constructor(private readonly o: KubeProxyOptions) {
    const p = o.proxier;
    this.services = new Informer(o.client, R.services).on({
      add: (s) => this.changed(() => p.onServiceAdd(s)),
      update: (a, b) => this.changed(() => p.onServiceUpdate(a, b)),
      delete: (s) => this.changed(() => p.onServiceDelete(s)),
    });
    this.slices = new Informer(o.client, R.endpointslices).on({
      add: (s) => this.changed(() => p.onEndpointSliceAdd(s)),
      update: (a, b) => this.changed(() => p.onEndpointSliceUpdate(a, b)),
      delete: (s) => this.changed(() => p.onEndpointSliceDelete(s)),
    });
  }

  /** The node settings kube-proxy makes, then the informers; resolves after the first sync. */
  async start(): Promise<void> {
    const max = this.o.conntrackMax ?? 131072;
    await this.o.host.run(['sysctl', '-w', `net.netfilter.nf_conntrack_max=${max}`, 'net.netfilter.nf_conntrack_tcp_timeout_established=86400', 'net.netfilter.nf_conntrack_tcp_timeout_close_wait=3600', 'net.ipv4.conf.all.route_localnet=1']);
    await Promise.all([this.services.start(), this.slices.start()]);
    this.o.proxier.onSynced();
    this.synced = true;
    this.dirty = true;
    await this.drain();
  }

  stop(): void {
    this.services.stop();
    this.slices.stop();
  }

  idle(): boolean {
    return !this.running && !(this.dirty && this.synced);
  }

  private changed(fn: () => void): void {
    fn();
    this.dirty = true;
    if (this.synced && !this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.dirty) {
        this.dirty = false;
        try {
          if (await this.o.proxier.sync()) this.syncs++;
        } catch (e) {
          this.o.log?.(`kube-proxy ${this.o.host.name}: sync failed: ${(e as Error).message}`);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
