/** The shell's syntax tree: what the parser produces and the executor walks. */

/** A piece of a word; `quoted` parts are exempt from field splitting and tilde expansion. */
export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  /** `$NAME`, `${NAME}`, `$?`...; `fallback` is the word of `${NAME:-word}`. */
  | { kind: 'param'; name: string; quoted: boolean; fallback?: Word }
  /** `$(...)` or backquotes: the source of the inner script. */
  | { kind: 'cmdsub'; script: string; quoted: boolean };

export type Word = WordPart[];

export type RedirectOp = '>' | '>>' | '>|' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<<';

export interface Redirect {
  /** The file descriptor redirected (1 for `>`, 0 for `<`, the io-number when given). */
  fd: number;
  op: RedirectOp;
  target: Word;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

/** `{ list; }` (runs in this shell) or `( list )` (runs in a copy of its variables and cwd). */
export interface Group {
  type: 'group' | 'subshell';
  body: List;
  redirects: Redirect[];
}

export type CommandNode = SimpleCommand | Group;

export interface Pipeline {
  negate: boolean;
  commands: CommandNode[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

/** Commands separated by `;`, `&` or newlines (`&` runs in the foreground: there are no jobs). */
export type List = AndOr[];
