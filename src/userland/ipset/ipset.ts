/**
 * `ipset` (7.17): create, add, del, test, list, save, restore, flush, destroy, rename, swap on
 * the namespace's sets, with -exist, -quiet, -name, -terse and `-o save`. Errors print as
 * `ipset v7.17: <text>` (restore adds `Error in line N: `) and exit 1; command-line misuse exits 2.
 */
import { ipsetIn, IpsetError, SET_TYPES, type CreateOpts, type IpSet, type SetTypeName } from '../../kernel/ipset/index.ts';
import type { NetNs } from '../../kernel/netns.ts';
import type { Names } from '../../kernel/netfilter/xt/types.ts';
import type { Command, CommandContext } from '../command.ts';
import { hostNames } from '../names.ts';
import { formatElem, parseElem } from './elem.ts';

const PREFIX = 'ipset v7.17: ';

class Usage extends Error {}

interface Flags {
  exist: boolean;
  quiet: boolean;
  names: boolean;
  terse: boolean;
  save: boolean;
}

const ALIASES: Record<string, string> = {
  n: 'create', create: 'create', add: 'add', del: 'del', test: 'test', x: 'destroy', destroy: 'destroy', list: 'list', save: 'save',
  restore: 'restore', flush: 'flush', e: 'rename', rename: 'rename', w: 'swap', swap: 'swap', help: 'help', version: 'version',
  '-N': 'create', '-A': 'add', '-D': 'del', '-T': 'test', '-X': 'destroy', '-L': 'list', '-S': 'save', '-R': 'restore', '-F': 'flush',
  '-E': 'rename', '-W': 'swap', '-H': 'help', '-V': 'version', '-v': 'version', '--version': 'version', '--help': 'help',
};

/** Whether any iptables rule of the namespace uses the set (its reference count). */
function references(ns: NetNs, name: string): number {
  let n = 0;
  for (const t of ['raw', 'mangle', 'nat', 'filter', 'security'] as const) {
    const table = ns.nf.table(t);
    if (!table.present) continue;
    for (const c of table.orderedChains()) for (const r of c.rules) for (const m of r.matches) if (m.ext.name === 'set' && (m.data as { name: string }).name === name) n++;
  }
  return n;
}

function header(s: IpSet): string {
  const o = s.opts;
  if (s.type.kind === 'bitmap') return `range ${o.range![0]}-${o.range![1]}${o.timeout !== undefined ? ` timeout ${o.timeout}` : ''}${o.counters ? ' counters' : ''}${o.comment ? ' comment' : ''}`;
  let h = `family inet hashsize ${o.hashsize} maxelem ${o.maxelem}`;
  if (o.timeout !== undefined) h += ` timeout ${o.timeout}`;
  if (o.counters) h += ' counters';
  if (o.comment) h += ' comment';
  return `${h} bucketsize ${o.bucketsize} initval 0x${o.initval.toString(16).padStart(8, '0')}`;
}

function member(s: IpSet, m: { elem: import('../../kernel/ipset/index.ts').Elem; comment?: string }): string {
  return formatElem(s, m.elem) + (m.comment !== undefined && s.opts.comment ? ` comment "${m.comment}"` : '');
}

function listSet(ns: NetNs, s: IpSet, f: Flags): string {
  if (f.names) return `${s.name}\n`;
  if (f.save) {
    return `create ${s.name} ${s.type.name} ${header(s)}\n` + (f.terse ? '' : s.members().map((m) => `add ${s.name} ${member(s, m)}\n`).join(''));
  }
  let out = `Name: ${s.name}\nType: ${s.type.name}\nRevision: ${s.type.revision}\nHeader: ${header(s)}\nSize in memory: ${s.memory()}\nReferences: ${references(ns, s.name)}\nNumber of entries: ${s.size}\n`;
  if (!f.terse) out += 'Members:\n' + s.members().map((m) => `${member(s, m)}\n`).join('');
  return out;
}

/** The create options after the type (`family inet hashsize N maxelem N comment ...`). */
function createOpts(type: SetTypeName, words: string[]): CreateOpts {
  const o: CreateOpts = {};
  const num = (w: string | undefined, opt: string): number => {
    if (w === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(w)) throw new IpsetError(`Syntax error: '${w ?? ''}' is invalid as number`);
    void opt;
    return Number(w);
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    switch (w) {
      case 'family': {
        const f = words[++i];
        if (f !== 'inet' && f !== 'ipv4') throw new IpsetError(`Syntax error: unknown family ${f}`);
        break;
      }
      case 'hashsize': o.hashsize = num(words[++i], w); break;
      case 'maxelem': o.maxelem = num(words[++i], w); break;
      case 'initval': o.initval = num(words[++i], w) >>> 0; break;
      case 'bucketsize': o.bucketsize = num(words[++i], w); break;
      case 'timeout': o.timeout = num(words[++i], w); break;
      case 'comment': o.comment = true; break;
      case 'counters': o.counters = true; break;
      case 'range': {
        const r = /^(\d+)-(\d+)$/.exec(words[++i] ?? '') ?? [];
        const [a, b] = [Number(r[1]), Number(r[2])];
        if (r.length === 0 || a > 65535 || b > 65535) throw new IpsetError(`Syntax error: cannot parse '${words[i]}' as a port range`);
        o.range = [Math.min(a, b), Math.max(a, b)];
        break;
      }
      default: throw new IpsetError(`Syntax error: Unknown argument: '${w}'`);
    }
  }
  if (SET_TYPES.get(type)!.kind === 'bitmap' && !o.range) throw new IpsetError('Syntax error: Missing mandatory option: "range"');
  return o;
}

interface Env {
  ns: NetNs;
  names: Names;
  random32: () => number;
  out(t: string): void;
  err(t: string): void;
}

/** One command (from argv or a restore line); returns the exit status, throws IpsetError/Usage. */
function exec(env: Env, cmd: string, args: string[], f: Flags): number {
  const reg = ipsetIn(env.ns.nfState);
  const inUse = (n: string): boolean => references(env.ns, n) > 0;
  const need = (i: number): string => {
    if (args[i] === undefined) throw new IpsetError(i === 0 ? 'Syntax error: Missing setname' : 'Syntax error: Missing element');
    return args[i];
  };
  switch (cmd) {
    case 'create': {
      const name = need(0);
      const type = args[1];
      if (type === undefined) throw new IpsetError('Syntax error: Missing settype');
      if (!SET_TYPES.has(type as SetTypeName)) throw new IpsetError(`Syntax error: typename '${type}' is unknown`);
      reg.create(name, type as SetTypeName, createOpts(type as SetTypeName, args.slice(2)), f.exist, env.random32);
      return 0;
    }
    case 'add': case 'del': case 'test': {
      const set = reg.must(need(0));
      const rest = args.slice(2);
      const elem = parseElem(set, need(1), env.names);
      let comment: string | undefined;
      if (rest[0] === 'comment') {
        if (!set.opts.comment) throw new IpsetError('Syntax error: Extension comment is disabled in the set');
        comment = rest[1] ?? '';
      } else if (rest.length) throw new IpsetError(`Syntax error: Unknown argument: '${rest[0]}'`);
      if (cmd === 'add') reg.add(set.name, { elem, comment }, f.exist);
      else if (cmd === 'del') reg.del(set.name, elem, f.exist);
      else {
        const text = formatElem(set, elem);
        if (reg.test(set.name, elem)) {
          if (!f.quiet) env.err(`Warning: ${text} is in set ${set.name}.\n`);
          return 0;
        }
        if (!f.quiet) env.err(`${text} is NOT in set ${set.name}.\n`);
        return 1;
      }
      return 0;
    }
    case 'list': case 'save': {
      const sets = args[0] !== undefined ? [reg.must(args[0])] : reg.list();
      const fl = { ...f, save: f.save || cmd === 'save' };
      env.out(sets.map((s) => listSet(env.ns, s, fl)).join(fl.save || fl.names ? '' : '\n'));
      return 0;
    }
    case 'flush': reg.flush(args[0]); return 0;
    case 'destroy': reg.destroy(args[0], inUse); return 0;
    case 'rename': reg.rename(need(0), args[1] ?? need(1), inUse); return 0;
    case 'swap': reg.swap(need(0), args[1] ?? need(1)); return 0;
    case 'version': env.out('ipset v7.17, protocol version: 7\n'); return 0;
    default: throw new Usage(`No command specified: unknown argument ${cmd}`);
  }
}

/** Splits flags (anywhere on the line) from the command and its arguments. */
function split(words: string[], f: Flags): { cmd?: string; args: string[] } {
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-exist' || w === '-!') f.exist = true;
    else if (w === '-q' || w === '-quiet') f.quiet = true;
    else if (w === '-n' || w === '-name') f.names = true;
    else if (w === '-t' || w === '-terse') f.terse = true;
    else if (w === '-s' || w === '-sorted') continue;
    else if (w === '-o' || w === '-output') f.save = words[++i] === 'save';
    else rest.push(w);
  }
  const [first, ...args] = rest;
  return { cmd: first === undefined ? undefined : ALIASES[first] ?? first, args };
}

/** Words of a restore line: whitespace-separated, double quotes group (comments). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

export const ipset: Command = (ctx: CommandContext) => {
  const ns = ctx.sys.netns();
  const env: Env = { ns, names: hostNames(ctx.sys.files?.() ?? ctx.fs), random32: () => ns.kernel.rng.u32(), out: ctx.stdout, err: ctx.stderr };
  const flags: Flags = { exist: false, quiet: false, names: false, terse: false, save: false };
  const { cmd, args } = split(ctx.argv.slice(1), flags);
  try {
    if (cmd === undefined) throw new Usage('No command specified.');
    if (cmd === 'restore') return restore(ctx, env, flags);
    return exec(env, cmd, args, flags);
  } catch (e) {
    if (e instanceof Usage) {
      ctx.stderr(`${PREFIX}${e.message}\nTry \`ipset help' for more information.\n`);
      return 2;
    }
    if (!(e instanceof IpsetError)) throw e;
    if (!flags.quiet) ctx.stderr(`${PREFIX}${e.message}\n`);
    return 1;
  }
};

/** `ipset restore`: one command per line; the first failure stops it with its line number. */
function restore(ctx: CommandContext, env: Env, global: Flags): number {
  const lines = ctx.stdin.split('\n');
  for (const [i, line] of lines.entries()) {
    const w = words(line);
    if (w.length === 0 || w[0].startsWith('#') || w[0] === 'COMMIT') continue;
    const f = { ...global };
    const { cmd, args } = split(w, f);
    try {
      exec(env, cmd!, args, f);
    } catch (e) {
      if (e instanceof Usage) throw e;
      if (!(e instanceof IpsetError)) throw e;
      ctx.stderr(`${PREFIX}Error in line ${i + 1}: ${e.message}\n`);
      return 1;
    }
  }
  return 0;
}

