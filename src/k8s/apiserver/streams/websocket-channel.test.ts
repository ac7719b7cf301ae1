import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { handleExecUpgrade, parseExecQuery } from './exec.ts';
import { handlePortForwardUpgrade } from './portforward.ts';
import { fakeExec, type ExecLog } from './testing.ts';
import type { ExecHandler } from './types.ts';
import { Channel, MAX_CHANNEL_PAYLOAD, decodeChannelMessage, encodeChannelMessages, offeredSubprotocols, pickSubprotocol } from './websocket-channel.ts';

test('a channel message is the channel byte followed by the payload', () => {
  assert.deepEqual(encodeChannelMessages(Channel.stdout, 'hi'), [Buffer.from([1, 0x68, 0x69])]);
  assert.deepEqual(decodeChannelMessage(Buffer.from([0, 0x61])), { channel: 0, data: Buffer.from('a') });
  assert.deepEqual(decodeChannelMessage(Buffer.from([255, 0])), { channel: 255, data: Buffer.from([0]) });
  assert.equal(decodeChannelMessage(Buffer.alloc(0)), undefined);
  assert.deepEqual(encodeChannelMessages(Channel.stderr, ''), []);
});

test('large payloads become several messages, each with the channel byte', () => {
  const msgs = encodeChannelMessages(Channel.stdout, Buffer.alloc(MAX_CHANNEL_PAYLOAD * 2 + 5, 9));
  assert.deepEqual(msgs.map((m) => [m[0], m.length - 1]), [[1, MAX_CHANNEL_PAYLOAD], [1, MAX_CHANNEL_PAYLOAD], [1, 5]]);
});

test('the subprotocol is chosen in our order of preference from the offer', () => {
  assert.deepEqual(offeredSubprotocols('v4.channel.k8s.io, v5.channel.k8s.io'), ['v4.channel.k8s.io', 'v5.channel.k8s.io']);
  assert.equal(pickSubprotocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'], ['v5.channel.k8s.io', 'v4.channel.k8s.io']), 'v5.channel.k8s.io');
  assert.equal(pickSubprotocol(['base64.channel.k8s.io'], ['v5.channel.k8s.io']), undefined);
});

/** A plain HTTP server whose upgrades go to exec (…/exec) or port-forward (…/portforward). */
async function serve(exec: ExecHandler): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Duplex>();
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/portforward')) return handlePortForwardUpgrade(req, socket, head, 'default', 'P', () => Promise.reject(new Error('unused')));
    handleExecUpgrade(req, socket, head, parseExecQuery(url, 'default', 'P'), exec);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/P`,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

interface Session { ws: WebSocket; channels: Map<number, Buffer[]>; closed: Promise<number> }

async function connect(url: string, protocols: string[]): Promise<Session> {
  const ws = new WebSocket(url, protocols);
  const channels = new Map<number, Buffer[]>();
  ws.on('message', (data: Buffer) => {
    const msg = decodeChannelMessage(data);
    if (msg) channels.set(msg.channel, [...(channels.get(msg.channel) ?? []), msg.data]);
  });
  const closed = once(ws, 'close').then(([code]) => code as number);
  await once(ws, 'open');
  return { ws, channels, closed };
}

const text = (s: Session, ch: number): string => Buffer.concat(s.channels.get(ch) ?? []).toString();

test('exec over WebSocket answers v5.channel.k8s.io and ends with the Status on channel 3 and a 1000 close', async () => {
  const srv = await serve(fakeExec());
  try {
    const s = await connect(`${srv.url}/exec?command=echo&command=hi&container=web&stdout=true&stderr=true`, ['v5.channel.k8s.io']);
    assert.equal(s.ws.protocol, 'v5.channel.k8s.io');
    assert.equal(await s.closed, 1000);
    assert.equal(text(s, Channel.stdout), 'hi\n');
    assert.deepEqual(JSON.parse(text(s, Channel.error)), { metadata: {}, status: 'Success' });
  } finally {
    await srv.close();
  }
});

test('a non-zero exit is a NonZeroExitCode Status with the code as an ExitCode cause', async () => {
  const srv = await serve(fakeExec());
  try {
    const s = await connect(`${srv.url}/exec?command=exit&command=3&container=web&stdout=true&stderr=true`, ['v5.channel.k8s.io']);
    await s.closed;
    assert.deepEqual(JSON.parse(text(s, Channel.error)), {
      metadata: {}, status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  } finally {
    await srv.close();
  }
});

test('stdin arrives on channel 0 and ends with the v5 close signal [255, 0]; stderr goes to channel 2', async () => {
  const srv = await serve(async (_req, io) => {
    let n = 0;
    for await (const chunk of io.stdin ?? []) {
      n += chunk.length;
      io.stdout(chunk);
    }
    io.stderr(`read ${n}\n`);
    return 0;
  });
  try {
    const s = await connect(`${srv.url}/exec?command=cat&container=web&stdin=true&stdout=true&stderr=true`, ['v5.channel.k8s.io']);
    s.ws.send(Buffer.from([0, ...Buffer.from('abc')]));
    s.ws.send(Buffer.from([0, ...Buffer.from('de')]));
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    assert.equal(text(s, Channel.stdout), 'abcde');
    assert.equal(text(s, Channel.stderr), 'read 5\n');
  } finally {
    await srv.close();
  }
});

test('v4.channel.k8s.io is accepted for clients that offer only it', async () => {
  const srv = await serve(fakeExec());
  try {
    const s = await connect(`${srv.url}/exec?command=false&container=web&stdout=true`, ['v4.channel.k8s.io']);
    assert.equal(s.ws.protocol, 'v4.channel.k8s.io');
    await s.closed;
    assert.equal(JSON.parse(text(s, Channel.error)).reason, 'NonZeroExitCode');
  } finally {
    await srv.close();
  }
});

test('resize messages on channel 4 reach onResize', async () => {
  const log: ExecLog = { requests: [], sizes: [] };
  const srv = await serve(fakeExec(log));
  try {
    const s = await connect(`${srv.url}/exec?command=size&container=web&stdin=true&stdout=true&tty=true`, ['v5.channel.k8s.io']);
    s.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":33}')]));
    await s.closed;
    assert.deepEqual(log.sizes, [{ width: 120, height: 33 }]);
    assert.equal(text(s, Channel.stdout), '120x33\r\n');
  } finally {
    await srv.close();
  }
});

test('with a TTY, what the command writes to stderr comes out on stdout', async () => {
  const srv = await serve(fakeExec());
  try {
    const s = await connect(`${srv.url}/exec?command=warn&command=careful&container=web&stdout=true&tty=true`, ['v5.channel.k8s.io']);
    await s.closed;
    assert.equal(text(s, Channel.stdout), 'careful\nok\n');
    assert.equal(s.channels.get(Channel.stderr), undefined);
  } finally {
    await srv.close();
  }
});

test('a StatusError from the handler becomes a Failure Status with its reason and code', async () => {
  const srv = await serve(fakeExec());
  try {
    const s = await connect(`${srv.url}/exec?command=echo&container=nope&stdout=true`, ['v5.channel.k8s.io']);
    await s.closed;
    const status = JSON.parse(text(s, Channel.error));
    assert.deepEqual([status.status, status.reason, status.code, status.message], ['Failure', 'BadRequest', 400, 'container nope is not valid for pod P']);
  } finally {
    await srv.close();
  }
});

test('when the client goes away the command sees its signal aborted and stdin end', async () => {
  let aborted!: () => void;
  const abortedSeen = new Promise<void>((resolve) => (aborted = resolve));
  let started!: () => void;
  const startedSeen = new Promise<void>((resolve) => (started = resolve));
  const srv = await serve(async (_req, io) => {
    io.signal.addEventListener('abort', () => aborted());
    started();
    for await (const _ of io.stdin ?? []) { /* drain */ }
    return 0;
  });
  try {
    const s = await connect(`${srv.url}/exec?command=cat&container=web&stdin=true&stdout=true`, ['v5.channel.k8s.io']);
    await startedSeen;
    s.ws.terminate();
    await abortedSeen;
  } finally {
    await srv.close();
  }
});

test('an offer without a protocol we speak is refused with 400, so kubectl falls back to SPDY', async () => {
  const srv = await serve(fakeExec());
  try {
    const req = upgradeRequest(`${srv.url}/exec?command=echo&container=web&stdout=true`, 'base64.channel.k8s.io');
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    assert.equal(res.statusCode, 400);
    let body = '';
    for await (const chunk of res) body += String(chunk);
    assert.equal(JSON.parse(body).reason, 'BadRequest');
  } finally {
    await srv.close();
  }
});

/** A WebSocket handshake by hand, offering any subprotocol (the ws client refuses names with `/`). */
function upgradeRequest(wsUrl: string, protocol: string): ClientRequest {
  const req = request(new URL(wsUrl.replace('ws:', 'http:')), {
    headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': Buffer.alloc(16, 1).toString('base64'), 'Sec-WebSocket-Protocol': protocol,
    },
  });
  req.end();
  return req;
}

test('the port-forward tunnel answers SPDY/3.1+portforward.k8s.io, a name ws alone would refuse', async () => {
  const srv = await serve(fakeExec());
  try {
    const req = upgradeRequest(`${srv.url}/portforward`, 'SPDY/3.1+portforward.k8s.io');
    const [res, socket] = (await once(req, 'upgrade')) as [IncomingMessage, Duplex];
    assert.equal(res.statusCode, 101);
    assert.equal(res.headers['sec-websocket-protocol'], 'SPDY/3.1+portforward.k8s.io');
    socket.destroy();
  } finally {
    await srv.close();
  }
});
