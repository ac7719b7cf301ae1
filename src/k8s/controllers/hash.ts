/**
 * The hashes controllers name and order things by: the Deployment's pod-template-hash (fnv32a
 * of the template, plus collisionCount, written with rand.SafeEncodeString), and the md5 of
 * go-spew's `%#v` rendering that the Endpoints controller sorts ports and subsets by.
 */
import { createHash } from 'node:crypto';
import { canonicalJSON } from './util.ts';

/** rand.SafeEncodeString's alphabet: no vowels (no words), no 0/1/3 (look like o/l/e). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a. */
export function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte of `s` mapped onto the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/**
 * controller.ComputeHash: upstream hashes go-spew's dump of the Go struct; podlab hashes the
 * template's canonical JSON instead (the same template always gives the same hash, and the
 * result has upstream's shape: the decimal uint32 safe-encoded, 8 to 10 characters such as
 * `669c78484d`). collisionCount, when set, is appended as 4 little-endian bytes.
 */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJSON(template), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

// ---- go-spew %#v, as hashutil.DeepHashObject feeds md5 ----------------------------------------

export interface SpewPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface SpewAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string };
}

export interface SpewSubset {
  addresses?: SpewAddress[];
  notReadyAddresses?: SpewAddress[];
  ports?: SpewPort[];
}

function ptrString(v: string | undefined): string {
  return v === undefined ? '(*string)<nil>' : `(*string)${v}`;
}

/** The fields of a v1.EndpointPort as spew prints them inside `{…}`. */
function portFields(p: SpewPort): string {
  return `Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:${ptrString(p.appProtocol)}`;
}

function addressFields(a: SpewAddress): string {
  const r = a.targetRef;
  const ref = r === undefined ? '(*v1.ObjectReference)<nil>'
    : `(*v1.ObjectReference){Kind:(string)${r.kind ?? ''} Namespace:(string)${r.namespace ?? ''} Name:(string)${r.name ?? ''} UID:(types.UID)${r.uid ?? ''} APIVersion:(string)${r.apiVersion ?? ''} ResourceVersion:(string)${r.resourceVersion ?? ''} FieldPath:(string)${r.fieldPath ?? ''}}`;
  return `IP:(string)${a.ip} Hostname:(string)${a.hostname ?? ''} NodeName:${ptrString(a.nodeName)} TargetRef:${ref}`;
}

/** A slice field: `([]T)<nil>` when nil (absent), else `([]T)[{…} {…}]` (elements without their type). */
function slice<T>(type: string, items: T[] | undefined, fields: (x: T) => string): string {
  if (items === undefined) return `([]${type})<nil>`;
  return `([]${type})[${items.map((x) => `{${fields(x)}}`).join(' ')}]`;
}

/** `%#v` of a v1.EndpointPort value. */
export function spewEndpointPort(p: SpewPort): string {
  return `(v1.EndpointPort){${portFields(p)}}`;
}

/** `%#v` of a v1.EndpointSubset value. */
export function spewEndpointSubset(s: SpewSubset): string {
  return `(v1.EndpointSubset){Addresses:${slice('v1.EndpointAddress', s.addresses, addressFields)} NotReadyAddresses:${slice('v1.EndpointAddress', s.notReadyAddresses, addressFields)} Ports:${slice('v1.EndpointPort', s.ports, portFields)}}`;
}

export function md5hex(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}
