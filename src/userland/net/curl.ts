/**
 * curl (7.88.1) for plain HTTP on the simulated stack: the request bytes curl sends over a TCP
 * connection, response parsing, -i/-I/-o/-w/-f/-v output, connect and transfer timeouts in
 * virtual time, and curl's error lines and exit codes. Output behaves as on a terminal: no
 * progress meter, and -v does not announce body data.
 */
import { KernelError, STRERROR, type Errno } from '../../kernel/errno.ts';
import { parseIPv4 } from '../../kernel/addr.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { socketsOf } from '../../kernel/stack/socket.ts';
import type { TcpConn } from '../../kernel/stack/tcp.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import type { CommandContext } from '../command.ts';
import { block, bytes, ip, text, Timers } from './common.ts';
import { lookupHost } from './resolve.ts';
import { CurlUsage, parseCurlArgs, parseUrl, writeOut, type CurlOpts, type Url } from './curl-args.ts';
import { ResponseParser, type HttpResponse } from './http.ts';

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";
/** curl's default connect timeout. */
const CONNECT_TIMEOUT_MS = 300_000;

/** A failed transfer: curl's exit code and its error text. */
class CurlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The job was killed (or, in the foreground, nothing could ever answer): curl stops quietly. */
class Stopped extends Error {
  constructor(readonly status: number) {
    super('stopped');
  }
}

export async function curl(ctx: CommandContext): Promise<number> {
  let o: CurlOpts;
  try {
    o = parseCurlArgs(ctx.argv.slice(1));
  } catch (e) {
    if (!(e instanceof CurlUsage)) throw e;
    ctx.stderr(`${e.message}\n${TRY_HELP}`);
    return 2;
  }
  if (o.urls.length === 0) {
    ctx.stderr(TRY_HELP);
    return 2;
  }
  let status = 0;
  for (const [n, u] of o.urls.entries()) {
    try {
      await transfer(ctx, o, u, n);
    } catch (e) {
      if (e instanceof Stopped) return e.status;
      if (!(e instanceof CurlError)) throw e;
      if (!o.silent || o.showError) ctx.stderr(`curl: (${e.code}) ${e.message}\n`);
      status = e.code;
    }
  }
  return status;
}

/** --resolve HOST:PORT:ADDR, then getaddrinfo (a literal address, /etc/hosts, DNS). */
async function lookup(ctx: CommandContext, o: CurlOpts, url: Url): Promise<number | undefined> {
  for (const r of o.resolve) {
    const [h, p, a] = r.split(':');
    if (h === url.host && Number(p) === url.port && parseIPv4(a) !== undefined) return parseIPv4(a);
  }
  const r = await lookupHost(ctx, url.host);
  if (r.ok) return r.addrs[0];
  if (r.error === 'killed') throw new Stopped(0);
  if (r.error === 'stuck') throw new Stopped(130);
  return undefined;
}

async function transfer(ctx: CommandContext, o: CurlOpts, raw: string, n: number): Promise<void> {
  const url = parseUrl(raw);
  if (!url) throw new CurlError(3, 'URL using bad/illegal format or missing URL');
  if (url.scheme !== 'http') throw new CurlError(1, `Protocol "${url.scheme}" not supported or disabled in libcurl`);
  const info = (line: string): void => {
    if (o.verbose) ctx.stderr(`* ${line}\n`);
  };
  const dst = await lookup(ctx, o, url);
  if (dst === undefined) {
    info(`Could not resolve host: ${url.host}`);
    info(`Closing connection ${n}`);
    throw new CurlError(6, `Could not resolve host: ${url.host}`);
  }
  const ns = ctx.sys.netns();
  const start = ctx.sys.now();
  const elapsed = (): number => Math.round(ctx.sys.now() - start);
  const deadline = o.maxTimeMs !== undefined ? start + o.maxTimeMs : undefined;
  info(`  Trying ${ip(dst)}:${url.port}...`);
  const conn = await connect(ctx, o, ns, dst, url, n, start, deadline);
  info(`Connected to ${url.host} (${ip(dst)}) port ${url.port} (#${n})`);
  const req = requestLines(o, url);
  if (o.verbose) ctx.stderr(req.map((l) => `> ${l}\r\n`).join(''));
  conn.write(bytes(req.map((l) => `${l}\r\n`).join('') + (o.data ?? '')));
  const parser = new ResponseParser(o.head || o.method === 'HEAD');
  const res = await receive(ctx, o, ns, conn, parser, deadline, elapsed, n);
  conn.close();
  const body = res.body;
  if (o.verbose) {
    if (res.version === '1.0') info('HTTP 1.0, assume close after body');
    ctx.stderr(`< ${res.statusLine}\r\n${res.headerLines.map((l) => `< ${l}\r\n`).join('')}< \r\n`);
  }
  if (o.fail && res.status >= 400) {
    info(`The requested URL returned error: ${res.status}`);
    info(`Closing connection ${n}`);
    throw new CurlError(22, `The requested URL returned error: ${res.status}`);
  }
  let out = '';
  if (o.include || o.head) out += `${res.statusLine}\r\n${res.headerLines.map((l) => `${l}\r\n`).join('')}\r\n`;
  out += text(body);
  emit(ctx, o, out);
  const close = res.version === '1.0' || /close/i.test(res.headers.get('connection') ?? '') || (!res.headers.has('content-length') && !res.headers.has('transfer-encoding') && !o.head);
  info(close ? `Closing connection ${n}` : `Connection #${n} to host ${url.host} left intact`);
  if (o.writeOut !== undefined) {
    const secs = (elapsed() / 1000).toFixed(6);
    ctx.stdout(
      writeOut(o.writeOut, {
        http_code: String(res.status).padStart(3, '0'),
        response_code: String(res.status),
        remote_ip: ip(dst),
        remote_port: String(url.port),
        local_ip: ip(conn.laddr),
        local_port: String(conn.lport),
        size_download: String(body.length),
        url_effective: url.effective,
        time_total: secs,
        time_connect: secs,
        num_connects: '1',
        content_type: res.headers.get('content-type') ?? '',
      }),
    );
  }
}

/** Writes the transfer's output to stdout or the -o file. */
function emit(ctx: CommandContext, o: CurlOpts, data: string): void {
  if (o.output === undefined || o.output === '-') ctx.stdout(data);
  else if (o.output !== '/dev/null') ctx.fs.write(resolvePath(ctx.cwd, o.output), data);
}

function requestLines(o: CurlOpts, url: Url): string[] {
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const defaults: [string, string][] = [
    ['Host', url.port === 80 ? url.host : `${url.host}:${url.port}`],
    ['User-Agent', o.userAgent],
    ['Accept', '*/*'],
  ];
  if (o.data !== undefined) {
    defaults.push(['Content-Length', String(bytes(o.data).length)]);
    defaults.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  // -H replaces a default header of the same name; `Name:` removes it.
  const custom = o.headers.map((h) => {
    const c = h.indexOf(':');
    return c < 0 ? undefined : ([h.slice(0, c).trim(), h.slice(c + 1).trim()] as [string, string]);
  });
  const lines = [`${method} ${url.path} HTTP/1.1`];
  for (const [k, v] of defaults) {
    const over = custom.find((h) => h && h[0].toLowerCase() === k.toLowerCase());
    if (!over) lines.push(`${k}: ${v}`);
    else if (over[1] !== '') lines.push(`${over[0]}: ${over[1]}`);
  }
  for (const h of custom) if (h && h[1] !== '' && !defaults.some(([k]) => k.toLowerCase() === h[0].toLowerCase())) lines.push(`${h[0]}: ${h[1]}`);
  lines.push('');
  return lines;
}

async function connect(ctx: CommandContext, o: CurlOpts, ns: NetNs, dst: number, url: Url, n: number, start: number, deadline: number | undefined): Promise<TcpConn> {
  const table = socketsOf(ns);
  const info = (line: string): void => {
    if (o.verbose) ctx.stderr(`* ${line}\n`);
  };
  const r = ns.fib.lookup(dst);
  const src = r ? (r.route.prefsrc ?? (r.route.type === 'local' ? dst : ns.selectSource(r.route.dev, dst))) : undefined;
  const sport = src !== undefined ? table.ephemeral(6, src, dst, url.port) : undefined;
  const timers = new Timers(ns);
  const connectLimit = start + (o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const limit = deadline !== undefined && deadline < connectLimit ? { at: deadline, what: 'max' as const } : { at: connectLimit, what: 'connect' as const };
  // curl's clock starts before the SYN goes out, so its timeout fires before a retransmission due at the same time.
  const expiry = timers.after(Math.max(0, limit.at - ctx.sys.now())).then(() => 'timeout' as const);
  const attempt: Promise<TcpConn | Errno | 'timeout'> = table.tcpConnect(dst, url.port, { sport }).catch((e: unknown) => {
    if (e instanceof KernelError) return e.errno;
    throw e;
  });
  const w = await block(ctx, Promise.race([attempt, expiry]));
  timers.cancelAll();
  const elapsed = Math.round(ctx.sys.now() - start);
  if (w.kind !== 'done' || w.value === 'timeout') {
    for (const c of table.conns) if (c.lport === sport && c.raddr === dst && c.state === 'SYN_SENT') c.destroy('ETIMEDOUT');
    if (w.kind === 'killed') throw new Stopped(0);
    const msg = limit.what === 'max' ? `Connection timed out after ${elapsed} milliseconds` : `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Timeout was reached`;
    info(msg);
    info(`Closing connection ${n}`);
    throw new CurlError(28, msg);
  }
  const v = w.value;
  if (typeof v !== 'string') return v;
  const msg = `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server`;
  info(`connect to ${ip(dst)} port ${url.port} failed: ${STRERROR[v]}`);
  info(msg);
  info(`Closing connection ${n}`);
  throw new CurlError(v === 'ETIMEDOUT' ? 28 : 7, msg);
}

async function receive(ctx: CommandContext, o: CurlOpts, ns: NetNs, conn: TcpConn, parser: ResponseParser, deadline: number | undefined, elapsed: () => number, n: number): Promise<HttpResponse> {
  const fail = (code: number, msg: string): CurlError => {
    if (o.verbose) ctx.stderr(`* ${msg}\n* Closing connection ${n}\n`);
    conn.abort();
    return new CurlError(code, msg);
  };
  while (!parser.done) {
    const timers = new Timers(ns);
    const events: Promise<Uint8Array | undefined | 'timeout'>[] = [conn.read()];
    if (deadline !== undefined) events.push(timers.after(Math.max(0, deadline - ctx.sys.now())).then(() => 'timeout' as const));
    const w = await block(ctx, Promise.race(events));
    timers.cancelAll();
    if (w.kind !== 'done') {
      // A real curl would wait on; killed, or interrupted by hand, it just goes.
      conn.abort();
      throw new Stopped(w.kind === 'killed' ? 0 : 130);
    }
    if (w.value === 'timeout') {
      const len = parser.response?.headers.get('content-length');
      const got = len !== undefined ? `${parser.received} out of ${len}` : `${parser.received}`;
      throw fail(28, `Operation timed out after ${elapsed()} milliseconds with ${got} bytes received`);
    }
    if (w.value === undefined) {
      if (conn.err === 'ECONNRESET') throw fail(56, 'Recv failure: Connection reset by peer');
      if (!parser.response) throw fail(52, 'Empty reply from server');
      if (!parser.end()) throw fail(18, `transfer closed with outstanding read data remaining`);
      break;
    }
    parser.push(w.value);
  }
  return parser.response!;
}
