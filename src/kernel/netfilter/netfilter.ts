/**
 * The netfilter state of one network namespace: its tables, each with built-in and user chains,
 * policies, rules and counters. Operations here are the kernel's primitives; the checks and
 * messages users see belong to the iptables userland that calls them.
 *
 * Like iptables-nft, a table "exists" only once something wrote to it; until then listings
 * still show its built-in chains with ACCEPT policies, but iptables-save skips it.
 */
import { BUILTIN_CHAINS, TABLE_NAMES, isBuiltinChain, type TableName } from './tables.ts';
import type { Counters, Rule } from './rule.ts';

export type Policy = 'ACCEPT' | 'DROP';

export class Chain {
  rules: Rule[] = [];
  /** Policy counters (built-in chains only). */
  counters: Counters = { pkts: 0n, bytes: 0n };

  constructor(
    readonly name: string,
    readonly builtin: boolean,
    public policy: Policy = 'ACCEPT',
  ) {}

  clone(): Chain {
    const c = new Chain(this.name, this.builtin, this.policy);
    c.rules = this.rules.map((r) => ({ ...r, counters: { ...r.counters } }));
    c.counters = { ...this.counters };
    return c;
  }
}

export class Table {
  /** Whether the table exists in the kernel (was written to). */
  present = false;
  readonly chains = new Map<string, Chain>();

  constructor(readonly name: TableName) {
    for (const c of BUILTIN_CHAINS[name]) this.chains.set(c, new Chain(c, true));
  }

  chain(name: string): Chain | undefined {
    return this.chains.get(name);
  }

  /** Built-in chains in hook order, then user chains sorted by name (as iptables-nft lists them). */
  orderedChains(): Chain[] {
    const builtins = BUILTIN_CHAINS[this.name].map((n) => this.chains.get(n)!);
    const users = [...this.chains.values()].filter((c) => !c.builtin).sort((a, b) => cmpName(a.name, b.name));
    return [...builtins, ...users];
  }

  /** Number of rules in this table that jump or go to each chain. */
  references(): Map<string, number> {
    const refs = new Map<string, number>();
    for (const c of this.chains.values()) {
      for (const r of c.rules) {
        if (r.target.kind === 'jump') refs.set(r.target.chain, (refs.get(r.target.chain) ?? 0) + 1);
      }
    }
    return refs;
  }

  addUserChain(name: string): Chain {
    const c = new Chain(name, false);
    this.chains.set(name, c);
    return c;
  }

  deleteUserChain(name: string): void {
    if (isBuiltinChain(this.name, name)) throw new Error(`cannot delete built-in chain ${name}`);
    this.chains.delete(name);
  }

  /** Renames a user chain and every jump to it. */
  renameChain(from: string, to: string): void {
    const c = this.chains.get(from)!;
    const renamed = new Chain(to, false);
    renamed.rules = c.rules;
    this.chains.delete(from);
    this.chains.set(to, renamed);
    for (const ch of this.chains.values()) {
      for (const r of ch.rules) {
        if (r.target.kind === 'jump' && r.target.chain === from) r.target = { ...r.target, chain: to };
      }
    }
  }

  clone(): Table {
    const t = new Table(this.name);
    t.present = this.present;
    t.chains.clear();
    for (const [n, c] of this.chains) t.chains.set(n, c.clone());
    return t;
  }

  ruleCount(): number {
    let n = 0;
    for (const c of this.chains.values()) n += c.rules.length;
    return n;
  }
}

/** Byte-wise name order (strcmp), which is how iptables-nft sorts user chains. */
export function cmpName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Netfilter {
  readonly tables: Record<TableName, Table>;

  constructor() {
    this.tables = Object.fromEntries(TABLE_NAMES.map((n) => [n, new Table(n)])) as Record<TableName, Table>;
  }

  table(name: TableName): Table {
    return this.tables[name];
  }

  /** Replaces a table wholesale (an iptables-restore COMMIT). */
  replaceTable(t: Table): void {
    this.tables[t.name] = t;
  }
}
