/**
 * ipvsadm's output and errors, checked against ipvsadm 1.31's format strings (this machine's
 * kernel has no IPVS, so there is no live comparison), and the kernel's schedulers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimHost } from '../../host/sim/host.ts';
import { SCHEDULERS } from '../../kernel/ipvs/index.ts';
import { ipvsOf } from '../../kernel/ipvs/packet.ts';
import { allCommands } from '../registry.ts';

async function sh(host: SimHost, line: string, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return host.run(line.split(' '), { stdin });
}

function newHost(): SimHost {
  return new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: 'node1', commands: allCommands() });
}

test('ipvsadm: seed 003 listing shape, -S, --stats and errors', async () => {
  const h = newHost();
  await sh(h, 'ipvsadm -R', '-A -u 100.64.0.10:53 -s rr\n-a -u 100.64.0.10:53 -r 100.96.1.4:53 -m\n-a -u 100.64.0.10:53 -r 100.96.1.3:53 -m\n-A -t 100.64.0.10:53 -s rr\n-a -t 100.64.0.10:53 -r 100.96.1.3:53 -m\n-a -t 100.64.0.10:53 -r 100.96.1.4:53 -m\n-A -t 100.64.0.1:443 -s rr\n-a -t 100.64.0.1:443 -r 178.128.226.86:443 -m\n');
  const ls = await sh(h, 'ipvsadm -Ln');
  assert.equal(ls.stdout.split('\n').map((l) => l.trimEnd()).join('\n'), `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  100.64.0.1:443 rr
  -> 178.128.226.86:443           Masq    1      0          0
TCP  100.64.0.10:53 rr
  -> 100.96.1.3:53                Masq    1      0          0
  -> 100.96.1.4:53                Masq    1      0          0
UDP  100.64.0.10:53 rr
  -> 100.96.1.3:53                Masq    1      0          0
  -> 100.96.1.4:53                Masq    1      0          0
`);
  assert.equal((await sh(h, 'ipvsadm -Ln -t 100.64.0.10:53')).stdout.split('\n')[2], 'TCP  100.64.0.10:53 rr');
  assert.equal((await sh(h, 'ipvsadm -Sn')).stdout.split('\n')[0], '-A -t 100.64.0.1:443 -s rr');
  assert.equal((await sh(h, 'ipvsadm -Ln --stats')).stdout.split('\n')[1], 'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes');
  assert.deepEqual(await sh(h, 'ipvsadm -A -t 100.64.0.1:443'), { code: 255, stdout: '', stderr: 'Service already exists\n' });
  assert.deepEqual(await sh(h, 'ipvsadm -d -t 100.64.0.1:443 -r 1.2.3.4'), { code: 255, stdout: '', stderr: 'No such destination\n' });
  assert.deepEqual(await sh(h, 'ipvsadm -a -t 1.1.1.1:1 -r 1.2.3.4'), { code: 255, stdout: '', stderr: 'Service not defined\n' });
  assert.deepEqual(await sh(h, 'ipvsadm -A -t 1.1.1.1:1 -s nope'), { code: 255, stdout: '', stderr: 'Scheduler or persistence engine not found\n' });
  assert.deepEqual(await sh(h, 'ipvsadm -A -t 1.1.1.1'), { code: 2, stdout: '', stderr: 'Zero port specified for non-persistent service\n' });
  assert.deepEqual(await sh(h, 'ipvsadm -L -c --stats'), { code: 2, stdout: '', stderr: 'options conflicts in the list command\n' });
  assert.equal((await sh(h, 'ipvsadm -h')).stdout.split('\n')[0], 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)');
  assert.deepEqual(await sh(h, 'ipvsadm -C'), { code: 0, stdout: '', stderr: '' });
  assert.equal((await sh(h, 'ipvsadm -Sn')).stdout, '');
});

test('schedulers: rr rotates, lc picks the least loaded, sh keeps a client on one server', () => {
  const h = newHost();
  const cfg = ipvsOf(h.machine.root).config;
  const key = { proto: 6, addr: 1, port: 80, fwmark: 0 };
  cfg.addService({ ...key, sched: 'rr', netmask: 0xffffffff });
  for (const a of [10, 11, 12]) cfg.addDest(key, { addr: a, port: 80, weight: 1, fwd: 'masq', uThreshold: 0, lThreshold: 0 });
  const svc = cfg.find(key)!;
  const rr = SCHEDULERS.get('rr')!;
  // New destinations go to the head of the kernel's list: the last added is picked first.
  assert.deepEqual([0, 1, 2, 3].map(() => rr(svc, { src: 5, dst: 1 })!.addr), [12, 11, 10, 12]);
  svc.dests.find((d) => d.addr === 12)!.activeConns = 1;
  svc.dests.find((d) => d.addr === 11)!.inactConns = 3;
  assert.equal(SCHEDULERS.get('lc')!(svc, { src: 5, dst: 1 })!.addr, 10);
  const s = SCHEDULERS.get('sh')!;
  const first = s(svc, { src: 0x0a000001, dst: 1 })!.addr;
  for (let i = 0; i < 5; i++) assert.equal(s(svc, { src: 0x0a000001, dst: 1 })!.addr, first);
  const spread = new Set(Array.from({ length: 64 }, (_, i) => s(svc, { src: 0x0a000000 + i, dst: 1 })!.addr));
  assert.equal(spread.size, 3);
});
