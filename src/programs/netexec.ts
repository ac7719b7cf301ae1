/**
 * `agnhost netexec` (registry.k8s.io/e2e-test-images/agnhost): the e2e tests' Swiss-army server.
 * HTTP on --http-port (8080) with /, /hostname, /hostName, /clientip, /echo, /shell, /dial,
 * /redirect, /healthz, /exit, /shutdown; UDP on --udp-port (8081) answering `hostname`,
 * `echo X` and `clientip`. Bodies, JSON and log lines (Go's log, on stderr) follow upstream's
 * netexec.go.
 */
import { formatIPv4 } from '../kernel/addr.ts';
import type { CommandContext } from '../userland/command.ts';
import { lookupHost } from '../userland/net/resolve.ts';
import type { HttpRequest } from '../userland/net/http.ts';
import { dialHttp, dialUdp } from './dial.ts';
import { parseGoFlags, type FlagKind, type FlagValue } from './goflags.ts';
import { GO_BAD_REQUEST, goJson, goMapString, goReply, type GoResponse } from './go-http.ts';
import { serveHttp, splitTarget, type HttpServer, type Peer } from './http-server.ts';
import { errText, goLogStamp, hostnameOf, untilKilled } from './runtime.ts';
import { serveUdp, type UdpServer } from './udp-server.ts';

const FLAGS: Record<string, [FlagKind, FlagValue]> = {
  'http-port': ['int', 8080],
  'udp-port': ['int', 8081],
  'sctp-port': ['int', -1],
  'tls-cert-file': ['string', ''],
  'tls-private-key-file': ['string', ''],
  'http-override': ['string', ''],
  'udp-listen-addresses': ['string', ''],
};

/** Go's time.Time String with the monotonic reading: `2024-01-01 00:00:01.5 +0000 UTC m=+1.500000000`. */
function goTime(ms: number, sinceStartMs: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC m=+${(sinceStartMs / 1000).toFixed(9)}`;
}

/** Runs netexec until killed or told to exit (/exit, /shutdown); returns the exit status. */
export async function netexec(ctx: CommandContext, args: string[]): Promise<number> {
  const { flags } = parseGoFlags(args, FLAGS);
  const httpPort = flags['http-port'] as number;
  const udpPort = flags['udp-port'] as number;
  const override = flags['http-override'] as string;
  const ns = ctx.sys.netns();
  const started = ctx.sys.now();
  const log = (line: string): void => ctx.stderr(`${goLogStamp(ctx.sys.now())}${line}\n`);
  let exit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exit = resolve));
  let ready = false;

  const routes = async (path: string, q: URLSearchParams, req: HttpRequest, peer: Peer): Promise<GoResponse> => {
    switch (path) {
      case '/clientip':
        log('GET /clientip');
        return { body: `${formatIPv4(peer.raddr)}:${peer.rport}` };
      case '/hostname':
      case '/hostName':
        log(`GET ${path}`);
        return { body: hostnameOf(ctx) };
      case '/echo': {
        const msg = q.get('msg') ?? '';
        const code = q.get('code') ?? '';
        log(`GET /echo?msg=${msg}&code=${code}`);
        if (code === '') return { body: msg };
        if (!/^[+-]?\d+$/.test(code)) return { body: `argument 'code' must be an integer or empty, got ${JSON.stringify(code)}\n` };
        return { status: Number(code), body: msg };
      }
      case '/healthz':
        log('GET /healthz');
        return { status: ready ? 200 : 412, body: '' };
      case '/shell':
        return shell(q.get('shellCommand') || q.get('cmd') || '');
      case '/dial':
        return dial(q);
      case '/redirect': {
        const location = q.get('location') ?? '';
        const code = q.get('code') ?? '';
        log(`${req.method} /redirect?msg=${location}&code=${code}`);
        if (code !== '' && !/^[+-]?\d+$/.test(code)) return { body: `argument 'code' must be an integer or empty, got ${JSON.stringify(code)}\n` };
        const status = code === '' ? 302 : Number(code);
        // http.Redirect: a short HTML note for GET and HEAD.
        const body = req.method === 'GET' || req.method === 'HEAD' ? `<a href="${location}">${status === 302 ? 'Found' : status === 301 ? 'Moved Permanently' : 'Temporary Redirect'}</a>.\n\n` : '';
        return { status, headers: [['Content-Type', 'text/html; charset=utf-8'], ['Location', location]], body };
      }
      case '/exit': {
        const code = q.get('code') ?? '';
        log(`GET /exit?code=${code}&timeout=${q.get('timeout') ?? ''}&wait=${q.get('wait') ?? ''}`);
        if (code !== '' && !/^[+-]?\d+$/.test(code)) return { body: `argument 'code' must be an integer [0-127] or empty, got ${JSON.stringify(code)}\n` };
        // os.Exit inside the handler: the client never gets a response.
        exit(code === '' ? 0 : Number(code));
        return new Promise<GoResponse>(() => {});
      }
      case '/shutdown':
        log('GET /shutdown');
        exit(0);
        return new Promise<GoResponse>(() => {});
      default:
        log('GET /');
        return { body: `NOW: ${goTime(ctx.sys.now(), ctx.sys.now() - started)}` };
    }
  };

  const shell = async (cmd: string): Promise<GoResponse> => {
    log(`GET /shell?cmd=${cmd}`);
    let out = '';
    const status = ctx.exec ? await ctx.exec(['sh', '-c', cmd], { stdout: (t) => (out += t), stderr: (t) => (out += t) }) : 127;
    const output: Record<string, string> = {};
    if (out) output.output = out;
    if (status !== 0) output.error = `exit status ${status}`;
    log(`Output: ${goMapString(output)}`);
    return { body: goJson(output) };
  };

  const dial = async (q: URLSearchParams): Promise<GoResponse> => {
    const host = q.get('host') ?? '';
    const port = q.get('port') ?? '';
    const request = q.get('request') ?? '';
    const protocol = q.get('protocol') ?? '';
    const triesParam = q.get('tries') ?? '';
    log(`GET /dial?host=${host}&protocol=${protocol}&port=${port}&request=${request}&tries=${triesParam}`);
    const bad = (msg: string): GoResponse => ({ status: 400, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff']], body: `${msg}\n` });
    if (triesParam !== '' && !/^[+-]?\d+$/.test(triesParam)) return bad(`tries parameter is invalid. strconv.Atoi: parsing ${JSON.stringify(triesParam)}: invalid syntax`);
    const tries = triesParam === '' ? 1 : Number(triesParam);
    if (request === '') return bad('request parameter not specified. <nil>');
    const proto = protocol.toLowerCase();
    if (proto !== '' && proto !== 'http' && proto !== 'udp') return bad(`unsupported protocol. ${protocol}`);
    const found = await lookupHost(ctx, host);
    const addr = found.ok ? found.addrs[0] : undefined;
    if (addr === undefined || !/^\d+$/.test(port)) return bad(`host and/or port param are invalid. address ${host}:${port}: unknown port`);
    const responses: string[] = [];
    const errors: string[] = [];
    let last = '';
    for (let i = 0; i < tries; i++) {
      try {
        last = proto === 'udp' ? await dialUdp(ns, addr, Number(port), request) : await dialHttp(ns, addr, Number(port), request);
        responses.push(last);
      } catch (e) {
        last = '';
        errors.push(errText(e));
      }
    }
    const output: Record<string, string[]> = {};
    if (last.length > 0) output.responses = responses;
    if (errors.length > 0) output.errors = errors;
    return { body: goJson(output) };
  };

  let udp: UdpServer | undefined;
  let http: HttpServer;
  try {
    if (udpPort !== -1) {
      udp = serveUdp(ns, udpPort, (msg, from) => {
        const t = msg.trim().toLowerCase();
        const client = `${formatIPv4(from.src)}:${from.sport}`;
        if (t === 'hostname') {
          log('Sending udp hostName response');
          return hostnameOf(ctx);
        }
        if (t.startsWith('echo ')) {
          const resp = t.slice(5);
          log(`Echoing ${resp} to UDP client ${client}`);
          return resp;
        }
        if (t === 'clientip') {
          log(`Sending clientip back to UDP client ${client}`);
          return client;
        }
        if (t.length > 0) log(`Unknown UDP command received from ${client}: ${t}`);
        return undefined;
      });
    }
    http = serveHttp(ns, {
      port: httpPort,
      badRequest: () => GO_BAD_REQUEST,
      handle: async (req, peer) => {
        const { path, query } = splitTarget(override || req.target);
        return goReply(req, ctx.sys.now(), await routes(path, query, req, peer));
      },
    });
  } catch (e) {
    udp?.stop();
    log(`listen tcp :${httpPort}: bind: ${errText(e).toLowerCase()}`);
    return 1;
  }
  log(`Started HTTP server on port ${httpPort}`);
  if (udp) {
    log(`Started UDP server on port  ${udpPort}`);
    ready = true;
  }
  const code = await Promise.race([exited, untilKilled(ctx.signal).then(() => 0)]);
  http.stop();
  udp?.stop();
  return code;
}
