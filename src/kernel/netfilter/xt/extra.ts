/**
 * Registration list for the less common extensions (each in its own module beside this one).
 */
import type { XtMatch, XtTarget } from './types.ts';
import { connmark, connmarkTarget } from './connmark.ts';
import { ct, notrack, trace } from './ct.ts';
import { dscp, dscpTarget } from './dscp.ts';
import { helper } from './helper.ts';
import { icmp } from './icmp.ts';
import { iprange } from './iprange.ts';
import { length } from './length.ts';
import { limit } from './limit.ts';
import { log } from './log.ts';
import { mac } from './mac.ts';
import { nflog } from './nflog.ts';
import { owner } from './owner.ts';
import { physdev } from './physdev.ts';
import { pkttype } from './pkttype.ts';
import { sctp } from './sctp.ts';
import { set } from './set.ts';
import { socket } from './socket.ts';
import { tcpmss } from './tcpmss.ts';
import { tos, tosTarget } from './tos.ts';
import { tproxy } from './tproxy.ts';
import { ttl, ttlTarget } from './ttl.ts';

export const EXTRA_MATCHES: XtMatch[] = [
  connmark, dscp, helper, icmp, iprange, length, limit, mac, owner, physdev, pkttype, sctp, set, socket, tos, ttl,
] as XtMatch[];
export const EXTRA_TARGETS: XtTarget[] = [
  connmarkTarget, ct, dscpTarget, log, nflog, notrack, tcpmss, tosTarget, tproxy, trace, ttlTarget,
] as XtTarget[];
