/**
 * What a CNI plugin needs of the node: run its tools (ip, iptables, sysctl) and read and write
 * its files (/var/lib/cni). A Host provides exactly this; `contextSys` builds it over a shell
 * command's context, so the same plugin code runs from the kubelet's runtime and as
 * `/opt/cni/bin/bridge` typed by a user.
 */
import type { Host, RunResult } from '../../host/host.ts';
import type { CommandContext } from '../../userland/command.ts';

export type PluginSys = Pick<Host, 'run' | 'readFile' | 'writeFile' | 'removeFile' | 'listDir'>;

/** The plugin's failure for a tool that exited non-zero: `prefix: <the tool's message>`. */
export class ToolError extends Error {
  constructor(
    readonly result: RunResult,
    prefix: string,
  ) {
    super(`${prefix}: ${result.stderr.trim().split('\n').filter((l) => !l.startsWith('Command failed')).join('; ') || `exit status ${result.code}`}`);
  }
}

/** Runs a tool and throws ToolError(prefix) unless it exits 0; resolves to its stdout. */
export async function must(sys: PluginSys, argv: string[], prefix: string, stdin?: string): Promise<string> {
  const r = await sys.run(argv, stdin === undefined ? undefined : { stdin });
  if (r.code !== 0) throw new ToolError(r, prefix);
  return r.stdout;
}

/** A PluginSys over a shell command's context: programs through `exec`, files through its filesystem. */
export function contextSys(ctx: CommandContext): PluginSys {
  return {
    async run(argv, opts = {}) {
      if (!ctx.exec) return { code: 127, stdout: '', stderr: `${argv[0]}: cannot run programs outside a shell\n` };
      if (opts.netns) argv = ['ip', 'netns', 'exec', opts.netns, ...argv];
      let stdout = '';
      let stderr = '';
      const code = await ctx.exec(argv, { stdin: opts.stdin ?? '', stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
      return { code, stdout, stderr };
    },
    readFile: (path) => Promise.resolve(ctx.fs.read(path)),
    writeFile: (path, data) => Promise.resolve(ctx.fs.write(path, data)),
    removeFile: (path) => Promise.resolve(ctx.fs.remove(path)),
    listDir: (path) => Promise.resolve(ctx.fs.isDir(path) ? ctx.fs.list(path) : []),
  };
}
