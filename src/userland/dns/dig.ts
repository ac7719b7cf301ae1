/**
 * dig (BIND 9.18, Debian's bind9-dnsutils): `dig [@server] [-x addr] [-t type] [-p port] name
 * [type] [+options]` with 9.18's output — the banner, header and flags, OPT pseudosection
 * (EDNS, COOKIE echoed or good), sections in masterdump's columns, statistics — and +short,
 * +noall/+answer and friends, +tcp, +search, +time/+tries. The server defaults to the first
 * nameserver of /etc/resolv.conf; failures print "communications error" lines and exit 9.
 */
import type { OptAnswer, Question, RecordType } from 'dns-packet';
import { formatIPv4, parseIPv4 } from '../../kernel/addr.ts';
import type { CommandContext } from '../command.ts';
import { block } from '../net/common.ts';
import { parseResolvConf, searchCandidates } from '../net/resolve.ts';
import { ask, DIG_DEFAULTS, rcodeOf, type Answered, type QueryOpts } from './client.ts';
import { questionLine, rdataText, recordLine } from './present.ts';

export const DIG_VERSION = '9.18.49-1~deb12u3-Debian';

const TYPES = new Set(['A', 'AAAA', 'ANY', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'CAA', 'HINFO', 'NAPTR', 'DS', 'DNSKEY', 'AXFR', 'IXFR']);

interface Show {
  cmd: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
  short: boolean;
}

interface DigOpts {
  server?: string;
  name?: string;
  type?: string;
  reverse?: string;
  search: boolean;
  ndots?: number;
  query: QueryOpts;
  show: Show;
}

class Usage extends Error {}

/** -x 10.96.0.10 → 10.0.96.10.in-addr.arpa. */
export function reverseName(addr: string): string | undefined {
  const a = parseIPv4(addr);
  if (a === undefined || !/^[\d.]+$/.test(addr)) return undefined;
  return `${formatIPv4(a).split('.').reverse().join('.')}.in-addr.arpa`;
}

function plusOption(o: DigOpts, raw: string): void {
  const m = /^\+(no)?([a-z]+)(?:=(.*))?$/.exec(raw);
  if (!m) throw new Usage(`Invalid option: ${raw}`);
  const on = !m[1];
  const [, , name, value] = m;
  const num = (): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n)) throw new Usage(`Invalid option: ${raw}`);
    return n;
  };
  const sections: (keyof Show)[] = ['question', 'answer', 'authority', 'additional'];
  const prefix = (full: string, min: number): boolean => name.length >= min && full.startsWith(name);
  if (prefix('all', 3)) for (const k of Object.keys(o.show) as (keyof Show)[]) o.show[k] = k === 'short' ? o.show.short : on;
  else if (prefix('short', 2)) {
    o.show.short = on;
    if (on) Object.assign(o.show, { cmd: false, comments: false, question: false, authority: false, additional: false, stats: false, answer: true });
  } else if (prefix('cmd', 3)) o.show.cmd = on;
  else if (prefix('comments', 4)) o.show.comments = on;
  else if (prefix('stats', 2)) o.show.stats = on;
  else if (sections.some((s) => prefix(s, 2))) o.show[sections.find((s) => prefix(s, 2))!] = on;
  else if (prefix('tcp', 2) || prefix('vc', 2)) o.query.tcp = on;
  else if (prefix('search', 3)) o.search = on;
  else if (prefix('recurse', 3)) o.query.recurse = on;
  else if (prefix('adflag', 2)) o.query.adflag = on;
  else if (prefix('edns', 2)) o.query.edns = on;
  else if (prefix('cookie', 2)) o.query.cookie = on;
  else if (prefix('time', 2)) o.query.timeoutMs = Math.max(1, num()) * 1000;
  else if (prefix('tries', 2)) o.query.tries = Math.max(1, num());
  else if (prefix('retry', 3)) o.query.tries = Math.max(0, num()) + 1;
  else if (prefix('ndots', 2)) o.ndots = num();
  else throw new Usage(`Invalid option: ${raw}`);
}

function parseArgs(argv: string[]): DigOpts {
  const o: DigOpts = {
    search: false,
    query: { ...DIG_DEFAULTS },
    show: { cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, short: false },
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('@')) o.server = a.slice(1);
    else if (a.startsWith('+')) plusOption(o, a);
    else if (a === '-x') o.reverse = argv[++i];
    else if (a === '-t') o.type = argv[++i]?.toUpperCase();
    else if (a === '-p') o.query.port = Number(argv[++i]);
    else if (a === '-q') o.name = argv[++i];
    else if (a === '-4' || a === '-6' || a === '-c') {
      if (a === '-c') i++;
    } else if (a.startsWith('-')) throw new Usage(`Invalid option: ${a}`);
    else if (o.name !== undefined && o.type === undefined && TYPES.has(a.toUpperCase())) o.type = a.toUpperCase();
    else if (a.toUpperCase() === 'IN') continue;
    else if (o.name === undefined && TYPES.has(a.toUpperCase()) && i < argv.length - 1 && !argv[i + 1].startsWith('+')) o.type = a.toUpperCase();
    else o.name = a;
  }
  return o;
}

function cookieLine(opt: OptAnswer, sent: Buffer | undefined): string | undefined {
  const c = (opt.options as { code: number; data?: Buffer }[] | undefined)?.find((x) => x.code === 10);
  if (!c?.data) return undefined;
  const hex = c.data.toString('hex');
  if (sent && c.data.equals(sent)) return `; COOKIE: ${hex} (echoed)`;
  return `; COOKIE: ${hex} (good)`;
}

/** strftime("%a %b %d %H:%M:%S %Z %Y") in UTC. */
function when(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = d.toUTCString().slice(0, 3);
  const mon = d.toUTCString().slice(8, 11);
  return `${day} ${mon} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function printAnswer(ctx: CommandContext, o: DigOpts, a: Answered, server: number, out: string[]): void {
  const m = a.reply;
  const answers = m.answers ?? [];
  if (o.show.short) {
    for (const rr of answers) out.push(rdataText(rr));
    return;
  }
  const q = m.questions?.[0];
  const opt = (m.additionals ?? []).find((x): x is OptAnswer => x.type === 'OPT');
  const extra = (m.additionals ?? []).filter((x) => x.type !== 'OPT');
  const authorities = m.authorities ?? [];
  if (o.show.comments) {
    out.push(';; Got answer:');
    if (q && /(^|\.)local\.?$/i.test(q.name)) {
      out.push(';; WARNING: .local is reserved for Multicast DNS', ';; You are currently testing what happens when an mDNS query is leaked to DNS');
    }
    const flags = (['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const).filter((f) => (m as unknown as Record<string, boolean>)[`flag_${f}`]);
    out.push(`;; ->>HEADER<<- opcode: ${(m as { opcode?: string }).opcode ?? 'QUERY'}, status: ${rcodeOf(m)}, id: ${m.id}`);
    out.push(`;; flags: ${flags.join(' ')}; QUERY: ${m.questions?.length ?? 0}, ANSWER: ${answers.length}, AUTHORITY: ${authorities.length}, ADDITIONAL: ${(m.additionals ?? []).length}`);
    if (o.query.recurse && !m.flag_ra) out.push(';; WARNING: recursion requested but not available');
    out.push('');
    if (opt) {
      out.push(';; OPT PSEUDOSECTION:');
      out.push(`; EDNS: version: ${opt.ednsVersion ?? 0}, flags:${opt.flags & 0x8000 ? ' do' : ''}; udp: ${opt.udpPayloadSize}`);
      const c = cookieLine(opt, a.cookie);
      if (c) out.push(c);
    }
  }
  const section = (title: string, show: boolean, lines: string[]): void => {
    if (!show || !lines.length) return;
    if (o.show.comments) out.push(`;; ${title} SECTION:`);
    out.push(...lines);
    if (o.show.comments) out.push('');
  };
  section('QUESTION', o.show.question, q ? [questionLine(q)] : []);
  section('ANSWER', o.show.answer, answers.map(recordLine));
  section('AUTHORITY', o.show.authority, authorities.map(recordLine));
  section('ADDITIONAL', o.show.additional, extra.map(recordLine));
  if (o.show.stats) {
    out.push(`;; Query time: ${Math.round(a.ms)} msec`);
    out.push(`;; SERVER: ${formatIPv4(server)}#${o.query.port}(${formatIPv4(server)}) (${a.tcp ? 'TCP' : 'UDP'})`);
    out.push(`;; WHEN: ${when(ctx.sys.now())}`);
    out.push(`;; MSG SIZE  rcvd: ${a.size}`);
    out.push('');
  }
}

async function run(ctx: CommandContext, o: DigOpts, argv: string[]): Promise<number> {
  const conf = parseResolvConf(ctx.fs.read('/etc/resolv.conf'));
  let server: number | undefined = conf.nameservers[0];
  if (o.server !== undefined) {
    server = parseIPv4(o.server);
    if (server === undefined) {
      ctx.stderr(`dig: couldn't get address for '${o.server}': not found\n`);
      return 10;
    }
  }
  let name = o.name ?? '.';
  let type = (o.type ?? (o.name === undefined && !o.reverse ? 'NS' : 'A')) as RecordType;
  if (o.reverse !== undefined) {
    const r = reverseName(o.reverse);
    if (!r) {
      ctx.stderr(`Invalid IP address ${o.reverse}\n`);
      return 10;
    }
    name = r;
    if (!o.type) type = 'PTR';
  }
  const names = o.search && o.reverse === undefined ? searchCandidates(name, { search: conf.search, ndots: o.ndots ?? conf.ndots }) : [name.replace(/\.$/, '') || '.'];
  const banner = (): string[] => (o.show.cmd ? ['', `; <<>> DiG ${DIG_VERSION} <<>> ${argv.join(' ')}`, ...(o.server !== undefined ? ['; (1 server found)'] : []), ';; global options: +cmd'] : []);
  const say = (line: string): void => ctx.stdout(`${line}\n`);
  let answered: Answered | 'setup-failed' | undefined;
  for (const n of names) {
    const q: Question = { name: n, type, class: 'IN' };
    answered = await ask(ctx.sys.netns(), server, q, o.query, say);
    if (!answered || answered === 'setup-failed' || rcodeOf(answered.reply) !== 'NXDOMAIN') break;
  }
  if (answered === 'setup-failed') return 9;
  if (!answered) {
    const lines = o.show.short ? [] : banner();
    ctx.stdout([...lines, ';; no servers could be reached', ''].join('\n'));
    return 9;
  }
  const out = o.show.short ? [] : banner();
  printAnswer(ctx, o, answered, server, out);
  if (out.length) ctx.stdout(out.map((l) => `${l}\n`).join(''));
  return 0;
}

export async function dig(ctx: CommandContext): Promise<number> {
  const argv = ctx.argv.slice(1);
  let o: DigOpts;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof Usage)) throw e;
    ctx.stderr(`${e.message}\n`);
    return 1;
  }
  const w = await block(ctx, run(ctx, o, argv));
  return w.kind === 'done' ? w.value : w.kind === 'killed' ? 0 : 130;
}

