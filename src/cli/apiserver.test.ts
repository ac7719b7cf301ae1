import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveApi } from './apiserver.ts';
import { noKubectl, runKubectl } from '../../test/support/kubectl.ts';

test('podlab apiserver serves a control plane the real kubectl reaches through the kubeconfig it writes, and keeps state across restarts', { skip: noKubectl() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-apiserver-'));
  const env = { kubeconfig: join(dir, 'kubeconfig'), home: dir, cleanup: () => undefined };
  try {
    for (const round of [1, 2]) {
      const ac = new AbortController();
      let up!: () => void;
      const ready = new Promise<void>((r) => (up = r));
      const lines: string[] = [];
      const done = serveApi({ name: 'lab', state: join(dir, 'state.db'), kubeconfig: env.kubeconfig, signal: ac.signal, print: (l) => { lines.push(l); if (l.startsWith('kubeconfig')) up(); } });
      await ready;
      assert.equal(statSync(env.kubeconfig).mode & 0o777, 0o600);
      assert.match(lines[0], /^Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+$/);
      if (round === 1) {
        const c = await runKubectl(env, ['create', 'configmap', 'kept', '--from-literal=a=b']);
        assert.equal(c.stdout, 'configmap/kept created\n', c.stderr);
      }
      const g = await runKubectl(env, ['get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}']);
      assert.equal(g.stdout, 'b', g.stderr);
      const ctx = await runKubectl(env, ['config', 'current-context']);
      assert.equal(ctx.stdout, 'kind-lab\n');
      ac.abort();
      assert.equal(await done, 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
