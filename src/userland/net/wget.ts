/**
 * BusyBox wget (1.36, as in the busybox and alpine images) for plain HTTP on the simulated
 * stack: its option parsing (-q, -O FILE, -T SEC, -S, -U, --spider, --header, --post-data, -P),
 * the request it sends (HTTP/1.1, `User-Agent: Wget`, `Connection: close`), redirects, its
 * stderr chatter (`Connecting to HOST (ADDR:PORT)`, the progress line, `written to stdout`) and
 * its one-line errors, all exiting 1. Waits are in virtual time; -T bounds connect and reads.
 */
import { KernelError, STRERROR } from '../../kernel/errno.ts';
import { socketsOf } from '../../kernel/stack/socket.ts';
import type { TcpConn } from '../../kernel/stack/tcp.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import type { CommandContext } from '../command.ts';
import { block, bytes, ip, text, Timers } from './common.ts';
import { ResponseParser, type HttpResponse } from './http.ts';
import { lookupHost } from './resolve.ts';

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
	[--post-data STR | --post-file FILE] [-Y on/off]
	[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

	--spider	Only check URL existence: $? is 0 if exists
	--header STR	Add STR (of form 'header: value') to headers
	--post-data STR	Send STR using POST method
	--post-file FILE	Send FILE using POST method
	--no-check-certificate	Don't validate the server's certificate
	-c		Continue retrieval of aborted transfer
	-q		Quiet
	-P DIR		Save to DIR (default .)
	-S    		Show server response
	-T SEC		Network read timeout is SEC seconds
	-O FILE		Save to FILE ('-' for stdout)
	-o LOGFILE	Log messages to FILE
	-U STR		Use STR for User-Agent header
	-Y on/off	Use proxy
`;

/** busybox's default network timeout (G.timeout_seconds). */
const DEFAULT_TIMEOUT_S = 900;
const MAX_REDIRECTS = 20;

export interface WgetOpts {
  quiet: boolean;
  output?: string;
  timeoutS: number;
  spider: boolean;
  serverResponse: boolean;
  userAgent: string;
  headers: string[];
  postData?: string;
  dir?: string;
  urls: string[];
}

/** A usage error (the usage text follows) or a fatal one (`wget: MSG`). */
class WgetError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

/** Killed, or nothing in the simulation can ever answer: stop without a message. */
class Stopped extends Error {
  constructor(readonly status: number) {
    super('stopped');
  }
}

const WITH_ARG = new Set(['O', 'o', 'T', 'U', 'P', 'Y', 'header', 'post-data', 'post-file']);
const LONG = new Set(['spider', 'header', 'post-data', 'post-file', 'no-check-certificate', 'quiet', 'output-document', 'timeout', 'user-agent', 'server-response', 'continue', 'directory-prefix', 'output-file', 'proxy', 'no-verbose']);
const LONG_ALIAS: Record<string, string> = { quiet: 'q', 'output-document': 'O', timeout: 'T', 'user-agent': 'U', 'server-response': 'S', continue: 'c', 'directory-prefix': 'P', 'output-file': 'o', proxy: 'Y' };

/** getopt32 with busybox wget's option string: clustered short options, `--long[=value]`. */
export function parseWgetArgs(args: string[]): WgetOpts {
  const o: WgetOpts = { quiet: false, timeoutS: DEFAULT_TIMEOUT_S, spider: false, serverResponse: false, userAgent: 'Wget', headers: [], urls: [] };
  const set = (name: string, value?: string): void => {
    switch (name) {
      case 'q':
        o.quiet = true;
        break;
      case 'O':
        o.output = value;
        break;
      case 'T': {
        if (!/^\d+$/.test(value ?? '')) throw new WgetError(`invalid number '${value}'`);
        o.timeoutS = Number(value);
        break;
      }
      case 'U':
        o.userAgent = value!;
        break;
      case 'S':
        o.serverResponse = true;
        break;
      case 'P':
        o.dir = value;
        break;
      case 'spider':
        o.spider = true;
        break;
      case 'header':
        o.headers.push(value!);
        break;
      case 'post-data':
        o.postData = value;
        break;
      // -c, -o, -Y, --no-check-certificate, --post-file: accepted, no effect here.
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      o.urls.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const long = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!LONG.has(long)) throw new WgetError(`unrecognized option '${a}'`, true);
      const name = LONG_ALIAS[long] ?? long;
      let value: string | undefined;
      if (WITH_ARG.has(name)) {
        value = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw new WgetError(`option '--${long}' requires an argument`, true);
      }
      set(name, value);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (!'cqSOoTUPY'.includes(c)) throw new WgetError(`invalid option -- '${c}'`, true);
        if (WITH_ARG.has(c)) {
          const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
          if (value === undefined) throw new WgetError(`option requires an argument -- '${c}'`, true);
          set(c, value);
          break;
        }
        set(c);
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

interface Target {
  /** host[:port] as written in the URL (the Host header and the "Connecting to" name). */
  hostPort: string;
  host: string;
  port: number;
  path: string;
  https: boolean;
}

/** busybox parse_url: an optional http:// or https://, host[:port], path (default `/`). */
function parseTarget(url: string): Target {
  let rest = url;
  let https = false;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url);
  if (m) {
    const scheme = m[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') throw new WgetError(`not an http or ftp url: ${url}`);
    https = scheme === 'https';
    rest = url.slice(m[0].length);
  }
  const slash = rest.search(/[/?]/);
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '/' : rest.slice(slash);
  if (path.startsWith('?')) path = `/${path}`;
  const at = hostPort.lastIndexOf('@');
  const hp = at >= 0 ? hostPort.slice(at + 1) : hostPort;
  const colon = hp.lastIndexOf(':');
  const host = colon >= 0 ? hp.slice(0, colon) : hp;
  const port = colon >= 0 ? Number(hp.slice(colon + 1)) : https ? 443 : 80;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WgetError(`bad port spec '${hp}'`);
  return { hostPort: hp, host, port, path, https };
}

/** The progress line busybox prints when a transfer ends: name, 100%, bar, size, elapsed. */
export function progressLine(name: string, size: number, elapsedMs: number): string {
  let n = size;
  let scale = 0;
  while (n >= 100000) {
    n >>>= 10;
    scale++;
  }
  const s = Math.floor(elapsedMs / 1000);
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(32)}|${String(n).padStart(6)}${' kMGTPEZY'[scale]} ${Math.floor(s / 3600)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)} ETA\n`;
}

export async function wget(ctx: CommandContext): Promise<number> {
  let o: WgetOpts;
  try {
    o = parseWgetArgs(ctx.argv.slice(1));
    if (o.urls.length === 0) throw new WgetError('', true);
  } catch (e) {
    if (!(e instanceof WgetError)) throw e;
    ctx.stderr(`${e.message ? `wget: ${e.message}\n` : ''}${e.usage ? USAGE : ''}`);
    return 1;
  }
  try {
    for (const url of o.urls) await retrieve(ctx, o, url);
    return 0;
  } catch (e) {
    if (e instanceof Stopped) return e.status;
    if (!(e instanceof WgetError)) throw e;
    ctx.stderr(`wget: ${e.message}\n`);
    return 1;
  }
}

async function retrieve(ctx: CommandContext, o: WgetOpts, url: string): Promise<void> {
  const start = ctx.sys.now();
  let t = parseTarget(url);
  // Without -O the file is named after the first URL's last path component.
  const base = t.path.split('?')[0].replace(/.*\//, '');
  const fileName = o.output ?? (o.dir ? `${o.dir}/` : '') + (base || 'index.html');
  for (let redirects = 0; ; redirects++) {
    const res = await fetchOnce(ctx, o, t);
    if (o.serverResponse && !o.quiet) ctx.stderr(`  ${res.statusLine}\n${res.headerLines.map((l) => `  ${l}\n`).join('')}  \n`);
    const location = res.headers.get('location');
    if ([301, 302, 303, 307, 308].includes(res.status) && location !== undefined) {
      if (redirects >= MAX_REDIRECTS) throw new WgetError('too many redirections');
      t = location.includes('://') ? parseTarget(location) : { ...t, path: location.startsWith('/') ? location : `${t.path.replace(/[^/]*$/, '')}${location}` };
      continue;
    }
    if (res.status < 200 || res.status >= 300) throw new WgetError(`server returned error: ${res.statusLine.trim()}`);
    if (o.spider) {
      if (!o.quiet) ctx.stderr('remote file exists\n');
      return;
    }
    save(ctx, o, fileName, res.body, ctx.sys.now() - start);
    return;
  }
}

/** Writes the body to stdout or the file, with busybox's messages around it. */
function save(ctx: CommandContext, o: WgetOpts, fileName: string, body: Uint8Array, elapsedMs: number): void {
  const toStdout = fileName === '-';
  if (!toStdout) {
    const path = resolvePath(ctx.cwd, fileName);
    // Without -O busybox opens with O_EXCL: an existing file stops it.
    if (o.output === undefined && ctx.fs.read(path) !== undefined) throw new WgetError(`can't open '${fileName}': File exists`);
  }
  if (!o.quiet) ctx.stderr(toStdout ? 'writing to stdout\n' : `saving to '${fileName}'\n`);
  if (toStdout) ctx.stdout(text(body));
  else if (fileName !== '/dev/null') ctx.fs.write(resolvePath(ctx.cwd, fileName), text(body));
  if (!o.quiet) {
    ctx.stderr(progressLine(toStdout ? '-' : fileName.replace(/.*\//, ''), body.length, elapsedMs));
    ctx.stderr(toStdout ? 'written to stdout\n' : `'${fileName}' saved\n`);
  }
}

/** One request: resolve, connect, send, read the whole response (busybox asks the server to close). */
async function fetchOnce(ctx: CommandContext, o: WgetOpts, t: Target): Promise<HttpResponse> {
  const r = await lookupHost(ctx, t.host);
  if (!r.ok) {
    if (r.error === 'killed') throw new Stopped(143);
    if (r.error === 'stuck') throw new Stopped(130);
    throw new WgetError(`bad address '${t.hostPort}'`);
  }
  const dst = r.addrs[0];
  if (!o.quiet) ctx.stderr(`Connecting to ${t.hostPort} (${ip(dst)}:${t.port})\n`);
  const ns = ctx.sys.netns();
  const timers = new Timers(ns);
  const timeoutMs = o.timeoutS * 1000;
  try {
    const attempt = socketsOf(ns)
      .tcpConnect(dst, t.port)
      .catch((e: unknown) => (e instanceof KernelError ? e : Promise.reject(e)));
    const c = await wait(ctx, Promise.race([attempt, timers.after(timeoutMs).then(() => 'timeout' as const)]));
    if (c === 'timeout') throw new WgetError('download timed out');
    if (c instanceof KernelError) throw new WgetError(`can't connect to remote host (${ip(dst)}): ${STRERROR[c.errno]}`);
    return await exchange(ctx, o, t, c, timers, timeoutMs);
  } finally {
    timers.cancelAll();
  }
}

async function exchange(ctx: CommandContext, o: WgetOpts, t: Target, conn: TcpConn, timers: Timers, timeoutMs: number): Promise<HttpResponse> {
  // TLS is not modelled: busybox's handshake meets a plain server, which hangs up on it.
  if (t.https) {
    conn.abort();
    throw new WgetError('error getting response: Connection reset by peer');
  }
  const method = o.postData !== undefined ? 'POST' : 'GET';
  // --header Host/User-Agent/Content-Type replace busybox's own; other headers follow Connection.
  const userHas = (name: string): boolean => o.headers.some((h) => h.toLowerCase().startsWith(`${name}:`));
  let req = `${method} ${t.path} HTTP/1.1\r\n`;
  if (!userHas('host')) req += `Host: ${t.hostPort}\r\n`;
  if (!userHas('user-agent')) req += `User-Agent: ${o.userAgent}\r\n`;
  req += 'Connection: close\r\n';
  for (const h of o.headers) req += `${h}\r\n`;
  if (o.postData !== undefined) {
    if (!userHas('content-type')) req += 'Content-Type: application/x-www-form-urlencoded\r\n';
    req += `Content-Length: ${bytes(o.postData).length}\r\n`;
  }
  req += `\r\n${o.postData ?? ''}`;
  conn.write(bytes(req));
  const parser = new ResponseParser();
  try {
    while (!parser.done) {
      // -T is a per-read timeout, as busybox polls each read.
      const d = await wait(ctx, Promise.race([conn.read(), timers.after(timeoutMs).then(() => 'timeout' as const)]));
      if (d === 'timeout') throw new WgetError('download timed out');
      if (d === undefined) {
        if (!parser.response) throw new WgetError(conn.err ? `error getting response: ${STRERROR[conn.err]}` : 'error getting response');
        // busybox reads a length-less body to EOF; a short one is still what it got.
        parser.end();
        break;
      }
      parser.push(d);
    }
  } finally {
    conn.close();
  }
  return parser.response!;
}

/** Waits in virtual time; a kill or a wait nothing can end stops wget quietly. */
async function wait<T>(ctx: CommandContext, p: Promise<T>): Promise<T> {
  const w = await block(ctx, p);
  if (w.kind === 'done') return w.value;
  throw new Stopped(w.kind === 'killed' ? 143 : 130);
}
