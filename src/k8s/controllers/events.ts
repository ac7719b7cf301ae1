/**
 * Records core/v1 Events for the controllers as client-go's event recorder does: an Event named
 * `<object>.<unix nanoseconds in hex>` in the object's namespace, with involvedObject, reason,
 * message, source.component, first/lastTimestamp and count; a repeat of the same event from
 * the same source about the same object bumps count and lastTimestamp instead (EventCorrelator).
 */
import { StatusError } from '../api/errors.ts';
import { rfc3339, type KObject } from '../api/object.ts';
import type { Registry } from '../registry/registry.ts';
import { R } from './util.ts';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private readonly registry: Registry;
  /** correlation key → the Event it was recorded as (namespace, name). */
  private seen = new Map<string, [string, string]>();
  private lastNanos = 0n;
  private readonly log: (msg: string) => void;

  constructor(registry: Registry, log: (msg: string) => void = () => {}) {
    this.registry = registry;
    this.log = log;
  }

  /**
   * Records an event about `obj` (an object as the registry returns it, with apiVersion and
   * kind). Failures are logged, never thrown: an event is never worth failing a sync for
   * (and creating one in a terminating namespace is refused).
   */
  record(obj: KObject, type: EventType, reason: string, message: string, component: string): void {
    try {
      this.write(obj, type, reason, message, component);
    } catch (e) {
      // A namespace being deleted refuses new events; upstream's broadcaster drops them too.
      if (e instanceof StatusError && e.code === 403) return;
      this.log(`event ${reason} for ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: ${(e as Error).message}`);
    }
  }

  private write(obj: KObject, type: EventType, reason: string, message: string, component: string): void {
    const m = obj.metadata;
    const ref = {
      kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion,
    };
    // Events about cluster-scoped objects (nodes, namespaces) live in `default`.
    const namespace = m.namespace || 'default';
    const key = [component, ref.kind, ref.namespace ?? '', ref.name, ref.uid, ref.apiVersion, type, reason, message].join('\u0000');
    const nowMs = this.registry.now();
    const now = rfc3339(nowMs);
    const prior = this.seen.get(key);
    if (prior) {
      const ev = this.registry.tryGet(R.events, prior[0], prior[1]);
      if (ev) {
        ev.count = ((ev.count as number | undefined) ?? 1) + 1;
        ev.lastTimestamp = now;
        ev.involvedObject = { ...(ev.involvedObject as object), resourceVersion: ref.resourceVersion };
        this.registry.update(R.events, prior[0], prior[1], ev);
        return;
      }
    }
    const name = `${m.name}.${this.nanos(nowMs).toString(16)}`;
    this.registry.create(R.events, namespace, {
      metadata: { name, namespace },
      involvedObject: stripUndefined(ref),
      reason,
      message,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    });
    this.seen.set(key, [namespace, name]);
    // The correlator's cache is an LRU of 4096 entries upstream; the oldest goes first here.
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
  }

  /** Unix nanoseconds for an event name, strictly increasing so two events in one millisecond get distinct names. */
  private nanos(ms: number): bigint {
    let n = BigInt(Math.floor(ms)) * 1_000_000n;
    if (n <= this.lastNanos) n = this.lastNanos + 1n;
    this.lastNanos = n;
    return n;
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
