/**
 * The plugins as the binaries in /opt/cni/bin (skel.PluginMain): parameters from the CNI_*
 * environment, the configuration on stdin; ADD prints the result JSON, VERSION the supported
 * versions, a failure prints the spec's error JSON on stdout and exits 1. Without CNI_COMMAND
 * a plugin prints what it is, as the real ones do when run by hand.
 */
import type { Command, CommandContext } from '../../userland/command.ts';
import type { CniCommand } from './plugin.ts';
import { DEFAULT_BIN_DIR, invokePlugin, PLUGINS } from './plugins.ts';
import { contextSys } from './sys.ts';
import { bridge as iproute2Bridge } from '../../userland/bridge/bridge.ts';
import { CniError, ErrCode, printJSON, SUPPORTED_VERSIONS } from './types.ts';

/** The release whose behaviour the plugins follow (what `about` prints). */
export const PLUGINS_VERSION = 'v1.6.2';

/** The variables skel requires for each command. */
const REQUIRED: Record<string, string[]> = {
  ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  DEL: ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'],
};

/** The configuration's cniVersion for the error JSON (1.0.0 when it cannot be read). */
function confVersion(stdin: string): string {
  try {
    const v = (JSON.parse(stdin) as { cniVersion?: unknown }).cniVersion;
    return typeof v === 'string' && v ? v : '1.0.0';
  } catch {
    return '1.0.0';
  }
}

function pluginCommand(type: string): Command {
  return async (ctx: CommandContext) => {
    const env = ctx.env;
    const cmd = env.CNI_COMMAND ?? '';
    const fail = (e: CniError): number => {
      ctx.stdout(printJSON(e.toJSON(confVersion(ctx.stdin))) + '\n');
      return 1;
    };
    if (!cmd) {
      ctx.stderr(`CNI ${type} plugin ${PLUGINS_VERSION}\nCNI protocol versions supported: ${SUPPORTED_VERSIONS.join(', ')}\n`);
      return 0;
    }
    if (cmd === 'VERSION') {
      ctx.stdout(printJSON({ cniVersion: '1.0.0', supportedVersions: SUPPORTED_VERSIONS }) + '\n');
      return 0;
    }
    const required = REQUIRED[cmd];
    if (!required) return fail(new CniError(ErrCode.InvalidEnvironmentVariables, `unknown CNI_COMMAND: ${cmd}`));
    const missing = required.filter((k) => !env[k]);
    if (missing.length) return fail(new CniError(ErrCode.InvalidEnvironmentVariables, `required env variables [${missing.join(',')}] missing`));
    try {
      JSON.parse(ctx.stdin);
    } catch (e) {
      return fail(new CniError(ErrCode.DecodingFailure, `decoding version from network config: ${(e as Error).message}`));
    }
    try {
      const result = await invokePlugin(contextSys(ctx), type, {
        command: cmd as CniCommand, containerId: env.CNI_CONTAINERID, netns: env.CNI_NETNS ?? '', ifName: env.CNI_IFNAME,
        args: env.CNI_ARGS ?? '', path: env.CNI_PATH || DEFAULT_BIN_DIR, stdinData: ctx.stdin,
      });
      if (result) ctx.stdout(printJSON(result) + '\n');
      return 0;
    } catch (e) {
      return fail(e as CniError);
    }
  };
}

/**
 * `bridge` is two programs on a node: iproute2's /usr/sbin/bridge and the plugin
 * /opt/cni/bin/bridge, and commands are found by basename. The plugin is the one run with
 * CNI_COMMAND set or by a path in a CNI bin directory; anything else is iproute2's.
 */
function bridgeCommand(plugin: Command): Command {
  return (ctx) => {
    const argv0 = ctx.argv[0] ?? '';
    const dirs = [DEFAULT_BIN_DIR, ...(ctx.env.CNI_PATH ?? '').split(':').filter(Boolean)];
    const asPlugin = ctx.env.CNI_COMMAND !== undefined || dirs.some((d) => argv0 === `${d.replace(/\/+$/, '')}/bridge`);
    return asPlugin ? plugin(ctx) : iproute2Bridge(ctx);
  };
}

/** bridge, ptp, host-local, loopback and portmap as commands (run by basename: /opt/cni/bin/ptp works). */
export function cniCommands(): Map<string, Command> {
  return new Map([...PLUGINS.keys()].map((type) => [type, type === 'bridge' ? bridgeCommand(pluginCommand(type)) : pluginCommand(type)]));
}
