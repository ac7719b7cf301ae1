/**
 * A UDP request/reply loop for the pod servers (agnhost netexec and serve-hostname, the generic
 * server): bind a port, hand each datagram to the program, send back what it answers to the
 * sender's address and port, stop on demand.
 */
import type { NetNs } from '../kernel/netns.ts';
import { socketsOf, type Datagram } from '../kernel/stack/socket.ts';
import { bytes, text } from '../userland/net/common.ts';

export interface UdpServer {
  readonly port: number;
  stop(): void;
}

/** Serves `port` (any address unless `addr`); `answer` returns the reply text, or undefined to stay silent. Throws KernelError if it cannot bind. */
export function serveUdp(ns: NetNs, port: number, answer: (msg: string, from: Datagram) => string | undefined, addr = 0): UdpServer {
  const sock = socketsOf(ns).udpBind(addr, port);
  let stopped = false;
  void (async () => {
    for (let d = await sock.inbox.next(); d && !stopped; d = await sock.inbox.next()) {
      const reply = answer(text(d.data), d);
      if (reply !== undefined) sock.send(bytes(reply), d.src, d.sport);
    }
  })();
  return {
    port,
    stop() {
      stopped = true;
      sock.close();
    },
  };
}
