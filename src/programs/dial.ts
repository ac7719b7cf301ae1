/**
 * agnhost netexec's /dial client side: one HTTP GET (Go's http.Client with a 5 s timeout) or
 * one UDP request/reply (5 s read deadline) from the pod's namespace, with Go's error texts, so
 * e2e-style "dial from pod A to service B" checks answer as upstream's image does.
 */
import { formatIPv4 } from '../kernel/addr.ts';
import { KernelError, STRERROR } from '../kernel/errno.ts';
import type { NetNs } from '../kernel/netns.ts';
import { socketsOf } from '../kernel/stack/socket.ts';
import type { TcpConn } from '../kernel/stack/tcp.ts';
import { bytes, text, Timers } from '../userland/net/common.ts';
import { ResponseParser } from '../userland/net/http.ts';

const TIMEOUT_MS = 5000;

/** Go's lower-case errno texts (`connect: connection refused`). */
function goErrno(e: unknown): string {
  return e instanceof KernelError ? STRERROR[e.errno].toLowerCase() : String(e);
}

/** `GET http://addr:port/request`; resolves to the body, rejects with Go's error text. */
export async function dialHttp(ns: NetNs, addr: number, port: number, request: string): Promise<string> {
  const url = `http://${formatIPv4(addr)}:${port}/${request}`;
  const timers = new Timers(ns);
  const timeout = timers.after(TIMEOUT_MS).then(() => {
    throw new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  });
  let conn: TcpConn | undefined;
  try {
    const connecting = socketsOf(ns)
      .tcpConnect(addr, port)
      .catch((e: unknown) => {
        throw new Error(`Get "${url}": dial tcp ${formatIPv4(addr)}:${port}: connect: ${goErrno(e)}`);
      });
    conn = await Promise.race([connecting, timeout]);
    const c = conn;
    c.write(bytes(`GET /${request} HTTP/1.1\r\nHost: ${formatIPv4(addr)}:${port}\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n`));
    const parser = new ResponseParser();
    const read = (async () => {
      while (!parser.done) {
        const d = await c.read();
        if (!d) {
          if (!parser.end()) throw new Error(`Get "${url}": EOF`);
          break;
        }
        parser.push(d);
      }
      return text(parser.response!.body);
    })();
    return await Promise.race([read, timeout]);
  } finally {
    timers.cancelAll();
    conn?.close();
  }
}

/** Sends `request` to addr:port over UDP and waits for one reply; rejects with agnhost's error text. */
export async function dialUdp(ns: NetNs, addr: number, port: number, request: string): Promise<string> {
  const sock = socketsOf(ns).udpBind(0, 0);
  sock.remote = { addr, port };
  const timers = new Timers(ns);
  try {
    const err = sock.send(bytes(request), addr, port);
    if (err) throw new Error(`udp connection write failed. err:write udp: ${goErrno(new KernelError(err))}`);
    const reply = await Promise.race([sock.inbox.next(), timers.after(TIMEOUT_MS).then(() => 'timeout' as const)]);
    if (reply === 'timeout' || reply === undefined || reply.data.length === 0) {
      const src = ns.selectSource(ns.fib.lookup(addr)?.route.dev, addr) ?? 0;
      // An ICMP port unreachable leaves ECONNREFUSED on the connected socket; otherwise the deadline passed.
      const why = sock.errors.length ? `connect: ${STRERROR[sock.errors[0]].toLowerCase()}` : 'i/o timeout';
      throw new Error(`reading from udp connection failed. err:'read udp ${formatIPv4(src)}:${sock.lport}->${formatIPv4(addr)}:${port}: ${why}'`);
    }
    return text(reply.data);
  } finally {
    timers.cancelAll();
    sock.close();
  }
}
