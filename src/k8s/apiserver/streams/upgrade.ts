/** HTTP upgrade plumbing shared by exec and port-forward: which protocol a request asks for, 101 and error replies on a raw socket, byte transports. */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { StatusError, type Status } from '../../api/errors.ts';
import type { ByteTransport } from './spdy.ts';

/** True for `Upgrade: websocket` (kubectl ≥1.30 exec, ≥1.31 port-forward); otherwise SPDY/3.1 is meant. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase().split(',').some((p) => p.trim() === 'websocket');
}

/** True for `Upgrade: SPDY/3.1`. */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase().split(',').some((p) => p.trim() === 'spdy/3.1');
}

/** Every `X-Stream-Protocol-Version` the client offers, in its order (kubectl sends one header per version). */
export function offeredStreamProtocols(req: IncomingMessage): string[] {
  const values = req.headersDistinct['x-stream-protocol-version'] ?? [];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}

/** Answers a SPDY upgrade with 101, naming the negotiated stream protocol (kubectl checks it against its offer). */
export function acceptSpdyUpgrade(socket: Duplex, protocol: string | undefined): void {
  socket.write([
    'HTTP/1.1 101 Switching Protocols',
    'Connection: Upgrade',
    'Upgrade: SPDY/3.1',
    ...(protocol ? [`X-Stream-Protocol-Version: ${protocol}`] : []),
    '', '',
  ].join('\r\n'));
}

/**
 * Refuses an upgrade with an HTTP error carrying a metav1.Status, then closes the socket. The
 * `upgrade` event has no ServerResponse, so the reply is written by hand. For a refused
 * WebSocket kubectl falls back to SPDY; for SPDY it prints `Error from server (Reason): message`.
 */
export function rejectUpgrade(socket: Duplex, error: StatusError | Status): void {
  const status = error instanceof StatusError ? error.status() : error;
  const body = JSON.stringify(status);
  socket.end([
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '', body,
  ].join('\r\n'));
}

/** A raw (TLS) socket as a SPDY transport; `onClosed` runs once when the peer goes or the socket fails. */
export function socketTransport(socket: Duplex, onData: (d: Buffer) => void, onClosed: () => void): ByteTransport {
  let closed = false;
  const gone = (): void => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  socket.on('data', onData);
  // The HTTP server allows half-open sockets; once the peer has finished, so do we.
  socket.on('end', () => {
    gone();
    socket.end();
  });
  socket.on('close', gone);
  socket.on('error', () => {
    gone();
    socket.destroy();
  });
  return {
    write: (d) => {
      if (!socket.destroyed && socket.writable) socket.write(d);
    },
    end: () => {
      if (!socket.destroyed) socket.end();
    },
  };
}

/** A WebSocket whose binary messages carry a byte stream (the SPDY-over-WebSocket tunnel). */
export function webSocketTransport(ws: WebSocket): ByteTransport {
  return {
    write: (d) => {
      if (ws.readyState === ws.OPEN) ws.send(d);
    },
    end: () => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
  };
}

/** A `ws` message as one Buffer, whatever form the library handed it in. */
export function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
