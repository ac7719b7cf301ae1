/** The `iptables` command: parse the command line, run it against the host's netfilter state. */
import type { CommandContext } from '../command.ts';
import { hostNames } from '../names.ts';
import { execute, liveTables } from './commands.ts';
import { renderError, VERSION } from './errors.ts';
import { parseIptables } from './parse.ts';

export function iptables(ctx: CommandContext): number {
  const names = hostNames(ctx.fs);
  try {
    const inv = parseIptables(ctx.argv.slice(1), { names, resolveHost: (n) => names.hostToAddr(n), warn: ctx.stderr });
    if (inv.commands.includes('V')) {
      ctx.stdout(`iptables ${VERSION}\n`);
      return 0;
    }
    if (inv.commands.includes('h')) {
      ctx.stdout(`iptables ${VERSION}\n\nUsage: iptables -[ACD] chain rule-specification [options]\n`);
      return 0;
    }
    execute(inv, liveTables(ctx.sys.netfilter()), { names, stdout: ctx.stdout });
    return 0;
  } catch (e) {
    const r = renderError('iptables', e);
    ctx.stderr(r.text);
    return r.status;
  }
}
