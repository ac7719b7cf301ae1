/** `kubectl port-forward`: SPDY/3.1 streams, raw or tunnelled in WebSocket (`SPDY/3.1+portforward.k8s.io`); each local connection is an error stream and a data stream sharing a requestid. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { StatusError, badRequest } from '../../api/errors.ts';
import { SpdySession, type SpdyStream } from './spdy.ts';
import type { PortForwardConn, PortForwardHandler } from './types.ts';
import { acceptSpdyUpgrade, isSpdyUpgrade, isWebSocketUpgrade, messageBytes, offeredStreamProtocols, rejectUpgrade, socketTransport, webSocketTransport } from './upgrade.ts';
import { offeredSubprotocols, pickSubprotocol } from './websocket-channel.ts';
import { acceptWebSocket } from './websocket-upgrade.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol of the tunnel: SPDY frames as a byte stream in binary messages. */
export const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/**
 * Takes over a port-forward upgrade. WebSocket clients must offer the SPDY tunnel subprotocol
 * (else 400, and kubectl falls back to SPDY); SPDY clients must offer portforward.k8s.io.
 * Ports come from each stream's headers, not from the URL.
 */
export function handlePortForwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, pod: string, handler: PortForwardHandler): void {
  if (isWebSocketUpgrade(req)) {
    if (!pickSubprotocol(offeredSubprotocols(req.headers['sec-websocket-protocol']), [PORT_FORWARD_TUNNEL_PROTOCOL])) {
      rejectUpgrade(socket, badRequest(`unable to upgrade: no supported subprotocol (want ${PORT_FORWARD_TUNNEL_PROTOCOL})`));
      return;
    }
    acceptWebSocket(req, socket, head, PORT_FORWARD_TUNNEL_PROTOCOL, (ws) => serveTunnel(ws, namespace, pod, handler));
    return;
  }
  if (!isSpdyUpgrade(req)) {
    rejectUpgrade(socket, badRequest(`unable to upgrade: unsupported protocol ${JSON.stringify(req.headers.upgrade ?? '')}`));
    return;
  }
  const offered = offeredStreamProtocols(req);
  if (offered.length && !offered.includes(PORT_FORWARD_PROTOCOL)) {
    rejectUpgrade(socket, new StatusError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`));
    return;
  }
  acceptSpdyUpgrade(socket, PORT_FORWARD_PROTOCOL);
  const spdy: SpdySession = new SpdySession(
    socketTransport(socket, (d) => spdy.receive(d), () => spdy.transportClosed()),
    forwarder(namespace, pod, handler),
  );
  if (head.length) spdy.receive(head);
}

function serveTunnel(ws: WebSocket, namespace: string, pod: string, handler: PortForwardHandler): void {
  const spdy = new SpdySession(webSocketTransport(ws), forwarder(namespace, pod, handler));
  // The client writes one message per write; concatenated, they are the SPDY byte stream.
  ws.on('message', (data) => spdy.receive(messageBytes(data)));
  ws.on('close', () => spdy.transportClosed());
  ws.on('error', () => ws.terminate());
}

interface Pair { error?: SpdyStream; data?: SpdyStream }

/** Pairs each connection's error and data streams and connects them to the pod. */
function forwarder(namespace: string, pod: string, handler: PortForwardHandler): (s: SpdyStream) => void {
  const pairs = new Map<string, Pair>();
  return (stream) => {
    const type = stream.headers.get('streamtype');
    if (type !== 'error' && type !== 'data') {
      stream.reset();
      return;
    }
    // Clients older than requestid pair by stream id: the data stream follows its error stream.
    const requestId = stream.headers.get('requestid') ?? String(type === 'error' ? stream.id : stream.id - 2);
    const pair = pairs.get(requestId) ?? {};
    if (pair[type]) {
      stream.reset();
      return;
    }
    pair[type] = stream;
    pairs.set(requestId, pair);
    if (pair.error && pair.data) {
      pairs.delete(requestId);
      void forward(pair.error, pair.data, namespace, pod, handler);
    }
  };
}

async function forward(error: SpdyStream, data: SpdyStream, namespace: string, pod: string, handler: PortForwardHandler): Promise<void> {
  // The client half-closes the error stream at once and writes nothing on it.
  error.onData(() => undefined);
  const portText = data.headers.get('port') ?? error.headers.get('port') ?? '';
  const port = Number(portText);
  const fail = (message: string): void => {
    // kubectl prints it as `an error occurred forwarding L -> R: <message>`, once both streams end.
    error.write(message);
    error.end();
    data.end();
  };
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    fail(`invalid port ${JSON.stringify(portText)}`);
    return;
  }
  // Bytes the client sends while the pod connection is being opened wait here.
  const early: Buffer[] = [];
  let clientDone = false;
  let conn: PortForwardConn | undefined;
  data.onData((d) => (conn ? conn.write(d) : early.push(d)));
  data.onEnd(() => {
    clientDone = true;
    conn?.end();
  });
  try {
    conn = await handler(namespace, pod, port);
  } catch (e) {
    fail(`error forwarding port ${port} to pod ${pod}, uid : ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const c = conn;
  // Both streams end when the pod side does; kubectl waits for the error stream's end before it closes the local connection.
  c.onData((d) => data.write(d));
  c.onEnd(() => {
    data.end();
    error.end();
  });
  for (const d of early.splice(0)) c.write(d);
  if (clientDone) c.end();
}
