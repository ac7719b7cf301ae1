/**
 * What differs per resource in the generic create/update/delete flow (upstream's
 * rest.RESTCreateStrategy and friends): defaulting, validation, status handling, allocations
 * and their release. The registry runs the same steps for every resource and asks the strategy
 * at each one.
 */
import type { FieldError } from '../api/errors.ts';
import type { KObject } from '../api/object.ts';
import type { Rng } from '../../kernel/rng.ts';
import type { Store } from '../store/store.ts';

export interface StrategyContext {
  store: Store;
  rng: Rng;
  /** Milliseconds since the epoch. */
  now: number;
  /** The cluster's settings strategies need (service CIDR, node port range). */
  config: ClusterApiConfig;
}

export interface ClusterApiConfig {
  /** Service CIDRs, IPv4 first (`10.96.0.0/12`). */
  serviceCIDR: string;
  /** `30000-32767`. */
  nodePortRange: [number, number];
  /** The cluster domain for DNS names (`cluster.local`). */
  clusterDomain: string;
}

export interface Strategy {
  /** Whether the resource has a status subresource: then the main resource's writes keep the old status and status writes keep everything else. */
  hasStatus?: boolean;
  /** Whether `metadata.generation` follows spec changes (resources with a spec). */
  generation?: boolean;
  /** Clears what a client may not set on create (status), before defaulting. */
  prepareForCreate?(obj: KObject, ctx: StrategyContext): void;
  prepareForUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): void;
  /** The API's defaulting (SetDefaults_*), on every create and update. */
  defaults?(obj: KObject, ctx: StrategyContext): void;
  validate?(obj: KObject, ctx: StrategyContext): FieldError[];
  validateUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): FieldError[];
  /** Allocations made inside the write's transaction (cluster IPs, node ports); may throw a StatusError. */
  allocate?(obj: KObject, old: KObject | undefined, ctx: StrategyContext): void;
  /** Releases what `allocate` took when the object goes away (inside the transaction). */
  release?(old: KObject, ctx: StrategyContext): void;
  /** For graceful deletion (pods on a node): the grace period in seconds, or undefined to delete at once. */
  gracePeriod?(obj: KObject, requested: number | undefined): number | undefined;
}
