/** A client Transport that calls an API handler in process, so `podlab kubectl` can talk to a control plane with no sockets. */
import type { Transport, TransportRequest, TransportResponse } from '../client/client.ts';
import type { ApiHandler, ApiResponse } from './respond.ts';

function lowerHeaders(h: Record<string, string> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function flat(h: ApiResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function toBuffer(b: Buffer | string | undefined): Buffer {
  return b === undefined ? Buffer.alloc(0) : Buffer.isBuffer(b) ? b : Buffer.from(b);
}

export function inProcessTransport(handler: ApiHandler): Transport {
  const call = async (req: TransportRequest, onChunk: ((c: Buffer) => void) | undefined, signal: AbortSignal | undefined): Promise<TransportResponse> => {
    const url = new URL(req.path, 'https://in-process');
    const ac = new AbortController();
    const abort = (): void => ac.abort();
    if (signal?.aborted) ac.abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const res = await handler({ method: req.method, path: url.pathname, query: url.searchParams, headers: lowerHeaders(req.headers), body: toBuffer(req.body), signal: ac.signal });
      const headers = flat(res.headers);
      if (!res.stream) return { status: res.status, headers, body: toBuffer(res.body) };
      // A streamed body: chunks go to `onChunk` as they come (a watch), or are gathered (logs read whole).
      const chunks: Buffer[] = [];
      await res.stream((c) => {
        const b = Buffer.from(c);
        if (onChunk) onChunk(b);
        else chunks.push(b);
      }, ac.signal);
      return { status: res.status, headers, body: Buffer.concat(chunks) };
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  };
  return {
    request: (req) => call(req, undefined, undefined),
    stream: (req, onChunk, signal) => call(req, onChunk, signal),
  };
}
