/**
 * A small RFC 6455 WebSocket client for kubectl's streams. The `ws` package refuses subprotocol
 * names with a slash, and kubectl's port-forward offers `SPDY/3.1+portforward.k8s.io`, so the
 * handshake and the (masked) framing are done here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The reply of a server that did not switch protocols: its status and body. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`unexpected status ${status}`);
  }
}

export class WsClient {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private messageFns: ((m: Buffer) => void)[] = [];
  private closeFns: (() => void)[] = [];
  private closed = false;

  constructor(private readonly socket: Duplex, head: Buffer, readonly protocol: string) {
    socket.on('data', (d: Buffer) => this.receive(d));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
    if (head.length) this.receive(head);
  }

  /** Opens a WebSocket to `path` with the TLS options and headers of the request. */
  static open(opts: RequestOptions & { https: boolean; path: string }, protocol: string): Promise<WsClient> {
    const key = randomBytes(16).toString('base64');
    const { https, ...rest } = opts;
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)({
        ...rest, method: 'GET',
        headers: { ...rest.headers, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Protocol': protocol },
      });
      req.on('upgrade', (res, socket, head) => {
        const accept = createHash('sha1').update(key + GUID).digest('base64');
        if (res.headers['sec-websocket-accept'] !== accept) {
          socket.destroy();
          return reject(new Error('invalid Sec-WebSocket-Accept'));
        }
        resolve(new WsClient(socket, head, String(res.headers['sec-websocket-protocol'] ?? '')));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      });
      req.on('error', reject);
      req.end();
    });
  }

  onMessage(fn: (m: Buffer) => void): void {
    this.messageFns.push(fn);
  }

  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closeFns.push(fn);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends one binary message (masked, as a client must). */
  send(data: Buffer): void {
    this.frame(0x2, data);
  }

  /** Starts the closing handshake (code 1000). */
  close(): void {
    if (this.closed) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(1000, 0);
    this.frame(0x8, body);
    this.socket.end();
  }

  private frame(opcode: number, data: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    const len = data.length;
    const head: number[] = [0x80 | opcode];
    if (len < 126) head.push(0x80 | len);
    else if (len < 65536) head.push(0x80 | 126, len >> 8, len & 255);
    else head.push(0x80 | 127, 0, 0, 0, 0, (len >>> 24) & 255, (len >>> 16) & 255, (len >>> 8) & 255, len & 255);
    const mask = randomBytes(4);
    const masked = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) masked[i] = data[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([Buffer.from(head), mask, masked]));
  }

  private receive(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      if (this.buf.length < 2) return;
      const b0 = this.buf[0];
      const b1 = this.buf[1];
      let len = b1 & 0x7f;
      let at = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        at = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const maskAt = at;
      if (masked) at += 4;
      if (this.buf.length < at + len) return;
      let payload = this.buf.subarray(at, at + len);
      if (masked) {
        const m = this.buf.subarray(maskAt, maskAt + 4);
        payload = Buffer.from(payload.map((x, i) => x ^ m[i & 3]));
      }
      this.buf = this.buf.subarray(at + len);
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      if (opcode === 0x8) {
        this.close();
        this.finish();
        return;
      }
      if (opcode === 0x9) {
        this.frame(0xa, payload);
        continue;
      }
      if (opcode === 0xa) continue;
      this.fragments.push(Buffer.from(payload));
      if (fin) {
        const msg = Buffer.concat(this.fragments);
        this.fragments = [];
        for (const fn of this.messageFns) fn(msg);
      }
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    for (const fn of this.closeFns) fn();
  }
}
