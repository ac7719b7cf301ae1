/**
 * `/agnhost SUBCOMMAND` (registry.k8s.io/e2e-test-images/agnhost:2.x, entrypoint /agnhost, cmd
 * `pause`): the subcommands pods use to test networking — netexec (netexec.ts), pause,
 * serve-hostname (the hostname over HTTP, or raw TCP/UDP, on 9376) and porter (SERVE_PORT_<n>
 * env vars, each a port answering its value). Go's log lines go to stderr as upstream's do.
 */
import { formatIPv4 } from '../kernel/addr.ts';
import type { Command, CommandContext } from '../userland/command.ts';
import { socketsOf } from '../kernel/stack/socket.ts';
import { bytes } from '../userland/net/common.ts';
import { FlagError, parseGoFlags } from './goflags.ts';
import { GO_BAD_REQUEST, goReply } from './go-http.ts';
import { serveHttp, type HttpServer } from './http-server.ts';
import { netexec } from './netexec.ts';
import { errText, goLogStamp, hostnameOf, untilKilled } from './runtime.ts';
import { serveUdp, type UdpServer } from './udp-server.ts';

const SUBCOMMANDS = ['netexec', 'pause', 'porter', 'serve-hostname'];

export const agnhost: Command = async (ctx) => {
  const [sub, ...args] = ctx.argv.slice(1);
  try {
    switch (sub) {
      case 'netexec':
        return await netexec(ctx, args);
      case 'pause':
        return await pause(ctx);
      case 'serve-hostname':
        return await serveHostname(ctx, args);
      case 'porter':
        return await porter(ctx);
      case undefined:
        ctx.stdout(`Usage:\n  app [command]\n\nAvailable Commands:\n${SUBCOMMANDS.map((s) => `  ${s}\n`).join('')}`);
        return 0;
      default:
        ctx.stderr(`Error: unknown command "${sub}" for "app"\nRun 'app --help' for usage.\n`);
        return 1;
    }
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    ctx.stderr(`Error: ${e.message}\n`);
    return 1;
  }
};

/** `agnhost pause`: says so (Go's println, stderr) and waits for a signal. */
async function pause(ctx: CommandContext): Promise<number> {
  ctx.stderr('Paused\n');
  await untilKilled(ctx.signal);
  return 0;
}

/** `agnhost serve-hostname [--port 9376] [--http=false --udp|--tcp] [--close]`. */
async function serveHostname(ctx: CommandContext, args: string[]): Promise<number> {
  const { flags } = parseGoFlags(args, { tcp: ['bool', false], udp: ['bool', false], http: ['bool', true], close: ['bool', false], port: ['int', 9376] });
  const log = (line: string): void => ctx.stderr(`${goLogStamp(ctx.sys.now())}${line}\n`);
  if (flags.http && (flags.tcp || flags.udp)) {
    log("Can't server TCP/UDP mode and HTTP mode at the same time");
    return 1;
  }
  const ns = ctx.sys.netns();
  const port = flags.port as number;
  const name = hostnameOf(ctx);
  const stops: (() => void)[] = [];
  try {
    if (flags.tcp) {
      const l = socketsOf(ns).tcpListen(0, port);
      stops.push(() => l.close());
      void (async () => {
        for (let c = await l.accept(); c; c = await l.accept()) {
          log(`TCP request from ${formatIPv4(c.raddr)}:${c.rport}`);
          c.write(bytes(name));
          c.close();
        }
      })();
    }
    if (flags.udp) {
      const u: UdpServer = serveUdp(ns, port, (_msg, from) => {
        log(`UDP request from ${formatIPv4(from.src)}:${from.sport}`);
        return name;
      });
      stops.push(() => u.stop());
    }
    if (flags.http) {
      const h: HttpServer = serveHttp(ns, {
        port,
        badRequest: () => GO_BAD_REQUEST,
        handle: (req, peer) => {
          log(`HTTP request from ${formatIPv4(peer.raddr)}:${peer.rport}`);
          return goReply(req, ctx.sys.now(), { headers: flags.close ? [['Connection', 'close']] : [], body: name });
        },
      });
      stops.push(() => h.stop());
    }
  } catch (e) {
    for (const s of stops) s();
    log(`Error from net.Listen(): listen tcp :${port}: bind: ${errText(e).toLowerCase()}`);
    return 1;
  }
  log(`Serving on port ${port}.`);
  await untilKilled(ctx.signal);
  log('Shutting down after receiving signal: terminated.');
  for (const s of stops) s();
  return 0;
}

/** `agnhost porter`: every SERVE_PORT_<n>=<text> in the environment serves <text> over HTTP on port n. */
async function porter(ctx: CommandContext): Promise<number> {
  const servers: HttpServer[] = [];
  for (const [key, value] of Object.entries(ctx.env)) {
    const m = /^SERVE_PORT_(\d+)$/.exec(key);
    if (!m) continue;
    try {
      servers.push(serveHttp(ctx.sys.netns(), { port: Number(m[1]), badRequest: () => GO_BAD_REQUEST, handle: (req) => goReply(req, ctx.sys.now(), { body: value }) }));
    } catch (e) {
      ctx.stderr(`${goLogStamp(ctx.sys.now())}server on port "${m[1]}" failed: listen tcp 0.0.0.0:${m[1]}: bind: ${errText(e).toLowerCase()}\n`);
    }
  }
  await untilKilled(ctx.signal);
  for (const s of servers) s.stop();
  return 0;
}
