/**
 * The versioned object store behind the API server, kept in an embedded SQLite database as k3s
 * keeps its objects through kine: every write takes the next resourceVersion from one global
 * counter, is logged as a watch event, and is committed atomically, so a failed request changes
 * nothing and a restarted podlab finds its cluster as it left it.
 *
 * Reads come from an in-memory mirror of the table (filled at open, updated on commit), so
 * listing 10,000 pods does not parse 10,000 JSON rows. Watchers get events after the commit, in
 * resourceVersion order; a watch can resume from any version still in the event log.
 */
import Database from 'better-sqlite3';
import { clone, objectKey, type KObject } from '../api/object.ts';
import { gone } from '../api/errors.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** Group-qualified resource: `pods`, `deployments.apps`. */
  resource: string;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  object: KObject;
  /** For MODIFIED and DELETED: the object before the change. */
  old?: KObject;
  rv: number;
}

export interface Watcher {
  stop(): void;
}

/** How many events the log keeps for resuming watches (kine compacts similarly). */
const EVENT_LOG_KEEP = 50_000;

interface Pending {
  events: StoreEvent[];
  /** resource → key → object (undefined: deleted) written in this transaction. */
  writes: Map<string, Map<string, KObject | undefined>>;
}

export class Store {
  private db: Database.Database;
  private mirror = new Map<string, Map<string, KObject>>();
  private watchers = new Set<(e: StoreEvent) => void>();
  private pending: Pending | undefined;
  private outbox: StoreEvent[] = [];
  private delivering = false;
  private current: number;
  private stmt: {
    put: Database.Statement;
    del: Database.Statement;
    log: Database.Statement;
    putMeta: Database.Statement;
    getMeta: Database.Statement;
    compact: Database.Statement;
  };

  private keepEvents: number;

  /**
   * `path` is a file, or `:memory:` for a store that lives as long as the process;
   * `keepEvents` is how many events the log keeps for resuming watches.
   */
  constructor(path = ':memory:', opts: { keepEvents?: number } = {}) {
    this.keepEvents = opts.keepEvents ?? EVENT_LOG_KEEP;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (resource TEXT NOT NULL, key TEXT NOT NULL, rv INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (resource, key));
      CREATE TABLE IF NOT EXISTS events (rv INTEGER PRIMARY KEY, type TEXT NOT NULL, resource TEXT NOT NULL, value TEXT NOT NULL, old TEXT);
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    `);
    this.stmt = {
      put: this.db.prepare('INSERT OR REPLACE INTO objects (resource, key, rv, value) VALUES (?, ?, ?, ?)'),
      del: this.db.prepare('DELETE FROM objects WHERE resource = ? AND key = ?'),
      log: this.db.prepare('INSERT INTO events (rv, type, resource, value, old) VALUES (?, ?, ?, ?, ?)'),
      putMeta: this.db.prepare('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)'),
      getMeta: this.db.prepare('SELECT v FROM meta WHERE k = ?'),
      compact: this.db.prepare('DELETE FROM events WHERE rv <= ?'),
    };
    const row = this.stmt.getMeta.get('rv') as { v: string } | undefined;
    this.current = row ? Number(row.v) : 1;
    for (const r of this.db.prepare('SELECT resource, key, value FROM objects').iterate() as Iterable<{ resource: string; key: string; value: string }>) {
      this.table(r.resource).set(r.key, JSON.parse(r.value) as KObject);
    }
  }

  close(): void {
    this.db.close();
  }

  /** The latest resourceVersion (what a list reports). */
  resourceVersion(): number {
    return this.current;
  }

  /** A free-form value kept with the store (allocator state, the cluster's settings). */
  getMeta(k: string): string | undefined {
    return (this.stmt.getMeta.get(`x:${k}`) as { v: string } | undefined)?.v;
  }

  setMeta(k: string, v: string): void {
    // Prepared once: the registry stores its generator's state on every write.
    this.stmt.putMeta.run(`x:${k}`, v);
  }

  get(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.peek(resource, objectKey(namespace, name));
    return o && clone(o);
  }

  /** Objects of a resource (in one namespace, or all), sorted by namespace then name as etcd returns them. */
  list(resource: string, namespace?: string): KObject[] {
    const out: KObject[] = [];
    const seen = new Set<string>();
    const pend = this.pending?.writes.get(resource);
    if (pend) {
      for (const [k, o] of pend) {
        seen.add(k);
        if (o && (!namespace || o.metadata.namespace === namespace)) out.push(clone(o));
      }
    }
    for (const [k, o] of this.table(resource)) {
      if (seen.has(k)) continue;
      if (!namespace || o.metadata.namespace === namespace) out.push(clone(o));
    }
    return out.sort((a, b) => cmp(objectKey(a.metadata.namespace, a.metadata.name ?? ''), objectKey(b.metadata.namespace, b.metadata.name ?? '')));
  }

  /** How many objects a resource has (cheap; for allocators and benchmarks). */
  count(resource: string): number {
    return this.table(resource).size;
  }

  /**
   * Runs `fn` as one transaction: every write in it commits together or not at all, and watchers
   * hear of them only after the commit. Nested calls join the outer transaction.
   */
  txn<T>(fn: () => T): T {
    if (this.pending) return fn();
    const pending: Pending = { events: [], writes: new Map() };
    this.pending = pending;
    const startRv = this.current;
    let result: T;
    try {
      result = this.db.transaction(() => {
        const r = fn();
        if (pending.events.length) {
          this.stmt.putMeta.run('rv', String(this.current));
          // Compact the log whenever this transaction crosses a multiple of 1000 versions.
          const first = pending.events[0].rv;
          const last = pending.events[pending.events.length - 1].rv;
          if (Math.floor(last / 1000) > Math.floor((first - 1) / 1000)) this.stmt.compact.run(last - this.keepEvents);
        }
        return r;
      })();
    } catch (e) {
      this.pending = undefined;
      this.current = startRv;
      throw e;
    }
    this.pending = undefined;
    for (const [resource, writes] of pending.writes) {
      const t = this.table(resource);
      for (const [k, o] of writes) {
        if (o) t.set(k, o);
        else t.delete(k);
      }
    }
    this.outbox.push(...pending.events);
    this.deliver();
    return result;
  }

  /** Stores a new object; the caller has checked it does not exist. Returns it with its resourceVersion. */
  create(resource: string, obj: KObject): KObject {
    return this.write(resource, 'ADDED', obj, undefined);
  }

  /** Replaces an existing object; the caller has checked preconditions. */
  update(resource: string, obj: KObject): KObject {
    const old = this.peek(resource, keyOf(obj));
    return this.write(resource, 'MODIFIED', obj, old);
  }

  /** Removes an object; returns it as deleted (with the deletion's resourceVersion), or undefined if absent. */
  delete(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    const old = this.peek(resource, objectKey(namespace, name));
    if (!old) return undefined;
    return this.write(resource, 'DELETED', clone(old), old);
  }

  private write(resource: string, type: WatchEventType, obj: KObject, old: KObject | undefined): KObject {
    return this.txn(() => {
      const p = this.pending!;
      const rv = ++this.current;
      const stored = clone(obj);
      stored.metadata.resourceVersion = String(rv);
      const key = keyOf(stored);
      const value = JSON.stringify(stored);
      if (type === 'DELETED') this.stmt.del.run(resource, key);
      else this.stmt.put.run(resource, key, rv, value);
      this.stmt.log.run(rv, type, resource, value, old ? JSON.stringify(old) : null);
      let w = p.writes.get(resource);
      if (!w) p.writes.set(resource, (w = new Map()));
      w.set(key, type === 'DELETED' ? undefined : stored);
      p.events.push({ type, resource, object: stored, ...(old ? { old: clone(old) } : {}), rv });
      return clone(stored);
    });
  }

  /**
   * Calls `fn` for every event after `fromRv` (from the log), then for every new one, until
   * stopped. Throws 410 Expired when `fromRv` is older than the log keeps.
   */
  watch(fromRv: number, fn: (e: StoreEvent) => void): Watcher {
    if (fromRv < this.current) {
      const oldest = (this.db.prepare('SELECT MIN(rv) AS m FROM events').get() as { m: number | null }).m;
      if (oldest === null || oldest > fromRv + 1) throw gone(`too old resource version: ${fromRv} (${this.current})`);
      const rows = this.db.prepare('SELECT rv, type, resource, value, old FROM events WHERE rv > ? ORDER BY rv').all(fromRv) as { rv: number; type: WatchEventType; resource: string; value: string; old: string | null }[];
      for (const r of rows) fn({ type: r.type, resource: r.resource, object: JSON.parse(r.value) as KObject, ...(r.old ? { old: JSON.parse(r.old) as KObject } : {}), rv: r.rv });
    }
    const w = (e: StoreEvent): void => fn(e);
    this.watchers.add(w);
    return { stop: () => void this.watchers.delete(w) };
  }

  /**
   * Hands committed events to watchers in resourceVersion order. A watcher that writes from its
   * callback commits a new transaction whose events queue behind the ones being delivered.
   */
  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let e = this.outbox.shift(); e; e = this.outbox.shift()) for (const w of [...this.watchers]) w(e);
    } finally {
      this.delivering = false;
    }
  }

  private peek(resource: string, key: string): KObject | undefined {
    const p = this.pending?.writes.get(resource);
    if (p && p.has(key)) return p.get(key);
    return this.table(resource).get(key);
  }

  private table(resource: string): Map<string, KObject> {
    let t = this.mirror.get(resource);
    if (!t) this.mirror.set(resource, (t = new Map()));
    return t;
  }
}

function keyOf(o: KObject): string {
  return objectKey(o.metadata.namespace, o.metadata.name ?? '');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
