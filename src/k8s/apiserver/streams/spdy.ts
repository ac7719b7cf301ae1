/** The server side of a SPDY/3.1 connection as kubectl's spdystream client uses it: accepts client streams, replies, relays data, echoes PINGs. */
import { HeaderDeflater, HeaderInflater } from './header-zlib.ts';
import {
  GoAwayStatus, RstStatus, SpdyFrameParser, SpdyProtocolError, decodeHeaderBlock, encodeFrame, encodeHeaderBlock,
  type SpdyFrame,
} from './spdy-frames.ts';

/** Where the session's bytes go: a TLS socket, or a WebSocket carrying the SPDY byte stream. */
export interface ByteTransport {
  write(data: Buffer): void;
  /** Closes the transport once everything written has gone out. */
  end(): void;
}

/** Why a stream stopped delivering data: the peer's FIN, the peer's RST_STREAM, or the whole connection went away. */
export type StreamEnd = 'fin' | 'reset' | 'closed';

/** DATA frames are cut to this size; spdystream reads any length, but small frames keep streams interleaved. */
const DATA_CHUNK = 32 * 1024;

/** One client-initiated stream. Data that arrives before onData is set is kept for it. */
export class SpdyStream {
  private dataFn: ((d: Buffer) => void) | undefined;
  private endFns: ((why: StreamEnd) => void)[] = [];
  private early: Buffer[] = [];
  private ended: StreamEnd | undefined;
  private localClosed = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    /** Lower-case header names. */
    readonly headers: ReadonlyMap<string, string>,
  ) {}

  /** Sends `data` as DATA frames (nothing once this side has ended or the stream was reset). */
  write(data: Buffer | string): void {
    if (this.localClosed) return;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let at = 0; at < buf.length; at += DATA_CHUNK) {
      this.session.send({ type: 'data', streamId: this.id, fin: false, data: buf.subarray(at, at + DATA_CHUNK) });
    }
  }

  /** Half-closes: an empty DATA frame with FIN. */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.send({ type: 'data', streamId: this.id, fin: true, data: Buffer.alloc(0) });
    this.session.forgetIfDone(this);
  }

  /** Abandons the stream in both directions (RST_STREAM). */
  reset(status: number = RstStatus.CANCEL): void {
    if (!this.localClosed) this.session.send({ type: 'rst_stream', streamId: this.id, status });
    this.localClosed = true;
    this.remoteEnd('reset');
  }

  onData(fn: (d: Buffer) => void): void {
    this.dataFn = fn;
    const early = this.early;
    this.early = [];
    for (const d of early) fn(d);
    this.fireEnd();
  }

  /** Called once, after the last data has been handed to onData (at once if that has happened). */
  onEnd(fn: (why: StreamEnd) => void): void {
    this.endFns.push(fn);
    this.fireEnd();
  }

  get isLocalClosed(): boolean {
    return this.localClosed;
  }

  get isRemoteEnded(): boolean {
    return this.ended !== undefined;
  }

  /** @internal Data from the peer. */
  deliver(data: Buffer): void {
    if (this.ended || data.length === 0) return;
    if (this.dataFn) this.dataFn(data);
    else this.early.push(data);
  }

  /** @internal The peer will send nothing more. */
  remoteEnd(why: StreamEnd): void {
    if (this.ended) return;
    this.ended = why;
    // A reset or a dead connection also ends this side: nothing written now could arrive.
    if (why !== 'fin') this.localClosed = true;
    this.fireEnd();
    this.session.forgetIfDone(this);
  }

  /** The end is announced only once data kept for a late onData has been handed over. */
  private fireEnd(): void {
    if (!this.ended || (this.early.length && !this.dataFn)) return;
    const why = this.ended;
    const fns = this.endFns;
    this.endFns = [];
    for (const fn of fns) fn(why);
  }
}

/**
 * A server-side SPDY/3.1 session. Bytes from the peer go in through `receive`; every stream the
 * peer opens is answered with an empty SYN_REPLY (spdystream's CreateStream waits for it) and
 * handed to `onStream`. Frames are handled strictly in order, since header blocks share one
 * zlib context and a stream's data must not overtake its SYN_STREAM.
 */
export class SpdySession {
  private readonly parser = new SpdyFrameParser();
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly closeFns: (() => void)[] = [];
  private inbox: SpdyFrame[] = [];
  private busy = false;
  private outbox: (Buffer | Promise<Buffer>)[] = [];
  private awaitingOut = false;
  private endRequested = false;
  private lastPeerStream = 0;
  private closed = false;
  private peerGoneAway = false;

  constructor(
    private readonly transport: ByteTransport,
    private readonly onStream: (s: SpdyStream) => void,
  ) {}

  /** Bytes from the peer. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      this.fail(e);
      return;
    }
    for (const f of frames) this.inbox.push(f);
    this.pump();
  }

  /** The transport is gone: every stream ends, nothing more is sent. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.inflater.close();
    this.deflater.close();
    for (const s of [...this.streams.values()]) s.remoteEnd('closed');
    this.streams.clear();
    const fns = this.closeFns.splice(0);
    for (const fn of fns) fn();
  }

  /** Says goodbye (GOAWAY) and closes the transport after what is queued. */
  close(status: number = GoAwayStatus.OK): void {
    if (this.closed) return;
    this.send({ type: 'goaway', lastGoodStreamId: this.lastPeerStream, status });
    this.enqueueEnd();
  }

  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closeFns.push(fn);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The peer sent GOAWAY: it will open no more streams. */
  get goneAway(): boolean {
    return this.peerGoneAway;
  }

  /** @internal Queues a frame behind anything still being compressed. */
  send(frame: SpdyFrame): void {
    if (this.closed) return;
    this.outbox.push(encodeFrame(frame));
    this.flushOut();
  }

  /** @internal Drops a stream once neither side will use it again. */
  forgetIfDone(s: SpdyStream): void {
    if (s.isLocalClosed && s.isRemoteEnded) this.streams.delete(s.id);
  }

  private sendReply(streamId: number): void {
    const frame = this.deflater.compress(encodeHeaderBlock([])).then((b) => encodeFrame({ type: 'syn_reply', streamId, fin: false, headerBlock: b }));
    // Once the session has closed nobody awaits this; a failure then must not go unhandled.
    frame.catch(() => undefined);
    this.outbox.push(frame);
    this.flushOut();
  }

  private enqueueEnd(): void {
    this.endRequested = true;
    this.flushOut();
  }

  private flushOut(): void {
    while (this.outbox.length && !this.closed) {
      const head = this.outbox[0];
      if (head instanceof Promise) {
        if (this.awaitingOut) return;
        this.awaitingOut = true;
        head.then((b) => {
          this.awaitingOut = false;
          this.outbox[0] = b;
          this.flushOut();
        }, (e: unknown) => this.fail(e));
        return;
      }
      this.outbox.shift();
      this.transport.write(head);
    }
    if (this.endRequested && this.outbox.length === 0 && !this.closed) {
      this.transport.end();
      this.transportClosed();
    }
  }

  private pump(): void {
    if (this.busy) return;
    while (this.inbox.length && !this.closed) {
      const frame = this.inbox.shift() as SpdyFrame;
      const pending = this.handle(frame);
      if (pending) {
        this.busy = true;
        pending.then(() => {
          this.busy = false;
          this.pump();
        }, (e: unknown) => this.fail(e));
        return;
      }
    }
  }

  /** Handles one frame; returns a promise when it had to wait for zlib. */
  private handle(f: SpdyFrame): Promise<void> | undefined {
    switch (f.type) {
      case 'syn_stream':
        return this.inflater.decompress(f.headerBlock).then((raw) => this.openStream(f.streamId, decodeHeaderBlock(raw), f.fin));
      case 'syn_reply':
      case 'headers':
        // A server opens no streams, so these carry nothing for us; they still pass through
        // the inflater, whose context every header block of the connection shares.
        return this.inflater.decompress(f.headerBlock).then(() => undefined);
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) {
          // Data for a stream already forgotten (reset by us, say) is dropped, not an error.
          return undefined;
        }
        s.deliver(f.data);
        if (f.fin) s.remoteEnd('fin');
        return undefined;
      }
      case 'rst_stream':
        this.streams.get(f.streamId)?.remoteEnd('reset');
        this.streams.delete(f.streamId);
        return undefined;
      case 'ping':
        // Client PINGs carry odd ids; ours would be even, and we send none.
        if (f.id % 2 === 1) this.send({ type: 'ping', id: f.id });
        return undefined;
      case 'goaway':
        this.peerGoneAway = true;
        return undefined;
      case 'settings':
      case 'window_update':
      case 'unknown':
        // kubectl sends no SETTINGS and enforces no flow-control window, so neither do we.
        return undefined;
    }
  }

  private openStream(id: number, headers: Map<string, string>, fin: boolean): void {
    if (this.closed) return;
    if (id % 2 === 0 || id <= this.lastPeerStream) {
      // Client streams are odd and increasing (draft 3 §2.3.2).
      this.send({ type: 'rst_stream', streamId: id, status: RstStatus.PROTOCOL_ERROR });
      return;
    }
    this.lastPeerStream = id;
    const s = new SpdyStream(this, id, headers);
    this.streams.set(id, s);
    this.sendReply(id);
    if (fin) s.remoteEnd('fin');
    this.onStream(s);
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    const status = e instanceof SpdyProtocolError ? GoAwayStatus.PROTOCOL_ERROR : GoAwayStatus.INTERNAL_ERROR;
    // Whatever is queued may be waiting on a broken zlib context; say goodbye directly.
    this.outbox = [];
    this.transport.write(encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastPeerStream, status }));
    this.transport.end();
    this.transportClosed();
  }
}
