/**
 * `-j CT` (raw table): conntrack settings for a new connection — no tracking, a zone, a helper,
 * event masks. `-j NOTRACK` is libxt_CT's alias for `CT --notrack` and keeps its own name.
 */
import { XtError, type XtTarget } from './types.ts';
import { x6Check } from './xtopt.ts';
import { strtoui } from './util.ts';

const CT_EVENTS = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark'];
const EXP_EVENTS = ['new'];

export interface CtData {
  notrack: boolean;
  helper: string;
  timeout: string;
  ctevents: number;
  expevents: number;
  zone: number;
  zoneMark: boolean;
  zoneDir: '' | '-orig' | '-reply';
  seen: string[];
}

function parseEvents(arg: string, table: string[]): number {
  let mask = 0;
  for (const e of arg.split(',')) {
    const i = table.indexOf(e);
    if (i < 0) throw new XtError(`Unknown event type "${e}"`);
    mask |= 1 << i;
  }
  return mask;
}

function events(mask: number, table: string[]): string {
  return table.filter((_, i) => mask & (1 << i)).join(',');
}

function text(d: CtData, pre: string): string {
  let s = '';
  if (d.notrack) s += ` ${pre}notrack`;
  if (d.helper) s += ` ${pre}helper ${d.helper}`;
  if (d.timeout) s += ` ${pre}timeout ${d.timeout}`;
  if (d.ctevents) s += ` ${pre}ctevents ${events(d.ctevents, CT_EVENTS)}`;
  if (d.expevents) s += ` ${pre}expevents ${events(d.expevents, EXP_EVENTS)}`;
  if (d.zoneMark) s += ` ${pre}zone${d.zoneDir} mark`;
  else if (d.zone) s += ` ${pre}zone${d.zoneDir} ${d.zone}`;
  return s;
}

const OPTS = ['notrack', 'helper', 'timeout', 'ctevents', 'expevents', 'zone-orig', 'zone-reply', 'zone'];

export const ct: XtTarget<CtData> = {
  kind: 'target',
  name: 'CT',
  options: OPTS.map((name) => ({ name, arg: name !== 'notrack', invert: true })),
  init: () => ({ notrack: false, helper: '', timeout: '', ctevents: 0, expevents: 0, zone: 0, zoneMark: false, zoneDir: '', seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'CT', opt, invert, false);
    switch (opt) {
      case 'notrack': d.notrack = true; break;
      case 'helper': d.helper = arg!.slice(0, 15); break;
      case 'timeout': d.timeout = arg!.slice(0, 31); break;
      case 'ctevents': d.ctevents = parseEvents(arg!, CT_EVENTS); break;
      case 'expevents': d.expevents = parseEvents(arg!, EXP_EVENTS); break;
      default: {
        d.zoneDir = opt === 'zone-orig' ? '-orig' : opt === 'zone-reply' ? '-reply' : '';
        if (arg === 'mark') {
          d.zoneMark = true;
          d.zone = 0;
        } else {
          const m = strtoui(arg!, 0, 0xffff);
          if (m === undefined) throw new XtError(`Cannot parse ${arg} as a zone ID`);
          d.zone = m;
          d.zoneMark = false;
        }
      }
    }
  },
  print: (d) => ' CT' + text(d, ''),
  save: (d) => text(d, '--'),
  tables: ['raw'],
  run(d, pkt) {
    if (d.notrack && pkt.ct === undefined) {
      // The stack checks for an untracked template before creating an entry; mark it here.
      pkt.ct = {
        state: 'UNTRACKED', status: new Set(), dir: 'ORIGINAL', proto: pkt.proto, origSrc: pkt.src, origDst: pkt.dst,
        replSrc: pkt.dst, replDst: pkt.src, mark: 0,
      };
    } else if (d.notrack && pkt.ct) pkt.ct.state = 'UNTRACKED';
    return { verdict: 'CONTINUE' };
  },
};

export const notrack: XtTarget<Record<string, never>> = {
  kind: 'target',
  name: 'NOTRACK',
  listName: 'CT',
  options: [],
  init: () => ({}),
  parse() {},
  print: () => ' NOTRACK',
  save: () => '',
  tables: ['raw'],
  run(_d, pkt, ctx) {
    return ct.run({ ...ct.init({} as never), notrack: true }, pkt, ctx);
  },
};

/** `-j TRACE` (raw table): marks the packet so every rule it traverses is logged. */
export const trace: XtTarget<Record<string, never>> = {
  kind: 'target',
  name: 'TRACE',
  options: [],
  init: () => ({}),
  parse() {},
  print: () => '',
  save: () => '',
  tables: ['raw'],
  // Sets nf_trace; the stack then logs every rule the packet traverses (`TRACE: table:chain:…`).
  run(_d, pkt) {
    pkt.trace = true;
    return { verdict: 'CONTINUE' };
  },
};
