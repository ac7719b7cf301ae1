/**
 * The building blocks of the API server's validation, in upstream's words: the field-error
 * constructors of k8s.io/apimachinery/pkg/util/validation/field, the string checks of
 * k8s.io/apimachinery/pkg/util/validation (as kube-apiserver 1.32 words them), and Go's `%#v`
 * rendering of the few composite bad values upstream prints (`map[string]string{"app":"x"}`,
 * `[]string{"10.96.0.5"}`, `v1.LabelSelector{…}`).
 *
 * errors.ts renders a bad value as a Go string (`"x"`) or number; a composite value Go prints
 * with `%#v` is carried as text in front of the detail instead (badValue left out), which
 * renders the same `Invalid value: map[string]string{"app":"x"}: detail`.
 */
import type { FieldError } from '../../api/errors.ts';
import { parseIPv4 } from '../../../kernel/addr.ts';

export type Errs = FieldError[];

// ---- field errors ------------------------------------------------------------------------

export function required(field: string, detail = ''): FieldError {
  return detail ? { type: 'FieldValueRequired', field, detail } : { type: 'FieldValueRequired', field };
}

/**
 * Go's ErrorBody prints a nil bad value (or nil pointer) as the quoted string "null"; pass such
 * values on as that string so errors.ts renders the same.
 */
function goValue(value: unknown): unknown {
  return value === undefined || value === null ? 'null' : value;
}

/** field.Invalid with a value errors.ts can render (string, number, boolean; nil as "null"). */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue: goValue(value), detail };
}

/** field.Invalid whose value Go prints with %#v: `goText` is that rendering. */
export function invalidGo(field: string, goText: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: detail ? `${goText}: ${detail}` : goText };
}

export function notSupported(field: string, value: unknown, valid: readonly string[]): FieldError {
  const detail = valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field, badValue: goValue(value), ...(detail ? { detail } : {}) };
}

/** field.NotSupported whose value Go prints with %#v. */
export function notSupportedGo(field: string, goText: string, valid: readonly string[]): FieldError {
  const detail = valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field, detail: detail ? `${goText}: ${detail}` : goText };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue: value };
}

export function duplicateGo(field: string, goText: string, detail = ''): FieldError {
  return { type: 'FieldValueDuplicate', field, detail: detail ? `${goText}: ${detail}` : goText };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function notFound(field: string, value: unknown): FieldError {
  return { type: 'FieldValueNotFound', field, badValue: value };
}

export function tooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `may not be more than ${max} bytes` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, badValue: actual, detail: `must have at most ${max} items` };
}

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';

/** ValidateNonnegativeField. */
export function nonNegative(value: unknown, field: string): Errs {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, IS_NEGATIVE)] : [];
}

// ---- Go %#v rendering ---------------------------------------------------------------------

/** Go's %q for a string (strconv.Quote), close enough for printable text. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}

export function goStrings(a: readonly unknown[] | undefined | null): string {
  if (a === undefined || a === null) return '[]string(nil)';
  return `[]string{${a.map((s) => goQuote(String(s))).join(', ')}}`;
}

interface SelectorLike {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key?: string; operator?: string; values?: string[] | null }[] | null;
}

/** A metav1.LabelSelector as `%#v` prints it. */
export function goLabelSelector(sel: SelectorLike | undefined | null): string {
  if (sel === undefined || sel === null) return '(*v1.LabelSelector)(nil)';
  const exprs = sel.matchExpressions;
  const exprText = exprs === undefined || exprs === null
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStrings(e.values)}}`).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** An intstr.IntOrString as `%#v` prints it. */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  const n = typeof v === 'number' ? v : 0;
  return `intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`;
}

// ---- string checks (k8s.io/apimachinery/pkg/util/validation) ------------------------------

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(v)) {
    if (DNS1123_SUBDOMAIN_RE.test(v)) errs.push('must not contain dots');
    else errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(v)) errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(v)) errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** apimachinery's maskTrailingDash: a generateName prefix may end in '-'. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

export type NameFn = (name: string, prefix: boolean) => string[];
export const nameIsDNSSubdomain: NameFn = (n, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(n) : n);
export const nameIsDNSLabel: NameFn = (n, prefix) => isDNS1123Label(prefix ? maskTrailingDash(n) : n);
export const nameIsDNS1035Label: NameFn = (n, prefix) => isDNS1035Label(prefix ? maskTrailingDash(n) : n);

const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_RE = new RegExp(`^${QNAME_FMT}$`);
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** IsQualifiedName: label keys, annotation keys (lowercased), finalizers. */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (!prefix.length) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (!name.length) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QNAME_RE.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(v)) errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

export function isValidPortNum(p: unknown): string[] {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';

export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${CONFIG_KEY_FMT}$`).test(v)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...chDirPrefix(v));
  return errs;
}

function chDirPrefix(v: string): string[] {
  if (v === '.') return ["must not be '.'"];
  if (v === '..') return ["must not be '..'"];
  if (v.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on by default since 1.32). */
export function isRelaxedEnvVarName(v: string): string[] {
  const errs: string[] = [];
  if (!v.length) errs.push('environment variable name must be non-empty');
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

export function isValidPercent(v: string): string[] {
  return /^[0-9]+%$/.test(v) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%')];
}

/** netutils.ParseIPSloppy for IPv4 (leading zeros allowed) and a loose IPv6 check. */
export function parseIPSloppy(v: string): { family: 'IPv4'; value: number } | { family: 'IPv6' } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) {
    const n = parseIPv4(v.split('.').map((p) => String(Number(p))).join('.'));
    return n === undefined ? undefined : { family: 'IPv4', value: n };
  }
  if (v.includes(':') && isIPv6(v)) return { family: 'IPv6' };
  return undefined;
}

function isIPv6(v: string): boolean {
  let s = v;
  const dot = s.lastIndexOf(':');
  if (s.slice(dot + 1).includes('.')) {
    if (!parseIPSloppy(s.slice(dot + 1)) || parseIPSloppy(s.slice(dot + 1))?.family !== 'IPv4') return false;
    s = `${s.slice(0, dot + 1)}0:0`;
  }
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const groups = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const head = groups(dbl[0]);
  const tail = dbl.length === 2 ? groups(dbl[1]) : [];
  if (![...head, ...tail].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const n = head.length + tail.length;
  return dbl.length === 2 ? n < 8 : n === 8;
}

export function isValidIP(field: string, v: string): Errs {
  return parseIPSloppy(v) ? [] : [invalid(field, v, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function isValidIPv4Address(field: string, v: string): Errs {
  const ip = parseIPSloppy(v);
  return ip && ip.family === 'IPv4' ? [] : [invalid(field, v, 'must be a valid IPv4 address')];
}

export function isValidCIDR(field: string, v: string): Errs {
  const m = /^(.*)\/(\d{1,3})$/.exec(v);
  const ip = m ? parseIPSloppy(m[1]) : undefined;
  const ok = !!m && !!ip && Number(m[2]) <= (ip.family === 'IPv4' ? 32 : 128);
  return ok ? [] : [invalid(field, v, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** ValidateNonSpecialIP (Endpoints, EndpointSlices, externalIPs). */
export function validateNonSpecialIP(v: string, field: string): Errs {
  const ip = parseIPSloppy(v);
  if (!ip) return [invalid(field, v, 'must be a valid IP address')];
  if (ip.family !== 'IPv4') {
    const lower = v.toLowerCase();
    if (lower === '::') return [invalid(field, v, `may not be unspecified (${v})`)];
    if (lower === '::1') return [invalid(field, v, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
    if (/^fe[89ab]/.test(lower)) return [invalid(field, v, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
    if (lower.startsWith('ff02:')) return [invalid(field, v, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
    return [];
  }
  const n = ip.value;
  const errs: Errs = [];
  if (n === 0) errs.push(invalid(field, v, `may not be unspecified (${v})`));
  if (n >>> 24 === 127) errs.push(invalid(field, v, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (n >>> 16 === (169 << 8 | 254)) errs.push(invalid(field, v, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (n >>> 8 === (224 << 16)) errs.push(invalid(field, v, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

// ---- small helpers over JSON values ---------------------------------------------------------

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The object at `o[k]`, created when missing. */
export function child(o: Obj, k: string): Obj {
  let c = o[k];
  if (!isObj(c)) o[k] = c = {};
  return c as Obj;
}

export function arr<T = Obj>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function setDefault(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null || o[k] === '') o[k] = v;
}
