/**
 * getaddrinfo for IPv4 as glibc does it with nsswitch `hosts: files dns`: a numeric address, then
 * /etc/hosts, then the stub resolver reading /etc/resolv.conf (nameservers, search list, ndots,
 * timeout, attempts), sending real A and AAAA queries over UDP through the namespace's stack (so
 * they cross kube-proxy's DNAT to the DNS pod) and waiting on the host's virtual clock.
 *
 * Search order (res_nsearch): a name with a trailing dot is only tried as is; one with at least
 * `ndots` dots is tried as is first, then with each search domain; otherwise the search domains
 * come first and the bare name last. NXDOMAIN and NODATA move on to the next candidate; the
 * final error is NODATA if any candidate existed, TRY_AGAIN if a server failed or none answered.
 */
import * as packet from 'dns-packet';
import { parseIPv4 } from '../../kernel/addr.ts';
import { hostNames } from '../names.ts';
import type { CommandContext } from '../command.ts';
import { udpExchange } from '../dns/transport.ts';
import { block } from './common.ts';

export interface ResolvConf {
  nameservers: number[];
  search: string[];
  ndots: number;
  timeoutMs: number;
  attempts: number;
}

/** resolv.conf(5), with glibc's defaults and limits (3 servers, ndots ≤ 15, timeout ≤ 30, attempts ≤ 5). */
export function parseResolvConf(text: string | undefined): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutMs: 5000, attempts: 2 };
  for (const raw of (text ?? '').split('\n')) {
    const [key, ...args] = raw.replace(/[#;].*/, '').trim().split(/\s+/);
    if (key === 'nameserver' && args[0] !== undefined) {
      const a = parseIPv4(args[0]);
      if (a !== undefined && conf.nameservers.length < 3) conf.nameservers.push(a);
    } else if (key === 'search' || key === 'domain') {
      // The last search or domain line wins.
      conf.search = key === 'domain' ? args.slice(0, 1) : args;
    } else if (key === 'options') {
      for (const opt of args) {
        const [name, value] = opt.split(':');
        const n = Number(value);
        if (name === 'ndots' && Number.isInteger(n)) conf.ndots = Math.min(Math.max(n, 0), 15);
        else if (name === 'timeout' && Number.isInteger(n)) conf.timeoutMs = Math.min(Math.max(n, 1), 30) * 1000;
        else if (name === 'attempts' && Number.isInteger(n)) conf.attempts = Math.min(Math.max(n, 1), 5);
      }
    }
  }
  // With no nameserver line the resolver asks the local host.
  if (!conf.nameservers.length) conf.nameservers.push(parseIPv4('127.0.0.1')!);
  return conf;
}

/** The names res_nsearch tries for `name`, in order. */
export function searchCandidates(name: string, conf: Pick<ResolvConf, 'search' | 'ndots'>): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = conf.search.map((d) => `${name}.${d.replace(/\.$/, '')}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/** EAI_* as gai_strerror words them. */
export type GaiError = 'NONAME' | 'NODATA' | 'AGAIN';

export const GAI_STRERROR: Record<GaiError, string> = {
  NONAME: 'Name or service not known',
  NODATA: 'No address associated with hostname',
  AGAIN: 'Temporary failure in name resolution',
};

export type Resolved = { ok: true; addrs: number[]; canonical: string } | { ok: false; error: GaiError };

/** What one name got: `servfail` (every server failed) lets the search go on, `unreachable` (timeouts, refusals) ends it. */
type Outcome = { kind: 'found'; addrs: number[]; canonical: string } | { kind: 'nxdomain' } | { kind: 'nodata' } | { kind: 'servfail' } | { kind: 'unreachable' };

function query(id: number, name: string, type: 'A' | 'AAAA'): Buffer {
  return packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
}

/** res_send: each attempt asks each server in turn (glibc's timeout doubling on later attempts). */
async function ask(ctx: CommandContext, conf: ResolvConf, name: string): Promise<Outcome> {
  const ns = ctx.sys.netns();
  const rng = ns.kernel.rng;
  let servfail = false;
  for (let attempt = 0; attempt < conf.attempts; attempt++) {
    for (const server of conf.nameservers) {
      let ms = conf.timeoutMs << attempt;
      if (attempt > 0) ms = Math.max(1000, Math.floor(ms / conf.nameservers.length));
      const idA = rng.int(0x10000);
      const idAAAA = (idA + 1) & 0xffff;
      const r = await udpExchange(ns, server, 53, [query(idA, name, 'A'), query(idAAAA, name, 'AAAA')], ms);
      if (r.kind !== 'reply') continue;
      const reply = r.msgs.map((m) => packet.decode(m)).find((m) => m.id === idA);
      if (!reply) continue;
      const rcode = (reply as { rcode?: string }).rcode;
      if (rcode === 'NXDOMAIN') return { kind: 'nxdomain' };
      // SERVFAIL, REFUSED...: the next server may know better.
      if (rcode !== 'NOERROR') {
        servfail = true;
        continue;
      }
      const answers = (reply.answers ?? []) as { name: string; type: string; data: unknown }[];
      const addrs = answers.filter((a) => a.type === 'A').map((a) => parseIPv4(a.data as string)!);
      if (!addrs.length) return { kind: 'nodata' };
      // The canonical name: the end of any CNAME chain.
      let canonical = name;
      for (const a of answers) if (a.type === 'CNAME' && a.name.toLowerCase() === canonical.toLowerCase()) canonical = a.data as string;
      return { kind: 'found', addrs, canonical };
    }
  }
  return { kind: servfail ? 'servfail' : 'unreachable' };
}

/** /etc/nsswitch.conf's `hosts:` sources (glibc's default when absent is `dns files`; Debian ships `files dns`). */
function hostSources(ctx: CommandContext): string[] {
  const line = ctx.fs.read('/etc/nsswitch.conf')?.split('\n').find((l) => /^hosts:/.test(l));
  if (!line) return ['files', 'dns'];
  return line.replace(/^hosts:/, '').trim().split(/\s+/).filter((w) => !w.startsWith('['));
}

/** getaddrinfo(name, AF_INET-only results): asynchronous, since DNS waits on the network. */
export async function resolve(ctx: CommandContext, name: string): Promise<Resolved> {
  const literal = parseIPv4(name);
  if (literal !== undefined) return { ok: true, addrs: [literal], canonical: name };
  let error: GaiError = 'NONAME';
  for (const source of hostSources(ctx)) {
    if (source === 'files') {
      const a = hostNames(ctx.fs).hostToAddr(name);
      if (a !== undefined) return { ok: true, addrs: [a], canonical: name };
    } else if (source === 'dns') {
      const conf = parseResolvConf(ctx.fs.read('/etc/resolv.conf'));
      let nodata = false;
      let servfail = false;
      let unreachable = false;
      for (const candidate of searchCandidates(name, conf)) {
        const r = await ask(ctx, conf, candidate);
        if (r.kind === 'found') return { ok: true, addrs: r.addrs, canonical: r.canonical };
        if (r.kind === 'nodata') nodata = true;
        if (r.kind === 'servfail') servfail = true;
        if (r.kind === 'unreachable') {
          unreachable = true;
          break;
        }
      }
      error = unreachable ? 'AGAIN' : nodata ? 'NODATA' : servfail ? 'AGAIN' : 'NONAME';
    }
  }
  return { ok: false, error };
}

/** `resolve` as a tool waits for it: virtual time passes in the foreground, a kill ends the wait. */
export async function lookupHost(ctx: CommandContext, name: string): Promise<Resolved | { ok: false; error: 'killed' | 'stuck' }> {
  const w = await block(ctx, resolve(ctx, name));
  return w.kind === 'done' ? w.value : { ok: false, error: w.kind };
}
