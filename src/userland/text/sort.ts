/**
 * sort: GNU coreutils sort in the C locale: keys (-k F.C[opts],F.C[opts]) located exactly as
 * GNU's begfield/limfield do, -t, -n/-g/-h/-V/-f/-d/-i/-b/-r per key or global, -u, -s, -o, -c/-C,
 * and GNU's last-resort whole-line byte comparison.
 */
import type { Command } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { getopt, UsageError } from './getopt.ts';
import { readInput, splitLines } from './io.ts';

interface Ordering {
  numeric: boolean;
  general: boolean;
  human: boolean;
  version: boolean;
  fold: boolean;
  dictionary: boolean;
  printable: boolean;
  reverse: boolean;
  /** Skip leading blanks at the key's start / end. */
  bStart: boolean;
  bEnd: boolean;
}

interface Key extends Ordering {
  sword: number;
  schar: number;
  /** 0-based end field; -1 for "to the end of the line". */
  eword: number;
  echar: number;
}

const BLANK = (c: string | undefined) => c === ' ' || c === '\t';

function noOrdering(): Ordering {
  return { numeric: false, general: false, human: false, version: false, fold: false, dictionary: false, printable: false, reverse: false, bStart: false, bEnd: false };
}

/** Applies ordering letters (`nr`, `b`...) to `o`; returns false on an unknown letter. */
function setOrdering(letters: string, o: Ordering, which: 'start' | 'end' | 'both'): boolean {
  for (const l of letters) {
    switch (l) {
      case 'b':
        if (which !== 'end') o.bStart = true;
        if (which !== 'start') o.bEnd = true;
        break;
      case 'n': o.numeric = true; break;
      case 'g': o.general = true; break;
      case 'h': o.human = true; break;
      case 'V': o.version = true; break;
      case 'f': o.fold = true; break;
      case 'd': o.dictionary = true; break;
      case 'i': o.printable = true; break;
      case 'r': o.reverse = true; break;
      default: return false;
    }
  }
  return true;
}

function parseKey(spec: string, global: Ordering): Key {
  const bad = (why: string) => new UsageError(why);
  const m = /^(\d+)(?:\.(\d+))?([a-zA-Z]*)(?:,(\d+)(?:\.(\d+))?([a-zA-Z]*))?$/.exec(spec);
  if (!m) throw bad(`invalid number at field start: invalid count at start of '${spec}'`);
  const key: Key = { ...noOrdering(), sword: Number(m[1]) - 1, schar: m[2] === undefined ? 0 : Number(m[2]) - 1, eword: -1, echar: 0 };
  if (key.sword < 0) throw bad(`field number is zero: invalid field specification '${spec}'`);
  if (m[2] !== undefined && Number(m[2]) === 0) throw bad(`character offset is zero: invalid field specification '${spec}'`);
  if (!setOrdering(m[3], key, 'start')) throw bad(`stray character in field spec: invalid field specification '${spec}'`);
  if (m[4] !== undefined) {
    if (Number(m[4]) === 0) throw bad(`field number is zero: invalid field specification '${spec}'`);
    key.eword = Number(m[4]) - 1;
    key.echar = m[5] === undefined ? 0 : Number(m[5]);
    if (!setOrdering(m[6], key, 'end')) throw bad(`stray character in field spec: invalid field specification '${spec}'`);
  }
  // A key with no ordering options of its own inherits all the global ones.
  const own = m[3] + (m[6] ?? '');
  if (own === '') Object.assign(key, { ...global });
  return key;
}

function begField(line: string, k: Key, tab: string | undefined): number {
  let ptr = 0;
  const lim = line.length;
  let sword = k.sword;
  if (tab !== undefined) {
    while (ptr < lim && sword--) {
      while (ptr < lim && line[ptr] !== tab) ptr++;
      if (ptr < lim) ptr++;
    }
  } else {
    while (ptr < lim && sword--) {
      while (ptr < lim && BLANK(line[ptr])) ptr++;
      while (ptr < lim && !BLANK(line[ptr])) ptr++;
    }
  }
  if (k.bStart) while (ptr < lim && BLANK(line[ptr])) ptr++;
  return Math.min(lim, ptr + k.schar);
}

function limField(line: string, k: Key, tab: string | undefined): number {
  const lim = line.length;
  if (k.eword < 0) return lim;
  let ptr = 0;
  let eword = k.eword;
  const echar = k.echar;
  if (echar === 0) eword++;
  if (tab !== undefined) {
    while (ptr < lim && eword--) {
      while (ptr < lim && line[ptr] !== tab) ptr++;
      if (ptr < lim && (eword || echar)) ptr++;
    }
  } else {
    while (ptr < lim && eword--) {
      while (ptr < lim && BLANK(line[ptr])) ptr++;
      while (ptr < lim && !BLANK(line[ptr])) ptr++;
    }
  }
  if (echar !== 0) {
    if (k.bEnd) while (ptr < lim && BLANK(line[ptr])) ptr++;
    ptr = Math.min(lim, ptr + echar);
  }
  return ptr;
}

/** The leading number of a -n key: blanks, optional `-`, digits, optional fraction. */
function numericValue(s: string): number {
  const m = /^[ \t]*(-?)(\d*)(?:\.(\d*))?/.exec(s)!;
  if (m[2] === '' && (m[3] === undefined || m[3] === '')) return 0;
  const v = Number(`${m[2] || '0'}.${m[3] || '0'}`);
  return m[1] ? -v : v;
}

function generalValue(s: string): number {
  const m = /^[ \t]*([+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|0x[0-9a-f]+))/i.exec(s);
  return m ? Number(m[1].replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')) : NaN;
}

const SUFFIXES = 'KMGTPEZYRQ';
function humanValue(s: string): { sign: number; mag: number; v: number } {
  const m = /^[ \t]*(-?)(\d*(?:\.\d*)?)([KMGTPEZYRQk]?)/.exec(s)!;
  const v = Number(m[2] || '0') || 0;
  const mag = m[3] ? SUFFIXES.indexOf(m[3].toUpperCase()) + 1 : 0;
  return { sign: v === 0 ? 0 : m[1] ? -1 : 1, mag, v: m[1] ? -v : v };
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Version compare: digit runs numerically, everything else bytewise (close to GNU filevercmp). */
function versionCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    const c = dx && dy ? Number(x) - Number(y) || x.length - y.length : byteCompare(x, y);
    if (c) return c;
  }
  return ta.length - tb.length;
}

function compareKeyText(a: string, b: string, o: Ordering): number {
  let c: number;
  if (o.numeric) c = Math.sign(numericValue(a) - numericValue(b));
  else if (o.general) {
    const x = generalValue(a);
    const y = generalValue(b);
    c = Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : Number.isNaN(y) ? 1 : Math.sign(x - y);
  } else if (o.human) {
    const x = humanValue(a);
    const y = humanValue(b);
    c = Math.sign(x.sign - y.sign) || x.sign * Math.sign(x.mag - y.mag) || Math.sign(x.v - y.v);
  } else if (o.version) c = Math.sign(versionCompare(a, b));
  else {
    if (o.dictionary) {
      a = a.replace(/[^ \tA-Za-z0-9]/g, '');
      b = b.replace(/[^ \tA-Za-z0-9]/g, '');
    }
    if (o.printable) {
      a = a.replace(/[^\x20-\x7e]/g, '');
      b = b.replace(/[^\x20-\x7e]/g, '');
    }
    if (o.fold) {
      a = a.toUpperCase();
      b = b.toUpperCase();
    }
    c = byteCompare(a, b);
  }
  return o.reverse ? -c : c;
}

export const sort: Command = (ctx) => {
  const fail = (msg: string) => {
    ctx.stderr(`sort: ${msg}\nTry 'sort --help' for more information.\n`);
    return 2;
  };
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      ...'bdfghinrVMR'.split('').map((c) => ({ key: c, short: c })),
      { key: 'b', long: 'ignore-leading-blanks' },
      { key: 'd', long: 'dictionary-order' },
      { key: 'f', long: 'ignore-case' },
      { key: 'g', long: 'general-numeric-sort' },
      { key: 'h', long: 'human-numeric-sort' },
      { key: 'i', long: 'ignore-nonprinting' },
      { key: 'n', long: 'numeric-sort' },
      { key: 'r', long: 'reverse' },
      { key: 'V', long: 'version-sort' },
      { key: 'k', short: 'k', long: 'key', arg: true },
      { key: 't', short: 't', long: 'field-separator', arg: true },
      { key: 'u', short: 'u', long: 'unique' },
      { key: 's', short: 's', long: 'stable' },
      { key: 'o', short: 'o', long: 'output', arg: true },
      { key: 'c', short: 'c', long: 'check' },
      { key: 'C', short: 'C' },
      { key: 'm', short: 'm', long: 'merge' },
      { key: 'z', short: 'z', long: 'zero-terminated' },
      { key: 'S', short: 'S', long: 'buffer-size', arg: true },
      { key: 'T', short: 'T', long: 'temporary-directory', arg: true },
      { key: 'par', long: 'parallel', arg: true },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return fail(e.message);
  }
  const global = noOrdering();
  let tab: string | undefined;
  let unique = false;
  let stable = false;
  let output: string | undefined;
  let check: 'c' | 'C' | undefined;
  const keySpecs: string[] = [];
  for (const o of p.opts) {
    if ('bdfghinrVMR'.includes(o.key) && o.key.length === 1) {
      if (o.key === 'M' || o.key === 'R') return fail(`option '-${o.key}' is not supported here`);
      setOrdering(o.key, global, 'both');
    } else if (o.key === 'k') keySpecs.push(o.value);
    else if (o.key === 't') {
      const t = o.value === '\\0' ? '\0' : o.value;
      if (t.length !== 1) {
        ctx.stderr(t === '' ? 'sort: empty tab\n' : `sort: multi-character tab '${t}'\n`);
        return 2;
      }
      if (tab !== undefined && tab !== t) {
        ctx.stderr('sort: incompatible tabs\n');
        return 2;
      }
      tab = t;
    } else if (o.key === 'u') unique = true;
    else if (o.key === 's') stable = true;
    else if (o.key === 'o') output = o.value;
    else if (o.key === 'c' || o.key === 'C') check = o.key;
  }
  let keys: Key[];
  try {
    keys = keySpecs.map((s) => parseKey(s, global));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`sort: ${e.message}\n`);
    return 2;
  }
  // With no -k, the whole line is one key with the global options (if any ordering was asked for).
  if (!keys.length) keys = [{ ...global, sword: 0, schar: 0, eword: -1, echar: 0 }];

  const files = p.operands.length ? p.operands : ['-'];
  const lines: string[] = [];
  for (const f of files) {
    const inp = readInput(ctx, f);
    if (inp.error !== undefined) {
      ctx.stderr(inp.error.endsWith('Is a directory') ? `sort: read failed: ${inp.error}\n` : `sort: cannot read: ${inp.error}\n`);
      return 2;
    }
    lines.push(...splitLines(inp.data).lines);
  }

  const compare = (a: string, b: string): number => {
    for (const k of keys) {
      const ka = a.slice(begField(a, k, tab), Math.max(begField(a, k, tab), limField(a, k, tab)));
      const kb = b.slice(begField(b, k, tab), Math.max(begField(b, k, tab), limField(b, k, tab)));
      const c = compareKeyText(ka, kb, k);
      if (c) return c;
    }
    if (unique || stable) return 0;
    // GNU's last resort: the whole lines, bytewise, reversed only by a global -r.
    const c = byteCompare(a, b);
    return global.reverse ? -c : c;
  };

  if (check) {
    for (let i = 1; i < lines.length; i++) {
      const c = compare(lines[i - 1], lines[i]);
      if (c > 0 || (unique && c === 0)) {
        if (check === 'c') ctx.stderr(`sort: ${files[0]}:${i + 1}: disorder: ${lines[i]}\n`);
        return 1;
      }
    }
    return 0;
  }

  // Array.prototype.sort is stable, so equal lines keep their input order (-s, and -u's "first").
  const sorted = lines.slice().sort(compare);
  const kept = unique ? sorted.filter((l, i) => i === 0 || compare(sorted[i - 1], l) !== 0) : sorted;
  const text = kept.map((l) => l + '\n').join('');
  if (output !== undefined) ctx.fs.write(resolvePath(ctx.cwd, output), text);
  else ctx.stdout(text);
  return 0;
};
