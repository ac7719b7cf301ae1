/**
 * A namespace's sysctls (/proc/sys/net): values by dotted name with the defaults a fresh network
 * namespace has on this kernel, per-device `conf` entries created with each device (copied
 * from `conf.default`), and how the kernel combines `all` with a device's own value.
 */
import { CT_SYSCTL_DEFAULTS } from './conntrack/sysctl.ts';

/** Defaults of a new network namespace (net.core.devconf_inherit_init_net=0). */
const NS_DEFAULTS: Record<string, string> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv4.ip_default_ttl': '64',
  'net.ipv4.ip_local_port_range': '32768\t60999',
  'net.ipv4.ip_nonlocal_bind': '0',
  'net.ipv4.tcp_syn_retries': '6',
  'net.ipv4.tcp_fin_timeout': '60',
  'net.ipv4.ping_group_range': '0\t2147483647',
  'net.ipv4.icmp_echo_ignore_all': '0',
  'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  'net.core.somaxconn': '4096',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'net.bridge.bridge-nf-call-arptables': '1',
  'net.netfilter.nf_conntrack_max': '262144',
  'net.netfilter.nf_conntrack_buckets': '262144',
  'net.netfilter.nf_conntrack_tcp_timeout_syn_sent': '120',
  'net.netfilter.nf_conntrack_tcp_timeout_syn_recv': '60',
  'net.netfilter.nf_conntrack_tcp_timeout_established': '432000',
  'net.netfilter.nf_conntrack_tcp_timeout_fin_wait': '120',
  'net.netfilter.nf_conntrack_tcp_timeout_close_wait': '60',
  'net.netfilter.nf_conntrack_tcp_timeout_last_ack': '30',
  'net.netfilter.nf_conntrack_tcp_timeout_time_wait': '120',
  'net.netfilter.nf_conntrack_tcp_timeout_close': '10',
  'net.netfilter.nf_conntrack_tcp_timeout_max_retrans': '300',
  'net.netfilter.nf_conntrack_tcp_timeout_unacknowledged': '300',
  'net.netfilter.nf_conntrack_udp_timeout': '30',
  'net.netfilter.nf_conntrack_udp_timeout_stream': '120',
  'net.netfilter.nf_conntrack_icmp_timeout': '30',
  'net.netfilter.nf_conntrack_generic_timeout': '600',
  'net.netfilter.nf_conntrack_tcp_loose': '1',
  'net.netfilter.nf_conntrack_tcp_be_liberal': '0',
  'net.netfilter.nf_conntrack_acct': '0',
  'net.netfilter.nf_conntrack_events': '2',
};

/** Per-device IPv4 settings and their defaults. */
const CONF_DEFAULTS: Record<string, string> = {
  accept_local: '0',
  accept_redirects: '1',
  accept_source_route: '1',
  arp_accept: '0',
  arp_announce: '0',
  arp_evict_nocarrier: '1',
  arp_filter: '0',
  arp_ignore: '0',
  arp_notify: '0',
  bc_forwarding: '0',
  bootp_relay: '0',
  disable_policy: '0',
  disable_xfrm: '0',
  drop_gratuitous_arp: '0',
  drop_unicast_in_l2_multicast: '0',
  force_igmp_version: '0',
  forwarding: '0',
  igmpv2_unsolicited_report_interval: '10000',
  igmpv3_unsolicited_report_interval: '1000',
  ignore_routes_with_linkdown: '0',
  log_martians: '0',
  mc_forwarding: '0',
  medium_id: '0',
  promote_secondaries: '0',
  proxy_arp: '0',
  proxy_arp_pvlan: '0',
  route_localnet: '0',
  rp_filter: '0',
  secure_redirects: '1',
  send_redirects: '1',
  shared_media: '1',
  src_valid_mark: '0',
  tag: '0',
};

/** Where `conf.all` starts out different from `conf.default` (a new namespace's ipv4_devconf). */
const CONF_ALL_DEFAULTS: Record<string, string> = { accept_source_route: '0' };

/** inetdev_init gives the loopback device no IPsec policy checks. */
const CONF_LOOPBACK: Record<string, string> = { disable_policy: '1', disable_xfrm: '1' };

/** How a device's effective value combines `all` and its own (the kernel's IN_DEV_* macros). */
const COMBINE: Record<string, 'max' | 'or' | 'and' | 'own'> = {
  forwarding: 'own',
  rp_filter: 'max',
  arp_ignore: 'max',
  arp_announce: 'max',
  route_localnet: 'or',
  proxy_arp: 'or',
  accept_local: 'or',
  log_martians: 'or',
  src_valid_mark: 'or',
  arp_filter: 'or',
  send_redirects: 'or',
  accept_redirects: 'and',
};

export class SysctlError extends Error {
  constructor(readonly key: string, readonly errno: 'ENOENT' | 'EINVAL' | 'EPERM') {
    super(`${key}: ${errno}`);
  }
}

export class Sysctl {
  private values = new Map<string, string>();

  constructor() {
    for (const [k, v] of Object.entries(CT_SYSCTL_DEFAULTS)) this.values.set(k, String(v));
    for (const [k, v] of Object.entries(NS_DEFAULTS)) this.values.set(k, v);
    for (const dev of ['all', 'default']) for (const [k, v] of Object.entries(CONF_DEFAULTS)) this.values.set(`net.ipv4.conf.${dev}.${k}`, v);
    for (const [k, v] of Object.entries(CONF_ALL_DEFAULTS)) this.values.set(`net.ipv4.conf.all.${k}`, v);
  }

  /** Creates a device's `conf` entries from `conf.default` (what register_netdevice does). */
  addDevice(name: string): void {
    for (const k of Object.keys(CONF_DEFAULTS)) this.values.set(confKey(name, k), this.values.get(`net.ipv4.conf.default.${k}`)!);
    if (name === 'lo') for (const [k, v] of Object.entries(CONF_LOOPBACK)) this.values.set(confKey(name, k), v);
  }

  removeDevice(name: string): void {
    for (const k of Object.keys(CONF_DEFAULTS)) this.values.delete(confKey(name, k));
  }

  renameDevice(from: string, to: string): void {
    for (const k of Object.keys(CONF_DEFAULTS)) {
      const v = this.values.get(confKey(from, k));
      this.values.delete(confKey(from, k));
      if (v !== undefined) this.values.set(confKey(to, k), v);
    }
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  num(key: string): number {
    return Number((this.values.get(key) ?? '0').split('\t')[0]);
  }

  keys(): string[] {
    return [...this.values.keys()].sort();
  }

  /** Writes a value as `sysctl -w` would; forwarding switches propagate as devinet_sysctl_forward does. */
  /** Adds a sysctl a module registers when it loads (ip_vs's net.ipv4.vs.*); keeps a value already there. */
  register(key: string, value: string): void {
    if (!this.values.has(key)) this.values.set(key, value);
  }

  set(key: string, value: string): void {
    if (!this.values.has(key)) throw new SysctlError(key, 'ENOENT');
    const v = value.trim().split(/\s+/).join('\t');
    if (key !== 'net.ipv4.ip_local_port_range' && key !== 'net.ipv4.ping_group_range' && !/^-?\d+$/.test(v)) throw new SysctlError(key, 'EINVAL');
    this.values.set(key, v);
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      // Turning forwarding on or off for "all" sets it on every device and the default too.
      for (const k of this.values.keys()) if (k.startsWith('net.ipv4.conf.') && k.endsWith('.forwarding')) this.values.set(k, v);
      this.values.set('net.ipv4.ip_forward', v);
      // inet_forward_change: a router does not take redirects.
      this.values.set('net.ipv4.conf.all.accept_redirects', Number(v) ? '0' : '1');
    }
  }

  /** A device's effective setting (IN_DEV_FORWARD, IN_DEV_RPFILTER, IN_DEV_PROXY_ARP, ...). */
  dev(name: string, setting: string): number {
    const own = this.num(confKey(name, setting));
    const all = this.num(`net.ipv4.conf.all.${setting}`);
    switch (COMBINE[setting] ?? 'own') {
      case 'max':
        return Math.max(own, all);
      case 'or':
        return own || all ? 1 : 0;
      case 'and':
        return own && all ? 1 : 0;
      default:
        return own;
    }
  }
}

/** sysctl names a device with dots in it (`flannel.1`) with slashes in the dotted form. */
export function confKey(dev: string, setting: string): string {
  return `net.ipv4.conf.${dev.replaceAll('.', '/')}.${setting}`;
}
