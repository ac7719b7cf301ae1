/**
 * The answers of CoreDNS's kubernetes plugin (1.11), as a pure function of the cluster's records
 * and one question: the Kubernetes DNS specification (schema 1.1.0) for Services, endpoints,
 * SRV ports, pods and reverse lookups, with CoreDNS's own choices where the specification leaves
 * room (NXDOMAIN vs NODATA, the SOA in negative answers, flags, SRV weights, TXT dns-version).
 *
 * Names are handled as CoreDNS does: lower-cased, fully qualified (trailing dot) for matching,
 * while answers carry the question's name as asked. Records come out in dns-packet's shape
 * (names without the trailing dot).
 */
import type { Answer, RecordType } from 'dns-packet';
import type { DnsSource } from './records.ts';

export interface KubernetesConfig {
  /** The zones the plugin answers, fully qualified: `cluster.local.`, `in-addr.arpa.`, ... */
  zones: string[];
  podMode: 'disabled' | 'verified' | 'insecure';
  ttl: number;
  /** Zones whose name errors go to the next plugin (`fallthrough ZONES`); [] for all, undefined for none. */
  fallthrough?: string[];
  /** `namespaces`: only these are exposed (all when empty). */
  namespaces: string[];
  endpointPodNames: boolean;
  /** The server's own addresses (for `ns.dns.<zone>` and the NS records). */
  localIPs: string[];
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR';

/** What the plugin writes; `next` means it passed the query on (NextOrFailure). */
export type Reply =
  | { kind: 'next' }
  | { kind: 'answer'; rcode: Rcode; authoritative: boolean; recursionAvailable: boolean; answers: Answer[]; authorities: Answer[]; additionals: Answer[] };

const SCHEMA_VERSION = '1.1.0';

/** msg.Service: a host (IP or name) reached under an owner name, with a port. */
interface Entry {
  host: string;
  port: number;
  /** msg.Domain(key): the name an SRV record targets. */
  domain: string;
  ttl: number;
  text?: string;
}

class NameError extends Error {}

interface Request {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  podOrSvc: string;
}

export const fqdn = (n: string): string => (n.endsWith('.') ? n : `${n}.`);
const bare = (n: string): string => (n === '.' ? '.' : n.replace(/\.$/, ''));
const isIPv4 = (s: string): boolean => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);
const isIPv6 = (s: string): boolean => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s);
const isIP = (s: string): boolean => isIPv4(s) || isIPv6(s);
const isSubdomain = (parent: string, child: string): boolean => child === parent || child.endsWith(`.${parent}`) || parent === '.';

/** plugin.Zones.Matches: the longest zone `name` is in. */
export function matchZone(zones: string[], name: string): string | undefined {
  let best: string | undefined;
  for (const z of zones) if (isSubdomain(z, name) && (!best || z.length > best.length)) best = z;
  return best;
}

/** parseRequest: the parts of `_port._protocol.service.namespace.svc|pod.zone`. */
function parseRequest(name: string, zone: string): Request {
  const r: Request = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  const base = name === zone ? '' : name.slice(0, -zone.length - 1);
  if (base === '' || base === 'svc' || base === 'pod') return r;
  const segs = base.split('.');
  let last = segs.length - 1;
  r.podOrSvc = segs[last];
  if (r.podOrSvc !== 'pod' && r.podOrSvc !== 'svc') throw new NameError();
  if (--last < 0) return r;
  r.namespace = segs[last];
  if (--last < 0) return r;
  r.service = segs[last];
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = segs[1].replace(/^_/, '');
    r.port = segs[0].replace(/^_/, '');
  } else throw new NameError();
  return r;
}

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The address in a reverse name (`4.3.2.1.in-addr.arpa.` → 1.2.3.4), or '' if it is not one. */
function addressFromReverse(name: string): string {
  const v4 = /^((?:\d{1,3}\.){3}\d{1,3})\.in-addr\.arpa\.$/.exec(name);
  if (v4) {
    const ip = v4[1].split('.').reverse().join('.');
    return isIPv4(ip) ? ip : '';
  }
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa\.$/.exec(name);
  if (!v6) return '';
  const nibbles = v6[1].split('.').filter(Boolean).reverse().join('');
  return nibbles.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

const isReverse = (name: string): boolean => name.endsWith('.in-addr.arpa.') || name.endsWith('.ip6.arpa.') || name === 'in-addr.arpa.' || name === 'ip6.arpa.';

export class KubernetesPlugin {
  constructor(
    private readonly src: DnsSource,
    readonly cfg: KubernetesConfig,
  ) {}

  private get primaryZone(): string {
    return this.cfg.zones.find((z) => !isReverse(z)) ?? this.cfg.zones[0];
  }

  private exposed(ns: string): boolean {
    const configured = this.cfg.namespaces.length === 0 || this.cfg.namespaces.includes(ns);
    return configured && this.src.namespaceExists(ns);
  }

  private endpointHostname(a: { ip: string; hostname?: string; targetRefName?: string }): string {
    if (a.hostname) return a.hostname;
    if (this.cfg.endpointPodNames && a.targetRefName) return a.targetRefName;
    return a.ip.replace(/[.:]/g, '-');
  }

  /** Records: the entries a name in the zone stands for; NameError when it names nothing. */
  private records(name: string, zone: string): Entry[] {
    const r = parseRequest(name, zone);
    if (r.podOrSvc === '') return [];
    if (isReverse(name)) throw new NameError();
    if (!this.exposed(r.namespace)) throw new NameError();
    return r.podOrSvc === 'pod' ? this.findPods(r, zone) : this.findServices(r, zone);
  }

  private findPods(r: Request, zone: string): Entry[] {
    if (this.cfg.podMode === 'disabled') throw new NameError();
    if (r.service === '') return [];
    const podname = r.service;
    const ip = (podname.match(/-/g) ?? []).length === 3 && !podname.includes('--') ? podname.replace(/-/g, '.') : podname.replace(/-/g, ':');
    const domain = `${podname}.${r.namespace}.pod.${zone}`;
    if (this.cfg.podMode === 'insecure') {
      if (!isIP(ip)) throw new NameError();
      return [{ host: ip, port: 0, domain, ttl: this.cfg.ttl }];
    }
    const pods = this.src.podsByIP(ip).filter((p) => eq(p.namespace, r.namespace));
    if (!pods.length) throw new NameError();
    return pods.map(() => ({ host: ip, port: 0, domain, ttl: this.cfg.ttl }));
  }

  private findServices(r: Request, zone: string): Entry[] {
    if (r.service === '') return [];
    const svc = this.src.service(r.namespace, r.service) ?? this.src.service(r.namespace.toLowerCase(), r.service.toLowerCase());
    if (!svc) throw new NameError();
    const out: Entry[] = [];
    let found = false;
    const base = `${svc.name}.${svc.namespace}.svc.${zone}`;
    const matches = (p: { name: string; protocol: string }): boolean => (r.port === '' || eq(r.port, p.name)) && (r.protocol === '' || eq(r.protocol, p.protocol));
    if (svc.type === 'ExternalName') {
      // External services have no endpoints, and only a name makes a CNAME.
      if (r.endpoint === '' && svc.externalName && !isIP(svc.externalName)) {
        out.push({ host: svc.externalName, port: 0, domain: base, ttl: this.cfg.ttl });
        found = true;
      }
    } else if (svc.headless || r.endpoint !== '') {
      for (const ep of this.src.endpoints(svc.namespace, svc.name)) {
        for (const a of ep.addresses) {
          if (r.endpoint !== '' && !eq(r.endpoint, this.endpointHostname(a))) continue;
          for (const p of ep.ports) {
            if (!matches(p)) continue;
            out.push({ host: a.ip, port: p.port, domain: `${this.endpointHostname(a)}.${base}`, ttl: this.cfg.ttl });
            found = true;
          }
        }
      }
    } else {
      for (const p of svc.ports) {
        if (!matches(p)) continue;
        found = true;
        for (const ip of svc.clusterIPs) out.push({ host: ip, port: p.port, domain: base, ttl: this.cfg.ttl });
      }
    }
    if (!found) throw new NameError();
    return out;
  }

  /** nsAddrs: the Services whose endpoints are this server (kube-dns), else its own addresses. */
  private nsAddrs(zone: string): { name: string; ip: string }[] {
    const out: { name: string; ip: string }[] = [];
    for (const local of this.cfg.localIPs) {
      for (const ep of this.src.endpointsByIP(local)) {
        const svc = this.src.service(ep.namespace, ep.service);
        if (!svc) continue;
        const name = `${svc.name}.${svc.namespace}.svc.${zone}`;
        if (svc.headless) for (const a of ep.addresses) out.push({ name: `${this.endpointHostname(a)}.${name}`, ip: a.ip });
        else for (const ip of svc.clusterIPs) out.push({ name, ip });
      }
    }
    return out.length ? out : this.cfg.localIPs.map((ip) => ({ name: `ns.dns.${zone}`, ip }));
  }

  /** The backend's Services: records, plus the special names (dns-version, ns.dns). */
  private services(name: string, zone: string, qtype: RecordType): Entry[] {
    if (qtype === 'TXT') {
      if (name !== `dns-version.${zone}`) return [];
      return [{ host: '', port: 0, domain: name, ttl: 28800, text: SCHEMA_VERSION }];
    }
    if (name === `ns.dns.${zone}`) {
      return this.nsAddrs(zone)
        .filter((a) => (qtype === 'AAAA' ? isIPv6(a.ip) : isIPv4(a.ip)))
        .map((a) => ({ host: a.ip, port: 0, domain: name, ttl: this.cfg.ttl }));
    }
    const s = this.records(name, zone);
    // SRV for external services is not implemented upstream: they are left out.
    return qtype === 'SRV' ? s.filter((e) => isIP(e.host)) : s;
  }

  private rr(name: string, type: RecordType, ttl: number, data: unknown): Answer {
    return { name: bare(name), type, ttl, class: 'IN', data } as Answer;
  }

  /** plugin.A / plugin.AAAA, with CNAMEs followed inside the zone. */
  private address(qname: string, zone: string, qtype: 'A' | 'AAAA', previous: Answer[]): Answer[] {
    const name = fqdn(qname.toLowerCase());
    // The apex has no address records (there is no apex.dns entry in Kubernetes).
    const entries = name === zone ? [] : this.services(name, zone, qtype);
    const out: Answer[] = [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (!isIP(e.host)) {
        const target = fqdn(e.host);
        if (target.toLowerCase() === name) continue;
        if (previous.length > 7) continue;
        if (previous.some((p) => p.type === 'CNAME' && p.data === bare(target))) continue;
        const cname = this.rr(qname, 'CNAME', e.ttl, bare(target));
        if (isSubdomain(zone, target.toLowerCase())) {
          try {
            const next = this.address(target, zone, qtype, [...previous, cname]);
            if (next.length) out.push(cname, ...next);
          } catch (err) {
            if (!(err instanceof NameError)) throw err;
          }
          continue;
        }
        // The target is resolved upstream (forward); with no upstream in the model the CNAME alone is answered.
        out.push(cname);
        continue;
      }
      if ((qtype === 'A') !== isIPv4(e.host) || seen.has(e.host)) continue;
      seen.add(e.host);
      out.push(this.rr(qname, qtype, e.ttl, e.host));
    }
    return out;
  }

  private srv(qname: string, zone: string): { records: Answer[]; extra: Answer[] } {
    const entries = this.services(fqdn(qname.toLowerCase()), zone, 'SRV');
    // Every entry has priority 0 and weight 100, so each gets 100/n (at least 1).
    const weight = Math.max(1, Math.floor(100 / entries.length));
    const records: Answer[] = [];
    const extra: Answer[] = [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (e.port === -1) continue;
      const k = `${e.domain} ${e.port}`;
      if (!seen.has(k)) {
        seen.add(k);
        records.push(this.rr(qname, 'SRV', e.ttl, { priority: 0, weight, port: e.port, target: bare(e.domain) }));
      }
      const a = `${e.domain} @${e.host}`;
      if (!seen.has(a)) {
        seen.add(a);
        extra.push(this.rr(e.domain, isIPv4(e.host) ? 'A' : 'AAAA', e.ttl, e.host));
      }
    }
    return { records, extra };
  }

  private ptr(qname: string, zone: string): Answer[] {
    const name = fqdn(qname.toLowerCase());
    const ip = addressFromReverse(name);
    if (ip === '') {
      this.records(name, zone);
      return [];
    }
    const hosts: string[] = [];
    const svc = this.src.servicesByIP(ip).find((s) => this.cfg.namespaces.length === 0 || this.cfg.namespaces.includes(s.namespace));
    if (svc) hosts.push(`${svc.name}.${svc.namespace}.svc.${this.primaryZone}`);
    else {
      for (const ep of this.src.endpointsByIP(ip)) {
        if (this.cfg.namespaces.length && !this.cfg.namespaces.includes(ep.namespace)) continue;
        for (const a of ep.addresses) if (a.ip === ip) hosts.push(`${this.endpointHostname(a)}.${ep.service}.${ep.namespace}.svc.${this.primaryZone}`);
      }
    }
    if (!hosts.length) throw new NameError();
    return [...new Set(hosts)].map((h) => this.rr(qname, 'PTR', this.cfg.ttl, bare(h)));
  }

  /** plugin.SOA: the zone's SOA, TTL capped at 300, the minimum the plugin's TTL. */
  soa(zone: string): Answer {
    const ttl = Math.min(this.cfg.ttl, 300);
    return this.rr(zone, 'SOA', ttl, {
      mname: bare(`ns.dns.${zone}`),
      rname: bare(`hostmaster.${zone}`),
      serial: this.src.serial() >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: this.cfg.ttl,
    });
  }

  private ns(qname: string, zone: string): { records: Answer[]; extra: Answer[] } {
    const records: Answer[] = [];
    const extra: Answer[] = [];
    for (const a of this.nsAddrs(zone)) {
      extra.push(this.rr(a.name, isIPv4(a.ip) ? 'A' : 'AAAA', this.cfg.ttl, a.ip));
      if (!records.some((r) => (r as { data?: unknown }).data === bare(a.name))) records.push(this.rr(qname, 'NS', this.cfg.ttl, bare(a.name)));
    }
    return { records, extra };
  }

  private fallsThrough(name: string): boolean {
    const f = this.cfg.fallthrough;
    if (!f) return false;
    return f.length === 0 || f.some((z) => isSubdomain(z, name));
  }

  /** ServeDNS of the plugin for one question. */
  serve(qname: string, qtype: RecordType): Reply {
    const name = fqdn(qname.toLowerCase());
    const zone = matchZone(this.cfg.zones, name);
    if (!zone) return { kind: 'next' };
    let records: Answer[] = [];
    let extra: Answer[] = [];
    try {
      switch (qtype) {
        case 'A':
        case 'AAAA':
          records = this.address(qname, zone, qtype, []);
          break;
        case 'TXT':
          records = this.services(name, zone, 'TXT').map((e) => this.rr(qname, 'TXT', e.ttl, e.text));
          break;
        case 'CNAME': {
          const first = this.services(name, zone, 'CNAME')[0];
          if (first && !isIP(first.host)) records = [this.rr(qname, 'CNAME', first.ttl, bare(fqdn(first.host)))];
          break;
        }
        case 'PTR':
          records = this.ptr(qname, zone);
          break;
        case 'SRV':
          ({ records, extra } = this.srv(qname, zone));
          break;
        case 'SOA':
          records = [this.soa(zone)];
          break;
        case 'NS':
          // NS below the apex is answered like any other type.
          if (name === zone) ({ records, extra } = this.ns(qname, zone));
          else this.address(qname, zone, 'A', []);
          break;
        default:
          // A fake A lookup tells NODATA from NXDOMAIN.
          this.address(qname, zone, 'A', []);
      }
    } catch (err) {
      if (!(err instanceof NameError)) throw err;
      if (this.fallsThrough(name)) return { kind: 'next' };
      return this.negative('NXDOMAIN', zone);
    }
    if (!records.length) return this.negative('NOERROR', zone);
    return { kind: 'answer', rcode: 'NOERROR', authoritative: true, recursionAvailable: true, answers: dedup(records), authorities: [], additionals: dedup(extra) };
  }

  /** BackendError: authoritative, no RA, the zone's SOA in the authority section. */
  private negative(rcode: Rcode, zone: string): Reply {
    return { kind: 'answer', rcode, authoritative: true, recursionAvailable: false, answers: [], authorities: [this.soa(zone)], additionals: [] };
  }
}

/** dnsutil.Dedup: the same record twice is sent once. */
function dedup(rrs: Answer[]): Answer[] {
  const seen = new Set<string>();
  return rrs.filter((r) => {
    const k = `${r.name.toLowerCase()} ${r.type} ${JSON.stringify((r as { data?: unknown }).data)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `ttl` and friends default as the plugin's setup does. */
export function defaultKubernetesConfig(over: Partial<KubernetesConfig> = {}): KubernetesConfig {
  return { zones: ['cluster.local.'], podMode: 'disabled', ttl: 5, namespaces: [], endpointPodNames: false, localIPs: [], ...over };
}

