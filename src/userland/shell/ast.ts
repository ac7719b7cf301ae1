/** The shell's syntax tree: what the parser produces and the executor walks. */

/** `${NAME<op>arg}` operators; `len` is `${#NAME}`, `indirect` is `${!NAME}`, `sub` is `${NAME:off:len}`. */
export type ParamOp =
  | ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?'
  | '#' | '##' | '%' | '%%'
  | '/' | '//' | '/#' | '/%'
  | '^' | '^^' | ',' | ',,' | '@'
  | 'len' | 'indirect' | 'sub';

/** A piece of a word; `quoted` parts are exempt from field splitting, globbing and tilde expansion. */
export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  /**
   * `$NAME`, `${NAME}`, `$?`, `${NAME:-word}`...; `arg2` is the replacement of `/` or the length of
   * `sub`; `index` is the subscript of `${NAME[...]}` (`@` and `*` included).
   */
  | { kind: 'param'; name: string; quoted: boolean; op?: ParamOp; arg?: Word; arg2?: Word; index?: Word }
  /** `$(...)` or backquotes: the source of the inner script and the line it starts on. */
  | { kind: 'cmdsub'; script: string; quoted: boolean; line: number }
  /** `$((...))`: the expression, itself subject to parameter expansion before it is evaluated. */
  | { kind: 'arith'; expr: Word; quoted: boolean }
  /** A `${...}` bash cannot parse; an error when (and only if) it is expanded, as in bash. */
  | { kind: 'bad'; text: string; quoted: boolean }
  /** The `(a b c)` of an array assignment `name=(a b c)`: its items as words. */
  | { kind: 'array'; items: Word[]; quoted: false };

export type Word = WordPart[];

export type RedirectOp = '>' | '>>' | '>|' | '<' | '<>' | '>&' | '<&' | '&>' | '&>>' | '<<<' | '<<' | '<<-';

export interface Redirect {
  /** The file descriptor redirected (1 for `>`, 0 for `<`, the io-number when given). */
  fd: number;
  /** Whether the fd was written out (`2>`): the command printer shows it only then. */
  explicitFd: boolean;
  op: RedirectOp;
  /** The file, fd, here-string or here-document delimiter as written. */
  target: Word;
  raw: string;
  /** A here-document's body: literal when the delimiter was quoted, else expanded like "...". */
  body?: Word;
}

/** Where a command starts in the script (for `bash: line N:` messages and `$LINENO`). */
interface Located {
  line: number;
}

export interface SimpleCommand extends Located {
  type: 'simple';
  /** `NAME=value`, `NAME+=value`, `NAME[index]=value`; an array value is one `array` part. */
  assigns: { name: string; index?: Word; value: Word; raw: string; append: boolean }[];
  words: Word[];
  /** Each word's source text, for `jobs` and `set -x`-free printing of the command. */
  raws: string[];
  redirects: Redirect[];
}

/** `{ list; }` (runs in this shell) or `( list )` (runs in a copy of its variables and cwd). */
export interface Group extends Located {
  type: 'group' | 'subshell';
  body: List;
  redirects: Redirect[];
}

export interface If extends Located {
  type: 'if';
  /** `if`/`elif` conditions with their bodies, in order. */
  clauses: { cond: List; body: List }[];
  otherwise?: List;
  redirects: Redirect[];
}

export interface Loop extends Located {
  type: 'while' | 'until';
  cond: List;
  body: List;
  redirects: Redirect[];
}

export interface For extends Located {
  type: 'for';
  name: string;
  /** The words after `in`; undefined for `for x; do` (iterates over "$@"). */
  words?: Word[];
  raws?: string[];
  body: List;
  redirects: Redirect[];
}

/** `for ((init; test; step))`; an empty test is true. */
export interface ArithFor extends Located {
  type: 'arithfor';
  init: Word;
  test: Word;
  step: Word;
  raw: string;
  body: List;
  redirects: Redirect[];
}

export interface CaseItem {
  patterns: Word[];
  raws: string[];
  body: List;
  /** `;;` stops, `;&` runs the next body too, `;;&` goes on testing the next patterns. */
  end: ';;' | ';&' | ';;&';
}

export interface Case extends Located {
  type: 'case';
  word: Word;
  raw: string;
  items: CaseItem[];
  redirects: Redirect[];
}

/** `((expr))`: status 0 when the expression is non-zero. */
export interface ArithCommand extends Located {
  type: 'arith';
  expr: Word;
  raw: string;
  redirects: Redirect[];
}

/** The expression inside `[[ ... ]]`. Words are not split or globbed there. */
export type CondExpr =
  | { kind: 'and' | 'or'; left: CondExpr; right: CondExpr }
  | { kind: 'not'; expr: CondExpr }
  | { kind: 'unary'; op: string; arg: Word }
  | { kind: 'binary'; op: string; left: Word; right: Word }
  | { kind: 'word'; word: Word };

export interface Cond extends Located {
  type: 'cond';
  expr: CondExpr;
  raw: string;
  redirects: Redirect[];
}

export interface FunctionDef extends Located {
  type: 'function';
  name: string;
  body: CompoundCommand;
}

export type CompoundCommand = Group | If | Loop | For | ArithFor | Case | ArithCommand | Cond;

export type CommandNode = SimpleCommand | CompoundCommand | FunctionDef;

export interface Pipeline {
  negate: boolean;
  /** `time` (bash's format) or `time -p` (POSIX's) before the pipeline. */
  time?: 'bash' | 'posix';
  commands: CommandNode[];
  /** Per `|` before command k+1: whether it was `|&` (stderr goes down the pipe too). */
  stderrToo: boolean[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  /** Ended by `&`: started as a background job. */
  background: boolean;
}

/** Commands separated by `;`, `&` or newlines. */
export type List = AndOr[];
