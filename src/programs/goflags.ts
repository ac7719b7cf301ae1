/**
 * Command-line flags as Go programs built on cobra/pflag read them (agnhost): `--name=value`,
 * `--name value`, booleans as `--name` or `--name=false`, and pflag's error texts.
 */

export type FlagKind = 'int' | 'string' | 'bool';
export type FlagValue = number | string | boolean;

export class FlagError extends Error {}

/** Parses `args` against `spec` (name → kind and default); positional words are returned apart. */
export function parseGoFlags(args: string[], spec: Record<string, [FlagKind, FlagValue]>): { flags: Record<string, FlagValue>; positional: string[] } {
  const flags: Record<string, FlagValue> = Object.fromEntries(Object.entries(spec).map(([k, [, d]]) => [k, d]));
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (!m || a === '-' || a === '--') {
      if (a === '--') positional.push(...args.slice(i + 1));
      else positional.push(a);
      if (a === '--') break;
      continue;
    }
    const [, name, inline] = m;
    const def = spec[name];
    // pflag reads a single dash as shorthand letters; these programs define none.
    if (!def) throw new FlagError(a.startsWith('--') ? `unknown flag: --${name}` : `unknown shorthand flag: '${name[0]}' in ${a}`);
    const [kind] = def;
    if (kind === 'bool') {
      if (inline === undefined) flags[name] = true;
      else if (/^(1|t|T|true|TRUE|True)$/.test(inline)) flags[name] = true;
      else if (/^(0|f|F|false|FALSE|False)$/.test(inline)) flags[name] = false;
      else throw new FlagError(`invalid argument "${inline}" for "--${name}" flag: strconv.ParseBool: parsing "${inline}": invalid syntax`);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new FlagError(`flag needs an argument: --${name}`);
    if (kind === 'int') {
      if (!/^[+-]?\d+$/.test(value)) throw new FlagError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      flags[name] = Number(value);
    } else flags[name] = value;
  }
  return { flags, positional };
}
