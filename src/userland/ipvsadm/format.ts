/**
 * ipvsadm 1.31's listings (print_title, print_service_entry, list_all, list_conn, list_timeout):
 * the plain table, --stats, --rate, --thresholds, --persistent-conn, the `-S` rule form, and
 * the connection table, column for column with the C format strings they come from.
 */
import { formatIPv4 } from '../../kernel/addr.ts';
import type { ConnTable, IpvsConn, IpvsDest, IpvsService } from '../../kernel/ipvs/index.ts';
import type { Names } from '../../kernel/netfilter/xt/types.ts';

export interface Fmt {
  numeric: boolean;
  rule?: boolean;
  stats?: boolean;
  rate?: boolean;
  thresholds?: boolean;
  persistentConn?: boolean;
  exact?: boolean;
  nosort?: boolean;
  names: Names;
  now: number;
}

const PROTO_NAME: Record<number, string> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };
const FWD_NAME = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route' } as const;
const FWD_SWITCH = { masq: '-m', tunnel: '-i', local: '-g', route: '-g' } as const;

/** printf's %-Ns and %Ns. */
const left = (s: string | number, n: number): string => String(s).padEnd(n);
const right = (s: string | number, n: number): string => String(s).padStart(n);

/** addrport_to_anyname: numeric `a.b.c.d:port`, else host and service names where known. */
function addrPort(addr: number, port: number, proto: number, f: Fmt): string {
  if (f.numeric) return `${formatIPv4(addr)}:${port}`;
  const host = f.names.addrToName(addr) ?? formatIPv4(addr);
  const svc = f.names.portToService(port, proto === 17 ? 'udp' : proto === 132 ? 'sctp' : 'tcp') ?? String(port);
  return `${host}:${svc}`;
}

/** print_largenum: 9 columns, scaled to K/M/G/T unless --exact. */
function largenum(i: number, f: Fmt): string {
  if (f.exact) {
    const s = String(i);
    return right(s, s.length <= 8 ? 9 : s.length + 1);
  }
  if (i < 1e8) return right(i, 9);
  if (i < 1e9) return `${right(Math.floor(i / 1e3), 8)}K`;
  if (i < 1e11) return `${right(Math.floor(i / 1e6), 8)}M`;
  if (i < 1e14) return `${right(Math.floor(i / 1e9), 8)}G`;
  return `${right(Math.floor(i / 1e12), 8)}T`;
}

export function title(f: Fmt): string {
  const head = 'Prot LocalAddress:Port';
  const sub = '  -> RemoteAddress:Port\n';
  if (f.stats) return `${left(head, 33)} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((x) => right(x, 8)).join(' ')}\n${sub}`;
  if (f.rate) return `${left(head, 33)} ${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'].map((x) => right(x, 8)).join(' ')}\n${sub}`;
  if (f.thresholds) return `${left(head, 33)} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((x) => left(x, 10)).join(' ')}\n${sub}`;
  if (f.persistentConn) return `${left(head, 33)} ${left('Weight', 9)} ${left('PersistConn', 11)} ${left('ActiveConn', 10)} ${left('InActConn', 10)}\n${sub}`;
  if (f.rule) return '';
  return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
}

/** ipvs_cmp_services: by mark, protocol, address, port. */
export function sortServices(svcs: readonly IpvsService[]): IpvsService[] {
  return [...svcs].sort((a, b) => a.fwmark - b.fwmark || a.proto - b.proto || (a.addr >>> 0) - (b.addr >>> 0) || a.port - b.port);
}

function serviceName(s: IpvsService, f: Fmt): string {
  if (s.fwmark) return f.rule ? `-f ${s.fwmark}` : `FWM  ${s.fwmark}`;
  const v = addrPort(s.addr, s.port, s.proto, f);
  if (f.rule) return `${s.proto === 6 ? '-t' : s.proto === 17 ? '-u' : '--sctp-service'} ${v}`;
  return `${left(PROTO_NAME[s.proto] ?? '', 4)} ${v}`.slice(0, 33);
}

export function serviceEntry(s: IpvsService, f: Fmt): string {
  const name = serviceName(s, f);
  let out: string;
  if (f.rule) {
    out = `-A ${name} -s ${s.sched}`;
    if (s.persistent !== undefined) {
      out += ` -p ${s.persistent}`;
      if (s.netmask >>> 0 !== 0xffffffff) out += ` -M ${formatIPv4(s.netmask)}`;
    }
    if (s.onePacket) out += ' -o';
  } else if (f.stats) {
    const t = s.stats.total;
    out = left(name, 33) + [t.conns, t.inpkts, t.outpkts, t.inbytes, t.outbytes].map((n) => largenum(n, f)).join('');
  } else if (f.rate) {
    const r = s.stats.rates(f.now);
    out = left(name, 33) + [r.cps, r.inpps, r.outpps, r.inbps, r.outbps].map((n) => largenum(n, f)).join('');
  } else {
    out = `${name} ${s.sched}`;
    if (s.persistent !== undefined) {
      out += ` persistent ${s.persistent}`;
      if (s.netmask >>> 0 !== 0xffffffff) out += ` mask ${formatIPv4(s.netmask)}`;
      if (s.onePacket) out += ' ops';
    }
  }
  out += '\n';
  const dests = f.nosort ? [...s.dests] : [...s.dests].sort((a, b) => (a.addr >>> 0) - (b.addr >>> 0) || a.port - b.port);
  for (const d of dests) out += destEntry(s, name, d, f);
  return out;
}

function destEntry(s: IpvsService, svcName: string, d: IpvsDest, f: Fmt): string {
  const full = addrPort(d.addr, d.port, s.proto, f);
  if (f.rule) return `-a ${svcName} -r ${full} ${FWD_SWITCH[d.fwd]} -w ${d.weight}\n`;
  const name = full.slice(0, 28);
  if (f.stats) {
    const t = d.stats.total;
    return `  -> ${left(name, 28)}${[t.conns, t.inpkts, t.outpkts, t.inbytes, t.outbytes].map((n) => largenum(n, f)).join('')}\n`;
  }
  if (f.rate) {
    const r = d.stats.rates(f.now);
    return `  -> ${left(name, 28)} ${right(r.cps, 8)} ${right(r.inpps, 8)} ${right(r.outpps, 8)}${largenum(r.inbps, f)}${largenum(r.outbps, f)}\n`;
  }
  if (f.thresholds) return `  -> ${left(name, 28)} ${left(d.uThreshold, 10)} ${left(d.lThreshold, 10)} ${left(d.activeConns, 10)} ${left(d.inactConns, 10)}\n`;
  if (f.persistentConn) return `  -> ${left(name, 28)} ${left(d.weight, 9)} ${left(d.persistConns, 11)} ${left(d.activeConns, 10)} ${left(d.inactConns, 10)}\n`;
  return `  -> ${left(name, 28)} ${left(FWD_NAME[d.fwd], 7)} ${left(d.weight, 6)} ${left(d.activeConns, 10)} ${left(d.inactConns, 10)}\n`;
}

/** IP_VS_VERSION_CODE and the connection hash table size (ip_vs_conn_tab_bits = 12). */
export const VERSION_LINE = 'IP Virtual Server version 1.2.1 (size=4096)\n';

/** `ipvsadm -Lc`: /proc/net/ip_vs_conn as print_conn shows it. */
export function connList(conns: readonly IpvsConn[], f: Fmt): string {
  let out = 'IPVS connection entries\n';
  out += `pro expire ${left('state', 11)} ${left('source', 18)} ${left('virtual', 18)} destination\n`;
  for (const c of conns) {
    const secs = Math.max(0, Math.floor((c.expires - f.now) / 1000));
    const expire = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
    const proto = c.fwmark && c.template ? 'IP' : PROTO_NAME[c.proto] ?? 'IP';
    out += `${left(proto, 3)} ${left(expire, 6)} ${left(c.state, 11)} ${left(addrPort(c.caddr, c.cport, c.proto, f), 18)} ${left(addrPort(c.vaddr, c.vport, c.proto, f), 18)} ${addrPort(c.daddr, c.dport, c.proto, f)}\n`;
  }
  return out;
}

export function timeoutLine(t: ConnTable['timeouts']): string {
  return `Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`;
}
