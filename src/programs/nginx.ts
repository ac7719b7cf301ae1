/**
 * nginx (the docker.io/library/nginx 1.25 image run as `nginx -g 'daemon off;'`): the default
 * server on port 80 serving the stock "Welcome to nginx!" page at / and /index.html with
 * nginx's headers, its HTML error pages (404, 405, 400), the image's access log format on stdout
 * and the startup notices on stderr, and the master/worker process titles in `ps`.
 */
import { formatIPv4 } from '../kernel/addr.ts';
import type { Command, CommandContext } from '../userland/command.ts';
import { httpDate, type HttpRequest } from '../userland/net/http.ts';
import { byteLength, clientKeepAlive, serveHttp, splitTarget, type Peer, type Reply } from './http-server.ts';
import { errText, goLogStamp, ownProcess, untilKilled } from './runtime.ts';

export const NGINX_VERSION = '1.25.3';

/** /usr/share/nginx/html/index.html of the image (615 bytes). */
export const NGINX_INDEX =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\n' +
  'body { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n' +
  '<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\n' +
  'working. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n' +
  '<a href="http://nginx.org/">nginx.org</a>.<br/>\nCommercial support is available at\n' +
  '<a href="http://nginx.com/">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n';

/** The index file's mtime in the 1.25.3 image: Last-Modified, and the first half of the ETag. */
const INDEX_MTIME = Date.UTC(2023, 9, 24, 13, 46, 47);

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 404: 'Not Found', 405: 'Not Allowed' };

/** nginx's built-in error page (CRLF line ends, as ngx_http_special_response.c has them). */
function errorPage(status: number): string {
  const title = `${status} ${REASONS[status]}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n`;
}

/** `$time_local`: `01/Jan/2024:00:00:00 +0000`. */
function timeLocal(ms: number): string {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The reply nginx's default server gives `req` at time `now`. */
export function nginxReply(req: HttpRequest, now: number): Reply & { status: number } {
  const { path } = splitTarget(req.target);
  const isIndex = path === '/' || path === '/index.html';
  const status = !isIndex ? 404 : req.method === 'GET' || req.method === 'HEAD' ? 200 : 405;
  const keepAlive = clientKeepAlive(req);
  const body = status === 200 ? NGINX_INDEX : errorPage(status);
  const head = [`HTTP/1.1 ${status} ${REASONS[status]}`, `Server: nginx/${NGINX_VERSION}`, `Date: ${httpDate(now)}`, 'Content-Type: text/html', `Content-Length: ${byteLength(body)}`];
  if (status === 200) head.push(`Last-Modified: ${httpDate(INDEX_MTIME)}`);
  head.push(`Connection: ${keepAlive ? 'keep-alive' : 'close'}`);
  if (status === 200) head.push(`ETag: "${(INDEX_MTIME / 1000).toString(16)}-${byteLength(body).toString(16)}"`, 'Accept-Ranges: bytes');
  return { status, head, body, keepAlive };
}

/** The image's `main` log format: combined plus "$http_x_forwarded_for". */
function accessLine(peer: Peer, now: number, request: string, status: number, sent: number, req?: HttpRequest): string {
  const h = (name: string): string => req?.headers.get(name) ?? '-';
  return `${formatIPv4(peer.raddr)} - - [${timeLocal(now)}] "${request}" ${status} ${sent} "${h('referer')}" "${h('user-agent')}" "${h('x-forwarded-for')}"\n`;
}

/** `nginx [-g 'daemon off;']`: serves until killed. */
export const nginx: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '-v' || args[0] === '-V') {
    ctx.stderr(`nginx version: nginx/${NGINX_VERSION}\n`);
    return 0;
  }
  const notice = (msg: string): void => ctx.stderr(`${goLogStamp(ctx.sys.now())}[notice] 1#1: ${msg}\n`);
  const now = (): number => ctx.sys.now();
  let server;
  try {
    server = serveHttp(ctx.sys.netns(), {
      port: 80,
      badRequest: (peer) => {
        const body = errorPage(400);
        ctx.stdout(accessLine(peer, now(), '-', 400, byteLength(body)));
        return `HTTP/1.1 400 Bad Request\r\nServer: nginx/${NGINX_VERSION}\r\nDate: ${httpDate(now())}\r\nContent-Type: text/html\r\nContent-Length: ${byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
      },
      handle: (req, peer) => {
        const r = nginxReply(req, now());
        ctx.stdout(accessLine(peer, now(), `${req.method} ${req.target} HTTP/${req.version}`, r.status, req.method === 'HEAD' ? 0 : byteLength(r.body), req));
        return r;
      },
    });
  } catch (e) {
    ctx.stderr(`${goLogStamp(now())}[emerg] 1#1: bind() to 0.0.0.0:80 failed (98: ${errText(e)})\nnginx: [emerg] bind() to 0.0.0.0:80 failed (98: ${errText(e)})\n`);
    return 1;
  }
  notice('using the "epoll" event method');
  notice(`nginx/${NGINX_VERSION}`);
  notice('built by gcc 12.2.0 (Debian 12.2.0-14) ');
  notice('OS: Linux 6.5.0');
  notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  notice('start worker processes');
  const endWorkers = titleProcesses(ctx, notice);
  await untilKilled(ctx.signal);
  server.stop();
  endWorkers();
  return 0;
};

/** Renames the process as nginx does (`nginx: master process ...`) and lists a worker under it. */
function titleProcesses(ctx: CommandContext, notice: (msg: string) => void): () => void {
  const me = ownProcess(ctx);
  if (!me) return () => {};
  const m = ctx.sys.machine();
  me.argv = [`nginx: master process ${ctx.argv.join(' ')}`];
  const worker = m.spawn({ argv: ['nginx: worker process'], netns: ctx.sys.netns(), ppid: me.pid, uid: 101 });
  notice(`start worker process ${worker.pid}`);
  return () => m.exit(worker.pid);
}
