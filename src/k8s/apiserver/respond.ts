/** The API server's reply shapes: the ApiRequest/ApiResponse contract, JSON and YAML bodies, metav1.Status errors, and `Warning` headers. */
import { stringify } from 'yaml';
import { StatusError, type Status } from '../api/errors.ts';

export interface ApiRequest {
  method: string;
  /** The path without the query string: `/api/v1/namespaces/default/pods`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: Buffer | string;
  /**
   * A long-lived body (watch, followed logs): the server sends the headers at once, then every
   * `write`, and ends the response when the promise settles. `signal` aborts when the client leaves.
   */
  stream?: (write: (chunk: string) => void, signal: AbortSignal) => Promise<void>;
}

export type ApiHandler = (req: ApiRequest) => Promise<ApiResponse>;

/** A `Warning` header value as the API server writes it (RFC 7234 code 299, no agent). kubectl prints `Warning: text` on stderr. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

function withWarnings(headers: Record<string, string | string[]>, warnings: readonly string[] | undefined): Record<string, string | string[]> {
  if (warnings?.length) headers.warning = [...new Set(warnings)].map(warningHeader);
  return headers;
}

export function jsonReply(status: number, body: unknown, opts: { warnings?: readonly string[]; contentType?: string } = {}): ApiResponse {
  return { status, headers: withWarnings({ 'content-type': opts.contentType ?? 'application/json' }, opts.warnings), body: JSON.stringify(body) };
}

export function yamlReply(status: number, body: unknown, warnings?: readonly string[]): ApiResponse {
  return { status, headers: withWarnings({ 'content-type': 'application/yaml' }, warnings), body: stringify(body) };
}

export function textReply(status: number, text: string): ApiResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

export function statusReply(e: StatusError | Status, warnings?: readonly string[]): ApiResponse {
  const s = e instanceof StatusError ? e.status() : e;
  return jsonReply(s.code, s, { warnings });
}

/** The reply for a path no route serves (upstream's NotFound from the mux, with empty details). */
export function routeNotFound(): ApiResponse {
  return jsonReply(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}

export function notAcceptable(): StatusError {
  return new StatusError(406, 'NotAcceptable', 'the server was unable to respond with a content type that the client supports');
}

export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}
