/**
 * The net.netfilter.nf_conntrack_* sysctls as a fresh network namespace of Linux 6.18 shows them
 * (`ip netns exec X sysctl -a | grep conntrack`), and the timeouts the trackers read from them.
 * Timeouts are in seconds, as the sysctls are; the trackers work in milliseconds.
 */

export const CT_SYSCTL_DEFAULTS: Readonly<Record<string, number>> = {
  'net.netfilter.nf_conntrack_acct': 0,
  'net.netfilter.nf_conntrack_buckets': 262144,
  'net.netfilter.nf_conntrack_checksum': 1,
  'net.netfilter.nf_conntrack_count': 0,
  'net.netfilter.nf_conntrack_events': 2,
  'net.netfilter.nf_conntrack_expect_max': 4096,
  'net.netfilter.nf_conntrack_frag6_high_thresh': 4194304,
  'net.netfilter.nf_conntrack_frag6_low_thresh': 3145728,
  'net.netfilter.nf_conntrack_frag6_timeout': 60,
  'net.netfilter.nf_conntrack_generic_timeout': 600,
  'net.netfilter.nf_conntrack_gre_timeout': 30,
  'net.netfilter.nf_conntrack_gre_timeout_stream': 180,
  'net.netfilter.nf_conntrack_icmp_timeout': 30,
  'net.netfilter.nf_conntrack_icmpv6_timeout': 30,
  'net.netfilter.nf_conntrack_log_invalid': 0,
  'net.netfilter.nf_conntrack_max': 262144,
  'net.netfilter.nf_conntrack_sctp_timeout_closed': 10,
  'net.netfilter.nf_conntrack_sctp_timeout_cookie_echoed': 3,
  'net.netfilter.nf_conntrack_sctp_timeout_cookie_wait': 3,
  'net.netfilter.nf_conntrack_sctp_timeout_established': 210,
  'net.netfilter.nf_conntrack_sctp_timeout_heartbeat_sent': 30,
  'net.netfilter.nf_conntrack_sctp_timeout_shutdown_ack_sent': 3,
  'net.netfilter.nf_conntrack_sctp_timeout_shutdown_recd': 3,
  'net.netfilter.nf_conntrack_sctp_timeout_shutdown_sent': 3,
  'net.netfilter.nf_conntrack_tcp_be_liberal': 0,
  'net.netfilter.nf_conntrack_tcp_ignore_invalid_rst': 0,
  'net.netfilter.nf_conntrack_tcp_loose': 1,
  'net.netfilter.nf_conntrack_tcp_max_retrans': 3,
  'net.netfilter.nf_conntrack_tcp_timeout_close': 10,
  'net.netfilter.nf_conntrack_tcp_timeout_close_wait': 60,
  'net.netfilter.nf_conntrack_tcp_timeout_established': 432000,
  'net.netfilter.nf_conntrack_tcp_timeout_fin_wait': 120,
  'net.netfilter.nf_conntrack_tcp_timeout_last_ack': 30,
  'net.netfilter.nf_conntrack_tcp_timeout_max_retrans': 300,
  'net.netfilter.nf_conntrack_tcp_timeout_syn_recv': 60,
  'net.netfilter.nf_conntrack_tcp_timeout_syn_sent': 120,
  'net.netfilter.nf_conntrack_tcp_timeout_time_wait': 120,
  'net.netfilter.nf_conntrack_tcp_timeout_unacknowledged': 300,
  'net.netfilter.nf_conntrack_timestamp': 0,
  'net.netfilter.nf_conntrack_udp_timeout': 30,
  'net.netfilter.nf_conntrack_udp_timeout_stream': 120,
};

/** Reads one conntrack sysctl; the environment may return undefined-as-NaN for unknown keys. */
export type SysctlReader = (key: string) => number;

/** Milliseconds of a timeout sysctl, falling back to the namespace default. */
export function timeoutMs(sysctl: SysctlReader, name: string): number {
  const key = `net.netfilter.nf_conntrack_${name}`;
  const v = sysctl(key);
  return (Number.isFinite(v) ? v : CT_SYSCTL_DEFAULTS[key]) * 1000;
}

/** A plain (non-timeout) conntrack sysctl, falling back to the namespace default. */
export function ctSysctl(sysctl: SysctlReader, name: string): number {
  const key = `net.netfilter.nf_conntrack_${name}`;
  const v = sysctl(key);
  return Number.isFinite(v) ? v : CT_SYSCTL_DEFAULTS[key];
}
