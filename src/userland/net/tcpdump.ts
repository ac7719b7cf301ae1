/**
 * tcpdump (4.99.3) on the simulated stack: a tap on one device of the namespace (or all of them
 * with `-i any`), a pcap filter, tcpdump's decodes with sim-clock timestamps, and its stderr
 * banner and closing statistics. A capture ends after -c packets, when its job is killed, or —
 * in the foreground, when nothing more can ever arrive — as if interrupted with ^C.
 */
import type { Link } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { stackOf, type Tap } from '../../kernel/stack/state.ts';
import type { Frame } from '../../kernel/wire.ts';
import { hostNames } from '../names.ts';
import type { CommandContext } from '../command.ts';
import { block, hostName } from './common.ts';
import { parseShort, UsageError } from './opts.ts';
import { compileFilter, FilterError, type Filter } from './tcpdump-filter.ts';
import { Printer } from './tcpdump-print.ts';

const OPTSTRING = 'aAbB:c:C:dDeE:fF:G:hHi:I:j:JKlLm:M:nNOpq Q:r:s:StT:uUvV:w:W:xXy:Yz:Z:#'.replace(' ', '');

const VERSION = 'tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n';

const USAGE = `${VERSION}Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
		[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
		[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
		[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
		[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
		[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
		[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
		[ -z postrotate-command ] [ -Z user ] [ expression ]
`;

interface DumpOpts {
  iface?: string;
  count: number;
  numeric: boolean;
  verbose: number;
  ether: boolean;
  /** -t count: 0 time of day, 1 none, 2 epoch seconds, 3 delta, 4 date and time. */
  tstamp: number;
  promisc: boolean;
  direction: 'in' | 'out' | 'inout';
  snaplen: number;
  expression: string[];
}

class Exit extends Error {
  constructor(
    message: string,
    readonly status = 1,
    readonly toStdout = false,
  ) {
    super(message);
  }
}

function parseArgs(ctx: CommandContext): DumpOpts {
  const args = ctx.argv.slice(1);
  if (args.includes('--version')) throw new Exit(VERSION, 0, true);
  if (args.includes('--help')) throw new Exit(USAGE, 0, true);
  let p;
  try {
    p = parseShort(args, OPTSTRING);
  } catch (e) {
    if (e instanceof UsageError) throw new Exit(`tcpdump: ${e.message}\n${USAGE}`);
    throw e;
  }
  const o: DumpOpts = { count: 0, numeric: false, verbose: 0, ether: false, tstamp: 0, promisc: true, direction: 'inout', snaplen: 262144, expression: p.operands };
  for (const { key, value } of p.opts) {
    switch (key) {
      case 'h':
        throw new Exit(USAGE, 0, true);
      case 'i':
        o.iface = value;
        break;
      case 'c': {
        if (!/^\d+$/.test(value) || Number(value) <= 0) throw new Exit(`tcpdump: invalid packet count ${value}\n`);
        o.count = Number(value);
        break;
      }
      case 'n':
        o.numeric = true;
        break;
      case 'v':
        o.verbose++;
        break;
      case 'e':
        o.ether = true;
        break;
      case 't':
        o.tstamp++;
        break;
      case 'p':
        o.promisc = false;
        break;
      case 'Q':
        if (value !== 'in' && value !== 'out' && value !== 'inout') throw new Exit(`tcpdump: ${value} is not a valid direction\n`);
        o.direction = value;
        break;
      case 's': {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n > 262144) throw new Exit(`tcpdump: invalid snaplen ${value}\n`);
        o.snaplen = n === 0 ? 262144 : n;
        break;
      }
      case 'D':
        throw new Exit('list', 0, true);
      default:
        // -l (line buffering) changes nothing here; output is never block-buffered.
        break;
    }
  }
  return o;
}

/**
 * `tcpdump -D`, in the order libpcap gives: running devices by instance number (the digits
 * ending the name), any, loopback, the pseudo-devices libpcap always offers, then devices that
 * are not running.
 */
function listDevices(ns: NetNs): string {
  const links = [...ns.links.values()];
  const instance = (l: Link): number => {
    const m = /(\d+)$/.exec(l.name);
    return m ? Number(m[1]) + 1 : 0;
  };
  const running = links.filter((l) => l.running && l.kind !== 'loopback').sort((a, b) => instance(a) - instance(b));
  const lines = running.map((l) => `${l.name} [Up, Running, Connected]`);
  lines.push('any (Pseudo-device that captures on all interfaces) [Up, Running]');
  for (const l of links) if (l.running && l.kind === 'loopback') lines.push(`${l.name} [Up, Running, Loopback]`);
  lines.push(
    'bluetooth-monitor (Bluetooth Linux Monitor) [Wireless]',
    'nflog (Linux netfilter log (NFLOG) interface) [none]',
    'nfqueue (Linux netfilter queue (NFQUEUE) interface) [none]',
    'dbus-system (D-Bus system bus) [none]',
    'dbus-session (D-Bus session bus) [none]',
  );
  for (const l of links) {
    if (l.running) continue;
    lines.push(`${l.name} [${l.kind === 'loopback' ? 'Loopback' : l.adminUp ? 'Up, Disconnected' : 'none, Disconnected'}]`);
  }
  return lines.map((line, i) => `${i + 1}.${line}\n`).join('');
}

/** pcap_lookupdev: the first device that is up and not loopback. */
function defaultDevice(ns: NetNs): Link | undefined {
  return [...ns.links.values()].find((l) => l.adminUp && l.kind !== 'loopback');
}

/** The packet type a capture on `link` gives an incoming frame (the -i any direction column). */
function packetType(f: Frame, link: Link): string {
  if (link.kind === 'loopback' || f.dst === link.mac) return 'In';
  if (f.dst === 'ff:ff:ff:ff:ff:ff') return 'B';
  if (parseInt(f.dst.slice(0, 2), 16) & 1) return 'M';
  return 'P';
}

/** Per clock: the millisecond last stamped and how many frames got a time in it. */
const stamped = new WeakMap<object, { ms: number; n: number }>();
const frameTimes = new WeakMap<Frame, number>();

/**
 * A frame's capture time in microseconds: the sim clock, frames within one millisecond a
 * microsecond apart, and the same frame seen on several devices (a bridge and its ports) alike.
 */
function frameTime(clock: { now: number }, frame: Frame): number {
  const known = frameTimes.get(frame);
  if (known !== undefined) return known;
  let c = stamped.get(clock);
  if (!c || c.ms !== clock.now) {
    c = { ms: clock.now, n: 0 };
    stamped.set(clock, c);
  }
  const us = Math.round(clock.now * 1000) + Math.min(c.n++, 999);
  frameTimes.set(frame, us);
  return us;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export async function tcpdump(ctx: CommandContext): Promise<number> {
  const ns = ctx.sys.netns();
  let o: DumpOpts;
  let link: Link | undefined;
  let filter: Filter;
  try {
    o = parseArgs(ctx);
    if (o.iface === undefined) {
      link = defaultDevice(ns);
      if (!link) throw new Exit('tcpdump: no suitable device found\n');
    } else if (o.iface !== 'any') {
      link = ns.link(o.iface);
      if (!link) throw new Exit(`tcpdump: ${o.iface}: No such device exists\n(No such device exists)\n`);
    }
    if (link && !link.adminUp) throw new Exit(`tcpdump: ${link.name}: That device is not up\n`);
    const names = hostNames(ctx.fs);
    filter = compileFilter(o.expression, { host: (n) => names.hostToAddr(n), port: (n) => names.serviceToPort(n, 'tcp') ?? names.serviceToPort(n, 'udp') });
  } catch (e) {
    if (e instanceof Exit) {
      if (e.message === 'list') ctx.stdout(listDevices(ns));
      else if (e.toStdout) ctx.stdout(e.message);
      else ctx.stderr(e.message);
      return e.status;
    }
    if (e instanceof FilterError) {
      ctx.stderr(`tcpdump: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  return capture(ctx, ns, o, link, filter);
}

async function capture(ctx: CommandContext, ns: NetNs, o: DumpOpts, link: Link | undefined, filter: Filter): Promise<number> {
  const any = link === undefined;
  const name = link?.name ?? 'any';
  if (any) ctx.stderr('tcpdump: data link type LINUX_SLL2\n');
  const linkType = any ? 'LINUX_SLL2 (Linux cooked v2)' : 'EN10MB (Ethernet)';
  const banner = `listening on ${name}, link-type ${linkType}, snapshot length ${o.snaplen} bytes\n`;
  ctx.stderr(o.verbose ? `tcpdump: ${banner}` : `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n${banner}`);
  const printer = new Printer({
    numeric: o.numeric,
    verbose: o.verbose,
    ether: o.ether,
    hostName: (a) => hostName(ctx, a),
    portName: (p, proto) => hostNames(ctx.fs).portToService(p, proto),
  });
  let captured = 0;
  let lastUs = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const clock = ns.kernel.clock;
  const stamp = (frame: Frame): string => {
    const us = frameTime(clock, frame);
    const prev = lastUs;
    lastUs = us;
    const frac = String(us % 1_000_000).padStart(6, '0');
    const d = new Date(Math.floor(us / 1000));
    const hms = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
    switch (o.tstamp) {
      case 0:
        return `${hms}.${frac} `;
      case 1:
        return '';
      case 2:
        return `${Math.floor(us / 1_000_000)}.${frac} `;
      case 3: {
        const delta = prev ? us - prev : 0;
        const secs = Math.floor(delta / 1_000_000);
        const two = (n: number): string => String(n).padStart(2, '0');
        return `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}.${String(delta % 1_000_000).padStart(6, '0')} `;
      }
      default:
        return `${d.toISOString().slice(0, 10)} ${hms}.${frac} `;
    }
  };
  const tap: Tap = (dir, frame, dev) => {
    if (o.count && captured >= o.count) return;
    if (!any && dev !== link) return;
    // Loopback's transmit side is not seen by packet sockets; its receive is.
    if (dev.kind === 'loopback' && dir === 'out') return;
    if ((o.direction === 'in' && dir === 'out') || (o.direction === 'out' && dir === 'in')) return;
    if (!filter(frame)) return;
    captured++;
    const line = any ? printer.cooked(frame, dev.name, dev.ifindex, dir === 'out' ? 'Out' : packetType(frame, dev)) : printer.ethernet(frame);
    ctx.stdout(`${stamp(frame)}${line}\n`);
    if (o.count && captured >= o.count) finish();
  };
  const st = stackOf(ns);
  st.taps.add(tap);
  // A capture on one device puts it in promiscuous mode (a bridge then sees the frames it forwards).
  const promisc = link && o.promisc ? link : undefined;
  if (promisc) st.promisc.set(promisc, (st.promisc.get(promisc) ?? 0) + 1);
  let w;
  try {
    w = await block(ctx, done);
  } finally {
    st.taps.delete(tap);
    if (promisc) {
      const n = (st.promisc.get(promisc) ?? 1) - 1;
      if (n > 0) st.promisc.set(promisc, n);
      else st.promisc.delete(promisc);
    }
  }
  // Stopped by a signal, tcpdump ends a line it may have been printing.
  if (w.kind !== 'done') ctx.stdout('\n');
  ctx.stderr(`${plural(captured, 'packet')} captured\n${plural(captured, 'packet')} received by filter\n0 packets dropped by kernel\n`);
  return 0;
}
