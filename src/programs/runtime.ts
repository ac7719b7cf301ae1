/**
 * What the pod programs share about being a process: running until killed, the hostname the
 * process sees (its pod's UTS name), a clock, Go's log prefix, and `exec` as the images'
 * entrypoint scripts do it.
 */
import type { Process } from '../kernel/machine.ts';
import type { CommandContext } from '../userland/command.ts';

/** Resolves when the process is killed (never, for a foreground run without a signal). */
export function untilKilled(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The UTS name the process sees: the pod's hostname, else the node's. */
export function hostnameOf(ctx: CommandContext): string {
  return ctx.sys.hostname?.() ?? ctx.sys.machine().hostname;
}

/** Go's log package prefix (`2024/01/01 00:00:00 `), in UTC as containers run. */
export function goLogStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} `;
}

/** The message of anything thrown. */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * `exec "$@"` of an entrypoint script. The emulated process cannot replace its own image, so
 * the program runs as the script's child with the same output; the script's status is its.
 */
export async function execInto(ctx: CommandContext, argv: string[]): Promise<number> {
  if (!ctx.exec) {
    ctx.stderr(`exec: ${argv[0]}: not found\n`);
    return 127;
  }
  return ctx.exec(argv);
}

/**
 * The process-table entry of the running program, for programs that retitle themselves (nginx)
 * or show children: the newest process in this namespace whose argv is this program's. The
 * Command contract does not pass a pid, and a namespace rarely runs two identical argvs.
 */
export function ownProcess(ctx: CommandContext): Process | undefined {
  let best: Process | undefined;
  for (const p of ctx.sys.machine().procs.values()) {
    if (p.netns === ctx.sys.netns() && p.argv.length === ctx.argv.length && p.argv.every((a, i) => a === ctx.argv[i]) && (!best || p.pid > best.pid)) best = p;
  }
  return best;
}
