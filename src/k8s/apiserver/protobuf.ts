/** Decodes the Kubernetes protobuf request bodies kubectl ≥ 1.32 sends (`kubectl create …`, `autoscale`, `auth can-i`) into the object's JSON form. */
import { badRequest } from '../api/errors.ts';
import { Deployment } from './protobuf/apps.ts';
import { SelfSubjectAccessReview } from './protobuf/authorization.ts';
import { HorizontalPodAutoscalerV1, HorizontalPodAutoscalerV2 } from './protobuf/autoscaling.ts';
import { CronJob, Job } from './protobuf/batch.ts';
import { ConfigMap, Namespace, ResourceQuota, Secret, Service, ServiceAccount } from './protobuf/core.ts';
import { Ingress, PodDisruptionBudget, PriorityClass, TokenRequest } from './protobuf/misc.ts';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './protobuf/rbac.ts';
import type { FieldSpec, FieldType, MessageType, Scalar } from './protobuf/schema.ts';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** Whether a Content-Type names the Kubernetes protobuf encoding (parameters and case ignored). */
export function isProtobuf(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0].trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

/**
 * apiVersion/kind → the message table of that object. The field numbers are those of k8s.io/api and
 * apimachinery generated.proto (checked against the descriptors compiled into kubectl 1.32 and 1.33),
 * the names and omitempty rules those of the Go types' JSON tags.
 */
const KINDS: ReadonlyMap<string, MessageType> = new Map([
  ['v1/Namespace', Namespace],
  ['v1/ConfigMap', ConfigMap],
  ['v1/Secret', Secret],
  ['v1/ServiceAccount', ServiceAccount],
  ['v1/Service', Service],
  ['v1/ResourceQuota', ResourceQuota],
  ['apps/v1/Deployment', Deployment],
  ['batch/v1/Job', Job],
  ['batch/v1/CronJob', CronJob],
  ['autoscaling/v1/HorizontalPodAutoscaler', HorizontalPodAutoscalerV1],
  ['autoscaling/v2/HorizontalPodAutoscaler', HorizontalPodAutoscalerV2],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', SelfSubjectAccessReview],
  ['authentication.k8s.io/v1/TokenRequest', TokenRequest],
  ['rbac.authorization.k8s.io/v1/Role', Role],
  ['rbac.authorization.k8s.io/v1/ClusterRole', ClusterRole],
  ['rbac.authorization.k8s.io/v1/RoleBinding', RoleBinding],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', ClusterRoleBinding],
  ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
  ['scheduling.k8s.io/v1/PriorityClass', PriorityClass],
  ['networking.k8s.io/v1/Ingress', Ingress],
]);

/** The `apiVersion/kind` pairs decodeKubeProtobuf knows, e.g. `apps/v1/Deployment`. */
export function protobufKinds(): string[] {
  return [...KINDS.keys()];
}

/** `k8s\0`, the prefix runtime/serializer/protobuf writes before the runtime.Unknown envelope. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/**
 * The object in a protobuf request body as Kubernetes JSON: `kind` and `apiVersion` from the
 * envelope, then the fields in Go's order, with Go's JSON rules (zero values of omitempty
 * fields dropped, `creationTimestamp: null`, Secret data in base64, IntOrString as number or
 * string). Throws a 400 StatusError for a body that is not a well-formed protobuf object or
 * whose kind has no table here. Fields without a table entry are skipped, as Go's decoder does.
 */
export function decodeKubeProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw badRequest(`the provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`);
  }
  // runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}
  const envelope = readFields(body.subarray(MAGIC.length), 'Unknown');
  const typeMeta = readFields(lastBytes(envelope, 1, 'Unknown', 'typeMeta'), 'TypeMeta');
  const apiVersion = utf8(lastBytes(typeMeta, 1, 'TypeMeta', 'apiVersion'));
  const kind = utf8(lastBytes(typeMeta, 2, 'TypeMeta', 'kind'));
  const raw = lastBytes(envelope, 2, 'Unknown', 'raw');
  const contentEncoding = utf8(lastBytes(envelope, 3, 'Unknown', 'contentEncoding'));
  const contentType = utf8(lastBytes(envelope, 4, 'Unknown', 'contentType'));
  if (contentEncoding) throw badRequest(`unsupported protobuf content encoding "${contentEncoding}"`);
  // Go leaves contentType empty for the nested object; anything else would be another encoding inside.
  if (contentType && !isProtobuf(contentType)) throw badRequest(`unsupported content type "${contentType}" inside the protobuf envelope`);
  if (!kind) throw badRequest("Object 'Kind' is missing in protobuf body");
  const type = KINDS.get(`${apiVersion}/${kind}`);
  if (!type) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in podlab's protobuf decoder`);
  return { kind, apiVersion, ...decodeMessage(raw, type) };
}

// ---- wire format -----------------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

type Wire = { wire: typeof WIRE_VARINT; value: bigint } | { wire: typeof WIRE_LEN; value: Uint8Array } | { wire: typeof WIRE_FIXED64 | typeof WIRE_FIXED32; value: Uint8Array };

const EMPTY = new Uint8Array(0);

/** Field number → every occurrence, in wire order; `where` names the message in errors. */
function readFields(buf: Uint8Array, where: string): Map<number, Wire[]> {
  const out = new Map<number, Wire[]>();
  const r = { buf, pos: 0 };
  while (r.pos < buf.length) {
    const key = readVarint(r);
    const wire = Number(key & 7n);
    const number = Number(key >> 3n);
    if (number === 0) throw badRequest(`proto: ${where}: illegal tag 0 (wire type ${wire})`);
    if (key >> 3n > 0x1fffffffn) throw badRequest(`proto: ${where}: field number out of range`);
    let entry: Wire;
    switch (wire) {
      case WIRE_VARINT: entry = { wire, value: readVarint(r) }; break;
      case WIRE_LEN: {
        const len = readVarint(r);
        if (len > BigInt(buf.length - r.pos)) throw badRequest('unexpected EOF');
        entry = { wire, value: buf.subarray(r.pos, r.pos + Number(len)) };
        r.pos += Number(len);
        break;
      }
      case WIRE_FIXED64: case WIRE_FIXED32: {
        const len = wire === WIRE_FIXED64 ? 8 : 4;
        if (r.pos + len > buf.length) throw badRequest('unexpected EOF');
        entry = { wire, value: buf.subarray(r.pos, r.pos + len) };
        r.pos += len;
        break;
      }
      // Groups (3, 4) are proto1 leftovers no Kubernetes type uses; 6 and 7 are not wire types.
      default: throw badRequest(`proto: ${where}: illegal wireType ${wire}`);
    }
    const list = out.get(number);
    if (list) list.push(entry); else out.set(number, [entry]);
  }
  return out;
}

function readVarint(r: { buf: Uint8Array; pos: number }): bigint {
  let v = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (r.pos >= r.buf.length) throw badRequest('unexpected EOF');
    const b = r.buf[r.pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return v;
  }
  throw badRequest('proto: integer overflow');
}

/** The last length-delimited occurrence of a field (proto's "last one wins"), or empty bytes. */
function lastBytes(fields: Map<number, Wire[]>, number: number, where: string, name: string): Uint8Array {
  const list = fields.get(number);
  if (!list) return EMPTY;
  const last = list[list.length - 1];
  if (last.wire !== WIRE_LEN) throw wrongWire(where, name, last.wire);
  return last.value;
}

function wrongWire(where: string, name: string, wire: number) {
  return badRequest(`proto: wrong wireType = ${wire} for field ${where}.${name}`);
}

const decoder = new TextDecoder();
/** Go keeps invalid UTF-8 in strings and its JSON encoder writes U+FFFD for it; TextDecoder does the same. */
function utf8(b: Uint8Array): string {
  return decoder.decode(b);
}

// ---- tables → JSON ---------------------------------------------------------------------------

function decodeMessage(buf: Uint8Array, type: MessageType): Record<string, unknown> {
  const wire = readFields(buf, type.name);
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const entries = wire.get(f.number) ?? [];
    if (f.inline) {
      Object.assign(out, decodeMessage(joined(entries, type, f), f.type as MessageType));
      continue;
    }
    const v = f.map ? decodeMap(entries, type, f) : f.list ? decodeList(entries, type, f) : decodeSingle(entries, type, f);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

/** An embedded message sent more than once is merged, which for protobuf is decoding the concatenation. */
function joined(entries: Wire[], owner: MessageType, f: FieldSpec): Uint8Array {
  const parts = entries.map((e) => {
    if (e.wire !== WIRE_LEN) throw wrongWire(owner.name, f.name, e.wire);
    return e.value;
  });
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** What Go's JSON has for a field the body did not carry: nothing for omitempty, else the zero value. */
function absent(f: FieldSpec): unknown {
  if (!f.keep) return undefined;
  if (f.list || f.map || f.ptr) return null;
  return typeof f.type === 'string' && isScalar(f.type) ? zero(f.type) : decodeValue(EMPTY, f.type);
}

function decodeSingle(entries: Wire[], owner: MessageType, f: FieldSpec): unknown {
  if (entries.length === 0) return absent(f);
  if (typeof f.type === 'string' && isScalar(f.type)) {
    const v = scalar(entries[entries.length - 1], f.type, owner, f);
    // Go sends every non-pointer field, zero or not; JSON drops the zero ones tagged omitempty.
    return !f.ptr && !f.keep && v === zero(f.type) ? undefined : v;
  }
  return decodeValue(joined(entries, owner, f), f.type);
}

function decodeList(entries: Wire[], owner: MessageType, f: FieldSpec): unknown {
  const out: unknown[] = [];
  for (const e of entries) {
    if (typeof f.type === 'string' && isScalar(f.type)) {
      if (e.wire === WIRE_LEN && isVarintScalar(f.type)) {
        // A packed run of varints (Go writes proto2 repeated numbers unpacked, other encoders may not).
        const r = { buf: e.value, pos: 0 };
        while (r.pos < r.buf.length) out.push(varintValue(readVarint(r), f.type));
      } else {
        out.push(scalar(e, f.type, owner, f));
      }
    } else {
      if (e.wire !== WIRE_LEN) throw wrongWire(owner.name, f.name, e.wire);
      out.push(decodeValue(e.value, f.type));
    }
  }
  return out.length ? out : absent(f);
}

/** map<string, V> arrives as repeated {1 key, 2 value} entries; encoding/json prints the keys sorted. */
function decodeMap(entries: Wire[], owner: MessageType, f: FieldSpec): unknown {
  const pairs = new Map<string, unknown>();
  for (const e of entries) {
    if (e.wire !== WIRE_LEN) throw wrongWire(owner.name, f.name, e.wire);
    const entry = readFields(e.value, `${owner.name}.${f.name}`);
    const key = utf8(lastBytes(entry, 1, owner.name, `${f.name}.key`));
    const values = entry.get(2) ?? [];
    let value: unknown;
    if (typeof f.type === 'string' && isScalar(f.type)) {
      value = values.length ? scalar(values[values.length - 1], f.type, owner, f) : zero(f.type);
    } else {
      value = decodeValue(joined(values, owner, f), f.type);
    }
    pairs.set(key, value);
  }
  if (pairs.size === 0) return absent(f);
  const out: Record<string, unknown> = {};
  for (const k of [...pairs.keys()].sort()) out[k] = pairs.get(k);
  return out;
}

function isScalar(t: string): t is Scalar {
  return t === 'string' || t === 'bytes' || t === 'bool' || t === 'int32' || t === 'int64';
}

function isVarintScalar(t: Scalar): boolean {
  return t === 'bool' || t === 'int32' || t === 'int64';
}

function zero(t: Scalar): string | number | boolean {
  return t === 'bool' ? false : t === 'int32' || t === 'int64' ? 0 : '';
}

function scalar(e: Wire, t: Scalar, owner: MessageType, f: FieldSpec): string | number | boolean {
  if (isVarintScalar(t)) {
    if (e.wire !== WIRE_VARINT) throw wrongWire(owner.name, f.name, e.wire);
    return varintValue(e.value, t);
  }
  if (e.wire !== WIRE_LEN) throw wrongWire(owner.name, f.name, e.wire);
  return t === 'bytes' ? Buffer.from(e.value).toString('base64') : utf8(e.value);
}

function varintValue(v: bigint, t: Scalar): number | boolean {
  if (t === 'bool') return v !== 0n;
  // Negative numbers are ten-byte two's complement; int32 keeps the low 32 bits, as Go's int32() does.
  return Number(BigInt.asIntN(t === 'int32' ? 32 : 64, v));
}

/** A message-typed value: a table, or one of the apimachinery types with their own JSON. */
function decodeValue(buf: Uint8Array, type: Exclude<FieldType, Scalar>): unknown {
  switch (type) {
    case 'Time': return decodeTime(buf);
    case 'IntOrString': return decodeIntOrString(buf);
    case 'Quantity': return decodeQuantity(buf);
    case 'FieldsV1': return decodeFieldsV1(buf);
    default: return decodeMessage(buf, type);
  }
}

/**
 * metav1.Time {1 seconds, 2 nanos}. Go sends the zero time as an empty message and prints it as
 * null; otherwise RFC 3339 in UTC to the second (Time's Unmarshal drops the nanoseconds too).
 */
function decodeTime(buf: Uint8Array): string | null {
  if (buf.length === 0) return null;
  const f = readFields(buf, 'Time');
  const seconds = varintField(f, 1, 'Time', 'seconds', 64);
  varintField(f, 2, 'Time', 'nanos', 32);
  const GO_ZERO_TIME = -62135596800; // 0001-01-01T00:00:00Z, Go's time.Time{}
  if (seconds === GO_ZERO_TIME) return null;
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) {
    throw badRequest(`Time.MarshalJSON: year outside of range [0,9999]`);
  }
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** intstr.IntOrString {1 type, 2 intVal, 3 strVal}: type 1 is a string, anything else the int. */
function decodeIntOrString(buf: Uint8Array): number | string {
  const f = readFields(buf, 'IntOrString');
  const type = varintField(f, 1, 'IntOrString', 'type', 64);
  if (type === 1) return utf8(lastBytes(f, 3, 'IntOrString', 'strVal'));
  return varintField(f, 2, 'IntOrString', 'intVal', 32);
}

/** The grammar resource.ParseQuantity accepts: a signed decimal and an optional suffix. */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** resource.Quantity {1 string}, already canonical as Go writes it; the zero Quantity prints "0". */
function decodeQuantity(buf: Uint8Array): string {
  const s = utf8(lastBytes(readFields(buf, 'Quantity'), 1, 'Quantity', 'string'));
  if (s === '') return '0';
  if (!QUANTITY.test(s)) throw badRequest(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  return s;
}

/** metav1.FieldsV1 {1 Raw}: the managed-fields JSON itself. */
function decodeFieldsV1(buf: Uint8Array): unknown {
  const raw = lastBytes(readFields(buf, 'FieldsV1'), 1, 'FieldsV1', 'Raw');
  if (raw.length === 0) return null;
  try {
    return JSON.parse(utf8(raw));
  } catch {
    throw badRequest('FieldsV1: invalid JSON in managedFields');
  }
}

function varintField(f: Map<number, Wire[]>, number: number, where: string, name: string, bits: 32 | 64): number {
  const list = f.get(number);
  if (!list) return 0;
  const last = list[list.length - 1];
  if (last.wire !== WIRE_VARINT) throw wrongWire(where, name, last.wire);
  return Number(BigInt.asIntN(bits, last.value));
}
