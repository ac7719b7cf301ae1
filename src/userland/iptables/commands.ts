/**
 * Executes a parsed iptables command against a netfilter state, as iptables-nft does: the
 * kernel-side checks with their messages (exit 1), listings, and the table bookkeeping.
 * Shared by `iptables` and `iptables-restore` (which runs each rule line through here).
 */
import type { Netfilter, Table } from '../../kernel/netfilter/netfilter.ts';
import type { Rule } from '../../kernel/netfilter/rule.ts';
import { isBuiltinChain, type Hook, type TableName } from '../../kernel/netfilter/tables.ts';
import { findTarget, STANDARD_VERDICTS } from '../../kernel/netfilter/xt/index.ts';
import type { Names, XtMatch, XtTarget } from '../../kernel/netfilter/xt/types.ts';
import { KernelError, paramProblem, XtError } from './errors.ts';
import { chainHeader, listRule, saveRule, saveRuleSpec, type ListFormat } from './format.ts';
import type { IptablesInvocation } from './parse.ts';

export interface ExecEnv {
  names: Names;
  stdout(text: string): void;
}

/** Where a command's tables live: the live state, or the working copies of an iptables-restore. */
export interface TableSource {
  table(name: Table['name']): Table;
}

export function liveTables(nf: Netfilter): TableSource {
  return { table: (n) => nf.table(n) };
}

const noSuchChain = (): KernelError => new KernelError('No chain/target/match by that name.');
/** What iptables-nft says when asked to list a chain it cannot find. */
const incompatible = (chain: string, table: string): XtError =>
  new XtError(`chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.`, 1, false);
/** A failure of the nf_tables transaction, printed with the operation's name (exit 4). */
const nftFailure = (op: string, err: string, what: string): XtError => new XtError(` ${op} failed (${err}): ${what}`, 4, false);

function ruleKey(r: Rule, names: Names): string {
  return saveRuleSpec(r, names);
}

/** Runs one parsed command. Throws XtError / KernelError on failure; output goes to env.stdout. */
export function execute(inv: IptablesInvocation, tables: TableSource, env: ExecEnv): void {
  const t = tables.table(inv.table);
  const cmd = inv.commands[0];
  const chainName = inv.chain;
  const write = (): void => {
    t.present = true;
  };

  // A jump to a chain must name an existing chain (checked while parsing in iptables).
  // (A goto must name a chain; -g RETURN is no verdict.)
  if ('ACDIR'.includes(cmd) && !inv.deleteByNumber && inv.jumpto !== undefined && (inv.goto || (!findTarget(inv.jumpto) &&
      !(STANDARD_VERDICTS as readonly string[]).includes(inv.jumpto)))) {
    if (!t.chain(inv.jumpto) || isBuiltinChain(t.name, inv.jumpto)) throw paramProblem(`Chain '${inv.jumpto}' does not exist`);
  }

  switch (cmd) {
    case 'A': case 'I': case 'R': case 'D': case 'C': {
      const chain = t.chain(chainName!);
      if (!chain) throw noSuchChain();
      if (cmd === 'A' || cmd === 'I' || cmd === 'R') {
        const op = { A: 'RULE_APPEND', I: 'RULE_INSERT', R: 'RULE_REPLACE' }[cmd];
        for (const r of inv.rules) {
          if (!kernelAccepts(r, t.name, chain.builtin ? (chain.name as Hook) : undefined)) {
            throw nftFailure(op, 'Invalid argument', `rule in chain ${chain.name}`);
          }
        }
      }
      if (cmd === 'A') {
        chain.rules.push(...inv.rules);
        write();
      } else if (cmd === 'I') {
        if (inv.rulenum! > chain.rules.length + 1) throw new KernelError('Index of insertion too big.');
        chain.rules.splice(inv.rulenum! - 1, 0, ...inv.rules);
        write();
      } else if (cmd === 'R') {
        if (inv.rulenum! > chain.rules.length) throw new KernelError('Index of replacement too big.');
        chain.rules[inv.rulenum! - 1] = inv.rules[0];
        write();
      } else if (cmd === 'D' && inv.deleteByNumber) {
        if (inv.rulenum! > chain.rules.length) throw new KernelError('Index of deletion too big.');
        chain.rules.splice(inv.rulenum! - 1, 1);
        write();
      } else {
        for (const r of inv.rules) {
          const key = ruleKey(r, env.names);
          const idx = chain.rules.findIndex((x) => ruleKey(x, env.names) === key);
          if (idx < 0) throw new KernelError('Bad rule (does a matching rule exist in that chain?).');
          if (cmd === 'D') {
            chain.rules.splice(idx, 1);
            write();
          }
        }
      }
      return;
    }
    case 'N': {
      const name = chainName!;
      if (name.startsWith('-') || name.startsWith('!')) throw paramProblem(`chain name not allowed to start with \`${name[0]}'`);
      if (findTarget(name) || (STANDARD_VERDICTS as readonly string[]).includes(name)) throw paramProblem('chain name may not clash with target name');
      if (/\s/.test(name)) throw paramProblem(`Invalid chain name \`${name}'`);
      if (t.chain(name)) throw new KernelError('Chain already exists.');
      t.addUserChain(name);
      write();
      return;
    }
    case 'X': {
      const names = chainName !== undefined ? [chainName] : [...t.chains.values()].filter((c) => !c.builtin).map((c) => c.name);
      if (chainName !== undefined) {
        const c = t.chain(chainName);
        if (!c) throw noSuchChain();
        const refs = t.references().get(chainName) ?? 0;
        if (c.builtin || refs > 0 || c.rules.length > 0) throw nftFailure('CHAIN_DEL', 'Device or resource busy', `chain ${chainName}`);
      } else {
        const refs = t.references();
        for (const n of names) {
          const users = [...t.chains.values()].filter((c) => !names.includes(c.name));
          const external = users.some((c) => c.rules.some((r) => r.target.kind === 'jump' && r.target.chain === n));
          if (external && (refs.get(n) ?? 0) > 0) throw nftFailure('CHAIN_DEL', 'Device or resource busy', `chain ${n}`);
        }
      }
      for (const n of names) t.deleteUserChain(n);
      write();
      return;
    }
    case 'E': {
      const c = t.chain(chainName!);
      if (!c) throw noSuchChain();
      if (c.builtin) throw new KernelError('Invalid argument.');
      if (t.chain(inv.arg2!)) throw new KernelError('File exists.');
      t.renameChain(chainName!, inv.arg2!);
      write();
      return;
    }
    case 'P': {
      const c = t.chain(chainName!);
      if (!c || !c.builtin) throw new KernelError('Bad built-in chain name.');
      if (inv.arg2 !== 'ACCEPT' && inv.arg2 !== 'DROP') throw new KernelError("Bad policy name. Run `dmesg' for more information.");
      c.policy = inv.arg2;
      if (inv.setCounters) c.counters = { ...inv.setCounters };
      write();
      return;
    }
    case 'F': {
      const chains = chainName !== undefined ? [t.chain(chainName)] : [...t.chains.values()];
      if (chains.some((c) => !c)) throw noSuchChain();
      for (const c of chains) c!.rules = [];
      return;
    }
    case 'Z': case 'L': {
      const zero = inv.commands.includes('Z');
      const list = inv.commands.includes('L');
      if (chainName !== undefined && !t.chain(chainName)) {
        if (list) throw incompatible(chainName, t.name);
        throw noSuchChain();
      }
      if (list) listChains(t, inv, env);
      if (zero) {
        const chains = chainName !== undefined ? [t.chain(chainName)!] : t.orderedChains();
        for (const c of chains) {
          if (inv.rulenum !== undefined) {
            const r = c.rules[inv.rulenum - 1];
            if (r) r.counters = { pkts: 0n, bytes: 0n };
            continue;
          }
          for (const r of c.rules) r.counters = { pkts: 0n, bytes: 0n };
          c.counters = { pkts: 0n, bytes: 0n };
          if (inv.verbose) env.stdout(`Zeroing chain \`${c.name}'\n`);
        }
      }
      return;
    }
    case 'S': {
      if (chainName !== undefined && !t.chain(chainName)) {
        throw incompatible(chainName, t.name);
      }
      listRules(t, inv, env);
      return;
    }
    default:
      return;
  }
}

/**
 * The kernel's checkentry for each extension: the table it may live in, the hooks it may be
 * reached from (known only for built-in chains here) and its own conditions.
 */
function kernelAccepts(r: Rule, table: TableName, hook: Hook | undefined): boolean {
  const uses = [...r.matches, ...(r.target.kind === 'ext' ? [r.target.use] : [])];
  for (const u of uses) {
    const ext = u.ext as XtMatch | XtTarget;
    if (ext.tables && !ext.tables.includes(table)) return false;
    if (hook && ext.hooks && !ext.hooks.includes(hook)) return false;
    if (ext.proto !== undefined && (r.ip.proto !== ext.proto || r.ip.invProto)) return false;
    if (ext.checkentry && !ext.checkentry(u.data as never, { table, hook, proto: r.ip.proto, invProto: r.ip.invProto })) return false;
  }
  return true;
}

function listChains(t: Table, inv: IptablesInvocation, env: ExecEnv): void {
  const f: ListFormat = { numeric: inv.numeric, verbose: inv.verbose > 0, exact: inv.exact, lineNumbers: inv.lineNumbers };
  const refs = t.references();
  const chains = inv.chain !== undefined ? [t.chain(inv.chain)!] : t.orderedChains();
  let out = '';
  chains.forEach((c, k) => {
    if (inv.rulenum !== undefined) {
      const r = c.rules[inv.rulenum - 1];
      if (r) out += listRule(r, inv.rulenum, f, env.names);
      return;
    }
    if (k > 0) out += '\n';
    out += chainHeader(c, refs.get(c.name) ?? 0, f);
    c.rules.forEach((r, n) => {
      out += listRule(r, n + 1, f, env.names);
    });
  });
  env.stdout(out);
}

function listRules(t: Table, inv: IptablesInvocation, env: ExecEnv): void {
  const counters = inv.verbose > 0;
  const chains = inv.chain !== undefined ? [t.chain(inv.chain)!] : t.orderedChains();
  let out = '';
  if (inv.rulenum !== undefined) {
    const r = chains[0].rules[inv.rulenum - 1];
    if (r) out += saveRule(chains[0].name, r, env.names, counters ? 'suffix' : 'none');
    env.stdout(out);
    return;
  }
  for (const c of chains) {
    if (c.builtin) out += `-P ${c.name} ${c.policy}${counters ? ` -c ${c.counters.pkts} ${c.counters.bytes}` : ''}\n`;
    else out += `-N ${c.name}\n`;
  }
  for (const c of chains) {
    for (const r of c.rules) out += saveRule(c.name, r, env.names, counters ? 'suffix' : 'none');
  }
  env.stdout(out);
}
