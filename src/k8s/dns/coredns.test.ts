/**
 * The coredns program end to end: a control plane served in process, coredns spawned in a
 * namespace with that API as its in-cluster config, and dig asking it about a Service created
 * through the API (list, then watch).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resourceByPlural } from '../api/resources.ts';
import { createApiHandler } from '../apiserver/handler.ts';
import { inProcessTransport } from '../apiserver/transport.ts';
import { KubeClient } from '../client/client.ts';
import { ControlPlane } from '../controlplane.ts';
import { SimHost } from '../../host/sim/host.ts';
import { allCommands } from '../../userland/registry.ts';
import { runShell } from '../../userland/shell/index.ts';
import { corednsCommand } from './coredns.ts';

test('coredns logs its start, watches the API, and answers dig for services created before and after it started', async () => {
  const clock = Date.UTC(2024, 0, 1);
  const cp = new ControlPlane({ now: () => clock });
  cp.bootstrap({ apiserverAddress: '172.18.0.2:6443' });
  const api = inProcessTransport(createApiHandler(cp));
  const commands = new Map([...allCommands(), ['coredns', corednsCommand]]);
  const host = new SimHost({ seed: 1, clock, hostname: 'node', commands });
  const ns = host.machine.addNetns('dns');
  ns.setUp(ns.lo(), true);
  let log = '';
  const proc = await host.spawn({ argv: ['coredns', '-conf', '/etc/coredns/Corefile'], netns: 'dns', api, stdout: (t) => (log += t) });
  const sh = async (line: string): Promise<string> => {
    let out = '';
    await runShell(line, { commands, fs: host.fs, cwd: '/', env: {}, sys: host.sys, stdout: (t) => (out += t), stderr: (t) => (out += t) });
    return out;
  };
  assert.equal((await sh('ip netns exec dns dig +short @127.0.0.1 kubernetes.default.svc.cluster.local')), '10.96.0.1\n');
  assert.match(log, /^\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.11\.1\nlinux\/amd64, go1\.20\.7, ae2bbc2\n$/);
  const services = resourceByPlural('', 'services')!;
  await new KubeClient(api).create(services, 'default', { metadata: { name: 'later' }, spec: { ports: [{ port: 80 }] } });
  const ip = (await sh('ip netns exec dns dig +short @127.0.0.1 later.default.svc.cluster.local')).trim();
  assert.match(ip, /^10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/);
  proc.kill();
  assert.equal(await proc.exited, 143);
});
