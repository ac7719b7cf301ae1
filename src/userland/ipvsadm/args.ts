/**
 * ipvsadm 1.31's command line (parse_options with popt, generic_opt_check): short options that
 * bundle (`-Ln`, `-At`), long options with `=` or a separate value, `-p`'s optional timeout,
 * the command-versus-option table, and the messages and exit statuses of fail() (2) and
 * tryhelp_exit (255).
 */
import { parseIPv4 } from '../../kernel/addr.ts';
import type { Forward } from '../../kernel/ipvs/index.ts';
import type { Names } from '../../kernel/netfilter/xt/types.ts';

export class IpvsadmExit extends Error {
  constructor(readonly status: number, readonly text: string) {
    super(text);
  }
}

export type Cmd = 'add-service' | 'edit-service' | 'delete-service' | 'flush' | 'list' | 'add-server' | 'delete-server' | 'edit-server' | 'set' | 'start-daemon' | 'stop-daemon' | 'restore' | 'save' | 'zero';

/** optnames, in bit order. */
const OPTS = ['numeric', 'connection', 'service-address', 'scheduler', 'persistent', 'netmask', 'real-server', 'forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'mcast-interface', 'timeout', 'daemon', 'stats', 'rate', 'thresholds', 'persistent-conn', 'nosort', 'syncid', 'exact', 'ops'] as const;
type Opt = (typeof OPTS)[number];

/** commands_v_options: '+' compulsory, 'x' illegal, '1' exclusive, ' ' optional. */
const TABLE: Record<Cmd, string> = {
  'add-service': 'xx+   xxxxxxxxxxxxxxx ',
  'edit-service': 'xx+   xxxxxxxxxxxxxxx ',
  'delete-service': 'xx+xxxxxxxxxxxxxxxxxxx',
  flush: 'xxxxxxxxxxxxxxxxxxxxxx',
  list: ' 11xxxxxxxxx11       x',
  'add-server': 'xx+xxx+    xxxxxxxxxxx',
  'delete-server': 'xx+xxx+xxxxxxxxxxxxxxx',
  'edit-server': 'xx+xxx+    xxxxxxxxxxx',
  set: 'xxxxxxxxxxxxxxxxxxxxxx',
  'start-daemon': 'xxxxxxxxxxx xxxxxxx xx',
  'stop-daemon': 'xxxxxxxxxxxxxxxxxxx xx',
  restore: 'xxxxxxxxxxxxxxxxxxxxxx',
  save: ' xxxxxxxxxxxxxxxxxxxxx',
  zero: 'xx xxxxxxxxxxxxxxxxxxx',
};

export interface Svc {
  proto: number;
  addr: number;
  port: number;
  fwmark: number;
}

export interface Parsed {
  cmd: Cmd;
  opts: Set<Opt>;
  svc: Svc;
  sched?: string;
  persistent?: number;
  netmask: number;
  onePacket: boolean;
  dest: { addr: number; port: number; weight: number; fwd: Forward; uThreshold: number; lThreshold: number };
  timeouts?: [number, number, number];
}

/** Options: long name, short letter, whether it takes a value ('opt' = optional). */
const TABLE_OPTS: readonly [string, string | undefined, boolean | 'opt'][] = [
  ['add-service', 'A', false], ['edit-service', 'E', false], ['delete-service', 'D', false], ['clear', 'C', false],
  ['list', 'L', false], ['list', 'l', false], ['zero', 'Z', false], ['add-server', 'a', false], ['edit-server', 'e', false],
  ['delete-server', 'd', false], ['set', undefined, false], ['help', 'h', false], ['version', 'v', false], ['restore', 'R', false],
  ['save', 'S', false], ['start-daemon', undefined, true], ['stop-daemon', undefined, true], ['tcp-service', 't', true],
  ['udp-service', 'u', true], ['sctp-service', undefined, true], ['fwmark-service', 'f', true], ['scheduler', 's', true],
  ['persistent', 'p', 'opt'], ['netmask', 'M', true], ['real-server', 'r', true], ['masquerading', 'm', false], ['ipip', 'i', false],
  ['gatewaying', 'g', false], ['weight', 'w', true], ['u-threshold', 'x', true], ['l-threshold', 'y', true], ['numeric', 'n', false],
  ['connection', 'c', false], ['mcast-interface', undefined, true], ['syncid', undefined, true], ['timeout', undefined, false],
  ['daemon', undefined, false], ['stats', undefined, false], ['rate', undefined, false], ['thresholds', undefined, false],
  ['persistent-conn', undefined, false], ['nosort', undefined, false], ['sort', undefined, false], ['exact', 'X', false],
  ['ipv6', '6', false], ['ops', 'o', false], ['pe', undefined, true], ['sched-flags', 'b', true],
];

const COMMAND_OF: Record<string, Cmd> = {
  'add-service': 'add-service', 'edit-service': 'edit-service', 'delete-service': 'delete-service', clear: 'flush', list: 'list',
  zero: 'zero', 'add-server': 'add-server', 'edit-server': 'edit-server', 'delete-server': 'delete-server', set: 'set',
  restore: 'restore', save: 'save', 'start-daemon': 'start-daemon', 'stop-daemon': 'stop-daemon',
};

/** popt's option stream: [long name, value] pairs, then the leftover arguments. */
function tokenize(argv: string[]): { opts: [string, string | undefined, string][]; rest: string[]; bad?: string } {
  const opts: [string, string | undefined, string][] = [];
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const takeValue = (want: boolean | 'opt', inline: string | undefined): string | undefined | null => {
      if (inline !== undefined) return inline;
      if (want === false) return undefined;
      const next = argv[i + 1];
      if (want === 'opt' && (next === undefined || next.startsWith('-'))) return undefined;
      if (next === undefined) return null;
      i++;
      return next;
    };
    if (a.startsWith('--') && a.length > 2) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const def = TABLE_OPTS.find((o) => o[0] === name);
      if (!def) return { opts, rest, bad: `${a}: unknown option` };
      const v = takeValue(def[2], inline);
      if (v === null) return { opts, rest, bad: `${a}: missing argument` };
      opts.push([def[0], v, a]);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const def = TABLE_OPTS.find((o) => o[1] === a[j]);
        if (!def) return { opts, rest, bad: `-${a[j]}: unknown option` };
        if (def[2] === false) {
          opts.push([def[0], undefined, `-${a[j]}`]);
          continue;
        }
        const inline = j + 1 < a.length ? a.slice(j + 1) : undefined;
        const v = takeValue(def[2], inline);
        if (v === null) return { opts, rest, bad: `-${a[j]}: missing argument` };
        opts.push([def[0], v, `-${a[j]}`]);
        break;
      }
    } else rest.push(a);
  }
  return { opts, rest };
}

const fail = (text: string): never => {
  throw new IpvsadmExit(2, text);
};

function number(s: string, min: number, max: number): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

/** parse_service: host[:port]; 0 nothing, 1 address, 3 address and port. */
function parseService(buf: string, proto: number, names: Names): { addr: number; port?: number } | undefined {
  if (/^\d+$/.test(buf)) return undefined;
  const colon = buf.lastIndexOf(':');
  const host = colon >= 0 ? buf.slice(0, colon) : buf;
  const addr = parseIPv4(host) ?? names.hostToAddr(host);
  if (addr === undefined) return undefined;
  if (colon < 0) return { addr };
  const p = buf.slice(colon + 1);
  const port = number(p, 0, 65535) ?? names.serviceToPort(p, proto === 17 ? 'udp' : 'tcp');
  return port === undefined ? undefined : { addr, port };
}

export const MAX_TIMEOUT = 86400 * 31;

function parseTimeout(buf: string, min: number, max: number): number {
  const n = number(buf, min, max);
  return n ?? fail(`invalid timeout value \`${buf}' specified`);
}

export function usageHint(prog: string): string {
  return `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
}

/** parse_options + the checks of process_options; throws IpvsadmExit for every refusal. */
export function parseArgs(argv: string[], names: Names): Parsed | 'help' | 'version' {
  const prog = argv[0];
  const { opts, rest, bad } = tokenize(argv);
  const first = opts[0];
  const cmdName = first && COMMAND_OF[first[0]];
  if (!cmdName) {
    if (first?.[0] === 'help') return 'help';
    if (first?.[0] === 'version') return 'version';
    throw new IpvsadmExit(255, usageHint(prog));
  }
  const p: Parsed = {
    cmd: cmdName,
    opts: new Set(),
    svc: { proto: 0, addr: 0, port: 0, fwmark: 0 },
    netmask: 0xffffffff,
    onePacket: false,
    dest: { addr: 0, port: 0, weight: 1, fwd: 'route', uThreshold: 0, lThreshold: 0 },
  };
  if (cmdName === 'start-daemon' || cmdName === 'stop-daemon') {
    if (first[1] !== 'master' && first[1] !== 'backup') fail(cmdName === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
  }
  const set = (o: Opt): void => {
    if (p.opts.has(o)) fail(`multiple '${o}' options specified`);
    p.opts.add(o);
  };
  for (const [name, value] of opts.slice(1)) {
    const v = value ?? '';
    if (COMMAND_OF[name]) fail('multiple commands specified');
    switch (name) {
      case 'tcp-service': case 'udp-service': case 'sctp-service': {
        set('service-address');
        p.svc.proto = name === 'tcp-service' ? 6 : name === 'udp-service' ? 17 : 132;
        const s = parseService(v, p.svc.proto, names) ?? fail('illegal virtual server address[:port] specified');
        p.svc.addr = s.addr;
        p.svc.port = s.port ?? 0;
        break;
      }
      case 'fwmark-service': {
        set('service-address');
        p.svc.proto = 6;
        const n = /^\d+$/.test(v) ? Number(v) : 0;
        p.svc.fwmark = n > 0 && n <= 0xffffffff ? n : fail(`invalid fwmark value \`${v}' specified`);
        break;
      }
      case 'scheduler': set('scheduler'); p.sched = v; break;
      case 'persistent': set('persistent'); p.persistent = value === undefined ? 360 : parseTimeout(v, 1, MAX_TIMEOUT); break;
      case 'netmask': {
        set('netmask');
        const m = parseIPv4(v);
        p.netmask = m ?? fail('illegal virtual server persistent mask specified');
        break;
      }
      case 'real-server': {
        set('real-server');
        const s = parseService(v, p.svc.proto, names) ?? fail('illegal real server address[:port] specified');
        p.dest.addr = s.addr;
        p.dest.port = s.port ?? p.svc.port;
        break;
      }
      case 'masquerading': set('forwarding-method'); p.dest.fwd = 'masq'; break;
      case 'ipip': set('forwarding-method'); p.dest.fwd = 'tunnel'; break;
      case 'gatewaying': set('forwarding-method'); p.dest.fwd = 'route'; break;
      case 'weight': set('weight'); p.dest.weight = number(v, 0, 65535) ?? fail('illegal weight specified'); break;
      case 'u-threshold': set('u-threshold'); p.dest.uThreshold = number(v, 0, 2147483647) ?? fail('illegal u_threshold specified'); break;
      case 'l-threshold': set('l-threshold'); p.dest.lThreshold = number(v, 0, 2147483647) ?? fail('illegal l_threshold specified'); break;
      case 'connection': set('connection'); break;
      case 'numeric': set('numeric'); break;
      case 'mcast-interface': set('mcast-interface'); break;
      case 'syncid': set('syncid'); if (number(v, 0, 255) === undefined) fail('illegal syncid specified'); break;
      case 'timeout': set('timeout'); break;
      case 'daemon': set('daemon'); break;
      case 'stats': set('stats'); break;
      case 'rate': set('rate'); break;
      case 'thresholds': set('thresholds'); break;
      case 'persistent-conn': set('persistent-conn'); break;
      case 'nosort': set('nosort'); break;
      case 'sort': break;
      case 'exact': set('exact'); break;
      case 'ops': set('ops'); p.onePacket = true; break;
      case 'ipv6': if (!p.svc.fwmark) fail('-6 used before -f\n'); break;
      default: break;
    }
  }
  if (bad) throw new IpvsadmExit(255, `${bad}\n`);
  if (p.cmd === 'set') {
    if (rest.length < 3) fail('--set option requires 3 timeout values');
    p.timeouts = [parseTimeout(rest[0], 0, MAX_TIMEOUT), parseTimeout(rest[1], 0, MAX_TIMEOUT), parseTimeout(rest[2], 0, MAX_TIMEOUT)];
    rest.splice(0, 3);
  }
  if (rest.length) fail(`unexpected argument ${rest[0]}`);
  optCheck(p.cmd, p.opts);
  if (p.cmd === 'add-service' || p.cmd === 'edit-service') {
    if (!p.svc.fwmark && !p.svc.port && p.persistent === undefined) fail('Zero port specified for non-persistent service');
    if (p.onePacket && !p.svc.fwmark && p.svc.proto !== 17) fail('One-Packet Scheduling is only for UDP virtual services');
    p.sched ??= 'wlc';
  }
  // Tunnelled and direct-routed servers answer on the virtual port.
  if ((p.cmd === 'add-server' || p.cmd === 'edit-server') && !p.svc.fwmark && p.dest.fwd !== 'masq') p.dest.port = p.svc.port;
  if (p.cmd === 'list' && (p.opts.has('connection') || p.opts.has('timeout') || p.opts.has('daemon')) &&
    (p.opts.has('stats') || p.opts.has('persistent-conn') || p.opts.has('rate') || p.opts.has('thresholds'))) fail('options conflicts in the list command');
  return p;
}

/** generic_opt_check. */
function optCheck(cmd: Cmd, opts: Set<Opt>): void {
  const row = TABLE[cmd];
  let last: Opt | undefined;
  OPTS.forEach((o, j) => {
    const rule = row[j];
    if (!opts.has(o)) {
      if (rule === '+') fail(`You need to supply the '${o}' option for the '${cmd}' command`);
      return;
    }
    if (rule === 'x') fail(`Illegal '${o}' option with the '${cmd}' command`);
    if (rule === '1') {
      if (last === undefined) last = o;
      else fail(`The option '${o}' conflicts with the '${last}' option in the '${cmd}' command`);
    }
  });
}
