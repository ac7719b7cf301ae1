/** `kubectl logs`: the PodLogOptions query and a plain-text response, streamed while following. */
import type { ServerResponse } from 'node:http';
import { badRequest } from '../../api/errors.ts';

/** The query of `GET …/pods/{pod}/log` (PodLogOptions). */
export interface LogQuery {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

function bool(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

function int(url: URL, name: string, min: number): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  // The API server refuses these (PodLogOptions validation), kubectl checks them first anyway.
  if (n < min) throw badRequest(`${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

export function parseLogQuery(url: URL): LogQuery {
  const q: LogQuery = {
    container: url.searchParams.get('container') ?? '',
    follow: bool(url, 'follow'),
    previous: bool(url, 'previous'),
    timestamps: bool(url, 'timestamps'),
  };
  const tailLines = int(url, 'tailLines', 0);
  const sinceSeconds = int(url, 'sinceSeconds', 1);
  const limitBytes = int(url, 'limitBytes', 1);
  const sinceTime = url.searchParams.get('sinceTime');
  if (tailLines !== undefined) q.tailLines = tailLines;
  if (sinceSeconds !== undefined) q.sinceSeconds = sinceSeconds;
  if (limitBytes !== undefined) q.limitBytes = limitBytes;
  if (sinceTime) q.sinceTime = sinceTime;
  return q;
}

/** The last `n` lines of `text` (all of it when n is undefined), keeping their newlines. */
export function tailLines(text: string, n: number | undefined): string {
  if (n === undefined) return text;
  if (n === 0) return '';
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  const kept = lines.slice(-n).join('\n');
  return complete && kept ? `${kept}\n` : kept;
}

/**
 * Answers a log request: `text/plain`, then `lines`, each followed by a newline unless it has
 * one. When following, the headers go out at once (Node holds them until the first chunk,
 * and kubectl would wait) and the response ends when `lines` does or the client leaves.
 */
export async function streamLogs(res: ServerResponse, lines: AsyncIterable<string> | string, opts: { follow: boolean }): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
  if (typeof lines === 'string') {
    res.end(lines);
    return;
  }
  if (opts.follow) res.flushHeaders();
  const iterator = lines[Symbol.asyncIterator]();
  // The request's 'close' fires once it has been read; only the response's says the client left.
  // A follower may wait long for its next line, so the wait is raced against the client leaving.
  const gone = new Promise<undefined>((resolve) => res.on('close', () => resolve(undefined)));
  try {
    while (true) {
      const next = await Promise.race([iterator.next(), gone]);
      if (!next || next.done || res.destroyed) break;
      res.write(next.value.endsWith('\n') ? next.value : `${next.value}\n`);
    }
  } finally {
    if (!res.writableEnded) res.end();
    // Lets a generator run its cleanup; for one still waiting this settles later, or never.
    void iterator.return?.()?.catch(() => undefined);
  }
}
