/**
 * `test` and `[`: POSIX's rules by argument count, then bash's grammar (`!`, `-a`, `-o`, parentheses)
 * for longer expressions; string, integer and file operators. Also the file and string primitives
 * `[[ ]]` shares.
 */
import { resolvePath } from '../../host/sim/fs.ts';
import { isCommandFile } from './paths.ts';
import { getVar, shellError, type Builtin, type ShellState } from './state.ts';

/** A malformed expression: bash prints it and the status is 2. */
class TestError extends Error {}

const DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/tty', '/dev/random', '/dev/urandom', '/dev/full', '/dev/stdin', '/dev/stdout', '/dev/stderr']);

export const UNARY_FILE = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-G', '-L', '-N', '-O', '-S']);
const UNARY = new Set([...UNARY_FILE, '-n', '-z', '-o', '-v', '-R']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);
const OPTION_NAMES: Record<string, keyof ShellState['flags']> = { errexit: 'errexit', nounset: 'nounset', xtrace: 'xtrace', noglob: 'noglob', pipefail: 'pipefail', noclobber: 'noclobber' };

/** A unary file or string test (`-f path`, `-n str`, `-v name`...). */
export function unaryTest(op: string, arg: string, state: ShellState): boolean {
  switch (op) {
    case '-n':
      return arg !== '';
    case '-z':
      return arg === '';
    case '-v':
      return getVar(state, arg) !== undefined;
    case '-o':
      return arg in OPTION_NAMES && state.flags[OPTION_NAMES[arg]];
    case '-R':
    case '-t':
      return false;
  }
  if (arg === '') return false;
  const { fs } = state;
  const path = resolvePath(state.cwd, arg);
  const device = DEVICES.has(path);
  const virtual = isCommandFile(path, state);
  const dir = fs.isDir(path);
  const file = !dir && (virtual || (!device && fs.read(path) !== undefined));
  const exists = device || dir || file;
  switch (op) {
    case '-e':
    case '-a':
      return exists;
    case '-f':
      return file;
    case '-d':
      return dir;
    case '-c':
      return device;
    case '-s':
      return dir || virtual || (file && (fs.read(path) ?? '') !== '');
    // Scripts run as root: everything that exists is readable and writable, and owned by root.
    case '-r':
    case '-w':
    case '-O':
    case '-G':
      return exists;
    case '-x':
      return dir || virtual || (file && (/\/s?bin\//.test(path) || (fs.read(path) ?? '').startsWith('#!')));
    default:
      // -b -p -S -L -h -g -u -k -N: no devices, pipes, sockets, links or special modes here.
      return false;
  }
}

/** Parses an integer operand the way test does (blanks around it allowed). */
function integer(s: string): bigint {
  if (!/^\s*[+-]?[0-9]+\s*$/.test(s)) throw new TestError(`${s}: integer expression expected`);
  return BigInt(s.trim());
}

/** A binary test with operands already expanded; `toInt` turns operands into integers. */
export function binaryTest(op: string, a: string, b: string, state: ShellState, toInt: (s: string) => bigint): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '-nt':
    case '-ot': {
      // No modification times here: an existing file is newer than a missing one.
      const ea = unaryTest('-e', a, state);
      const eb = unaryTest('-e', b, state);
      return op === '-nt' ? ea && !eb : eb && !ea;
    }
    case '-ef':
      return unaryTest('-e', a, state) && unaryTest('-e', b, state) && resolvePath(state.cwd, a) === resolvePath(state.cwd, b);
  }
  const x = toInt(a);
  const y = toInt(b);
  switch (op) {
    case '-eq':
      return x === y;
    case '-ne':
      return x !== y;
    case '-lt':
      return x < y;
    case '-le':
      return x <= y;
    case '-gt':
      return x > y;
    default:
      return x >= y;
  }
}

class TestParser {
  private i = 0;
  constructor(
    private readonly args: string[],
    private readonly state: ShellState,
  ) {}

  private binary(op: string, a: string, b: string): boolean {
    return binaryTest(op, a, b, this.state, integer);
  }

  /** POSIX's rules for up to four arguments, bash's grammar beyond. */
  run(): boolean {
    const a = this.args;
    switch (a.length) {
      case 0:
        return false;
      case 1:
        return a[0] !== '';
      case 2:
        return this.two(0);
      case 3:
        return this.three(0);
      case 4:
        if (a[0] === '!') return !this.three(1);
        if (a[0] === '(' && a[3] === ')') return this.two(1);
    }
    const v = this.or();
    if (this.i < a.length) throw new TestError('too many arguments');
    return v;
  }

  private two(k: number): boolean {
    const a = this.args;
    if (a[k] === '!') return a[k + 1] === '';
    if (UNARY.has(a[k])) return unaryTest(a[k], a[k + 1], this.state);
    throw new TestError(`${a[k]}: unary operator expected`);
  }

  private three(k: number): boolean {
    const a = this.args;
    if (BINARY.has(a[k + 1])) return this.binary(a[k + 1], a[k], a[k + 2]);
    if (a[k + 1] === '-a') return a[k] !== '' && a[k + 2] !== '';
    if (a[k + 1] === '-o') return a[k] !== '' || a[k + 2] !== '';
    if (a[k] === '!') return !this.two(k + 1);
    if (a[k] === '(' && a[k + 2] === ')') return a[k + 1] !== '';
    throw new TestError(`${a[k + 1]}: binary operator expected`);
  }

  private or(): boolean {
    let v = this.and();
    while (this.args[this.i] === '-o') {
      this.i++;
      const r = this.and();
      v = v || r;
    }
    return v;
  }

  private and(): boolean {
    let v = this.term();
    while (this.args[this.i] === '-a') {
      this.i++;
      const r = this.term();
      v = v && r;
    }
    return v;
  }

  private term(): boolean {
    const a = this.args;
    if (this.i >= a.length) throw new TestError('argument expected');
    const t = a[this.i];
    if (t === '!') {
      this.i++;
      return !this.term();
    }
    if (t === '(') {
      this.i++;
      const v = this.or();
      if (a[this.i] !== ')') throw new TestError("`)' expected");
      this.i++;
      return v;
    }
    if (this.i + 2 < a.length && BINARY.has(a[this.i + 1])) {
      const v = this.binary(a[this.i + 1], t, a[this.i + 2]);
      this.i += 3;
      return v;
    }
    if (UNARY.has(t) && this.i + 1 < a.length) {
      this.i += 2;
      return unaryTest(t, a[this.i - 1], this.state);
    }
    this.i++;
    return t !== '';
  }
}

export const test: Builtin = (ctx, state) => {
  const name = ctx.argv[0];
  let args = ctx.argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      shellError(state, ctx.stderr, "[: missing `]'");
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return new TestParser(args, state).run() ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    shellError(state, ctx.stderr, `${name}: ${e.message}`);
    return 2;
  }
};
