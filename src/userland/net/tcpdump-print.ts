/**
 * tcpdump 4.99's one-line decodes for what the model puts on the wire: Ethernet (-e) and Linux
 * cooked v2 headers (-i any), ARP, IPv4 (with -v's header line), ICMP echo and errors (with the
 * quoted packet under -v), UDP, VXLAN (4789) and OTV (8472) with the inner frame, TCP with
 * relative sequence numbers, and the first line of HTTP on ports 80 and 8080.
 */
import { formatIPv4 } from '../../kernel/addr.ts';
import { frameLength, ipLength, l4Length, type ArpMsg, type Frame, type IcmpMsg, type IpPacket, type TcpSegment, type UdpDatagram } from '../../kernel/wire.ts';
import { flagText, optionText, SeqTracker, tcpChecksum } from './tcpdump-tcp.ts';

export interface PrintOpts {
  /** -n: addresses and ports as numbers. */
  numeric: boolean;
  /** -v count. */
  verbose: number;
  /** -e: link-level headers. */
  ether: boolean;
  hostName(addr: number): string | undefined;
  portName(port: number, proto: 'tcp' | 'udp'): string | undefined;
}

const PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

/** The Internet checksum of an ICMP echo message (type, code, id, seq and data). */
function icmpChecksum(m: IcmpMsg): number {
  const b = [m.type, m.code, 0, 0, (m.id ?? 0) >> 8, (m.id ?? 0) & 255, (m.seq ?? 0) >> 8, (m.seq ?? 0) & 255, ...m.data];
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export class Printer {
  private seq = new SeqTracker();

  constructor(private readonly o: PrintOpts) {}

  private addr(a: number): string {
    return (this.o.numeric ? undefined : this.o.hostName(a)) ?? formatIPv4(a);
  }

  private port(p: number, proto: 'tcp' | 'udp'): string {
    return (this.o.numeric ? undefined : this.o.portName(p, proto)) ?? String(p);
  }

  /** A frame captured on an Ethernet device (`-i eth0`). */
  ethernet(f: Frame): string {
    if (!this.o.ether) return this.payload(f, true);
    const type = f.arp ? 'ARP (0x0806)' : 'IPv4 (0x0800)';
    return `${f.src} > ${f.dst}, ethertype ${type}, length ${frameLength(f)}: ${this.payload(f, false)}`;
  }

  /** A frame as `-i any` shows it: device, packet type, and with -e the cooked header's fields. */
  cooked(f: Frame, dev: string, ifindex: number, dir: string): string {
    const head = `${dev.padEnd(5)} ${dir.padEnd(3)} `;
    if (!this.o.ether) return head + this.payload(f, true);
    const type = f.arp ? 'ARP (0x0806)' : 'IPv4 (0x0800)';
    const len = (f.arp ? 28 : f.ip ? ipLength(f.ip) : 0) + 20;
    return `${head}ifindex ${ifindex} ${f.src} ethertype ${type}, length ${len}: ${this.payload(f, false)}`;
  }

  /** The network layer; `named` prints the protocol name first, as tcpdump does without -e. */
  private payload(f: Frame, named: boolean): string {
    if (f.arp) return (named ? 'ARP, ' : '') + this.arp(f.arp);
    if (f.ip) return this.ip(f.ip, named);
    return '';
  }

  private arp(a: ArpMsg): string {
    const v = this.o.verbose ? 'Ethernet (len 6), IPv4 (len 4), ' : '';
    if (a.op === 1) {
      const tha = a.tha !== '00:00:00:00:00:00' && a.tha !== 'ff:ff:ff:ff:ff:ff' ? ` (${a.tha})` : '';
      return `${v}Request who-has ${this.addr(a.tpa)}${tha} tell ${this.addr(a.spa)}, length 28`;
    }
    return `${v}Reply ${this.addr(a.spa)} is-at ${a.sha}, length 28`;
  }

  /** An IPv4 packet: `IP src > dst: ...`, or under -v the header line and the rest indented. */
  ip(p: IpPacket, named = true): string {
    const l4 = this.l4(p);
    if (!this.o.verbose) return `${named ? 'IP ' : ''}${l4}`;
    const flags = p.df ? 'DF' : 'none';
    const proto = PROTO_NAMES[p.proto] ? `${PROTO_NAMES[p.proto]} (${p.proto})` : `unknown (${p.proto})`;
    return `${named ? 'IP ' : ''}(tos 0x${p.tos.toString(16)}, ttl ${p.ttl}, id ${p.id}, offset 0, flags [${flags}], proto ${proto}, length ${ipLength(p)})\n    ${l4}`;
  }

  private l4(p: IpPacket): string {
    const l4 = p.l4;
    switch (l4.kind) {
      case 'tcp':
        return `${this.addr(p.src)}.${this.port(l4.sport, 'tcp')} > ${this.addr(p.dst)}.${this.port(l4.dport, 'tcp')}: ${this.tcp(p, l4)}`;
      case 'udp':
        return `${this.addr(p.src)}.${this.port(l4.sport, 'udp')} > ${this.addr(p.dst)}.${this.port(l4.dport, 'udp')}: ${this.udp(l4)}`;
      case 'icmp':
        return `${this.addr(p.src)} > ${this.addr(p.dst)}: ${this.icmp(l4)}`;
    }
  }

  private tcp(p: IpPacket, t: TcpSegment): string {
    const { seq, ack } = this.seq.relative(p, t);
    const len = t.data.length;
    let s = `Flags [${flagText(t.flags)}]`;
    if (this.o.verbose) s += `, cksum 0x${tcpChecksum(p, t).toString(16).padStart(4, '0')} (correct)`;
    if (len > 0 || t.flags & 0x07) s += `, seq ${seq}${len > 0 ? `:${(seq + len) >>> 0}` : ''}`;
    if (t.flags & 0x10) s += `, ack ${ack}`;
    s += `, win ${t.win}${optionText(t.options)}, length ${len}`;
    if (len > 0 && [80, 8080].some((x) => t.sport === x || t.dport === x)) s += `: ${this.http(t.data)}`;
    return s;
  }

  /** txtproto_print for HTTP: the first line of a request or response (all lines under -v). */
  private http(data: Uint8Array): string {
    const txt = new TextDecoder('latin1').decode(data);
    const first = /^(\S+)(?: (\S+))?/.exec(txt);
    const methods = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH'];
    const reqresp = !!first && (methods.includes(first[1].toUpperCase()) || /^\d{3}$/.test(first[2] ?? ''));
    if (!reqresp) return 'HTTP';
    const lines: string[] = [];
    let trunc = false;
    let rest = txt;
    while (rest.length) {
      const m = /^([\t\x20-\x7e]*)(\r\n|\n)/.exec(rest);
      if (!m) {
        if (/^[\t\x20-\x7e]+$/.test(rest)) {
          lines.push(rest);
          trunc = true;
        }
        break;
      }
      lines.push(m[1]);
      rest = rest.slice(m[0].length);
      if (!this.o.verbose) break;
    }
    const tail = trunc ? ' [|http]' : '';
    if (!this.o.verbose) return `HTTP: ${lines[0] ?? ''}${tail}`;
    return `HTTP, length: ${data.length}${lines.map((l) => `\n\t${l}`).join('')}${tail}`;
  }

  private udp(u: UdpDatagram): string {
    const port = (x: number): boolean => u.sport === x || u.dport === x;
    if (u.vxlan && port(4789)) return `VXLAN, flags [I] (0x08), vni ${u.vxlan.vni}\n${this.ethernet(u.vxlan.frame)}`;
    if (u.vxlan && port(8472)) return `OTV, flags [I] (0x08), overlay 0, instance ${u.vxlan.vni}\n${this.ethernet(u.vxlan.frame)}`;
    const len = u.vxlan ? l4Length(u) - 8 : u.data.length;
    if ((port(53) || port(5353)) && len < 12) return `domain [length ${len} < 12] (invalid)`;
    return `UDP, length ${len}`;
  }

  private icmp(m: IcmpMsg): string {
    const len = l4Length(m);
    if (m.type === 8 || m.type === 0) return `ICMP echo ${m.type === 8 ? 'request' : 'reply'}, id ${m.id ?? 0}, seq ${m.seq ?? 0}, length ${len}`;
    const q = m.orig;
    let text: string;
    if (m.type === 3 && q) text = this.unreach(m, q);
    else if (m.type === 11) text = m.code === 0 ? 'time exceeded in-transit' : m.code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${m.code}`;
    else if (m.type === 5 && q) text = `redirect ${this.addr(q.dst)} to ${m.code === 0 ? 'net' : 'host'} ${this.addr(m.gateway ?? 0)}`;
    else text = `type-#${m.type}`;
    let s = `ICMP ${text}, length ${len}`;
    if (this.o.verbose && q) s += `\n\t${this.quoted(q)}`;
    return s;
  }

  /** The packet an ICMP error quotes, printed as tcpdump prints it under -v. */
  private quoted(q: IpPacket): string {
    return this.ip(q, true);
  }

  private unreach(m: IcmpMsg, q: IpPacket): string {
    const dst = this.addr(q.dst);
    switch (m.code) {
      case 2:
        return `${dst} protocol ${q.proto} unreachable`;
      case 3: {
        const l4 = q.l4;
        if (l4.kind === 'tcp') return `${dst} tcp port ${this.port(l4.dport, 'tcp')} unreachable`;
        if (l4.kind === 'udp') return `${dst} udp port ${this.port(l4.dport, 'udp')} unreachable`;
        // The "port" tcpdump reads here is bytes 2-3 of the quoted header: an ICMP checksum.
        return `${dst} protocol ${q.proto} port ${l4.kind === 'icmp' ? icmpChecksum(l4) : 0} unreachable`;
      }
      case 4:
        return m.mtu ? `${dst} unreachable - need to frag (mtu ${m.mtu})` : `${dst} unreachable - need to frag`;
      default: {
        const fmt: Record<number, string> = {
          0: 'net %s unreachable',
          1: 'host %s unreachable',
          5: '%s unreachable - source route failed',
          6: 'net %s unreachable - unknown',
          7: 'host %s unreachable - unknown',
          8: '%s unreachable - source host isolated',
          9: 'net %s unreachable - admin prohibited',
          10: 'host %s unreachable - admin prohibited',
          11: 'net %s unreachable - tos prohibited',
          12: 'host %s unreachable - tos prohibited',
          13: 'host %s unreachable - admin prohibited filter',
          14: 'host %s unreachable - host precedence violation',
          15: 'host %s unreachable - precedence cutoff',
        };
        return (fmt[m.code] ?? `#${m.code} %s unreachable`).replace('%s', dst);
      }
    }
  }
}
