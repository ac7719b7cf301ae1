/**
 * procps-ng's `sysctl` (4.0.2) over the namespace's /proc/sys: reading keys and directories
 * (dotted or slashed, `flannel/1` for a dot inside a name), `-w`/`KEY=VALUE` writes, `-a`, `-N`,
 * `-n`, `-b`, `-e`, `-q`, `-r`, `-p [FILE]` and `--system`, with its messages and exit statuses
 * (including its quirks: a read-only key is reported but does not fail the command).
 */
import type { Command, CommandContext } from '../command.ts';
import { resolvePath } from '../../host/sim/fs.ts';
import { ProcSys, type SysPath } from '../../host/sim/procsys.ts';
import { STRERROR } from '../../kernel/errno.ts';

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

const LONG: Record<string, { key: string; arg?: 'required' | 'optional' }> = {
  all: { key: 'a' }, deprecated: { key: 'deprecated' }, 'dry-run': { key: 'dry-run' }, binary: { key: 'b' }, ignore: { key: 'e' },
  names: { key: 'N' }, values: { key: 'n' }, load: { key: 'p', arg: 'optional' }, quiet: { key: 'q' }, write: { key: 'w' },
  system: { key: 'system' }, pattern: { key: 'r', arg: 'required' }, help: { key: 'h' }, version: { key: 'V' },
};

interface Flags {
  printName: boolean;
  printNewline: boolean;
  ignoreError: boolean;
  nameOnly: boolean;
  quiet: boolean;
  dryRun: boolean;
  pattern?: RegExp;
}

interface Setting {
  key: string;
  path: SysPath;
  value: string;
  ignoreFailure: boolean;
  globExclude: boolean;
}

/** sysctl's slashdot(): if the first separator is not already `to`, swap dots and slashes throughout. */
function slashdot(s: string, from: '.' | '/', to: '.' | '/'): string {
  const first = s.search(/[./]/);
  if (first < 0 || s[first] === to) return s;
  return s.replace(/[./]/g, (c) => (c === from ? to : from));
}

class Sysctl {
  status = 0;
  private readonly proc: ProcSys;

  constructor(
    private readonly ctx: CommandContext,
    private readonly f: Flags,
  ) {
    this.proc = new ProcSys(ctx.sys);
  }

  out(t: string): void {
    this.ctx.stdout(t);
  }

  warn(t: string): void {
    this.ctx.stderr(`sysctl: ${t}\n`);
  }

  /** A name as given on the command line to a path under /proc/sys (components). */
  private pathOfName(name: string): SysPath {
    return slashdot(name, '.', '/').split('/').filter((c) => c !== '');
  }

  private procPath(path: SysPath): string {
    return '/proc/sys/' + path.join('/');
  }

  /** ReadSetting: one key, or everything under a directory. */
  read(name: string): number {
    if (!name) {
      this.warn(`"${name}" is an unknown key`);
      return -1;
    }
    const path = this.pathOfName(name);
    const outname = slashdot(name, '/', '.');
    if (!this.proc.isDir(path) && !this.proc.file(path)) {
      if (this.f.ignoreError) return 0;
      this.warn(`cannot stat ${'/proc/sys/' + slashdot(name, '.', '/')}: No such file or directory`);
      return 1;
    }
    if (this.proc.isDir(path)) return this.displayAll(path);
    if (this.f.pattern && !this.f.pattern.test(outname)) return 0;
    if (this.f.nameOnly) {
      this.out(`${outname}\n`);
      return 0;
    }
    const content = this.proc.file(path)!.read();
    if (this.f.printName) this.out(`${outname} = ${content}`);
    else this.out(this.f.printNewline ? content : content.replace(/\n$/, ''));
    return 0;
  }

  /** DisplayAll: every file below a directory, depth first, in the kernel's (sorted) order. */
  displayAll(dir: SysPath): number {
    let rc = 0;
    for (const name of this.proc.list(dir)) {
      const path = [...dir, name];
      if (this.proc.isDir(path)) this.displayAll(path);
      else rc |= this.read(path.join('/'));
    }
    return rc;
  }

  /** WriteSetting, including its habit of reporting a read-only key without failing. */
  write(s: Setting): number {
    const file = this.proc.file(s.path);
    const isDir = this.proc.isDir(s.path);
    const dotted = slashdot(s.path.join('/'), '/', '.');
    if (!file && !isDir) {
      if (this.f.ignoreError) return 0;
      this.warn(`cannot stat ${this.procPath(s.path)}: No such file or directory`);
      return 1;
    }
    if (isDir || !file!.writable) {
      // procps reports the mode check with whatever errno is left over, which is EINVAL here.
      this.warn(`setting key "${dotted}": ${STRERROR.EINVAL}`);
      return 0;
    }
    if (!this.f.dryRun) {
      const err = file!.write(`${s.value}\n`);
      if (err) {
        this.warn(`setting key "${dotted}": ${STRERROR[err]}`);
        return 1;
      }
    }
    if (!this.f.quiet || this.f.dryRun) {
      if (this.f.printName) this.out(`${dotted} = ${s.value}\n`);
      else this.out(this.f.printNewline ? `${s.value}\n` : s.value);
    }
    return 0;
  }

  /** parse_setting_line: `key = value`, `-key = value` (ignore failure), `-key` (exclude a glob match). */
  parseLine(where: string, n: number, line: string): Setting | undefined {
    let key = line.replace(/^\s+/, '');
    if (key.length < 2) return undefined;
    if (key[0] === '#' || key[0] === ';') return undefined;
    if (this.f.pattern && !this.f.pattern.test(key)) return undefined;
    const eq = key.indexOf('=');
    let value = '';
    let ignoreFailure = false;
    let globExclude = false;
    if (eq < 0) {
      if (key[0] !== '-') {
        this.warn(`${where}(${n}): invalid syntax, continuing...`);
        return undefined;
      }
      globExclude = true;
      key = key.slice(1).replace(/\s+$/, '');
    } else {
      value = key.slice(eq + 1).trim();
      key = key.slice(0, eq);
      if (key[0] === '-') {
        ignoreFailure = true;
        key = key.slice(1);
      }
      key = key.replace(/\s+$/, '');
    }
    return { key, path: this.pathOfName(key), value, ignoreFailure, globExclude };
  }

  /** Preload: a file's settings into the list; `-` is stdin. */
  preload(list: Setting[], file: string): number {
    const data = file === '-' ? this.ctx.stdin : this.ctx.fs.read(resolvePath(this.ctx.cwd, file));
    if (data === undefined) {
      this.warn(`cannot open "${file}": No such file or directory`);
      return 1;
    }
    const lines = data.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((l, k) => {
      if (l.length + 1 < 2) return;
      const s = this.parseLine(file, k + 1, l);
      if (s) list.push(s);
    });
    return 0;
  }

  /** write_setting_list: globbed keys expand over /proc/sys, skipping ones listed on their own. */
  writeList(list: Setting[]): number {
    let rc = 0;
    for (const s of list) {
      if (s.globExclude) continue;
      if (!s.path.some((c) => /[*?[]/.test(c))) {
        rc |= this.write(s);
        continue;
      }
      for (const path of this.glob(s.path)) {
        if (list.some((o) => o.path.join('/') === path.join('/'))) continue;
        rc |= this.write({ ...s, path });
      }
    }
    return rc;
  }

  private glob(pattern: SysPath, at: SysPath = []): SysPath[] {
    if (at.length === pattern.length) return [at];
    const want = pattern[at.length];
    const re = new RegExp('^' + want.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
    const out: SysPath[] = [];
    for (const name of this.proc.list(at)) {
      if (!re.test(name)) continue;
      const next = [...at, name];
      if (at.length + 1 < pattern.length && !this.proc.isDir(next)) continue;
      out.push(...this.glob(pattern, next));
    }
    return out;
  }

  /** --system: *.conf from the sysctl.d directories (first of a name wins), by name, then /etc/sysctl.conf. */
  preloadSystem(list: Setting[]): number {
    const dirs = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];
    const seen = new Map<string, string>();
    const fs = this.ctx.fs;
    for (const d of dirs) {
      if (!fs.isDir(d)) continue;
      for (const name of fs.list(d)) if (name.endsWith('.conf') && name.length >= 5 && !seen.has(name)) seen.set(name, `${d}/${name}`);
    }
    let rc = 0;
    for (const name of [...seen.keys()].sort()) {
      if (!this.f.quiet) this.out(`* Applying ${seen.get(name)} ...\n`);
      rc |= this.preload(list, seen.get(name)!);
    }
    if (fs.read('/etc/sysctl.conf') !== undefined) {
      if (!this.f.quiet) this.out('* Applying /etc/sysctl.conf ...\n');
      rc |= this.preload(list, '/etc/sysctl.conf');
    }
    return rc;
  }
}

type Parsed = { key: string; value?: string } | { error: string };

/** getopt_long over "bneNwfp::qoxaAXr:Vdh" with GNU permutation. */
function parseArgs(argv: string[]): { opts: Parsed[]; operands: string[] } {
  const opts: Parsed[] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const hits = Object.keys(LONG).filter((l) => l.startsWith(name));
      const exact = LONG[name] ? name : hits.length === 1 ? hits[0] : undefined;
      if (!exact) {
        opts.push({ error: hits.length > 1 ? `option '${a}' is ambiguous` : `unrecognized option '${a}'` });
        continue;
      }
      const d = LONG[exact];
      if (d.arg === 'required') {
        if (eq >= 0) opts.push({ key: d.key, value: a.slice(eq + 1) });
        else if (i + 1 < argv.length) opts.push({ key: d.key, value: argv[++i] });
        else opts.push({ error: `option '--${exact}' requires an argument` });
      } else if (d.arg === 'optional') opts.push({ key: d.key, value: eq >= 0 ? a.slice(eq + 1) : undefined });
      else if (eq >= 0) opts.push({ error: `option '--${exact}' doesn't allow an argument` });
      else opts.push({ key: d.key });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'p' || c === 'f') {
          opts.push({ key: 'p', value: j + 1 < a.length ? a.slice(j + 1) : undefined });
          break;
        }
        if (c === 'r') {
          if (j + 1 < a.length) opts.push({ key: 'r', value: a.slice(j + 1) });
          else if (i + 1 < argv.length) opts.push({ key: 'r', value: argv[++i] });
          else opts.push({ error: `option requires an argument -- 'r'` });
          break;
        }
        if ('bneNwqoxaAXVdh'.includes(c)) opts.push({ key: c });
        else opts.push({ error: `invalid option -- '${c}'` });
      }
      continue;
    }
    operands.push(a);
  }
  return { opts, operands };
}

function run(ctx: CommandContext): number {
  const argv = ctx.argv.slice(1);
  if (!argv.length) {
    ctx.stderr(USAGE);
    return 1;
  }
  const f: Flags = { printName: true, printNewline: true, ignoreError: false, nameOnly: false, quiet: false, dryRun: false };
  const s = new Sysctl(ctx, f);
  const { opts, operands } = parseArgs(argv);
  let write = false;
  let all = false;
  let preloadOpt = false;
  let preloadFile: string | undefined;
  for (const o of opts) {
    if ('error' in o) {
      // getopt's complaint, then '?' falls into the help case, which exits 0.
      ctx.stderr(`sysctl: ${o.error}\n`);
      ctx.stdout(USAGE);
      return 0;
    }
    switch (o.key) {
      case 'b':
        f.printNewline = false;
        f.printName = false;
        break;
      case 'n':
        f.printName = false;
        break;
      case 'e':
        f.ignoreError = true;
        break;
      case 'N':
        // 4.0.2 also drops the name from what a write echoes (it prints the value alone).
        f.nameOnly = true;
        f.printName = false;
        break;
      case 'w':
        write = true;
        break;
      case 'p':
        preloadOpt = true;
        if (o.value !== undefined) preloadFile = o.value;
        break;
      case 'q':
        f.quiet = true;
        break;
      case 'a':
      case 'A':
      case 'X':
        all = true;
        break;
      case 'dry-run':
        f.dryRun = true;
        break;
      case 'r':
        try {
          f.pattern = new RegExp(o.value!);
        } catch {
          f.pattern = /(?!)/;
        }
        break;
      case 'system': {
        f.ignoreError = true;
        const list: Setting[] = [];
        let rc = s.preloadSystem(list);
        rc |= s.writeList(list);
        return rc;
      }
      case 'V':
        ctx.stdout('sysctl from procps-ng 4.0.2\n');
        return 0;
      case 'd':
      case 'h':
        ctx.stdout(USAGE);
        return 0;
      default:
        break;
    }
  }
  if (all) return s.displayAll([]) & 0xff;
  if (preloadOpt) {
    const list: Setting[] = [];
    let rc = 0;
    if (preloadFile === undefined) {
      if (!operands.length) rc |= s.preload(list, '/etc/sysctl.conf');
    } else rc |= s.preload(list, preloadFile);
    for (const file of operands) rc |= s.preload(list, file);
    rc |= s.writeList(list);
    return rc;
  }
  if (!operands.length) {
    ctx.stderr("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    return 1;
  }
  if (f.nameOnly && f.quiet) {
    ctx.stderr("sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.\n");
    return 1;
  }
  let rc = 0;
  for (const arg of operands) {
    if (write || arg.includes('=')) {
      const setting = s.parseLine('command line', 0, arg);
      rc |= setting ? s.write(setting) : 1;
    } else rc += s.read(arg);
  }
  return rc & 0xff;
}

export const sysctl: Command = (ctx) => run(ctx);
