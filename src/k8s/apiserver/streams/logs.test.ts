import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import { StatusError } from '../../api/errors.ts';
import { AsyncQueue } from './async-queue.ts';
import { parseLogQuery, streamLogs, tailLines } from './logs.ts';

const url = (q: string): URL => new URL(`https://x/api/v1/namespaces/default/pods/P/log?${q}`);

test('parseLogQuery reads the PodLogOptions kubectl sends', () => {
  assert.deepEqual(parseLogQuery(url('container=web&follow=true&tailLines=10&timestamps=true&previous=true&sinceSeconds=60&limitBytes=500')), {
    container: 'web', follow: true, previous: true, timestamps: true, tailLines: 10, sinceSeconds: 60, limitBytes: 500,
  });
  assert.deepEqual(parseLogQuery(url('')), { container: '', follow: false, previous: false, timestamps: false });
  assert.equal(parseLogQuery(url('sinceTime=2026-01-01T00:00:00Z')).sinceTime, '2026-01-01T00:00:00Z');
});

test('parseLogQuery refuses a non-integer or negative tailLines with BadRequest', () => {
  assert.throws(() => parseLogQuery(url('tailLines=x')), (e) => e instanceof StatusError && e.code === 400);
  assert.throws(() => parseLogQuery(url('tailLines=-2')), (e) => e instanceof StatusError && e.code === 400);
});

test('tailLines keeps the last n lines and their newlines', () => {
  assert.equal(tailLines('a\nb\nc\n', 2), 'b\nc\n');
  assert.equal(tailLines('a\nb\nc', 1), 'c');
  assert.equal(tailLines('a\nb\n', 5), 'a\nb\n');
  assert.equal(tailLines('a\nb\n', 0), '');
  assert.equal(tailLines('a\nb\n', undefined), 'a\nb\n');
  assert.equal(tailLines('', 3), '');
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ port: number; server: Server }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, server };
}

test('a followed log sends its headers before the first line, then each line as it comes', async () => {
  const lines = new AsyncQueue<string>();
  const { port, server } = await serve((_req, res) => void streamLogs(res, lines, { follow: true }));
  try {
    const req = get({ host: '127.0.0.1', port, path: '/' });
    // The response starts although no line exists yet: the headers were flushed.
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    assert.equal(res.headers['content-type'], 'text/plain');
    res.setEncoding('utf8');
    lines.push('one');
    assert.equal((await once(res, 'data'))[0], 'one\n');
    lines.push('two\n');
    assert.equal((await once(res, 'data'))[0], 'two\n');
    lines.end();
    await once(res, 'end');
  } finally {
    server.close();
    await once(server, 'close');
  }
});

test('when the client leaves a followed log, streamLogs stops waiting for lines', async () => {
  const lines = new AsyncQueue<string>();
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const { port, server } = await serve((_req, res) => void streamLogs(res, lines, { follow: true }).then(finished));
  try {
    const req = get({ host: '127.0.0.1', port, path: '/' });
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.destroy();
    await done;
    assert.ok(lines.ended, 'the source was told to stop');
  } finally {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});
