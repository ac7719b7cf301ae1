/**
 * ping (iputils 20221126) on the simulated stack: ICMP echo through the namespace's ping socket,
 * iputils' send/receive loop in virtual time (interval, count, -w deadline, -W linger after the
 * last probe), its messages for replies, ICMP errors and local send errors, and its statistics.
 * Round-trip times are synthetic (the model's links take no time): small, deterministic values
 * that grow with the hop count the reply's TTL shows.
 */
import { STRERROR, type Errno } from '../../kernel/errno.ts';
import type { Link } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { socketsOf, type PingMessage } from '../../kernel/stack/socket.ts';
import { parseInetAton } from '../../kernel/addr.ts';
import type { CommandContext } from '../command.ts';
import { block, hostName, ip, killSignal, Timers } from './common.ts';
import { GAI_STRERROR, lookupHost } from './resolve.ts';
import { parseLong, parseShort, strtodPrefix, UsageError } from './opts.ts';
import { finishStatus, finishText, formatTime, PingStats } from './ping-stats.ts';

const OPTSTRING = 'h?4bRT:6F:N:aABCc:dDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:';

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

/** MAXWAIT: how long ping waits for the last reply when none came yet (seconds). */
const MAXWAIT_MS = 10_000;

interface PingOpts {
  count: number;
  intervalMs: number;
  lingerMs: number;
  deadline: number;
  datalen: number;
  ttl?: number;
  device?: string;
  source?: number;
  quiet: boolean;
  numeric: boolean;
  flood: boolean;
  timestamps: boolean;
  broadcast: boolean;
  pmtudisc?: 'do' | 'dont' | 'want';
  target: string;
}

/** Ends ping before its loop: the message (stderr unless `toStdout`) and the exit status. */
class Fatal extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly toStdout = false,
  ) {
    super(message);
  }
}

/** strtol_or_err's two messages; `max` as text since LONG_MAX is beyond a double's integers. */
function integer(arg: string, min: number, max: number | 'LONG_MAX'): number {
  const v = parseLong(arg);
  if (v === undefined) throw new Fatal(`ping: invalid argument: '${arg}'\n`, 1);
  if (v < min || (max !== 'LONG_MAX' && v > max)) throw new Fatal(`ping: invalid argument: '${arg}': out of range: ${min} <= value <= ${max === 'LONG_MAX' ? '9223372036854775807' : max}\n`, 1);
  return v;
}

/** This iputils reads -i and -W with a lenient strtod: trailing garbage is only a warning. */
function seconds(ctx: CommandContext, arg: string): number {
  const { value, rest } = strtodPrefix(arg);
  if (rest !== '') ctx.stderr(`ping: option argument contains garbage: ${rest}\nping: this will become fatal error in the future\n`);
  return value;
}

function parseArgs(ctx: CommandContext): PingOpts {
  let p;
  try {
    p = parseShort(ctx.argv.slice(1), OPTSTRING);
  } catch (e) {
    if (e instanceof UsageError) throw new Fatal(`ping: ${e.message}\n${USAGE}`, 2);
    throw e;
  }
  const o: PingOpts = { count: 0, intervalMs: 1000, lingerMs: MAXWAIT_MS, deadline: 0, datalen: 56, quiet: false, numeric: false, flood: false, timestamps: false, broadcast: false, target: '' };
  for (const { key, value } of p.opts) {
    switch (key) {
      case 'h':
      case '?':
        throw new Fatal(USAGE, 2);
      case 'V':
        throw new Fatal('ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n', 0, true);
      case 'c':
        o.count = integer(value, 1, 'LONG_MAX');
        break;
      case 'i':
        o.intervalMs = Math.trunc(seconds(ctx, value) * 1000);
        break;
      case 'W': {
        const w = seconds(ctx, value);
        if (w < 0) throw new Fatal(`ping: bad linger time: ${value}\n`, 2);
        o.lingerMs = Math.trunc(w * 1000);
        break;
      }
      case 'w':
        o.deadline = integer(value, 0, 2147483647);
        break;
      case 's':
        o.datalen = integer(value, 0, 2147483647);
        break;
      case 't':
        o.ttl = integer(value, 0, 255);
        break;
      case 'I': {
        const a = parseInetAton(value);
        if (a !== undefined) o.source = a;
        else o.device = value;
        break;
      }
      case 'M':
        if (value !== 'do' && value !== 'dont' && value !== 'want') throw new Fatal(`ping: invalid -M argument: ${value}\n`, 2);
        o.pmtudisc = value;
        break;
      case 'q':
        o.quiet = true;
        break;
      case 'n':
        o.numeric = true;
        break;
      case 'f':
        o.flood = true;
        o.numeric = true;
        break;
      case 'D':
        o.timestamps = true;
        break;
      case 'b':
        o.broadcast = true;
        break;
      default:
        // Options that change nothing the model can show (-v, -d, -A, -U, -L, -m...).
        break;
    }
  }
  if (o.flood && !p.opts.some((x) => x.key === 'i')) o.intervalMs = 0;
  if (p.operands.length === 0) throw new Fatal('ping: usage error: Destination address required\n', 1);
  o.target = p.operands[p.operands.length - 1];
  return o;
}

/** pr_icmph's wording for the ICMP errors ping reports. */
export function icmpErrorText(type: number, code: number, mtu?: number): string {
  if (type === 3) {
    const texts: Record<number, string> = {
      0: 'Destination Net Unreachable',
      1: 'Destination Host Unreachable',
      2: 'Destination Protocol Unreachable',
      3: 'Destination Port Unreachable',
      4: `Frag needed and DF set (mtu = ${mtu ?? 0})`,
      5: 'Source Route Failed',
      6: 'Destination Net Unknown',
      7: 'Destination Host Unknown',
      8: 'Source Host Isolated',
      9: 'Destination Net Prohibited',
      10: 'Destination Host Prohibited',
      11: 'Destination Net Unreachable for Type of Service',
      12: 'Destination Host Unreachable for Type of Service',
      13: 'Packet filtered',
      14: 'Precedence Violation',
      15: 'Precedence Cutoff',
    };
    return texts[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  }
  if (type === 11) return code === 0 ? 'Time to live exceeded' : code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${code}`;
  if (type === 4) return 'Source Quench';
  if (type === 12) return 'Parameter problem: pointer = 0';
  return `Bad ICMP type: ${type}`;
}

/**
 * The synthetic round trip (µs): a few tens of microseconds per hop, the hops read off the
 * reply's TTL against the usual initial values, with a little per-sequence variation.
 */
function syntheticRtt(ttl: number, seq: number): number {
  const initial = ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
  return 30 + 18 * (initial - ttl) + ((seq * 7919) % 29);
}

interface Setup {
  ns: NetNs;
  dst: number;
  src: number;
  oif?: Link;
  hostname: string;
  numeric: boolean;
  mtu: number;
}

/** What ping does before its first probe: resolve, bind, and connect a probe socket to find the route. */
async function setup(ctx: CommandContext, o: PingOpts): Promise<Setup> {
  const ns = ctx.sys.netns();
  let dst = parseInetAton(o.target);
  let hostname = o.target;
  let numeric = o.numeric;
  if (dst !== undefined) numeric = true;
  else {
    const r = await lookupHost(ctx, o.target);
    if (!r.ok) {
      if (r.error === 'killed' || r.error === 'stuck') throw new Fatal('', r.error === 'killed' ? 0 : 130);
      throw new Fatal(`ping: ${o.target}: ${GAI_STRERROR[r.error]}\n`, 2);
    }
    dst = r.addrs[0];
    // AI_CANONNAME: /etc/hosts' official name, or the name DNS answered for.
    hostname = hostName(ctx, dst) ?? r.canonical;
  }
  let oif: Link | undefined;
  if (o.device !== undefined) {
    oif = ns.link(o.device);
    if (!oif) throw new Fatal(`ping: SO_BINDTODEVICE ${o.device}: No such device\n`, 2);
  }
  if (o.source !== undefined && !ns.isLocal(o.source)) throw new Fatal('ping: bind: Cannot assign requested address\n', 2);
  const r = ns.fib.lookup(dst, { oif });
  const connectError = (e: Errno): Fatal => new Fatal(`ping: connect: ${STRERROR[e]}\n`, 2);
  if (!r) throw connectError('ENETUNREACH');
  switch (r.route.type) {
    case 'unreachable':
      throw connectError('EHOSTUNREACH');
    case 'blackhole':
      throw connectError('EINVAL');
    case 'prohibit':
      throw new Fatal('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n', 2);
    case 'broadcast':
      if (!o.broadcast) throw new Fatal('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n', 2);
      ctx.stderr('WARNING: pinging broadcast address\n');
      break;
    default:
      break;
  }
  const dev = r.route.type === 'local' ? ns.lo() : (r.route.dev ?? ns.lo());
  const src = o.source ?? r.route.prefsrc ?? (r.route.type === 'local' ? dst : ns.selectSource(dev, dst));
  if (src === undefined) throw connectError('EADDRNOTAVAIL');
  return { ns, dst, src, oif, hostname, numeric, mtu: r.route.mtu ?? dev.mtu };
}

export async function ping(ctx: CommandContext): Promise<number> {
  let o: PingOpts;
  let s: Setup;
  try {
    o = parseArgs(ctx);
    s = await setup(ctx, o);
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    if (e.toStdout) ctx.stdout(e.message);
    else ctx.stderr(e.message);
    return e.status;
  }
  const hdr = o.device !== undefined || o.source !== undefined ? `from ${ip(s.src)} ${o.device ?? ''}: ` : '';
  ctx.stdout(`PING ${s.hostname} (${ip(s.dst)}) ${hdr}${o.datalen}(${o.datalen + 28}) bytes of data.\n`);
  return run(ctx, o, s);
}

/** The main loop: probes on schedule, replies and errors as they arrive, until an exit condition. */
async function run(ctx: CommandContext, o: PingOpts, s: Setup): Promise<number> {
  const sock = socketsOf(s.ns).pingSocket();
  const stats = new PingStats();
  const timing = o.datalen >= 16;
  const data = new Uint8Array(o.datalen).map((_, i) => i & 0xff);
  const sentAt = new Map<number, number>();
  const start = ctx.sys.now();
  let lastSend = start;
  let nextSend = start;
  let exitAt: number | undefined;
  const deadlineAt = o.deadline ? start + o.deadline * 1000 : undefined;
  // A probe whose send failed (EPERM from a netfilter verdict): this iputils reports the send
  // error only when an ICMP error for the probe came back too (REJECT in OUTPUT); after a plain
  // DROP it stays silent.
  let pendingSendError: { seq: number; errno: Errno; answered: boolean } | undefined;
  let incoming = sock.inbox.next();
  const out = (t: string): void => ctx.stdout(t);
  const stamp = (): string => {
    if (!o.timestamps) return '';
    const now = ctx.sys.now();
    return `[${Math.floor(now / 1000)}.${String(Math.round((now % 1000) * 1000)).padStart(6, '0')}] `;
  };
  const addr = (a: number): string => {
    const name = s.numeric ? undefined : hostName(ctx, a);
    return name ? `${name} (${ip(a)})` : ip(a);
  };
  const allSent = (): boolean => o.count > 0 && stats.transmitted >= o.count && !o.deadline;

  const send = (): void => {
    const seq = (stats.transmitted + 1) & 0xffff;
    const size = o.datalen + 28;
    const df = o.pmtudisc === 'do' || (o.pmtudisc !== 'dont' && size <= s.mtu);
    const err = sock.send(s.dst, seq, data, { ttl: o.ttl, oif: s.oif, df, src: s.src });
    sentAt.set(seq, ctx.sys.now());
    lastSend = ctx.sys.now();
    stats.transmitted++;
    if (!err) {
      if (o.flood && !o.quiet) out('.');
      return;
    }
    if (err === 'EMSGSIZE') {
      // A local error queued on the socket: counted as an error, reported with the MTU.
      stats.errors++;
      if (!o.quiet) ctx.stderr(`ping: local error: message too long, mtu=${s.mtu}\n`);
      return;
    }
    pendingSendError = { seq, errno: err, answered: false };
  };

  const flushSendError = (): void => {
    if (pendingSendError?.answered && !o.quiet) ctx.stderr(o.flood ? 'E' : `ping: sendmsg: ${STRERROR[pendingSendError.errno]}\n`);
    pendingSendError = undefined;
  };

  const receive = (m: PingMessage): void => {
    const icmp = m.icmp;
    if (icmp.type === 0) {
      const seq = icmp.seq ?? 0;
      const trip = timing ? Math.round((ctx.sys.now() - (sentAt.get(seq) ?? ctx.sys.now())) * 1000) + syntheticRtt(m.ttl, seq) : undefined;
      const dup = stats.reply(seq, trip);
      if (o.quiet) return;
      if (o.flood) {
        out('\b \b');
        return;
      }
      let line = `${stamp()}${icmp.data.length + 8} bytes from ${addr(m.from)}: icmp_seq=${seq} ttl=${m.ttl}`;
      if (trip !== undefined) line += ` time=${formatTime(trip)} ms`;
      if (dup) line += ' (DUP!)';
      out(line + '\n');
      return;
    }
    const quoted = icmp.orig?.l4;
    if (!quoted || quoted.kind !== 'icmp' || icmp.orig?.dst !== s.dst) return;
    const seq = quoted.seq ?? 0;
    if (pendingSendError?.seq === seq) pendingSendError.answered = true;
    if (icmp.type === 5 || icmp.type === 4) return;
    stats.acknowledge(seq);
    stats.errors++;
    if (o.quiet) return;
    if (o.flood) out('\bE');
    else out(`${stamp()}From ${addr(m.from)} icmp_seq=${seq} ${icmpErrorText(icmp.type, icmp.code, icmp.mtu)}\n`);
  };

  let status: number | undefined;
  try {
    for (;;) {
      // SIGALRM: the -w deadline or the wait after the last probe ran out.
      if (deadlineAt !== undefined && ctx.sys.now() >= deadlineAt) break;
      if (exitAt !== undefined && ctx.sys.now() >= exitAt) break;
      if (o.count && stats.received + stats.errors >= o.count) break;
      if (o.deadline && stats.errors) break;
      const now = ctx.sys.now();
      if (!allSent() && now >= nextSend) {
        send();
        // Flood mode without replies is held to 100 probes a second; with replies it runs as
        // fast as they come, which in the model still takes a millisecond of virtual time.
        nextSend = now + Math.max(o.intervalMs, 1);
        if (allSent() && exitAt === undefined) {
          // schedule_exit: twice the slowest round trip (at least the interval) once something
          // came back, else the linger time.
          const wait = stats.received ? Math.max((2 * stats.tmax) / 1000, o.intervalMs) : o.lingerMs;
          exitAt = ctx.sys.now() + wait;
        }
      }
      const wake = new Timers(s.ns);
      const events: Promise<PingMessage | undefined | 'tick'>[] = [incoming];
      if (!allSent()) events.push(wake.after(Math.max(0, nextSend - ctx.sys.now())).then(() => 'tick' as const));
      if (exitAt !== undefined) events.push(wake.after(Math.max(0, exitAt - ctx.sys.now())).then(() => 'tick' as const));
      if (deadlineAt !== undefined) events.push(wake.after(Math.max(0, deadlineAt - ctx.sys.now())).then(() => 'tick' as const));
      const w = await block(ctx, Promise.race(events));
      wake.cancelAll();
      if (w.kind === 'killed') {
        // Only SIGINT makes ping print its statistics; SIGTERM ends it silently.
        if (killSignal(ctx) !== 2) status = 128 + killSignal(ctx);
        break;
      }
      if (w.kind === 'stuck') break;
      if (w.value === 'tick') {
        flushSendError();
        continue;
      }
      if (w.value) receive(w.value);
      // Like iputils' inner recvmsg loop: everything already queued is read before the exit checks.
      while (sock.inbox.size) {
        const m = await sock.inbox.next();
        if (m) receive(m);
      }
      incoming = sock.inbox.next();
      flushSendError();
    }
    flushSendError();
  } finally {
    sock.close();
  }
  if (status !== undefined) return status;
  out(finishText(s.hostname, stats, lastSend - start, timing));
  return finishStatus(stats, o.deadline, o.count);
}
