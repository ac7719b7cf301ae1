/**
 * hashicorp/http-echo as a program podlab can run in a pod's namespace: `-listen=:5678
 * -text=hello` answers every request with the text and a newline, with the headers Go's net/http
 * server writes for it (X-App-Name and X-App-Version from the app, then Date, Content-Length and
 * the sniffed Content-Type), keep-alive connections, and /health. Started by a function call; it
 * reacts to packets and needs no clock of its own.
 */
import { formatIPv4, parseIPv4 } from '../kernel/addr.ts';
import { KernelError } from '../kernel/errno.ts';
import type { NetNs } from '../kernel/netns.ts';
import { socketsOf } from '../kernel/stack/socket.ts';
import type { TcpConn } from '../kernel/stack/tcp.ts';
import { bytes } from '../userland/net/common.ts';
import { httpDate, RequestParser, type HttpRequest } from '../userland/net/http.ts';

export interface HttpEchoOptions {
  /** `-listen`: `[ADDR]:PORT` (default `:5678`). */
  listen: string;
  /** `-text`: what every response carries (a newline is added). */
  text: string;
  /** `-status-code` (http-echo 1.0). */
  status: number;
  /** The version the X-App-Version header reports. */
  version: string;
}

export interface Program {
  /** The address and port it listens on. */
  addr: number;
  port: number;
  /** Lines it would log to stdout, in order. */
  log: string[];
  stop(): void;
}

/** Parses http-echo's flags (`-text=hello`, `--text hello`, `-listen=:8080`). */
export function parseHttpEchoArgs(args: string[]): HttpEchoOptions {
  const o: HttpEchoOptions = { listen: ':5678', text: '', status: 200, version: '1.0.0' };
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new Error(`http-echo: unexpected argument ${args[i]}`);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new Error(`flag needs an argument: -${m[1]}`);
    if (m[1] === 'listen') o.listen = value;
    else if (m[1] === 'text') o.text = value;
    else if (m[1] === 'status-code') o.status = Number(value);
    else throw new Error(`flag provided but not defined: -${m[1]}`);
  }
  if (!o.text) throw new Error('Missing -text option!');
  return o;
}

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Go's log package prefix: `2024/01/01 00:00:00 `. */
function logStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} `;
}

/** Starts http-echo in `ns`. Throws KernelError (EADDRINUSE...) if it cannot listen. */
export function startHttpEcho(ns: NetNs, args: string[] | Partial<HttpEchoOptions>): Program {
  const o = Array.isArray(args) ? parseHttpEchoArgs(args) : { ...parseHttpEchoArgs(['-text=x']), ...args };
  const m = /^(.*):(\d+)$/.exec(o.listen);
  if (!m) throw new Error(`listen tcp: address ${o.listen}: missing port in address`);
  const addr = m[1] === '' ? 0 : parseIPv4(m[1]);
  if (addr === undefined) throw new KernelError('EADDRNOTAVAIL');
  const port = Number(m[2]);
  const listener = socketsOf(ns).tcpListen(addr, port);
  const conns = new Set<TcpConn>();
  const now = (): number => ns.kernel.clock.now;
  const log: string[] = [`${logStamp(now())}[INFO] server is listening on ${o.listen}`];
  let stopped = false;

  const respond = (c: TcpConn, req: HttpRequest): boolean => {
    const health = req.target === '/health';
    const body = health ? '{"status":"ok"}' : `${o.text}\n`;
    const status = health ? 200 : o.status;
    const v11 = req.version === '1.1';
    // Go keeps a 1.1 connection open unless asked to close; a 1.0 one only on request.
    const keep = v11 ? !/close/i.test(req.headers.get('connection') ?? '') : /keep-alive/i.test(req.headers.get('connection') ?? '');
    const head = [
      `HTTP/${v11 ? '1.1' : '1.0'} ${status} ${REASONS[status] ?? 'status code ' + status}`,
      'X-App-Name: http-echo',
      `X-App-Version: ${o.version}`,
      `Date: ${httpDate(now())}`,
      `Content-Length: ${bytes(body).length}`,
      `Content-Type: ${health ? 'application/json' : 'text/plain; charset=utf-8'}`,
    ];
    if (!keep && v11) head.push('Connection: close');
    if (keep && !v11) head.push('Connection: keep-alive');
    c.write(bytes(head.map((l) => `${l}\r\n`).join('') + '\r\n' + (req.method === 'HEAD' ? '' : body)));
    log.push(`${logStamp(now())}${formatIPv4(c.laddr)}:${c.lport} ${formatIPv4(c.raddr)}:${c.rport} "${req.method} ${req.target} HTTP/${req.version}" ${status} ${bytes(body).length} "${req.headers.get('user-agent') ?? ''}" 21.4µs`);
    return keep;
  };

  const serve = async (c: TcpConn): Promise<void> => {
    conns.add(c);
    const parser = new RequestParser();
    try {
      for (;;) {
        const data = await c.read();
        if (!data || stopped) return;
        parser.push(data);
        for (let req = parser.next(); req; req = parser.next()) {
          if (req === 'bad') {
            c.write(bytes('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request'));
            return;
          }
          if (!respond(c, req)) return;
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
    port,
    log,
    stop: () => {
      stopped = true;
      listener.close();
      for (const c of conns) c.abort();
    },
  };
}
