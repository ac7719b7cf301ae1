/**
 * /sys/class/net as one namespace sees it: a directory per device with the attribute files the
 * kernel's net-sysfs shows (ifindex, iflink, address, mtu, operstate, carrier, flags, ...),
 * statistics/, and for bridges and their ports bridge/, brif/ and brport/. Reading an attribute
 * the device cannot answer (carrier or speed while down) fails with EINVAL as in the kernel; a
 * few settings can be written (`echo 1 > .../brport/hairpin_mode`).
 */
import { bridgeId, iflink, portId, portNo, portState, sysfsFlags } from '../../kernel/ifinfo.ts';
import type { Link, LinkStats } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';

/** An attribute file: its content (or the errno reading fails with) and, if writable, a setter. */
export interface SysAttr {
  read(): string | 'EINVAL';
  write?(value: number): 'EINVAL' | 'ERANGE' | 'EBUSY' | undefined;
}

type Dir = Map<string, SysAttr | Dir>;

const ro = (f: () => string | number): SysAttr => ({ read: () => `${f()}\n` });
const rw = (f: () => string | number, write: (v: number) => 'EINVAL' | 'ERANGE' | 'EBUSY' | undefined): SysAttr => ({ read: () => `${f()}\n`, write });

/** ARPHRD_* of each kind. */
function arphrd(link: Link): number {
  return link.kind === 'loopback' ? 772 : link.kind === 'ipip' ? 768 : 1;
}

const STAT_FILES: [string, keyof LinkStats | undefined][] = [
  ['collisions', undefined], ['multicast', 'multicast'], ['rx_bytes', 'rxBytes'], ['rx_compressed', undefined],
  ['rx_crc_errors', undefined], ['rx_dropped', 'rxDropped'], ['rx_errors', 'rxErrors'], ['rx_fifo_errors', undefined],
  ['rx_frame_errors', undefined], ['rx_length_errors', undefined], ['rx_missed_errors', undefined], ['rx_nohandler', undefined],
  ['rx_over_errors', undefined], ['rx_packets', 'rxPackets'], ['tx_aborted_errors', undefined], ['tx_bytes', 'txBytes'],
  ['tx_carrier_errors', undefined], ['tx_compressed', undefined], ['tx_dropped', 'txDropped'], ['tx_errors', 'txErrors'],
  ['tx_fifo_errors', undefined], ['tx_heartbeat_errors', undefined], ['tx_packets', 'txPackets'], ['tx_window_errors', undefined],
];

const PORT_STATE = { disabled: 0, listening: 1, learning: 2, forwarding: 3, blocking: 4 } as const;

/** A 0/1 setting. */
function flag(get: () => boolean, set: (v: boolean) => void): SysAttr {
  return rw(() => (get() ? 1 : 0), (v) => void set(v !== 0));
}

function bridgeDir(br: Link): Dir {
  const b = br.bridge!;
  const id = (): string => bridgeId(br);
  return new Map<string, SysAttr>([
    ['ageing_time', rw(() => b.ageingTime, (v) => void (b.ageingTime = v))],
    ['bridge_id', ro(id)],
    ['forward_delay', rw(() => b.forwardDelay, (v) => (b.stp && (v < 200 || v > 3000) ? 'ERANGE' : void (b.forwardDelay = v)))],
    ['gc_timer', ro(() => 0)],
    ['group_addr', ro(() => '01:80:c2:00:00:00')],
    ['group_fwd_mask', ro(() => '0x0')],
    ['hash_elasticity', ro(() => 16)],
    ['hash_max', ro(() => 4096)],
    ['hello_time', rw(() => b.helloTime, (v) => (v < 100 || v > 1000 ? 'ERANGE' : void (b.helloTime = v)))],
    ['hello_timer', ro(() => 0)],
    ['max_age', rw(() => b.maxAge, (v) => (v < 600 || v > 4000 ? 'ERANGE' : void (b.maxAge = v)))],
    ['multicast_igmp_version', ro(() => 2)],
    ['multicast_last_member_count', ro(() => 2)],
    ['multicast_last_member_interval', ro(() => 100)],
    ['multicast_membership_interval', ro(() => 26000)],
    ['multicast_mld_version', ro(() => 1)],
    ['multicast_querier', ro(() => 0)],
    ['multicast_querier_interval', ro(() => 25500)],
    ['multicast_query_interval', ro(() => 12500)],
    ['multicast_query_response_interval', ro(() => 1000)],
    ['multicast_query_use_ifaddr', ro(() => 0)],
    ['multicast_router', ro(() => 1)],
    ['multicast_snooping', ro(() => 1)],
    ['multicast_startup_query_count', ro(() => 2)],
    ['multicast_startup_query_interval', ro(() => 3124)],
    ['multicast_stats_enabled', ro(() => 0)],
    ['nf_call_arptables', ro(() => 0)],
    ['nf_call_ip6tables', ro(() => 0)],
    ['nf_call_iptables', ro(() => 0)],
    ['no_linklocal_learn', ro(() => 0)],
    ['priority', rw(() => b.priority, (v) => void (b.priority = v & 0xffff))],
    ['root_id', ro(id)],
    ['root_path_cost', ro(() => 0)],
    ['root_port', ro(() => 0)],
    ['stp_state', rw(() => (b.stp ? 1 : 0), (v) => void (b.stp = v !== 0))],
    ['tcn_timer', ro(() => 0)],
    ['topology_change', ro(() => 0)],
    ['topology_change_detected', ro(() => 0)],
    ['topology_change_timer', ro(() => 0)],
  ]);
}

function brportDir(port: Link): Dir {
  const p = port.port!;
  const br = port.master!;
  return new Map<string, SysAttr>([
    ['backup_port', ro(() => '')],
    ['bpdu_guard', ro(() => 0)],
    ['broadcast_flood', flag(() => p.bcastFlood ?? true, (v) => (p.bcastFlood = v))],
    ['change_ack', ro(() => 0)],
    ['config_pending', ro(() => 0)],
    ['designated_bridge', ro(() => bridgeId(br))],
    ['designated_cost', ro(() => 0)],
    ['designated_port', ro(() => portId(port))],
    ['designated_root', ro(() => bridgeId(br))],
    ['forward_delay_timer', ro(() => 0)],
    ['group_fwd_mask', ro(() => '0x0')],
    ['hairpin_mode', flag(() => p.hairpin, (v) => (p.hairpin = v))],
    ['hold_timer', ro(() => 0)],
    ['isolated', flag(() => p.isolated ?? false, (v) => (p.isolated = v))],
    ['learning', flag(() => p.learning, (v) => (p.learning = v))],
    ['message_age_timer', ro(() => 0)],
    ['multicast_fast_leave', ro(() => 0)],
    ['multicast_flood', flag(() => p.mcastFlood ?? true, (v) => (p.mcastFlood = v))],
    ['multicast_router', ro(() => 1)],
    ['multicast_to_unicast', ro(() => 0)],
    ['neigh_suppress', flag(() => p.neighSuppress ?? false, (v) => (p.neighSuppress = v))],
    ['path_cost', rw(() => p.cost, (v) => (v < 1 ? 'EINVAL' : void (p.cost = v)))],
    ['port_id', ro(() => `0x${portId(port).toString(16).padStart(4, '0')}`)],
    ['port_no', ro(() => `0x${portNo(port).toString(16)}`)],
    ['priority', rw(() => p.priority, (v) => (v > 63 ? 'ERANGE' : void (p.priority = v)))],
    ['proxyarp', flag(() => p.proxyArp ?? false, (v) => (p.proxyArp = v))],
    ['proxyarp_wifi', ro(() => 0)],
    ['root_block', ro(() => 0)],
    ['state', ro(() => PORT_STATE[portState(port)])],
    ['unicast_flood', flag(() => p.flood, (v) => (p.flood = v))],
  ]);
}

/** The attributes of one device, as a tree of names. */
function deviceDir(ns: NetNs, link: Link): Dir {
  const up = (f: () => string | number): SysAttr => ({ read: () => (link.adminUp ? `${f()}\n` : 'EINVAL') });
  const dir: Dir = new Map<string, SysAttr | Dir>([
    ['addr_len', ro(() => (link.kind === 'ipip' ? 4 : 6))],
    ['address', ro(() => link.mac)],
    ['broadcast', ro(() => link.brd)],
    ['carrier', up(() => (link.carrier ? 1 : 0))],
    ['dev_id', ro(() => '0x0')],
    ['dev_port', ro(() => 0)],
    ['dormant', up(() => 0)],
    ['flags', ro(() => `0x${sysfsFlags(link).toString(16)}`)],
    ['gro_flush_timeout', ro(() => 0)],
    ['ifalias', { read: () => (link.alias ? `${link.alias}\n` : '') }],
    ['ifindex', ro(() => link.ifindex)],
    ['iflink', ro(() => iflink(link))],
    ['link_mode', ro(() => 0)],
    ['mtu', rw(() => link.mtu, (v) => {
      try {
        ns.setMtu(link, v);
      } catch {
        return 'EINVAL';
      }
      return undefined;
    })],
    ['netdev_group', ro(() => link.group)],
    ['operstate', ro(() => link.operstate.toLowerCase())],
    ['proto_down', ro(() => 0)],
    ['tx_queue_len', rw(() => link.txqlen, (v) => void (link.txqlen = v))],
    ['type', ro(() => arphrd(link))],
    ['uevent', ro(() => `${link.kind === 'bridge' || link.kind === 'vxlan' ? `DEVTYPE=${link.kind}\n` : ''}INTERFACE=${link.name}\nIFINDEX=${link.ifindex}`)],
    ['statistics', new Map(STAT_FILES.map(([name, key]) => [name, ro(() => (key ? link.stats[key] : 0))]))],
  ]);
  // Speed and duplex come from the driver's link settings: EINVAL while down or when it has none.
  const settings = (f: () => string | number): SysAttr => ({
    read: () => (link.adminUp && (link.kind === 'veth' || link.kind === 'macvlan' || link.kind === 'bridge') ? `${f()}\n` : 'EINVAL'),
  });
  dir.set('duplex', settings(() => (link.kind === 'bridge' ? 'unknown' : 'full')));
  dir.set('speed', settings(() => (link.kind !== 'bridge' || link.ports().some((p) => p.running) ? 10000 : -1)));
  if (link.kind === 'bridge') {
    dir.set('bridge', bridgeDir(link));
    dir.set('brif', new Map(link.ports().map((p) => [p.name, brportDir(p)])));
  }
  if (link.port && link.master) dir.set('brport', brportDir(link));
  return new Map([...dir.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Walks `parts` (below /sys/class/net) to a file or directory. */
export function sysfsLookup(ns: NetNs, parts: string[]): SysAttr | Dir | undefined {
  let node: SysAttr | Dir = new Map([...ns.links.values()].map((l) => [l.name, new Map<string, SysAttr | Dir>()]));
  for (const [i, name] of parts.entries()) {
    if (!(node instanceof Map)) return undefined;
    if (i === 0) {
      const link = ns.link(name);
      if (!link) return undefined;
      node = deviceDir(ns, link);
      continue;
    }
    const next: SysAttr | Dir | undefined = node.get(name);
    if (!next) return undefined;
    node = next;
  }
  return node;
}

export function isSysDir(node: SysAttr | Dir): node is Dir {
  return node instanceof Map;
}
