/**
 * The iptables command line, parsed as iptables 1.8.9 parses it (xshared.c do_parse): getopt_long
 * over the built-in options plus the options of every extension loaded so far with -m and -j,
 * the implicit protocol match loaded when an unknown option follows -p, `!` inversion, and the
 * same checks in the same order, so errors and their texts match the real tool.
 */
import { maskOf, parseInetAton } from '../../kernel/addr.ts';
import { anyIpHeader, type Rule, type RuleTarget } from '../../kernel/netfilter/rule.ts';
import { isTableName, type TableName } from '../../kernel/netfilter/tables.ts';
import { findMatch, findTarget, STANDARD_VERDICTS } from '../../kernel/netfilter/xt/index.ts';
import { parseIface } from '../../kernel/netfilter/xt/xtopt.ts';
import type { MatchUse, Names, ParseEnv, TargetUse, XtMatch, XtOption, XtTarget } from '../../kernel/netfilter/xt/types.ts';
import { paramProblem, XtError } from './errors.ts';

export type CommandLetter = 'A' | 'C' | 'D' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'E' | 'P' | 'h' | 'V';

export interface IptablesInvocation {
  /** Commands given; only L with Z may be combined. */
  commands: CommandLetter[];
  table: TableName;
  chain?: string;
  /** -E's new name or -P's policy. */
  arg2?: string;
  /** Rule number for -I, -D NUM, -R, -L/-S CHAIN NUM. */
  rulenum?: number;
  /** -D with a number rather than a rule specification. */
  deleteByNumber: boolean;
  /** One rule per source × destination address (iptables expands comma lists). */
  rules: Rule[];
  /** The -j/-g name when it is not a target extension (a chain, checked later). */
  jumpto?: string;
  numeric: boolean;
  verbose: number;
  exact: boolean;
  lineNumbers: boolean;
  /** -c PKTS BYTES for the rule. */
  setCounters?: { pkts: bigint; bytes: bigint };
  /** -g rather than -j. */
  goto: boolean;
  /** Options present, by their letter, for generic_opt_check. */
  optionsSeen: Set<string>;
}

interface BaseOpt {
  name: string;
  letter: string;
  /** 0 none, 1 required, 2 optional */
  has: 0 | 1 | 2;
}

const BASE_OPTIONS: BaseOpt[] = [
  { name: 'append', letter: 'A', has: 1 },
  { name: 'delete', letter: 'D', has: 1 },
  { name: 'check', letter: 'C', has: 1 },
  { name: 'insert', letter: 'I', has: 1 },
  { name: 'replace', letter: 'R', has: 1 },
  { name: 'list', letter: 'L', has: 2 },
  { name: 'list-rules', letter: 'S', has: 2 },
  { name: 'flush', letter: 'F', has: 2 },
  { name: 'zero', letter: 'Z', has: 2 },
  { name: 'new-chain', letter: 'N', has: 1 },
  { name: 'delete-chain', letter: 'X', has: 2 },
  { name: 'rename-chain', letter: 'E', has: 1 },
  { name: 'policy', letter: 'P', has: 1 },
  { name: 'source', letter: 's', has: 1 },
  { name: 'destination', letter: 'd', has: 1 },
  { name: 'src', letter: 's', has: 1 },
  { name: 'dst', letter: 'd', has: 1 },
  { name: 'protocol', letter: 'p', has: 1 },
  { name: 'in-interface', letter: 'i', has: 1 },
  { name: 'jump', letter: 'j', has: 1 },
  { name: 'table', letter: 't', has: 1 },
  { name: 'match', letter: 'm', has: 1 },
  { name: 'numeric', letter: 'n', has: 0 },
  { name: 'out-interface', letter: 'o', has: 1 },
  { name: 'verbose', letter: 'v', has: 0 },
  { name: 'wait', letter: 'w', has: 2 },
  { name: 'wait-interval', letter: 'W', has: 2 },
  { name: 'exact', letter: 'x', has: 0 },
  { name: 'fragments', letter: 'f', has: 0 },
  { name: 'version', letter: 'V', has: 0 },
  { name: 'help', letter: 'h', has: 2 },
  { name: 'line-numbers', letter: '0', has: 0 },
  { name: 'modprobe', letter: 'M', has: 1 },
  { name: 'set-counters', letter: 'c', has: 1 },
  { name: 'goto', letter: 'g', has: 1 },
  { name: 'ipv4', letter: '4', has: 0 },
  { name: 'ipv6', letter: '6', has: 0 },
];

const BASE_BY_NAME = new Map(BASE_OPTIONS.map((b) => [b.name, b]));

/** Short options and whether they take an argument (getopt string "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46"). */
const SHORT: Record<string, 0 | 1 | 2> = {
  A: 1, C: 1, D: 1, R: 1, I: 1, L: 2, S: 2, M: 1, F: 2, Z: 2, N: 1, X: 2, E: 1, P: 1, V: 0, h: 2,
  o: 1, p: 1, s: 1, d: 1, j: 1, i: 1, f: 0, b: 0, v: 0, w: 2, W: 2, n: 0, t: 1, m: 1, x: 0, c: 1,
  g: 1, '4': 0, '6': 0,
};

/** Options each command accepts (commands_v_options in xshared.c): x = illegal. */
const OPTFLAGS = ['-n', '-s', '-d', '-p', '-j', '-v', '-x', '-i', '-o', '--line-numbers', '-c', '-f'] as const;
const OPT_LETTERS = ['n', 's', 'd', 'p', 'j', 'v', 'x', 'i', 'o', '0', 'c', 'f'];
const COMMANDS_V_OPTIONS: Record<string, string> = {
  //          nsdpjvxio0cf
  I: /*    */ 'x     x  x  ',
  D: /*    */ 'x     x  xx ',
  DNUM: /* */ 'xxxxx xxxxxx',
  R: /*    */ 'x     x  x  ',
  A: /*    */ 'x     x  x  ',
  L: /*    */ ' xxxx  xx xx',
  F: /*    */ 'xxxxx xxxxxx',
  Z: /*    */ 'xxxxx xxxxxx',
  N: /*    */ 'xxxxx xxxxxx',
  X: /*    */ 'xxxxx xxxxxx',
  P: /*    */ 'xxxxx xxxx x',
  E: /*    */ 'xxxxx xxxxxx',
  S: /*    */ 'xxxxx xxxxxx',
  C: /*    */ 'x     x  xx ',
};

const TOO_LONG = 29; // XT_EXTENSION_MAXNAMELEN

const CHAIN_PROTOS: [string, number][] = [
  ['tcp', 6], ['sctp', 132], ['udp', 17], ['udplite', 136], ['icmp', 1], ['icmpv6', 58],
  ['esp', 50], ['ah', 51], ['ipv6-mh', 135], ['mh', 135], ['all', 0],
];

/** xtables_parse_protocol: a number, `all`, /etc/protocols, then iptables' own list. */
export function parseProtocol(s: string, names: Names): number {
  if (/^(0|[1-9]\d*|0[xX][0-9a-fA-F]+|0[0-7]+)$/.test(s)) {
    const n = Number(s.startsWith('0') && s.length > 1 && !/^0[xX]/.test(s) ? parseInt(s, 8) : Number(s));
    if (n <= 255) return n;
  }
  if (s === 'all') return 0;
  const p = names.protoByName(s);
  if (p !== undefined) return p;
  const q = CHAIN_PROTOS.find(([n]) => n === s);
  if (q) return q[1];
  throw paramProblem(`unknown protocol "${s}" specified`);
}

/** The protocol name iptables prints (proto_to_name): /etc/protocols first, then its own list. */
export function protoName(proto: number, names: Names): string | undefined {
  const fromFile = proto !== 0 ? names.protoByNumber(proto) : undefined;
  return fromFile ?? CHAIN_PROTOS.find(([, n]) => n === proto)?.[0];
}

/** xtables_ipparse_multiple: comma-separated `addr[/mask]` items, names resolved via /etc/hosts. */
export function parseAddresses(arg: string, resolveHost: (name: string) => number | undefined): { addr: number; mask: number }[] {
  return arg.split(',').map((item) => {
    const slash = item.indexOf('/');
    const host = slash >= 0 ? item.slice(0, slash) : item;
    let mask = 0xffffffff;
    if (slash >= 0) {
      const m = item.slice(slash + 1);
      if (m.includes('.')) {
        const v = parseInetAton(m);
        if (v === undefined || !/^[\d.]+$/.test(m)) throw paramProblem(`invalid mask \`${m}' specified`);
        mask = v;
      } else {
        if (!/^\d+$/.test(m) || Number(m) > 32) throw paramProblem(`invalid mask \`${m}' specified`);
        mask = maskOf(Number(m));
      }
    }
    let addr = /^[0-9.xXa-fA-F]+$/.test(host) && /^[0-9]/.test(host) ? parseInetAton(host) : undefined;
    if (addr === undefined) addr = resolveHost(host);
    if (addr === undefined || host === '') throw paramProblem(`host/network \`${host}' not found`);
    return { addr: (addr & mask) >>> 0, mask };
  });
}

function parseInterface(arg: string): string {
  // A lone `+` matches every interface; nf_tables stores no test for it at all.
  return parseIface(arg) === '+' ? '' : arg;
}

function parseRulenum(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 0x7fffffff) throw paramProblem(`Invalid rule number \`${s}'`);
  return Number(s);
}

function parseCounter(s: string, what: 'packet' | 'byte'): bigint {
  if (!/^\d+$/.test(s)) throw paramProblem(`-c ${what} counter not numeric`);
  return BigInt(s);
}

interface Loaded {
  kind: 'match' | 'target';
  /** Load order, for option dispatch. */
  order: number;
  ext: XtMatch | XtTarget;
  data: unknown;
  seen: Set<string>;
}

export interface ParseOptions {
  names: Names;
  resolveHost: (name: string) => number | undefined;
  /** Table from the surrounding context (iptables-restore's *table); -t is then refused. */
  fixedTable?: TableName;
  /** Where warnings go (stderr). */
  warn?: (text: string) => void;
}

/** Parses an iptables argv (without the program name). Throws XtError on a parameter problem. */
export function parseIptables(argv: string[], opts: ParseOptions): IptablesInvocation {
  const inv: IptablesInvocation = {
    commands: [], table: opts.fixedTable ?? 'filter', deleteByNumber: false, goto: false, rules: [], numeric: false,
    verbose: 0, exact: false, lineNumbers: false, optionsSeen: new Set(),
  };
  const ip = anyIpHeader();
  let invert = false;
  let gotoFlag = false;
  let srcArg: string | undefined;
  let dstArg: string | undefined;
  let protoArg: string | undefined;
  let protoUsed = false;
  const loaded: Loaded[] = [];
  let target: Loaded | undefined;
  let i = 0;
  // The next non-option argument, if any (for -L CHAIN, -I CHAIN NUM, -P CHAIN POLICY ...).
  const nextPlain = (): string | undefined => {
    if (i < argv.length && !argv[i].startsWith('-') && !argv[i].startsWith('!')) return argv[i++];
    return undefined;
  };
  const env = (): ParseEnv => ({ table: inv.table, proto: ip.proto, protoInv: ip.invProto, names: opts.names, nextArg: nextPlain, warn: opts.warn });

  const addCommand = (c: CommandLetter, others: CommandLetter[]): void => {
    if (invert) throw paramProblem(`unexpected '!' flag`);
    const conflict = inv.commands.find((x) => !others.includes(x));
    if (conflict) throw paramProblem(`Cannot use -${c} with -${conflict}`);
    inv.commands.push(c);
  };
  const setOption = (letter: string, invertible: boolean): void => {
    if (inv.optionsSeen.has(letter)) throw paramProblem(`multiple -${letter} flags not allowed`);
    inv.optionsSeen.add(letter);
    if (invert && !invertible) throw paramProblem(`cannot have ! before -${letter}`);
  };

  let loadCount = 0;
  const loadMatch = (ext: XtMatch): void => {
    loaded.push({ kind: 'match', ext, data: ext.init(env()), seen: new Set(), order: loadCount++ });
  };

  /**
   * getopt_long's table is the base options, then the extensions' options newest first
   * (xtables_options_xfrm), so an option goes to the most recently loaded extension that has
   * it. Unambiguous prefixes are accepted, as getopt_long accepts them.
   */
  const lookupLong = (name: string): { base?: BaseOpt; l?: Loaded; o?: XtOption } | undefined => {
    const base = BASE_BY_NAME.get(name);
    if (base) return { base };
    const exts = [...loaded, ...(target ? [target] : [])].sort((a, b) => b.order - a.order);
    for (const l of exts) for (const o of l.ext.options) if (o.name === name) return { l, o };
    const prefixed: { base?: BaseOpt; l?: Loaded; o?: XtOption }[] = [];
    for (const b of BASE_OPTIONS) if (b.name.startsWith(name)) prefixed.push({ base: b });
    for (const l of exts) for (const o of l.ext.options) if (o.name.startsWith(name)) prefixed.push({ l, o });
    if (prefixed.length === 0) return undefined;
    const first = prefixed[0];
    const same = prefixed.every((e) => (e.base ? e.base.letter === first.base?.letter && !!first.base : e.l === first.l && e.o?.name === first.o?.name));
    return same ? first : undefined;
  };

  const handleBase = (letter: string, arg: string | undefined, shown: string): void => {
    switch (letter) {
      case 'A': case 'C': case 'N':
        addCommand(letter, []);
        inv.chain = arg;
        break;
      case 'D':
        addCommand('D', []);
        inv.chain = arg;
        {
          const n = nextPlain();
          if (n !== undefined) {
            inv.rulenum = parseRulenum(n);
            inv.deleteByNumber = true;
          }
        }
        break;
      case 'R': {
        addCommand('R', []);
        inv.chain = arg;
        const n = nextPlain();
        if (n === undefined) throw paramProblem('-R requires a rule number');
        inv.rulenum = parseRulenum(n);
        break;
      }
      case 'I': {
        addCommand('I', []);
        inv.chain = arg;
        const n = nextPlain();
        inv.rulenum = n === undefined ? 1 : parseRulenum(n);
        break;
      }
      case 'L': case 'S': {
        addCommand(letter, letter === 'L' ? ['Z'] : []);
        inv.chain = arg ?? nextPlain();
        if (inv.chain !== undefined) {
          const n = nextPlain();
          if (n !== undefined) inv.rulenum = parseRulenum(n);
        }
        break;
      }
      case 'F': case 'X':
        addCommand(letter, []);
        inv.chain = arg ?? nextPlain();
        break;
      case 'Z': {
        addCommand('Z', ['L']);
        inv.chain = arg ?? nextPlain();
        if (inv.chain !== undefined) {
          const n = nextPlain();
          if (n !== undefined) inv.rulenum = parseRulenum(n);
        }
        break;
      }
      case 'E': {
        addCommand('E', []);
        inv.chain = arg;
        const n = nextPlain();
        if (n === undefined) throw paramProblem('-E requires old-chain-name and new-chain-name');
        inv.arg2 = n;
        break;
      }
      case 'P': {
        addCommand('P', []);
        inv.chain = arg;
        const n = nextPlain();
        if (n === undefined) throw paramProblem('-P requires a chain and a policy');
        inv.arg2 = n;
        break;
      }
      case 'h':
        inv.commands.push('h');
        break;
      case 'V':
        if (invert) throw paramProblem(`unexpected '!' flag`);
        inv.commands.push('V');
        break;
      case 'p':
        setOption('p', true);
        ip.invProto = invert;
        protoArg = arg!.toLowerCase();
        ip.proto = parseProtocol(protoArg, opts.names);
        if (ip.proto === 0 && ip.invProto) throw paramProblem('rule would never match protocol');
        break;
      case 's':
        setOption('s', true);
        ip.invSrc = invert;
        srcArg = arg;
        break;
      case 'd':
        setOption('d', true);
        ip.invDst = invert;
        dstArg = arg;
        break;
      case 'i':
        if (arg === '') throw paramProblem(`Empty interface is likely to be undesired`);
        setOption('i', true);
        ip.invIn = invert;
        ip.inIface = parseInterface(arg!);
        break;
      case 'o':
        if (arg === '') throw paramProblem(`Empty interface is likely to be undesired`);
        setOption('o', true);
        ip.invOut = invert;
        ip.outIface = parseInterface(arg!);
        break;
      case 'f':
        setOption('f', true);
        ip.frag = true;
        ip.invFrag = invert;
        break;
      case 'j': case 'g': {
        // -j and -g are one option (OPT_JUMP) to iptables.
        setOption('j', false);
        const name = arg!;
        if (name.length < 1) throw paramProblem('Invalid target name (too short)');
        if (name.length >= TOO_LONG) throw paramProblem(`Invalid target name \`${name}' (${TOO_LONG - 1} chars max)`);
        if (/\s/.test(name)) throw paramProblem(`Invalid target name \`${name}'`);
        if (letter === 'g') {
          inv.jumpto = name;
          target = undefined;
          gotoFlag = true;
          inv.goto = true;
          break;
        }
        inv.jumpto = name;
        const ext = findTarget(name);
        if (ext) target = { kind: 'target', ext, data: ext.init(env()), seen: new Set(), order: loadCount++ };
        break;
      }
      case 'm': {
        if (invert) throw paramProblem(`unexpected ! flag before --match`);
        const ext = findMatch(arg!);
        if (!ext) throw paramProblem(`Couldn't load match \`${arg}':No such file or directory\n`);
        loadMatch(ext);
        break;
      }
      case 'n':
        setOption('n', false);
        inv.numeric = true;
        break;
      case 't':
        if (invert) throw paramProblem(`unexpected ! flag before --table`);
        if (opts.fixedTable) throw paramProblem('The -t option cannot be used in iptables-restore.\n');
        if (!isTableName(arg!)) throw new XtError(`table '${arg}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`, 3, false);
        inv.table = arg as TableName;
        break;
      case 'v':
        if (!inv.optionsSeen.has('v')) inv.optionsSeen.add('v');
        if (invert) throw paramProblem(`cannot have ! before -v`);
        inv.verbose++;
        break;
      case 'x':
        setOption('x', false);
        inv.exact = true;
        break;
      case '0':
        setOption('0', false);
        inv.lineNumbers = true;
        break;
      case 'c': {
        setOption('c', false);
        const b = argv[i];
        if (b === undefined || b.startsWith('-') || b.startsWith('!')) throw paramProblem('-c requires packet and byte counter');
        i++;
        inv.setCounters = { pkts: parseCounter(arg!, 'packet'), bytes: parseCounter(b, 'byte') };
        break;
      }
      case 'w': case 'W':
        if (arg === undefined) nextPlain();
        break;
      case 'M': case '4': case 'b':
        break;
      case '6':
        throw paramProblem('This is the IPv4 version of iptables.');
      default:
        throw paramProblem(`unknown option "${shown}"`);
    }
    invert = false;
  };

  while (i < argv.length) {
    const a = argv[i++];
    if (a === '!') {
      if (invert) throw paramProblem('multiple consecutive ! not allowed');
      invert = true;
      continue;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      let inlineArg = eq >= 0 ? a.slice(eq + 1) : undefined;
      let hit = lookupLong(name);
      if (!hit && protoArg !== undefined && !protoUsed) {
        protoUsed = true;
        const ext = findMatch(protoMatchName(ip.proto, protoArg));
        if (ext) {
          loadMatch(ext);
          hit = lookupLong(name);
        }
      }
      if (!hit) throw paramProblem(`unknown option "${a}"`);
      if (hit.base) {
        if (hit.base.has === 1 && inlineArg === undefined) {
          if (i >= argv.length) throw paramProblem(`option "${a}" requires an argument`);
          inlineArg = argv[i++];
        }
        handleBase(hit.base.letter, inlineArg, a);
        continue;
      }
      const own = { l: hit.l!, o: hit.o! };
      let arg = inlineArg;
      if (own.o.arg && arg === undefined) {
        if (i >= argv.length) throw paramProblem(`option "${a}" requires an argument`);
        arg = argv[i++];
      }
      if (invert && !own.o.invert) throw paramProblem(`${own.l.ext.name}: option "--${own.o.name}" cannot be inverted.\n`);
      own.l.ext.parse(own.l.data as never, own.o.name, arg, invert, env());
      own.l.seen.add(own.o.name);
      invert = false;
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && a !== '--') {
      // A cluster of short options: -nvL, -tnat, -A CHAIN.
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        const has = SHORT[c];
        if (has === undefined) throw paramProblem(`unknown option "${a}"`);
        let arg: string | undefined;
        if (has === 1) {
          if (k + 1 < a.length) arg = a.slice(k + 1);
          else {
            if (i >= argv.length) throw paramProblem(`option "-${c}" requires an argument`);
            arg = argv[i++];
          }
          handleBase(c, arg, a);
          break;
        }
        if (has === 2 && k + 1 < a.length) {
          handleBase(c, a.slice(k + 1), a);
          break;
        }
        handleBase(c, undefined, a);
      }
      continue;
    }
    throw new XtError(`Bad argument \`${a}'`, 2, true, true);
  }

  if (inv.table === 'nat' && ((inv.commands.includes('P') && inv.arg2 === 'DROP') || inv.jumpto === 'DROP')) {
    throw paramProblem('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
  }
  for (const l of loaded) l.ext.final?.(l.data as never, env());
  if (target) target.ext.final?.(target.data as never, env());

  if (inv.commands.length === 0) throw paramProblem('no command specified');
  if (invert) throw paramProblem('nothing appropriate following !');

  const ruleCmd = inv.commands.some((c) => 'ACDIR'.includes(c)) && !inv.deleteByNumber;
  let srcs = [{ addr: 0, mask: 0 }];
  let dsts = [{ addr: 0, mask: 0 }];
  if (ruleCmd || srcArg !== undefined || dstArg !== undefined) {
    if (srcArg !== undefined) srcs = parseAddresses(srcArg, opts.resolveHost);
    if (dstArg !== undefined) dsts = parseAddresses(dstArg, opts.resolveHost);
    if ((srcs.length > 1 || dsts.length > 1) && (ip.invSrc || ip.invDst)) {
      throw paramProblem('! not allowed with multiple source or destination IP addresses');
    }
    if (inv.commands.includes('R') && (srcs.length !== 1 || dsts.length !== 1)) {
      throw paramProblem('Replacement rule does not specify a unique address');
    }
  }

  genericOptCheck(inv);

  if (inv.chain !== undefined && inv.chain.length >= TOO_LONG) {
    throw paramProblem(`chain name \`${inv.chain}' too long (must be under ${TOO_LONG} chars)`);
  }
  if (ruleCmd || inv.deleteByNumber) {
    const chain = inv.chain ?? '';
    if ((chain === 'PREROUTING' || chain === 'INPUT') && inv.optionsSeen.has('o')) throw paramProblem(`Can't use -o with ${chain}\n`);
    if ((chain === 'POSTROUTING' || chain === 'OUTPUT') && inv.optionsSeen.has('i')) throw paramProblem(`Can't use -i with ${chain}\n`);
  }

  if (ruleCmd) {
    let rt: RuleTarget = { kind: 'none' };
    if (target) rt = { kind: 'ext', use: { ext: target.ext as XtTarget, data: target.data } as TargetUse };
    else if (inv.jumpto !== undefined) {
      const v = STANDARD_VERDICTS.find((x) => x === inv.jumpto);
      rt = v && !gotoFlag ? { kind: 'verdict', verdict: v } : { kind: 'jump', chain: inv.jumpto, goto: gotoFlag };
    }
    const matches = mergeMatches(loaded.map((l) => ({ ext: l.ext as XtMatch, data: l.data })));
    for (const s of srcs) {
      for (const d of dsts) {
        inv.rules.push({
          ip: { ...ip, src: s.addr, smsk: s.mask, dst: d.addr, dmsk: d.mask },
          matches,
          target: rt,
          counters: inv.setCounters ? { ...inv.setCounters } : { pkts: 0n, bytes: 0n },
        });
      }
    }
  }
  return inv;
}

/**
 * nf_tables keeps tcp/udp port and flag tests as plain payload expressions, so a second
 * `-m tcp` in one rule folds into the first when the rule is read back (iptables-nft's
 * round trip); extensions with a `merge` hook get the same treatment.
 */
function mergeMatches(ms: MatchUse[]): MatchUse[] {
  const out: MatchUse[] = [];
  for (const m of ms) {
    const first = m.ext.merge ? out.find((o) => o.ext === m.ext) : undefined;
    if (first) m.ext.merge!(first.data, m.data);
    else out.push(m);
  }
  return out;
}

/** The match implicitly loaded for -p NAME (find_proto): the protocol's name, or its number's name. */
function protoMatchName(proto: number, arg: string): string {
  const byNum: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 132: 'sctp', 136: 'udplite', 33: 'dccp' };
  return byNum[proto] ?? arg;
}

/** generic_opt_check: an option is illegal if every command given forbids it. */
function genericOptCheck(inv: IptablesInvocation): void {
  const rows = inv.commands.filter((c) => c !== 'h' && c !== 'V').map((c) => COMMANDS_V_OPTIONS[c === 'D' && inv.deleteByNumber ? 'DNUM' : c]);
  OPT_LETTERS.forEach((letter, k) => {
    const present = letter === 'j' ? inv.optionsSeen.has('j') || inv.optionsSeen.has('g') : inv.optionsSeen.has(letter);
    if (!present || rows.length === 0) return;
    if (rows.every((row) => row[k] === 'x')) throw paramProblem(`Illegal option \`${OPTFLAGS[k]}' with this command\n`);
  });
}
