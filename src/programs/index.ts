/**
 * The programs pods run, as commands a host's process table starts by the basename of a
 * container's argv[0]: the pause process, the servers of the images podlab knows (http-echo,
 * agnhost, nginx, the Node hello apps), the images' entrypoint scripts, and `generic` for
 * unknown images. Each is a Command that runs until its signal aborts; images map to them in
 * images.ts.
 */
import type { Command } from '../userland/command.ts';
import { agnhost } from './agnhost.ts';
import { curlEntrypoint, dockerEntrypoint } from './entrypoints.ts';
import { generic } from './generic.ts';
import { httpEcho } from './http-echo.ts';
import { nginx } from './nginx.ts';
import { node, npm } from './node.ts';
import { untilKilled } from './runtime.ts';

/** `/pause`: holds the pod's namespaces and does nothing else. */
export const pause: Command = async (ctx) => {
  await untilKilled(ctx.signal);
  return 0;
};

/** zsh (netshoot's CMD) runs as podlab's shell. */
const zsh: Command = (ctx) => (ctx.exec ? ctx.exec(['sh', ...ctx.argv.slice(1)]) : 127);

export { httpEcho };

/** Every program by the name a container's argv[0] has (its basename). */
export function programCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['pause', pause],
    ['http-echo', httpEcho],
    ['agnhost', agnhost],
    ['agnhost-2', agnhost],
    ['nginx', nginx],
    ['node', node],
    ['npm', npm],
    ['generic', generic],
    ['entrypoint.sh', curlEntrypoint],
    ['docker-entrypoint.sh', dockerEntrypoint],
    ['zsh', zsh],
  ]);
}
