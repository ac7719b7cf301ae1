/**
 * The `conntrack` command (conntrack-tools 1.4.7): lists, gets, deletes, flushes, counts and
 * watches the entries of the namespace's connection tracking table, with the real tool's
 * output, stderr summaries and exit statuses.
 */
import type { Conntrack } from '../../kernel/conntrack/conntrack.ts';
import { secondsLeft, type CtEntry, type CtEvent, type CtStatusBit, type TcpState } from '../../kernel/conntrack/entry.ts';
import { icmpKind, invertTuple, IPPROTO_ICMP, type CtTuple } from '../../kernel/conntrack/tuple.ts';
import { conntrackOf } from '../../kernel/stack/state.ts';
import type { CommandContext } from '../command.ts';
import { hostNames } from '../names.ts';
import { CtToolError, otherProblem, paramProblem, PREFIX, renderError } from './errors.ts';
import { COMPARISON, filtered, kernelFiltered } from './filter.ts';
import { defaultLine, saveLine, xmlFlow } from './format.ts';
import { usage } from './help.ts';
import { parseConntrack, type CtCommand } from './parse.ts';
import { TCP_STATES, unknownProto } from './protos.ts';
import { CMD, EVT, IPS, OUT, optBit } from './template.ts';

/** Summary lines print_stats writes (exit_msg), by command. */
const EXIT_MSG: Partial<Record<number, string>> = {
  [CMD.CT_LIST]: 'flow entries have been shown.',
  [CMD.CT_CREATE]: 'flow entries have been created.',
  [CMD.CT_UPDATE]: 'flow entries have been updated.',
  [CMD.CT_DELETE]: 'flow entries have been deleted.',
  [CMD.CT_GET]: 'flow entries have been shown.',
  [CMD.CT_EVENT]: 'flow events have been shown.',
  [CMD.EXP_LIST]: 'expectations have been shown.',
  [CMD.EXP_DELETE]: 'expectations have been shown.',
  [CMD.CT_ADD]: 'flow entries have been added.',
};

const XML_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<conntrack>\n';

/** The table of the namespace the command runs in. */
function tableOf(ctx: CommandContext): Conntrack {
  return ctx.sys.conntrack?.() ?? conntrackOf(ctx.sys.netns());
}

interface Run {
  ctx: CommandContext;
  cmd: CtCommand;
  counter: number;
  /** Nothing done, yet no failure (-A on an existing entry). */
  quiet?: boolean;
}

export async function conntrack(ctx: CommandContext): Promise<number> {
  try {
    const cmd = parseConntrack(ctx.argv, { names: hostNames(ctx.fs), warn: ctx.stderr });
    const run: Run = { ctx, cmd, counter: 0 };
    const status = await execute(run);
    if (status !== undefined) return status;
    // print_stats: the summary, and failure when a command that acts found nothing.
    const msg = EXIT_MSG[cmd.cmd];
    if (cmd.command && msg) {
      ctx.stderr(`${PREFIX}${run.counter} ${msg}\n`);
      if (run.counter === 0 && !run.quiet && cmd.cmd !== CMD.CT_LIST && cmd.cmd !== CMD.EXP_LIST) return 1;
    }
    return 0;
  } catch (e) {
    if (!(e instanceof CtToolError)) throw e;
    ctx.stderr(renderError(e));
    return e.status;
  }
}

/** do_command_ct; returns an exit status when the command ends without print_stats. */
async function execute(run: Run): Promise<number | undefined> {
  const { ctx, cmd } = run;
  switch (cmd.cmd) {
    case CMD.CT_LIST:
      list(run);
      return undefined;
    case CMD.CT_GET:
      get(run);
      return undefined;
    case CMD.CT_DELETE:
      remove(run);
      return undefined;
    case CMD.CT_UPDATE:
      update(run);
      return undefined;
    case CMD.CT_FLUSH:
      if (cmd.family !== 6) tableOf(ctx).flush(requester(tableOf(ctx)));
      ctx.stderr(`${PREFIX}connection tracking table has been emptied.\n`);
      return undefined;
    case CMD.CT_EVENT:
      return events(run);
    case CMD.CT_COUNT:
      ctx.stdout(`${tableOf(ctx).count}\n`);
      return undefined;
    case CMD.CT_STATS:
      for (const [cpu, s] of tableOf(ctx).stats().entries()) {
        ctx.stdout(`cpu=${String(cpu).padEnd(4)}\t${Object.entries(s).map(([k, v]) => `${k}=${v} `).join('')}\n`);
      }
      return undefined;
    case CMD.CT_CREATE:
    case CMD.CT_ADD:
      create(run);
      return undefined;
    case CMD.EXP_LIST:
    case CMD.EXP_EVENT:
      // The model has no expectations (no helpers): nothing to list, nothing will ever happen.
      if (cmd.cmd === CMD.EXP_EVENT) {
        await aborted(ctx);
        ctx.stderr(`${PREFIX}0 expectation events have been shown.\n`);
        return 0;
      }
      return undefined;
    case CMD.EXP_FLUSH:
      ctx.stderr(`${PREFIX}expectation table has been emptied.\n`);
      return undefined;
    case CMD.EXP_COUNT:
      ctx.stdout('0\n');
      return undefined;
    case CMD.EXP_STATS:
      for (let cpu = 0; cpu < tableOf(ctx).stats().length; cpu++) {
        ctx.stdout(`cpu=${String(cpu).padEnd(4)}\texpect_new=0 expect_create=0 expect_delete=0 \n`);
      }
      return undefined;
    case CMD.EXP_GET:
    case CMD.EXP_DELETE:
      throw otherProblem('Operation failed: No such file or directory');
    case CMD.EXP_CREATE:
      throw otherProblem('Operation failed: master conntrack not found');
    case CMD.CT_VERSION:
      ctx.stdout(`conntrack v1.4.7 (conntrack-tools)\n`);
      return undefined;
    default:
      ctx.stdout(usage(cmd.progname));
      if (cmd.cmd === CMD.CT_HELP && cmd.options & optBit('protonum') && cmd.proto) {
        const name = cmd.proto === unknownProto ? (hostNames(ctx.fs).protoByNumber(cmd.protonum) ?? 'unknown') : cmd.proto.name;
        ctx.stdout(`Proto \`${name}' help:\n${cmd.proto.help}`);
      }
      return undefined;
  }
}

/** nfct_filter_init: --mask-src/--mask-dst need the address they mask. */
function checkMasks(cmd: CtCommand): void {
  if (cmd.options & optBit('mask-src') && !(cmd.options & optBit('src'))) throw paramProblem("Can't use --mask-src without --src");
  if (cmd.options & optBit('mask-dst') && !(cmd.options & optBit('dst'))) throw paramProblem("Can't use --mask-dst without --dst");
}

/** One entry as the dump callbacks print it; `held` adds the reference a request in flight holds. */
function dumpText(cmd: CtCommand, e: CtEntry, now: number, type?: 'DESTROY', held = false): string {
  const timeout = secondsLeft(e, now);
  if (held) e = { ...e, use: e.use + 1 };
  if (cmd.outputMask & OUT.SAVE) return saveLine(e, { type: type ?? 'NEW', timeout });
  if (cmd.outputMask & OUT.XML) return xmlFlow(e, { timeout, dump: true });
  return defaultLine(e, { timeout, dump: true, extended: !!(cmd.outputMask & OUT.EXT), id: !!(cmd.outputMask & OUT.ID) });
}

function list(run: Run): void {
  const { ctx, cmd } = run;
  // The dying and unconfirmed lists are never visible here: entries go straight in and out.
  if (cmd.type === 'dying' || cmd.type === 'unconfirmed') return;
  if (cmd.options & COMPARISON && cmd.options & optBit('zero')) throw paramProblem("Can't use -z with filtering parameters");
  checkMasks(cmd);
  // The kernel refuses a status filter with an empty mask (-u UNSET).
  if (cmd.statusFilter && cmd.statusFilter.mask === 0) throw otherProblem('Operation failed: invalid parameters');
  const table = tableOf(ctx);
  const now = table.now();
  let xmlOpen = false;
  for (const e of table.entries()) {
    if (kernelFiltered(cmd, e, true) || filtered(cmd, e, now)) continue;
    if (cmd.outputMask & OUT.XML && !(cmd.outputMask & OUT.SAVE) && !xmlOpen) {
      ctx.stdout(XML_HEADER);
      xmlOpen = true;
    }
    ctx.stdout(`${dumpText(cmd, e, now)}\n`);
    run.counter++;
  }
  if (xmlOpen) ctx.stdout('</conntrack>\n');
}

/** The tuple -G asks the kernel for: the original one if given, else the reply one. */
function requestedTuple(cmd: CtCommand): CtTuple | undefined {
  const t = cmd.tmpl;
  const orig = cmd.options & optBit('src');
  const [src, dst] = orig ? [t.origSrc, t.origDst] : [t.replSrc, t.replDst];
  if (!src || !dst || src.family !== 4 || dst.family !== 4) return undefined;
  const proto = t.l4proto ?? 0;
  if (proto === IPPROTO_ICMP) return { src: src.v4, dst: dst.v4, proto, sport: t.icmpId ?? 0, dport: icmpKind(t.icmpType ?? 0, t.icmpCode ?? 0) };
  const [sport, dport] = orig ? [t.origSport, t.origDport] : [t.replSport, t.replDport];
  return { src: src.v4, dst: dst.v4, proto, sport: sport ?? 0, dport: dport ?? 0 };
}

function get(run: Run): void {
  const { ctx, cmd } = run;
  // The kernel looks entries up by their original tuple only.
  if (!(cmd.options & optBit('src'))) throw otherProblem('Operation failed: invalid parameters');
  const tuple = requestedTuple(cmd);
  const table = tableOf(ctx);
  const found = tuple && table.find(tuple, cmd.tmpl.zone ?? 0);
  if (!found) throw otherProblem("Operation failed: such conntrack doesn't exist");
  const now = table.now();
  if (filtered(cmd, found.entry, now)) return;
  ctx.stdout(`${dumpText(cmd, found.entry, now, undefined, true)}\n`);
  run.counter++;
}

function remove(run: Run): void {
  const { ctx, cmd } = run;
  checkMasks(cmd);
  const table = tableOf(ctx);
  const now = table.now();
  const by = requester(table);
  for (const e of table.entries()) {
    if (kernelFiltered(cmd, e, false) || filtered(cmd, e, now)) continue;
    const text = dumpText(cmd, e, now, 'DESTROY');
    table.delete(e, by);
    ctx.stdout(`${text}\n`);
    run.counter++;
  }
}

/** -U: sets the mark (value under mask), status bits and timeout of the matching entries. */
function update(run: Run): void {
  const { ctx, cmd } = run;
  const table = tableOf(ctx);
  const now = table.now();
  const t = cmd.tmpl;
  // mnl_nfct_update_cb selects by NAT, network and tuples; mark, status and timeout are what it sets.
  const select: CtCommand = { ...cmd, options: cmd.options & ~(optBit('mark') | optBit('status') | optBit('timeout')), tmpl: { ...t, status: undefined, timeout: undefined } };
  const by = requester(table);
  for (const e of table.entries()) {
    if (filtered(select, e, now)) continue;
    const mark = cmd.options & optBit('mark') ? ((e.mark & ~cmd.mark.mask) ^ cmd.mark.value) >>> 0 : e.mark;
    const status = STATUS_SET.filter((b) => (t.status ?? 0) & IPS[b] && !e.status.has(b));
    const timeout = t.timeout !== undefined && t.timeout !== secondsLeft(e, now) ? t.timeout : undefined;
    // Nothing to change: no request is sent.
    if (mark === e.mark && status.length === 0 && timeout === undefined) continue;
    table.update(e, { mark, timeout, status }, by);
    ctx.stdout(`${dumpText(cmd, e, table.now(), undefined, true)}\n`);
    run.counter++;
  }
}

/** Status bits -u may add to an existing entry. */
const STATUS_SET = ['ASSURED', 'SEEN_REPLY', 'FIXED_TIMEOUT'] as const;

/** -I / -A: a hand-made entry from the command line's tuples, state, timeout and NAT. */
function create(run: Run): void {
  const { ctx, cmd } = run;
  const t = cmd.tmpl;
  const given = requestedTuple(cmd);
  if (!given) throw otherProblem('Operation failed: invalid parameters');
  const fromOrig = !!(cmd.options & optBit('src'));
  let orig = fromOrig ? given : invertTuple(given);
  let reply = fromOrig ? invertTuple(given) : given;
  if (fromOrig && cmd.options & optBit('reply-src')) reply = requestedReply(cmd) ?? reply;
  if (!orig || !reply) throw otherProblem('Operation failed: invalid parameters');
  // --src-nat / --dst-nat: the reply tuple is where the translated packets go.
  if (t.snatIp?.family === 4) reply = { ...reply, dst: t.snatIp.v4, dport: t.snatPort ?? reply.dport };
  if (t.dnatIp?.family === 4) reply = { ...reply, src: t.dnatIp.v4, sport: t.dnatPort ?? reply.sport };
  orig = { ...orig };
  const status: CtStatusBit[] = STATUS_SET.filter((b) => (t.status ?? 0) & IPS[b]);
  if (t.snatIp) status.push('SRC_NAT', 'SRC_NAT_DONE');
  if (t.dnatIp) status.push('DST_NAT', 'DST_NAT_DONE');
  const table = tableOf(ctx);
  const r = table.create({
    orig, reply, timeout: t.timeout ?? 0, status, mark: cmd.options & optBit('mark') ? cmd.mark.value : 0, zone: t.zone,
    tcpState: t.tcpState !== undefined ? (TCP_STATES[t.tcpState] as TcpState) : undefined,
  }, requester(table));
  if (r === 'EEXIST') {
    if (cmd.cmd === CMD.CT_CREATE) throw otherProblem('Operation failed: Such conntrack exists, try -U to update');
    // -A leaves an existing entry alone and still succeeds.
    run.quiet = true;
    return;
  }
  if (r === 'ENOMEM') throw otherProblem('Operation failed: not enough memory');
  run.counter++;
}

/** The reply tuple -I was given besides the original one. */
function requestedReply(cmd: CtCommand): CtTuple | undefined {
  const t = cmd.tmpl;
  if (t.replSrc?.family !== 4 || t.replDst?.family !== 4) return undefined;
  return { src: t.replSrc.v4, dst: t.replDst.v4, proto: t.l4proto ?? 0, sport: t.replSport ?? 0, dport: t.replDport ?? 0 };
}

/** Who a change is reported as ([USERSPACE] portid=... in conntrack -E). */
function requester(table: Conntrack): { portid: number; progname: string } {
  return { portid: table.netlinkPortid(), progname: 'conntrack' };
}

function eventText(cmd: CtCommand, ev: CtEvent): string {
  if (cmd.outputMask & OUT.SAVE) return saveLine(ev.entry, { type: ev.type, timeout: ev.timeout });
  if (cmd.outputMask & OUT.XML) return xmlFlow(ev.entry, { type: ev.type, timeout: ev.timeout, dump: false, mark: ev.withMark });
  let s = '';
  if (cmd.outputMask & OUT.TMS) {
    // printf("[%-.8ld.%-.6ld]\t", tv_sec, tv_usec)
    s += `[${String(Math.floor(ev.time / 1000)).padStart(8, '0')}.${String(Math.floor(ev.time % 1000) * 1000).padStart(6, '0')}]\t`;
  }
  return s + defaultLine(ev.entry, { type: ev.type, timeout: ev.timeout, dump: false, mark: ev.withMark, extended: !!(cmd.outputMask & OUT.EXT), id: !!(cmd.outputMask & OUT.ID) });
}

/** -E: prints events as they happen until the command is interrupted. */
async function events(run: Run): Promise<number> {
  const { ctx, cmd } = run;
  checkMasks(cmd);
  const want = cmd.options & optBit('event-mask') ? cmd.eventMask : EVT.ALL;
  const bit = { NEW: EVT.NEW, UPDATE: EVT.UPD, DESTROY: EVT.DEL } as const;
  let xmlOpen = false;
  const unsubscribe = tableOf(ctx).subscribe((ev) => {
    if (!(want & bit[ev.type]) || cmd.family === 6 || filtered(cmd, ev.entry, ev.time)) return;
    if (cmd.outputMask & OUT.XML && !(cmd.outputMask & OUT.SAVE) && !xmlOpen) {
      ctx.stdout(XML_HEADER);
      xmlOpen = true;
    }
    let line = eventText(cmd, ev);
    if (ev.portid && !(cmd.outputMask & OUT.XML)) line += ` [USERSPACE] portid=${ev.portid}${ev.progname ? ` progname=${ev.progname}` : ''}`;
    ctx.stdout(`${line}\n`);
    run.counter++;
  });
  await aborted(ctx);
  unsubscribe();
  if (xmlOpen) ctx.stdout('</conntrack>\n');
  ctx.stderr(`${PREFIX}${run.counter} flow events have been shown.\n`);
  return 0;
}

/** Resolves when the command is interrupted (SIGINT/SIGTERM); never without a signal, like the real loop. */
function aborted(ctx: CommandContext): Promise<void> {
  const signal = ctx.signal;
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
