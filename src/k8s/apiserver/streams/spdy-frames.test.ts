import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { inflateSync, constants } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts';
import { HeaderDeflater, HeaderInflater } from './header-zlib.ts';
import { SpdyFrameParser, SpdyProtocolError, decodeHeaderBlock, encodeFrame, encodeHeaderBlock, type SpdyFrame } from './spdy-frames.ts';

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const byte of b) {
    a = (a + byte) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('the SPDY/3 dictionary is 1423 bytes with the Adler-32 id 0xe3c6a7c2 that zlib headers name', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY3_DICTIONARY), 0xe3c6a7c2);
  assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith('utf-,*,enq=0.'));
});

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
test('the dictionary is byte for byte the one inside the kubectl binary', { skip: existsSync(KUBECTL) ? false : 'no kubectl 1.32 binary' }, () => {
  const bin = readFileSync(KUBECTL);
  const at = bin.indexOf(SPDY3_DICTIONARY.subarray(0, 32));
  assert.ok(at >= 0);
  assert.ok(bin.subarray(at, at + 1423).equals(SPDY3_DICTIONARY));
});

test('control frames have the C bit, version 3, type, flags and a 24-bit length', () => {
  assert.deepEqual(encodeFrame({ type: 'ping', id: 1 }), hex('8003 0006 00 000004 00000001'));
  assert.deepEqual(encodeFrame({ type: 'rst_stream', streamId: 3, status: 5 }), hex('8003 0003 00 000008 00000003 00000005'));
  assert.deepEqual(encodeFrame({ type: 'goaway', lastGoodStreamId: 7, status: 0 }), hex('8003 0007 00 000008 00000007 00000000'));
  assert.deepEqual(encodeFrame({ type: 'window_update', streamId: 1, delta: 65536 }), hex('8003 0009 00 000008 00000001 00010000'));
  assert.deepEqual(encodeFrame({ type: 'syn_reply', streamId: 5, fin: false, headerBlock: hex('aabb') }), hex('8003 0002 00 000006 00000005 aabb'));
  assert.deepEqual(
    encodeFrame({ type: 'syn_stream', streamId: 1, associatedId: 0, priority: 0, slot: 0, fin: true, unidirectional: false, headerBlock: hex('cc') }),
    hex('8003 0001 01 00000b 00000001 00000000 00 00 cc'),
  );
  assert.deepEqual(encodeFrame({ type: 'settings', clear: false, entries: [{ id: 7, flags: 0, value: 65536 }] }), hex('8003 0004 00 00000c 00000001 00000007 00010000'));
});

test('data frames carry a 31-bit stream id, the FIN flag and the payload', () => {
  assert.deepEqual(encodeFrame({ type: 'data', streamId: 3, fin: false, data: Buffer.from('hi') }), hex('00000003 00 000002 6869'));
  assert.deepEqual(encodeFrame({ type: 'data', streamId: 3, fin: true, data: Buffer.alloc(0) }), hex('00000003 01 000000'));
});

test('every frame type survives encode then parse', () => {
  const frames: SpdyFrame[] = [
    { type: 'data', streamId: 9, fin: true, data: Buffer.from('payload') },
    { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 3, slot: 0, fin: false, unidirectional: true, headerBlock: Buffer.from([1, 2, 3]) },
    { type: 'syn_reply', streamId: 1, fin: true, headerBlock: Buffer.from([4]) },
    { type: 'headers', streamId: 1, fin: false, headerBlock: Buffer.from([5, 6]) },
    { type: 'rst_stream', streamId: 1, status: 5 },
    { type: 'settings', clear: true, entries: [{ id: 4, flags: 1, value: 100 }, { id: 7, flags: 0, value: 1 << 20 }] },
    { type: 'ping', id: 0xfffffffe },
    { type: 'goaway', lastGoodStreamId: 11, status: 2 },
    { type: 'window_update', streamId: 3, delta: 1000 },
    { type: 'unknown', controlType: 10, flags: 0, payload: Buffer.from('cred') },
  ];
  const parsed = new SpdyFrameParser().push(Buffer.concat(frames.map(encodeFrame)));
  assert.deepEqual(parsed, frames);
});

test('the parser reassembles frames that arrive one byte at a time', () => {
  const bytes = Buffer.concat([
    encodeFrame({ type: 'ping', id: 1 }),
    encodeFrame({ type: 'data', streamId: 1, fin: false, data: Buffer.alloc(300, 7) }),
  ]);
  const p = new SpdyFrameParser();
  const got: SpdyFrame[] = [];
  for (const byte of bytes) got.push(...p.push(Buffer.from([byte])));
  assert.deepEqual(got.map((f) => f.type), ['ping', 'data']);
  assert.equal(p.buffered, 0);
  const data = got[1] as Extract<SpdyFrame, { type: 'data' }>;
  assert.deepEqual(data.data, Buffer.alloc(300, 7));
});

test('a control frame of another SPDY version is a protocol error', () => {
  assert.throws(() => new SpdyFrameParser().push(hex('8002 0006 00 000004 00000001')), SpdyProtocolError);
});

test('a truncated fixed part is a protocol error, not a crash', () => {
  assert.throws(() => new SpdyFrameParser().push(hex('8003 0003 00 000004 00000001')), SpdyProtocolError);
});

test('a header block is a pair count then length-prefixed lower-case names and values', () => {
  const raw = encodeHeaderBlock([['StreamType', 'error'], ['port', '80']]);
  assert.deepEqual(raw, Buffer.concat([
    hex('00000002'),
    hex('0000000a'), Buffer.from('streamtype'), hex('00000005'), Buffer.from('error'),
    hex('00000004'), Buffer.from('port'), hex('00000002'), Buffer.from('80'),
  ]));
  assert.deepEqual([...decodeHeaderBlock(raw)], [['streamtype', 'error'], ['port', '80']]);
  assert.deepEqual(encodeHeaderBlock([]), hex('00000000'));
  assert.throws(() => decodeHeaderBlock(raw.subarray(0, raw.length - 1)), SpdyProtocolError);
});

test('header blocks share one zlib context per direction, primed with the dictionary and sync-flushed', async () => {
  const deflater = new HeaderDeflater();
  const inflater = new HeaderInflater();
  try {
    const block = encodeHeaderBlock([['streamtype', 'data'], ['port', '80'], ['requestid', '0']]);
    const first = await deflater.compress(block);
    const second = await deflater.compress(block);
    // zlib header with FDICT set, naming the SPDY dictionary by its Adler-32.
    assert.equal(first[0], 0x78);
    assert.ok(first[1] & 0x20);
    assert.equal(first.readUInt32BE(2), 0xe3c6a7c2);
    // Z_SYNC_FLUSH ends each block with an empty stored block.
    assert.deepEqual(first.subarray(-4), hex('0000ffff'));
    // The second block refers back to the first, so it only decodes in the same context.
    assert.ok(second.length < first.length);
    assert.deepEqual(inflateSync(first, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH }), block);
    assert.deepEqual(await inflater.decompress(first), block);
    assert.deepEqual(await inflater.decompress(second), block);
  } finally {
    deflater.close();
    inflater.close();
  }
});

test('compressed blocks queued together come out in order', async () => {
  const deflater = new HeaderDeflater();
  const inflater = new HeaderInflater();
  try {
    const blocks = Array.from({ length: 20 }, (_, i) => encodeHeaderBlock([['streamtype', i % 2 ? 'data' : 'error'], ['requestid', String(i)]]));
    const compressed = await Promise.all(blocks.map((b) => deflater.compress(b)));
    const back = await Promise.all(compressed.map((c) => inflater.decompress(c)));
    assert.deepEqual(back, blocks);
  } finally {
    deflater.close();
    inflater.close();
  }
});

test('a corrupt header block fails the inflater instead of hanging', async () => {
  const inflater = new HeaderInflater();
  try {
    await assert.rejects(inflater.decompress(Buffer.from('not zlib at all')));
  } finally {
    inflater.close();
  }
});
