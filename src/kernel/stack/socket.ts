/**
 * Sockets of a namespace, for the programs that run in it (ping, nc, curl, servers): UDP
 * sockets, ICMP echo ("ping") sockets, and TCP listeners and connections (tcp.ts), plus the
 * demultiplexing the IP layer calls on local delivery. Port choice follows the kernel:
 * ephemeral ports from net.ipv4.ip_local_port_range, starting at a random offset.
 */
import { KernelError, type Errno } from '../errno.ts';
import type { Link } from '../link.ts';
import type { NetNs } from '../netns.ts';
import { ICMP_ECHO, ICMP_ECHOREPLY, type IcmpMsg, type IpPacket } from '../wire.ts';
import { ipLocalOut, nextId, routeOutput } from './ip.ts';
import type { Skb } from './skb.ts';
import { stackOf } from './state.ts';
import { TcpConn, TcpListener, tcpDemux, type ConnectOpts } from './tcp.ts';

export interface Datagram {
  data: Uint8Array;
  src: number;
  sport: number;
  /**
   * The address it was sent to (IP_PKTINFO's ipi_addr): a server bound to 0.0.0.0 answers from
   * it, since a client's connected socket takes replies only from the address it asked.
   */
  dst: number;
}

/** What recvmsg(2) reports instead of data: the error an ICMP message left on the socket. */
export interface SocketError {
  error: Errno;
}

/** A message for a ping socket: an echo reply, or an error quoting one of its requests. */
export interface PingMessage {
  from: number;
  icmp: IcmpMsg;
  ttl: number;
  /** Length of the IP packet as received. */
  len: number;
}

interface Waiter<T> {
  resolve: (v: T | undefined) => void;
  /** Something that ends the wait before any item, checked again at each wake(). */
  preempt?: () => T | undefined;
}

/** A queue with promise-based receive, woken as data arrives. */
export class Inbox<T> {
  private items: T[] = [];
  private waiters: Waiter<unknown>[] = [];
  closed = false;

  push(v: T): void {
    const w = this.waiters.shift();
    if (w) w.resolve(v);
    else this.items.push(v);
  }

  /** Next item; undefined once closed and drained. */
  next(): Promise<T | undefined> {
    return this.nextOr(() => undefined);
  }

  /**
   * Like next(), but `preempt` comes first: asked now and at every wake(), whatever it returns
   * (other than undefined) ends the wait instead of an item — a socket's pending error is
   * reported before its queued data. A wait stays one waiter, so no item is ever lost to it.
   */
  nextOr<U>(preempt: () => U | undefined): Promise<T | U | undefined> {
    const first = preempt();
    if (first !== undefined) return Promise.resolve(first);
    if (this.items.length) return Promise.resolve(this.items.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push({ resolve, preempt } as Waiter<unknown>));
  }

  /** Something other than an item arrived: waiters whose preempt now has a value get it. */
  wake(): void {
    for (const w of [...this.waiters]) {
      const v = w.preempt?.();
      if (v === undefined) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(v);
    }
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.resolve(undefined);
  }

  get size(): number {
    return this.items.length;
  }
}

export class UdpSocket {
  readonly inbox = new Inbox<Datagram>();
  /**
   * Errors ICMP reported for a connected socket (ECONNREFUSED...), oldest first; recv() returns
   * them before data. Added through reportError() so that a waiting recv() wakes.
   */
  readonly errors: Errno[] = [];
  /** The peer of a connected socket: only its datagrams arrive, and its ICMP errors are reported. */
  remote?: { addr: number; port: number };

  constructor(
    readonly table: SocketTable,
    public laddr: number,
    public lport: number,
  ) {}

  /**
   * connect(2) (ip4_datagram_connect): the route to the peer must exist, and an unbound socket
   * takes that route's source address for good, as getsockname() then shows.
   */
  connect(addr: number, port: number): Errno | undefined {
    const out = routeOutput(this.table.ns, addr, this.laddr);
    if (typeof out === 'string') return out;
    this.laddr = out.src;
    this.remote = { addr, port };
    return undefined;
  }

  /**
   * sendto(2). The source is `opts.src` (IP_PKTINFO's ipi_spec_dst, how a server answers from the
   * address it was asked on), else the bound address, else the route's for this datagram.
   */
  send(data: Uint8Array, dst: number, dport: number, opts: { ttl?: number; src?: number } = {}): Errno | undefined {
    const ns = this.table.ns;
    const out = routeOutput(ns, dst, opts.src ?? this.laddr);
    if (typeof out === 'string') return out;
    if (!this.lport) this.lport = this.table.ephemeral(17, out.src, dst, dport);
    return ipLocalOut(ns, { src: out.src, dst, proto: 17, ttl: opts.ttl ?? 64, id: nextId(ns), df: true, tos: 0, l4: { kind: 'udp', sport: this.lport, dport, data } }, {});
  }

  /** recvmsg(2): a pending error first (sock_error), else the next datagram; undefined once closed. */
  recv(): Promise<Datagram | SocketError | undefined> {
    return this.inbox.nextOr<SocketError>(() => {
      const error = this.errors.shift();
      return error && { error };
    });
  }

  /** An ICMP error for a connected socket (sk_err plus sk_error_report): a blocked recv() returns it. */
  reportError(err: Errno): void {
    this.errors.push(err);
    this.inbox.wake();
  }

  close(): void {
    this.table.udp.delete(this);
    this.inbox.close();
  }
}

export class PingSocket {
  readonly inbox = new Inbox<PingMessage>();

  constructor(
    readonly table: SocketTable,
    readonly id: number,
  ) {}

  send(dst: number, seq: number, data: Uint8Array, opts: { ttl?: number; oif?: Link; df?: boolean; src?: number } = {}): Errno | undefined {
    const ns = this.table.ns;
    const src = opts.src ?? ns.selectSource(opts.oif ?? ns.fib.lookup(dst, { oif: opts.oif })?.route.dev, dst) ?? 0;
    const ip: IpPacket = { src, dst, proto: 1, ttl: opts.ttl ?? 64, id: nextId(ns), df: opts.df ?? true, tos: 0, l4: { kind: 'icmp', type: ICMP_ECHO, code: 0, id: this.id, seq, data } };
    return ipLocalOut(ns, ip, { oif: opts.oif });
  }

  close(): void {
    this.table.ping.delete(this);
    this.inbox.close();
  }
}

export class SocketTable {
  readonly udp = new Set<UdpSocket>();
  readonly ping = new Set<PingSocket>();
  readonly listeners = new Set<TcpListener>();
  readonly conns = new Set<TcpConn>();

  constructor(readonly ns: NetNs) {}

  /** bind(2) for UDP; port 0 picks an ephemeral one. */
  udpBind(addr: number, port: number): UdpSocket {
    if (addr && !this.ns.isLocal(addr)) throw new KernelError('EADDRNOTAVAIL');
    if (port && [...this.udp].some((s) => s.lport === port && (!s.laddr || !addr || s.laddr === addr))) throw new KernelError('EADDRINUSE');
    const s = new UdpSocket(this, addr, port || this.ephemeral(17, addr, 0, 0));
    this.udp.add(s);
    return s;
  }

  pingSocket(): PingSocket {
    let id = 0;
    do id = 1 + this.ns.kernel.rng.int(0xfffe);
    while ([...this.ping].some((p) => p.id === id));
    const s = new PingSocket(this, id);
    this.ping.add(s);
    return s;
  }

  tcpListen(addr: number, port: number, backlog = 4096): TcpListener {
    if (addr && !this.ns.isLocal(addr)) throw new KernelError('EADDRNOTAVAIL');
    const clash = (l: { laddr: number; lport: number }): boolean => l.lport === port && (!l.laddr || !addr || l.laddr === addr);
    if ([...this.listeners].some(clash) || [...this.conns].some((c) => clash(c) && c.state !== 'TIME_WAIT' && c.state !== 'CLOSED')) throw new KernelError('EADDRINUSE');
    const l = new TcpListener(this, addr, port, backlog);
    this.listeners.add(l);
    return l;
  }

  /** connect(2) for TCP; see TcpConn.connect (`signal` lets the caller give up on it). */
  tcpConnect(dst: number, dport: number, opts: ConnectOpts = {}): Promise<TcpConn> {
    return TcpConn.connect(this, dst, dport, opts);
  }

  /**
   * An ephemeral port (inet_hash_connect): a random start in ip_local_port_range, then the first
   * port that keeps the 4-tuple unique.
   */
  ephemeral(proto: 6 | 17, src: number, dst: number, dport: number): number {
    const [lo, hi] = (this.ns.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split('\t').map(Number);
    const n = hi - lo + 1;
    const start = this.ns.kernel.rng.int(n);
    for (let i = 0; i < n; i++) {
      const port = lo + ((start + i) % n);
      const used =
        proto === 17
          ? [...this.udp].some((s) => s.lport === port)
          : [...this.conns].some((c) => c.lport === port && c.laddr === src && c.raddr === dst && c.rport === dport) || [...this.listeners].some((l) => l.lport === port);
      if (!used) return port;
    }
    throw new KernelError('EADDRNOTAVAIL');
  }

  // ---- demultiplexing (called by the IP layer on local delivery) ---------------------------

  udpRcv(ip: IpPacket, _skb: Skb): boolean {
    const u = ip.l4;
    if (u.kind !== 'udp') return false;
    let best: UdpSocket | undefined;
    for (const s of this.udp) {
      if (s.lport !== u.dport || (s.laddr && s.laddr !== ip.dst)) continue;
      if (s.remote && (s.remote.addr !== ip.src || s.remote.port !== u.sport)) continue;
      if (!best || (s.laddr && !best.laddr) || (s.remote && !best.remote)) best = s;
    }
    if (!best) return false;
    best.inbox.push({ data: u.data, src: ip.src, sport: u.sport, dst: ip.dst });
    return true;
  }

  tcpRcv(ip: IpPacket, skb: Skb): boolean {
    return tcpDemux(this, ip, skb);
  }

  /** Echo replies go to the ping socket with their id; errors to the socket whose packet they quote. */
  icmpRcv(ip: IpPacket, skb: Skb): void {
    const m = ip.l4;
    if (m.kind !== 'icmp') return;
    const len = 20 + 8 + (m.orig ? 28 : m.data.length);
    if (m.type === ICMP_ECHOREPLY) {
      for (const p of this.ping) if (p.id === m.id) p.inbox.push({ from: ip.src, icmp: m, ttl: ip.ttl, len });
      return;
    }
    const q = m.orig;
    if (!q) return;
    const ql4 = q.l4;
    if (ql4.kind === 'icmp' && ql4.type === ICMP_ECHO) {
      for (const p of this.ping) if (p.id === ql4.id) p.inbox.push({ from: ip.src, icmp: m, ttl: ip.ttl, len });
      return;
    }
    const err = icmpErrno(m);
    if (ql4.kind === 'udp') {
      for (const s of this.udp) if (s.lport === ql4.sport && s.remote && s.remote.addr === q.dst && s.remote.port === ql4.dport && err) s.reportError(err);
      return;
    }
    if (ql4.kind === 'tcp' && err) {
      for (const c of this.conns) if (c.lport === ql4.sport && c.raddr === q.dst && c.rport === ql4.dport) c.icmpError(err, skb.indev?.kind === 'loopback');
    }
  }
}

/** icmp_err_convert: the errno an ICMP error means to a socket. */
function icmpErrno(m: IcmpMsg): Errno | undefined {
  if (m.type === 11) return 'EHOSTUNREACH';
  if (m.type !== 3) return undefined;
  switch (m.code) {
    case 0:
      return 'ENETUNREACH';
    case 2:
    case 3:
      return 'ECONNREFUSED';
    case 4:
      return 'EMSGSIZE';
    case 9:
    case 10:
    case 13:
      return 'EHOSTUNREACH';
    default:
      return 'EHOSTUNREACH';
  }
}

export function socketsOf(ns: NetNs): SocketTable {
  const st = stackOf(ns);
  if (!st.sockets) st.sockets = new SocketTable(ns);
  return st.sockets;
}
