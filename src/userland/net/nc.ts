/**
 * nc (netcat-openbsd 1.219, Debian): TCP and UDP clients and listeners on the simulated stack —
 * `nc HOST PORT`, `nc -l [-p] PORT`, `nc -l ADDR PORT`, -k, -u, -z port scans, -v reports, -w
 * connect and idle timeouts, -N, -q — with netcat's messages and exit statuses. A listener runs
 * until its peer closes (or forever with -k); in podlab it is a background job stopped by kill.
 */
import { KernelError, STRERROR, type Errno } from '../../kernel/errno.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { socketsOf, type UdpSocket } from '../../kernel/stack/socket.ts';
import type { TcpConn } from '../../kernel/stack/tcp.ts';
import { hostNames } from '../names.ts';
import type { CommandContext } from '../command.ts';
import { parseIPv4 } from '../../kernel/addr.ts';
import { block, bytes, hostName, ip, serviceName, Timers } from './common.ts';
import { GAI_STRERROR, lookupHost } from './resolve.ts';
import { readwrite, tcpChannel, udpChannel, type Channel, type RwOpts } from './nc-io.ts';
import { parseLong, parseShort, UsageError } from './opts.ts';

const OPTSTRING = '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz';

const USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]
`;

const HELP = `OpenBSD netcat (Debian patchlevel 1.219-1)
${USAGE}	Command Summary:
		-4		Use IPv4
		-6		Use IPv6
		-b		Allow broadcast
		-C		Send CRLF as line-ending
		-D		Enable the debug socket option
		-d		Detach from stdin
		-F		Pass socket fd
		-h		This help text
		-I length	TCP receive buffer length
		-i interval	Delay interval for lines sent, ports scanned
		-k		Keep inbound sockets open for multiple connects
		-l		Listen mode, for inbound connects
		-M ttl		Outgoing TTL / Hop Limit
		-m minttl	Minimum incoming TTL / Hop Limit
		-N		Shutdown the network socket after EOF on stdin
		-n		Suppress name/port resolutions
		-O length	TCP send buffer length
		-P proxyuser	Username for proxy authentication
		-p port		Specify local port for remote connects
		-q secs		quit after EOF on stdin and delay of secs
		-r		Randomize remote ports
		-S		Enable the TCP MD5 signature option
		-s sourceaddr	Local source address
		-T keyword	TOS value
		-t		Answer TELNET negotiation
		-U		Use UNIX domain socket
		-u		UDP mode
		-V rtable	Specify alternate routing table
		-v		Verbose
		-W recvlimit	Terminate after receiving a number of packets
		-w timeout	Timeout for connects and final net reads
		-X proto	Proxy protocol: "4", "5" (SOCKS) or "connect"
		-x addr[:port]	Specify proxy address and port
		-Z		DCCP mode
		-z		Zero-I/O mode [used for scanning]
	Port numbers can be individual or ranges: lo-hi [inclusive]
`;

interface NcOpts {
  listen: boolean;
  keep: boolean;
  udp: boolean;
  zero: boolean;
  verbose: boolean;
  numeric: boolean;
  timeoutMs?: number;
  sourcePort?: string;
  sourceAddr?: string;
  rw: RwOpts;
  host?: string;
  port?: string;
  /** A client's ports: each argument after the host, a number, service or `lo-hi` range. */
  ports: string[];
}

/** err(3)/errx(3): a message and exit status 1. */
class Exit extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

function parseArgs(ctx: CommandContext): NcOpts {
  let p;
  try {
    p = parseShort(ctx.argv.slice(1), OPTSTRING);
  } catch (e) {
    if (e instanceof UsageError) throw new Exit(`nc: ${e.message}\n${USAGE}`);
    throw e;
  }
  const o: NcOpts = {
    listen: false,
    keep: false,
    udp: false,
    zero: false,
    verbose: false,
    numeric: false,
    rw: { noStdin: false, shutdownOnEof: false, quit: -1, crlf: false, recvLimit: 0, listening: false },
    ports: [],
  };
  for (const { key, value } of p.opts) {
    switch (key) {
      case 'h':
        throw new Exit(HELP, 0);
      case 'l':
        o.listen = true;
        break;
      case 'k':
        o.keep = true;
        break;
      case 'u':
        o.udp = true;
        break;
      case 'z':
        o.zero = true;
        break;
      case 'v':
        o.verbose = true;
        break;
      case 'n':
        o.numeric = true;
        break;
      case 'N':
        o.rw.shutdownOnEof = true;
        break;
      case 'd':
        o.rw.noStdin = true;
        break;
      case 'C':
        o.rw.crlf = true;
        break;
      case 'p':
        o.sourcePort = value;
        break;
      case 's':
        o.sourceAddr = value;
        break;
      case 'w': {
        const v = parseLong(value);
        if (v === undefined || v < 0 || v > 2147483) throw new Exit(`nc: timeout ${v === undefined ? 'invalid' : v < 0 ? 'too small' : 'too large'}: ${value}\n`);
        o.timeoutMs = v * 1000;
        break;
      }
      case 'q': {
        const v = parseLong(value);
        if (v === undefined) throw new Exit(`nc: quit timer invalid: ${value}\n`);
        o.rw.quit = v;
        break;
      }
      case 'W': {
        const v = parseLong(value);
        if (v === undefined || v < 1) throw new Exit(`nc: receive limit ${v === undefined ? 'invalid' : 'too small'}: ${value}\n`);
        o.rw.recvLimit = v;
        break;
      }
      default:
        // Socket options the model does not carry (-D, -I, -O, -T, -M, -S...).
        break;
    }
  }
  const args = p.operands;
  if (o.listen) {
    if (args.length === 0 && o.sourcePort !== undefined) o.port = o.sourcePort;
    else if (args.length === 1 && o.sourcePort === undefined) o.port = args[0];
    else if (args.length === 1) {
      o.host = args[0];
      o.port = o.sourcePort;
    } else if (args.length === 2) {
      o.host = args[0];
      o.port = args[1];
    } else if (args.length > 2) throw new Exit(USAGE);
    if (o.port === undefined) throw new Exit('nc: missing port number\n');
  } else {
    if (args.length < 2) throw new Exit(args.length === 0 ? USAGE : 'nc: missing port number\n');
    o.host = args[0];
    o.ports = args.slice(1);
  }
  o.rw.idleMs = o.timeoutMs;
  o.rw.listening = o.listen;
  return o;
}

/** strtoport: a number in 1..65535 or a service name from /etc/services. */
function toPort(ctx: CommandContext, s: string, udp: boolean): number {
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    if (n < 1) throw new Exit(`nc: port number too small: ${s}\n`);
    if (n > 65535) throw new Exit(`nc: port number too large: ${s}\n`);
    return n;
  }
  const port = hostNames(ctx.fs).serviceToPort(s, udp ? 'udp' : 'tcp');
  if (port === undefined) throw new Exit(`nc: port number invalid: ${s}\n`);
  return port;
}

/** build_ports: one port, or every port of `lo-hi` in ascending order. */
function portList(ctx: CommandContext, spec: string, udp: boolean): number[] {
  const m = /^(\d[^-]*)-(.+)$/.exec(spec);
  if (!m) return [toPort(ctx, spec, udp)];
  let hi = toPort(ctx, m[2], udp);
  let lo = toPort(ctx, m[1], udp);
  if (lo > hi) [lo, hi] = [hi, lo];
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

export async function nc(ctx: CommandContext): Promise<number> {
  try {
    const o = parseArgs(ctx);
    return o.listen ? await listen(ctx, o) : await client(ctx, o);
  } catch (e) {
    if (e instanceof Exit) {
      ctx.stderr(e.message);
      return e.status;
    }
    throw e;
  }
}

/** report_sock: `Listening on 0.0.0.0 8080`, `Connection received on 10.0.0.1 41234`. */
function report(ctx: CommandContext, o: NcOpts, msg: string, addr: number, port: number): void {
  if (!o.verbose) return;
  const host = o.numeric ? ip(addr) : (hostName(ctx, addr) ?? ip(addr));
  ctx.stderr(`${msg} on ${host} ${port}\n`);
}

/**
 * getaddrinfo as netcat calls it (AI_NUMERICHOST with -n); `fail` words the error message. A kill
 * while DNS is waited for ends netcat quietly.
 */
async function addrOf(ctx: CommandContext, o: NcOpts, host: string, fail: (err: string) => string): Promise<number> {
  if (o.numeric) {
    const a = parseIPv4(host);
    if (a === undefined) throw new Exit(fail(GAI_STRERROR.NONAME));
    return a;
  }
  const r = await lookupHost(ctx, host);
  if (r.ok) return r.addrs[0];
  if (r.error === 'killed') throw new Exit('', 0);
  if (r.error === 'stuck') throw new Exit('', 130);
  throw new Exit(fail(GAI_STRERROR[r.error]));
}

async function localAddr(ctx: CommandContext, o: NcOpts, ns: NetNs, host: string | undefined): Promise<number> {
  if (host === undefined) return 0;
  const a = await addrOf(ctx, o, host, (err) => `nc: getaddrinfo: ${err}\n`);
  if (a !== 0 && !ns.isLocal(a)) throw new Exit(`nc: ${STRERROR.EADDRNOTAVAIL}\n`);
  return a;
}

async function listen(ctx: CommandContext, o: NcOpts): Promise<number> {
  const ns = ctx.sys.netns();
  const addr = await localAddr(ctx, o, ns, o.host);
  const port = toPort(ctx, o.port!, o.udp);
  return o.udp ? listenUdp(ctx, o, ns, addr, port) : listenTcp(ctx, o, ns, addr, port);
}

async function listenTcp(ctx: CommandContext, o: NcOpts, ns: NetNs, addr: number, port: number): Promise<number> {
  let l;
  try {
    // listen(s, 1): netcat serves one connection at a time.
    l = socketsOf(ns).tcpListen(addr, port, 1);
  } catch (e) {
    if (e instanceof KernelError) throw new Exit(`nc: ${e.strerror}\n`);
    throw e;
  }
  report(ctx, o, 'Listening', addr, port);
  try {
    do {
      const w = await block(ctx, l.accept());
      if (w.kind !== 'done' || !w.value) return w.kind === 'stuck' ? 130 : 0;
      const conn = w.value;
      report(ctx, o, 'Connection received', conn.raddr, conn.rport);
      const ch = tcpChannel(conn);
      const end = await readwrite(ctx, ns, ch, o.rw);
      ch.close();
      if (end === 'killed') return 0;
      if (end === 'stuck') return 130;
    } while (o.keep);
    return 0;
  } finally {
    l.close();
  }
}

async function listenUdp(ctx: CommandContext, o: NcOpts, ns: NetNs, addr: number, port: number): Promise<number> {
  let s;
  try {
    s = socketsOf(ns).udpBind(addr, port);
  } catch (e) {
    if (e instanceof KernelError) throw new Exit(`nc: ${e.strerror}\n`);
    throw e;
  }
  report(ctx, o, 'Bound', addr, port);
  try {
    // recvfrom(MSG_PEEK) for the first caller, then connect() to it and talk to it alone.
    const w = await block(ctx, s.inbox.next());
    if (w.kind !== 'done' || !w.value) return w.kind === 'stuck' ? 130 : 0;
    const first = w.value;
    if (!o.keep) s.remote = { addr: first.src, port: first.sport };
    report(ctx, o, 'Connection received', first.src, first.sport);
    const ch = o.keep ? udpAnyChannel(s) : udpChannel(s);
    const end = await readwrite(ctx, ns, ch, { ...o.rw, quit: -1 }, first.data);
    return end === 'stuck' ? 130 : 0;
  } finally {
    s.close();
  }
}

/** An unconnected UDP listener (-u -k): datagrams from anyone. */
function udpAnyChannel(s: UdpSocket): Channel {
  return {
    write: () => {},
    read: async () => (await s.inbox.next())?.data,
    shutdownWrite: () => {},
    ready: () => s.inbox.size > 0,
    close: () => s.close(),
  };
}

/** Where the client binds: -s address and -p port. */
async function sourceOf(ctx: CommandContext, o: NcOpts, ns: NetNs): Promise<{ src?: number; sport?: number }> {
  let src: number | undefined;
  if (o.sourceAddr !== undefined) {
    src = await addrOf(ctx, o, o.sourceAddr, (err) => `nc: getaddrinfo: ${err}\n`);
    if (!ns.isLocal(src)) throw new Exit(`nc: bind failed: ${STRERROR.EADDRNOTAVAIL}\n`);
  }
  const sport = o.sourcePort !== undefined ? toPort(ctx, o.sourcePort, o.udp) : undefined;
  return { src, sport };
}

async function client(ctx: CommandContext, o: NcOpts): Promise<number> {
  const ns = ctx.sys.netns();
  const host = o.host!;
  const ports = o.ports.flatMap((p) => portList(ctx, p, o.udp));
  const dst = await addrOf(ctx, o, host, (err) => `nc: getaddrinfo for host "${host}" port ${ports[0]}: ${err}\n`);
  const { src, sport } = await sourceOf(ctx, o, ns);
  // Messages name the host as given, with the address beside a name.
  const who = o.numeric || host === ip(dst) ? host : `${host} (${ip(dst)})`;
  let ret = 1;
  for (const port of ports) {
    const c = o.udp ? connectUdp(ctx, o, ns, dst, port, src, sport) : await connectTcp(ctx, o, ns, dst, port, src, sport, who);
    if (c === 'killed') return 0;
    if (c === 'stuck') return 130;
    if (c === 'failed') continue;
    ret = 0;
    if (o.verbose || o.zero) {
      // udptest(): a few one-byte writes; an ICMP port unreachable makes the later ones fail.
      if (c.udp && !udpTest(c.udp, o)) {
        c.ch.close();
        ret = 1;
        continue;
      }
      if (o.verbose) {
        const svc = o.numeric ? undefined : serviceName(ctx, port, o.udp ? 'udp' : 'tcp');
        ctx.stderr(`Connection to ${who} ${port} port [${o.udp ? 'udp' : 'tcp'}/${svc ?? '*'}] succeeded!\n`);
      }
    }
    if (o.zero) {
      c.ch.close();
      continue;
    }
    const end = await readwrite(ctx, ns, c.ch, o.rw);
    // A killed netcat's sockets are closed by the kernel as for any exit.
    c.ch.close();
    if (end === 'killed') return 0;
    if (end === 'stuck') return 130;
  }
  return ret;
}

interface Connected {
  ch: Channel;
  udp?: UdpSocket;
}

async function connectTcp(ctx: CommandContext, o: NcOpts, ns: NetNs, dst: number, port: number, src: number | undefined, sport: number | undefined, who: string): Promise<Connected | 'failed' | 'killed' | 'stuck'> {
  const table = socketsOf(ns);
  const fail = (what: string): 'failed' => {
    if (o.verbose) ctx.stderr(`nc: connect to ${who} port ${port} (tcp) ${what}\n`);
    return 'failed';
  };
  // The source port is chosen here so that a connect given up on can be found and dropped.
  const r = ns.fib.lookup(dst);
  const from = src ?? (r ? (r.route.prefsrc ?? (r.route.type === 'local' ? dst : ns.selectSource(r.route.dev, dst))) : undefined);
  let lport = sport;
  if (lport === undefined && from !== undefined) lport = table.ephemeral(6, from, dst, port);
  const timers = new Timers(ns);
  // The -w timer starts before the SYN goes out, so it fires before a retransmission due at the same time.
  const expiry = o.timeoutMs !== undefined ? timers.after(o.timeoutMs).then(() => 'timeout' as const) : undefined;
  const attempt: Promise<TcpConn | Errno | 'timeout'> = table.tcpConnect(dst, port, { src, sport: lport }).catch((e: unknown) => {
    if (e instanceof KernelError) return e.errno;
    throw e;
  });
  const events = [attempt];
  if (expiry) events.push(expiry);
  const w = await block(ctx, Promise.race(events));
  timers.cancelAll();
  if (w.kind !== 'done') {
    dropPending(ns, dst, port, lport);
    return w.kind;
  }
  const v = w.value;
  if (v === 'timeout') {
    dropPending(ns, dst, port, lport);
    return fail('timed out: Operation now in progress');
  }
  if (typeof v === 'string') return fail(`failed: ${STRERROR[v]}`);
  return { ch: tcpChannel(v) };
}

/** A connect given up on (-w, or the job killed): the SYN_SENT socket goes away silently. */
function dropPending(ns: NetNs, dst: number, port: number, lport: number | undefined): void {
  for (const c of socketsOf(ns).conns) if (c.raddr === dst && c.rport === port && c.lport === lport && c.state === 'SYN_SENT') c.destroy('ETIMEDOUT');
}

/** A connected UDP socket (connect() on UDP only picks the route and source). */
function connectUdp(ctx: CommandContext, o: NcOpts, ns: NetNs, dst: number, port: number, src: number | undefined, sport: number | undefined): Connected | 'failed' {
  if (!ns.fib.lookup(dst)) {
    if (o.verbose) ctx.stderr(`nc: connect to ${ip(dst)} port ${port} (udp) failed: ${STRERROR.ENETUNREACH}\n`);
    return 'failed';
  }
  let s;
  try {
    s = socketsOf(ns).udpBind(src ?? 0, sport ?? 0);
  } catch (e) {
    if (e instanceof KernelError) throw new Exit(`nc: bind failed: ${e.strerror}\n`);
    throw e;
  }
  s.remote = { addr: dst, port };
  return { ch: udpChannel(s), udp: s };
}

/**
 * udptest() as Debian's netcat behaves: with -v a port that answers with ICMP port unreachable
 * fails (silently); without -v the scan reports success either way.
 */
function udpTest(s: UdpSocket, o: NcOpts): boolean {
  for (let i = 0; i < 4 && !s.errors.length; i++) s.send(bytes('X'), s.remote!.addr, s.remote!.port);
  return !(o.verbose && s.errors.length);
}
