/**
 * /proc/net of one namespace, in the kernel's seq_file formats: dev (per-device counters), route
 * (the main table, addresses in host-order hex), arp (the neighbour table) and nf_conntrack (the
 * conntrack table, rendered by the conntrack tool's formatter).
 */
import { RT_TABLE_MAIN } from '../../kernel/fib.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { conntrackOf } from '../../kernel/stack/state.ts';
import type { System } from '../../userland/command.ts';
import { procNfConntrack } from '../../userland/conntrack/format.ts';

const pad = (v: number | string, w: number): string => String(v).padStart(w);

/** dev_seq_printf_stats: one line per device, in the namespace's device order. */
export function procNetDev(ns: NetNs): string {
  let s =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  for (const l of ns.links.values()) {
    const st = l.stats;
    s += `${pad(l.name, 6)}:${pad(st.rxBytes, 8)} ${pad(st.rxPackets, 7)} ${pad(st.rxErrors, 4)} ${pad(st.rxDropped, 4)} ${pad(0, 4)} ${pad(0, 5)} ${pad(0, 10)} ${pad(st.multicast, 9)} `;
    s += `${pad(st.txBytes, 8)} ${pad(st.txPackets, 7)} ${pad(st.txErrors, 4)} ${pad(st.txDropped, 4)} ${pad(0, 4)} ${pad(0, 5)} ${pad(0, 7)} ${pad(0, 10)}\n`;
  }
  return s;
}

/** An IPv4 address as the kernel prints a __be32 with %08X on a little-endian machine. */
function hexLE(addr: number): string {
  const b = [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255];
  return b.reverse().map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** fib_route_seq_show: the main table's routes, each line padded to 127 characters. */
export function procNetRoute(ns: NetNs): string {
  const line = (t: string): string => t.padEnd(127) + '\n';
  let s = line('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
  for (const r of ns.fib.table(RT_TABLE_MAIN)) {
    if (r.type !== 'unicast' && r.type !== 'blackhole' && r.type !== 'unreachable' && r.type !== 'prohibit') continue;
    const mask = r.plen === 0 ? 0 : (0xffffffff << (32 - r.plen)) >>> 0;
    const flags = (r.type === 'unicast' ? 0x1 : 0) | (r.gateway !== undefined ? 0x2 : 0) | (r.plen === 32 ? 0x4 : 0);
    s += line(
      `${r.dev?.name ?? '*'}\t${hexLE(r.dst)}\t${hexLE(r.gateway ?? 0)}\t${flags.toString(16).toUpperCase().padStart(4, '0')}\t0\t0\t${r.metric}\t${hexLE(mask)}\t0\t0\t0`,
    );
  }
  return s;
}

/** arp_seq_show: IPv4 neighbours with their ATF_* flags (0x2 complete, 0x4 permanent). */
export function procNetArp(ns: NetNs): string {
  let s = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const n of ns.neigh.list()) {
    const valid = n.state !== 'INCOMPLETE' && n.state !== 'FAILED';
    const flags = n.state === 'PERMANENT' ? 0x6 : valid ? 0x2 : 0;
    const ip = [n.addr >>> 24, (n.addr >>> 16) & 255, (n.addr >>> 8) & 255, n.addr & 255].join('.');
    const hw = n.lladdr ?? '00:00:00:00:00:00';
    s += `${ip.padEnd(16)} 0x${'1'.padEnd(10)}0x${flags.toString(16).padEnd(10)}${hw.padEnd(17)}     ${'*'.padEnd(8)} ${n.dev.name}\n`;
  }
  return s;
}

/** /proc/net/nf_conntrack: the namespace's connection tracking table. */
export function procNetConntrack(sys: System): string {
  const ct = sys.conntrack?.() ?? conntrackOf(sys.netns());
  return procNfConntrack(ct.entries(), ct.now());
}
