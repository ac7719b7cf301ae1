/** SPDY/3 header-block compression: one zlib context per direction, primed with the SPDY dictionary, flushed with Z_SYNC_FLUSH per block. */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts';

/** Decompressed header blocks above this size are refused (a small block can inflate enormously). */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * Feeds blocks through one long-lived zlib stream, one at a time. A SPDY connection's header
 * blocks form a single zlib stream, so each block must be processed after the previous one and
 * with the same context; Node has no synchronous streaming zlib, hence the promise chain.
 */
class SyncFlushedContext {
  private chain: Promise<unknown> = Promise.resolve();
  private out: Buffer[] = [];
  private outBytes = 0;
  private failure: Error | undefined;

  constructor(private readonly z: Inflate | Deflate) {
    // Reading on 'readable' keeps zlib from stalling on a full buffer before the flush completes.
    z.on('readable', () => this.drain());
    z.on('error', (e: Error) => (this.failure ??= e));
  }

  private drain(): void {
    let chunk: Buffer | null;
    while ((chunk = this.z.read() as Buffer | null) !== null) {
      this.out.push(chunk);
      this.outBytes += chunk.length;
      if (this.outBytes > MAX_HEADER_BYTES) this.z.destroy(new Error(`SPDY header block larger than ${MAX_HEADER_BYTES} bytes`));
    }
  }

  run(input: Buffer): Promise<Buffer> {
    const result = this.chain.then(() => new Promise<Buffer>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      let settled = false;
      const onError = (e: Error): void => {
        if (!settled) { settled = true; reject(e); }
      };
      this.z.once('error', onError);
      this.z.write(input);
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.z.off('error', onError);
        this.drain();
        const out = Buffer.concat(this.out);
        this.out = [];
        this.outBytes = 0;
        if (settled) return;
        settled = true;
        if (this.failure) reject(this.failure);
        else resolve(out);
      });
    }));
    this.chain = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.z.destroy();
  }
}

/** Compresses the header blocks this side sends. */
export class HeaderDeflater {
  private readonly ctx = new SyncFlushedContext(createDeflate({ dictionary: SPDY3_DICTIONARY }));
  compress(raw: Buffer): Promise<Buffer> {
    return this.ctx.run(raw);
  }
  close(): void {
    this.ctx.close();
  }
}

/** Decompresses the header blocks the peer sends. */
export class HeaderInflater {
  private readonly ctx = new SyncFlushedContext(createInflate({ dictionary: SPDY3_DICTIONARY }));
  decompress(compressed: Buffer): Promise<Buffer> {
    return this.ctx.run(compressed);
  }
  close(): void {
    this.ctx.close();
  }
}
