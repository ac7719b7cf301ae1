/** tr: translate, delete (-d) or squeeze (-s) characters, with ranges, classes and -c (C locale). */
import type { Command } from '../command.ts';
import { getopt, has, UsageError } from './getopt.ts';

const CLASS_CHARS: Record<string, () => string[]> = {
  alpha: () => [...range('A', 'Z'), ...range('a', 'z')],
  digit: () => range('0', '9'),
  alnum: () => [...range('0', '9'), ...range('A', 'Z'), ...range('a', 'z')],
  upper: () => range('A', 'Z'),
  lower: () => range('a', 'z'),
  space: () => [' ', '\t', '\n', '\r', '\f', '\v'].sort(),
  blank: () => ['\t', ' '],
  punct: () => range('!', '~').filter((c) => !/[A-Za-z0-9]/.test(c)),
  print: () => range(' ', '~'),
  graph: () => range('!', '~'),
  cntrl: () => [...range('\x00', '\x1f'), '\x7f'],
  xdigit: () => [...range('0', '9'), ...range('A', 'F'), ...range('a', 'f')],
};

function range(a: string, b: string): string[] {
  const out: string[] = [];
  for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out.push(String.fromCharCode(c));
  return out;
}

const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\' };

/** Expands a SET operand to its list of characters. */
export function expandSet(set: string): string[] {
  // First decode escapes into a list of "atoms", remembering which were escaped (not syntax).
  const atoms: { c: string; lit: boolean }[] = [];
  for (let i = 0; i < set.length; i++) {
    if (set[i] === '\\' && i + 1 < set.length) {
      const n = set[i + 1];
      const oct = /^[0-7]{1,3}/.exec(set.slice(i + 1));
      if (oct) {
        atoms.push({ c: String.fromCharCode(parseInt(oct[0], 8) & 0xff), lit: true });
        i += oct[0].length;
      } else {
        atoms.push({ c: ESC[n] ?? n, lit: true });
        i++;
      }
    } else atoms.push({ c: set[i], lit: false });
  }
  const out: string[] = [];
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i];
    if (!a.lit && a.c === '[' && atoms[i + 1]?.c === ':' ) {
      const rest = atoms.slice(i + 2).map((x) => x.c).join('');
      const m = /^([a-z]+):\]/.exec(rest);
      if (m && m[1] in CLASS_CHARS) {
        out.push(...CLASS_CHARS[m[1]]());
        i += 2 + m[0].length - 1;
        continue;
      }
    }
    if (!a.lit && a.c === '[' && atoms[i + 2]?.c === '*') {
      // [c*n] repeats c (n omitted or 0: fill up, resolved by the caller via a marker).
      const close = atoms.findIndex((x, k) => k > i + 2 && x.c === ']');
      if (close > 0) {
        const count = atoms.slice(i + 3, close).map((x) => x.c).join('');
        if (/^\d*$/.test(count)) {
          const n = count === '' ? 0 : parseInt(count, count.startsWith('0') ? 8 : 10);
          out.push(...(n === 0 ? ['\u0000FILL' + atoms[i + 1].c] : Array(n).fill(atoms[i + 1].c)));
          i = close;
          continue;
        }
      }
    }
    if (atoms[i + 1]?.c === '-' && !atoms[i + 1].lit && i + 2 < atoms.length) {
      const hi = atoms[i + 2].c;
      if (hi.charCodeAt(0) < a.c.charCodeAt(0)) throw new UsageError(`range-endpoints of '${a.c}-${hi}' are in reverse collating sequence order`);
      out.push(...range(a.c, hi));
      i += 2;
      continue;
    }
    out.push(a.c);
  }
  return out;
}

export const tr: Command = (ctx) => {
  let p;
  try {
    p = getopt(ctx.argv.slice(1), [
      { key: 'c', short: 'c', long: 'complement' },
      { key: 'c', short: 'C' },
      { key: 'd', short: 'd', long: 'delete' },
      { key: 's', short: 's', long: 'squeeze-repeats' },
      { key: 't', short: 't', long: 'truncate-set1' },
    ]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`tr: ${e.message}\nTry 'tr --help' for more information.\n`);
    return 1;
  }
  const del = has(p, 'd');
  const squeeze = has(p, 's');
  const ops = p.operands;
  const need = del && squeeze ? 2 : del ? 1 : squeeze ? 1 : 2;
  if (ops.length < need || ops.length > 2 || (del && !squeeze && ops.length > 1)) {
    ctx.stderr(ops.length < need ? `tr: missing operand${ops.length ? ` after '${ops[ops.length - 1]}'` : ''}\n` : `tr: extra operand '${ops[ops.length - 1]}'\n`);
    ctx.stderr("Try 'tr --help' for more information.\n");
    return 1;
  }
  let set1: string[];
  let set2: string[];
  try {
    set1 = expandSet(ops[0]);
    set2 = ops[1] === undefined ? [] : expandSet(ops[1]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.stderr(`tr: ${e.message}\n`);
    return 1;
  }
  const complement = has(p, 'c');
  const inSet1 = (() => {
    const s = new Set(set1);
    return complement ? (c: string) => !s.has(c) : (c: string) => s.has(c);
  })();
  // Translation map: set2 is padded with its last character (or filled by [c*]).
  const map = new Map<string, string>();
  const translating = !del && ops.length === 2;
  if (translating) {
    const fillAt = set2.findIndex((c) => c.startsWith('\u0000FILL'));
    let src = set1;
    if (complement) src = range('\x00', '\xff').filter((c) => !set1.includes(c));
    if (fillAt >= 0) {
      const ch = set2[fillAt].slice(5);
      set2.splice(fillAt, 1, ...Array(Math.max(0, src.length - (set2.length - 1))).fill(ch));
    }
    if (has(p, 't')) src = src.slice(0, set2.length);
    if (!set2.length && src.length) {
      ctx.stderr('tr: when not truncating set1, string2 must be non-empty\n');
      return 1;
    }
    src.forEach((c, k) => map.set(c, set2[Math.min(k, set2.length - 1)]));
  }
  const squeezeSet = new Set(squeeze ? (ops.length === 2 ? set2 : complement ? [] : set1) : []);
  const inSqueeze = squeeze && ops.length === 1 && complement ? (c: string) => inSet1(c) : (c: string) => squeezeSet.has(c);
  let out = '';
  let prev: string | undefined;
  for (const c0 of ctx.stdin) {
    if (del && inSet1(c0)) continue;
    const c = translating ? (map.get(c0) ?? c0) : c0;
    if (squeeze && c === prev && inSqueeze(c)) continue;
    out += c;
    prev = c;
  }
  ctx.stdout(out);
  return 0;
};
