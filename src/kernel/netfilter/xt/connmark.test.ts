import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connmark, connmarkTarget } from './connmark.ts';
import type { EvalContext, ParseEnv } from './types.ts';
import type { CtInfo, Packet } from '../packet.ts';

const env = { table: 'mangle', proto: 0, protoInv: false } as unknown as ParseEnv;
const ctx = {} as EvalContext;

function packet(mark: number, ctmark: number): Packet {
  const ct: CtInfo = {
    state: 'NEW', status: new Set(), dir: 'ORIGINAL', proto: 6, origSrc: 1, origDst: 2, replSrc: 2, replDst: 1, mark: ctmark,
  };
  return { src: 1, dst: 2, proto: 6, len: 60, ttl: 64, mark, ct };
}

function target(...args: [string, string | undefined][]) {
  const d = connmarkTarget.init(env);
  for (const [o, a] of args) connmarkTarget.parse(d, o, a, false, env);
  connmarkTarget.final!(d, env);
  return d;
}

test('connmark match: value under mask, inversion, no conntrack entry', () => {
  const d = connmark.init(env);
  connmark.parse(d, 'mark', '0x2/0xff', false, env);
  assert.equal(connmark.match(d, packet(0, 0x1202), ctx), true);
  assert.equal(connmark.match(d, packet(0, 0x1203), ctx), false);
  const n = connmark.init(env);
  connmark.parse(n, 'mark', '0x2/0xff', true, env);
  assert.equal(connmark.match(n, packet(0, 0x1203), ctx), true);
  assert.equal(connmark.match(d, { ...packet(0, 2), ct: undefined }, ctx), false);
});

test('CONNMARK: set, and/or/xor, save and restore with masks', () => {
  const run = (d: ReturnType<typeof target>, p: Packet): Packet => {
    assert.deepEqual(connmarkTarget.run(d, p, ctx), { verdict: 'CONTINUE' });
    return p;
  };
  assert.equal(run(target(['set-mark', '0x10/0xf0']), packet(0, 0xfff)).ct!.mark, 0xf1f);
  assert.equal(run(target(['or-mark', '0x1']), packet(0, 0x10)).ct!.mark, 0x11);
  assert.equal(run(target(['and-mark', '0xfe']), packet(0, 0x1ff)).ct!.mark, 0xfe);
  assert.equal(run(target(['xor-mark', '0x3']), packet(0, 0x1)).ct!.mark, 0x2);
  assert.equal(run(target(['save-mark', undefined], ['mask', '0xff']), packet(0xabcd, 0x1100)).ct!.mark, 0x11cd);
  const r = run(target(['restore-mark', undefined], ['ctmask', '0xff'], ['nfmask', '0xff00']), packet(0x1234, 0x56));
  // ctmark & ctmask = 0x56, placed under nfmask 0xff00: nothing survives.
  assert.equal(r.mark, 0x0034);
  assert.equal(run(target(['restore-mark', undefined]), packet(0, 0x77)).mark, 0x77);
});
