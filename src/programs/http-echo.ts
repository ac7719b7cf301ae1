/**
 * hashicorp/http-echo as a program podlab can run in a pod's namespace: `-listen=:5678
 * -text=hello` answers every request with the text and a newline, with the headers Go's net/http
 * server writes for it (X-App-Name and X-App-Version from the app, then Date, Content-Length and
 * the sniffed Content-Type), keep-alive connections, and /health; each request is logged as it is
 * served. Started by a function call; it reacts to packets and needs no clock of its own.
 */
import { formatIPv4, parseIPv4 } from '../kernel/addr.ts';
import { KernelError } from '../kernel/errno.ts';
import type { NetNs } from '../kernel/netns.ts';
import type { Command } from '../userland/command.ts';
import { GO_BAD_REQUEST, goReply } from './go-http.ts';
import { byteLength, serveHttp } from './http-server.ts';
import { errText, goLogStamp, untilKilled } from './runtime.ts';

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

export interface Program {
  /** The address and port it listens on. */
  addr: number;
  port: number;
  stop(): void;
}

/** Starts http-echo in `ns`; `log` gets each line it prints, as it prints it. Throws KernelError (EADDRINUSE...) if it cannot listen. */
export function startHttpEcho(ns: NetNs, args: string[] | Partial<HttpEchoOptions>, log: (line: string) => void = () => {}): Program {
  const o = Array.isArray(args) ? parseHttpEchoArgs(args) : { ...parseHttpEchoArgs(['-text=x']), ...args };
  const m = /^(.*):(\d+)$/.exec(o.listen);
  if (!m) throw new Error(`listen tcp: address ${o.listen}: missing port in address`);
  const addr = m[1] === '' ? 0 : parseIPv4(m[1]);
  if (addr === undefined) throw new KernelError('EADDRNOTAVAIL');
  const now = (): number => ns.kernel.clock.now;
  const server = serveHttp(ns, {
    addr,
    port: Number(m[2]),
    badRequest: () => GO_BAD_REQUEST,
    handle: (req, peer) => {
      const health = req.target === '/health';
      const body = health ? '{"status":"ok"}' : `${o.text}\n`;
      const status = health ? 200 : o.status;
      // The app sets X-App-* on every response and Content-Type on /health; Go sorts them.
      const reply = goReply(req, now(), {
        status,
        headers: [['X-App-Name', 'http-echo'], ['X-App-Version', o.version], ...(health ? [['Content-Type', 'application/json'] as [string, string]] : [])],
        body,
      });
      log(`${goLogStamp(now())}${formatIPv4(peer.laddr)}:${peer.lport} ${formatIPv4(peer.raddr)}:${peer.rport} "${req.method} ${req.target} HTTP/${req.version}" ${status} ${byteLength(body)} "${req.headers.get('user-agent') ?? ''}" 21.4µs`);
      return reply;
    },
  });
  log(`${goLogStamp(now())}[INFO] server is listening on ${o.listen}`);
  return { addr, port: server.port, stop: () => server.stop() };
}

/** `/http-echo -text=... [-listen=:5678]`: logs to stdout as it serves, until killed. */
export const httpEcho: Command = async (ctx) => {
  let server: Program;
  try {
    server = startHttpEcho(ctx.sys.netns(), ctx.argv.slice(1), (line) => ctx.stdout(`${line}\n`));
  } catch (e) {
    ctx.stderr(`${errText(e)}\n`);
    return 1;
  }
  await untilKilled(ctx.signal);
  server.stop();
  return 0;
};
