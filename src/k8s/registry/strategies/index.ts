/**
 * The strategy of every resource, keyed by group-qualified resource (`pods`, `deployments.apps`).
 */
import type { Strategy } from '../strategy.ts';

export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map<string, Strategy>();
