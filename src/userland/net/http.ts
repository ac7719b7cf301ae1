/**
 * HTTP/1.x on byte streams, for curl and the small servers podlab runs in pods: an incremental
 * response parser (status line, headers, a body delimited by Content-Length, chunked encoding or
 * the end of the connection) and an incremental request parser for servers.
 */
import { concat, text } from './common.ts';

export interface HttpResponse {
  /** The status line and header lines exactly as received (without their CRLF). */
  statusLine: string;
  headerLines: string[];
  version: string;
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
}

const CRLFCRLF = [13, 10, 13, 10];

/** Where the blank line ending a header block starts, accepting bare LF as curl does. */
function headerEnd(buf: Uint8Array): { at: number; len: number } | undefined {
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10 && buf[i + 1] === 10) return { at: i, len: 2 };
    if (CRLFCRLF.every((b, k) => buf[i + k] === b)) return { at: i, len: 4 };
  }
  return undefined;
}

function splitHead(head: string): { first: string; lines: string[]; headers: Map<string, string> } {
  const all = head.split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const l of all.slice(1)) {
    const c = l.indexOf(':');
    if (c > 0) headers.set(l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim());
  }
  return { first: all[0], lines: all.slice(1), headers };
}

/** Feeds a response in as it arrives; `done` once the body is complete. */
export class ResponseParser {
  private buf: Uint8Array = new Uint8Array(0);
  response?: HttpResponse;
  done = false;
  /** Body bytes received so far (what curl's "with N bytes received" counts). */
  received = 0;
  private chunks: Uint8Array[] = [];

  /** `head`: a HEAD request, whose response has no body whatever its headers say. */
  constructor(private readonly head = false) {}

  push(data: Uint8Array): void {
    this.buf = concat([this.buf, data]);
    this.parse();
  }

  /** The connection closed: a body without a length ends here. Returns false if the response is incomplete. */
  end(): boolean {
    if (this.response && !this.done && this.mode() === 'close') {
      this.finish(concat(this.chunks));
      return true;
    }
    return this.done;
  }

  private mode(): 'none' | 'length' | 'chunked' | 'close' {
    const r = this.response!;
    if (this.head || r.status === 204 || r.status === 304 || (r.status >= 100 && r.status < 200)) return 'none';
    if (/chunked/i.test(r.headers.get('transfer-encoding') ?? '')) return 'chunked';
    if (r.headers.has('content-length')) return 'length';
    return 'close';
  }

  private parse(): void {
    if (!this.response) {
      const e = headerEnd(this.buf);
      if (!e) return;
      const head = splitHead(text(this.buf.subarray(0, e.at)));
      const m = /^HTTP\/(\d(?:\.\d)?)\s+(\d{3})/.exec(head.first);
      this.response = { statusLine: head.first, headerLines: head.lines, version: m?.[1] ?? '1.1', status: m ? Number(m[2]) : 0, headers: head.headers, body: new Uint8Array(0) };
      this.buf = this.buf.subarray(e.at + e.len);
    }
    switch (this.mode()) {
      case 'none':
        this.finish(new Uint8Array(0));
        return;
      case 'length': {
        const n = Number(this.response.headers.get('content-length'));
        this.received = Math.min(this.buf.length, n);
        if (this.buf.length >= n) this.finish(this.buf.subarray(0, n));
        return;
      }
      case 'chunked':
        this.parseChunks();
        return;
      case 'close':
        this.chunks.push(this.buf);
        this.received += this.buf.length;
        this.buf = new Uint8Array(0);
        return;
    }
  }

  private parseChunks(): void {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const size = parseInt(text(this.buf.subarray(0, nl)).trim(), 16);
      if (Number.isNaN(size)) return;
      if (size === 0) {
        this.finish(concat(this.chunks));
        return;
      }
      if (this.buf.length < nl + 1 + size + 2) return;
      this.chunks.push(this.buf.subarray(nl + 1, nl + 1 + size));
      this.received += size;
      this.buf = this.buf.subarray(nl + 1 + size + 2);
    }
  }

  private finish(body: Uint8Array): void {
    this.response!.body = body;
    this.received = body.length;
    this.done = true;
  }
}

export interface HttpRequest {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string>;
  body: Uint8Array;
}

/** A server's view: requests off a connection, one after another (keep-alive). */
export class RequestParser {
  private buf: Uint8Array = new Uint8Array(0);

  push(data: Uint8Array): void {
    this.buf = concat([this.buf, data]);
  }

  /** The next complete request, if one has arrived; `bad` for a malformed one. */
  next(): HttpRequest | 'bad' | undefined {
    const e = headerEnd(this.buf);
    if (!e) return undefined;
    const head = splitHead(text(this.buf.subarray(0, e.at)));
    const m = /^(\S+) (\S+) HTTP\/(\d\.\d)$/.exec(head.first);
    if (!m) return 'bad';
    const len = Number(head.headers.get('content-length') ?? 0);
    const start = e.at + e.len;
    if (this.buf.length < start + len) return undefined;
    const body = this.buf.slice(start, start + len);
    this.buf = this.buf.subarray(start + len);
    return { method: m[1], target: m[2], version: m[3], headers: head.headers, body };
  }
}

/** An IMF-fixdate (`Mon, 01 Jan 2024 00:00:00 GMT`), as Date headers carry. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
