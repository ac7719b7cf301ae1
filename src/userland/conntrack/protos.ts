/**
 * conntrack's protocol extensions (extensions/libct_proto_*.c): the options `-p NAME` adds,
 * how they fill the template, which commands accept them, their help and their `-o save` text.
 */
import { atoi } from './cnum.ts';
import { CtToolError, paramProblem } from './errors.ts';
import type { CtTemplate } from './template.ts';
import { CMD } from './template.ts';

/** One checked option: 0 illegal, 1 compulsory, 2 optional, 3 one of a pair that must come together. */
type Legal = 0 | 1 | 2 | 3;

export interface ProtoHandler {
  name: string;
  protonum: number;
  /** Long options (all take an argument), in the extension's order; `key` is the option letter. */
  opts: readonly { name: string; key: string }[];
  /** Option names for the checks' messages, by flag bit. */
  optflags: readonly string[];
  /** Legal options per command (commands not listed allow none). */
  legal: Partial<Record<number, readonly Legal[]>>;
  /** Flag pairs that must be given together, and the messages when only part is. */
  coupled?: readonly { flags: number; message: string }[];
  help: string;
  /** Parses option `key` into the template; returns the flag bit it sets. */
  parse(key: string, arg: string, t: CtTemplate): number;
  /** The `-o save` options of an entry's protocol part. */
  save?(p: SaveView): string;
}

/** What -o save prints of the protocol part of an entry. */
export interface SaveView {
  origSport: number;
  origDport: number;
  replSport: number;
  replDport: number;
  tcpState?: string;
  icmpType: number;
  icmpCode: number;
  icmpId: number;
}

export const TCP_STATES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];
const SCTP_STATES = ['NONE', 'CLOSED', 'COOKIE_WAIT', 'COOKIE_ECHOED', 'ESTABLISHED', 'SHUTDOWN_SENT', 'SHUTDOWN_RECD', 'SHUTDOWN_ACK_SENT', 'HEARTBEAT_SENT', 'HEARTBEAT_ACKED'];
const DCCP_STATES = ['NONE', 'REQUEST', 'RESPOND', 'PARTOPEN', 'OPEN', 'CLOSEREQ', 'CLOSING', 'TIMEWAIT', 'IGNORE', 'INVALID'];

const port = (arg: string): number => atoi(arg) & 0xffff;

const PORT_HELP = [
  '  --orig-port-src\t\toriginal source port\n',
  '  --orig-port-dst\t\toriginal destination port\n',
  '  --reply-port-src\t\treply source port\n',
  '  --reply-port-dst\t\treply destination port\n',
  '  --mask-port-src\t\tmask source port\n',
  '  --mask-port-dst\t\tmask destination port\n',
  '  --tuple-port-src\t\texpectation tuple src port\n',
  '  --tuple-port-src\t\texpectation tuple dst port\n',
].join('');

const PORT_OPTS = [
  { name: 'orig-port-src', key: '1' }, { name: 'sport', key: '1' }, { name: 'orig-port-dst', key: '2' }, { name: 'dport', key: '2' },
  { name: 'reply-port-src', key: '3' }, { name: 'reply-port-dst', key: '4' }, { name: 'mask-port-src', key: '5' },
  { name: 'mask-port-dst', key: '6' },
];

const PORT_COUPLED = [
  { flags: 0b11, message: "you have to specify `--sport' and `--dport'" },
  { flags: 0b1100, message: "you have to specify `--reply-src-port' and `--reply-dst-port'" },
];

/** Options 1-6 (ports and masks), shared by the port-based protocols. */
function parsePorts(key: string, arg: string, t: CtTemplate): number {
  switch (key) {
    case '1': t.origSport = port(arg); return 1 << 0;
    case '2': t.origDport = port(arg); return 1 << 1;
    case '3': t.replSport = port(arg); return 1 << 2;
    case '4': t.replDport = port(arg); return 1 << 3;
    case '5': return 1 << 4;
    case '6': return 1 << 5;
  }
  return 0;
}

function savePorts(p: SaveView): string {
  return ` --sport ${p.origSport} --dport ${p.origDport} --reply-port-src ${p.replSport} --reply-port-dst ${p.replDport}`;
}

/** A legal-options row for commands that take the same row. */
function rows(list: [readonly number[], readonly Legal[]][]): Partial<Record<number, readonly Legal[]>> {
  const out: Partial<Record<number, readonly Legal[]>> = {};
  for (const [cmds, row] of list) for (const c of cmds) out[c] = row;
  return out;
}

const LISTING = [CMD.CT_LIST, CMD.CT_DELETE, CMD.CT_EVENT, CMD.CT_UPDATE];
/** Expectation commands name the master's full tuple (and, to create, the expected one). */
const EXP_TUPLE = [CMD.EXP_DELETE, CMD.EXP_GET];
const TUPLE = [CMD.CT_GET, CMD.CT_CREATE, CMD.CT_ADD];

/** How each extension reports a state name it does not know (the SCTP one crashes 1.4.7). */
const UNKNOWN_STATE: Record<string, (arg: string) => CtToolError> = {
  TCP: (arg) => paramProblem(`unknown TCP state \`${arg}'`),
  DCCP: (arg) => paramProblem(`Unknown DCCP state \`${arg}'`),
  SCTP: () => new CtToolError('', 139),
};

function stateParser(states: readonly string[], what: string, set: (t: CtTemplate, i: number) => void) {
  return (arg: string, t: CtTemplate): void => {
    const i = states.indexOf(arg);
    // LISTEN is what SYN_SENT2 was called before Linux 2.6.31.
    if (arg === 'LISTEN' && what === 'TCP') set(t, 9);
    else if (i < 0) throw UNKNOWN_STATE[what](arg);
    else set(t, i);
  };
}

const tcpState = stateParser(TCP_STATES, 'TCP', (t, i) => (t.tcpState = i));

const tcp: ProtoHandler = {
  name: 'tcp',
  protonum: 6,
  opts: [...PORT_OPTS, { name: 'state', key: '7' }, { name: 'tuple-port-src', key: '8' }, { name: 'tuple-port-dst', key: '9' }],
  optflags: ['sport', 'dport', 'reply-port-src', 'reply-port-dst', 'mask-port-src', 'mask-port-dst', 'state', 'tuple-port-src', 'tuple-port-dst'],
  legal: rows([
    [LISTING, [2, 2, 2, 2, 0, 0, 2, 0, 0]],
    [[CMD.CT_GET], [3, 3, 3, 3, 0, 0, 2, 0, 0]],
    [[CMD.CT_CREATE, CMD.CT_ADD], [3, 3, 3, 3, 0, 0, 1, 0, 0]],
    [[CMD.EXP_CREATE], [1, 1, 0, 0, 1, 1, 0, 1, 1]],
    [EXP_TUPLE, [1, 1, 1, 1, 0, 0, 0, 0, 0]],
  ]),
  coupled: PORT_COUPLED,
  help: `${PORT_HELP}  --state\t\t\tTCP state, fe. ESTABLISHED\n`,
  parse(key, arg, t) {
    if (key === '7') {
      tcpState(arg, t);
      return 1 << 6;
    }
    if (key === '8') return 1 << 7;
    if (key === '9') return 1 << 8;
    return parsePorts(key, arg, t);
  },
  save: (p) => `${savePorts(p)}${p.tcpState ? ` --state ${p.tcpState}` : ''}`,
};

function udpLike(name: string, protonum: number): ProtoHandler {
  return {
    name,
    protonum,
    opts: [...PORT_OPTS, { name: 'tuple-port-src', key: '7' }, { name: 'tuple-port-dst', key: '8' }],
    optflags: ['sport', 'dport', 'reply-port-src', 'reply-port-dst', 'mask-port-src', 'mask-port-dst', 'tuple-port-src', 'tuple-port-dst'],
    legal: rows([
      [LISTING, [2, 2, 2, 2, 0, 0, 0, 0]],
      [TUPLE, [3, 3, 3, 3, 0, 0, 0, 0]],
      [[CMD.EXP_CREATE], [1, 1, 0, 0, 1, 1, 1, 1]],
      [EXP_TUPLE, [1, 1, 1, 1, 0, 0, 0, 0]],
    ]),
    coupled: PORT_COUPLED,
    help: PORT_HELP,
    parse: (key, arg, t) => (key === '7' ? 1 << 6 : key === '8' ? 1 << 7 : parsePorts(key, arg, t)),
    save: savePorts,
  };
}

function statefulPorts(name: string, protonum: number, states: readonly string[], what: string, example: string, extra: ProtoHandler['opts']): ProtoHandler {
  const parseState = stateParser(states, what, (t, i) => (name === 'sctp' ? (t.sctpState = i) : (t.dccpState = i)));
  return {
    name,
    protonum,
    opts: [...PORT_OPTS, { name: 'state', key: '7' }, { name: 'tuple-port-src', key: '8' }, { name: 'tuple-port-dst', key: '9' }, ...extra],
    optflags: ['sport', 'dport', 'reply-port-src', 'reply-port-dst', 'mask-port-src', 'mask-port-dst', 'state', 'tuple-port-src', 'tuple-port-dst', ...extra.map((o) => o.name)],
    legal: rows([
      [[CMD.CT_LIST, CMD.CT_DELETE, CMD.CT_EVENT], [2, 2, 2, 2, 0, 0, 2, 0, 0, ...extra.map(() => 0 as const)]],
      [[CMD.CT_UPDATE], [2, 2, 2, 2, 0, 0, 2, 0, 0, ...extra.map(() => 2 as const)]],
      [[CMD.CT_GET], [3, 3, 3, 3, 0, 0, 2, 0, 0, ...extra.map(() => 0 as const)]],
      [[CMD.CT_CREATE, CMD.CT_ADD], [3, 3, 3, 3, 0, 0, 1, 0, 0, ...extra.map(() => 2 as const)]],
      [[CMD.EXP_CREATE], [1, 1, 0, 0, 1, 1, 0, 1, 1, ...extra.map(() => 0 as const)]],
      [EXP_TUPLE, [1, 1, 1, 1, 0, 0, 0, 0, 0, ...extra.map(() => 0 as const)]],
    ]),
    coupled: PORT_COUPLED,
    help: `${PORT_HELP}  --state\t\t\t${what} state, fe. ${example}\n${extra.map((o) => `  --${o.name}\t\t${o.name.startsWith('orig') ? 'original' : 'reply'} verification tag\n`).join('')}`,
    parse(key, arg, t) {
      if (key === '7') {
        parseState(arg, t);
        return 1 << 6;
      }
      if (key === '8') return 1 << 7;
      if (key === '9') return 1 << 8;
      const at = extra.findIndex((o) => o.key === key);
      if (at >= 0) return 1 << (9 + at);
      return parsePorts(key, arg, t);
    },
    save: savePorts,
  };
}

function icmpLike(name: string, protonum: number, prefix: string): ProtoHandler {
  return {
    name,
    protonum,
    opts: [{ name: `${prefix}-type`, key: '1' }, { name: `${prefix}-code`, key: '2' }, { name: `${prefix}-id`, key: '3' }],
    optflags: [`${prefix}-type`, `${prefix}-code`, `${prefix}-id`],
    legal: rows([
      [LISTING, [2, 2, 2]],
      [TUPLE, [1, 1, 2]],
    ]),
    help: `  --${prefix}-type\t\t\t${prefix} type\n  --${prefix}-code\t\t\t${prefix} code\n  --${prefix}-id\t\t\t${prefix} id\n`,
    parse(key, arg, t) {
      switch (key) {
        case '1': t.icmpType = atoi(arg) & 0xff; return 1 << 0;
        case '2': t.icmpCode = atoi(arg) & 0xff; return 1 << 1;
        case '3': t.icmpId = atoi(arg) & 0xffff; return 1 << 2;
      }
      return 0;
    },
    save: (p) => ` --${prefix}-type ${p.icmpType} --${prefix}-code ${p.icmpCode} --${prefix}-id ${p.icmpId}`,
  };
}

const GRE_HELP = [
  '  --orig-key-src\t\toriginal source key\n',
  '  --orig-key-dst\t\toriginal destination key\n',
  '  --reply-key-src\t\treply source key\n',
  '  --reply-key-dst\t\treply destination key\n',
  '  --mask-key-src\t\tmask source key\n',
  '  --mask-key-dst\t\tmask destination key\n',
  '  --tuple-key-src\t\texpectation tuple src key\n',
  '  --tuple-key-src\t\texpectation tuple dst key\n',
].join('');

const gre: ProtoHandler = {
  name: 'gre',
  protonum: 47,
  opts: [
    { name: 'orig-key-src', key: '1' }, { name: 'srckey', key: '1' }, { name: 'orig-key-dst', key: '2' }, { name: 'dstkey', key: '2' },
    { name: 'reply-key-src', key: '3' }, { name: 'reply-key-dst', key: '4' }, { name: 'mask-key-src', key: '5' },
    { name: 'mask-key-dst', key: '6' }, { name: 'tuple-key-src', key: '7' }, { name: 'tuple-key-dst', key: '8' },
  ],
  optflags: ['srckey', 'dstkey', 'reply-key-src', 'reply-key-dst', 'mask-key-src', 'mask-key-dst', 'tuple-key-src', 'tuple-key-dst'],
  legal: rows([
    [LISTING, [2, 2, 2, 2, 0, 0, 0, 0]],
    [TUPLE, [3, 3, 3, 3, 0, 0, 0, 0]],
  ]),
  coupled: [
    { flags: 0b11, message: "you have to specify `--srckey' and `--dstkey'" },
    { flags: 0b1100, message: "you have to specify `--reply-src-key' and `--reply-dst-key'" },
  ],
  help: GRE_HELP,
  parse: (key, arg, t) => (key === '7' ? 1 << 6 : key === '8' ? 1 << 7 : parsePorts(key, arg, t)),
};

/** The handler for protocols conntrack has no extension for (ct_proto_unknown). */
export const unknownProto: ProtoHandler = {
  name: 'unknown',
  protonum: 0,
  opts: [],
  optflags: [],
  legal: {},
  help: '  no options (unsupported)\n',
  parse: () => 0,
};

/**
 * The registered extensions in lookup order: conntrack registers tcp, udp, udplite, sctp, dccp,
 * icmp, icmpv6, gre and unknown, each at the head of its list.
 */
export const PROTOS: readonly ProtoHandler[] = [
  unknownProto,
  gre,
  icmpLike('icmpv6', 58, 'icmpv6'),
  icmpLike('icmp', 1, 'icmp'),
  statefulPorts('dccp', 33, DCCP_STATES, 'DCCP', 'RESPOND', []),
  statefulPorts('sctp', 132, SCTP_STATES, 'SCTP', 'ESTABLISHED', [{ name: 'orig-vtag', key: 'a' }, { name: 'reply-vtag', key: 'b' }]),
  udpLike('udplite', 136),
  udpLike('udp', 17),
  tcp,
];

/** The extension registered for a protocol number, if any. */
export function protoByNumber(n: number): ProtoHandler | undefined {
  return PROTOS.find((p) => p !== unknownProto && p.protonum === n);
}
