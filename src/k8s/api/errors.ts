/**
 * API errors as the API server reports them: a metav1.Status with code, reason and message,
 * and field errors (k8s.io/apimachinery/pkg/util/validation/field) rendered in upstream's words,
 * so `kubectl` prints `Error from server (NotFound): pods "x" not found` or
 * `The Service "x" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`.
 */

export type StatusReason =
  | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest' | 'MethodNotAllowed'
  | 'UnsupportedMediaType' | 'NotAcceptable' | 'Gone' | 'Expired' | 'Forbidden' | 'Unauthorized'
  | 'InternalError' | 'Timeout' | 'ServiceUnavailable' | 'RequestEntityTooLarge' | 'TooManyRequests'
  /** Internal errors the server reports without a reason (kubectl prints `Error from server: …`). */
  | '';

export interface StatusCause { reason?: string; message?: string; field?: string }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The JSON body of an error (and of some successes). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failed API request. Thrown by the store, the registry and the strategies; the HTTP layer turns it into a Status body. */
export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;
  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  status(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** `qualified` is the group-qualified resource: `pods`, `deployments.apps`. */
export function notFound(qualified: string, name: string): StatusError {
  const [resource, group] = splitQualified(qualified);
  return new StatusError(404, 'NotFound', `${qualified} "${name}" not found`, { name, ...(group ? { group } : {}), kind: resource });
}

export function alreadyExists(qualified: string, name: string): StatusError {
  const [resource, group] = splitQualified(qualified);
  return new StatusError(409, 'AlreadyExists', `${qualified} "${name}" already exists`, { name, ...(group ? { group } : {}), kind: resource });
}

/** The optimistic-concurrency failure of an update carrying a stale resourceVersion. */
export function conflict(qualified: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  const [resource, group] = splitQualified(qualified);
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified} "${name}": ${why}`, { name, ...(group ? { group } : {}), kind: resource });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`);
}

function splitQualified(q: string): [string, string] {
  const i = q.indexOf('.');
  return i < 0 ? [q, ''] : [q.slice(0, i), q.slice(i + 1)];
}

// ---- field errors -------------------------------------------------------------------------

export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany'
  | 'InternalError' | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** The path as upstream prints it: `spec.ports[0].port`, `metadata.labels`. */
  field: string;
  badValue?: unknown;
  detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose message omits the bad value (field.Error.ErrorBody). */
const OMIT_VALUE = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** Go's %v-ish rendering of a bad value, as field.Error.ErrorBody does it: strings quoted, numbers bare. */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[]${'interface {}'}{${v.map(renderValue).join(', ')}}`;
  return JSON.stringify(v);
}

/** `Invalid value: 0: must be between 1 and 65535, inclusive` (without the field). */
export function fieldErrorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (!OMIT_VALUE.has(e.type) && e.badValue !== undefined) s += `: ${renderValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. */
export function fieldErrorString(e: FieldError): string {
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

/**
 * The 422 for an object failing validation: `The Service "x" is invalid: <error>`, or with
 * several errors `The Service "x" is invalid: [<e1>, <e2>]` (errors.NewInvalid + utilerrors aggregate).
 */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const list = dedupe(errs.map(fieldErrorString));
  const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const details: StatusDetails = { name, ...(group ? { group } : {}), kind, causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })) };
  return new StatusError(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${text}`, details);
}

function dedupe(a: string[]): string[] {
  return [...new Set(a)];
}
