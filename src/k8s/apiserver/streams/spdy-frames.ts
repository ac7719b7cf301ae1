/** SPDY/3.1 wire format (draft-mbelshe-httpbis-spdy-00): frames to bytes, a byte stream back to frames, and uncompressed header blocks. */

export const SPDY_VERSION = 3;

/** Control frame types. */
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const FLAG_SETTINGS_CLEAR = 0x01;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

/** The 24-bit length field bounds every frame's payload. */
export const MAX_PAYLOAD = 0xffffff;
const HEADER_LEN = 8;
const STREAM_ID_MASK = 0x7fffffff;

export interface SettingsEntry { id: number; flags: number; value: number }

/** One frame. Header blocks stay compressed here: only the session owns the zlib contexts. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; slot: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: SettingsEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  /** A control frame this implementation does not act on (CREDENTIAL, NOOP, future types): skipped, as the spec asks. */
  | { type: 'unknown'; controlType: number; flags: number; payload: Buffer };

/** A malformed byte stream; the session answers it with GOAWAY(PROTOCOL_ERROR). */
export class SpdyProtocolError extends Error {}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`SPDY frame payload of ${payload.length} bytes exceeds 24 bits`);
  const head = Buffer.alloc(HEADER_LEN);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(payload.length, 4);
  head[4] = flags;
  return Buffer.concat([head, payload]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** The bytes of one frame. */
export function encodeFrame(f: SpdyFrame): Buffer {
  switch (f.type) {
    case 'data': {
      if (f.data.length > MAX_PAYLOAD) throw new RangeError(`SPDY frame payload of ${f.data.length} bytes exceeds 24 bits`);
      const head = Buffer.alloc(HEADER_LEN);
      head.writeUInt32BE(f.streamId & STREAM_ID_MASK, 0);
      head.writeUInt32BE(f.data.length, 4);
      head[4] = f.fin ? FLAG_FIN : 0;
      return Buffer.concat([head, f.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & STREAM_ID_MASK, 0);
      fixed.writeUInt32BE(f.associatedId & STREAM_ID_MASK, 4);
      fixed[8] = (f.priority & 0x7) << 5;
      fixed[9] = f.slot;
      return control(SYN_STREAM, (f.fin ? FLAG_FIN : 0) | (f.unidirectional ? FLAG_UNIDIRECTIONAL : 0), Buffer.concat([fixed, f.headerBlock]));
    }
    case 'syn_reply':
      return control(SYN_REPLY, f.fin ? FLAG_FIN : 0, Buffer.concat([u32s(f.streamId & STREAM_ID_MASK), f.headerBlock]));
    case 'headers':
      return control(HEADERS, f.fin ? FLAG_FIN : 0, Buffer.concat([u32s(f.streamId & STREAM_ID_MASK), f.headerBlock]));
    case 'rst_stream':
      return control(RST_STREAM, 0, u32s(f.streamId & STREAM_ID_MASK, f.status));
    case 'settings': {
      const body = Buffer.alloc(4 + 8 * f.entries.length);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        // 8-bit flags, then a 24-bit id, then the 32-bit value.
        body.writeUInt32BE(((e.flags & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 4 + 8 * i);
        body.writeUInt32BE(e.value >>> 0, 8 + 8 * i);
      });
      return control(SETTINGS, f.clear ? FLAG_SETTINGS_CLEAR : 0, body);
    }
    case 'ping':
      return control(PING, 0, u32s(f.id));
    case 'goaway':
      return control(GOAWAY, 0, u32s(f.lastGoodStreamId & STREAM_ID_MASK, f.status));
    case 'window_update':
      return control(WINDOW_UPDATE, 0, u32s(f.streamId & STREAM_ID_MASK, f.delta & STREAM_ID_MASK));
    case 'unknown':
      return control(f.controlType, f.flags, f.payload);
  }
}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame of ${payload.length} bytes is too short`);
}

function decodeControl(type: number, flags: number, p: Buffer): SpdyFrame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case SYN_STREAM:
      need(p, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, associatedId: p.readUInt32BE(4) & STREAM_ID_MASK,
        priority: p[8] >> 5, slot: p[9], fin, unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0, headerBlock: p.subarray(10),
      };
    case SYN_REPLY:
      need(p, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, fin, headerBlock: p.subarray(4) };
    case HEADERS:
      need(p, 4, 'HEADERS');
      return { type: 'headers', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, fin, headerBlock: p.subarray(4) };
    case RST_STREAM:
      need(p, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, status: p.readUInt32BE(4) };
    case SETTINGS: {
      need(p, 4, 'SETTINGS');
      const n = p.readUInt32BE(0);
      need(p, 4 + 8 * n, 'SETTINGS');
      const entries: SettingsEntry[] = [];
      for (let i = 0; i < n; i++) {
        const word = p.readUInt32BE(4 + 8 * i);
        entries.push({ flags: word >>> 24, id: word & 0xffffff, value: p.readUInt32BE(8 + 8 * i) });
      }
      return { type: 'settings', clear: (flags & FLAG_SETTINGS_CLEAR) !== 0, entries };
    }
    case PING:
      need(p, 4, 'PING');
      return { type: 'ping', id: p.readUInt32BE(0) };
    case GOAWAY:
      need(p, 4, 'GOAWAY');
      // SPDY/2 GOAWAY had no status; tolerate its absence.
      return { type: 'goaway', lastGoodStreamId: p.readUInt32BE(0) & STREAM_ID_MASK, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case WINDOW_UPDATE:
      need(p, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, delta: p.readUInt32BE(4) & STREAM_ID_MASK };
    default:
      return { type: 'unknown', controlType: type, flags, payload: p };
  }
}

/** Cuts a byte stream (which arrives in arbitrary pieces) into frames. */
export class SpdyFrameParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Appends `chunk`; returns every frame now complete. Throws SpdyProtocolError on a bad version. */
  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const frames: SpdyFrame[] = [];
    while (this.pendingBytes >= HEADER_LEN) {
      const head = this.peek(HEADER_LEN);
      const length = head.readUInt32BE(4) & 0xffffff;
      if (this.pendingBytes < HEADER_LEN + length) break;
      const frame = this.take(HEADER_LEN + length);
      const flags = frame[4];
      const payload = frame.subarray(HEADER_LEN);
      if (frame[0] & 0x80) {
        const version = frame.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(decodeControl(frame.readUInt16BE(2), flags, payload));
      } else {
        frames.push({ type: 'data', streamId: frame.readUInt32BE(0) & STREAM_ID_MASK, fin: (flags & FLAG_FIN) !== 0, data: payload });
      }
    }
    return frames;
  }

  /** Bytes received that do not yet make a whole frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  private peek(n: number): Buffer {
    if (this.pending[0].length < n) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.pending[0].length < n) this.pending = [Buffer.concat(this.pending)];
    const first = this.pending[0];
    const out = first.subarray(0, n);
    if (first.length === n) this.pending.shift();
    else this.pending[0] = first.subarray(n);
    this.pendingBytes -= n;
    return out;
  }
}

/**
 * An uncompressed SPDY/3 header block: a 32-bit pair count, then 32-bit-length-prefixed names
 * and values. Names are lower-case; several values of one name are joined by NUL.
 */
export function encodeHeaderBlock(headers: Iterable<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  let n = 0;
  for (const [name, value] of headers) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      parts.push(u32s(b.length), b);
    }
    n++;
  }
  return Buffer.concat([u32s(n), ...parts]);
}

/** The pairs of an uncompressed header block; throws SpdyProtocolError when it is truncated. */
export function decodeHeaderBlock(raw: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  const u32 = (): number => {
    if (at + 4 > raw.length) throw new SpdyProtocolError('truncated header block');
    const v = raw.readUInt32BE(at);
    at += 4;
    return v;
  };
  const str = (): string => {
    const len = u32();
    if (at + len > raw.length) throw new SpdyProtocolError('truncated header block');
    const s = raw.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = str();
    out.set(name.toLowerCase(), str());
  }
  return out;
}
