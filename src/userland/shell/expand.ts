/**
 * Word expansion: tilde, parameters (`$X`, `${X}`, `${X:-word}`, `$?`), command substitution and
 * field splitting of unquoted expansions on blanks. There is no pathname globbing: `*` stays literal.
 */
import type { Word, WordPart } from './ast.ts';

export interface ExpandEnv {
  vars: Record<string, string>;
  lastStatus: number;
  /** Runs a `$(...)` script and returns its stdout. */
  substitute(script: string): Promise<string>;
}

async function partValue(part: Exclude<WordPart, { kind: 'lit' }>, env: ExpandEnv): Promise<string> {
  if (part.kind === 'cmdsub') return (await env.substitute(part.script)).replace(/\n+$/, '');
  const v = paramValue(part.name, env);
  if (v === '' && part.fallback) return (await expandWord(part.fallback, env, false)).join(' ');
  return v;
}

function paramValue(name: string, env: ExpandEnv): string {
  switch (name) {
    case '?':
      return String(env.lastStatus);
    case '$':
      return '1';
    case '#':
      return '0';
    case '0':
      return 'bash';
    case '-':
      return 'hB';
    case '@':
    case '*':
    case '!':
      return '';
    default:
      return env.vars[name] ?? '';
  }
}

/** Expands a word into fields (zero, one or several). With `split` false, always one field. */
export async function expandWord(word: Word, env: ExpandEnv, split = true): Promise<string[]> {
  const fields: string[] = [];
  let cur = '';
  let have = false;
  for (let k = 0; k < word.length; k++) {
    const part = word[k];
    if (part.kind === 'lit') {
      let text = part.text;
      if (k === 0 && !part.quoted && (text === '~' || text.startsWith('~/'))) text = (env.vars.HOME ?? '') + text.slice(1);
      cur += text;
      have = have || part.quoted || text !== '';
      continue;
    }
    const value = await partValue(part, env);
    if (part.quoted || !split) {
      cur += value;
      have = true;
      continue;
    }
    // Unquoted expansion: split on blanks; blanks at either end end the field being built.
    const pieces = value.split(/[ \t\n]+/);
    for (let p = 0; p < pieces.length; p++) {
      if (p > 0 && have) {
        fields.push(cur);
        cur = '';
        have = false;
      }
      if (pieces[p] !== '') {
        cur += pieces[p];
        have = true;
      }
    }
  }
  if (have || (!split && fields.length === 0)) fields.push(cur);
  return fields;
}

/** Expands a word that must stay one string (assignment values, here-strings). */
export async function expandString(word: Word, env: ExpandEnv): Promise<string> {
  return (await expandWord(word, env, false))[0] ?? '';
}
