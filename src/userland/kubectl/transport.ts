/**
 * How podlab's kubectl reaches a cluster: HTTPS (or plain HTTP) as a kubeconfig describes it,
 * with client certificates, the bearer token and --request-timeout; or a transport podlab
 * injects (an in-process API server) for `podlab://` servers and for tests.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { Transport, TransportRequest, TransportResponse } from '../../k8s/client/client.ts';
import type { ExecIO, ExecRequest, PortForwardConn } from '../../k8s/apiserver/streams/types.ts';
import type { ClusterTarget } from './kubeconfig.ts';

/** The version podlab's kubectl reports and follows (its output is kubectl 1.32's). */
export const CLIENT_VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.5', gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
  gitTreeState: 'clean', buildDate: '2025-05-15T09:12:10Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64',
};
export const KUSTOMIZE_VERSION = 'v5.5.0';
export const USER_AGENT = `kubectl/${CLIENT_VERSION.gitVersion} (linux/amd64) kubernetes/${CLIENT_VERSION.gitCommit.slice(0, 7)}`;

/**
 * A transport that can also open exec and port-forward sessions. HTTPS transports do it with
 * WebSocket/SPDY upgrades (streams.ts); an in-process transport hands them to the pod runtime.
 */
export interface KubectlTransport extends Transport {
  /** Runs a command in a container; resolves to its exit code (throws a StatusError when the server refuses). */
  exec?(req: ExecRequest, io: ExecIO): Promise<number>;
  /** Opens one connection to a pod's port. */
  portForward?(namespace: string, pod: string, port: number): Promise<PortForwardConn>;
}

/** Given the selected cluster, the transport to use, or undefined for HTTPS/HTTP. */
export type TransportProvider = (target: ClusterTarget) => KubectlTransport | undefined;

/** A network failure, in the words kubectl's error handling uses. */
export class ConnectionError extends Error {
  constructor(message: string, readonly refused: boolean) {
    super(message);
  }
}

/** TLS and auth options of a request to `target` (shared with the upgrade requests of exec and port-forward). */
export function tlsOptions(target: ClusterTarget): RequestOptions {
  const url = new URL(target.server);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (url.protocol === 'https:' ? 443 : 80),
    ...(target.caPem ? { ca: target.caPem } : {}),
    ...(target.clientCertPem ? { cert: target.clientCertPem } : {}),
    ...(target.clientKeyPem ? { key: target.clientKeyPem } : {}),
    ...(target.tlsServerName ? { servername: target.tlsServerName } : {}),
    rejectUnauthorized: !target.insecure,
  };
}

/** Headers every request carries: the bearer token (never over plain HTTP, like kubectl) and kubectl's identification. */
export function authHeaders(target: ClusterTarget, command: string): Record<string, string> {
  const https = target.server.startsWith('https:');
  return {
    'User-Agent': USER_AGENT,
    'Kubectl-Command': command,
    ...(target.token && https ? { Authorization: `Bearer ${target.token}` } : {}),
  };
}

/** The transport to a kubeconfig's server over HTTP(S); `timeoutMs` bounds each request (0: none). */
export function networkTransport(target: ClusterTarget, command: string, timeoutMs: number): KubectlTransport {
  const url = new URL(target.server);
  const https = url.protocol === 'https:';
  const prefix = url.pathname.replace(/\/$/, '');
  const send = (req: TransportRequest, onChunk?: (c: Buffer) => void, signal?: AbortSignal): Promise<TransportResponse> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
      // A stream (watch, followed logs) lasts at most the request timeout and then ends quietly,
      // as Go's http.Client.Timeout cuts kubectl's watch; a plain request that times out fails.
      let timer: NodeJS.Timeout | undefined;
      if (onChunk && timeoutMs > 0) {
        const cut = new AbortController();
        signal?.addEventListener('abort', () => cut.abort(), { once: true });
        timer = setTimeout(() => cut.abort(), timeoutMs);
        signal = cut.signal;
      }
      const opts: RequestOptions = {
        ...(https ? tlsOptions(target) : { host: url.hostname, port: url.port || 80 }),
        method: req.method, path: prefix + req.path,
        headers: { ...authHeaders(target, command), ...(body ? { 'Content-Length': String(body.length) } : {}), ...req.headers },
        ...(signal ? { signal } : {}),
        ...(timeoutMs > 0 && !onChunk ? { timeout: timeoutMs } : {}),
      };
      const r = (https ? httpsRequest : httpRequest)(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => (onChunk && res.statusCode === 200 ? onChunk(c) : chunks.push(c)));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: flat(res.headers), body: Buffer.concat(chunks) });
        });
        res.on('error', (e) => (signal?.aborted ? resolve({ status: 200, headers: {}, body: Buffer.alloc(0) }) : reject(e)));
      });
      r.on('timeout', () => r.destroy(new ConnectionError(`Get "${target.server}${req.path}": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`, false)));
      r.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (signal?.aborted) return resolve({ status: 200, headers: {}, body: Buffer.alloc(0) });
        if (e instanceof ConnectionError) return reject(e);
        const hostPort = `${url.hostname}:${url.port || (https ? 443 : 80)}`;
        if (e.code === 'ECONNREFUSED') return reject(new ConnectionError(`The connection to the server ${hostPort} was refused - did you specify the right host or port?`, true));
        reject(new ConnectionError(`Unable to connect to the server: ${goNetError(e, hostPort)}`, false));
      });
      r.end(body);
    });
  return { request: (req) => send(req), stream: (req, onChunk, signal) => send(req, onChunk, signal) };
}

/** Node's TLS and socket failures in the words of Go's crypto/tls and net packages. */
function goNetError(e: NodeJS.ErrnoException, hostPort: string): string {
  switch (e.code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is not valid for ${hostPort.replace(/:\d+$/, '')}`;
    case 'ETIMEDOUT':
      return `dial tcp ${hostPort}: i/o timeout`;
    case 'EHOSTUNREACH':
      return `dial tcp ${hostPort}: connect: no route to host`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${hostPort.replace(/:\d+$/, '')}: no such host`;
    default:
      return e.message;
  }
}

function flat(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** kubectl's --request-timeout: `0`, an integer of seconds, or a Go duration; undefined when malformed. */
export function parseRequestTimeout(s: string | undefined): number | undefined {
  if (s === undefined || s === '' || s === '0') return 0;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(s);
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(m[1]) * unit[m[2]];
}
