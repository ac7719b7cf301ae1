/**
 * `podlab apiserver`: a control plane (store, controllers, scheduler) served over HTTPS on
 * 127.0.0.1 with a kubeconfig written for it, so the real kubectl (or `podlab kubectl`) can
 * drive it. The state lives in a SQLite file when `--state` names one, and survives a restart.
 * Clusters with nodes come with `podlab create cluster`; this serves the API alone.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ControlPlane } from '../k8s/controlplane.ts';
import { makeClusterCerts } from '../k8s/apiserver/certs.ts';
import { kubeconfigYaml } from '../k8s/apiserver/kubeconfig.ts';
import { startApiServer } from '../k8s/apiserver/server.ts';

export interface ApiServeOptions {
  name: string;
  state?: string;
  port?: number;
  kubeconfig: string;
  seed?: number;
  /**
   * The address the `kubernetes` Service's endpoints name, as a cluster's nodes would reach the
   * API server (kind: the control-plane node, 172.18.0.2:6443); the API server forbids loopback there.
   */
  advertise?: string;
  /** Ends the server (SIGINT/SIGTERM in the CLI). */
  signal: AbortSignal;
  print(line: string): void;
}

export async function serveApi(o: ApiServeOptions): Promise<number> {
  const cp = new ControlPlane({ ...(o.state ? { path: o.state } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}) });
  try {
    const certs = await makeClusterCerts();
    // The token guards a real socket: it comes from the OS, not from the scenario's seeded generator.
    const token = randomBytes(24).toString('base64url');
    const server = await startApiServer(cp, { token, certs, ...(o.port !== undefined ? { port: o.port } : {}) });
    try {
      cp.bootstrap({ apiserverAddress: o.advertise ?? '172.18.0.2:6443', caPem: certs.caPem });
      writeFileSync(o.kubeconfig, kubeconfigYaml({ context: `kind-${o.name}`, server: server.url, caPem: certs.caPem, token }), { mode: 0o600 });
      chmodSync(o.kubeconfig, 0o600);
      o.print(`Kubernetes control plane is running at ${server.url}`);
      o.print(`kubeconfig for context "kind-${o.name}" written to ${o.kubeconfig}: kubectl --kubeconfig ${o.kubeconfig} get all -A`);
      if (!o.signal.aborted) await new Promise<void>((resolve) => o.signal.addEventListener('abort', () => resolve(), { once: true }));
    } finally {
      await server.close();
    }
  } finally {
    cp.close();
  }
  return 0;
}
