/** Completes a WebSocket upgrade with `ws`, answering with a subprotocol we chose ourselves (ws refuses names such as `SPDY/3.1+portforward.k8s.io`). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

const chosen = new WeakMap<IncomingMessage, string>();
let server: WebSocketServer | undefined;

function wss(): WebSocketServer {
  if (!server) {
    server = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
    server.on('headers', (headers: string[], req: IncomingMessage) => {
      const protocol = chosen.get(req);
      if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
    });
  }
  return server;
}

/**
 * Upgrades `req` and answers with `protocol`. ws validates offered subprotocols as RFC 7230
 * tokens, and `/` is not a token character, so ws would answer kubectl's port-forward offer
 * with 400. So ws gets a view of the request without the offer (the caller has already picked
 * from it; the caller's request is left as it was), and the answer header is added as ws
 * writes the 101.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, onOpen: (ws: WebSocket) => void): void {
  const headers = { ...req.headers };
  delete headers['sec-websocket-protocol'];
  const view = Object.create(req, { headers: { value: headers, enumerable: true } }) as IncomingMessage;
  chosen.set(view, protocol);
  wss().handleUpgrade(view, socket, head, onOpen);
}
