/** Kubernetes' channel framing over WebSocket (v4/v5.channel.k8s.io): each binary message is one channel byte followed by that channel's bytes. */

export const V5_CHANNEL = 'v5.channel.k8s.io';
export const V4_CHANNEL = 'v4.channel.k8s.io';

/** The exec subprotocols served over WebSocket, best first. v5 adds the close signal (channel 255). */
export const EXEC_WEBSOCKET_PROTOCOLS = [V5_CHANNEL, V4_CHANNEL] as const;

export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  /** The exec's final metav1.Status (JSON). */
  error: 3,
  /** Terminal size, `{"Width":80,"Height":24}`. */
  resize: 4,
  /** v5: the payload's one byte names a channel the client will write no more to (0 = stdin EOF). */
  close: 255,
} as const;

/** Messages above this are split: kubectl reads any size, but a huge write should not become one huge frame. */
export const MAX_CHANNEL_PAYLOAD = 32 * 1024;

/** The messages that carry `data` on `channel` (none for empty data: an empty message means nothing on v4/v5). */
export function encodeChannelMessages(channel: number, data: Buffer | string): Buffer[] {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const out: Buffer[] = [];
  for (let at = 0; at < buf.length; at += MAX_CHANNEL_PAYLOAD) {
    const part = buf.subarray(at, at + MAX_CHANNEL_PAYLOAD);
    const msg = Buffer.allocUnsafe(part.length + 1);
    msg[0] = channel;
    part.copy(msg, 1);
    out.push(msg);
  }
  return out;
}

/** One message's channel and payload; undefined for an empty message (which carries no channel). */
export function decodeChannelMessage(msg: Buffer): { channel: number; data: Buffer } | undefined {
  if (msg.length === 0) return undefined;
  return { channel: msg[0], data: msg.subarray(1) };
}

/** The subprotocol to answer with, from a `Sec-WebSocket-Protocol` offer, in our order of preference. */
export function pickSubprotocol(offered: Iterable<string>, supported: readonly string[]): string | undefined {
  const set = new Set([...offered].map((p) => p.trim()));
  return supported.find((p) => set.has(p));
}

/** The protocols a `Sec-WebSocket-Protocol` header offers. */
export function offeredSubprotocols(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}
