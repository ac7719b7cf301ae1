/**
 * libxtables' guided option parser (xtoptions.c) as the extensions in this directory's "extra"
 * set use it: the once / invert / mandatory / exclusion checks and the typed argument parsers,
 * with the error texts of iptables 1.8.9 (most end in a newline, so an empty line follows).
 */
import { XtError } from './types.ts';
import { strtoui } from './util.ts';

/** What xtables_option_parse checks before parsing an option's argument. */
export function x6Check(seen: string[], ext: string, opt: string, invert: boolean, invertible: boolean, id = opt): void {
  if (seen.includes(id)) throw x6Once(ext, opt);
  if (invert && !invertible) throw new XtError(`${ext}: option "--${opt}" cannot be inverted.\n`);
  seen.push(id);
}

export function x6Once(ext: string, opt: string): XtError {
  return new XtError(`${ext}: option "--${opt}" can only be used once.\n`);
}

export function x6Mandatory(ext: string, opt: string): XtError {
  return new XtError(`${ext}: option "--${opt}" must be specified\n`);
}

export function x6Excl(ext: string, opt: string, other: string): XtError {
  return new XtError(`${ext}: option "--${opt}" cannot be used together with "--${other}".\n`);
}

export function x6BadValue(ext: string, opt: string, lo: number, hi: number): XtError {
  return new XtError(`${ext}: bad value for option "--${opt}", or out of range (${lo}-${hi}).\n`);
}

/** XTTYPE_UINT8/16/32 with the given range. */
export function x6Uint(ext: string, opt: string, arg: string, lo: number, hi: number): number {
  const v = strtoui(arg, lo, hi);
  if (v === undefined) throw x6BadValue(ext, opt, lo, hi);
  return v;
}

/** xtables_param_act(XTF_BAD_VALUE, ...) */
export function badValue(ext: string, opt: string, value: string): XtError {
  return new XtError(`${ext}: Bad value for "${opt}" option: "${value}"`);
}

/** XTTYPE_STRING length limits. */
export function x6String(arg: string, min: number, max: number): string {
  if (min && arg.length < min) throw new XtError(`Argument must have a minimum length of ${min} characters\n`);
  if (max && arg.length > max) throw new XtError(`Argument must have a maximum length of ${max} characters\n`);
  return arg;
}

/** strtoul-style prefix parse (base 0) returning the value and the rest, as xtables_strtoui with an end pointer. */
export function strtouiPrefix(s: string, min = 0, max = 0xffffffff): { value: number; rest: string } | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(s);
  if (!m) return undefined;
  const t = m[1];
  const v = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : t.startsWith('0') ? parseInt(t, 8) : Number(t);
  if (v < min || v > max) return undefined;
  return { value: v, rest: s.slice(t.length) };
}

/** XTTYPE_MARKMASK32: `value[/mask]`, mask defaulting to all ones. */
export function x6MarkMask(ext: string, opt: string, arg: string): { value: number; mask: number } {
  const bad = new XtError(`${ext}: bad integer value for option "--${opt}", or out of range.\n`);
  const a = strtouiPrefix(arg);
  if (!a || (a.rest !== '' && !a.rest.startsWith('/'))) throw bad;
  if (a.rest === '') return { value: a.value, mask: 0xffffffff };
  const m = strtouiPrefix(a.rest.slice(1));
  if (!m || m.rest !== '') throw bad;
  return { value: a.value, mask: m.value };
}

/** `0x%02x` */
export function hx2(v: number): string {
  return '0x' + v.toString(16).padStart(2, '0');
}

/** Interface name with an optional trailing `+` matching a prefix (xtables_parse_interface). */
export function parseIface(arg: string): string {
  if (arg.length + 1 > 16) throw new XtError(`interface name \`${arg}' must be shorter than IFNAMSIZ (15)`);
  return arg;
}

/**
 * xtables_options_fcheck's exclusion test: walking the option table in order, the first option
 * given that excludes another given option is reported. `table` is the option names in table
 * order; `excl` the names each option excludes.
 */
export function x6FcheckExcl(ext: string, seen: readonly string[], table: readonly string[], excl: Readonly<Record<string, readonly string[]>>): void {
  for (const entry of table) {
    if (!seen.includes(entry)) continue;
    for (const other of table) {
      if (other !== entry && seen.includes(other) && (excl[entry] ?? []).includes(other)) throw x6Excl(ext, entry, other);
    }
  }
}

/** The same errors as one object, for extensions that keep their seen options in a Set. */
export const x6 = {
  once: x6Once,
  mandatory: x6Mandatory,
  badValue: x6BadValue,
  excl: x6Excl,
  badInteger: (ext: string, opt: string): XtError => new XtError(`${ext}: bad integer value for option "--${opt}", or out of range.\n`),
  trailingGarbage: (ext: string, opt: string): XtError => new XtError(`${ext}: trailing garbage after value for option "--${opt}".\n`),
  badValueFor: (ext: string, opt: string, value: string): XtError => badValue(ext, `--${opt}`, value),
};

/** Records an option as seen, raising x6's "only once" error on a repeat. */
export function markSeen(seen: Set<string>, ext: string, opt: string): void {
  if (seen.has(opt)) throw x6Once(ext, opt);
  seen.add(opt);
}

/** x6FcheckExcl for options that exclude each other in groups (each member excludes the rest of its group). */
export function checkExclusive(ext: string, order: readonly string[], seen: Set<string>, groups: readonly (readonly string[])[]): void {
  const excl: Record<string, string[]> = {};
  for (const g of groups) for (const o of g) (excl[o] ??= []).push(...g.filter((p) => p !== o));
  x6FcheckExcl(ext, [...seen], order, excl);
}

/** xtables_parse_mark_mask under x6 (XTTYPE_MARKMASK32): `value[/mask]`, C numbers. */
export function parseMarkMask(ext: string, opt: string, arg: string): { value: number; mask: number } {
  const num = (text: string): number => {
    const lead = /^(0[xX][0-9a-fA-F]+|\d+)/.exec(text);
    if (!lead) throw x6.badInteger(ext, opt);
    const v = strtoui(lead[1]);
    if (v === undefined) throw x6.badInteger(ext, opt);
    if (lead[1].length !== text.length) throw x6.trailingGarbage(ext, opt);
    return v;
  };
  const slash = arg.indexOf('/');
  if (slash < 0) return { value: num(arg), mask: 0xffffffff };
  return { value: num(arg.slice(0, slash)), mask: num(arg.slice(slash + 1)) };
}
