/**
 * `iptables-restore`: reads iptables-save text and applies each table block atomically at its
 * COMMIT (the block is built on a copy of the table, which replaces the live one only if every
 * line succeeded). --noflush keeps what is not declared, --counters takes `[p:b]` counters,
 * --test parses without applying.
 */
import { Table, type Netfilter } from '../../kernel/netfilter/netfilter.ts';
import { isTableName, type TableName } from '../../kernel/netfilter/tables.ts';
import type { CommandContext } from '../command.ts';
import { hostNames } from '../names.ts';
import { execute, type TableSource } from './commands.ts';
import { KernelError, paramProblem, renderError, VERSION, XtError } from './errors.ts';
import { parseIptables } from './parse.ts';

export interface RestoreOptions {
  noflush: boolean;
  counters: boolean;
  test: boolean;
  /** Only this table's blocks are applied (-T). */
  onlyTable?: TableName;
}

/** Splits a rule line into words: whitespace-separated, double quotes group, `\` escapes inside quotes. */
export function splitRuleLine(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else if (c === '"') quoted = false;
      else cur += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

interface RestoreResult {
  status: number;
  stderr: string;
}

/** Applies iptables-restore text to `nf`; returns the exit status and what would go to stderr. */
export function restore(nf: Netfilter, text: string, opts: RestoreOptions, ctx: Pick<CommandContext, 'fs' | 'stdout'>): RestoreResult {
  let warnings = '';
  const names = hostNames(ctx.fs);
  const resolveHost = (n: string): number | undefined => names.hostToAddr(n);
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let work: Table | undefined;
  // nf_tables creates a table only when a block declares a chain or adds a rule.
  let touched = false;
  const prog = 'iptables-restore';
  const fail = (e: unknown, line: number): RestoreResult => {
    if (e instanceof KernelError) return { status: 1, stderr: `${warnings}${prog}: line ${line} failed: ${e.message}\n` };
    const r = renderError(prog, e, line);
    return { status: r.status, stderr: warnings + r.text };
  };
  for (let n = 1; n <= lines.length; n++) {
    const line = lines[n - 1].replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (!work) {
      if (line.startsWith('*')) {
        const name = line.slice(1).trim();
        if (!isTableName(name)) return fail(paramProblem(`${prog}: line ${n} table name '${name}' invalid`), n);
        const live = nf.table(name);
        work = opts.noflush ? live.clone() : freshTable(live);
        touched = false;
        continue;
      }
      return { status: 1, stderr: `${prog}: line ${n} failed\n` };
    }
    if (trimmed === 'COMMIT') {
      if (touched) work.present = true;
      if (!opts.test && (!opts.onlyTable || opts.onlyTable === work.name)) nf.replaceTable(work);
      work = undefined;
      continue;
    }
    touched = true;
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
      if (!m) return fail(paramProblem(`${prog}: line ${n} chain name invalid`), n);
      const [, chainName, policy, p, b] = m;
      let chain = work.chain(chainName);
      if (chain?.builtin) {
        if (policy !== '-') {
          if (policy !== 'ACCEPT' && policy !== 'DROP') {
            return { status: 1, stderr: `${prog}: Can't set policy \`${policy}' on \`${chainName}' line ${n}: Bad policy name\n` };
          }
          chain.policy = policy;
        }
        if (opts.counters && p !== undefined) chain.counters = { pkts: BigInt(p), bytes: BigInt(b) };
      } else {
        if (chainName.length >= 29) return fail(paramProblem(`Invalid chain name \`${chainName}' (28 chars max)`), n);
        if (chain) chain.rules = [];
        else chain = work.addUserChain(chainName);
      }
      continue;
    }
    // A rule line, optionally prefixed by [pkts:bytes].
    let rest = line;
    let counters: { pkts: bigint; bytes: bigint } | undefined;
    const cm = /^\[(\d+):(\d+)\]\s*/.exec(line);
    if (cm) {
      counters = { pkts: BigInt(cm[1]), bytes: BigInt(cm[2]) };
      rest = line.slice(cm[0].length);
    }
    const words = splitRuleLine(rest);
    if (words[0] === '*' || words[0]?.startsWith('*')) {
      return fail(new XtError(`Bad argument \`${words[0]}'`, 2, true, true), n);
    }
    try {
      const inv = parseIptables(words, { names, resolveHost, fixedTable: work.name, warn: (t) => { warnings += t; } });
      if (opts.counters && counters) for (const r of inv.rules) r.counters = { ...counters };
      const w = work;
      const source: TableSource = { table: () => w };
      execute(inv, source, { names, stdout: ctx.stdout });
    } catch (e) {
      return fail(e, n);
    }
  }
  if (work) return { status: 1, stderr: `${warnings}${prog}: COMMIT expected at line ${lines.length + 1}\n` };
  return { status: 0, stderr: warnings };
}

/** A table emptied as a restore without --noflush empties it: no rules, no user chains, ACCEPT policies. */
function freshTable(live: Table): Table {
  const t = new Table(live.name);
  t.present = live.present;
  return t;
}

export function iptablesRestore(ctx: CommandContext): number {
  const opts: RestoreOptions = { noflush: false, counters: false, test: false };
  let file: string | undefined;
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-n' || a === '--noflush') opts.noflush = true;
    else if (a === '-c' || a === '--counters') opts.counters = true;
    else if (a === '-t' || a === '--test') opts.test = true;
    else if (a === '-v' || a === '--verbose') continue;
    else if (a === '-w' || a === '--wait' || a === '-W' || a === '--wait-interval') {
      // nft's restore ignores the lock options; like its xs_has_arg() it skips a following value
      // (kube-proxy passes `-w 5 -W 100000`) but never a following option.
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-') && !next.startsWith('!')) i++;
    }
    else if (a === '-T' || a === '--table') {
      const v = args[++i];
      if (v === undefined || !isTableName(v)) {
        ctx.stderr(`${'iptables-restore'} ${VERSION}: Cannot initialize: Table does not exist\n`);
        return 1;
      }
      opts.onlyTable = v;
    } else if (a === '-M' || a === '--modprobe') i++;
    else if (a === '-V' || a === '--version') {
      ctx.stdout(`iptables-restore ${VERSION}\n`);
      return 0;
    } else if (!a.startsWith('-') && file === undefined) file = a;
    else {
      ctx.stderr(`iptables-restore ${VERSION}: unknown option "${a}"\nTry \`iptables-restore -h' or 'iptables-restore --help' for more information.\n`);
      return 2;
    }
  }
  let text = ctx.stdin;
  if (file !== undefined) {
    const t = ctx.fs.read(file);
    if (t === undefined) {
      ctx.stderr(`Can't open ${file}: No such file or directory\n`);
      return 1;
    }
    text = t;
  }
  const r = restore(ctx.sys.netfilter(), text, opts, ctx);
  if (r.stderr) ctx.stderr(r.stderr);
  return r.status;
}
