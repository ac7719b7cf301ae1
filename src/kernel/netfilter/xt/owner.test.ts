import { test } from 'node:test';
import assert from 'node:assert/strict';
import { owner } from './owner.ts';
import type { EvalContext, ParseEnv } from './types.ts';
import type { Packet } from '../packet.ts';

const env = { table: 'filter', proto: 0, protoInv: false } as unknown as ParseEnv;
const ctx = {} as EvalContext;
const base: Packet = { src: 1, dst: 2, proto: 6, len: 60, ttl: 64, mark: 0 };

function rule(...opts: [string, string | undefined, boolean][]) {
  const d = owner.init(env);
  for (const [o, a, inv] of opts) owner.parse(d, o, a, inv, env);
  owner.final!(d, env);
  return d;
}

test('owner: uid ranges and names, gid, inversion', () => {
  const d = rule(['uid-owner', '1000-2000', false]);
  assert.equal(owner.match(d, { ...base, uid: 1500, gid: 0 }, ctx), true);
  assert.equal(owner.match(d, { ...base, uid: 33, gid: 0 }, ctx), false);
  const root = rule(['uid-owner', 'root', false], ['gid-owner', '0', true]);
  assert.equal(owner.match(root, { ...base, uid: 0, gid: 100 }, ctx), true);
  assert.equal(owner.match(root, { ...base, uid: 0, gid: 0 }, ctx), false);
});

test('owner: packets without a local socket match only fully inverted rules', () => {
  assert.equal(owner.match(rule(['uid-owner', '0', false]), base, ctx), false);
  assert.equal(owner.match(rule(['uid-owner', '0', true]), base, ctx), true);
  assert.equal(owner.match(rule(['socket-exists', undefined, true]), base, ctx), true);
  assert.equal(owner.match(rule(['socket-exists', undefined, false]), { ...base, uid: 5 }, ctx), true);
  assert.equal(owner.match(rule(['socket-exists', undefined, true]), { ...base, uid: 5 }, ctx), false);
});
