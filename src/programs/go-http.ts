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

/** The bytes http.DetectContentType's text signature rejects (controls but TAB, LF, FF, CR, ESC). */
function isBinaryByte(b: number): boolean {
  return b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(b);
}

/** http.DetectContentType for the bodies these servers write: HTML, text or binary. */
export function sniffContentType(body: string): string {
  const t = body.trimStart().toLowerCase();
  if (/^<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]/.test(t)) return 'text/html; charset=utf-8';
  if (t.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  // Control bytes other than whitespace and ESC make Go call it binary.
  return [...body].some((c) => isBinaryByte(c.charCodeAt(0))) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
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

/** encoding/json's string escaping: HTML-safe (<, >, & as \u00XX), \u2028/\u2029, other controls as \u00XX. */
function goJsonString(s: string): string {
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += esc[c] ?? (code < 0x20 || '<>&\u2028\u2029'.includes(c) ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return `"${out}"`;
}

/** json.Marshal of a map of strings or string lists: keys sorted, no spaces. */
export function goJson(m: Record<string, string | string[]>): string {
  const keys = Object.keys(m).sort();
  const val = (v: string | string[]): string => (Array.isArray(v) ? `[${v.map(goJsonString).join(',')}]` : goJsonString(v));
  return `{${keys.map((k) => `${goJsonString(k)}:${val(m[k])}`).join(',')}}`;
}

/** fmt's %s of a map[string]string: `map[error:exit status 1 output:hi]`, keys sorted. */
export function goMapString(m: Record<string, string>): string {
  return `map[${Object.keys(m).sort().map((k) => `${k}:${m[k]}`).join(' ')}]`;
}
