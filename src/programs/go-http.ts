/**
 * Responses as Go's net/http server writes them (http-echo, agnhost, the generic server are Go
 * programs): the handler's own headers sorted by name (Header.WriteSubset sorts), then Date, Content-Length and the
 * sniffed Content-Type, `Connection: close` when the client asked for it on HTTP/1.1 and
 * `Connection: keep-alive` when an HTTP/1.0 client asked to keep the connection.
 */
import type { HttpRequest } from '../userland/net/http.ts';
import { httpDate } from '../userland/net/http.ts';
import { byteLength, clientKeepAlive, type Reply } from './http-server.ts';

/** Go's http.StatusText for the codes these programs use. */
const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 307: 'Temporary Redirect',
  400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 412: 'Precondition Failed', 417: 'Expectation Failed',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** The reason phrase Go puts on a status line (`status code 599` for unknown codes). */
export function goStatusText(code: number): string {
  return STATUS_TEXT[code] ?? `status code ${code}`;
}

/** http.DetectContentType for the bodies these servers write: HTML, text or binary. */
export function sniffContentType(body: string): string {
  const t = body.replace(/^[\t\n\x0c\r ]+/, '').toLowerCase();
  if (/^<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]/.test(t)) return 'text/html; charset=utf-8';
  if (t.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  // Control bytes other than whitespace make Go call it binary.
  return /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/.test(body) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

export interface GoResponse {
  status?: number;
  /** The handler's headers (w.Header(), canonical names), written first, sorted by name. */
  headers?: [string, string][];
  body: string;
}

/** The reply Go's server sends for a handler's status, headers and body at time `now`. */
export function goReply(req: HttpRequest, now: number, r: GoResponse): Reply {
  const status = r.status ?? 200;
  const v11 = req.version === '1.1';
  let keepAlive = clientKeepAlive(req);
  const own = r.headers ?? [];
  if (own.some(([k, v]) => k.toLowerCase() === 'connection' && /close/i.test(v))) keepAlive = false;
  const sorted = [...own].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const head = [`HTTP/${v11 ? '1.1' : '1.0'} ${status} ${goStatusText(status)}`, ...sorted.map(([k, v]) => `${k}: ${v}`)];
  head.push(`Date: ${httpDate(now)}`);
  const has = (name: string): boolean => own.some(([k]) => k.toLowerCase() === name);
  if (!has('content-length')) head.push(`Content-Length: ${byteLength(r.body)}`);
  // Go sniffs a type only when there is a body to sniff.
  if (!has('content-type') && r.body !== '') head.push(`Content-Type: ${sniffContentType(r.body)}`);
  if (!keepAlive && v11 && !has('connection')) head.push('Connection: close');
  if (keepAlive && !v11) head.push('Connection: keep-alive');
  return { head, body: r.body, keepAlive };
}

/** What Go answers a request it cannot parse, before closing. */
export const GO_BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request';

/** `r.RemoteAddr` / a UDP peer as Go prints it: `10.0.0.1:43210`. */
export function hostPort(addr: string, port: number): string {
  return `${addr}:${port}`;
}
