/**
 * curl 7.88.1's command line, for the options podlab supports: its own parser (short options
 * cluster, long options take their value as the next word, no `--opt=value`), the URL syntax it
 * accepts without a scheme, and the `-w` format's variables and escapes.
 */

export interface CurlOpts {
  urls: string[];
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  output?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  writeOut?: string;
  headers: string[];
  method?: string;
  data?: string;
  fail: boolean;
  userAgent: string;
  resolve: string[];
}

export class CurlUsage extends Error {}

/** Options taking a value, by long name, with their short letter if they have one. */
const VALUED: Record<string, string | undefined> = {
  output: 'o',
  'max-time': 'm',
  'connect-timeout': undefined,
  'write-out': 'w',
  header: 'H',
  request: 'X',
  data: 'd',
  'data-raw': undefined,
  'data-binary': undefined,
  'user-agent': 'A',
  resolve: undefined,
  referer: 'e',
  retry: undefined,
  'retry-delay': undefined,
  interface: undefined,
};

const FLAGS: Record<string, string | undefined> = {
  silent: 's',
  'show-error': 'S',
  verbose: 'v',
  include: 'i',
  head: 'I',
  fail: 'f',
  location: 'L',
  insecure: 'k',
  ipv4: '4',
  'no-progress-meter': undefined,
  'http1.1': undefined,
  'http1.0': '0',
  'no-keepalive': undefined,
  'no-buffer': 'N',
  globoff: 'g',
};

/** A number of seconds; `opt` is the option as the user spelled it (curl quotes it back). */
function seconds(v: string, opt: string): number {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new CurlUsage(`curl: option ${opt}: expected a proper numerical parameter`);
  return Math.round(Number(v) * 1000);
}

export function parseCurlArgs(args: string[]): CurlOpts {
  const o: CurlOpts = { urls: [], silent: false, showError: false, verbose: false, include: false, head: false, headers: [], fail: false, userAgent: 'curl/7.88.1', resolve: [] };
  const set = (name: string, value?: string, opt = `--${name}`): void => {
    switch (name) {
      case 'silent':
        o.silent = true;
        break;
      case 'show-error':
        o.showError = true;
        break;
      case 'verbose':
        o.verbose = true;
        break;
      case 'include':
        o.include = true;
        break;
      case 'head':
        o.head = true;
        break;
      case 'fail':
        o.fail = true;
        break;
      case 'output':
        o.output = value;
        break;
      case 'max-time':
        o.maxTimeMs = seconds(value!, opt);
        break;
      case 'connect-timeout':
        o.connectTimeoutMs = seconds(value!, opt);
        break;
      case 'write-out':
        o.writeOut = value;
        break;
      case 'header':
        o.headers.push(value!);
        break;
      case 'request':
        o.method = value;
        break;
      case 'data':
      case 'data-raw':
      case 'data-binary':
        o.data = o.data === undefined ? value : `${o.data}&${value}`;
        break;
      case 'user-agent':
        o.userAgent = value!;
        break;
      case 'resolve':
        o.resolve.push(value!);
        break;
      default:
        // Accepted and without effect here (-L has nothing to follow without redirects, -k no TLS...).
        break;
    }
  };
  const byShort = (c: string): { name: string; valued: boolean } | undefined => {
    for (const [n, s] of Object.entries(VALUED)) if (s === c) return { name: n, valued: true };
    for (const [n, s] of Object.entries(FLAGS)) if (s === c) return { name: n, valued: false };
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2) {
      const name = a.slice(2);
      if (name in VALUED) {
        if (i + 1 >= args.length) throw new CurlUsage(`curl: option ${a}: requires parameter`);
        set(name, args[++i]);
      } else if (name in FLAGS) set(name);
      else throw new CurlUsage(`curl: option ${a}: is unknown`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const d = byShort(a[j]);
        if (!d) throw new CurlUsage(`curl: option ${a}: is unknown`);
        if (d.valued) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) throw new CurlUsage(`curl: option -${a[j]}: requires parameter`);
          set(d.name, v, `-${a[j]}`);
          break;
        }
        set(d.name);
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

export interface Url {
  scheme: string;
  host: string;
  port: number;
  /** Path and query as sent on the request line. */
  path: string;
  /** The URL as curl reports it (%{url_effective}). */
  effective: string;
}

/** A URL as curl reads it: the scheme defaults to http, the path to `/`. */
export function parseUrl(s: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([/?][^#]*)?(?:#.*)?$/.exec(s);
  if (!m || !m[2]) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (port > 65535) return undefined;
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  const effective = `${scheme}://${m[2]}${m[3] ? `:${m[3]}` : ''}${path}`;
  return { scheme, host: m[2], port, path, effective };
}

/** -w's output: `%{variable}`, `%%`, and the backslash escapes \n \r \t \\. */
export function writeOut(fmt: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '%' && fmt[i + 1] === '%') {
      out += '%';
      i++;
    } else if (c === '%' && fmt[i + 1] === '{') {
      const end = fmt.indexOf('}', i);
      if (end < 0) {
        out += fmt.slice(i);
        break;
      }
      const name = fmt.slice(i + 2, end);
      out += vars[name] ?? '';
      i = end;
    } else if (c === '\\' && i + 1 < fmt.length) {
      const e = fmt[++i];
      out += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === '\\' ? '\\' : `\\${e}`;
    } else out += c;
  }
  return out;
}
