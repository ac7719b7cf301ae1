/**
 * Registration list for the less common extensions (each in its own module beside this one).
 */
import type { XtMatch, XtTarget } from './types.ts';

export const EXTRA_MATCHES: XtMatch[] = [];
export const EXTRA_TARGETS: XtTarget[] = [];
