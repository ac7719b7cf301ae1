/**
 * GNU-style option parsing shared by the text tools: clustered short options (`-vn`), option
 * arguments attached or separate (`-e PAT`, `-ePAT`, `--regexp=PAT`, `--regexp PAT`), unique
 * prefixes of long options, `--` and GNU's permutation (options may follow operands).
 */

export interface OptDef {
  /** Key reported for this option (usually the short letter). */
  key: string;
  short?: string;
  long?: string;
  /** Takes an argument. */
  arg?: boolean;
}

export interface ParsedOpts {
  /** Options in command-line order (order matters for `-e`/`-f` and for last-one-wins flags). */
  opts: { key: string; value: string }[];
  operands: string[];
}

/** A usage error, already worded as GNU prints it (without the program name). */
export class UsageError extends Error {}

export function getopt(args: string[], defs: OptDef[]): ParsedOpts {
  const opts: ParsedOpts['opts'] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = defs.find((d) => d.long === name);
      const matches = exact ? [exact] : defs.filter((d) => d.long?.startsWith(name));
      if (matches.length === 0) throw new UsageError(`unrecognized option '${a}'`);
      if (matches.length > 1 && new Set(matches.map((d) => d.key)).size > 1) {
        throw new UsageError(`option '${a}' is ambiguous`);
      }
      const d = matches[0];
      if (d.arg) {
        if (eq >= 0) opts.push({ key: d.key, value: a.slice(eq + 1) });
        else if (i + 1 < args.length) opts.push({ key: d.key, value: args[++i] });
        else throw new UsageError(`option '--${d.long}' requires an argument`);
      } else {
        if (eq >= 0) throw new UsageError(`option '--${d.long}' doesn't allow an argument`);
        opts.push({ key: d.key, value: '' });
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const d = defs.find((x) => x.short === a[j]);
        if (!d) throw new UsageError(`invalid option -- '${a[j]}'`);
        if (d.arg) {
          if (j + 1 < a.length) opts.push({ key: d.key, value: a.slice(j + 1) });
          else if (i + 1 < args.length) opts.push({ key: d.key, value: args[++i] });
          else throw new UsageError(`option requires an argument -- '${a[j]}'`);
          break;
        }
        opts.push({ key: d.key, value: '' });
      }
      continue;
    }
    operands.push(a);
  }
  return { opts, operands };
}

/** The value of the last occurrence of an option, or undefined. */
export function last(p: ParsedOpts, key: string): string | undefined {
  for (let i = p.opts.length - 1; i >= 0; i--) if (p.opts[i].key === key) return p.opts[i].value;
  return undefined;
}

export function has(p: ParsedOpts, key: string): boolean {
  return p.opts.some((o) => o.key === key);
}
