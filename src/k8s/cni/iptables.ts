/**
 * The few iptables operations the plugins use, as go-iptables performs them with the iptables
 * binary: -S to list chains and rules, -C before -A/-I (AppendUnique / InsertUnique), -N, -F,
 * -D and -X, with "does not exist" failures told apart from real ones.
 */
import type { PluginSys } from './sys.ts';
import { ToolError } from './sys.ts';

/** go-iptables' Error.IsNotExist: the rule or chain was not there. */
function isNotExist(stderr: string): boolean {
  return /does a matching rule exist|No chain\/target\/match by that name|does not exist/.test(stderr);
}

export class IPTables {
  constructor(private readonly sys: PluginSys) {}

  private async ipt(table: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.sys.run(['iptables', '-t', table, ...args]);
  }

  private async must(table: string, args: string[]): Promise<string> {
    const r = await this.ipt(table, args);
    if (r.code !== 0) throw new ToolError(r, `running [iptables -t ${table} ${args.join(' ')}] failed`);
    return r.stdout;
  }

  /** The table's chain names (built-in and user), from `-S`. */
  async listChains(table: string): Promise<string[]> {
    const out = await this.must(table, ['-S']);
    return out.split('\n').filter((l) => l.startsWith('-P ') || l.startsWith('-N ')).map((l) => l.split(' ')[1]);
  }

  /** A chain's `-S` lines (the first is its -N or -P line). */
  async list(table: string, chain: string): Promise<string[]> {
    return (await this.must(table, ['-S', chain])).split('\n').filter((l) => l !== '');
  }

  async exists(table: string, chain: string, rule: string[]): Promise<boolean> {
    const r = await this.ipt(table, ['-C', chain, ...rule]);
    if (r.code === 0) return true;
    if (r.code === 1 || isNotExist(r.stderr)) return false;
    throw new ToolError(r, `running [iptables -t ${table} -C ${chain} ${rule.join(' ')}] failed`);
  }

  /** utils.EnsureChain. */
  async ensureChain(table: string, chain: string): Promise<void> {
    if (!(await this.listChains(table)).includes(chain)) await this.must(table, ['-N', chain]);
  }

  /** utils.InsertUnique: appended, or inserted first when `prepend`, unless already there. */
  async insertUnique(table: string, chain: string, prepend: boolean, rule: string[]): Promise<void> {
    if (await this.exists(table, chain, rule)) return;
    await this.must(table, prepend ? ['-I', chain, '1', ...rule] : ['-A', chain, ...rule]);
  }

  /** ipt.ClearChain: flushes the chain, creating it when missing. */
  async clearChain(table: string, chain: string): Promise<void> {
    if ((await this.listChains(table)).includes(chain)) await this.must(table, ['-F', chain]);
    else await this.must(table, ['-N', chain]);
  }

  /** Deletes a rule; a rule or chain that is not there is no error. */
  async deleteIfExists(table: string, chain: string, rule: string[]): Promise<void> {
    const r = await this.ipt(table, ['-D', chain, ...rule]);
    if (r.code !== 0 && !isNotExist(r.stderr) && r.code !== 2) throw new ToolError(r, `running [iptables -t ${table} -D ${chain} ${rule.join(' ')}] failed`);
  }

  async deleteChainIfExists(table: string, chain: string): Promise<void> {
    const r = await this.ipt(table, ['-X', chain]);
    if (r.code !== 0 && !isNotExist(r.stderr)) throw new ToolError(r, `running [iptables -t ${table} -X ${chain}] failed`);
  }
}

/** Splits an `iptables -S` line into words the way shellwords does (double-quoted comments with \" inside). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}
