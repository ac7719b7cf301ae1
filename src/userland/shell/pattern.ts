/**
 * Shell patterns (`*`, `?`, `[...]`) as used by case, `[[ == ]]`, `${x#pat}` and pathname
 * expansion. A pattern here is text in which a backslash makes the next character literal: the
 * expander escapes quoted characters that way, so `"*"` never matches more than a star.
 */
import { CLASSES as POSIX_CLASSES } from '../text/regex.ts';

/** Escapes the characters that are special in a pattern. */
export function escapePattern(s: string): string {
  return s.replace(/[\\*?[\]]/g, '\\$&');
}

/** The text a pattern stands for when nothing matches it: the escapes removed. */
export function unescapePattern(p: string): string {
  return p.replace(/\\(.)/gs, '$1');
}

/** Whether the pattern has an unescaped `*`, `?` or `[` (only such words are globbed). */
export function isPattern(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '*' || p[i] === '?' || p[i] === '[') return true;
  }
  return false;
}

/** The POSIX classes grep and sed know, plus bash's `word`. */
const CLASSES: Readonly<Record<string, string>> = { ...POSIX_CLASSES, word: '0-9A-Za-z_' };

function reEscape(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? '\\' + c : c;
}

/** Reads a bracket expression at `i` (the `[`); undefined when it does not close (then `[` is literal). */
function bracket(p: string, i: number): { source: string; end: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  let first = true;
  while (j < p.length) {
    let c = p[j];
    if (c === ']' && !first) return { source: body === '' ? (negate ? '[^]' : '[]') : `[${negate ? '^' : ''}${body}]`, end: j + 1 };
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      const name = close > 0 ? p.slice(j + 2, close) : '';
      if (name in CLASSES) {
        body += CLASSES[name];
        j = close + 2;
        continue;
      }
    }
    if (c === '\\' && j + 1 < p.length) c = p[++j];
    j++;
    if (p[j] === '-' && p[j + 1] !== undefined && p[j + 1] !== ']') {
      let hi = p[j + 1];
      j += 2;
      if (hi === '\\' && j < p.length) hi = p[j++];
      if (hi >= c) body += `${reEscape(c)}-${reEscape(hi)}`;
      continue;
    }
    body += reEscape(c);
  }
  return undefined;
}

/** The regular-expression source of a pattern (unanchored). */
export function patternSource(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += i + 1 < p.length ? reEscape(p[++i]) : '\\\\';
    } else if (c === '*') {
      // Several stars match what one does; collapsing them keeps the regex linear.
      while (p[i + 1] === '*') i++;
      out += '.*';
    } else if (c === '?') out += '.';
    else if (c === '[') {
      const b = bracket(p, i);
      if (b) {
        out += b.source;
        i = b.end - 1;
      } else out += '\\[';
    } else out += reEscape(c);
  }
  return out;
}

const cache = new Map<string, RegExp>();

/** A regex matching exactly the strings the pattern matches. */
export function patternRegex(p: string): RegExp {
  let re = cache.get(p);
  if (!re) {
    re = new RegExp(`^(?:${patternSource(p)})$`, 's');
    if (cache.size > 500) cache.clear();
    cache.set(p, re);
  }
  return re;
}

export function matchPattern(p: string, text: string): boolean {
  return patternRegex(p).test(text);
}

/** `${x#p}` (shortest) and `${x##p}` (longest): `text` without the prefix matching `p`. */
export function removePrefix(text: string, p: string, longest: boolean): string {
  const re = patternRegex(p);
  for (let k = longest ? text.length : 0; longest ? k >= 0 : k <= text.length; k += longest ? -1 : 1) {
    if (re.test(text.slice(0, k))) return text.slice(k);
  }
  return text;
}

/** `${x%p}` (shortest) and `${x%%p}` (longest): `text` without the suffix matching `p`. */
export function removeSuffix(text: string, p: string, longest: boolean): string {
  const re = patternRegex(p);
  for (let k = longest ? 0 : text.length; longest ? k <= text.length : k >= 0; k += longest ? 1 : -1) {
    if (re.test(text.slice(k))) return text.slice(0, k);
  }
  return text;
}

/**
 * `${x/p/r}` and its forms: `mode` is `/` (first match), `//` (all), `/#` (at the start) or `/%`
 * (at the end). Each match is the longest one at the leftmost position, as in bash.
 */
export function replacePattern(text: string, p: string, rep: string, mode: '/' | '//' | '/#' | '/%'): string {
  const re = patternRegex(p);
  if (mode === '/#') {
    for (let k = text.length; k >= 0; k--) if (re.test(text.slice(0, k))) return rep + text.slice(k);
    return text;
  }
  if (mode === '/%') {
    for (let k = 0; k <= text.length; k++) if (re.test(text.slice(k))) return text.slice(0, k) + rep;
    return text;
  }
  let out = '';
  let i = 0;
  while (i <= text.length) {
    let matched = -1;
    for (let k = text.length; k >= i; k--) {
      if (re.test(text.slice(i, k))) {
        matched = k;
        break;
      }
    }
    // Empty matches do not count (bash skips them), except that nothing is replaced then.
    if (matched > i) {
      out += rep;
      i = matched;
      if (mode === '/') return out + text.slice(i);
      continue;
    }
    if (i < text.length) out += text[i];
    i++;
  }
  return out;
}
