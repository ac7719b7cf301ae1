/**
 * What iproute2's `bridge` shares between its objects: its argument helpers (matches, NEXT_ARG,
 * duparg, invarg) with their exact messages, how a failed netlink request is reported, the
 * device flags list `<BROADCAST,MULTICAST,UP,LOWER_UP>` and the `name@link` form.
 */
import { KernelError, STRERROR, type Errno } from '../../kernel/errno.ts';
import { IFF, iflink, netlinkFlags } from '../../kernel/ifinfo.ts';
import type { Link } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';

/** The options given before the object (`bridge -s -d fdb show`). */
export interface BridgeOpts {
  stats: boolean;
  details: boolean;
  json: boolean;
  pretty: boolean;
}

/** Ends the command with a status, after its message has been written (iproute2's exit(-1)). */
export class Exit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

export interface Out {
  out(t: string): void;
  err(t: string): void;
}

/** iproute2's matches(): `arg` is a non-empty prefix of `word`. */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

/** A cursor over the words after the command, with iproute2's NEXT_ARG. */
export class Args {
  i = 0;
  constructor(
    readonly words: string[],
    private readonly io: Out,
  ) {}

  get more(): boolean {
    return this.i < this.words.length;
  }

  get cur(): string {
    return this.words[this.i];
  }

  /** NEXT_ARG(): the value after a keyword, or "Command line is not complete". */
  next(): string {
    this.i++;
    if (this.i >= this.words.length) {
      this.io.err('Command line is not complete. Try option "help"\n');
      throw new Exit(255);
    }
    return this.words[this.i];
  }
}

export function duparg(io: Out, key: string, arg: string): never {
  io.err(`Error: duplicate "${key}": "${arg}" is the second value.\n`);
  throw new Exit(255);
}

export function invarg(io: Out, msg: string, arg: string): never {
  io.err(`Error: argument "${arg}" is wrong: ${msg}\n`);
  throw new Exit(255);
}

/** A request the kernel refused: the extended ack if it gave one, else the errno's text. */
export function rtnlError(io: Out, e: unknown): never {
  if (e instanceof KernelError) {
    io.err(e.extack && e.extack !== STRERROR[e.errno] ? `Error: ${e.extack}.\n` : `RTNETLINK answers: ${e.strerror}\n`);
    throw new Exit(255);
  }
  throw e;
}

export function rtnlErrno(io: Out, errno: Errno): never {
  return rtnlError(io, new KernelError(errno));
}

/** ll_index_to_name: a local device's name, or `if%u` for an index nothing here has. */
export function indexToName(ns: NetNs, index: number): string {
  return ns.links.get(index)?.name ?? `if${index}`;
}

const FLAG_NAMES: [keyof typeof IFF, number][] = [
  ['LOOPBACK', IFF.LOOPBACK],
  ['BROADCAST', IFF.BROADCAST],
  ['POINTOPOINT', IFF.POINTOPOINT],
  ['MULTICAST', IFF.MULTICAST],
  ['NOARP', IFF.NOARP],
  ['ALLMULTI', IFF.ALLMULTI],
  ['PROMISC', IFF.PROMISC],
  ['MASTER', IFF.MASTER],
  ['SLAVE', IFF.SLAVE],
  ['DEBUG', IFF.DEBUG],
  ['DYNAMIC', IFF.DYNAMIC],
  ['AUTOMEDIA', IFF.AUTOMEDIA],
  ['PORTSEL', IFF.PORTSEL],
  ['NOTRAILERS', IFF.NOTRAILERS],
  ['UP', IFF.UP],
  ['LOWER_UP', IFF.LOWER_UP],
  ['DORMANT', IFF.DORMANT],
  ['ECHO', IFF.ECHO],
];

/** The names print_link_flags prints, in its order; NO-CARRIER first when up without RUNNING. */
export function flagNames(flags: number, mdown: boolean): string[] {
  const out: string[] = [];
  if (flags & IFF.UP && !(flags & IFF.RUNNING)) out.push('NO-CARRIER');
  let rest = flags & ~IFF.RUNNING;
  for (const [name, bit] of FLAG_NAMES) {
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(rest.toString(16));
  if (mdown) out.push('M-DOWN');
  return out;
}

/**
 * print_name_and_link for a PF_BRIDGE dump, which carries IFLA_LINK but never a link-netnsid: the
 * peer's index is looked up among *this* namespace's devices (so a pod veth whose peer is index 2
 * in the pod shows `@eth0` if index 2 here is eth0), and M-DOWN follows that local device.
 */
export function nameAndLink(ns: NetNs, link: Link): { name: string; link?: string; mdown: boolean } {
  const idx = iflink(link);
  if (idx === link.ifindex) return { name: link.name, mdown: false };
  if (idx === 0) return { name: link.name, link: 'none', mdown: false };
  const local = ns.links.get(idx);
  const up = local ? netlinkFlags(local) & IFF.UP : 0;
  return { name: link.name, link: indexToName(ns, idx), mdown: !up };
}

/**
 * iproute2's json_writer: the same separators and, with -p, the same indentation (four spaces
 * a level, `[ ` and ` ]` around arrays), so `bridge -j` output matches byte for byte.
 */
export class JsonWriter {
  private text = '';
  private depth = 0;
  private sep = '';

  constructor(private readonly pretty: boolean) {}

  private eol(): void {
    if (this.pretty) this.text += '\n' + '    '.repeat(this.depth);
  }

  private eor(): void {
    this.text += this.sep;
    this.sep = ',';
  }

  private begin(c: string): void {
    this.eor();
    this.text += c;
    this.depth++;
    this.sep = '';
  }

  private end(c: string): void {
    this.depth--;
    if (this.sep) this.eol();
    this.text += c;
    this.sep = ',';
  }

  name(n: string): this {
    this.eor();
    this.eol();
    this.sep = '';
    this.text += JSON.stringify(n) + ':' + (this.pretty ? ' ' : '');
    return this;
  }

  value(v: string | number | boolean | null): this {
    this.eor();
    this.text += JSON.stringify(v);
    return this;
  }

  field(n: string, v: string | number | boolean | null): this {
    return this.name(n).value(v);
  }

  startObject(): this {
    this.begin('{');
    return this;
  }

  endObject(): this {
    this.end('}');
    return this;
  }

  startArray(): this {
    this.begin('[');
    if (this.pretty) this.text += ' ';
    return this;
  }

  endArray(): this {
    if (this.pretty && this.sep) this.text += ' ';
    this.sep = '';
    this.end(']');
    return this;
  }

  /** The document with the newline jsonw_destroy ends it with. */
  done(): string {
    return this.text + '\n';
  }
}
