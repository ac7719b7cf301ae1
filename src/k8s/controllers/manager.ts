/**
 * Runs the controllers (and the scheduler) against the registry: store events queue work, and
 * `settle()` reconciles until no work is left, so a run is deterministic for a seed.
 *
 * Every controller has its own de-duplicating queue. The manager subscribes to the store; each
 * committed event is offered to every controller, which only maps it to keys (no writes from
 * the callback). `settle()` then works in rounds: in a fixed controller order, each controller
 * takes the keys queued at its turn and reconciles them; keys added meanwhile wait for the next
 * round. It stops when every queue is empty, or after `maxRounds` with an error logged. No
 * timers and no promises: keys due later (minReadySeconds, progress deadlines) wait until a
 * `settle()` finds the clock past their time.
 */
import type { Registry } from '../registry/registry.ts';
import type { StoreEvent, Watcher } from '../store/store.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { KubernetesServiceController, bootstrap, type BootstrapOptions } from './bootstrap.ts';
import { ObjectCache } from './cache.ts';
import { WorkQueue, type Controller, type ControllerContext } from './controller.ts';
import { DeploymentController } from './deployment.ts';
import { EndpointsController } from './endpoints.ts';
import { EndpointSliceController } from './endpointslice.ts';
import { EventRecorder } from './events.ts';
import { GarbageCollector } from './garbagecollector.ts';
import { EndpointSliceMirroringController } from './mirroring.ts';
import { NamespaceController } from './namespace.ts';
import { REPLICASET, REPLICATIONCONTROLLER, ReplicaSetController } from './replicaset.ts';
import { RootCAPublisher } from './rootca.ts';
import { ServiceAccountController } from './serviceaccount.ts';

export type { BootstrapOptions } from './bootstrap.ts';

/** The controllers in the order each round runs them: cleanup first, then workloads, placement, and service plumbing. */
export const CONTROLLERS = [
  'namespace', 'garbagecollector', 'serviceaccount', 'root-ca-cert-publisher', 'deployment', 'replicaset', 'replicationcontroller',
  'scheduler', 'endpoint', 'endpointslice', 'endpointslicemirroring', 'bootstrap-controller',
] as const;

export type ControllerName = (typeof CONTROLLERS)[number];

export interface ControllerManagerOptions {
  /** The controllers to run (all when absent). */
  controllers?: readonly ControllerName[];
  /** Where recovered errors are reported (standard error when absent). */
  log?: (msg: string) => void;
  /** Rounds after which `settle()` gives up (a controller that never converges). */
  maxRounds?: number;
  /** Attempts at a failing key within one `settle()`. */
  maxRetries?: number;
}

export interface SettleResult {
  /** Whether every queue emptied (false: the round limit was hit). */
  settled: boolean;
  rounds: number;
  reconciles: number;
  /** Keys waiting for a later time (minReadySeconds, progress deadlines). */
  waiting: number;
}

export class ControllerManager {
  readonly registry: Registry;
  readonly recorder: EventRecorder;
  readonly cache: ObjectCache;
  /** The last errors reported (at most 100), for tests and diagnostics. */
  readonly errors: string[] = [];
  private readonly entries: { c: Controller; q: WorkQueue }[] = [];
  private readonly watcher: Watcher;
  private readonly maxRounds: number;
  private readonly maxRetries: number;
  private readonly logFn: (msg: string) => void;
  private settling = false;
  /** The resourceVersion of the last event handed to the controllers. */
  private seenRv: number;
  private bootstrapCtl: KubernetesServiceController | undefined;
  private rootCA: RootCAPublisher | undefined;

  constructor(registry: Registry, opts: ControllerManagerOptions = {}) {
    this.registry = registry;
    this.maxRounds = opts.maxRounds ?? 1000;
    this.maxRetries = opts.maxRetries ?? 5;
    this.logFn = opts.log ?? ((m) => process.stderr.write(`podlab controller-manager: ${m}\n`));
    const log = (m: string): void => this.log(m);
    this.recorder = new EventRecorder(registry, log);
    // The cache reads the store now and follows its events from here (nothing can be written in
    // between: all of this is synchronous).
    this.cache = new ObjectCache(registry.store);
    this.seenRv = registry.store.resourceVersion();
    this.watcher = registry.store.watch(registry.store.resourceVersion(), (e) => this.dispatch(e));
    const enabled = new Set<string>(opts.controllers ?? CONTROLLERS);
    for (const name of CONTROLLERS) {
      if (!enabled.has(name)) continue;
      const q = new WorkQueue();
      const ctx: ControllerContext = { registry, recorder: this.recorder, queue: q, cache: this.cache, log };
      const c = this.make(name, ctx);
      this.entries.push({ c, q });
    }
    for (const { c } of this.entries) c.start();
  }

  private make(name: ControllerName, ctx: ControllerContext): Controller {
    switch (name) {
      case 'namespace': return new NamespaceController(ctx);
      case 'garbagecollector': return new GarbageCollector(ctx);
      case 'serviceaccount': return new ServiceAccountController(ctx);
      case 'root-ca-cert-publisher': return (this.rootCA = new RootCAPublisher(ctx));
      case 'deployment': return new DeploymentController(ctx);
      case 'replicaset': return new ReplicaSetController(ctx, REPLICASET);
      case 'replicationcontroller': return new ReplicaSetController(ctx, REPLICATIONCONTROLLER);
      case 'scheduler': return new Scheduler(ctx);
      case 'endpoint': return new EndpointsController(ctx);
      case 'endpointslice': return new EndpointSliceController(ctx);
      case 'endpointslicemirroring': return new EndpointSliceMirroringController(ctx);
      case 'bootstrap-controller': return (this.bootstrapCtl = new KubernetesServiceController(ctx));
    }
  }

  /**
   * Creates the cluster's initial objects (system namespaces, the `kubernetes` Service and, with
   * `apiserverAddress`, its Endpoints and EndpointSlice) and keeps them so from now on; with
   * `caPem`, publishes `kube-root-ca.crt` in every namespace. Then settles.
   */
  bootstrap(opts: BootstrapOptions = {}): SettleResult {
    bootstrap(this.registry, opts);
    this.bootstrapCtl?.configure(opts);
    this.rootCA?.configure(opts.caPem);
    return this.settle();
  }

  private dispatch(e: StoreEvent): void {
    // An event already taken from the log by catchUp() is not handled twice.
    if (e.rv <= this.seenRv) return;
    this.seenRv = e.rv;
    this.cache.apply(e);
    for (const { c } of this.entries) {
      try {
        c.observe(e);
      } catch (err) {
        this.log(`${c.name}: observing ${e.type} ${e.resource} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Handles committed events the store has not delivered yet. When settle() runs inside another
   * watcher's callback, the store queues the events of our own writes behind that callback;
   * reading them from its log keeps the cache and the queues current, so a reconcile never acts
   * on a state older than its own writes (which would, say, create a ReplicaSet's pods twice).
   */
  private catchUp(): void {
    const store = this.registry.store;
    if (store.resourceVersion() <= this.seenRv) return;
    try {
      store.watch(this.seenRv, (e) => this.dispatch(e)).stop();
    } catch (err) {
      this.log(`catching up with the store: ${(err as Error).message}`);
      this.cache.sync();
    }
  }

  private log(msg: string): void {
    this.errors.push(msg);
    if (this.errors.length > 100) this.errors.shift();
    this.logFn(msg);
  }

  /** Reconciles until every queue is empty (see the module comment). */
  settle(): SettleResult {
    const result: SettleResult = { settled: true, rounds: 0, reconciles: 0, waiting: 0 };
    // A controller's write inside settle() delivers events, not a nested settle.
    if (this.settling) return result;
    this.settling = true;
    const failures = new Map<string, number>();
    try {
      for (;;) {
        this.catchUp();
        this.promoteDue();
        if (this.entries.every(({ q }) => q.size === 0)) break;
        if (result.rounds >= this.maxRounds) {
          result.settled = false;
          const busy = this.entries.filter(({ q }) => q.size).map(({ c, q }) => `${c.name}=${q.size}`).join(' ');
          this.log(`controllers did not settle after ${this.maxRounds} rounds; still queued: ${busy}`);
          break;
        }
        result.rounds++;
        for (const { c, q } of this.entries) {
          for (const key of q.take()) {
            result.reconciles++;
            try {
              this.catchUp();
              c.reconcile(key);
            } catch (err) {
              const id = `${c.name}\u0000${key}`;
              const n = (failures.get(id) ?? 0) + 1;
              failures.set(id, n);
              if (n < this.maxRetries) {
                this.log(`${c.name} ${key}: ${(err as Error).message} (retrying)`);
                q.add(key);
              } else {
                this.log(`${c.name} ${key}: ${(err as Error).message} (giving up after ${n} attempts)`);
              }
            }
          }
        }
      }
    } finally {
      this.settling = false;
    }
    result.waiting = this.entries.reduce((n, { q }) => n + q.waiting, 0);
    return result;
  }

  /** The earliest time (ms) a waiting key falls due, if any: when a caller should settle again. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const { q } of this.entries) {
      const t = q.nextDue();
      if (t !== undefined && (min === undefined || t < min)) min = t;
    }
    return min;
  }

  private promoteDue(): void {
    if (!this.entries.some(({ q }) => q.waiting)) return;
    const now = this.registry.now();
    for (const { q } of this.entries) if (q.waiting) q.promote(now);
  }

  stop(): void {
    this.watcher.stop();
  }
}
