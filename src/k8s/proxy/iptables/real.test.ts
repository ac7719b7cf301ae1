// The real kernel as the oracle: the same proxier drives a simulated node and a throw-away
// network namespace on this machine (through a minimal Host that runs each command inside it),
// and `iptables-save` must print the same on both (timestamps and counters aside). Needs root,
// iptables and iproute2; skipped otherwise. Never touches the machine's own namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Host, RunResult } from '../../../host/host.ts';
import { RealNetns, realUnavailable } from '../../../../test/support/real.ts';
import type { KObject } from '../../api/object.ts';
import { makeService, simpleSlice, TEST_NODE } from '../testkit.ts';
import { overallObjects } from './fixtures.ts';
import { IptablesProxier } from './proxier.ts';
import { NODE_IP, testNode } from './testkit.ts';

const skip = realUnavailable();

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Just enough of a Host for a proxier: run() inside the namespace; the rest is not used. */
function netnsHost(ns: RealNetns): Host {
  const unused = (): never => {
    throw new Error('not used by the proxier');
  };
  return {
    name: TEST_NODE,
    run(argv: string[], opts = {}): Promise<RunResult> {
      const r = ns.run(argv.map(quote).join(' '), opts.stdin);
      return Promise.resolve({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    },
    spawn: unused,
    readFile: unused,
    writeFile: unused,
    removeFile: unused,
    listDir: unused,
    connect: unused,
    now: () => Date.UTC(2024, 0, 1),
    sleep: () => Promise.resolve(),
  };
}

/** iptables-save without what legitimately differs: the header/footer comment lines and counters. */
function normalise(save: string): string {
  return save
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n');
}

type Step = (p: IptablesProxier) => void;

/** Runs the same steps (each followed by a sync) on both hosts and compares iptables-save after each. */
async function differential(objects: KObject[], steps: Step[]): Promise<void> {
  const sim = testNode(objects, { log: () => {} });
  await withNetnsAsync(async (ns) => {
    ns.run('ip link set lo up');
    const real = new IptablesProxier({ host: netnsHost(ns), nodeName: TEST_NODE, nodeIPs: [NODE_IP], clusterCIDR: '10.0.0.0/8' });
    for (const o of objects) {
      if (o.kind === 'Service') real.onServiceAdd(o);
      else real.onEndpointSliceAdd(o);
    }
    real.onSynced();
    for (const [i, step] of [() => {}, ...steps].entries()) {
      step(sim.proxier);
      step(real);
      assert.equal(await sim.proxier.sync(), true, `sim sync ${i}`);
      assert.equal(await real.sync(), true, `real sync ${i}: ${real.lastSync?.text ?? ''}`);
      assert.equal(sim.proxier.lastSync!.text, real.lastSync!.text, `restore text ${i}`);
      const simSave = (await sim.host.run(['iptables-save'])).stdout;
      const realSave = ns.run('iptables-save').stdout;
      assert.equal(normalise(simSave), normalise(realSave), `iptables-save after sync ${i}`);
    }
  });
}

/** withNetns for an async body: the namespace is always deleted once the body settles. */
async function withNetnsAsync(fn: (ns: RealNetns) => Promise<void>): Promise<void> {
  const ns = new RealNetns();
  try {
    await fn(ns);
  } finally {
    ns.close();
  }
}

test('real iptables-restore accepts the overall fixture and iptables-save matches the sim', { skip }, async () => {
  await differential(overallObjects(), []);
});

test('real and sim agree through partial syncs: an endpoint added, one removed, a Service deleted', { skip }, async () => {
  const svc = (name: string, ip: string): KObject => makeService('ns', name, (s) => { s.spec!.clusterIP = ip; s.spec!.ports = [{ name: 'p', port: 80, protocol: 'TCP' }]; });
  const slice = (name: string, ips: string[]): KObject => simpleSlice('ns', name, { name: 'p', port: 80 }, ips);
  await differential([svc('a', '172.30.0.1'), slice('a', ['10.0.1.1']), svc('b', '172.30.0.2'), slice('b', ['10.0.2.1', '10.0.2.2'])], [
    (p) => p.onEndpointSliceUpdate(slice('b', []), slice('b', ['10.0.2.1', '10.0.2.2', '10.0.2.3'])),
    (p) => p.onEndpointSliceUpdate(slice('b', []), slice('b', ['10.0.2.3'])),
    (p) => p.onServiceDelete(svc('a', '172.30.0.1')),
  ]);
});
