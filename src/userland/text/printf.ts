/** printf (the bash builtin's behaviour): %s %b %c %d %i %u %o %x %X %f %e %g %%, flags, width, precision. */
import type { Command } from '../command.ts';

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Decodes backslash escapes; in %b arguments octal is `\0NNN`, in formats `\NNN`. */
function unescape(s: string, inArg: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const e = s[++i];
    if (e in ESCAPES && !(inArg && (e === '"' || e === "'"))) out += ESCAPES[e];
    else if (inArg && e === 'c') return { text: out, stop: true };
    else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(inArg && e === '0' ? i + 1 : i))?.[0] ?? '';
      out += String.fromCharCode(parseInt(m || '0', 8) & 0xff);
      i += inArg && e === '0' ? m.length : m.length - 1;
    } else if (e === 'x' && /^[0-9a-fA-F]/.test(s[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else out += '\\' + e;
  }
  return { text: out, stop: false };
}

function pad(s: string, flags: string, width: number): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && /^[+-]?[0-9.]/.test(s)) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

export const printf: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '--') args.shift();
  if (!args.length) {
    ctx.stderr('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  const format = args.shift()!;
  let status = 0;
  let out = '';
  let argi = 0;
  const next = () => (argi < args.length ? args[argi++] : undefined);
  const num = (v: string | undefined): number => {
    if (v === undefined || v === '') return 0;
    if (/^['"]/.test(v)) return v.charCodeAt(1) || 0;
    const n = Number(v);
    if (Number.isNaN(n) || !/^\s*[+-]?(0x[0-9a-f]+|\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(v)) {
      ctx.stderr(`bash: printf: ${v}: invalid number\n`);
      status = 1;
      return parseFloat(v) || 0;
    }
    return n;
  };
  do {
    const before = argi;
    let i = 0;
    let stop = false;
    while (i < format.length && !stop) {
      const c = format[i];
      if (c === '\\') {
        const m = /^\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/s.exec(format.slice(i))![0];
        out += unescape(m, false).text;
        i += m.length;
        continue;
      }
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      const m = /^%([-+ 0#]*)(\d*|\*)(?:\.(\d*|\*))?([diouxXfFeEgGcsb%])/.exec(format.slice(i));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      i += m[0].length;
      const flags = m[1];
      const width = m[2] === '*' ? num(next()) : Number(m[2] || 0);
      const precision = m[3] === undefined ? undefined : m[3] === '*' ? num(next()) : Number(m[3] || 0);
      const conv = m[4];
      if (conv === '%') {
        out += '%';
        continue;
      }
      const arg = next();
      let s: string;
      switch (conv) {
        case 's':
          s = arg ?? '';
          if (precision !== undefined) s = s.slice(0, precision);
          break;
        case 'b': {
          const r = unescape(arg ?? '', true);
          s = r.text;
          stop = r.stop;
          break;
        }
        case 'c':
          s = (arg ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'u': {
          const n = Math.trunc(num(arg));
          s = String(Math.abs(n));
          if (precision !== undefined) s = s.padStart(precision, '0');
          s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'o':
        case 'x':
        case 'X': {
          const n = Math.trunc(num(arg));
          s = n.toString(conv === 'o' ? 8 : 16);
          if (conv === 'X') s = s.toUpperCase();
          if (flags.includes('#') && n !== 0) s = (conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X') + s;
          break;
        }
        default: {
          const n = num(arg);
          const p = precision ?? 6;
          if (conv === 'f' || conv === 'F') s = n.toFixed(p);
          else if (conv === 'e' || conv === 'E') s = n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
          else s = String(Number(n.toPrecision(p || 1)));
          if (conv === 'E' || conv === 'G') s = s.toUpperCase();
          if (n >= 0 && flags.includes('+')) s = '+' + s;
        }
      }
      out += pad(s, flags, width);
    }
    if (stop || argi === before) break;
  } while (argi < args.length);
  ctx.stdout(out);
  return status;
};
