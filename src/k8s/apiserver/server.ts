/**
 * The API server on the network: HTTPS on 127.0.0.1 only, a bearer token, the request handler
 * (handler.ts) for everything but upgrades, and the `upgrade` event for exec and port-forward,
 * handed to the streaming protocols (streams/). Long responses (watch, followed logs) get their
 * headers flushed at once and end when the client leaves.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { StatusError, badRequest } from '../api/errors.ts';
import { resourceByPlural } from '../api/resources.ts';
import type { ControlPlane } from '../controlplane.ts';
import type { ClusterCerts } from './certs.ts';
import { createApiHandler, type ServerVersion } from './handler.ts';
import { pickContainer } from './logs.ts';
import type { ApiHandler, ApiResponse } from './respond.ts';
import type { PodRuntime } from './runtime.ts';
import { handleExecUpgrade, handlePortForwardUpgrade, parseExecQuery, rejectUpgrade } from './streams/index.ts';

export interface ApiServerOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /** The server binds the loopback address only; nothing else is accepted. */
  host?: '127.0.0.1';
  token: string;
  certs: ClusterCerts;
  runtime?: PodRuntime;
  version?: ServerVersion;
  now?: () => number;
  bookmarkIntervalMs?: number;
  /** Requests bodies larger than this are refused with 413 (upstream's limit is 3 MiB per object). */
  maxBodyBytes?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Paths the real API server answers without credentials (the system:public-info-viewer role). */
const PUBLIC = new Set(['/version', '/healthz', '/livez', '/readyz']);

const UNAUTHORIZED = new StatusError(401, 'Unauthorized', 'Unauthorized');

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function flatHeaders(h: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function send(res: ServerResponse, out: ApiResponse, signal: AbortSignal): Promise<void> {
  res.writeHead(out.status, out.headers);
  if (!out.stream) {
    res.end(out.body ?? '');
    return;
  }
  // Node holds the headers until the first chunk; a quiet watch would leave kubectl waiting.
  res.flushHeaders();
  try {
    await out.stream((chunk) => {
      if (!res.destroyed) res.write(chunk);
    }, signal);
  } finally {
    if (!res.writableEnded) res.end();
  }
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/;

export async function startApiServer(cp: ControlPlane, opts: ApiServerOptions): Promise<ApiServer> {
  const handler: ApiHandler = createApiHandler(cp, {
    ...(opts.runtime ? { runtime: opts.runtime } : {}),
    ...(opts.version ? { version: opts.version } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.bookmarkIntervalMs ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  const limit = opts.maxBodyBytes ?? 3 * 1024 * 1024;
  const server: Server = createServer({ cert: opts.certs.certPem, key: opts.certs.keyPem });

  // Requests in flight, so close() can end long responses (watches) cleanly before the sockets go.
  const active = new Map<AbortController, Promise<void>>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // The request's own 'close' fires once it is read; only the response's says the client left.
    const ac = new AbortController();
    active.set(ac, new Promise<void>((resolve) => res.on('close', () => {
      ac.abort();
      active.delete(ac);
      resolve();
    })));
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      let out: ApiResponse;
      if (!PUBLIC.has(url.pathname) && !tokenMatches(req.headers.authorization, opts.token)) {
        req.resume();
        out = { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify(UNAUTHORIZED.status()) };
      } else {
        const body = await readBody(req, limit);
        if (!body) {
          const e = new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
          out = { status: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify(e.status()) };
        } else {
          out = await handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: flatHeaders(req.headers), body, signal: ac.signal });
        }
      }
      await send(res, out, ac.signal);
    })().catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`).status()));
      } else {
        res.destroy();
      }
    });
  });

  // Upgraded sockets leave the server's bookkeeping, so close() tracks them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    try {
      if (!tokenMatches(req.headers.authorization, opts.token)) throw UNAUTHORIZED;
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const m = STREAM_PATH.exec(url.pathname);
      if (!m) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      const [namespace, name, what] = [decodeURIComponent(m[1]), decodeURIComponent(m[2]), m[3]];
      const pod = cp.registry.get(resourceByPlural('', 'pods')!, namespace, name);
      if (!opts.runtime) throw badRequest(`pod ${name} does not have a host assigned`);
      if (what === 'portforward') {
        handlePortForwardUpgrade(req, socket, head, namespace, name, opts.runtime.portForward);
      } else if (what === 'exec') {
        const exec = parseExecQuery(url, namespace, name);
        exec.container = pickContainer(pod, exec.container);
        handleExecUpgrade(req, socket, head, exec, opts.runtime.exec);
      } else {
        throw badRequest('attach is not supported by podlab; use kubectl exec');
      }
    } catch (e) {
      rejectUpgrade(socket, e instanceof StatusError ? e : new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
    }
  });
  server.on('clientError', (_e, socket: Duplex) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const s of upgraded) s.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Watches and followed logs end their responses when aborted; then the sockets can go.
      const pending = [...active.values()];
      for (const ac of active.keys()) ac.abort();
      await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, 1000))]);
      server.closeAllConnections();
      await closed;
    },
  };
}
