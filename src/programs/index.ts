/**
 * The programs pods run, as commands a host's process table starts: the pause process, the
 * servers of the images podlab knows (http-echo, ...), each a Command that runs until its
 * signal aborts. Images map to them in images.ts.
 */
import type { Command } from '../userland/command.ts';
import { startHttpEcho } from './http-echo.ts';

/** Runs until the process is killed. */
function untilKilled(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** `/pause`: holds the pod's namespaces and does nothing else. */
export const pause: Command = async (ctx) => {
  await untilKilled(ctx.signal);
  return 0;
};

/** `/http-echo -text=... [-listen=:5678]`: see http-echo.ts. */
export const httpEcho: Command = async (ctx) => {
  let server;
  try {
    server = startHttpEcho(ctx.sys.netns(), ctx.argv.slice(1));
  } catch (e) {
    ctx.stderr(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  for (const line of server.log) ctx.stdout(line + '\n');
  await untilKilled(ctx.signal);
  server.stop();
  return 0;
};

/** Every program by the name a container's argv[0] has (its basename). */
export function programCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['pause', pause],
    ['http-echo', httpEcho],
  ]);
}
