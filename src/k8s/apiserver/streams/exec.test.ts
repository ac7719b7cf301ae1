import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, notFound } from '../../api/errors.ts';
import { AsyncQueue } from './async-queue.ts';
import { handleExecUpgrade, parseExecQuery } from './exec.ts';
import { TerminalSizeDecoder, execStatus, execStatusText, parseTerminalSize } from './exec-status.ts';
import { HeaderDeflater } from './header-zlib.ts';
import { SpdyFrameParser, encodeFrame, encodeHeaderBlock, type SpdyFrame } from './spdy-frames.ts';
import { fakeExec } from './testing.ts';

const url = (q: string): URL => new URL(`https://x/api/v1/namespaces/default/pods/P/exec?${q}`);

test('parseExecQuery reads one command element per command= and the stream flags', () => {
  assert.deepEqual(parseExecQuery(url('command=sh&command=-c&command=echo%20a%20b&container=web&stdin=true&stdout=true&tty=true'), 'default', 'P'), {
    namespace: 'default', pod: 'P', container: 'web', command: ['sh', '-c', 'echo a b'],
    stdin: true, stdout: true, stderr: false, tty: true,
  });
  assert.equal(parseExecQuery(url('command=ls&stdout=1&stderr=T'), 'ns', 'p').stderr, true);
  assert.equal(parseExecQuery(url('command=ls&stdout=1'), 'ns', 'p').container, '');
});

test('parseExecQuery refuses an empty command, no streams, and non-boolean flags with BadRequest', () => {
  const reason = (q: string): string | undefined => {
    try {
      parseExecQuery(url(q), 'default', 'P');
      return undefined;
    } catch (e) {
      return e instanceof StatusError ? `${e.code} ${e.message}` : String(e);
    }
  };
  assert.equal(reason('stdout=true'), '400 you must specify at least 1 command');
  assert.equal(reason('command=ls'), '400 you must specify at least 1 of stdin, stdout, stderr');
  assert.equal(reason('command=ls&stdout=yes'), '400 invalid value for stdout: "yes"');
});

test('exit 0 is a bare Success Status; a thrown StatusError keeps its reason, code and details', () => {
  assert.deepEqual(execStatus({ exitCode: 0 }, ['true']), { metadata: {}, status: 'Success' });
  assert.deepEqual(execStatus({ error: notFound('pods', 'Q') }, ['x']), {
    metadata: {}, status: 'Failure', message: 'pods "Q" not found', reason: 'NotFound', details: { name: 'Q', kind: 'pods' }, code: 404,
  });
  assert.deepEqual(execStatus({ error: new Error('boom') }, ['x']), { metadata: {}, status: 'Failure', message: 'boom', reason: 'InternalError', code: 500 });
});

test('protocols before v4 get the error as bare text, and nothing for success', () => {
  assert.equal(execStatusText({ exitCode: 0 }, ['true']), '');
  assert.equal(execStatusText({ exitCode: 2 }, ['ls', 'x']), 'command terminated with non-zero exit code: error executing command [ls x], exit code 2');
});

test('terminal sizes are read from JSON objects, split or joined across chunks', () => {
  assert.deepEqual(parseTerminalSize('{"Width":80,"Height":24}'), { width: 80, height: 24 });
  assert.equal(parseTerminalSize('{"Width":"80"}'), undefined);
  assert.equal(parseTerminalSize('nonsense'), undefined);
  const d = new TerminalSizeDecoder();
  assert.deepEqual(d.push(Buffer.from('{"Width":100,')), []);
  assert.deepEqual(d.push(Buffer.from('"Height":40}\n{"Width":1,"Height":2}\n')), [{ width: 100, height: 40 }, { width: 1, height: 2 }]);
});

test('the stdin queue hands out what was pushed, in order, then ends', async () => {
  const q = new AsyncQueue<string>();
  q.push('a');
  const got: string[] = [];
  const reading = (async () => {
    for await (const s of q) got.push(s);
  })();
  q.push('b');
  q.end();
  q.push('ignored');
  await reading;
  assert.deepEqual(got, ['a', 'b']);
});

/** A bare SPDY client: upgrades with the given stream protocols and opens the exec streams. */
async function spdyExec(query: string, protocols: string[], types: string[]): Promise<{ accepted: string | undefined; streams: Map<string, string> }> {
  const sockets = new Set<Duplex>();
  const server: Server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    handleExecUpgrade(req, socket, head, parseExecQuery(new URL(req.url ?? '/', 'http://x'), 'default', 'P'), fakeExec());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const deflater = new HeaderDeflater();
  try {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/api/v1/namespaces/default/pods/P/exec?${query}`, headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocols } });
    req.end();
    const [res, socket] = (await once(req, 'upgrade')) as [IncomingMessage, Duplex];
    const ids = new Map<number, string>();
    const streams = new Map<string, string>();
    const finished = new Set<string>();
    const parser = new SpdyFrameParser();
    const done = new Promise<void>((resolve) => {
      socket.on('data', (b: Buffer) => {
        for (const f of parser.push(b) as SpdyFrame[]) {
          if (f.type !== 'data') continue;
          const type = ids.get(f.streamId) ?? '?';
          streams.set(type, (streams.get(type) ?? '') + f.data.toString());
          if (f.fin) finished.add(type);
          if (finished.has('error')) resolve();
        }
      });
    });
    let id = 1;
    for (const type of types) {
      ids.set(id, type);
      const headerBlock = await deflater.compress(encodeHeaderBlock([['streamtype', type]]));
      socket.write(encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock }));
      id += 2;
    }
    await done;
    socket.destroy();
    return { accepted: res.headers['x-stream-protocol-version'] as string | undefined, streams };
  } finally {
    deflater.close();
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
  }
}

test('SPDY exec negotiates the best offered protocol and answers v4 with a JSON Status on the error stream', async () => {
  const r = await spdyExec('command=exit&command=4&container=web&stdout=true&stderr=true', ['v4.channel.k8s.io', 'v3.channel.k8s.io'], ['error', 'stdout', 'stderr']);
  assert.equal(r.accepted, 'v4.channel.k8s.io');
  assert.equal(JSON.parse(r.streams.get('error') ?? '').details.causes[0].message, '4');
});

test('SPDY exec on v2 reports a failure as text and success as an empty error stream', async () => {
  const failed = await spdyExec('command=exit&command=4&container=web&stdout=true&stderr=true', ['v2.channel.k8s.io'], ['error', 'stdout', 'stderr']);
  assert.equal(failed.accepted, 'v2.channel.k8s.io');
  assert.equal(failed.streams.get('error'), 'command terminated with non-zero exit code: error executing command [exit 4], exit code 4');
  const ok = await spdyExec('command=echo&command=v2&container=web&stdout=true', ['v2.channel.k8s.io'], ['error', 'stdout']);
  assert.equal(ok.streams.get('error') ?? '', '');
  assert.equal(ok.streams.get('stdout'), 'v2\n');
});

test('SPDY exec refuses a client offering only protocols it does not speak with 403', async () => {
  const server: Server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    handleExecUpgrade(req, socket, head, parseExecQuery(new URL(req.url ?? '/', 'http://x'), 'default', 'P'), fakeExec());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const port = (server.address() as { port: number }).port;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/namespaces/default/pods/P/exec?command=ls&stdout=true', headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v9.channel.k8s.io' } });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    let body = '';
    for await (const chunk of res) body += String(chunk);
    assert.equal(res.statusCode, 403);
    assert.match(JSON.parse(body).message, /unable to negotiate protocol/);
  } finally {
    server.close();
    await once(server, 'close');
  }
});
