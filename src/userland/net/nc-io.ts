/**
 * netcat's readwrite() loop over a simulated socket: stdin goes to the network, what arrives goes
 * to stdout, and the loop ends the way netcat-openbsd's does — at end of stream from the peer, on
 * the -q quit timer after stdin ends, after -w seconds without any event, or when the job is
 * killed. Sockets are reached through a small Channel so TCP and UDP share the loop.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { NetNs } from '../../kernel/netns.ts';
import type { TcpConn } from '../../kernel/stack/tcp.ts';
import type { UdpSocket } from '../../kernel/stack/socket.ts';
import type { CommandContext } from '../command.ts';
import { block, bytes, Timers } from './common.ts';

export interface Channel {
  write(data: Uint8Array): void;
  /** The next data from the peer; undefined at end of stream or on a socket error. */
  read(): Promise<Uint8Array | undefined>;
  /** shutdown(SHUT_WR) (-N). */
  shutdownWrite(): void;
  /** Whether data from the peer is already waiting to be read. */
  ready(): boolean;
  close(): void;
}

export function tcpChannel(c: TcpConn): Channel {
  return {
    write: (d) => void c.write(d),
    read: () => c.read(),
    // The model's close() is a half-close: FIN goes out and data keeps arriving until the peer's FIN.
    shutdownWrite: () => c.close(),
    ready: () => c.inbox.size > 0,
    close: () => c.close(),
  };
}

/** A connected UDP socket: datagrams from the peer, and the ICMP errors the kernel queued on it. */
export function udpChannel(s: UdpSocket): Channel {
  let pending: Promise<Uint8Array | undefined> | undefined;
  const remote = (): { addr: number; port: number } => s.remote!;
  return {
    write: (d) => {
      if (!s.errors.length) s.send(d, remote().addr, remote().port);
    },
    read: () => {
      pending ??= (async () => {
        for (;;) {
          if (s.errors.length) return undefined;
          const dg = await s.inbox.next();
          if (!dg) return undefined;
          if (dg.src === remote().addr && dg.sport === remote().port) return dg.data;
        }
      })();
      const p = pending;
      void p.then(() => (pending = undefined));
      return p;
    },
    shutdownWrite: () => {},
    ready: () => s.inbox.size > 0,
    close: () => s.close(),
  };
}

export interface RwOpts {
  /** -d: do not read stdin. */
  noStdin: boolean;
  /** -N: shut the connection down for writing at end of stdin. */
  shutdownOnEof: boolean;
  /** -q: seconds to linger after end of stdin (negative: forever). */
  quit: number;
  /** -w: milliseconds without any event before giving up. */
  idleMs?: number;
  /** -C: send CRLF line endings. */
  crlf: boolean;
  /** -W: stop after this many reads from the network. */
  recvLimit: number;
  listening: boolean;
}

export type RwEnd = 'eof' | 'quit' | 'idle' | 'killed' | 'stuck';

export async function readwrite(ctx: CommandContext, ns: NetNs, ch: Channel, o: RwOpts, first?: Uint8Array): Promise<RwEnd> {
  const decoder = new TextDecoder();
  const out = (d: Uint8Array): void => {
    const t = decoder.decode(d, { stream: true });
    if (t) ctx.stdout(t);
  };
  if (first) out(first);
  // stdin is all there at once in podlab: send it, then it is at end of file.
  if (!o.noStdin) {
    const input = o.crlf ? ctx.stdin.replace(/\r?\n/g, '\r\n') : ctx.stdin;
    if (input) ch.write(bytes(input));
    if (o.shutdownOnEof) ch.shutdownWrite();
  }
  let quitAt: number | undefined;
  if (!o.noStdin && o.quit >= 0) {
    if (o.quit === 0) {
      // The poll that saw the end of stdin also reads what the peer had already sent.
      while (ch.ready()) {
        const d = await ch.read();
        if (!d) break;
        out(d);
      }
      return 'quit';
    }
    quitAt = ctx.sys.now() + o.quit * 1000;
  }
  let reads = 0;
  let incoming = ch.read();
  for (;;) {
    const timers = new Timers(ns);
    const events: Promise<Uint8Array | undefined | 'quit' | 'idle'>[] = [incoming];
    if (quitAt !== undefined) events.push(timers.after(Math.max(0, quitAt - ctx.sys.now())).then(() => 'quit' as const));
    if (o.idleMs !== undefined) events.push(timers.after(o.idleMs).then(() => 'idle' as const));
    let w;
    try {
      w = await block(ctx, Promise.race(events));
    } catch (e) {
      if (e instanceof KernelError) return 'eof';
      throw e;
    } finally {
      timers.cancelAll();
    }
    if (w.kind !== 'done') return w.kind;
    if (w.value === 'quit' || w.value === 'idle') return w.value;
    if (w.value === undefined) return 'eof';
    out(w.value);
    if (o.recvLimit > 0 && ++reads >= o.recvLimit) return 'eof';
    incoming = ch.read();
  }
}
