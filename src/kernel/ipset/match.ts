/**
 * What `-m set --match-set NAME src,dst...` asks of a set for a packet (the types' kadt
 * functions): each dimension takes the packet's source or destination side as the flags say,
 * ports come with the packet's protocol (ICMP gives `type << 8 | code`), and a packet without
 * ports never matches a set with a port dimension. A missing set never matches.
 */
import type { Packet } from '../netfilter/packet.ts';
import type { IpsetRegistry } from './registry.ts';
import type { Elem } from './types.ts';

const PORT_PROTOS = new Set([6, 17, 132, 136]);

/** The packet's port on one side, with its protocol, as ip_set_get_ip4_port reads it. */
function portOf(pkt: Packet, side: 'src' | 'dst'): number | undefined {
  if (pkt.proto === 1) return side === 'src' ? ((pkt.icmpType ?? 0) << 8) | (pkt.icmpCode ?? 0) : 0;
  if (!PORT_PROTOS.has(pkt.proto)) return undefined;
  return side === 'src' ? pkt.sport : pkt.dport;
}

export function setMatches(reg: IpsetRegistry, name: string, dirs: readonly ('src' | 'dst')[], pkt: Packet): boolean {
  const set = reg.get(name);
  if (!set) return false;
  const e: Elem = {};
  for (const [i, dim] of set.type.dims.entries()) {
    const side = dirs[i] ?? dirs[dirs.length - 1];
    const addr = side === 'src' ? pkt.src : pkt.dst;
    switch (dim) {
      case 'ip':
        e.ip = addr;
        break;
      case 'ip2':
        e.ip2 = addr;
        break;
      case 'net':
        if (set.type.name === 'hash:net') e.ip = addr;
        else e.ip2 = addr;
        break;
      case 'port': {
        const port = portOf(pkt, side);
        if (port === undefined) return false;
        e.port = port;
        e.proto = pkt.proto;
        break;
      }
    }
  }
  // bitmap:port keys on the port alone.
  if (set.type.kind === 'bitmap') return set.has({ port: e.port });
  return set.lookup(e);
}
