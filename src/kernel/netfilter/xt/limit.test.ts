import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limit } from './limit.ts';
import type { EvalContext, ParseEnv } from './types.ts';
import type { Packet } from '../packet.ts';

const env = { table: 'filter', proto: 0, protoInv: false } as unknown as ParseEnv;
const pkt: Packet = { src: 0, dst: 0, proto: 6, len: 60, ttl: 64, mark: 0 };

function ctxAt(clock: { t: number }): EvalContext {
  const st = new Map<string, unknown>();
  return {
    hook: 'INPUT', table: 'filter', addrType: () => 0, now: () => clock.t, random32: () => 0, log: () => {},
    state<T>(k: string, init: () => T): T {
      if (!st.has(k)) st.set(k, init());
      return st.get(k) as T;
    },
  };
}

test('limit: a burst of 3 then one packet per second', () => {
  const d = limit.init(env);
  limit.parse(d, 'limit', '1/s', false, env);
  limit.parse(d, 'limit-burst', '3', false, env);
  const clock = { t: 1_000_000 };
  const ctx = ctxAt(clock);
  const first = [1, 2, 3, 4].map(() => limit.match(d, pkt, ctx));
  assert.deepEqual(first, [true, true, true, false]);
  clock.t += 999;
  assert.equal(limit.match(d, pkt, ctx), false);
  clock.t += 1;
  assert.equal(limit.match(d, pkt, ctx), true);
  assert.equal(limit.match(d, pkt, ctx), false);
  // A long pause refills the bucket only up to the burst.
  clock.t += 60_000;
  assert.deepEqual([1, 2, 3, 4].map(() => limit.match(d, pkt, ctx)), [true, true, true, false]);
});

test('limit: each rule has its own bucket', () => {
  const a = limit.init(env);
  const b = limit.init(env);
  limit.parse(a, 'limit-burst', '1', false, env);
  limit.parse(b, 'limit-burst', '1', false, env);
  const ctx = ctxAt({ t: 0 });
  assert.equal(limit.match(a, pkt, ctx), true);
  assert.equal(limit.match(a, pkt, ctx), false);
  assert.equal(limit.match(b, pkt, ctx), true);
});

test('limit: texts after the nft round trip', () => {
  const d = limit.init(env);
  limit.parse(d, 'limit', '7/m', false, env);
  limit.parse(d, 'limit-burst', '0', false, env);
  const penv = { numeric: false, names: undefined as never, proto: 0 };
  assert.equal(limit.print(d, penv), ' limit: avg 7/min burst 5');
  assert.equal(limit.save(d, penv), ' --limit 7/min');
});
