/**
 * DNS records as BIND 9.18 prints them (lib/dns/masterdump.c): presentation format of the rdata
 * and the column layout of dig's sections, where each field is indented to its column (TTL 24,
 * class 32, type 40, rdata 48) with tabs of width 8, or one space when already past it.
 */
import type { Answer, Question } from 'dns-packet';

/** A name as text, fully qualified. */
export const absolute = (n: string): string => (n === '.' || n === '' ? '.' : n.endsWith('.') ? n : `${n}.`);

interface Loose {
  name: string;
  type: string;
  ttl?: number;
  class?: string;
  data?: unknown;
}

/** The rdata in presentation format. */
export function rdataText(rr: Answer): string {
  const r = rr as Loose;
  const d = r.data as Record<string, unknown> & string;
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return String(d);
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return absolute(String(d));
    case 'SOA':
      return `${absolute(d.mname as string)} ${absolute(d.rname as string)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'SRV':
      return `${d.priority ?? 0} ${d.weight ?? 0} ${d.port} ${absolute(d.target as string)}`;
    case 'MX':
      return `${d.preference ?? 0} ${absolute(d.exchange as string)}`;
    case 'TXT': {
      const parts = Array.isArray(r.data) ? (r.data as (string | Buffer)[]) : [r.data as string | Buffer];
      return parts.map((p) => `"${p.toString().replace(/(["\\])/g, '\\$1')}"`).join(' ');
    }
    default: {
      const b = Buffer.isBuffer(r.data) ? r.data : Buffer.alloc(0);
      return `\\# ${b.length}${b.length ? ` ${b.toString('hex').toUpperCase()}` : ''}`;
    }
  }
}

/** masterdump.c indent(): from column `col` to `to` (at least one past `col`). */
function indent(col: number, to: number): { text: string; col: number } {
  const target = Math.max(to, col + 1);
  const tabs = Math.floor(target / 8) - Math.floor(col / 8);
  if (tabs > 0) return { text: '\t'.repeat(tabs) + ' '.repeat(target % 8), col: target };
  return { text: ' '.repeat(target - col), col: target };
}

/** Fields laid out at their columns, starting at `col`. */
function columns(start: string, fields: [number, string][], col = start.length): string {
  let out = start;
  for (const [to, text] of fields) {
    const i = indent(col, to);
    out += i.text + text;
    col = i.col + text.length;
  }
  return out;
}

export function recordLine(rr: Answer): string {
  const r = rr as Loose;
  return columns(absolute(r.name), [
    [24, String(r.ttl ?? 0)],
    [32, r.class ?? 'IN'],
    [40, r.type],
    [48, rdataText(rr)],
  ]);
}

/** `;name.<tab>IN<tab>A`: the ';' is not counted in the columns. */
export function questionLine(q: Question): string {
  return `;${columns(absolute(q.name), [
    [32, q.class ?? 'IN'],
    [40, q.type],
  ])}`;
}
