/**
 * The DNS server on a namespace's sockets: UDP datagrams answered one by one, TCP connections
 * read as length-prefixed messages (RFC 1035 4.2.2) until the client closes. Both loops end when
 * `stop()` closes the sockets.
 */
import type { NetNs } from '../../kernel/netns.ts';
import { socketsOf } from '../../kernel/stack/socket.ts';
import type { TcpConn } from '../../kernel/stack/tcp.ts';
import type { KubernetesPlugin } from './lookup.ts';
import { respond } from './respond.ts';

export interface RunningServer {
  stop(): void;
}

/** Binds UDP and TCP `port` on every address of `ns` (throws the kernel's EADDRINUSE). */
export function serveDns(ns: NetNs, plugin: KubernetesPlugin, port = 53): RunningServer {
  const table = socketsOf(ns);
  const udp = table.udpBind(0, port);
  let tcp;
  try {
    tcp = table.tcpListen(0, port);
  } catch (e) {
    udp.close();
    throw e;
  }
  const conns = new Set<TcpConn>();

  void (async () => {
    for (let d = await udp.inbox.next(); d; d = await udp.inbox.next()) {
      const reply = respond(plugin, Buffer.from(d.data), { tcp: false });
      if (!reply) continue;
      // CoreDNS answers from the address it was asked on (IP_PKTINFO): the client's connected
      // socket takes nothing from any other.
      udp.send(new Uint8Array(reply), d.src, d.sport, { src: d.dst });
    }
  })();

  void (async () => {
    for (let c = await tcp.accept(); c; c = await tcp.accept()) {
      conns.add(c);
      void serveConn(c, plugin).finally(() => conns.delete(c));
    }
  })();

  return {
    stop() {
      udp.close();
      tcp.close();
      for (const c of conns) c.close();
    },
  };
}

async function serveConn(c: TcpConn, plugin: KubernetesPlugin): Promise<void> {
  let buf = Buffer.alloc(0);
  for (let d = await c.read(); d; d = await c.read()) {
    buf = Buffer.concat([buf, Buffer.from(d)]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const len = buf.readUInt16BE(0);
      const reply = respond(plugin, buf.subarray(2, 2 + len), { tcp: true });
      buf = buf.subarray(2 + len);
      if (!reply) continue;
      const framed = Buffer.alloc(2 + reply.length);
      framed.writeUInt16BE(reply.length, 0);
      reply.copy(framed, 2);
      c.write(new Uint8Array(framed));
    }
  }
  c.close();
}
