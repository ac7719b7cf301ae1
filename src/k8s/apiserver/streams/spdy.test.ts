import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderDeflater, HeaderInflater } from './header-zlib.ts';
import { SpdySession, type SpdyStream, type StreamEnd } from './spdy.ts';
import { SpdyFrameParser, decodeHeaderBlock, encodeFrame, encodeHeaderBlock, type SpdyFrame } from './spdy-frames.ts';

/** Plays kubectl's side: compresses its SYN_STREAM headers, reads the session's frames as they come. */
class Client {
  readonly deflater = new HeaderDeflater();
  readonly inflater = new HeaderInflater();
  readonly parser = new SpdyFrameParser();
  readonly frames: SpdyFrame[] = [];
  readonly streams: SpdyStream[] = [];
  transportEnded = false;
  private waiters: { pred: (f: SpdyFrame) => boolean; resolve: (f: SpdyFrame) => void }[] = [];
  private endWaiters: (() => void)[] = [];
  readonly session: SpdySession;

  constructor(onStream?: (s: SpdyStream) => void) {
    this.session = new SpdySession({
      write: (b) => {
        for (const f of this.parser.push(b)) {
          this.frames.push(f);
          for (const w of [...this.waiters]) {
            if (w.pred(f)) {
              this.waiters.splice(this.waiters.indexOf(w), 1);
              w.resolve(f);
              break;
            }
          }
        }
      },
      end: () => {
        this.transportEnded = true;
        for (const w of this.endWaiters.splice(0)) w();
      },
    }, (s) => {
      this.streams.push(s);
      onStream?.(s);
    });
  }

  async open(id: number, headers: [string, string][], fin = false): Promise<void> {
    const headerBlock = await this.deflater.compress(encodeHeaderBlock(headers));
    this.session.receive(encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, slot: 0, fin, unidirectional: false, headerBlock }));
  }

  send(f: SpdyFrame): void {
    this.session.receive(encodeFrame(f));
  }

  /** The first frame (already received or still to come) that matches. */
  frame<T extends SpdyFrame['type']>(type: T, pred: (f: Extract<SpdyFrame, { type: T }>) => boolean = () => true): Promise<Extract<SpdyFrame, { type: T }>> {
    const match = (f: SpdyFrame): boolean => f.type === type && pred(f as Extract<SpdyFrame, { type: T }>);
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen as Extract<SpdyFrame, { type: T }>);
    return new Promise((resolve) => this.waiters.push({ pred: match, resolve: resolve as (f: SpdyFrame) => void }));
  }

  ended(): Promise<void> {
    return this.transportEnded ? Promise.resolve() : new Promise((resolve) => this.endWaiters.push(resolve));
  }

  close(): void {
    this.session.transportClosed();
    this.deflater.close();
    this.inflater.close();
  }
}

function collect(s: SpdyStream): { data: () => string; end: Promise<StreamEnd> } {
  let text = '';
  s.onData((d) => (text += d.toString()));
  return { data: () => text, end: new Promise((resolve) => s.onEnd(resolve)) };
}

test('a SYN_STREAM is answered with an empty SYN_REPLY and handed over with its headers', async () => {
  const c = new Client();
  try {
    await c.open(1, [['streamtype', 'error'], ['port', '80'], ['requestid', '0']]);
    const reply = await c.frame('syn_reply');
    assert.equal(reply.streamId, 1);
    assert.equal(reply.fin, false);
    assert.deepEqual(decodeHeaderBlock(await c.inflater.decompress(reply.headerBlock)).size, 0);
    assert.equal(c.streams.length, 1);
    assert.deepEqual([...c.streams[0].headers], [['streamtype', 'error'], ['port', '80'], ['requestid', '0']]);
  } finally {
    c.close();
  }
});

test('replies to several streams decode in order with one inflate context', async () => {
  const c = new Client();
  try {
    for (const id of [1, 3, 5, 7]) await c.open(id, [['streamtype', 'data'], ['requestid', String(id)]]);
    for (const id of [1, 3, 5, 7]) {
      const reply = await c.frame('syn_reply', (f) => f.streamId === id);
      assert.equal(decodeHeaderBlock(await c.inflater.decompress(reply.headerBlock)).size, 0);
    }
  } finally {
    c.close();
  }
});

test('data flows both ways and FIN ends each direction', async () => {
  const c = new Client((s) => {
    // An echo: whatever arrives goes back, and the peer's FIN is answered with ours.
    s.onData((d) => s.write(d));
    s.onEnd(() => s.end());
  });
  try {
    await c.open(1, [['streamtype', 'data']]);
    c.send({ type: 'data', streamId: 1, fin: false, data: Buffer.from('ping ') });
    c.send({ type: 'data', streamId: 1, fin: true, data: Buffer.from('pong') });
    await c.frame('data', (f) => f.fin);
    const data = c.frames.filter((f): f is Extract<SpdyFrame, { type: 'data' }> => f.type === 'data');
    assert.equal(Buffer.concat(data.map((f) => f.data)).toString(), 'ping pong');
    assert.ok(c.frames.findIndex((f) => f.type === 'syn_reply') < c.frames.findIndex((f) => f.type === 'data'), 'the reply precedes the data');
  } finally {
    c.close();
  }
});

test('data that arrives before onData is kept, and the end is announced after it', async () => {
  const c = new Client();
  try {
    await c.open(1, [['streamtype', 'stdin']]);
    c.send({ type: 'data', streamId: 1, fin: false, data: Buffer.from('early ') });
    c.send({ type: 'data', streamId: 1, fin: true, data: Buffer.from('bytes') });
    await c.frame('syn_reply');
    const got = collect(c.streams[0]);
    assert.equal(await got.end, 'fin');
    assert.equal(got.data(), 'early bytes');
  } finally {
    c.close();
  }
});

test('a write is cut into DATA frames of at most 32 KiB', async () => {
  const c = new Client((s) => {
    s.write(Buffer.alloc(100 * 1024, 1));
    s.end();
  });
  try {
    await c.open(1, [['streamtype', 'stdout']]);
    await c.frame('data', (f) => f.fin);
    const sizes = c.frames.flatMap((f) => (f.type === 'data' ? [f.data.length] : []));
    assert.deepEqual(sizes, [32768, 32768, 32768, 4096, 0]);
  } finally {
    c.close();
  }
});

test('client PINGs (odd ids) are echoed; even ids would be our own and are not', async () => {
  const c = new Client();
  try {
    c.send({ type: 'ping', id: 2 });
    c.send({ type: 'ping', id: 1 });
    assert.equal((await c.frame('ping')).id, 1);
    assert.equal(c.frames.filter((f) => f.type === 'ping').length, 1);
  } finally {
    c.close();
  }
});

test('RST_STREAM from the client ends the stream as reset, and later writes send nothing', async () => {
  let stream: SpdyStream | undefined;
  const c = new Client((s) => (stream = s));
  try {
    await c.open(1, [['streamtype', 'data']]);
    await c.frame('syn_reply');
    assert.ok(stream);
    const got = collect(stream);
    c.send({ type: 'rst_stream', streamId: 1, status: 5 });
    assert.equal(await got.end, 'reset');
    stream.write('after reset');
    stream.end();
    c.send({ type: 'ping', id: 3 });
    await c.frame('ping');
    assert.equal(c.frames.filter((f) => f.type === 'data').length, 0);
  } finally {
    c.close();
  }
});

test('reset() sends RST_STREAM with CANCEL', async () => {
  const c = new Client((s) => s.reset());
  try {
    await c.open(1, [['streamtype', 'bogus']]);
    const rst = await c.frame('rst_stream');
    assert.deepEqual([rst.streamId, rst.status], [1, 5]);
  } finally {
    c.close();
  }
});

test('an even or non-increasing client stream id is refused with RST_STREAM(PROTOCOL_ERROR)', async () => {
  const c = new Client();
  try {
    await c.open(2, [['streamtype', 'data']]);
    assert.deepEqual(await c.frame('rst_stream'), { type: 'rst_stream', streamId: 2, status: 1 });
    await c.open(5, [['streamtype', 'data']]);
    await c.open(3, [['streamtype', 'data']]);
    assert.deepEqual(await c.frame('rst_stream', (f) => f.streamId === 3), { type: 'rst_stream', streamId: 3, status: 1 });
    assert.equal(c.streams.length, 1);
  } finally {
    c.close();
  }
});

test('a malformed byte stream gets GOAWAY(PROTOCOL_ERROR) and the transport is closed', async () => {
  const c = new Client();
  try {
    c.session.receive(Buffer.from('8002000600000004000000ff', 'hex'));
    const goaway = await c.frame('goaway');
    assert.equal(goaway.status, 1);
    await c.ended();
    assert.ok(c.session.isClosed);
  } finally {
    c.close();
  }
});

test('when the transport goes, open streams end as closed and onClose runs', async () => {
  let stream: SpdyStream | undefined;
  const c = new Client((s) => (stream = s));
  const closed = new Promise<void>((resolve) => c.session.onClose(resolve));
  await c.open(1, [['streamtype', 'data']]);
  await c.frame('syn_reply');
  assert.ok(stream);
  const got = collect(stream);
  c.close();
  assert.equal(await got.end, 'closed');
  await closed;
});

test('close() sends GOAWAY naming the last client stream, then ends the transport', async () => {
  const c = new Client();
  try {
    await c.open(1, [['streamtype', 'error']]);
    await c.open(3, [['streamtype', 'data']]);
    await c.frame('syn_reply', (f) => f.streamId === 3);
    c.session.close();
    await c.ended();
    assert.deepEqual(c.frames.at(-1), { type: 'goaway', lastGoodStreamId: 3, status: 0 });
  } finally {
    c.close();
  }
});

test('SETTINGS, WINDOW_UPDATE and unknown control frames are ignored', async () => {
  const c = new Client();
  try {
    c.send({ type: 'settings', clear: false, entries: [{ id: 7, flags: 0, value: 65536 }] });
    c.send({ type: 'window_update', streamId: 0, delta: 1000 });
    c.send({ type: 'unknown', controlType: 10, flags: 0, payload: Buffer.alloc(4) });
    c.send({ type: 'ping', id: 1 });
    await c.frame('ping');
    assert.deepEqual(c.frames.map((f) => f.type), ['ping']);
  } finally {
    c.close();
  }
});

test('closing the transport while replies are being compressed fails nothing later', async () => {
  const c = new Client();
  const headerBlock = await c.deflater.compress(encodeHeaderBlock([['streamtype', 'data']]));
  c.session.receive(encodeFrame({ type: 'syn_stream', streamId: 1, associatedId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock }));
  c.close();
  // A frame after the close is ignored rather than thrown at.
  c.send({ type: 'ping', id: 1 });
  assert.ok(c.session.isClosed);
  assert.deepEqual(c.frames, []);
});
