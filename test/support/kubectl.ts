// Runs the real kubectl against a podlab (or a stub) API server: finds a kubectl binary, gives
// each run a throw-away HOME (kubectl caches discovery there for 6 hours) and a kubeconfig.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClusterCerts, type ClusterCerts } from '../../src/k8s/apiserver/certs.ts';
import { kubeconfigYaml } from '../../src/k8s/apiserver/kubeconfig.ts';
import { AGGREGATED_V2, AGGREGATED_V2BETA1, aggregatedDiscovery, aggregatedVersion } from '../../src/k8s/apiserver/discovery.ts';

const SDK = '/usr/lib/google-cloud-sdk/bin';

/** The kubectl of a minor version (1.27–1.33 on these machines), or the one on PATH; undefined if none. */
export function kubectlBinary(minor = 32): string | undefined {
  const exact = join(SDK, `kubectl.1.${minor}`);
  if (existsSync(exact)) return exact;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, 'kubectl');
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Why kubectl tests are skipped here, or false when they can run. */
export function noKubectl(minor = 32): string | false {
  return kubectlBinary(minor) ? false : 'no kubectl on this machine (install kubernetes-client or the Google Cloud SDK kubectl)';
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface KubectlEnv {
  kubeconfig: string;
  home: string;
  cleanup(): void;
}

let shared: Promise<ClusterCerts> | undefined;
/** One CA and serving certificate for every test server in this process. */
export function testCerts(): Promise<ClusterCerts> {
  return (shared ??= makeClusterCerts());
}

/** A HOME and a kubeconfig (mode 0600) pointing at `server` with `token`. */
export function kubectlEnv(server: string, caPem: string, token: string, context = 'kind-podlab'): KubectlEnv {
  const home = mkdtempSync(join(tmpdir(), 'podlab-kubectl-'));
  const kubeconfig = join(home, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml({ context, server, caPem, token }));
  chmodSync(kubeconfig, 0o600);
  return { kubeconfig, home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Runs kubectl with `args`; resolves with its output and exit code (never rejects on a non-zero exit). */
export function runKubectl(env: KubectlEnv, args: string[], opts: { stdin?: string; minor?: number; extraEnv?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const bin = kubectlBinary(opts.minor);
  if (!bin) throw new Error('no kubectl');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--kubeconfig', env.kubeconfig, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env.home, KUBECONFIG: env.kubeconfig, ...opts.extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? (signal ? 128 + 9 : 1) });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

export interface StubServer {
  url: string;
  env: KubectlEnv;
  /** Every request seen, with its body. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[];
  close(): Promise<void>;
}

export type StubHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => boolean | void | Promise<boolean | void>;

/** Takes over an HTTP `upgrade` (exec, port-forward); the socket is destroyed when the stub closes. */
export type StubUpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * An HTTPS server on 127.0.0.1 that answers /version (minor `minor`) and aggregated discovery
 * from podlab's resource table, and hands every other request to `handler` (404 Status when it
 * returns false), and every `upgrade` to `opts.onUpgrade` (when given). For tests of one
 * client-facing piece before the whole API server is involved.
 */
export async function startStubServer(handler: StubHandler, opts: { minor?: number; token?: string; onUpgrade?: StubUpgradeHandler } = {}): Promise<StubServer> {
  const certs = await testCerts();
  const token = opts.token ?? 'podlab-test-token';
  const requests: StubServer['requests'] = [];
  const server: Server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      void (async () => {
        const path = (req.url ?? '').split('?')[0];
        if (path === '/version') return json(res, 200, { major: '1', minor: String(opts.minor ?? 32), gitVersion: `v1.${opts.minor ?? 32}.0`, gitCommit: 'podlab', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64' });
        if (path === '/api' || path === '/apis') {
          const v = aggregatedVersion(req.headers.accept);
          if (v) {
            res.writeHead(200, { 'Content-Type': v === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1 });
            return res.end(JSON.stringify(aggregatedDiscovery(path === '/api', v)));
          }
        }
        const handled = await handler(req, body, res);
        if (handled === false) notFoundReply(res);
      })().catch((e: unknown) => {
        if (!res.headersSent) json(res, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), code: 500 });
      });
    });
  });
  // Upgraded sockets leave the server's bookkeeping, so closeAllConnections() would not reach them.
  const upgraded = new Set<Duplex>();
  const onUpgrade = opts.onUpgrade;
  if (onUpgrade) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.alloc(0) });
      upgraded.add(socket);
      socket.on('close', () => upgraded.delete(socket));
      onUpgrade(req, socket, head);
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}`;
  const env = kubectlEnv(url, certs.caPem, token);
  return {
    url, env, requests,
    close: () => new Promise<void>((resolve) => {
      env.cleanup();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function notFoundReply(res: ServerResponse): void {
  json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}
