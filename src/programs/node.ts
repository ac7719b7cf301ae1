/**
 * The Node.js hello servers the seed labs run, as `node SCRIPT` and `npm start`:
 * - gcr.io/google-samples/node-hello (`/bin/sh -c 'node server.js'`): Node's http module on
 *   8080, `writeHead(200); end('Hello Kubernetes!')` for every request;
 * - an Express app (`node index.js` / `npm start`, port 3000, as wardviaene/k8s-demo's
 *   nodejs-port): `Hello World!` at /, Express's "Cannot GET" 404 elsewhere.
 * PORT in the environment moves either. Responses carry the headers Node's http server adds
 * (Date, Connection, Keep-Alive: timeout=5, chunked when no length is known), verified against
 * the real node in node.test.ts.
 */
import { createHash } from 'node:crypto';
import type { Command, CommandContext } from '../userland/command.ts';
import { httpDate, type HttpRequest } from '../userland/net/http.ts';
import { byteLength, clientKeepAlive, serveHttp, splitTarget, type Reply } from './http-server.ts';
import { errText, untilKilled } from './runtime.ts';

const REASONS: Record<number, string> = { 200: 'OK', 404: 'Not Found' };

export interface NodeResponse {
  status: number;
  /** What the app set, in the order it set them. */
  headers: [string, string][];
  body: string;
}

/** What Node's http server sends for an app's response (res.writeHead + res.end). */
export function nodeReply(req: HttpRequest, now: number, r: NodeResponse): Reply {
  const keepAlive = clientKeepAlive(req);
  const head = [`HTTP/1.1 ${r.status} ${REASONS[r.status] ?? ''}`, ...r.headers.map(([k, v]) => `${k}: ${v}`), `Date: ${httpDate(now)}`];
  head.push(keepAlive ? 'Connection: keep-alive' : 'Connection: close');
  if (keepAlive) head.push('Keep-Alive: timeout=5');
  const hasLength = r.headers.some(([k]) => k.toLowerCase() === 'content-length');
  // Without a length, HTTP/1.1 bodies are chunked; HTTP/1.0 ones end with the connection.
  const chunked = !hasLength && req.version === '1.1' && req.method !== 'HEAD';
  if (chunked) head.push('Transfer-Encoding: chunked');
  const body = chunked ? `${byteLength(r.body).toString(16)}\r\n${r.body}\r\n0\r\n\r\n` : r.body;
  return { head, body, keepAlive: keepAlive && (hasLength || chunked || req.method === 'HEAD') };
}

/** Express's weak ETag (the etag package): W/"<length hex>-<sha1 base64, 27 chars>". */
function expressEtag(body: string): string {
  return `W/"${byteLength(body).toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
}

/** The Express app: res.send('Hello World!') at GET /, finalhandler's 404 page elsewhere. */
export function expressHello(req: HttpRequest): NodeResponse {
  const { path } = splitTarget(req.target);
  if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    const body = 'Hello World!';
    return { status: 200, headers: [['X-Powered-By', 'Express'], ['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', String(byteLength(body))], ['ETag', expressEtag(body)]], body };
  }
  const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${req.method} ${path}</pre>\n</body>\n</html>\n`;
  return {
    status: 404,
    headers: [['X-Powered-By', 'Express'], ['Content-Security-Policy', "default-src 'none'"], ['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', String(byteLength(body))]],
    body,
  };
}

/** google-samples/node-hello's server.js: every request gets `Hello Kubernetes!`. */
export function nodeHello(): NodeResponse {
  return { status: 200, headers: [], body: 'Hello Kubernetes!' };
}

async function serveApp(ctx: CommandContext, port: number, app: (req: HttpRequest) => NodeResponse, banner?: string): Promise<number> {
  let server;
  try {
    server = serveHttp(ctx.sys.netns(), { port, handle: (req) => nodeReply(req, ctx.sys.now(), app(req)) });
  } catch (e) {
    // Node's unhandled 'error' event on listen.
    ctx.stderr(`node:events:495\n      throw er; // Unhandled 'error' event\n      ^\n\nError: listen ${String((e as { errno?: string }).errno ?? errText(e))}: address already in use :::${port}\n`);
    return 1;
  }
  if (banner) ctx.stdout(banner);
  await untilKilled(ctx.signal);
  server.stop();
  return 0;
}

/** `node SCRIPT`: server.js is node-hello (8080), anything else the Express hello (3000). */
export const node: Command = (ctx) => {
  const script = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  if (ctx.argv[1] === '-v' || ctx.argv[1] === '--version') {
    ctx.stdout('v20.11.1\n');
    return 0;
  }
  if (script === undefined) {
    ctx.stderr('node: podlab runs only server scripts (node server.js, node index.js)\n');
    return 9;
  }
  const base = script.slice(script.lastIndexOf('/') + 1);
  const envPort = Number(ctx.env.PORT);
  if (base === 'server.js') return serveApp(ctx, envPort || 8080, nodeHello);
  const port = envPort || 3000;
  return serveApp(ctx, port, expressHello, `Example app listening at http://:::${port}\n`);
};

/** `npm start`: runs the app's start script, `node index.js`. */
export const npm: Command = async (ctx) => {
  if (ctx.argv[1] !== 'start') {
    ctx.stderr(`npm ERR! podlab's npm only runs \`npm start\`\n`);
    return 1;
  }
  ctx.stdout(`\n> start\n> node index.js\n\n`);
  return ctx.exec ? ctx.exec(['node', 'index.js']) : node({ ...ctx, argv: ['node', 'index.js'] });
};
