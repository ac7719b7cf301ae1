/**
 * Runs the controllers (and the scheduler) against the registry: store events queue work, and
 * `settle()` reconciles until no work is left, so a run is deterministic for a seed.
 */
import type { Registry } from '../registry/registry.ts';

export class ControllerManager {
  readonly registry: Registry;
  constructor(registry: Registry) {
    this.registry = registry;
  }

  /** Reconciles until every queue is empty. */
  settle(): void {}

  stop(): void {}
}
