/**
 * `generic`: what a container of an image podlab does not know runs, so any YAML gives a pod
 * that answers. It serves every port the container declares — the kubelet passes them as
 * PODLAB_PORTS=80/TCP,53/UDP (containerPort/protocol, comma-separated) — answering HTTP on
 * TCP ports with the pod's hostname and a newline (so `curl SERVICE` tells which pod replied)
 * and echoing UDP datagrams prefixed with it (`HOSTNAME: DATA`). With no ports declared it
 * listens on TCP 80 and 8080, the usual targets. Each request is logged to stdout.
 */
import { formatIPv4 } from '../kernel/addr.ts';
import type { Command } from '../userland/command.ts';
import { GO_BAD_REQUEST, goReply } from './go-http.ts';
import { serveHttp } from './http-server.ts';
import { errText, goLogStamp, hostnameOf, untilKilled } from './runtime.ts';
import { serveUdp } from './udp-server.ts';

export const GENERIC_PORTS_ENV = 'PODLAB_PORTS';
const DEFAULT_PORTS = '80/TCP,8080/TCP';

export interface PortSpec {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** Parses `80/TCP,53/UDP,8080` (protocol defaults to TCP); malformed entries are skipped. */
export function parsePorts(spec: string): PortSpec[] {
  const out: PortSpec[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(item);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) continue;
    const protocol = (m[2] ?? 'TCP').toUpperCase() as PortSpec['protocol'];
    if (!out.some((p) => p.port === Number(m[1]) && p.protocol === protocol)) out.push({ port: Number(m[1]), protocol });
  }
  return out;
}

export const generic: Command = async (ctx) => {
  const ns = ctx.sys.netns();
  const name = hostnameOf(ctx);
  const log = (line: string): void => ctx.stdout(`${goLogStamp(ctx.sys.now())}${line}\n`);
  const stops: (() => void)[] = [];
  for (const p of parsePorts(ctx.env[GENERIC_PORTS_ENV] || DEFAULT_PORTS)) {
    try {
      if (p.protocol === 'TCP') {
        const s = serveHttp(ns, {
          port: p.port,
          badRequest: () => GO_BAD_REQUEST,
          handle: (req, peer) => {
            log(`${formatIPv4(peer.raddr)}:${peer.rport} "${req.method} ${req.target} HTTP/${req.version}" port ${p.port}/TCP`);
            return goReply(req, ctx.sys.now(), { body: `${name}\n` });
          },
        });
        stops.push(() => s.stop());
      } else if (p.protocol === 'UDP') {
        const s = serveUdp(ns, p.port, (msg, from) => {
          log(`${formatIPv4(from.src)}:${from.sport} udp ${JSON.stringify(msg)} port ${p.port}/UDP`);
          return `${name}: ${msg}`;
        });
        stops.push(() => s.stop());
      } else continue;
      log(`listening on ${p.port}/${p.protocol}`);
    } catch (e) {
      log(`listen ${p.protocol.toLowerCase()} :${p.port}: ${errText(e)}`);
    }
  }
  await untilKilled(ctx.signal);
  for (const s of stops) s();
  return 0;
};
