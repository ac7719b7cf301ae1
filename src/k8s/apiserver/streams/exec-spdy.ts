/** exec over SPDY/3.1 (kubectl ≤1.29, and the fallback of newer ones): one SPDY stream per `streamtype`, the status on the error stream. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError } from '../../api/errors.ts';
import { ExecSession } from './exec-session.ts';
import { TerminalSizeDecoder, execStatus, execStatusText } from './exec-status.ts';
import { SpdySession, type SpdyStream } from './spdy.ts';
import type { ExecHandler, ExecRequest } from './types.ts';
import { acceptSpdyUpgrade, offeredStreamProtocols, rejectUpgrade, socketTransport } from './upgrade.ts';

/** The remotecommand protocols served, best first. v4 and v5 end with a JSON Status; older ones with bare text. */
export const EXEC_SPDY_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;

/** After the status, the client resets its streams and hangs up; this bounds the wait for a client that does not. */
const LINGER_MS = 30_000;

export function execOverSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest, handler: ExecHandler): void {
  const offered = offeredStreamProtocols(req);
  // A client that names no version speaks the first one (channel.k8s.io), as the kubelet assumes.
  const protocol = offered.length ? EXEC_SPDY_PROTOCOLS.find((p) => offered.includes(p)) : undefined;
  if (offered.length && !protocol) {
    rejectUpgrade(socket, new StatusError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${EXEC_SPDY_PROTOCOLS.join(' ')}]`));
    return;
  }
  const version = protocol ? Number(/^v(\d)/.exec(protocol)?.[1] ?? 1) : 1;
  acceptSpdyUpgrade(socket, protocol);

  // The client opens exactly these streams (remotecommand createStreams); the command starts once all are there.
  const expected = new Set<string>(['error']);
  if (exec.stdin) expected.add('stdin');
  if (exec.stdout) expected.add('stdout');
  if (exec.stderr && !exec.tty) expected.add('stderr');
  if (exec.tty && version >= 3) expected.add('resize');
  const streams = new Map<string, SpdyStream>();
  let running: ExecSession | undefined;
  let linger: NodeJS.Timeout | undefined;

  const spdy = new SpdySession(
    socketTransport(socket, (d) => spdy.receive(d), () => spdy.transportClosed()),
    (stream) => {
      const type = stream.headers.get('streamtype') ?? '';
      if (!expected.has(type) || streams.has(type) || running) {
        stream.reset();
        return;
      }
      streams.set(type, stream);
      if (streams.size === expected.size) running = start();
    },
  );
  spdy.onClose(() => {
    running?.clientGone();
    if (linger) clearTimeout(linger);
  });
  if (head.length) spdy.receive(head);

  function start(): ExecSession {
    const session = new ExecSession(exec, {
      stdout: (d) => streams.get('stdout')?.write(d),
      stderr: (d) => streams.get('stderr')?.write(d),
      finish: (outcome) => {
        streams.get('stdout')?.end();
        streams.get('stderr')?.end();
        const error = streams.get('error');
        const body = version >= 4 ? JSON.stringify(execStatus(outcome, exec.command)) : execStatusText(outcome, exec.command);
        if (body) error?.write(body);
        error?.end();
        streams.get('stdin')?.end();
        streams.get('resize')?.end();
        linger = setTimeout(() => spdy.close(), LINGER_MS);
        linger.unref();
      },
    });
    const stdin = streams.get('stdin');
    stdin?.onData((d) => session.stdinData(d));
    stdin?.onEnd(() => session.stdinEnd());
    const resize = streams.get('resize');
    if (resize) {
      const decoder = new TerminalSizeDecoder();
      resize.onData((d) => decoder.push(d).forEach((s) => session.resize(s)));
    }
    // The client sends nothing on these; draining keeps early data from piling up.
    for (const t of ['error', 'stdout', 'stderr']) streams.get(t)?.onData(() => undefined);
    void session.run(handler);
    return session;
  }
}
