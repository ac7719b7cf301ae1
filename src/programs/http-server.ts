/**
 * The HTTP/1.x serving loop every pod server shares (http-echo, agnhost, nginx, node, generic):
 * listen on a TCP port of a namespace, read requests off each connection (keep-alive), ask the
 * program for the response bytes, honour HEAD, close when told to, and stop on demand. How the
 * response head looks (Go's net/http, nginx, Node) is the program's business, so each server
 * keeps its own header order and connection rules while the plumbing lives here once.
 */
import type { NetNs } from '../kernel/netns.ts';
import { socketsOf } from '../kernel/stack/socket.ts';
import type { TcpConn } from '../kernel/stack/tcp.ts';
import { bytes } from '../userland/net/common.ts';
import { RequestParser, type HttpRequest } from '../userland/net/http.ts';

/** Both ends of the connection a request came on. */
export interface Peer {
  laddr: number;
  lport: number;
  raddr: number;
  rport: number;
}

/** What a program answers: the head lines (status line first, no CRLFs), the body, and whether to keep the connection. */
export interface Reply {
  head: string[];
  body: Uint8Array | string;
  keepAlive: boolean;
}

export interface HttpServerOptions {
  /** Address to bind (0: any) and port. */
  addr?: number;
  port: number;
  handle(req: HttpRequest, peer: Peer): Reply | Promise<Reply>;
  /** The bytes sent for a request that cannot be parsed before the connection closes. */
  badRequest?(peer: Peer): Uint8Array | string;
}

export interface HttpServer {
  readonly addr: number;
  readonly port: number;
  /** Closes the listener and its connections, as the kernel does when the process dies. */
  stop(): void;
}

/** Whether the client asks to keep the connection: HTTP/1.1 unless `Connection: close`, 1.0 only with `keep-alive`. */
export function clientKeepAlive(req: HttpRequest): boolean {
  const c = req.headers.get('connection') ?? '';
  return req.version === '1.1' ? !/\bclose\b/i.test(c) : /\bkeep-alive\b/i.test(c);
}

/** The byte length of a body as Content-Length counts it. */
export function byteLength(body: Uint8Array | string): number {
  return typeof body === 'string' ? bytes(body).length : body.length;
}

/** Starts serving. Throws KernelError (EADDRINUSE, EADDRNOTAVAIL) when it cannot listen, as bind(2) does. */
export function serveHttp(ns: NetNs, o: HttpServerOptions): HttpServer {
  const addr = o.addr ?? 0;
  const listener = socketsOf(ns).tcpListen(addr, o.port);
  const conns = new Set<TcpConn>();
  let stopped = false;

  const serve = async (c: TcpConn): Promise<void> => {
    conns.add(c);
    const peer: Peer = { laddr: c.laddr, lport: c.lport, raddr: c.raddr, rport: c.rport };
    const parser = new RequestParser();
    try {
      for (;;) {
        const data = await c.read();
        if (!data || stopped) return;
        parser.push(data);
        for (let req = parser.next(); req; req = parser.next()) {
          if (req === 'bad') {
            const bad = o.badRequest?.(peer);
            if (bad !== undefined) c.write(typeof bad === 'string' ? bytes(bad) : bad);
            return;
          }
          const r = await o.handle(req, peer);
          if (stopped) return;
          const head = r.head.map((l) => `${l}\r\n`).join('') + '\r\n';
          const body = req.method === 'HEAD' ? '' : r.body;
          c.write(typeof body === 'string' ? bytes(head + body) : concatHead(head, body));
          if (!r.keepAlive) return;
        }
      }
    } finally {
      conns.delete(c);
      c.close();
    }
  };

  void (async () => {
    for (;;) {
      const c = await listener.accept();
      if (!c || stopped) return;
      void serve(c);
    }
  })();

  return {
    addr,
    port: o.port,
    stop() {
      stopped = true;
      listener.close();
      for (const c of conns) c.close();
    },
  };
}

function concatHead(head: string, body: Uint8Array): Uint8Array {
  const h = bytes(head);
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}

/** Splits `/path?a=1&b=x%20y` into its path and decoded query (Go's r.FormValue, Node's URLSearchParams). */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: new URLSearchParams() } : { path: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}
