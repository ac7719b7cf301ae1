/**
 * TCP endpoints: the RFC 793 state machine as Linux runs it — three-way handshake with the
 * options a Linux SYN carries, data in MSS-sized segments acknowledged as they arrive,
 * retransmission with a doubling timeout (SYNs tcp_syn_retries times), FIN teardown through
 * FIN_WAIT/CLOSE_WAIT/LAST_ACK/TIME_WAIT, RST for aborts, and ICMP errors failing a connect.
 * No congestion or flow control: the simulated network neither reorders nor congests.
 */
import { KernelError, type Errno } from '../errno.ts';
import type { TimerHandle } from '../clock.ts';
import type { Link } from '../link.ts';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type IpPacket, type TcpOptions, type TcpSegment } from '../wire.ts';
import { ipLocalOut, nextId, routeOutput } from './ip.ts';
import type { Skb } from './skb.ts';
import { Inbox, type SocketTable } from './socket.ts';

export type TcpState = 'CLOSED' | 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'CLOSE_WAIT' | 'CLOSING' | 'LAST_ACK' | 'TIME_WAIT';

const INITIAL_RTO_MS = 1000;
const MAX_DATA_RETRIES = 15;
const SYNACK_RETRIES = 5;
/** TIME_WAIT lasts 60 s on Linux (TCP_TIMEWAIT_LEN). */
const TIME_WAIT_MS = 60_000;
/** The window Linux advertises in a SYN, and (scaled by 2^7) afterwards. */
const SYN_WINDOW = 64240;
const WINDOW = 502;

interface Unacked {
  seq: number;
  flags: number;
  data: Uint8Array;
}

/** What connect(2) may be given besides the peer: a bound address and port, a device, a way to give up. */
export interface ConnectOpts {
  src?: number;
  sport?: number;
  oif?: Link;
  signal?: AbortSignal;
}

const seqAfter = (a: number, b: number): boolean => ((a - b) | 0) > 0;

export class TcpListener {
  readonly queue = new Inbox<TcpConn>();

  constructor(
    readonly table: SocketTable,
    readonly laddr: number,
    readonly lport: number,
    readonly backlog: number,
  ) {}

  accept(): Promise<TcpConn | undefined> {
    return this.queue.next();
  }

  close(): void {
    this.table.listeners.delete(this);
    this.queue.close();
  }
}

export class TcpConn {
  state: TcpState = 'CLOSED';
  readonly inbox = new Inbox<Uint8Array>();
  err?: Errno;
  private iss: number;
  private sndNxt: number;
  private sndUna: number;
  private rcvNxt = 0;
  private unacked: Unacked[] = [];
  private rto = INITIAL_RTO_MS;
  private retries = 0;
  private timer?: TimerHandle;
  private tsOffset: number;
  private tsRecent = 0;
  private mss: number;
  private finSent = false;
  private onEstablished?: (e?: Errno) => void;
  /** Inside connect(2): the socket is owned by the caller, so ICMP errors are soft (tcp_v4_err). */
  private inConnect = false;
  /** The listener an embryonic (SYN_RECV) connection will be queued on. */
  private listener?: TcpListener;

  constructor(
    readonly table: SocketTable,
    readonly laddr: number,
    readonly lport: number,
    readonly raddr: number,
    readonly rport: number,
    private readonly oif?: Link,
  ) {
    const rng = table.ns.kernel.rng;
    this.iss = rng.u32();
    this.sndNxt = this.iss;
    this.sndUna = this.iss;
    this.tsOffset = rng.u32();
    const dev = table.ns.fib.lookup(raddr)?.route.dev;
    this.mss = (dev && dev.kind !== 'loopback' ? dev.mtu : 65536) - 40;
  }

  /**
   * connect(2): resolves when established; rejects with ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH...
   * `signal` is the caller giving up first (its own timeout, a kill): the half-open connection
   * is closed as close(2) closes a SYN_SENT socket, leaving nothing in the table, and the
   * promise rejects with the signal's reason.
   */
  static connect(table: SocketTable, dst: number, dport: number, opts: ConnectOpts): Promise<TcpConn> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const out = routeOutput(table.ns, dst, opts.src, opts.oif);
    if (typeof out === 'string') return Promise.reject(new KernelError(out));
    if (!out.src) return Promise.reject(new KernelError('EADDRNOTAVAIL'));
    const sport = opts.sport ?? table.ephemeral(6, out.src, dst, dport);
    const c = new TcpConn(table, out.src, sport, dst, dport, opts.oif);
    table.conns.add(c);
    return new Promise((resolve, reject) => {
      const giveUp = (): void => {
        c.onEstablished = undefined;
        c.destroy();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      c.onEstablished = (e) => {
        signal?.removeEventListener('abort', giveUp);
        if (e) reject(new KernelError(e));
        else resolve(c);
      };
      c.state = 'SYN_SENT';
      // connect() holds the socket while it sends the SYN: an ICMP error that comes back
      // meanwhile (REJECT in OUTPUT, delivered over lo) is only a soft error.
      c.inConnect = true;
      const err = c.emit(TCP_SYN, new Uint8Array(0));
      c.inConnect = false;
      // tcp_connect ignores a SYN that netfilter dropped (EPERM): the retransmit timer carries on.
      if (err && err !== 'EPERM') {
        c.destroy(err);
      }
    });
  }

  /** send(2): queues data as segments. */
  write(data: Uint8Array): Errno | undefined {
    if (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT') return this.err ?? 'EPIPE';
    for (let off = 0; off < data.length; off += this.mss) {
      const chunk = data.subarray(off, Math.min(data.length, off + this.mss));
      this.emit(TCP_ACK | TCP_PSH, chunk);
    }
    return undefined;
  }

  /** recv(2): the next chunk of data, or undefined at end of stream (see `err` for resets). */
  read(): Promise<Uint8Array | undefined> {
    return this.inbox.next();
  }

  /** close(2): sends FIN (after any data) and walks the teardown states. */
  close(): void {
    if (this.finSent) return;
    switch (this.state) {
      case 'ESTABLISHED':
        this.state = 'FIN_WAIT1';
        break;
      case 'CLOSE_WAIT':
        this.state = 'LAST_ACK';
        break;
      case 'SYN_SENT':
      case 'SYN_RECV':
        this.destroy();
        return;
      default:
        return;
    }
    this.finSent = true;
    this.emit(TCP_FIN | TCP_ACK, new Uint8Array(0));
  }

  /** An abortive close: RST to the peer. */
  abort(): void {
    if (this.state !== 'CLOSED' && this.state !== 'SYN_SENT' && this.state !== 'TIME_WAIT') this.send(TCP_RST | TCP_ACK, this.sndNxt, new Uint8Array(0));
    this.destroy('ECONNRESET');
  }

  /** tcp_v4_err: an ICMP error is fatal while connecting, soft afterwards. */
  icmpError(err: Errno, local = false): void {
    // An error generated on this host while connect() still holds the socket (REJECT in OUTPUT)
    // is only recorded; one from the network fails the connect.
    if ((this.state === 'SYN_SENT' || this.state === 'SYN_RECV') && !(this.inConnect && local)) this.destroy(err);
    else this.err = err;
  }

  private options(flags: number): TcpOptions {
    const ts: [number, number] = [(this.table.ns.kernel.clock.now + this.tsOffset) >>> 0, this.tsRecent];
    if (flags & TCP_SYN) return { mss: this.mss, sackOk: true, ts, wscale: 7 };
    return { ts };
  }

  /** Sends a new segment, remembering it for retransmission if it uses sequence space. */
  private emit(flags: number, data: Uint8Array): Errno | undefined {
    const seq = this.sndNxt;
    const len = data.length + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    this.sndNxt = (this.sndNxt + len) >>> 0;
    if (len) {
      this.unacked.push({ seq, flags, data });
      if (!this.timer) this.arm();
    }
    return this.send(flags, seq, data);
  }

  private send(flags: number, seq: number, data: Uint8Array): Errno | undefined {
    const ns = this.table.ns;
    const seg: TcpSegment = {
      kind: 'tcp',
      sport: this.lport,
      dport: this.rport,
      seq,
      ack: flags & TCP_ACK ? this.rcvNxt : 0,
      flags,
      win: flags & TCP_SYN ? SYN_WINDOW : WINDOW,
      options: flags & TCP_RST ? undefined : this.options(flags),
      data,
    };
    const ip: IpPacket = { src: this.laddr, dst: this.raddr, proto: 6, ttl: 64, id: flags & TCP_SYN && !(flags & TCP_ACK) ? nextId(ns) : nextId(ns), df: true, tos: 0, l4: seg };
    return ipLocalOut(ns, ip, { oif: this.oif });
  }

  private arm(): void {
    this.timer = this.table.ns.kernel.clock.after(this.rto, () => this.retransmit());
  }

  private retransmit(): void {
    this.timer = undefined;
    if (!this.unacked.length || this.state === 'CLOSED') return;
    const first = this.unacked[0];
    const limit = first.flags & TCP_SYN ? (first.flags & TCP_ACK ? SYNACK_RETRIES : this.table.ns.sysctl.num('net.ipv4.tcp_syn_retries')) : MAX_DATA_RETRIES;
    if (this.retries >= limit) {
      this.destroy(this.err ?? 'ETIMEDOUT');
      return;
    }
    this.retries++;
    this.rto = Math.min(this.rto * 2, 120_000);
    for (const u of this.unacked) this.send(u.flags, u.seq, u.data);
    this.arm();
  }

  /** Ends the connection: wakes readers and a pending connect, forgets the socket. */
  destroy(err?: Errno): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.state = 'CLOSED';
    if (err) this.err = err;
    this.table.conns.delete(this);
    this.inbox.close();
    const cb = this.onEstablished;
    this.onEstablished = undefined;
    cb?.(err ?? 'ECONNRESET');
  }

  private established(): void {
    this.state = 'ESTABLISHED';
    this.retries = 0;
    this.rto = INITIAL_RTO_MS;
    const cb = this.onEstablished;
    this.onEstablished = undefined;
    cb?.();
    if (this.listener) {
      this.listener.queue.push(this);
      this.listener = undefined;
    }
  }

  /** tcp_rcv_state_process for a segment addressed to this connection. */
  segment(seg: TcpSegment): void {
    if (seg.options?.ts) this.tsRecent = seg.options.ts[0];
    if (seg.flags & TCP_RST) {
      if (this.state === 'SYN_SENT') {
        if (seg.flags & TCP_ACK && seg.ack === this.sndNxt) this.destroy('ECONNREFUSED');
        return;
      }
      this.destroy(this.state === 'SYN_RECV' ? undefined : 'ECONNRESET');
      return;
    }
    if (this.state === 'SYN_SENT') {
      if (seg.flags & TCP_SYN && seg.flags & TCP_ACK && seg.ack === this.sndNxt) {
        this.rcvNxt = (seg.seq + 1) >>> 0;
        this.ack(seg.ack);
        this.established();
        this.send(TCP_ACK, this.sndNxt, new Uint8Array(0));
      }
      return;
    }
    if (seg.flags & TCP_SYN) {
      // A retransmitted SYN(-ACK): answer with what we last sent.
      if (this.state === 'SYN_RECV') this.send(TCP_SYN | TCP_ACK, this.iss, new Uint8Array(0));
      else this.send(TCP_ACK, this.sndNxt, new Uint8Array(0));
      return;
    }
    if (seg.flags & TCP_ACK) this.ack(seg.ack);
    if (this.state === 'SYN_RECV') {
      if (!(seg.flags & TCP_ACK) || seg.ack !== this.sndNxt) return;
      this.established();
    }
    let needAck = false;
    if (seg.data.length) {
      if (seg.seq === this.rcvNxt && this.state !== 'CLOSE_WAIT' && this.state !== 'LAST_ACK' && this.state !== 'CLOSED' && this.state !== 'TIME_WAIT') {
        this.rcvNxt = (this.rcvNxt + seg.data.length) >>> 0;
        this.inbox.push(seg.data);
      }
      needAck = true;
    }
    if (seg.flags & TCP_FIN && ((seg.seq + seg.data.length) >>> 0) === this.rcvNxt) {
      this.rcvNxt = (this.rcvNxt + 1) >>> 0;
      needAck = true;
      switch (this.state) {
        case 'ESTABLISHED':
          this.state = 'CLOSE_WAIT';
          this.inbox.close();
          break;
        case 'FIN_WAIT1':
          this.state = 'CLOSING';
          this.inbox.close();
          break;
        case 'FIN_WAIT2':
          this.timeWait();
          break;
        default:
          break;
      }
    }
    if (needAck) this.send(TCP_ACK, this.sndNxt, new Uint8Array(0));
  }

  /** Takes an acknowledgement: drops acked segments and moves the teardown along. */
  private ack(ack: number): void {
    if (!seqAfter(ack, this.sndUna) || seqAfter(ack, this.sndNxt)) return;
    this.sndUna = ack;
    this.unacked = this.unacked.filter((u) => seqAfter((u.seq + u.data.length + (u.flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0, ack));
    this.retries = 0;
    this.rto = INITIAL_RTO_MS;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.unacked.length) this.arm();
    if (ack !== this.sndNxt || !this.finSent) return;
    switch (this.state) {
      case 'FIN_WAIT1':
        this.state = 'FIN_WAIT2';
        break;
      case 'CLOSING':
        this.timeWait();
        break;
      case 'LAST_ACK':
        this.destroy();
        break;
      default:
        break;
    }
  }

  private timeWait(): void {
    this.state = 'TIME_WAIT';
    this.inbox.close();
    this.timer?.cancel();
    this.timer = this.table.ns.kernel.clock.after(TIME_WAIT_MS, () => {
      this.timer = undefined;
      this.state = 'CLOSED';
      this.table.conns.delete(this);
    });
  }

  /** A listener got a SYN: the embryonic connection answers SYN-ACK. */
  static passive(l: TcpListener, ip: IpPacket, seg: TcpSegment): TcpConn {
    const c = new TcpConn(l.table, ip.dst, seg.dport, ip.src, seg.sport);
    c.listener = l;
    c.rcvNxt = (seg.seq + 1) >>> 0;
    if (seg.options?.ts) c.tsRecent = seg.options.ts[0];
    if (seg.options?.mss) c.mss = Math.min(c.mss, seg.options.mss);
    c.state = 'SYN_RECV';
    l.table.conns.add(c);
    c.emit(TCP_SYN | TCP_ACK, new Uint8Array(0));
    return c;
  }
}

/** tcp_v4_rcv's lookup: an established (or embryonic) connection, else a listener, else nothing (RST). */
export function tcpDemux(table: SocketTable, ip: IpPacket, _skb: Skb): boolean {
  const seg = ip.l4 as TcpSegment;
  for (const c of table.conns) {
    if (c.lport === seg.dport && c.rport === seg.sport && c.raddr === ip.src && c.laddr === ip.dst) {
      c.segment(seg);
      return true;
    }
  }
  if (!(seg.flags & TCP_SYN) || seg.flags & TCP_ACK) return false;
  let best: TcpListener | undefined;
  for (const l of table.listeners) if (l.lport === seg.dport && (!l.laddr || l.laddr === ip.dst) && (!best || l.laddr)) best = l;
  if (!best) return false;
  if (best.queue.size >= best.backlog) return true;
  TcpConn.passive(best, ip, seg);
  return true;
}
