import { test } from 'node:test';
import assert from 'node:assert/strict';
import { log } from './log.ts';
import type { EvalContext, ParseEnv } from './types.ts';
import type { Packet } from '../packet.ts';

const env = { table: 'filter', proto: 0, protoInv: false } as unknown as ParseEnv;

test('LOG: writes the kernel line and continues', () => {
  const d = log.init(env);
  log.parse(d, 'log-prefix', 'IN: ', false, env);
  const lines: string[] = [];
  const ctx = { log: (l: string) => lines.push(l) } as unknown as EvalContext;
  const pkt: Packet = {
    src: 0x0a000001, dst: 0x0a000002, proto: 6, sport: 40000, dport: 22, tcpFlags: 0x02, len: 60, ttl: 64, mark: 0,
    inIface: 'eth0',
  };
  assert.deepEqual(log.run(d, pkt, ctx), { verdict: 'CONTINUE' });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^IN: IN=eth0 OUT= SRC=10\.0\.0\.1 DST=10\.0\.0\.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=40000 DPT=22 .*SYN /);
});
