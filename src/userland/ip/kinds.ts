/**
 * The device kinds `ip link ... type KIND ARGS` knows (iplink_*.c link_util): each kind's
 * option parser, which fills a plain record the link command applies, and its `-d` printer
 * (print_opt) for the `    KIND ...` and `    bridge_slave ...` lines. veth's `peer` options
 * are parsed by link.ts itself, since they are link options again.
 */
import { formatIPv4 } from '../../kernel/addr.ts';
import type { Link } from '../../kernel/link.ts';
import { AF_INET, Args, duparg2, getAddr, getU16, getU8, getUnsigned, IpExit, matches, invarg, nodev, stderr } from './args.ts';
import type { IpCtx } from './context.ts';

export interface VxlanOpts {
  vni?: number;
  remote?: number;
  local?: number;
  dev?: Link;
  ttl?: number;
  /** `ttl inherit` (IFLA_VXLAN_TTL_INHERIT): the inner packet's TTL. */
  ttlInherit?: boolean;
  /** IFLA_VXLAN_TOS: 1 is `inherit`. */
  tos?: number;
  df?: 'unset' | 'set' | 'inherit';
  dstport?: number;
  dstportGiven: boolean;
  learning?: boolean;
  srcport?: [number, number];
  ageing?: number;
}

export interface BridgeOpts {
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  stp?: number;
  priority?: number;
  vlanFiltering?: number;
}

export interface PortOpts {
  state?: number;
  priority?: number;
  cost?: number;
  hairpin?: boolean;
  learning?: boolean;
  flood?: boolean;
  mcastFlood?: boolean;
  bcastFlood?: boolean;
  neighSuppress?: boolean;
  isolated?: boolean;
  proxyArp?: boolean;
}

export interface MacvlanOpts {
  mode?: 'private' | 'vepa' | 'bridge' | 'passthru' | 'source';
}

export interface IpipOpts {
  remote?: number;
  local?: number;
  dev?: Link;
  ttl?: number;
  pmtudisc: boolean;
}

export type KindOpts =
  | { kind: 'vxlan'; o: VxlanOpts }
  | { kind: 'bridge'; o: BridgeOpts }
  | { kind: 'bridge_slave'; o: PortOpts }
  | { kind: 'macvlan'; o: MacvlanOpts }
  | { kind: 'ipip'; o: IpipOpts }
  | { kind: 'dummy' }
  | { kind: 'veth' };

/** Kinds iproute2 has a link_util for (the rest are "Garbage instead of arguments" with options). */
export const KNOWN_KINDS = new Set(['veth', 'bridge', 'bridge_slave', 'vxlan', 'macvlan', 'macvtap', 'ipip', 'sit', 'dummy', 'vlan', 'bond', 'bond_slave', 'ifb', 'vrf', 'geneve', 'gre', 'gretap', 'ipvlan', 'ipvtap', 'nlmon', 'vcan', 'vxcan', 'team', 'team_slave', 'wireguard']);

/** The kinds podlab's kernel can create (others get the kernel's "Unknown device type"). */
export const SUPPORTED_KINDS = new Set(['veth', 'bridge', 'vxlan', 'macvlan', 'ipip', 'dummy']);

function vxlanExplain(): void {
  stderr(
    'Usage: ... vxlan id VNI\n' +
      '\t\t[ { group | remote } IP_ADDRESS ]\n' +
      '\t\t[ local ADDR ]\n' +
      '\t\t[ ttl TTL ]\n' +
      '\t\t[ tos TOS ]\n' +
      '\t\t[ df DF ]\n' +
      '\t\t[ flowlabel LABEL ]\n' +
      '\t\t[ dev PHYS_DEV ]\n' +
      '\t\t[ dstport PORT ]\n' +
      '\t\t[ srcport MIN MAX ]\n' +
      '\t\t[ [no]learning ]\n' +
      '\t\t[ [no]proxy ]\n' +
      '\t\t[ [no]rsc ]\n' +
      '\t\t[ [no]l2miss ]\n' +
      '\t\t[ [no]l3miss ]\n' +
      '\t\t[ ageing SECONDS ]\n' +
      '\t\t[ maxaddress NUMBER ]\n' +
      '\t\t[ [no]udpcsum ]\n' +
      '\t\t[ [no]udp6zerocsumtx ]\n' +
      '\t\t[ [no]udp6zerocsumrx ]\n' +
      '\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]\n' +
      '\t\t[ [no]external ] [ gbp ] [ gpe ]\n' +
      '\t\t[ [no]vnifilter ]\n' +
      '\n' +
      'Where:\tVNI\t:= 0-16777215\n' +
      '\tADDR\t:= { IP_ADDRESS | any }\n' +
      '\tTOS\t:= { NUMBER | inherit }\n' +
      '\tTTL\t:= { 1..255 | auto | inherit }\n' +
      '\tDF\t:= { unset | set | inherit }\n' +
      '\tLABEL := 0-1048575\n',
  );
}

/** vxlan_parse_opt (the IPv4 subset podlab's vxlan carries). Returns -1 after printing on error. */
function parseVxlan(ctx: IpCtx, a: Args, create: boolean): VxlanOpts | number {
  const o: VxlanOpts = { dstportGiven: false };
  const seen = new Set<string>();
  const dup = (attr: string, key: string): void => {
    if (seen.has(attr)) duparg2(key, a.cur);
    seen.add(attr);
  };
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'id') || matches(w, 'vni')) {
      a.next();
      dup('id', 'id');
      const v = getUnsigned(a.cur);
      if (v === undefined || v >= 1 << 24) invarg('invalid id', a.cur);
      o.vni = v;
    } else if (matches(w, 'group') || matches(w, 'remote')) {
      const group = matches(w, 'group');
      a.next();
      dup('group', group ? 'group' : 'remote');
      const addr = getAddr(a.cur, AF_INET).v4;
      const multi = addr >>> 28 === 0xe;
      if (group && !multi) invarg('invalid group address', a.cur);
      if (!group && (multi || addr === 0)) invarg('invalid remote address', a.cur);
      o.remote = addr;
    } else if (matches(w, 'local')) {
      a.next();
      dup('local', 'local');
      const addr = getAddr(a.cur, AF_INET).v4;
      if (addr >>> 28 === 0xe || addr === 0) invarg('invalid local address', a.cur);
      o.local = addr;
    } else if (matches(w, 'dev')) {
      a.next();
      dup('dev', 'dev');
      const l = ctx.link(a.cur);
      if (!l) throw new IpExit(nodev(a.cur) & 255);
      o.dev = l;
    } else if (matches(w, 'ttl') || matches(w, 'hoplimit')) {
      a.next();
      dup('ttl', 'ttl');
      if (a.cur === 'inherit') o.ttlInherit = true;
      else if (a.cur === 'auto') o.ttl = 0;
      else {
        const v = getUnsigned(a.cur);
        if (v === undefined) invarg('invalid TTL', a.cur);
        if (v > 255) invarg('TTL must be <= 255', a.cur);
        o.ttl = v;
      }
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) {
      a.next();
      dup('tos', 'tos');
      if (a.cur === 'inherit') o.tos = 1;
      else {
        const v = ctx.names.dsfieldA2N(a.cur);
        if (v === undefined) invarg('bad TOS value', a.cur);
        o.tos = v;
      }
    } else if (matches(w, 'df')) {
      a.next();
      dup('df', 'df');
      if (a.cur !== 'unset' && a.cur !== 'set' && a.cur !== 'inherit') invarg('DF must be \'unset\', \'set\' or \'inherit\'', a.cur);
      o.df = a.cur;
    } else if (matches(w, 'ageing')) {
      a.next();
      dup('ageing', 'ageing');
      const v = a.cur === 'none' ? 0 : getUnsigned(a.cur);
      if (v === undefined) invarg('ageing timer', a.cur);
      o.ageing = v;
    } else if (matches(w, 'port') || matches(w, 'srcport')) {
      a.next();
      dup('srcport', 'srcport');
      const lo = getU16(a.cur);
      if (lo === undefined) invarg('min port', a.cur);
      a.next();
      const hi = getU16(a.cur);
      if (hi === undefined) invarg('max port', a.cur);
      if (lo || hi) o.srcport = [lo, hi];
    } else if (matches(w, 'dstport')) {
      a.next();
      dup('dstport', 'dstport');
      const v = getU16(a.cur);
      if (v === undefined) invarg('dst port', a.cur);
      o.dstport = v;
      o.dstportGiven = true;
    } else if (matches(w, 'nolearning')) {
      dup('learning', w);
      o.learning = false;
    } else if (matches(w, 'learning')) {
      dup('learning', w);
      o.learning = true;
    } else if (matches(w, 'help')) {
      vxlanExplain();
      return -1;
    } else {
      stderr(`vxlan: unknown command "${w}"?\n`);
      vxlanExplain();
      return -1;
    }
    a.shift();
  }
  if (o.vni === undefined && create) {
    stderr('vxlan: missing virtual network identifier\n');
    return -1;
  }
  if (o.remote !== undefined && o.remote >>> 28 === 0xe && !o.dev) {
    stderr("vxlan: 'group' requires 'dev' to be specified\n");
    return -1;
  }
  if (!o.dstportGiven && create) {
    stderr(
      'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
  }
  return o;
}

const BRIDGE_USAGE = [
  'Usage: ... bridge [ fdb_flush ]',
  ...['forward_delay FORWARD_DELAY', 'hello_time HELLO_TIME', 'max_age MAX_AGE', 'ageing_time AGEING_TIME', 'stp_state STP_STATE', 'priority PRIORITY', 'group_fwd_mask MASK', 'group_address ADDRESS', 'no_linklocal_learn NO_LINKLOCAL_LEARN', 'vlan_filtering VLAN_FILTERING', 'vlan_protocol VLAN_PROTOCOL', 'vlan_default_pvid VLAN_DEFAULT_PVID', 'vlan_stats_enabled VLAN_STATS_ENABLED', 'vlan_stats_per_port VLAN_STATS_PER_PORT', 'mcast_snooping MULTICAST_SNOOPING', 'mcast_vlan_snooping MULTICAST_VLAN_SNOOPING', 'mcast_router MULTICAST_ROUTER', 'mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR', 'mcast_querier MULTICAST_QUERIER', 'mcast_hash_elasticity HASH_ELASTICITY', 'mcast_hash_max HASH_MAX', 'mcast_last_member_count LAST_MEMBER_COUNT', 'mcast_startup_query_count STARTUP_QUERY_COUNT', 'mcast_last_member_interval LAST_MEMBER_INTERVAL', 'mcast_membership_interval MEMBERSHIP_INTERVAL', 'mcast_querier_interval QUERIER_INTERVAL', 'mcast_query_interval QUERY_INTERVAL', 'mcast_query_response_interval QUERY_RESPONSE_INTERVAL', 'mcast_startup_query_interval STARTUP_QUERY_INTERVAL', 'mcast_stats_enabled MCAST_STATS_ENABLED', 'mcast_igmp_version IGMP_VERSION', 'mcast_mld_version MLD_VERSION', 'nf_call_iptables NF_CALL_IPTABLES', 'nf_call_ip6tables NF_CALL_IP6TABLES', 'nf_call_arptables NF_CALL_ARPTABLES'].map((o) => `\t\t  [ ${o} ]`),
  '',
  'Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }',
  '',
].join('\n');

const BRIDGE_SLAVE_USAGE = [
  'Usage: ... bridge_slave [ fdb_flush ]',
  ...['state STATE', 'priority PRIO', 'cost COST', 'guard {on | off}', 'hairpin {on | off}', 'fastleave {on | off}', 'root_block {on | off}', 'learning {on | off}', 'flood {on | off}', 'proxy_arp {on | off}', 'proxy_arp_wifi {on | off}', 'mcast_router MULTICAST_ROUTER', 'mcast_fast_leave {on | off}', 'mcast_flood {on | off}', 'bcast_flood {on | off}', 'mcast_to_unicast {on | off}', 'group_fwd_mask MASK', 'neigh_suppress {on | off}', 'vlan_tunnel {on | off}', 'isolated {on | off}', 'locked {on | off}', 'backup_port DEVICE ] [ nobackup_port'].map((o) => `\t\t\t[ ${o} ]`),
  '',
].join('\n');

/** bridge_parse_opt (the STP and ageing settings). */
function parseBridge(a: Args): BridgeOpts | number {
  const o: BridgeOpts = {};
  const u32 = (what: string): number => {
    a.next();
    const v = getUnsigned(a.cur);
    if (v === undefined) invarg(`invalid ${what}`, a.cur);
    return v;
  };
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'forward_delay')) o.forwardDelay = u32('forward_delay');
    else if (matches(w, 'hello_time')) o.helloTime = u32('hello_time');
    else if (matches(w, 'max_age')) o.maxAge = u32('max_age');
    else if (matches(w, 'ageing_time')) o.ageingTime = u32('ageing_time');
    else if (matches(w, 'stp_state')) o.stp = u32('stp_state');
    else if (matches(w, 'priority')) {
      a.next();
      const v = getU16(a.cur);
      if (v === undefined) invarg('invalid priority', a.cur);
      o.priority = v;
    } else if (matches(w, 'vlan_filtering')) {
      a.next();
      const v = getU8(a.cur);
      if (v === undefined) invarg('invalid vlan_filtering', a.cur);
      o.vlanFiltering = v;
    } else {
      if (!matches(w, 'help')) stderr(`bridge: unknown command "${w}"?\n`);
      stderr(BRIDGE_USAGE);
      return -1;
    }
    a.shift();
  }
  return o;
}

/** parse_on_off: exits 1 on anything but on/off (bridge_slave_parse_on_off). */
function onOff(name: string, v: string): boolean {
  if (matches(v, 'off')) return false;
  if (matches(v, 'on')) return true;
  stderr(`Error: argument of "${name}" must be one of "off", "on", not "${v}"\n`);
  throw new IpExit(1);
}

/** bridge_slave_parse_opt */
function parseBridgeSlave(a: Args): PortOpts | number {
  const o: PortOpts = {};
  const flags: [string, keyof PortOpts][] = [
    ['hairpin', 'hairpin'],
    ['learning', 'learning'],
    ['flood', 'flood'],
    ['mcast_flood', 'mcastFlood'],
    ['bcast_flood', 'bcastFlood'],
    ['neigh_suppress', 'neighSuppress'],
    ['isolated', 'isolated'],
    ['proxy_arp', 'proxyArp'],
  ];
  while (a.more) {
    const w = a.cur;
    const flag = flags.find(([name]) => matches(w, name));
    if (matches(w, 'state')) {
      a.next();
      const v = getU8(a.cur);
      if (v === undefined) invarg('state is invalid', a.cur);
      o.state = v;
    } else if (matches(w, 'priority')) {
      a.next();
      const v = getU16(a.cur);
      if (v === undefined) invarg('priority is invalid', a.cur);
      o.priority = v;
    } else if (matches(w, 'cost')) {
      a.next();
      const v = getUnsigned(a.cur);
      if (v === undefined) invarg('cost is invalid', a.cur);
      o.cost = v;
    } else if (flag) {
      a.next();
      (o as Record<string, boolean>)[flag[1]] = onOff(flag[0], a.cur);
    } else {
      if (!matches(w, 'help')) stderr(`bridge_slave: unknown option "${w}"?\n`);
      stderr(BRIDGE_SLAVE_USAGE);
      return -1;
    }
    a.shift();
  }
  return o;
}

function parseMacvlan(a: Args): MacvlanOpts | number {
  const o: MacvlanOpts = {};
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'mode')) {
      a.next();
      if (!['private', 'vepa', 'bridge', 'passthru', 'source'].includes(a.cur)) {
        stderr(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${a.cur}"\n`);
        return -1;
      }
      o.mode = a.cur as MacvlanOpts['mode'];
    } else {
      stderr(`macvlan: unknown option "${w}"?\n`);
      stderr(
        'Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n\n' +
          'MODE: private | vepa | bridge | passthru | source\nMODE_FLAG: null | nopromisc | nodst\n' +
          'MODE_OPTS: for mode "source":\n\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }\n' +
          'BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n',
      );
      return -1;
    }
    a.shift();
  }
  return o;
}

function parseIpip(ctx: IpCtx, a: Args): IpipOpts | number {
  const o: IpipOpts = { pmtudisc: true };
  while (a.more) {
    const w = a.cur;
    if (w === 'remote') o.remote = getAddr(a.next(), AF_INET).v4 || undefined;
    else if (w === 'local') o.local = getAddr(a.next(), AF_INET).v4 || undefined;
    else if (matches(w, 'dev')) {
      const l = ctx.link(a.next());
      if (!l) throw new IpExit(nodev(a.cur) & 255);
      o.dev = l;
    } else if (w === 'ttl' || w === 'hoplimit' || w === 'hlim') {
      a.next();
      if (a.cur === 'inherit') o.ttl = 0;
      else {
        const v = getU8(a.cur);
        if (v === undefined) invarg('invalid TTL\n', a.cur);
        o.ttl = v;
      }
    } else if (w === 'nopmtudisc') o.pmtudisc = false;
    else if (w === 'pmtudisc') o.pmtudisc = true;
    else {
      stderr(
        'Usage: ... ipip [ remote ADDR ]\n\t\t[ local ADDR ]\n\t\t[ ttl TTL ]\n\t\t[ tos TOS ]\n\t\t[ [no]pmtudisc ]\n\t\t[ 6rd-prefix ADDR ]\n' +
          '\t\t[ 6rd-relay_prefix ADDR ]\n\t\t[ 6rd-reset ]\n\t\t[ dev PHYS_DEV ]\n\t\t[ fwmark MARK ]\n\t\t[ external ]\n' +
          '\t\t[ noencap ]\n\t\t[ encap { fou | gue | none } ]\n\t\t[ encap-sport PORT ]\n\t\t[ encap-dport PORT ]\n' +
          '\t\t[ [no]encap-csum ]\n\t\t[ [no]encap-csum6 ]\n\t\t[ [no]encap-remcsum ]\n\t\t[ mode { ip6ip | ipip | mplsip | any } ]\n\n' +
          'Where:\tADDR := { IP_ADDRESS | any }\n\tTOS  := { NUMBER | inherit }\n\tTTL  := { 1..255 | inherit }\n\tMARK := { 0x0..0xffffffff }\n',
      );
      return -1;
    }
    a.shift();
  }
  if (o.ttl && !o.pmtudisc) {
    stderr('ttl != 0 and nopmtudisc are incompatible\n');
    throw new IpExit(255);
  }
  return o;
}

/** lu->parse_opt for `type KIND ARGS`; -1 after an error was printed. */
export function parseKind(ctx: IpCtx, kind: string, args: string[], create: boolean): KindOpts | number {
  const a = new Args(args);
  switch (kind) {
    case 'vxlan': {
      const o = parseVxlan(ctx, a, create);
      return typeof o === 'number' ? o : { kind, o };
    }
    case 'bridge': {
      const o = parseBridge(a);
      return typeof o === 'number' ? o : { kind, o };
    }
    case 'bridge_slave': {
      const o = parseBridgeSlave(a);
      return typeof o === 'number' ? o : { kind, o };
    }
    case 'macvlan': {
      const o = parseMacvlan(a);
      return typeof o === 'number' ? o : { kind, o };
    }
    case 'ipip': {
      const o = parseIpip(ctx, a);
      return typeof o === 'number' ? o : { kind, o };
    }
    case 'dummy':
      // dummy has no options parser: iproute2 sends them nowhere.
      return { kind };
    default:
      return { kind: 'veth' };
  }
}

/**
 * The bridge id: all zeros until the bridge first computed it (a port came, or its MAC was
 * set), then its MAC.
 */
function bridgeIdOf(bridge: Link): string {
  const b = bridge.bridge!;
  return bridgeId(b.priority, b.macSet || b.hadPorts ? bridge.mac : '00:00:00:00:00:00');
}

/** br_dump_bridge_id: priority as 4 hex digits, then the MAC as ether_ntoa prints it (no padding). */
export function bridgeId(priority: number, mac: string): string {
  const unpadded = mac
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':');
  return `${priority.toString(16).padStart(4, '0')}.${unpadded}`;
}

/** `%4i.%.2i` of a timer in seconds. */
function timer(name: string, secs: number): string {
  const whole = Math.floor(secs);
  const cs = Math.floor((secs - whole) * 100);
  return `${name} ${String(whole).padStart(4)}.${String(cs).padStart(2, '0')} `;
}

/**
 * The bridge's fdb garbage collection: it first runs 0.1 s after the bridge came up (at once
 * after its ageing time was set), then every ageing time; stopping the bridge cancels it.
 */
function gcTimerSecs(bridge: Link): number {
  const b = bridge.bridge!;
  const firstRuns = [b.upSince !== undefined && bridge.adminUp ? b.upSince + 100 : undefined, b.gcSince].filter((x): x is number => x !== undefined);
  if (!firstRuns.length) return 0;
  const first = Math.max(...firstRuns);
  const now = bridge.ns.kernel.clock.now;
  if (now < first) return (first - now) / 1000;
  const period = b.ageingTime * 10;
  return (period - ((now - first) % period)) / 1000;
}

/** The forward delay timer a port arms when it starts forwarding (br_make_forwarding). */
function forwardDelaySecs(port: Link): number {
  const p = port.port!;
  if (p.state !== 'forwarding' || p.forwardingSince === undefined) return 0;
  const left = port.master!.bridge!.forwardDelay / 100 - (port.ns.kernel.clock.now - p.forwardingSince) / 1000;
  return Math.max(0, left);
}

/** The `-d` options of a device's own kind (lu->print_opt), after `    KIND `. */
export function printKindDetails(ctx: IpCtx, link: Link): void {
  const out = ctx.out;
  switch (link.kind) {
    case 'bridge': {
      const b = link.bridge!;
      const id = bridgeIdOf(link);
      out.any('forward_delay', `forward_delay ${b.forwardDelay} `, b.forwardDelay);
      out.any('hello_time', `hello_time ${b.helloTime} `, b.helloTime);
      out.any('max_age', `max_age ${b.maxAge} `, b.maxAge);
      out.any('ageing_time', `ageing_time ${b.ageingTime} `, b.ageingTime);
      out.any('stp_state', `stp_state ${b.stp ? 1 : 0} `, b.stp ? 1 : 0);
      out.any('priority', `priority ${b.priority} `, b.priority);
      out.any('vlan_filtering', `vlan_filtering ${b.vlanFiltering ? 1 : 0} `, b.vlanFiltering ? 1 : 0);
      out.any('bridge_id', `bridge_id ${id} `, id);
      out.any('root_id', `designated_root ${id} `, id);
      for (const [k, v] of [['root_port', 0], ['root_path_cost', 0], ['topology_change', 0], ['topology_change_detected', 0]] as const) out.any(k, `${k} ${v} `, v);
      for (const [k, v] of [['hello_timer', 0], ['tcn_timer', 0], ['topology_change_timer', 0], ['gc_timer', gcTimerSecs(link)]] as const) {
        if (out.isJson) out.any(k, '', Number(v.toFixed(2)));
        else out.fp(timer(k, v));
      }
      out.any('group_fwd_mask', 'group_fwd_mask 0 ', '0');
      out.any('group_addr', 'group_address 01:80:c2:00:00:00 ', '01:80:c2:00:00:00');
      const rest: [string, string, number][] = [
        ['mcast_snooping', 'mcast_snooping', 1],
        ['no_linklocal_learn', 'no_linklocal_learn', 0],
        ['mcast_vlan_snooping', 'mcast_vlan_snooping', 0],
        ['mcast_router', 'mcast_router', 1],
        ['mcast_query_use_ifaddr', 'mcast_query_use_ifaddr', 0],
        ['mcast_querier', 'mcast_querier', 0],
        ['mcast_hash_elasticity', 'mcast_hash_elasticity', 16],
        ['mcast_hash_max', 'mcast_hash_max', 4096],
        ['mcast_last_member_cnt', 'mcast_last_member_count', 2],
        ['mcast_startup_query_cnt', 'mcast_startup_query_count', 2],
        ['mcast_last_member_intvl', 'mcast_last_member_interval', 100],
        ['mcast_membership_intvl', 'mcast_membership_interval', 26000],
        ['mcast_querier_intvl', 'mcast_querier_interval', 25500],
        ['mcast_query_intvl', 'mcast_query_interval', 12500],
        ['mcast_query_response_intvl', 'mcast_query_response_interval', 1000],
        ['mcast_startup_query_intvl', 'mcast_startup_query_interval', 3124],
        ['mcast_stats_enabled', 'mcast_stats_enabled', 0],
        ['mcast_igmp_version', 'mcast_igmp_version', 2],
        ['mcast_mld_version', 'mcast_mld_version', 1],
        ['nf_call_iptables', 'nf_call_iptables', 0],
        ['nf_call_ip6tables', 'nf_call_ip6tables', 0],
        ['nf_call_arptables', 'nf_call_arptables', 0],
      ];
      for (const [key, label, v] of rest) out.any(key, `${label} ${v} `, v);
      return;
    }
    case 'vxlan': {
      const v = link.vxlan!;
      out.any('id', `id ${v.vni} `, v.vni);
      if (v.remote) {
        const multi = v.remote >>> 28 === 0xe;
        out.any(multi ? 'group' : 'remote', `${multi ? 'group' : 'remote'} ${formatIPv4(v.remote)} `, formatIPv4(v.remote));
      }
      if (v.local) out.any('local', `local ${formatIPv4(v.local)} `, formatIPv4(v.local));
      if (v.dev) out.any('link', `dev ${ctx.indexName(v.dev)} `, ctx.indexName(v.dev));
      const [lo, hi] = v.srcport ?? [0, 0];
      if (out.isJson) {
        out.openObject('port_range');
        out.json('low', lo);
        out.json('high', hi);
        out.closeObject();
      } else out.fp(`srcport ${lo} ${hi} `);
      out.any('port', `dstport ${v.dstport} `, v.dstport);
      out.json('learning', v.learning);
      if (!v.learning) out.fp('nolearning ');
      const tos = v.tos ?? 0;
      if (tos) {
        if (out.isJson || tos !== 1) out.any('tos', `tos 0x${tos.toString(16)} `, `0x${tos.toString(16)}`);
        else out.fp('tos inherit ');
      }
      if (v.ttlInherit) out.fp('ttl inherit ');
      else if (out.isJson || v.ttl) out.any('ttl', `ttl ${v.ttl} `, v.ttl);
      else out.fp('ttl auto ');
      // IFLA_VXLAN_DF is always dumped; `unset` shows only in JSON.
      const df = v.df ?? 'unset';
      if (df === 'unset') out.json('df', df);
      else out.any('df', `df ${df} `, df);
      const ageing = v.ageing ?? 300;
      out.any('ageing', ageing === 0 ? 'ageing none ' : `ageing ${ageing} `, ageing);
      out.any('udp_csum', 'udpcsum ', true);
      out.any('udp_zero_csum6_tx', 'noudp6zerocsumtx ', false);
      out.any('udp_zero_csum6_rx', 'noudp6zerocsumrx ', false);
      return;
    }
    case 'macvlan':
      out.any('mode', `mode ${link.macvlan!.mode} `, link.macvlan!.mode);
      out.any('bcqueuelen', 'bcqueuelen 1000 ', 1000);
      out.any('usedbcqueuelen', 'usedbcqueuelen 1000 ', 1000);
      return;
    case 'ipip': {
      const t = link.ipip!;
      out.any('proto', 'any ', 'any');
      const ep = (name: string, a: number): void => {
        const text = a ? formatIPv4(a) : 'any';
        if (out.isJson) out.json(name, text);
        else out.fp(`${name} ${text} `);
      };
      ep('remote', t.remote);
      ep('local', t.local);
      if (t.dev) out.any('link', `dev ${ctx.indexName(t.dev)} `, ctx.indexName(t.dev));
      if (out.isJson || t.ttl) out.any('ttl', `ttl ${t.ttl} `, t.ttl);
      else out.fp('ttl inherit ');
      out.any('pmtudisc', t.pmtudisc ? 'pmtudisc ' : 'nopmtudisc ', t.pmtudisc);
      return;
    }
    default:
      return;
  }
}

/** The `    bridge_slave ...` options of a bridge port (bridge_slave_print_opt). */
export function printPortDetails(ctx: IpCtx, link: Link): void {
  const out = ctx.out;
  const p = link.port!;
  const bridge = link.master!;
  const id = bridgeIdOf(bridge);
  // br_make_port_id: the priority above 10 bits of port number.
  const portId = (p.priority << 10) | (p.portNo ?? 1);
  const onOff = (key: string, label: string, v: boolean): void => out.any(key, `${label} ${v ? 'on' : 'off'} `, v);
  out.any('state', `state ${p.state} `, p.state);
  out.any('priority', `priority ${p.priority} `, p.priority);
  out.any('cost', `cost ${p.cost} `, p.cost);
  onOff('hairpin', 'hairpin', p.hairpin);
  onOff('guard', 'guard', false);
  onOff('root_block', 'root_block', false);
  onOff('fastleave', 'fastleave', false);
  onOff('learning', 'learning', p.learning);
  onOff('flood', 'flood', p.flood);
  out.any('id', `port_id 0x${portId.toString(16)} `, `0x${portId.toString(16)}`);
  out.any('no', `port_no 0x${(p.portNo ?? 1).toString(16)} `, `0x${(p.portNo ?? 1).toString(16)}`);
  out.any('designated_port', `designated_port ${portId} `, portId);
  out.any('designated_cost', 'designated_cost 0 ', 0);
  out.any('bridge_id', `designated_bridge ${id} `, id);
  out.any('root_id', `designated_root ${id} `, id);
  for (const [k, v] of [['hold_timer', 0], ['message_age_timer', 0], ['forward_delay_timer', forwardDelaySecs(link)]] as const) {
    if (out.isJson) out.any(k, '', Number(v.toFixed(2)));
    else out.fp(timer(k, v));
  }
  out.any('topology_change_ack', 'topology_change_ack 0 ', 0);
  out.any('config_pending', 'config_pending 0 ', 0);
  onOff('proxy_arp', 'proxy_arp', !!p.proxyArp);
  onOff('proxy_arp_wifi', 'proxy_arp_wifi', false);
  out.any('multicast_router', 'mcast_router 1 ', 1);
  out.fp('mcast_fast_leave off ');
  onOff('mcast_flood', 'mcast_flood', p.mcastFlood ?? true);
  onOff('bcast_flood', 'bcast_flood', p.bcastFlood ?? true);
  onOff('mcast_to_unicast', 'mcast_to_unicast', false);
  onOff('neigh_suppress', 'neigh_suppress', !!p.neighSuppress);
  out.any('group_fwd_mask', 'group_fwd_mask 0 ', '0');
  out.any('group_fwd_mask_str', 'group_fwd_mask_str 0x0 ', '0x0');
  onOff('vlan_tunnel', 'vlan_tunnel', false);
  onOff('isolated', 'isolated', !!p.isolated);
  onOff('locked', 'locked', false);
}
