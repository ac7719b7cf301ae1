/**
 * Translates POSIX regular expressions (GNU flavour of BRE and ERE, as grep and sed read them)
 * into JavaScript RegExp source.
 *
 * What carries over and what does not:
 * - Syntax is translated faithfully: BRE's `\(` `\)` `\{` `\}` `\|` `\+` `\?`, literal `+ ? | ( ) {`,
 *   `*` literal at the start of a BRE, ERE's no-op leading quantifiers, literal `{` when it does
 *   not open a valid interval, bracket expressions with `[:class:]`, back-references, GNU's
 *   `\w \W \s \S \b \B \< \> \` \'`.
 * - Matching semantics are JavaScript's: leftmost-*first* alternation rather than POSIX
 *   leftmost-*longest*. That only shows with alternations whose branches are prefixes of each
 *   other (`-o`, `sed s///`); whole-line selection (grep's job) is unaffected.
 * - Characters are UTF-16 code units and classes are those of the C locale (ASCII).
 */

export type Flavor = 'basic' | 'extended';

export interface TranslateOptions {
  /** sed understands `\n`, `\t`, ... as characters, also inside bracket expressions. */
  sedEscapes?: boolean;
}

/** A malformed pattern; the message is GNU's wording (`Unmatched ( or \(`...). */
export class RegexSyntaxError extends Error {}

/** C-locale members of each POSIX character class, written for a JS character class. */
export const CLASSES: Readonly<Record<string, string>> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

const DUP_MAX = 32767;

/** Escapes one character so it is literal both inside and outside a JS character class. */
export function jsLiteral(ch: string): string {
  if (/[A-Za-z0-9_ ]/.test(ch)) return ch;
  const code = ch.charCodeAt(0);
  return '\\u' + code.toString(16).padStart(4, '0');
}

/** Escapes a whole string for literal matching (grep -F). */
export function escapeLiteral(s: string): string {
  let out = '';
  for (const ch of s) out += ch.length > 1 ? ch : jsLiteral(ch);
  return out;
}

const SED_CHAR_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };

/** Translates a POSIX pattern to JS RegExp source (use with flags `s` and, for -i, `i`). */
export function posixToJs(src: string, flavor: Flavor, opts: TranslateOptions = {}): string {
  const ere = flavor === 'extended';
  let out = '';
  let i = 0;
  /** Where the last quantifiable atom starts in `out`, or -1 if there is none to quantify. */
  let atomStart = -1;
  /** Positions in `out` of the `(` of each group still open. */
  const openGroups: number[] = [];
  /** The last thing emitted was a quantifier: a second one must wrap the first (JS forbids `a**`). */
  let quantified = false;
  /** At the start of the pattern or of a group/alternative (where `*` is literal in BRE). */
  let atStart = true;
  let closedGroups = 0;

  const atom = (s: string) => {
    atomStart = out.length;
    out += s;
    quantified = false;
    atStart = false;
  };
  const anchor = (s: string) => {
    out += s;
    atomStart = -1;
    quantified = false;
  };
  const quantify = (q: string) => {
    if (atomStart < 0) {
      // GNU ERE ignores a quantifier with nothing before it (`*a`, `(+x)`, `^*`).
      return;
    }
    if (quantified) out = out.slice(0, atomStart) + '(?:' + out.slice(atomStart) + ')';
    out += q;
    quantified = true;
    atStart = false;
  };

  /** Reads `m,n}` after an interval opener; null if it is not a well-formed interval. */
  const readInterval = (): { q: string; end: number } | null => {
    const close = ere ? '}' : '\\}';
    const m = /^(\d*)(,(\d*))?/.exec(src.slice(i))!;
    const after = i + m[0].length;
    if (!src.startsWith(close, after)) return null;
    if (m[1] === '' && m[2] === undefined) return null;
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > DUP_MAX || (max !== Infinity && max > DUP_MAX)) throw new RegexSyntaxError('Regular expression too big');
    if (max < min) throw new RegexSyntaxError('Invalid content of \\{\\}');
    const q = m[2] === undefined ? `{${min}}` : max === Infinity ? `{${min},}` : `{${min},${max}}`;
    return { q, end: after + close.length };
  };

  const openGroup = () => {
    openGroups.push(out.length);
    out += '(';
    atomStart = -1;
    quantified = false;
    atStart = true;
  };
  const closeGroup = () => {
    // The group as a whole is the atom a following quantifier applies to.
    atomStart = openGroups.pop()!;
    closedGroups++;
    out += ')';
    quantified = false;
    atStart = false;
  };
  const alternation = () => {
    out += '|';
    atomStart = -1;
    quantified = false;
    atStart = true;
  };

  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      i += 2;
      if (n === undefined) throw new RegexSyntaxError('Trailing backslash');
      if (!ere && n === '(') openGroup();
      else if (!ere && n === ')') {
        if (!openGroups.length) throw new RegexSyntaxError('Unmatched ) or \\)');
        closeGroup();
      } else if (!ere && n === '|') alternation();
      else if (!ere && n === '{') {
        const iv = readInterval();
        if (!iv) throw new RegexSyntaxError(src.indexOf('\\}', i) < 0 ? 'Unmatched \\{' : 'Invalid content of \\{\\}');
        i = iv.end;
        if (atStart && atomStart < 0) atom(jsLiteral('{'));
        else quantify(iv.q);
      } else if (!ere && (n === '+' || n === '?')) {
        if (atomStart < 0) atom(jsLiteral(n));
        else quantify(n);
      } else if (n >= '1' && n <= '9') {
        if (Number(n) > closedGroups) throw new RegexSyntaxError('Invalid back reference');
        atom('\\' + n);
      } else if (n === 'w' || n === 'W' || n === 's' || n === 'S') atom('\\' + n);
      else if (n === 'b' || n === 'B') anchor('\\' + n);
      else if (n === '<') anchor('\\b(?=\\w)');
      else if (n === '>') anchor('\\b(?<=\\w)');
      else if (n === '`') anchor('(?<![^])');
      else if (n === "'") anchor('(?![^])');
      else if (opts.sedEscapes && n in SED_CHAR_ESCAPES) atom(jsLiteral(SED_CHAR_ESCAPES[n]));
      else if (opts.sedEscapes && n === 'x' && /^[0-9a-fA-F]{1,2}/.test(src.slice(i))) {
        const hex = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i))![0];
        i += hex.length;
        atom(jsLiteral(String.fromCharCode(parseInt(hex, 16))));
      } else atom(jsLiteral(n));
      continue;
    }
    i++;
    if (c === '[') {
      const { js, end } = bracket(src, i, opts);
      i = end;
      atom(js);
    } else if (c === '.') atom('.');
    else if (c === '*') {
      if (atStart && atomStart < 0 && !ere) atom(jsLiteral('*'));
      else quantify('*');
    } else if (c === '^') {
      if (ere || atStart) anchor('^');
      else atom(jsLiteral('^'));
      // `*` right after a leading `^` is still "at the start" for BRE.
    } else if (c === '$') {
      const rest = src.slice(i);
      if (ere || rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|')) anchor('$');
      else atom(jsLiteral('$'));
    } else if (ere && (c === '+' || c === '?')) quantify(c);
    else if (ere && c === '{') {
      const iv = readInterval();
      if (!iv) atom(jsLiteral('{'));
      else {
        i = iv.end;
        quantify(iv.q);
      }
    } else if (ere && c === '(') openGroup();
    else if (ere && c === ')') {
      if (openGroups.length) closeGroup();
      else atom(jsLiteral(')'));
    } else if (ere && c === '|') alternation();
    else atom(jsLiteral(c));
  }
  if (openGroups.length) throw new RegexSyntaxError('Unmatched ( or \\(');
  return out;
}

/**
 * Parses a bracket expression whose `[` is just before `start`; returns JS class source and the
 * index after the closing `]`. Backslash is literal here (POSIX), except sed's `\n`/`\t`/`\\`/`\]`.
 */
function bracket(src: string, start: number, opts: TranslateOptions): { js: string; end: number } {
  const unmatched = () => new RegexSyntaxError('Unmatched [, [^, [:, [., or [=');
  let i = start;
  let negate = false;
  if (src[i] === '^') {
    negate = true;
    i++;
  }
  const contentStart = i;
  let body = '';
  let first = true;
  /** Reads one bracket element: a character (possibly from `[.c.]`/`[=c=]`) or a class. */
  const element = (): { ch?: string; cls?: string } => {
    const c = src[i];
    if (c === '[' && (src[i + 1] === ':' || src[i + 1] === '.' || src[i + 1] === '=')) {
      const kind = src[i + 1];
      const close = src.indexOf(kind + ']', i + 2);
      if (close < 0) throw unmatched();
      const name = src.slice(i + 2, close);
      i = close + 2;
      if (kind === ':') {
        if (!(name in CLASSES)) throw new RegexSyntaxError('Invalid character class name');
        return { cls: CLASSES[name] };
      }
      return { ch: name[0] ?? '' };
    }
    if (c === '\\' && opts.sedEscapes && i + 1 < src.length) {
      const n = src[i + 1];
      if (n in SED_CHAR_ESCAPES) {
        i += 2;
        return { ch: SED_CHAR_ESCAPES[n] };
      }
      if (n === '\\' || n === ']') {
        i += 2;
        return { ch: n };
      }
    }
    i++;
    return { ch: c };
  };
  while (true) {
    if (i >= src.length) throw unmatched();
    if (src[i] === ']' && !first) {
      i++;
      break;
    }
    first = false;
    const e = element();
    if (e.cls !== undefined) {
      body += e.cls;
      continue;
    }
    const lo = e.ch!;
    // A range `a-z`, unless the `-` is the last thing before `]`.
    if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
      i++;
      const hiEl = element();
      if (hiEl.cls !== undefined) throw new RegexSyntaxError('Invalid range end');
      const hi = hiEl.ch!;
      if (hi.charCodeAt(0) < lo.charCodeAt(0)) throw new RegexSyntaxError('Invalid range end');
      body += jsLiteral(lo) + '-' + jsLiteral(hi);
    } else body += jsLiteral(lo);
  }
  const content = src.slice(contentStart, i - 1);
  if (!negate && content.length >= 2 && content.startsWith(':') && content.endsWith(':')) {
    throw new RegexSyntaxError(`character class syntax is [[:space:]], not [${content}]`);
  }
  return { js: `[${negate ? '^' : ''}${body}]`, end: i };
}
