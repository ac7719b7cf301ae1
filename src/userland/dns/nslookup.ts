/**
 * nslookup (BIND 9.18) in its non-interactive form: `nslookup [-type=T] [-port=N] [-timeout=S]
 * [-retry=N] NAME [SERVER]`. Looks up A then AAAA (PTR for an address) with the resolv.conf
 * search list, and prints as 9.18 does: the Server/Address header, "Name:/Address:" pairs,
 * "canonical name =", "name =", "service =", SOA fields, "** server can't find NAME: NXDOMAIN".
 */
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { formatIPv4, parseIPv4 } from '../../kernel/addr.ts';
import type { CommandContext } from '../command.ts';
import { block } from '../net/common.ts';
import { parseResolvConf, searchCandidates } from '../net/resolve.ts';
import { ask, DIG_DEFAULTS, rcodeOf, type QueryOpts } from './client.ts';
import { reverseName } from './dig.ts';
import { absolute } from './present.ts';

interface Loose {
  name: string;
  type: string;
  data: Record<string, unknown> & string;
}

/** One answer record as nslookup words it. */
function line(rr: Answer): string {
  const r = rr as unknown as Loose;
  const d = r.data;
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${r.name}\nAddress: ${d}`;
    case 'CNAME':
      return `${r.name}\tcanonical name = ${absolute(d)}`;
    case 'PTR':
      return `${r.name}\tname = ${absolute(d)}`;
    case 'NS':
      return `${r.name}\tnameserver = ${absolute(d)}`;
    case 'SRV':
      return `${r.name}\tservice = ${d.priority} ${d.weight} ${d.port} ${absolute(d.target as string)}`;
    case 'MX':
      return `${r.name}\tmail exchanger = ${d.preference} ${absolute(d.exchange as string)}`;
    case 'TXT':
      return `${r.name}\ttext = "${String(d)}"`;
    case 'SOA':
      return [r.name, `\torigin = ${d.mname}`, `\tmail addr = ${d.rname}`, `\tserial = ${d.serial}`, `\trefresh = ${d.refresh}`, `\tretry = ${d.retry}`, `\texpire = ${d.expire}`, `\tminimum = ${d.minimum}`].join('\n');
    default:
      return `${r.name}\trdata_${r.type} = ?`;
  }
}

interface NsOpts {
  type?: RecordType;
  name?: string;
  server?: string;
  query: QueryOpts;
}

function parseArgs(argv: string[]): NsOpts {
  const o: NsOpts = { query: { ...DIG_DEFAULTS, adflag: false, edns: false } };
  for (const a of argv) {
    const m = /^-(\w+)(?:=(.*))?$/.exec(a);
    if (m) {
      const [, key, value = ''] = m;
      if (key === 'type' || key === 'querytype' || key === 'q' || key === 't') o.type = value.toUpperCase() as RecordType;
      else if (key === 'port') o.query.port = Number(value);
      else if (key === 'timeout') o.query.timeoutMs = Number(value) * 1000;
      else if (key === 'retry') o.query.tries = Math.max(1, Number(value));
      else if (key === 'vc') o.query.tcp = true;
    } else if (o.name === undefined) o.name = a;
    else o.server = a;
  }
  return o;
}

async function run(ctx: CommandContext, o: NsOpts): Promise<number> {
  const ns = ctx.sys.netns();
  const conf = parseResolvConf(ctx.fs.read('/etc/resolv.conf'));
  const server = o.server !== undefined ? parseIPv4(o.server) : conf.nameservers[0];
  if (server === undefined) {
    ctx.stderr(`nslookup: couldn't get address for '${o.server}': not found\n`);
    return 1;
  }
  const out: string[] = [];
  const say = (l: string): void => void out.push(l);
  const header = [`Server:\t\t${formatIPv4(server)}`, `Address:\t${formatIPv4(server)}#${o.query.port}`, ''];
  const flush = (): void => ctx.stdout(out.map((l) => `${l}\n`).join(''));
  const reverse = reverseName(o.name!);
  const types: RecordType[] = o.type ? [o.type] : reverse ? ['PTR'] : ['A', 'AAAA'];
  const names = reverse ? [reverse] : searchCandidates(o.name!, conf);
  let printedHeader = false;
  let any = false;
  for (const type of types) {
    let reply: DecodedPacket | undefined;
    let asked = '';
    for (const n of names) {
      asked = n;
      const a = await ask(ns, server, { name: n, type, class: 'IN' }, o.query, say);
      if (a === 'setup-failed') {
        flush();
        return 1;
      }
      if (!a) {
        out.push(';; no servers could be reached', '');
        flush();
        return 1;
      }
      reply = a.reply;
      // Like dig's +search: only NXDOMAIN moves on to the next name.
      if (rcodeOf(reply) !== 'NXDOMAIN') break;
    }
    const rc = rcodeOf(reply!);
    if (rc !== 'NOERROR') {
      if (rc === 'SERVFAIL') out.push(`;; Got SERVFAIL reply from ${formatIPv4(server)}`);
      // A failure on the first type settles it; AAAA's failures after an A answer are not news.
      if (any) continue;
      if (!printedHeader) out.push(...header);
      out.push(`** server can't find ${asked}: ${rc}`, '');
      flush();
      return 1;
    }
    const answers = reply!.answers ?? [];
    if (!answers.length) continue;
    // A reverse lookup prints no header in 9.18.
    if (!printedHeader && !reverse) out.push(...header);
    printedHeader = true;
    if (!reply!.flag_aa && !any) out.push('Non-authoritative answer:');
    out.push(...answers.map(line));
    any = true;
  }
  if (!any) {
    out.push(...header, `*** Can't find ${names[names.length - 1]}: No answer`);
  }
  out.push('');
  flush();
  return 0;
}

export async function nslookup(ctx: CommandContext): Promise<number> {
  const o = parseArgs(ctx.argv.slice(1));
  if (o.name === undefined) {
    ctx.stderr('nslookup: interactive mode is not supported here\n');
    return 1;
  }
  const w = await block(ctx, run(ctx, o));
  return w.kind === 'done' ? w.value : w.kind === 'killed' ? 0 : 130;
}
