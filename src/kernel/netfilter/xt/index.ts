/**
 * The extension registry: every match and target podlab knows, by the name used with -m and -j.
 * Standard verdicts (ACCEPT, DROP, RETURN) are not extensions; rules hold them directly.
 */
import type { XtMatch, XtTarget } from './types.ts';
import { comment } from './comment.ts';
import { tcp } from './tcp.ts';
import { udp } from './udp.ts';
import { EXTRA_MATCHES, EXTRA_TARGETS } from './extra.ts';
import { addrtype } from './addrtype.ts';
import { conntrack, state } from './conntrack.ts';
import { markMatch, markTarget } from './mark.ts';
import { multiport } from './multiport.ts';
import { dnat, masquerade, redirect, snat } from './nat.ts';
import { recent } from './recent.ts';
import { reject } from './reject.ts';
import { statistic } from './statistic.ts';

export const STANDARD_VERDICTS = ['ACCEPT', 'DROP', 'RETURN'] as const;

const MATCHES = new Map<string, XtMatch>();
const TARGETS = new Map<string, XtTarget>();

const CORE_MATCHES = [addrtype, comment, conntrack, markMatch, multiport, recent, state, statistic, tcp, udp] as XtMatch[];
const CORE_TARGETS = [dnat, markTarget, masquerade, redirect, reject, snat] as XtTarget[];
for (const m of [...CORE_MATCHES, ...EXTRA_MATCHES]) MATCHES.set(m.name, m);
for (const t of [...CORE_TARGETS, ...EXTRA_TARGETS]) TARGETS.set(t.name, t);

export function findMatch(name: string): XtMatch | undefined {
  return MATCHES.get(name);
}

export function findTarget(name: string): XtTarget | undefined {
  return TARGETS.get(name);
}
