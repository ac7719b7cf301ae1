/**
 * `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: local TCP listeners on 127.0.0.1 (and ::1)
 * relaying each connection to the pod's port, through the transport's port-forward (in
 * process) or SPDY tunnelled in WebSocket (HTTPS); runs until interrupted.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { KObject } from '../../k8s/api/object.ts';
import type { PortForwardConn } from '../../k8s/apiserver/streams/types.ts';
import type { Kctx, Subcommand } from './context.ts';
import { CmdError, usageError } from './errors.ts';
import type { FlagSpec } from './flags.ts';
import { podFor } from './pods.ts';
import { PortForwardSession } from './streams.ts';

const PF_FLAGS: FlagSpec[] = [
  { name: 'address', kind: 'strings' },
  { name: 'pod-running-timeout', kind: 'duration' },
];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

interface PortPair { local: number; remote: number; localText: string }

/** The container port a named port refers to in the pod. */
function containerPort(pod: KObject, name: string): number | undefined {
  for (const c of arr(obj(pod.spec).containers)) for (const p of arr(c.ports)) if (p.name === name) return Number(p.containerPort);
  return undefined;
}

/** translateServicePortToTargetPort: a service's port becomes the pod port it targets. */
function translate(spec: string, svc: KObject | undefined, pod: KObject): PortPair {
  const parts = spec.split(':');
  if (parts.length > 2) throw new CmdError(`invalid port format '${spec}'`);
  const [localText, remoteText] = parts.length === 1 ? [parts[0], parts[0]] : parts;
  let remote: number | undefined;
  if (svc) {
    const port = arr(obj(svc.spec).ports).find((p) => String(p.port) === remoteText || p.name === remoteText);
    if (!port) throw new CmdError(`Service ${svc.metadata.name ?? ''} does not have a service port ${remoteText}`);
    const target = port.targetPort ?? port.port;
    remote = typeof target === 'number' ? target : /^\d+$/.test(String(target)) ? Number(target) : containerPort(pod, String(target));
    if (remote === undefined) throw new CmdError(`Pod '${pod.metadata.name ?? ''}' does not have a named port '${String(target)}'`);
  } else if (/^\d+$/.test(remoteText)) {
    remote = Number(remoteText);
  } else {
    remote = containerPort(pod, remoteText);
    if (remote === undefined) throw new CmdError(`Pod '${pod.metadata.name ?? ''}' does not have a named port '${remoteText}'`);
  }
  if (!(remote > 0 && remote < 65536)) throw new CmdError(`Error parsing remote port '${remoteText}': port must be between 1 and 65535`);
  const local = localText === '' ? 0 : Number(localText);
  if (!/^\d*$/.test(localText) || local > 65535) throw new CmdError(`Error parsing local port '${localText}': strconv.ParseUint: parsing "${localText}": invalid syntax`);
  // With a service, an unspecified local port is the service port, as kubectl keeps it.
  return { local, remote, localText: parts.length === 1 && svc ? remoteText : localText };
}

function listen(server: Server, host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

/** Copies bytes both ways between a local connection and the pod's port, half-closes included. */
function relay(sock: Socket, conn: PortForwardConn): void {
  conn.onData((d) => sock.write(d));
  conn.onEnd(() => sock.end());
  sock.on('data', (d: Buffer) => conn.write(d));
  sock.on('end', () => conn.end());
  sock.on('error', () => conn.end());
}

async function runPortForward(k: Kctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usageError(k.cmdPath, 'TYPE/NAME and list of ports are required for port-forward');
  const { pod, via } = await podFor(k, args[0]);
  const phase = String(obj(pod.status).phase ?? '');
  if (phase !== 'Running') throw new CmdError(`unable to forward port because pod is not running. Current status=${phase}`);
  const svc = via?.kind === 'Service' ? via : undefined;
  const pairs = args.slice(1).map((p) => translate(p, svc, pod));
  const addresses = k.flags.list('address').length ? k.flags.list('address') : ['localhost'];
  const hosts = addresses.flatMap((a) => (a === 'localhost' ? ['127.0.0.1', '::1'] : [a]));
  const namespace = pod.metadata.namespace ?? k.namespace;
  const name = pod.metadata.name ?? '';
  const transport = k.transport();
  let session: PortForwardSession | undefined;
  const open = async (port: number): Promise<PortForwardConn> => {
    if (transport.portForward) return transport.portForward(namespace, name, port);
    session ??= await PortForwardSession.open(k.target(), k.cmdPath, namespace, name);
    const conn = session.connect(port);
    void conn.error.then((msg) => {
      if (msg) k.err(`E0000 portforward.go:424] "Unhandled Error" err="an error occurred forwarding ${port}: ${msg}"\n`);
    });
    return conn;
  };
  const servers: Server[] = [];
  for (const pair of pairs) {
    let bound = pair.local;
    let any = false;
    for (const host of hosts) {
      // Half-open: a client that has sent everything still waits for the pod's answer.
      const server = createServer({ allowHalfOpen: true }, (sock) => {
        k.out(`Handling connection for ${bound}\n`);
        sock.pause();
        open(pair.remote).then((conn) => {
          relay(sock, conn);
          sock.resume();
        }, (e: unknown) => {
          k.err(`E0000 portforward.go:424] "Unhandled Error" err="an error occurred forwarding ${bound} -> ${pair.remote}: ${(e as Error).message}"\n`);
          sock.destroy();
        });
      });
      const port = await listen(server, host, bound);
      if (port === undefined) continue;
      bound = port;
      any = true;
      servers.push(server);
      k.out(`Forwarding from ${host.includes(':') ? `[${host}]` : host}:${port} -> ${pair.remote}\n`);
    }
    if (!any) throw new CmdError(`Unable to listen on port ${pair.localText}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${pair.localText}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:${pair.localText}: bind: address already in use]`);
  }
  // Until interrupted: the job's signal (a background `kubectl port-forward … &`) or forever.
  await new Promise<void>((resolve) => {
    const s = k.signal;
    if (!s) return;
    if (s.aborted) resolve();
    s.addEventListener('abort', () => resolve());
  });
  for (const s of servers) s.close();
  session?.close();
  return 0;
}

export const portForwardCmd: Subcommand = { name: 'port-forward', flags: PF_FLAGS, run: runPortForward };
