/** The query parameters (and DeleteOptions) of resource requests, parsed and checked with the API server's words. */
import { badRequest, invalid, type FieldError } from '../api/errors.ts';
import type { DeleteOptions } from '../registry/registry.ts';
import type { FieldValidation } from './fieldvalidation.ts';

/** Go's strconv.ParseBool, as the API server decodes boolean query parameters. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return n;
}

export function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw invalid('', '', '', [{ type: 'FieldValueNotSupported', field: 'dryRun', badValue: values, detail: 'supported values: "All"' }]);
  }
  return values.length > 0;
}

/** `fieldValidation` (Warn when absent, as the server defaults it since 1.27). */
export function validationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation') ?? '';
  if (v === '' || v === 'Warn') return 'Warn';
  if (v === 'Strict' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Strict" or "Warn", got "${v}"`);
}

export function includeObjectOf(q: URLSearchParams): 'None' | 'Metadata' | 'Object' | undefined {
  const v = q.get('includeObject');
  if (v === null || v === '') return undefined;
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`);
}

/** DeleteOptions from the body (JSON, as kubectl sends it) and the query, validated as upstream does. */
export function deleteOptionsOf(q: URLSearchParams, raw: Buffer): DeleteOptions {
  const opts: DeleteOptions = {};
  let body: Record<string, unknown> = {};
  if (raw.length) {
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw badRequest(`the object provided is unrecognized (must be of type DeleteOptions): couldn't get version/kind; json parse error: unexpected end of JSON input`);
    }
    if (!body || typeof body !== 'object') body = {};
  }
  const grace = body.gracePeriodSeconds ?? queryInt(q, 'gracePeriodSeconds');
  if (typeof grace === 'number') opts.gracePeriodSeconds = grace;
  let policy = (body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined) as string | undefined;
  const orphan = body.orphanDependents ?? (q.has('orphanDependents') ? queryBool(q, 'orphanDependents') : undefined);
  const errs: FieldError[] = [];
  if (orphan !== undefined && policy) errs.push({ type: 'FieldValueInvalid', field: 'propagationPolicy', badValue: policy, detail: 'orphanDependents and deletionPropagation cannot be both set' });
  if (orphan !== undefined && !policy) policy = orphan ? 'Orphan' : 'Background';
  if (policy && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    errs.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: policy, detail: 'supported values: "Foreground", "Background", "Orphan"' });
  }
  if (errs.length) throw invalid('DeleteOptions', 'meta.k8s.io', '', errs);
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  const pre = body.preconditions as DeleteOptions['preconditions'] | undefined;
  if (pre && typeof pre === 'object') opts.preconditions = pre;
  const bodyDryRun = Array.isArray(body.dryRun) ? (body.dryRun as string[]) : [];
  for (const v of bodyDryRun) if (v !== 'All') throw invalid('', '', '', [{ type: 'FieldValueNotSupported', field: 'dryRun', badValue: bodyDryRun, detail: 'supported values: "All"' }]);
  opts.dryRun = dryRunOf(q) || bodyDryRun.length > 0;
  return opts;
}
