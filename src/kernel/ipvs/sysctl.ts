/**
 * The net.ipv4.vs.* sysctls a namespace gets when ip_vs is loaded (ip_vs_ctl.c's vs_vars), with
 * their defaults. kube-proxy in IPVS mode sets conntrack, expire_nodest_conn and
 * expire_quiescent_template to 1; the packet path reads conntrack and expire_nodest_conn.
 */
export const IPVS_SYSCTL_DEFAULTS: Readonly<Record<string, string>> = {
  'net.ipv4.vs.am_droprate': '10',
  'net.ipv4.vs.amemthresh': '1024',
  'net.ipv4.vs.backup_only': '0',
  'net.ipv4.vs.cache_bypass': '0',
  'net.ipv4.vs.conn_reuse_mode': '1',
  'net.ipv4.vs.conntrack': '0',
  'net.ipv4.vs.drop_entry': '0',
  'net.ipv4.vs.drop_packet': '0',
  'net.ipv4.vs.expire_nodest_conn': '0',
  'net.ipv4.vs.expire_quiescent_template': '0',
  'net.ipv4.vs.ignore_tunneled': '0',
  'net.ipv4.vs.nat_icmp_send': '0',
  'net.ipv4.vs.pmtu_disc': '1',
  'net.ipv4.vs.run_estimation': '1',
  'net.ipv4.vs.schedule_icmp': '0',
  'net.ipv4.vs.secure_tcp': '0',
  'net.ipv4.vs.sloppy_sctp': '0',
  'net.ipv4.vs.sloppy_tcp': '0',
  'net.ipv4.vs.snat_reroute': '1',
  'net.ipv4.vs.sync_persist_mode': '0',
  'net.ipv4.vs.sync_ports': '1',
  'net.ipv4.vs.sync_qlen_max': '61234',
  'net.ipv4.vs.sync_refresh_period': '0',
  'net.ipv4.vs.sync_retries': '0',
  'net.ipv4.vs.sync_sock_size': '0',
  'net.ipv4.vs.sync_threshold': '3\t50',
  'net.ipv4.vs.sync_version': '1',
};
