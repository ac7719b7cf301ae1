/**
 * glibc's getopt_long as conntrack drives it: an optstring starting with ':' (missing arguments
 * reported as ':'), opterr off, argument permutation, optional arguments (`::`, has_arg 2) that
 * only attach (`-Lexpect`, `--dump=expect`), unique prefixes of long options, and an `optind`
 * the caller may advance itself (conntrack's get_optional_arg does). The long option table
 * can grow between calls, as conntrack merges a protocol's options after `-p`.
 */

export interface LongOption {
  name: string;
  /** 0 no argument, 1 required, 2 optional. */
  hasArg: 0 | 1 | 2;
  /** What the call returns for it. */
  val: string;
}

export class Getopt {
  optind = 1;
  optarg: string | undefined;
  private nextchar = '';
  private firstNonopt = 1;
  private lastNonopt = 1;

  constructor(
    readonly argv: string[],
    private readonly shortopts: string,
    public longopts: LongOption[],
  ) {}

  /** The next option's `val`, '?' for an unknown one, ':' for a missing argument, or undefined at the end. */
  next(): string | undefined {
    const argv = this.argv;
    const argc = argv.length;
    this.optarg = undefined;
    if (this.nextchar === '') {
      if (this.lastNonopt > this.optind) this.lastNonopt = this.optind;
      if (this.firstNonopt > this.optind) this.firstNonopt = this.optind;
      // Permute: skip operands, to be moved after the options.
      if (this.firstNonopt !== this.lastNonopt && this.lastNonopt !== this.optind) this.exchange();
      else if (this.lastNonopt !== this.optind) this.firstNonopt = this.optind;
      while (this.optind < argc && isNonOption(argv[this.optind])) this.optind++;
      this.lastNonopt = this.optind;
      if (this.optind !== argc && argv[this.optind] === '--') {
        this.optind++;
        if (this.firstNonopt !== this.lastNonopt && this.lastNonopt !== this.optind) this.exchange();
        else if (this.firstNonopt === this.lastNonopt) this.firstNonopt = this.optind;
        this.lastNonopt = argc;
        this.optind = argc;
      }
      if (this.optind === argc) {
        if (this.firstNonopt !== this.lastNonopt) this.optind = this.firstNonopt;
        return undefined;
      }
      const arg = argv[this.optind];
      if (arg.startsWith('--')) return this.long(arg.slice(2));
      this.nextchar = arg.slice(1);
    }
    return this.short();
  }

  private long(body: string): string {
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    this.optind++;
    this.nextchar = '';
    let found = this.longopts.find((o) => o.name === name);
    if (!found) {
      const prefixed = this.longopts.filter((o) => o.name.startsWith(name));
      const ambiguous = prefixed.some((o) => o.hasArg !== prefixed[0].hasArg || o.val !== prefixed[0].val);
      if (prefixed.length === 0 || ambiguous) return '?';
      found = prefixed[0];
    }
    if (eq >= 0) {
      if (found.hasArg === 0) return '?';
      this.optarg = body.slice(eq + 1);
    } else if (found.hasArg === 1) {
      if (this.optind >= this.argv.length) return this.shortopts.startsWith(':') ? ':' : '?';
      this.optarg = this.argv[this.optind++];
    }
    return found.val;
  }

  private short(): string {
    const c = this.nextchar[0];
    this.nextchar = this.nextchar.slice(1);
    // optind moves on when the last character of a cluster is taken.
    if (this.nextchar === '') this.optind++;
    const at = c === ':' ? -1 : this.shortopts.indexOf(c, this.shortopts.startsWith(':') ? 1 : 0);
    if (at < 0) return '?';
    if (this.shortopts[at + 1] !== ':') return c;
    if (this.shortopts[at + 2] === ':') {
      if (this.nextchar !== '') {
        this.optarg = this.nextchar;
        this.optind++;
      }
    } else if (this.nextchar !== '') {
      this.optarg = this.nextchar;
      this.optind++;
    } else if (this.optind === this.argv.length) {
      return this.shortopts.startsWith(':') ? ':' : '?';
    } else {
      this.optarg = this.argv[this.optind++];
    }
    this.nextchar = '';
    return c;
  }

  /** Moves the operands skipped so far after the options scanned since (glibc's exchange()). */
  private exchange(): void {
    const moved = this.argv.splice(this.lastNonopt, this.optind - this.lastNonopt);
    this.argv.splice(this.firstNonopt, 0, ...moved);
    this.firstNonopt += this.optind - this.lastNonopt;
    this.lastNonopt = this.optind;
  }
}

function isNonOption(a: string): boolean {
  return a[0] !== '-' || a.length === 1;
}
