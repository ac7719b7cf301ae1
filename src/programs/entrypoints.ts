/**
 * The entrypoint scripts of images whose ENTRYPOINT is a shell script, as programs:
 * - curlimages/curl's `/entrypoint.sh`: runs its arguments, putting `curl` in front when the
 *   first is an option or not a command (so `args: ["-s", "URL"]` and `args: ["sh", "-c", ...]`
 *   both work as on the real image);
 * - `/docker-entrypoint.sh` (nginx, node images): nginx's configuration notices when it starts
 *   nginx, then runs its arguments.
 */
import type { Command } from '../userland/command.ts';
import { execInto } from './runtime.ts';

/** curlimages/curl: `if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ]; then set -- curl "$@"; fi; exec "$@"`. */
export const curlEntrypoint: Command = (ctx) => {
  let argv = ctx.argv.slice(1);
  if (argv.length === 0 || argv[0].startsWith('-') || !(ctx.exists?.(argv[0]) ?? true)) argv = ['curl', ...argv];
  return execInto(ctx, argv);
};

const NGINX_NOTICES = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];

/** nginx's docker-entrypoint.sh: configuration notices (unless NGINX_ENTRYPOINT_QUIET_LOGS) before `exec nginx ...`. */
export const dockerEntrypoint: Command = (ctx) => {
  const argv = ctx.argv.slice(1);
  if (argv.length === 0) return 0;
  if ((argv[0] === 'nginx' || argv[0] === 'nginx-debug') && !ctx.env.NGINX_ENTRYPOINT_QUIET_LOGS) ctx.stdout(NGINX_NOTICES.map((l) => `${l}\n`).join(''));
  return execInto(ctx, argv);
};
