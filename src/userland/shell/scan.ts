/**
 * Finds where nested constructs end without parsing them: the `))` of `$((...))` and the `)` of
 * `$(...)`, skipping quotes, comments, here-document bodies and case patterns inside.
 */
import { META, ShellSyntaxError } from './syntax.ts';

/**
 * Where the `))` of an arithmetic expansion whose expression starts at `i` is; undefined when the
 * parentheses do not close as `))` (then `$((` was a command substitution of a subshell).
 */
export function arithEnd(src: string, i: number): number | undefined {
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'" || c === '"') {
      const close = src.indexOf(c, i + 1);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      if (depth === 0) return src[i + 1] === ')' ? i : undefined;
      depth--;
      i++;
    } else i++;
  }
  return undefined;
}

/**
 * Index of the `)` closing a `$(` whose contents start at `i`. Skips quotes, nested parentheses,
 * comments and here-document bodies, and the `)` of case patterns, so the inner script can hold them.
 */
export function matchingParen(src: string, i: number): number {
  let depth = 1;
  let inCase = 0;
  const heredocs: { delim: string; strip: boolean }[] = [];
  let wordStart = true;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      i += 2;
      wordStart = false;
      continue;
    }
    if (c === "'" || c === '"') {
      i = skipQuoted(src, i);
      wordStart = false;
      continue;
    }
    if (c === '#' && wordStart) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' && heredocs.length) {
      i = skipHeredocBodies(src, i + 1, heredocs.splice(0));
      wordStart = true;
      continue;
    }
    if (c === '<' && src[i + 1] === '<' && src[i + 2] !== '<') {
      const m = /^<<(-?)[ \t]*(['"]?)([^\s'";&|<>()]+)\2/.exec(src.slice(i, i + 300));
      if (m) {
        heredocs.push({ delim: m[3], strip: m[1] === '-' });
        i += m[0].length;
        continue;
      }
    }
    if (wordStart) {
      const w = /^[a-z]+/.exec(src.slice(i, i + 6))?.[0];
      if (w === 'case' || w === 'esac') {
        const after = src[i + 4];
        if (after === undefined || META.has(after)) inCase += w === 'case' ? 1 : -1;
      }
    }
    if (c === '(') depth++;
    else if (c === ')') {
      // Inside `case ... esac` a `)` with no `(` of its own ends a pattern.
      if (inCase > 0 && depth === 1) {
        i++;
        wordStart = true;
        continue;
      }
      if (--depth === 0) return i;
    }
    wordStart = META.has(c);
    i++;
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
}

function skipQuoted(src: string, i: number): number {
  const q = src[i];
  i++;
  while (i < src.length && src[i] !== q) i += q === '"' && src[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipHeredocBodies(src: string, i: number, docs: { delim: string; strip: boolean }[]): number {
  for (const d of docs) {
    while (i < src.length) {
      let nl = src.indexOf('\n', i);
      if (nl < 0) nl = src.length;
      const line = src.slice(i, nl);
      i = nl + 1;
      if ((d.strip ? line.replace(/^\t+/, '') : line) === d.delim) break;
    }
  }
  return i;
}
