/**
 * The CNI spec's data (SPEC.md 1.0): network configuration, the result a plugin prints, the
 * error JSON and its well-known codes, and how a result is printed for the version the caller
 * asked for (types.PrintResult: the 0.3/0.4 results carry `"version": "4"` on each IP).
 */

/** Well-known error codes (SPEC.md "Error"); plugins' own failures are 999 (skel's ErrInternal). */
export const ErrCode = {
  IncompatibleCNIVersion: 1,
  UnsupportedField: 2,
  UnknownContainer: 3,
  InvalidEnvironmentVariables: 4,
  IOFailure: 5,
  DecodingFailure: 6,
  InvalidNetworkConfig: 7,
  TryAgainLater: 11,
  Internal: 999,
} as const;

/** The versions the reference plugins (and libcni) accept. */
export const SUPPORTED_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];
/** What the plugins build their results as before converting (current.ImplementedSpecVersion). */
export const IMPLEMENTED_VERSION = '1.0.0';

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIPConfig {
  /** Index into interfaces. */
  interface?: number;
  /** CIDR: `10.244.1.2/24`. */
  address: string;
  gateway?: string;
}

export interface CniRoute {
  dst: string;
  gw?: string;
}

export interface CniDNS {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIPConfig[];
  routes?: CniRoute[];
  dns?: CniDNS;
}

/** One plugin's configuration as the plugin receives it on stdin (libcni fills name and cniVersion). */
export interface NetConf {
  cniVersion: string;
  name: string;
  type: string;
  capabilities?: Record<string, boolean>;
  ipam?: { type?: string; [k: string]: unknown };
  dns?: CniDNS;
  runtimeConfig?: Record<string, unknown>;
  prevResult?: CniResult;
  [k: string]: unknown;
}

/** A configuration list (`.conflist`). */
export interface NetConfList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: NetConf[];
}

/**
 * A plugin's failure: the spec's error object. `message` is the text libcni's error prints
 * (types.Error.Error(): msg, then `; details`).
 */
export class CniError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly details = '',
    message?: string,
  ) {
    super(message ?? (details ? `${msg}; ${details}` : msg));
  }

  /** The same error as a caller reports it: `<prefix>: <this error's text>` (libcni's wrapping). */
  wrap(prefix: string): CniError {
    return new CniError(this.code, this.msg, this.details, `${prefix}: ${this.message}`);
  }

  /** The error JSON a plugin prints on stdout. */
  toJSON(cniVersion: string): Record<string, unknown> {
    return { cniVersion, code: this.code, msg: this.msg, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Any failure as the spec's error: a CniError stays as it is, anything else is code 999. */
export function asCniError(e: unknown): CniError {
  if (e instanceof CniError) return e;
  return new CniError(ErrCode.Internal, e instanceof Error ? e.message : String(e));
}

function versionTuple(v: string): number[] {
  return v.split('.').map((x) => Number(x) || 0);
}

/** version.GreaterThanOrEqualTo. */
export function versionAtLeast(v: string, min: string): boolean {
  const a = versionTuple(v);
  const b = versionTuple(min);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Checks a configuration's cniVersion the way a plugin's skel does (code 1 when unsupported). */
export function checkVersion(v: string | undefined): string {
  const version = v || '0.1.0';
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new CniError(ErrCode.IncompatibleCNIVersion, 'incompatible CNI versions', `config is "${version}", plugin supports ${JSON.stringify(SUPPORTED_VERSIONS)}`);
  }
  return version;
}

/**
 * A result in the shape of `cniVersion` with Go's field order (types.PrintResult): 0.3.x and
 * 0.4.0 IPs carry `version`, 1.0.0 dropped it; `dns` is always present (a Go struct).
 */
export function convertResult(r: CniResult, cniVersion: string): CniResult {
  const legacy = !versionAtLeast(cniVersion, '1.0.0');
  const out: CniResult = { cniVersion };
  if (r.interfaces?.length) out.interfaces = r.interfaces.map((i) => ({ name: i.name, ...(i.mac ? { mac: i.mac } : {}), ...(i.sandbox ? { sandbox: i.sandbox } : {}) }));
  if (r.ips?.length) {
    out.ips = r.ips.map((ip) => ({
      ...(legacy ? { version: ip.address.includes(':') ? '6' : '4' } : {}),
      ...(ip.interface !== undefined ? { interface: ip.interface } : {}),
      address: ip.address,
      ...(ip.gateway ? { gateway: ip.gateway } : {}),
    }));
  }
  if (r.routes?.length) out.routes = r.routes.map((rt) => ({ dst: rt.dst, ...(rt.gw ? { gw: rt.gw } : {}) }));
  out.dns = { ...(r.dns ?? {}) };
  return out;
}

/** The JSON text a plugin prints (Go's json.MarshalIndent with four spaces). */
export function printJSON(v: unknown): string {
  return JSON.stringify(v, null, 4);
}
