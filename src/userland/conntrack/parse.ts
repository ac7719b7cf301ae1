/**
 * conntrack 1.4.7's command line (do_parse in src/conntrack.c): the getopt loop, each option's
 * parsing into the template, and the checks of which options each command allows, with the
 * exact messages. Quirks of 1.4.7 are kept: `-Lfoo` ignores `foo`, `--src-nat=IP` ignores the
 * address, a prefix of a status or event name selects it.
 */
import { atol, strtoul, truncate } from './cnum.ts';
import { CtToolError, otherProblem, paramProblem } from './errors.ts';
import { Getopt, type LongOption } from './getopt.ts';
import { PROTOS, unknownProto, type ProtoHandler } from './protos.ts';
import { CMD, EVT, IPS, NUMBER_OF_CMD, OPT_NAMES, OUT, optBit, type Addr, type CtTemplate, type OptName } from './template.ts';
import { parseInetAton } from '../../kernel/addr.ts';

export type Table = 'conntrack' | 'expect' | 'dying' | 'unconfirmed';

export interface CtCommand {
  /** Bit of the command (1 << CMD.x), 0 when none was given. */
  command: number;
  /** Its index in CMD (NUMBER_OF_CMD when none). */
  cmd: number;
  options: number;
  family: 0 | 4 | 6;
  type: Table;
  protonum: number;
  proto?: ProtoHandler;
  eventMask: number;
  outputMask: number;
  tmpl: CtTemplate;
  /** --mask-src / --mask-dst (also set by -s/-d with a prefix length). */
  mask: { src?: Addr; dst?: Addr };
  mark: { value: number; mask: number };
  /** Status filter the kernel applies to dumps (-u). */
  statusFilter?: { value: number; mask: number };
  /** argv[0], which the usage text names. */
  progname: string;
}

const SHORTOPTS = ':L::I::U::D::G::E::F::A::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):';

const LONGOPTS: LongOption[] = [
  ['dump', 2, 'L'], ['create', 2, 'I'], ['add', 2, 'A'], ['delete', 2, 'D'], ['update', 2, 'U'], ['get', 2, 'G'],
  ['flush', 2, 'F'], ['event', 2, 'E'], ['counter', 2, 'C'], ['stats', 0, 'S'], ['version', 0, 'V'], ['help', 0, 'h'],
  ['orig-src', 1, 's'], ['src', 1, 's'], ['orig-dst', 1, 'd'], ['dst', 1, 'd'], ['reply-src', 1, 'r'], ['reply-dst', 1, 'q'],
  ['protonum', 1, 'p'], ['timeout', 1, 't'], ['status', 1, 'u'], ['zero', 0, 'z'], ['event-mask', 1, 'e'],
  ['tuple-src', 1, '['], ['tuple-dst', 1, ']'], ['mask-src', 1, '{'], ['mask-dst', 1, '}'], ['nat-range', 1, 'a'],
  ['mark', 1, 'm'], ['secmark', 1, 'c'], ['id', 2, 'i'], ['family', 1, 'f'], ['src-nat', 2, 'n'], ['dst-nat', 2, 'g'],
  ['output', 1, 'o'], ['buffer-size', 1, 'b'], ['any-nat', 2, 'j'], ['zone', 1, 'w'], ['label', 1, 'l'],
  ['label-add', 1, '<'], ['label-del', 2, '>'], ['orig-zone', 1, '('], ['reply-zone', 1, ')'],
].map(([name, hasArg, val]) => ({ name: name as string, hasArg: hasArg as 0 | 1 | 2, val: val as string }));

/** cmd2type: a command letter's command for the conntrack and the expect table (0: none). */
const CMD2TYPE: Record<string, [number, number]> = {
  L: [CMD.CT_LIST, CMD.EXP_LIST], I: [CMD.CT_CREATE, CMD.EXP_CREATE], D: [CMD.CT_DELETE, CMD.EXP_DELETE],
  G: [CMD.CT_GET, CMD.EXP_GET], F: [CMD.CT_FLUSH, CMD.EXP_FLUSH], E: [CMD.CT_EVENT, CMD.EXP_EVENT],
  V: [CMD.CT_VERSION, CMD.CT_VERSION], h: [CMD.CT_HELP, CMD.CT_HELP], C: [CMD.CT_COUNT, CMD.EXP_COUNT],
  S: [CMD.CT_STATS, CMD.EXP_STATS], U: [CMD.CT_UPDATE, -1], A: [CMD.CT_ADD, -1],
};

/** Commands that act on every family unless one is named; the others default to IPv4. */
const UNSPEC_FAMILY = new Set<number>([CMD.CT_LIST, CMD.CT_UPDATE, CMD.CT_DELETE, CMD.CT_GET, CMD.CT_FLUSH, CMD.CT_EVENT]);

type Row = readonly (0 | 1 | 2 | 3)[];
/* Options by bit: s d r q p t u z e [ ] { } a m i f n g o c b j w l < > ( ) */
const LEGAL: Partial<Record<number, Row>> = {
  [CMD.CT_LIST]: [2, 2, 2, 2, 2, 0, 2, 2, 0, 0, 0, 2, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 2, 2, 2, 0, 0, 2, 2],
  [CMD.CT_CREATE]: [3, 3, 3, 3, 1, 1, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 2, 0, 2, 0, 2, 2],
  [CMD.CT_UPDATE]: [2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 0, 0],
  [CMD.CT_DELETE]: [2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0, 2, 2, 0, 0, 2, 2],
  [CMD.CT_GET]: [3, 3, 3, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0],
  [CMD.CT_FLUSH]: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.CT_EVENT]: [2, 2, 2, 2, 2, 0, 0, 0, 2, 0, 0, 2, 2, 0, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 2],
  [CMD.CT_HELP]: [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.EXP_LIST]: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.EXP_CREATE]: [1, 1, 2, 2, 1, 1, 2, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.EXP_DELETE]: [1, 1, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.EXP_GET]: [1, 1, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.EXP_EVENT]: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  [CMD.CT_ADD]: [3, 3, 3, 3, 1, 1, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 2, 0, 2, 0, 2, 2],
};

/** Options each address option sets, and the option its prefix length turns into. */
const ADDR_OPTS: Record<string, { opt: OptName; mask?: 'src' | 'dst'; field?: 'origSrc' | 'origDst' | 'replSrc' | 'replDst' }> = {
  s: { opt: 'src', mask: 'src', field: 'origSrc' },
  d: { opt: 'dst', mask: 'dst', field: 'origDst' },
  r: { opt: 'reply-src', field: 'replSrc' },
  q: { opt: 'reply-dst', field: 'replDst' },
  '[': { opt: 'tuple-src', mask: 'src' },
  ']': { opt: 'tuple-dst', mask: 'dst' },
  '{': { opt: 'mask-src' },
  '}': { opt: 'mask-dst' },
};

const STATUS_PARAMS: [string, number][] = [
  ['ASSURED', IPS.ASSURED], ['SEEN_REPLY', IPS.SEEN_REPLY], ['UNSET', 0], ['FIXED_TIMEOUT', IPS.FIXED_TIMEOUT],
  ['EXPECTED', IPS.EXPECTED], ['OFFLOAD', IPS.OFFLOAD], ['HW_OFFLOAD', IPS.HW_OFFLOAD],
];
const EVENT_PARAMS: [string, number][] = [['ALL', EVT.ALL], ['NEW', EVT.NEW], ['UPDATES', EVT.UPD], ['DESTROY', EVT.DEL]];
const OUTPUT_PARAMS: [string, number][] = [
  ['xml', OUT.XML], ['extended', OUT.EXT], ['timestamp', OUT.TMS], ['id', OUT.ID], ['ktimestamp', OUT.KTMS],
  ['labels', OUT.CL], ['userspace', 0], ['save', OUT.SAVE],
];

function strncasecmpPrefix(str: string, param: string): boolean {
  // strncasecmp(str, param, strlen(str)) == 0: str is a case-insensitive prefix of param.
  return param.slice(0, str.length).toLowerCase() === str.toLowerCase() && str.length <= param.length;
}

/** do_parse_parameter: adds the value `str` names to the mask, or returns false. */
function parseParam(str: string, params: [string, number][], warn: (s: string) => void): number | undefined {
  if (strncasecmpPrefix(str, 'SRC_NAT')) {
    warn('WARNING: ignoring SRC_NAT, use --src-nat instead\n');
    return 0;
  }
  if (strncasecmpPrefix(str, 'DST_NAT')) {
    warn('WARNING: ignoring DST_NAT, use --dst-nat instead\n');
    return 0;
  }
  return params.find(([name]) => strncasecmpPrefix(str, name))?.[1];
}

/** parse_parameter: a comma-separated list of names. */
function parseList(arg: string, params: [string, number][], warn: (s: string) => void): number {
  let value = 0;
  let rest = arg;
  for (;;) {
    const comma = rest.indexOf(',');
    const part = comma < 0 ? rest : rest.slice(0, comma);
    const v = part === '' ? undefined : parseParam(part, params, warn);
    if (v === undefined) throw paramProblem(`Bad parameter \`${rest}'`);
    value |= v;
    if (comma < 0) return value;
    rest = rest.slice(comma + 1);
  }
}

/** parse_parameter_mask: status names, `!NAME` clears, UNREPLIED means !SEEN_REPLY. */
function parseStatus(arg: string, acc: { status: number; mask: number }, warn: (s: string) => void): void {
  let rest = arg;
  for (;;) {
    const comma = rest.indexOf(',');
    let part = comma < 0 ? rest : rest.slice(0, comma);
    if (comma === 0) throw paramProblem(`Bad parameter \`${rest}'`);
    const negated = part.startsWith('!');
    if (negated) part = part.slice(1);
    if (comma >= 0 && part === '') throw paramProblem(`Bad parameter \`${negated ? rest.slice(1) : rest}'`);
    if (!negated && part.startsWith('UNREPLIED')) {
      acc.mask |= IPS.SEEN_REPLY;
    } else {
      const v = part === '' ? undefined : parseParam(part, STATUS_PARAMS, warn);
      if (v === undefined) throw paramProblem(`Bad parameter \`${negated ? rest.slice(1) : rest}'`);
      if (negated) acc.mask |= v;
      else acc.status |= v;
    }
    if (comma < 0) return;
    rest = rest.slice(comma + 1);
  }
}

/** parse_addr: an address with an optional /prefix; mask -1 none, -2 invalid. */
function parseAddr(cp: string): { addr?: Addr; mask: number } {
  // The address is copied into a buffer of INET6_ADDRSTRLEN bytes first.
  let buf = cp.slice(0, 45);
  let mask = -1;
  const slash = buf.indexOf('/');
  if (slash >= 0) {
    const tail = buf.slice(slash + 1);
    const m = /^[\t\n\v\f\r ]*([+-]?\d+)?/.exec(tail)!;
    const consumed = m[1] === undefined ? 0 : m[0].length;
    mask = m[1] === undefined ? 0 : Number(m[1]);
    if (mask < 0 || consumed !== tail.length) mask = -2;
    buf = buf.slice(0, slash);
  }
  const v4 = parseInetAton(buf);
  if (v4 !== undefined) return { addr: { family: 4, v4 }, mask: mask > 32 ? -2 : mask };
  if (isIPv6(buf)) return { addr: { family: 6, v4: 0, v6: buf.toLowerCase() }, mask: mask > 128 ? -2 : mask };
  return { mask };
}

/** inet_pton(AF_INET6) acceptance. */
function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  let head = s;
  let groupsNeeded = 8;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(v4[2]) || v4[2].split('.').some((p) => Number(p) > 255)) return false;
    head = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
    groupsNeeded = 6;
  }
  const parts = head.split('::');
  if (parts.length > 2) return false;
  const groups = parts.map((p) => (p === '' ? [] : p.split(':')));
  if (groups.some((g) => g.some((x) => !/^[0-9a-fA-F]{1,4}$/.test(x)))) return false;
  const n = groups.reduce((a, g) => a + g.length, 0);
  return parts.length === 2 ? n < groupsNeeded : n === groupsNeeded;
}

function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** getprotobyname / getprotobynumber, from /etc/protocols. */
export interface ProtoNames {
  protoByName(name: string): number | undefined;
  protoByNumber(num: number): string | undefined;
}

/** findproto: an extension by name, else a protocol name or number (the unknown extension). */
function findProto(name: string, names: ProtoNames): { h: ProtoHandler; num: number } | undefined {
  const reg = PROTOS.find((p) => p !== unknownProto && p.name.toLowerCase() === name.toLowerCase());
  if (reg) return { h: reg, num: reg.protonum };
  const byName = names.protoByName(name);
  if (byName !== undefined) return { h: unknownProto, num: byName };
  const n = strtoul(name);
  if (!n.parsed || n.rest !== '' || n.value > 255n) return undefined;
  const num = Number(n.value);
  return { h: PROTOS.find((p) => p !== unknownProto && p.protonum === num) ?? unknownProto, num };
}

export interface ParseEnv {
  names: ProtoNames;
  /** Messages conntrack prints to stderr while parsing (warnings, perror). */
  warn(text: string): void;
}

/** Parses conntrack's argv (argv[0] included) into a command, or throws CtToolError. */
export function parseConntrack(argvIn: string[], env: ParseEnv): CtCommand {
  const argv = [...argvIn];
  const g = new Getopt(argv, SHORTOPTS, [...LONGOPTS]);
  let command = 0;
  let options = 0;
  let family: 0 | 4 | 6 = 0;
  let type: Table = 'conntrack';
  let protonum = 0;
  let proto: ProtoHandler | undefined;
  /** The option offset of the last -p's extension, as merge_options numbers them. */
  let protoOffset = 0;
  let offsets = 0;
  let protoFlags = 0;
  let eventMask = 0;
  let outputMask = 0;
  const tmpl: CtTemplate = {};
  const mask: CtCommand['mask'] = {};
  const mark = { value: 0, mask: 0 };
  const status = { status: 0, mask: 0 };
  let statusSet = false;
  const labels: string[] = [];

  const longName = (val: string): string => g.longopts.find((o) => o.val === val)?.name ?? 'unknown';

  const optionalArg = (): string | undefined => {
    // get_optional_arg: an attached argument makes it return nothing at all.
    if (g.optarg !== undefined) return undefined;
    const next = argv[g.optind];
    if (g.optind < argv.length && next[0] !== '-' && next[0] !== '!') {
      g.optind++;
      return next;
    }
    return undefined;
  };

  const checkType = (): Table => {
    const table = optionalArg();
    if (table === undefined) return 'conntrack';
    for (const t of ['expect', 'conntrack', 'dying', 'unconfirmed'] as const) if (t.startsWith(table)) return t;
    throw paramProblem(`unknown type \`${table}'`);
  };

  const addCommand = (c: number): void => {
    if (command) throw paramProblem('Invalid commands combination');
    command = 1 << c;
  };

  const setFamily = (f: 4 | 6): void => {
    if (family === 0) family = f;
    else if (family !== f) throw paramProblem('mismatched address family');
  };

  const addrOpt = (c: string, arg: string, allowMask: boolean): Addr => {
    const spec = ADDR_OPTS[c] ?? { opt: c === 'n' ? 'src-nat' : c === 'g' ? 'dst-nat' : 'any-nat' };
    const { addr, mask: len } = parseAddr(arg);
    if (!addr) throw paramProblem(`Invalid IP address \`${arg}'`);
    setFamily(addr.family);
    const maskOpt = allowMask ? spec.mask : undefined;
    if (len !== -1 && !maskOpt) throw paramProblem(`CIDR notation unavailable for \`--${longName(c)}'`);
    if (len === -2) throw paramProblem('Invalid netmask');
    options |= optBit(spec.opt);
    if (spec.field) {
      tmpl[spec.field] = addr;
      if (spec.field.startsWith('orig')) tmpl.origL3 = addr.family;
      else tmpl.replL3 = addr.family;
    }
    if (len === -1 || !maskOpt) return addr;
    if (addr.family === 4 && len === 32) return addr;
    if (addr.family === 6 && len === 128) return addr;
    // A prefix length turns the option into an address plus --mask-src/--mask-dst.
    mask[maskOpt] = addr.family === 4 ? { family: 4, v4: prefixMask(len) } : { family: 6, v4: 0, v6: `/${len}` };
    options |= optBit(maskOpt === 'src' ? 'mask-src' : 'mask-dst');
    return addr;
  };

  for (;;) {
    const c = g.next();
    if (c === undefined) break;
    const arg = g.optarg;
    switch (c) {
      case 'L': {
        type = checkType();
        addCommand(type === 'expect' ? CMD.EXP_LIST : CMD.CT_LIST);
        break;
      }
      case 'I': case 'D': case 'G': case 'F': case 'E': case 'V': case 'h': case 'C': case 'S': case 'U': case 'A': {
        type = checkType();
        if (type === 'dying' || type === 'unconfirmed') throw paramProblem("Can't do that command with tables `dying' and `unconfirmed'");
        const cmd = CMD2TYPE[c][type === 'expect' ? 1 : 0];
        if (cmd < 0) throw paramProblem(`Can't do --${longName(c)} on ${type === 'conntrack' ? 'conntrack' : 'expectations'}`);
        addCommand(cmd);
        break;
      }
      case 's': case 'd': case 'r': case 'q': case '[': case ']':
        addrOpt(c, arg!, true);
        break;
      case '{': case '}': {
        const a = addrOpt(c, arg!, false);
        mask[c === '{' ? 'src' : 'dst'] = a;
        break;
      }
      case 'p': {
        options |= optBit('protonum');
        const found = findProto(arg!, env.names);
        if (!found) throw paramProblem(`\`${arg}' unsupported protocol`);
        proto = found.h;
        protonum = found.num;
        offsets += 256;
        protoOffset = offsets;
        g.longopts = [...g.longopts, ...proto.opts.map((o) => ({ name: o.name, hasArg: 1 as const, val: `${protoOffset}:${o.key}` }))];
        tmpl.l4proto = protonum;
        break;
      }
      case 't':
        options |= optBit('timeout');
        tmpl.timeout = Number(BigInt.asUintN(32, atol(arg!)));
        break;
      case 'u':
        options |= optBit('status');
        parseStatus(arg!, status, env.warn);
        tmpl.status = status.status;
        statusSet = true;
        break;
      case 'e':
        options |= optBit('event-mask');
        eventMask |= parseList(arg!, EVENT_PARAMS, env.warn);
        break;
      case 'o':
        options |= optBit('output');
        outputMask |= parseList(arg!, OUTPUT_PARAMS, env.warn);
        if (outputMask & OUT.SAVE && outputMask & (OUT.EXT | OUT.TMS | OUT.ID | OUT.KTMS | OUT.CL | OUT.XML)) {
          throw otherProblem('cannot combine save output with any other output type, use -o save only');
        }
        break;
      case 'z':
        options |= optBit('zero');
        break;
      case 'n': case 'g': case 'j': {
        options |= optBit(c === 'n' ? 'src-nat' : c === 'g' ? 'dst-nat' : 'any-nat');
        const a = optionalArg();
        if (a === undefined) break;
        const { address, port } = splitAddressPort(a);
        const addr = addrOpt(c, address, false);
        if (c !== 'g') [tmpl.snatIp, tmpl.snatPort] = [addr, port];
        if (c !== 'n') [tmpl.dnatIp, tmpl.dnatPort] = [addr, port];
        break;
      }
      case 'w': case '(': case ')': {
        const v = truncate(strtoul(arg!).value, 16);
        options |= optBit(c === 'w' ? 'zone' : c === '(' ? 'orig-zone' : 'reply-zone');
        if (c === 'w') tmpl.zone = v;
        else if (c === '(') tmpl.origZone = v;
        else tmpl.replZone = v;
        break;
      }
      case 'i': case 'c': {
        // --id without an argument crashes 1.4.7 (it parses a NULL optarg).
        if (arg === undefined) throw new CtToolError('', 139);
        const v = truncate(strtoul(arg).value, 32);
        options |= optBit(c === 'i' ? 'id' : 'secmark');
        if (c === 'i') tmpl.id = v;
        else tmpl.secmark = v;
        break;
      }
      case 'm': {
        options |= optBit('mark');
        const v = strtoul(arg!);
        mark.value = truncate(v.value, 32);
        mark.mask = v.rest.startsWith('/') ? truncate(strtoul(v.rest.slice(1)).value, 32) : 0xffffffff;
        break;
      }
      case 'l': case '<': case '>':
        options |= optBit(c === 'l' ? 'label' : c === '<' ? 'label-add' : 'label-del');
        if (c === '>') {
          const del = optionalArg();
          if (del !== undefined) labels.push(del);
        } else {
          labels.push(arg!);
        }
        break;
      case 'a':
        env.warn(`WARNING: ignoring -${c}, deprecated option.\n`);
        break;
      case 'f':
        options |= optBit('family');
        if (arg!.startsWith('ipv4')) setFamily(4);
        else if (arg!.startsWith('ipv6')) setFamily(6);
        else throw paramProblem(`\`${arg}' unsupported protocol`);
        break;
      case 'b':
        options |= optBit('buffer-size');
        break;
      case ':':
        throw paramProblem(`option \`${argv[g.optind - 1]}' requires an argument`);
      case '?':
        throw paramProblem(`unknown option \`${argv[g.optind - 1]}'`);
      default: {
        // A protocol option; only the last -p's extension parses (others' offsets do not match).
        const [offset, key] = c.split(':');
        if (proto && Number(offset) === protoOffset) protoFlags |= proto.parse(key, arg!, tmpl);
      }
    }
  }

  // Label names come from /etc/xtables/connlabel.conf, which a fresh node does not have.
  if (options & (optBit('label') | optBit('label-add') | optBit('label-del')) || (options & optBit('output') && outputMask & OUT.CL)) {
    env.warn('nfct_labelmap_new: No such file or directory\n');
    if (labels.length) throw paramProblem(`unknown label '${labels[0].split(',')[0]}'`);
  }
  if (options & optBit('any-nat') && options & (optBit('src-nat') | optBit('dst-nat'))) {
    throw paramProblem("cannot specify `--src-nat' or `--dst-nat' with `--any-nat'");
  }
  const cmd = command ? Math.log2(command) : NUMBER_OF_CMD;
  // Without a command 1.4.7 reads past its table, where every option is illegal.
  checkOptions(options, OPT_NAMES, LEGAL[cmd] ?? [], [
    { flags: optBit('src') | optBit('dst'), message: "you have to specify `--src' and `--dst'" },
    { flags: optBit('reply-src') | optBit('reply-dst'), message: "you have to specify `--reply-src' and `--reply-dst'" },
  ]);
  if (!(command & (1 << CMD.CT_HELP)) && proto && proto !== unknownProto) {
    checkOptions(protoFlags, proto.optflags, proto.legal[cmd] ?? [], proto.coupled);
  }
  if (family === 0 && !UNSPEC_FAMILY.has(cmd)) family = 4;
  return {
    command,
    cmd,
    options,
    family,
    type,
    protonum,
    proto,
    eventMask,
    outputMask,
    tmpl,
    mask,
    mark,
    statusFilter: statusSet ? { value: status.status, mask: status.mask || status.status } : undefined,
    progname: argvIn[0],
  };
}

/**
 * generic_opt_check: compulsory options present, illegal ones absent (in option order), and
 * where a row marks options 3, one of the coupled pairs given in full.
 */
function checkOptions(given: number, names: readonly string[], row: Row, coupled?: readonly { flags: number; message: string }[]): void {
  let special = false;
  for (let i = 0; i < names.length; i++) {
    const legal = row[i] ?? 0;
    if (!(given & (2 ** i))) {
      if (legal === 1) throw paramProblem(`You need to supply the \`--${names[i]}' option for this command`);
    } else if (legal === 0) {
      throw paramProblem(`Illegal option \`--${names[i]}' with this command`);
    }
    if (legal === 3) special = true;
  }
  if (!special || !coupled) return;
  let partial = -1;
  for (let i = 0; i < coupled.length; i++) {
    if ((given & coupled[i].flags) === coupled[i].flags) return;
    if (given & coupled[i].flags && partial < 0) partial = i;
  }
  throw paramProblem(coupled[Math.max(partial, 0)].message);
}

/** split_address_and_port for --src-nat/--dst-nat/--any-nat. */
function splitAddressPort(arg: string): { address: string; port?: number } {
  let address = arg;
  let portStr: string | undefined;
  const bracket = arg.indexOf('[');
  if (bracket >= 0) {
    const close = arg.indexOf(']', bracket + 1);
    if (close === bracket + 1) throw paramProblem('No IPv6 address specified');
    if (close < 0) throw paramProblem("No closing ']' around IPv6 address");
    const colon = arg.indexOf(':', close);
    if (colon >= 0) {
      address = arg.slice(bracket + 1, close);
      portStr = arg.slice(colon + 1);
    }
  } else {
    const colon = arg.indexOf(':');
    if (colon >= 0 && !arg.includes(':', colon + 1)) {
      address = arg.slice(0, colon);
      portStr = arg.slice(colon + 1);
    }
  }
  if (portStr === undefined) return { address };
  if (portStr === '') throw paramProblem("No port specified after `:'");
  if (!/^\d+$/.test(portStr) || Number(portStr) > 65535) throw paramProblem(`Invalid port \`${portStr}'`);
  return { address, port: Number(portStr) };
}
