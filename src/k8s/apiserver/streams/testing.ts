/** Test fixtures for the streaming endpoints: a stub API server wired to them, fake pods' commands and ports, a long-running kubectl. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { StatusError, badRequest } from '../../api/errors.ts';
import { json, kubectlBinary, startStubServer, type KubectlEnv, type StubServer } from '../../../../test/support/kubectl.ts';
import { handleExecUpgrade, parseExecQuery } from './exec.ts';
import { parseLogQuery, streamLogs, tailLines, type LogQuery } from './logs.ts';
import { handlePortForwardUpgrade } from './portforward.ts';
import type { ExecHandler, PortForwardConn, PortForwardHandler } from './types.ts';
import { rejectUpgrade } from './upgrade.ts';

export const POD = 'P';

/** The Running pod kubectl GETs before exec, port-forward and logs. */
export function podJson(name = POD): unknown {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: '6a1c1f7e-0000-4000-8000-000000000001', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
    status: { phase: 'Running', podIP: '10.244.0.5', containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] },
  };
}

/** What the last exec saw, for assertions about the request and the resize messages. */
export interface ExecLog { requests: Parameters<ExecHandler>[0][]; sizes: { width: number; height: number }[] }

/**
 * A tiny pod: `echo A B` prints its arguments, `cat` copies stdin, `false` exits 1, `exit N`
 * exits N, `warn MSG` writes MSG to stderr and `ok` to stdout, `yes N` prints N bytes of `y`,
 * `size` prints the first terminal size. Any container but `web` is a BadRequest.
 */
export function fakeExec(log: ExecLog = { requests: [], sizes: [] }): ExecHandler {
  return async (req, io) => {
    log.requests.push(req);
    if (req.container !== 'web') throw badRequest(`container ${req.container} is not valid for pod ${req.pod}`);
    const [cmd, ...args] = req.command;
    switch (cmd) {
      case 'echo':
        io.stdout(`${args.join(' ')}\n`);
        return 0;
      case 'cat':
        for await (const chunk of io.stdin ?? []) io.stdout(chunk);
        return 0;
      case 'false':
        return 1;
      case 'exit':
        return Number(args[0]);
      case 'warn':
        io.stderr(`${args.join(' ')}\n`);
        io.stdout('ok\n');
        return 0;
      case 'yes':
        io.stdout(Buffer.alloc(Number(args[0]), 'y'));
        return 0;
      case 'size':
        return new Promise<number>((resolve) => io.onResize((s) => {
          log.sizes.push(s);
          io.stdout(`${s.width}x${s.height}\r\n`);
          resolve(0);
        }));
      default:
        io.stderr(`exec: "${cmd}": executable file not found in $PATH\n`);
        return 127;
    }
  };
}

/** A TCP echo server on 127.0.0.1 that answers `GET N` with N bytes (a pattern) and echoes anything else. */
export interface EchoServer {
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Resolves once no connection is open. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  let idleWaiters: (() => void)[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (s) => {
    echo.accepted++;
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      if (sockets.size === 0) for (const w of idleWaiters.splice(0)) w();
    });
    s.on('error', () => s.destroy());
    let first = true;
    s.on('data', (d: Buffer) => {
      const m = first ? /^GET (\d+)\n/.exec(d.toString('latin1')) : null;
      first = false;
      if (m) s.end(pattern(Number(m[1])));
      else s.write(d);
    });
    s.on('end', () => s.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const echo: EchoServer = {
    port: (server.address() as { port: number }).port,
    accepted: 0,
    idle: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    close: async () => {
      for (const s of sockets) s.destroy();
      idleWaiters = [];
      server.close();
      await once(server, 'close');
    },
  };
  return echo;
}

/** n bytes that differ along their length, so a reordered or lost chunk shows. */
export function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 10)) & 0xff;
  return b;
}

/** A PortForwardHandler that connects port 80 of the pod to `target` on 127.0.0.1 and refuses other ports. */
export function tcpForwarder(target: number, seen: number[] = []): PortForwardHandler {
  return async (_ns, _pod, port) => {
    seen.push(port);
    if (port !== 80) throw new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`);
    const s = connect({ host: '127.0.0.1', port: target, allowHalfOpen: true });
    await once(s, 'connect');
    const conn: PortForwardConn = {
      write: (d) => void s.write(d),
      end: () => void s.end(),
      onData: (fn) => void s.on('data', fn),
      onEnd: (fn) => {
        let called = false;
        const once_ = (): void => {
          if (!called) { called = true; fn(); }
        };
        s.on('end', once_);
        s.on('close', once_);
      },
    };
    s.on('error', () => s.destroy());
    return conn;
  };
}

/** The log of container web unless a test supplies its own source. */
export const WEB_LOG = 'line 1\nline 2\nline 3\n';

/**
 * A stub API server with pod P, whose exec, portforward and log subresources go to the code
 * under test. Logs come from `handlers.logs`, or are WEB_LOG cut to `tailLines`.
 */
export async function startStreamsStub(handlers: { exec?: ExecHandler; portForward?: PortForwardHandler; logs?: (q: LogQuery) => AsyncIterable<string> | string }): Promise<StubServer> {
  const logs = handlers.logs ?? ((q: LogQuery) => tailLines(WEB_LOG, q.tailLines));
  return startStubServer(async (req, _body, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    if (url.pathname === `/api/v1/namespaces/default/pods/${POD}`) return json(res, 200, podJson());
    if (url.pathname === `/api/v1/namespaces/default/pods/${POD}/log`) {
      const q = parseLogQuery(url);
      await streamLogs(res, logs(q), { follow: q.follow });
      return true;
    }
    return false;
  }, {
    onUpgrade: (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'https://x');
      try {
        if (url.pathname === `/api/v1/namespaces/default/pods/${POD}/exec` && handlers.exec) {
          return handleExecUpgrade(req, socket, head, parseExecQuery(url, 'default', POD), handlers.exec);
        }
        if (url.pathname === `/api/v1/namespaces/default/pods/${POD}/portforward` && handlers.portForward) {
          return handlePortForwardUpgrade(req, socket, head, 'default', POD, handlers.portForward);
        }
        rejectUpgrade(socket, new StatusError(404, 'NotFound', 'the server could not find the requested resource'));
      } catch (e) {
        if (e instanceof StatusError) rejectUpgrade(socket, e);
        else socket.destroy();
      }
    },
  });
}

/** A kubectl that keeps running (port-forward): its output so far, a wait for a pattern, and a kill by PID that waits for the exit. */
export interface RunningKubectl {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  stdout(): string;
  stderr(): string;
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code once kubectl has exited and its output is read (null when a signal ended it). */
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

export function spawnKubectl(env: KubectlEnv, args: string[], opts: { minor?: number; extraEnv?: Record<string, string> } = {}): RunningKubectl {
  const bin = kubectlBinary(opts.minor);
  if (!bin) throw new Error('no kubectl');
  const child = spawn(bin, ['--kubeconfig', env.kubeconfig, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env.home, KUBECONFIG: env.kubeconfig, ...opts.extraEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('kubectl did not start');
  const pid = child.pid;
  let out = '';
  let err = '';
  let exited = false;
  // 'close', not 'exit': only then has all of kubectl's output been read.
  const exit = once(child, 'close').then(([code]) => {
    exited = true;
    return code as number | null;
  });
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; check(); });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  void exit.then(() => {
    for (const w of waiters.splice(0)) w.reject(new Error(`kubectl exited before printing ${w.re}: ${out}${err}`));
  });
  return {
    child, pid, exited: exit,
    stdout: () => out,
    stderr: () => err,
    waitFor: (re) => new Promise((resolve, reject) => {
      const m = re.exec(out);
      if (m) return resolve(m);
      if (exited) return reject(new Error(`kubectl exited before printing ${re}: ${out}${err}`));
      waiters.push({ re, resolve, reject });
    }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch (e) {
          // It may have exited on its own an instant ago.
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      }
      await exit;
    },
  };
}

/** True while a process with this PID exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  await once(s, 'close');
  return port;
}

/** Connects to 127.0.0.1:port, writes `request`, half-closes, and collects the reply until the peer ends. */
export async function roundTrip(port: number, request: Buffer | string): Promise<Buffer> {
  const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  await once(s, 'connect');
  s.end(request);
  await once(s, 'end');
  s.destroy();
  return Buffer.concat(chunks);
}
