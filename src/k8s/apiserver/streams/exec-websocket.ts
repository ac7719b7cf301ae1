/** exec over WebSocket (kubectl ≥1.30): v5.channel.k8s.io, or v4 for older clients, one channel byte per binary message. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { badRequest } from '../../api/errors.ts';
import { ExecSession } from './exec-session.ts';
import { execStatus, parseTerminalSize } from './exec-status.ts';
import type { ExecHandler, ExecRequest } from './types.ts';
import { messageBytes, rejectUpgrade } from './upgrade.ts';
import { acceptWebSocket } from './websocket-upgrade.ts';
import { Channel, EXEC_WEBSOCKET_PROTOCOLS, V5_CHANNEL, decodeChannelMessage, encodeChannelMessages, offeredSubprotocols, pickSubprotocol } from './websocket-channel.ts';

export function execOverWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest, handler: ExecHandler): void {
  // Without an agreed subprotocol kubectl would not trust the channels; refusing makes it retry over SPDY.
  const protocol = pickSubprotocol(offeredSubprotocols(req.headers['sec-websocket-protocol']), EXEC_WEBSOCKET_PROTOCOLS);
  if (!protocol) {
    rejectUpgrade(socket, badRequest(`unable to upgrade: no supported subprotocol (want one of ${EXEC_WEBSOCKET_PROTOCOLS.join(', ')})`));
    return;
  }
  acceptWebSocket(req, socket, head, protocol, (ws) => serve(ws, protocol, exec, handler));
}

function serve(ws: WebSocket, protocol: string, exec: ExecRequest, handler: ExecHandler): void {
  const send = (channel: number, data: Buffer | string): void => {
    if (ws.readyState !== ws.OPEN) return;
    for (const msg of encodeChannelMessages(channel, data)) ws.send(msg);
  };
  const session = new ExecSession(exec, {
    stdout: (d) => send(Channel.stdout, d),
    stderr: (d) => send(Channel.stderr, d),
    finish: (outcome) => {
      // Always send the status: a close without it makes kubectl report success.
      send(Channel.error, JSON.stringify(execStatus(outcome, exec.command)));
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
  });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const msg = decodeChannelMessage(messageBytes(data));
    if (!msg) return;
    switch (msg.channel) {
      case Channel.stdin:
        session.stdinData(msg.data);
        break;
      case Channel.resize: {
        const size = parseTerminalSize(msg.data.toString('utf8'));
        if (size) session.resize(size);
        break;
      }
      case Channel.close:
        if (protocol === V5_CHANNEL && msg.data[0] === Channel.stdin) session.stdinEnd();
        break;
    }
  });
  ws.on('close', () => session.clientGone());
  ws.on('error', () => ws.terminate());
  void session.run(handler);
}
