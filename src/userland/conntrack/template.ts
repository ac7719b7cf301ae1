/**
 * What conntrack's command line builds (its template nf_conntrack objects): the attributes a
 * filter compares, the values -I/-U would set, and the command and options as bit sets.
 * Attribute names follow libnetfilter_conntrack's ATTR_* so the comparisons read alike.
 */

/** An address as parsed: IPv4 as a 32-bit number; IPv6 as text (the sim tracks IPv4 only). */
export interface Addr {
  family: 4 | 6;
  v4: number;
  v6?: string;
}

export interface CtTemplate {
  origL3?: 4 | 6;
  replL3?: 4 | 6;
  origSrc?: Addr;
  origDst?: Addr;
  replSrc?: Addr;
  replDst?: Addr;
  l4proto?: number;
  /** Ports; GRE keys share these fields, as they share the tuple's union in the kernel. */
  origSport?: number;
  origDport?: number;
  replSport?: number;
  replDport?: number;
  /** Index into the protocol's state names. */
  tcpState?: number;
  sctpState?: number;
  dccpState?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  status?: number;
  timeout?: number;
  zone?: number;
  origZone?: number;
  replZone?: number;
  secmark?: number;
  id?: number;
  snatIp?: Addr;
  snatPort?: number;
  dnatIp?: Addr;
  dnatPort?: number;
}

/** IPS_* status bits (include/uapi/linux/netfilter/nf_conntrack_common.h). */
export const IPS: Readonly<Record<string, number>> = {
  EXPECTED: 1 << 0,
  SEEN_REPLY: 1 << 1,
  ASSURED: 1 << 2,
  CONFIRMED: 1 << 3,
  SRC_NAT: 1 << 4,
  DST_NAT: 1 << 5,
  SEQ_ADJUST: 1 << 6,
  SRC_NAT_DONE: 1 << 7,
  DST_NAT_DONE: 1 << 8,
  DYING: 1 << 9,
  FIXED_TIMEOUT: 1 << 10,
  TEMPLATE: 1 << 11,
  NAT_CLASH: 1 << 12,
  HELPER: 1 << 13,
  OFFLOAD: 1 << 14,
  HW_OFFLOAD: 1 << 15,
};

/** The status word of a set of status names. */
export function statusBits(names: Iterable<string>): number {
  let v = 0;
  for (const n of names) v |= IPS[n] ?? 0;
  return v >>> 0;
}

/** Commands, in conntrack.c's bit order (enum ct_command). */
export const CMD = {
  CT_LIST: 0, CT_CREATE: 1, CT_UPDATE: 2, CT_DELETE: 3, CT_GET: 4, CT_FLUSH: 5, CT_EVENT: 6, CT_VERSION: 7, CT_HELP: 8,
  EXP_LIST: 9, EXP_CREATE: 10, EXP_DELETE: 11, EXP_GET: 12, EXP_FLUSH: 13, EXP_EVENT: 14, CT_COUNT: 15, EXP_COUNT: 16,
  CT_STATS: 17, EXP_STATS: 18, CT_ADD: 19,
} as const;
export const NUMBER_OF_CMD = 20;

/** Options, in conntrack.c's bit order (enum ct_options), with the names its errors use. */
export const OPT_NAMES = [
  'src', 'dst', 'reply-src', 'reply-dst', 'protonum', 'timeout', 'status', 'zero', 'event-mask', 'tuple-src', 'tuple-dst',
  'mask-src', 'mask-dst', 'nat-range', 'mark', 'id', 'family', 'src-nat', 'dst-nat', 'output', 'secmark', 'buffer-size',
  'any-nat', 'zone', 'label', 'label-add', 'label-del', 'orig-zone', 'reply-zone',
] as const;

export type OptName = (typeof OPT_NAMES)[number];

export function optBit(name: OptName): number {
  return 2 ** OPT_NAMES.indexOf(name);
}

/** Output flags of -o. */
export const OUT = { XML: 1, EXT: 2, TMS: 4, ID: 8, KTMS: 16, CL: 32, SAVE: 64 } as const;

/** Event mask of -e. */
export const EVT = { NEW: 1, UPD: 2, DEL: 4, ALL: 7 } as const;
