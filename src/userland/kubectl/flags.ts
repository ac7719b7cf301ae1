/** Command-line flags as kubectl's cobra/pflag parse them: long and short forms, values, `--`, and pflag's error messages. */

export type FlagKind = 'bool' | 'string' | 'int' | 'strings' | 'array' | 'duration';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** A value-taking flag that may also stand alone (pflag's NoOptDefVal), e.g. `--all` of some commands. */
  noOptDefault?: string;
}

/** A usage error of the command line: kubectl prints `error: <message>` and `See 'kubectl <cmd> --help' for usage.` */
export class FlagError extends Error {}

export type FlagValue = string | boolean | number | string[];

export interface Parsed {
  /** Flags given, by long name. Repeated `strings`/`array` flags accumulate. */
  flags: Map<string, FlagValue>;
  args: string[];
  /** How many positional arguments came before `--` (cobra's ArgsLenAtDash), -1 without `--`. */
  dashAt: number;
}

/** pflag's strconv.ParseBool. */
export function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

function flagLabel(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  switch (spec.kind) {
    case 'bool': {
      const b = parseBool(raw);
      if (b === undefined) throw new FlagError(`invalid argument "${raw}" for "${flagLabel(spec)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      return b;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "${flagLabel(spec)}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      return Number(raw);
    }
    case 'duration': {
      if (parseDuration(raw) === undefined) throw new FlagError(`invalid argument "${raw}" for "${flagLabel(spec)}" flag: time: invalid duration "${raw}"`);
      return raw;
    }
    default:
      return raw;
  }
}

/** Go's time.ParseDuration, in milliseconds; undefined when malformed. */
export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * unit[part[2]];
  return m[1] === '-' ? -total : total;
}

function store(flags: Map<string, FlagValue>, spec: FlagSpec, raw: string): void {
  const v = convert(spec, raw);
  if (spec.kind === 'strings') {
    // A StringSlice splits its value on commas (as CSV); a StringArray keeps it whole.
    const prev = (flags.get(spec.name) as string[] | undefined) ?? [];
    flags.set(spec.name, [...prev, ...(raw === '' ? [] : raw.split(','))]);
  } else if (spec.kind === 'array') {
    const prev = (flags.get(spec.name) as string[] | undefined) ?? [];
    flags.set(spec.name, [...prev, raw]);
  } else {
    flags.set(spec.name, v);
  }
}

/**
 * Parses `argv` against `specs` with pflag's rules: flags and arguments interleave, `--name=v`,
 * `--name v`, `-n v`, `-nv`, `-n=v`, grouped booleans (`-it`), and `--` ending the flags.
 */
export function parseFlags(argv: string[], specs: readonly FlagSpec[]): Parsed {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags = new Map<string, FlagValue>();
  const args: string[] = [];
  let dashAt = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      dashAt = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      if (body.startsWith('-') || body.startsWith('=')) throw new FlagError(`bad flag syntax: ${a}`);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) store(flags, spec, body.slice(eq + 1));
      else if (spec.kind === 'bool') store(flags, spec, 'true');
      else if (spec.noOptDefault !== undefined) store(flags, spec, spec.noOptDefault);
      else if (i + 1 < argv.length) store(flags, spec, argv[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    // A group of shorthands: -it, -n value, -nvalue, -n=value.
    const shorts = a.slice(1);
    for (let j = 0; j < shorts.length; j++) {
      const c = shorts[j];
      const spec = byShort.get(c);
      if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorts.slice(j)}`);
      const rest = shorts.slice(j + 1);
      if (rest.startsWith('=')) {
        store(flags, spec, rest.slice(1));
        break;
      }
      if (spec.kind === 'bool' || spec.noOptDefault !== undefined) {
        store(flags, spec, spec.kind === 'bool' ? 'true' : spec.noOptDefault!);
        continue;
      }
      if (rest) store(flags, spec, rest);
      else if (i + 1 < argv.length) store(flags, spec, argv[++i]);
      else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
      break;
    }
  }
  return { flags, args, dashAt };
}

/** Typed reads of parsed flags, with the defaults a command declares. */
export class Flags {
  constructor(readonly parsed: Parsed) {}

  has(name: string): boolean {
    return this.parsed.flags.has(name);
  }

  str(name: string, dflt = ''): string {
    const v = this.parsed.flags.get(name);
    return typeof v === 'string' ? v : dflt;
  }

  optStr(name: string): string | undefined {
    const v = this.parsed.flags.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  bool(name: string, dflt = false): boolean {
    const v = this.parsed.flags.get(name);
    return typeof v === 'boolean' ? v : dflt;
  }

  int(name: string, dflt = 0): number {
    const v = this.parsed.flags.get(name);
    return typeof v === 'number' ? v : dflt;
  }

  list(name: string): string[] {
    const v = this.parsed.flags.get(name);
    return Array.isArray(v) ? v : [];
  }
}

/** kubectl's global flags (every command accepts them). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'as', kind: 'string' },
  { name: 'as-group', kind: 'array' },
  { name: 'as-uid', kind: 'string' },
  { name: 'cache-dir', kind: 'string' },
  { name: 'certificate-authority', kind: 'string' },
  { name: 'client-certificate', kind: 'string' },
  { name: 'client-key', kind: 'string' },
  { name: 'cluster', kind: 'string' },
  { name: 'context', kind: 'string' },
  { name: 'disable-compression', kind: 'bool' },
  { name: 'insecure-skip-tls-verify', kind: 'bool' },
  { name: 'kubeconfig', kind: 'string' },
  { name: 'log-flush-frequency', kind: 'duration' },
  { name: 'match-server-version', kind: 'bool' },
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'password', kind: 'string' },
  { name: 'profile', kind: 'string' },
  { name: 'profile-output', kind: 'string' },
  { name: 'request-timeout', kind: 'string' },
  { name: 'server', short: 's', kind: 'string' },
  { name: 'tls-server-name', kind: 'string' },
  { name: 'token', kind: 'string' },
  { name: 'user', kind: 'string' },
  { name: 'username', kind: 'string' },
  { name: 'v', short: 'v', kind: 'string' },
  { name: 'vmodule', kind: 'string' },
  { name: 'warnings-as-errors', kind: 'bool' },
  { name: 'help', short: 'h', kind: 'bool' },
];

/** Cobra's Levenshtein distance, for `Did you mean this?`. */
export function levenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
