/**
 * One cluster's control plane in process: the store (SQLite file or memory), the registry with
 * every resource's strategy and the patch algorithms, and the controllers and scheduler. The
 * API server serves it over HTTPS; `podlab kubectl` and the cluster use it directly.
 */
import { Rng } from '../kernel/rng.ts';
import { Store } from './store/store.ts';
import { Registry, type Patcher } from './registry/registry.ts';
import type { ClusterApiConfig } from './registry/strategy.ts';
import { STRATEGIES } from './registry/strategies/index.ts';
import { patcher } from './registry/patcher.ts';
import { ControllerManager, type BootstrapOptions, type ControllerManagerOptions, type SettleResult } from './controllers/manager.ts';

export interface ControlPlaneOptions {
  /** SQLite file keeping the cluster's objects; memory when absent. */
  path?: string;
  seed?: number;
  /** Milliseconds since the epoch; the wall clock when absent. */
  now?: () => number;
  config?: Partial<ClusterApiConfig>;
  patcher?: Patcher;
  /** Which controllers run, where their errors go, how long settle() may take. */
  controllers?: ControllerManagerOptions;
}

export const DEFAULT_API_CONFIG: ClusterApiConfig = {
  serviceCIDR: '10.96.0.0/12',
  nodePortRange: [30000, 32767],
  clusterDomain: 'cluster.local',
};

export class ControlPlane {
  readonly store: Store;
  readonly registry: Registry;
  readonly controllers: ControllerManager;
  readonly config: ClusterApiConfig;

  constructor(o: ControlPlaneOptions = {}) {
    this.store = new Store(o.path ?? ':memory:');
    this.config = { ...DEFAULT_API_CONFIG, ...o.config };
    const saved = this.store.getMeta('rng');
    this.registry = new Registry({
      store: this.store,
      rng: saved ? new Rng(JSON.parse(saved) as number[]) : new Rng(o.seed ?? 1),
      now: o.now ?? (() => Date.now()),
      config: this.config,
      strategies: STRATEGIES,
      patcher: o.patcher ?? patcher,
    });
    this.controllers = new ControllerManager(this.registry, o.controllers);
  }

  /**
   * Creates what a new cluster has (the system namespaces, the `kubernetes` Service and, given
   * the API server's address, its Endpoints and EndpointSlice; `kube-root-ca.crt` given the CA)
   * and keeps it so; safe on every start. Settles the controllers.
   */
  bootstrap(opts: BootstrapOptions = {}): SettleResult {
    return this.controllers.bootstrap(opts);
  }

  /** Runs the controllers and the scheduler until nothing is left to do. */
  settle(): SettleResult {
    return this.controllers.settle();
  }

  close(): void {
    this.controllers.stop();
    this.store.close();
  }
}
