/**
 * Sending DNS messages through a namespace's stack, as the stub resolver and dig do: over a
 * connected UDP socket (so an ICMP port unreachable surfaces as ECONNREFUSED) waiting for replies
 * with the expected ids, or over TCP with the two-byte length prefix. Every wait is on the
 * namespace's clock, so a timeout is virtual time.
 */
import type { Errno } from '../../kernel/errno.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { socketsOf } from '../../kernel/stack/socket.ts';
import type { TcpConn } from '../../kernel/stack/tcp.ts';
import { timer } from '../net/common.ts';

export type Exchange = { kind: 'reply'; msgs: Buffer[] } | { kind: 'timeout'; msgs: Buffer[] } | { kind: 'error'; errno: Errno };

const idOf = (b: Buffer): number => (b.length >= 2 ? b.readUInt16BE(0) : -1);

/**
 * Sends `queries` to `server:port` over UDP from one socket and gathers one reply per query id
 * until all came or `timeoutMs` passed (resolv's send_dg: A and AAAA on one socket).
 */
export async function udpExchange(ns: NetNs, server: number, port: number, queries: Buffer[], timeoutMs: number): Promise<Exchange> {
  const sock = socketsOf(ns).udpBind(0, 0);
  try {
    // connect(2) fails at once without a route (dig's "UDP setup ... failed").
    const unroutable = sock.connect(server, port);
    if (unroutable) return { kind: 'error', errno: unroutable };
    for (const q of queries) {
      const err = sock.send(new Uint8Array(q), server, port);
      if (err) return { kind: 'error', errno: err };
    }
    const want = new Set(queries.map(idOf));
    const got: Buffer[] = [];
    const deadline = timer(ns, timeoutMs);
    const expired = deadline.promise.then(() => 'expired' as const);
    // One receive stays pending across turns: a waiter left behind would swallow a datagram.
    let next = sock.recv();
    try {
      while (want.size) {
        const d = await Promise.race([next, expired]);
        if (d === 'expired' || d === undefined) return { kind: 'timeout', msgs: got };
        // ECONNREFUSED (an ICMP port unreachable) ends the exchange as soon as it arrives.
        if ('error' in d) return { kind: 'error', errno: d.error };
        next = sock.recv();
        const b = Buffer.from(d.data);
        if (want.delete(idOf(b))) got.push(b);
      }
      return { kind: 'reply', msgs: got };
    } finally {
      deadline.cancel();
    }
  } finally {
    sock.close();
  }
}

/** One query over TCP: connect, send it framed, read the framed reply. */
export async function tcpExchange(ns: NetNs, server: number, port: number, query: Buffer, timeoutMs: number): Promise<Exchange> {
  const deadline = timer(ns, timeoutMs);
  // At the deadline a connect still pending is given up, and its socket closed with it.
  const giveUp = new AbortController();
  void deadline.promise.then(() => giveUp.abort());
  let conn: TcpConn | undefined;
  try {
    const c = await socketsOf(ns)
      .tcpConnect(server, port, { signal: giveUp.signal })
      .then((x) => ({ conn: x }), (e: unknown) => ({ error: e }));
    if ('error' in c) {
      if (giveUp.signal.aborted) return { kind: 'timeout', msgs: [] };
      const errno = (c.error as { errno?: Errno }).errno;
      return { kind: 'error', errno: errno ?? 'ECONNREFUSED' };
    }
    conn = c.conn;
    const framed = Buffer.alloc(2 + query.length);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    conn.write(new Uint8Array(framed));
    let buf = Buffer.alloc(0);
    while (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) {
      const d = await Promise.race([conn.read(), deadline.promise.then(() => null)]);
      if (d === null) return { kind: 'timeout', msgs: [] };
      if (d === undefined) return conn.err ? { kind: 'error', errno: conn.err } : { kind: 'error', errno: 'ECONNRESET' };
      buf = Buffer.concat([buf, Buffer.from(d)]);
    }
    return { kind: 'reply', msgs: [buf.subarray(2, 2 + buf.readUInt16BE(0))] };
  } finally {
    deadline.cancel();
    conn?.close();
  }
}
