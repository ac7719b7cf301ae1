/**
 * The extension registry: every match and target podlab knows, by the name used with -m and -j.
 * Standard verdicts (ACCEPT, DROP, RETURN) are not extensions; rules hold them directly.
 */
import type { XtMatch, XtTarget } from './types.ts';
import { comment } from './comment.ts';
import { tcp } from './tcp.ts';
import { udp } from './udp.ts';
import { EXTRA_MATCHES, EXTRA_TARGETS } from './extra.ts';

export const STANDARD_VERDICTS = ['ACCEPT', 'DROP', 'RETURN'] as const;

const MATCHES = new Map<string, XtMatch>();
const TARGETS = new Map<string, XtTarget>();

for (const m of [comment, tcp, udp, ...EXTRA_MATCHES] as XtMatch[]) MATCHES.set(m.name, m);
for (const t of [...EXTRA_TARGETS] as XtTarget[]) TARGETS.set(t.name, t);

export function findMatch(name: string): XtMatch | undefined {
  return MATCHES.get(name);
}

export function findTarget(name: string): XtTarget | undefined {
  return TARGETS.get(name);
}
