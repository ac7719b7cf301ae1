/**
 * The client side of kubectl's streaming protocols over HTTPS: exec over WebSocket
 * `v5.channel.k8s.io` (stdin on channel 0, output on 1 and 2, the Status on 3, EOF as 255), and
 * port-forward as SPDY/3.1 streams tunnelled in a `SPDY/3.1+portforward.k8s.io` WebSocket.
 */
import { StatusError, type StatusDetails, type StatusReason } from '../../k8s/api/errors.ts';
import type { ExecIO, ExecRequest, PortForwardConn } from '../../k8s/apiserver/streams/types.ts';
import { decodeChannelMessage, encodeChannelMessages, V5_CHANNEL } from '../../k8s/apiserver/streams/websocket-channel.ts';
import { HeaderDeflater, HeaderInflater } from '../../k8s/apiserver/streams/header-zlib.ts';
import { decodeHeaderBlock, encodeFrame, encodeHeaderBlock, SpdyFrameParser, type SpdyFrame } from '../../k8s/apiserver/streams/spdy-frames.ts';
import type { ClusterTarget } from './kubeconfig.ts';
import { authHeaders, tlsOptions } from './transport.ts';
import { UpgradeRefused, WsClient } from './wsclient.ts';

/** A WebSocket to `path` on the cluster with kubectl's TLS and credentials; a refusal becomes the server's Status. */
async function openSocket(target: ClusterTarget, command: string, path: string, protocol: string): Promise<WsClient> {
  const url = new URL(target.server);
  const https = url.protocol === 'https:';
  let ws: WsClient;
  try {
    ws = await WsClient.open({ ...(https ? tlsOptions(target) : { host: url.hostname, port: url.port || 80 }), https, path: url.pathname.replace(/\/$/, '') + path, headers: authHeaders(target, command) }, protocol);
  } catch (e) {
    if (!(e instanceof UpgradeRefused)) throw e;
    const text = e.body.trim();
    try {
      // The server's Status (a missing pod or container) is reported as kubectl reports it.
      const st = JSON.parse(text) as { kind?: string; message?: string; reason?: StatusReason; code?: number; details?: StatusDetails };
      if (st.kind === 'Status') throw new StatusError(st.code ?? e.status, st.reason ?? 'InternalError', st.message ?? '', st.details);
    } catch (parsed) {
      if (parsed instanceof StatusError) throw parsed;
    }
    throw new StatusError(e.status, 'BadRequest', `unable to upgrade connection: ${text}`);
  }
  if (ws.protocol !== protocol) {
    ws.close();
    throw new StatusError(400, 'BadRequest', `unable to upgrade connection: the server does not speak ${protocol}`);
  }
  return ws;
}

/** Runs `req` over a v5.channel.k8s.io WebSocket; resolves to the exit code the Status reports. */
export async function webSocketExec(target: ClusterTarget, command: string, req: ExecRequest, io: ExecIO): Promise<number> {
  const q = new URLSearchParams();
  for (const c of req.command) q.append('command', c);
  q.set('container', req.container);
  if (req.stderr) q.set('stderr', 'true');
  if (req.stdin) q.set('stdin', 'true');
  if (req.stdout) q.set('stdout', 'true');
  if (req.tty) q.set('tty', 'true');
  const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec?${q.toString()}`;
  const ws = await openSocket(target, command, path, V5_CHANNEL);
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } } | undefined;
  const done = new Promise<void>((resolve) => ws.onClose(resolve));
  ws.onMessage((data) => {
    const m = decodeChannelMessage(data);
    if (!m) return;
    if (m.channel === 1) io.stdout(m.data);
    else if (m.channel === 2) io.stderr(m.data);
    else if (m.channel === 3) status = JSON.parse(m.data.toString('utf8')) as typeof status;
  });
  io.signal.addEventListener('abort', () => ws.close());
  if (io.stdin) {
    void (async () => {
      for await (const chunk of io.stdin!) for (const msg of encodeChannelMessages(0, chunk)) ws.send(msg);
      ws.send(Buffer.from([255, 0]));
    })();
  }
  await done;
  if (!status || status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? '1');
    return Number.isFinite(code) ? code : 1;
  }
  throw new Error(status.message ?? 'error stream protocol error: unknown error');
}

/**
 * A port-forward session: one SPDY connection tunnelled in a WebSocket, on which each local
 * connection opens an error stream and a data stream for its port.
 */
export class PortForwardSession {
  private nextId = 1;
  private requestId = 0;
  private parser = new SpdyFrameParser();
  private deflate = new HeaderDeflater();
  private inflate = new HeaderInflater();
  private streams = new Map<number, { data: (d: Buffer) => void; end: () => void }>();
  private chain: Promise<void> = Promise.resolve();

  private constructor(private readonly ws: WsClient) {
    ws.onMessage((data) => {
      for (const f of this.parser.push(data)) this.onFrame(f);
    });
    ws.onClose(() => {
      for (const s of this.streams.values()) s.end();
      this.streams.clear();
    });
  }

  static async open(target: ClusterTarget, command: string, namespace: string, pod: string): Promise<PortForwardSession> {
    const ws = await openSocket(target, command, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`, 'SPDY/3.1+portforward.k8s.io');
    return new PortForwardSession(ws);
  }

  private send(f: SpdyFrame): void {
    this.ws.send(encodeFrame(f));
  }

  private onFrame(f: SpdyFrame): void {
    if (f.type === 'ping') this.send({ type: 'ping', id: f.id });
    else if (f.type === 'data') {
      const s = this.streams.get(f.streamId);
      if (!s) return;
      if (f.data.length) s.data(f.data);
      if (f.fin) s.end();
    } else if (f.type === 'rst_stream') this.streams.get(f.streamId)?.end();
    else if (f.type === 'syn_reply' || f.type === 'headers') void this.chain.then(() => this.inflate.decompress(f.headerBlock)).then(decodeHeaderBlock).catch(() => undefined);
  }

  private openStream(headers: [string, string][], fin: boolean, handlers: { data: (d: Buffer) => void; end: () => void }): number {
    const id = this.nextId;
    this.nextId += 2;
    this.streams.set(id, handlers);
    // Header blocks share one zlib context: compress them in order.
    this.chain = this.chain.then(async () => {
      const block = await this.deflate.compress(encodeHeaderBlock(headers));
      this.send({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, slot: 0, fin, unidirectional: false, headerBlock: block });
    });
    return id;
  }

  /** A connection to `port` in the pod: an error stream (its text becomes an error) and a data stream. */
  connect(port: number): PortForwardConn & { error: Promise<string> } {
    const rid = String(this.requestId++);
    let errText = '';
    let resolveErr: (s: string) => void = () => undefined;
    const error = new Promise<string>((r) => (resolveErr = r));
    const errId = this.openStream([['streamtype', 'error'], ['port', String(port)], ['requestid', rid]], true, { data: (d) => (errText += d.toString('utf8')), end: () => resolveErr(errText) });
    void errId;
    const dataFns: ((d: Buffer) => void)[] = [];
    const endFns: (() => void)[] = [];
    const dataId = this.openStream([['streamtype', 'data'], ['port', String(port)], ['requestid', rid]], false, {
      data: (d) => dataFns.forEach((fn) => fn(d)),
      end: () => endFns.forEach((fn) => fn()),
    });
    return {
      error,
      write: (d) => void this.chain.then(() => this.send({ type: 'data', streamId: dataId, fin: false, data: d })),
      end: () => void this.chain.then(() => this.send({ type: 'data', streamId: dataId, fin: true, data: Buffer.alloc(0) })),
      onData: (fn) => dataFns.push(fn),
      onEnd: (fn) => endFns.push(fn),
    };
  }

  close(): void {
    this.deflate.close();
    this.inflate.close();
    this.ws.close();
  }
}
